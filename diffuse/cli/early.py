"""What the program does for its command before Typer loads.

Only when the program itself runs (`diffuse ...` or `python -m diffuse ...`); importing
`diffuse.cli` from other code changes nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Commands that read the tracker and print, and write nothing else: once their output is
# flushed, the process ends without the interpreter freeing every module and object one by
# one, which costs a cold `status` more than its typer does. The system frees it all at once.
READ_ONLY = frozenset({"validate", "status", "show"})
# Of those, the commands the program can read the arguments of itself (`quick`).
QUICK = frozenset({"validate", "status"})


def started() -> str | None:
    """The command the program was started for; None when `diffuse.cli` is imported."""
    program = Path(sys.argv[0])
    if sys.argv[1:2] and (
        program.name == "diffuse" or program.parts[-2:] == ("diffuse", "__main__.py")
    ):
        return sys.argv[1]
    return None


def prepare(command: str) -> None:
    if command == "history":
        # git walks the file's history while Typer loads (reports.history.begin).
        from diffuse.reports.history import begin

        begin(sys.argv[2:])
    elif command in READ_ONLY:
        # Such a command ends without teardown (`end`): the collector would only walk
        # Typer's and the models' objects while the command's modules load.
        import gc

        gc.disable()
        if command in QUICK:
            from diffuse.cli.quick import attempt

            code = attempt(sys.argv[1:])
            if code is not None:
                end(code)


def end(code: int) -> None:
    """Flush the output and end the process without tearing the interpreter down; return
    if a stream is broken or closed, for the interpreter's own exit to report it."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)
