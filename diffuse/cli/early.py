"""What the program does for its command before Typer loads.

Only when the program itself runs (`diffuse ...` or `python -m diffuse ...`); importing
`diffuse.cli` from other code changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Commands that read the tracker and print, and write nothing else: once their output is
# flushed, the process ends without the interpreter freeing every module and object one by
# one, which costs a cold `status` more than its typer does. The system frees it all at once.
READ_ONLY = frozenset({"validate", "status", "show"})


def started() -> str | None:
    """The command the program was started for; None when `diffuse.cli` is imported."""
    if sys.argv[1:2] and Path(sys.argv[0]).name in ("diffuse", "__main__.py"):
        return sys.argv[1]
    return None


def prepare(command: str) -> None:
    if command == "history":
        # git walks the file's history while Typer loads (reports.history.begin).
        from diffuse.reports.history import begin

        begin(sys.argv[2:])
    elif command in READ_ONLY:
        # Such a command ends without teardown (`diffuse.cli.run`): the collector would only
        # walk Typer's and the models' objects while the command's modules load.
        import gc

        gc.disable()
