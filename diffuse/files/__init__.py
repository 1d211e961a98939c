"""Bytes to YAML nodes to data, surgical edits and atomic writes: the only importer of PyYAML."""
