"""Bytes to YAML nodes to data, surgical edits and atomic writes: the only importer of PyYAML.

- Reading: `loading` (files to models, every problem at path:line:col), `nodes` (YAML to a
  node tree and plain data, safely), `flowrows` (one-line list rows read as the parser
  would, before it), `plainscan` (plain block YAML read line by line),
  `ids` (the ids a tracker defines, for shell completion), `phi` (the patient-data guard).
- Writing: `yamledit` (surgical edits), `yamlbatch` (many changes to one list at once),
  `atomic` (atomic rewrites under a lock), `lineends` (files whose lines end in CR alone).
"""
