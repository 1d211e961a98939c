"""Exports for other tools: the whole tracker as one SQLite database (standard library
`sqlite3`), computed with the same reports the commands print.

- `rows`: the rows of each exported table; `sqlite`: `diffuse export sqlite`, the database
  rebuilt whole each time.
"""
