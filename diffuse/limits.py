"""How much one file may cost to read, whatever is in it.

A tracker is edited by many hands and read in CI on every pull request, so no file may make
`diffuse` take unbounded time or memory. The organisation file may change the limits for
practices and projects (`settings.limits`); it is itself always read with the defaults, as
its limits are not known before it is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MAX_FILE_BYTES = 1_000_000
MAX_VALUES = 100_000
MAX_DEPTH = 64

# The most `settings.limits` may ask for. Composing a document costs about half a kilobyte
# per value; the depth ceiling keeps the parser's recursion far from the stack's end.
CEILING_FILE_BYTES = 10_000_000
CEILING_VALUES = 1_000_000
CEILING_DEPTH = 200


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = MAX_FILE_BYTES
    max_values: int = MAX_VALUES
    max_depth: int = MAX_DEPTH


DEFAULT_LIMITS = Limits()
# What an edit's input and result are checked with: the file was read within the configured
# limits already, so an edit must not refuse a file the tracker accepts.
CEILINGS = Limits(CEILING_FILE_BYTES, CEILING_VALUES, CEILING_DEPTH)

# Every date a tracker holds or a command is given lies in this range, so every sum done with
# dates (a target six or 120 months on, a review due, a forecast) stays a real date.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
DAY_RANGE = f"from {FIRST_DAY} to {LAST_DAY}"
# The largest figure a measure, target or multiplier may hold: products and sums of squares
# of figures this size stay far inside a float's range.
MAX_FIGURE = 1e15
