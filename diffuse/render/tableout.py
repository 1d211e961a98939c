"""Where the status grid is printed: written as plain text by `plaintable` where that is what
Rich would write, else drawn by `terminal` on Rich's console."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from diffuse.render.plaintable import plain_grids
from diffuse.reports.status.grid import Grid


def print_grids(grids: Sequence[Grid], output: str) -> None:
    """Print the grid as `terminal.grid_output` prints it on `terminal.make_console()`."""
    stream = sys.stdout
    text = plain_grids(grids, output, stream)
    if text is None:
        from diffuse.render.terminal import grid_output, make_console

        grid_output(make_console(), grids, output)
        return
    stream.write(text)
    stream.flush()
