"""A progress bar on stderr for work that runs long, and nothing otherwise.

The bar appears only once the work has run past a second (`DIFFUSE_PROGRESS_AFTER`
seconds), only on a terminal, and never in CI (the `CI` variable set): a quick command
stays quiet and a log stays clean.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from diffuse.progress import Progress, Silent
from diffuse.render import colour_forced

if TYPE_CHECKING:
    from rich.console import Console

AFTER_SECONDS = 1.0


class DelayedBar:
    def __init__(
        self,
        what: str,
        total: int,
        console: Console,
        after: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what, self.total, self.console = what, total, console
        self.after, self.clock = after, clock
        self.started = clock()
        self.done = 0
        self._bar: Any = None
        self._task: Any = None

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)
        elif self.clock() - self.started >= self.after:
            self._show()

    def _show(self) -> None:
        # Imported only when a bar is shown: most runs never need one.
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=self.console,
            transient=True,
        )
        self._task = self._bar.add_task(self.what, total=self.total, completed=self.done)
        self._bar.start()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def shown_on(console: Console) -> bool:
    """Whether progress is shown at all: on a terminal, outside CI."""
    return console.is_terminal and not os.environ.get("CI")


def stderr_bar(what: str, total: int, console: Console | None = None) -> Progress:
    if console is None:
        if not (sys.stderr.isatty() or colour_forced()) or os.environ.get("CI"):
            return Silent()  # piped or in CI: no console is needed to know it
        from rich.console import Console  # only a terminal can show a bar

        console = Console(stderr=True)
    if not shown_on(console):
        return Silent()
    return DelayedBar(what, total, console, _after())


def _after() -> float:
    try:
        return max(0.0, float(os.environ.get("DIFFUSE_PROGRESS_AFTER", AFTER_SECONDS)))
    except ValueError:
        return AFTER_SECONDS
