"""The tracker in memory and its rules: cross-file references, gates, lifecycle, validation."""
