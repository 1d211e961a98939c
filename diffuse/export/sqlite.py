"""`diffuse export sqlite`: the tracker as one SQLite database, rebuilt whole each time.

The figures come from the same reports the commands print (the grid of `status`, the charts
of `metrics`), so a query gives what the terminal shows. The database is written to a
temporary file beside the target and renamed over it: a reader sees the old database or
the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from diffuse import gcpause
from diffuse.errors import DiffuseError
from diffuse.export import rows
from diffuse.reports.status.row import sql_columns
from diffuse.rules.load import Loaded

SCHEMA = Path(__file__).with_name("schema.sql")
_SQLITE_HEADER = b"SQLite format 3\x00"


def export(loaded: Loaded, as_of: date, target: Path) -> dict[str, int]:
    """Write the database; returns the row count of each table."""
    if target.is_dir():
        raise DiffuseError(f"{target}: is a folder; give a file name such as tracker.db")
    if not _replaceable(target):
        raise DiffuseError(
            f"{target}: exists and is not a database written by 'diffuse export sqlite'; "
            "choose a new file name"
        )
    counts = dict.fromkeys(rows.TABLES, 0)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(name)) as db:
            # Nobody reads the temporary file, so no journal and no sync per write; one
            # fsync below makes it durable before it takes the target's name.
            db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            db.executescript(projects_table() + SCHEMA.read_text(encoding="utf-8"))
            # Each project's rows are made and dropped with no cycles among them: the
            # collector's full collections would only walk all that is kept, again and again.
            with gcpause.paused():
                for table, records in rows.tables(loaded, as_of):
                    _insert(db, table, records)
                    counts[table] += len(records)
            db.commit()
        with open(name, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(name, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
    return {t: n for t, n in counts.items() if t != "meta"}


def projects_table() -> str:
    """The `projects` table, one column per field the status row declares for it."""
    columns = ", ".join(f"{name} {kind}" for name, kind in sql_columns())
    return f"CREATE TABLE projects ({columns});\n"


def _replaceable(target: Path) -> bool:
    """Only a new file, an empty one or an SQLite database is replaced: a typo must not
    turn a tracker file (or, for root, a device such as /dev/null) into a database."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return True
    if not stat.S_ISREG(info.st_mode):
        return False
    with open(target, "rb") as handle:
        head = handle.read(len(_SQLITE_HEADER))
    return head in (b"", _SQLITE_HEADER)


def _insert(db: sqlite3.Connection, table: str, records: list[dict[str, Any]]) -> None:
    if not records:
        return
    columns = list(records[0])
    marks = ", ".join("?" for _ in columns)
    db.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
        [tuple(r[c] for c in columns) for r in records],
    )
