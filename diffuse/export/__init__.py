"""Exports for other tools: the whole tracker as one SQLite database (standard library
`sqlite3`), computed with the same reports the commands print."""
