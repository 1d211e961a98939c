"""Progress of long work. The core reports it here and never prints; the command line
decides whether and how it is shown (a bar on a terminal, nothing when piped or in CI).

    with progress.task("reading files", len(paths)) as step:
        for path in paths:
            ...
            step.advance()
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    def advance(self, steps: int = 1) -> None: ...

    def close(self) -> None: ...


Factory = Callable[[str, int], Progress]


class Silent:
    def advance(self, steps: int = 1) -> None:
        return

    def close(self) -> None:
        return


_factory: list[Factory | None] = [None]


def install(factory: Factory | None) -> Factory | None:
    """Show progress through `factory(what, total)` from now on; returns the one it replaces."""
    previous, _factory[0] = _factory[0], factory
    return previous


@contextmanager
def task(what: str, total: int) -> Iterator[Progress]:
    factory = _factory[0]
    reporter = factory(what, total) if factory is not None else Silent()
    try:
        yield reporter
    finally:
        reporter.close()
