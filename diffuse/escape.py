"""Text from files and git made safe to show: escape sequences are shown, never executed.

The terminal views, `history` and Markdown escape such text with `clean`, so a name or a
note cannot move the cursor, change colours or reorder a line.
"""

from __future__ import annotations

import re

# Control characters, and the invisible marks that reorder bidirectional text (which can
# make a line read differently from what it holds).
# Lone surrogates stand for bytes of a file name that are not UTF-8: no terminal, file or
# JSON text can hold them, so they are shown as the bytes they were (\xff).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def clean(value: object) -> str:
    """`value` as text with every control or reordering character written as an escape."""
    return _CONTROL.sub(_visible, str(value))


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if 0xDC80 <= ord(char) <= 0xDCFF:
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1] if ord(char) < 0x100 else f"\\u{ord(char):04x}"
