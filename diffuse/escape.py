"""Text from files and git made safe to show: escape sequences are shown, never executed.

The terminal views, `history` and Markdown escape such text with `clean`, so a name or a
note cannot move the cursor, change colours or reorder a line.
"""

from __future__ import annotations

import functools
import re

# Control characters, and the invisible marks that reorder bidirectional text (which can
# make a line read differently from what it holds).
# Lone surrogates stand for bytes of a file name that are not UTF-8: no terminal, file or
# JSON text can hold them, so they are shown as the bytes they were (\xff).
CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


@functools.cache
def _control() -> re.Pattern[str]:
    # Compiled when first needed: its surrogate range costs more to compile than most
    # runs spend escaping.
    return re.compile(CONTROL)


def clean(value: object) -> str:
    """`value` as text with every control or reordering character written as an escape."""
    text = str(value)
    # Every character escaped is a control, format or surrogate one, none of them
    # printable: printable text, nearly all of it, holds none.
    return text if text.isprintable() else _control().sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if 0xDC80 <= ord(char) <= 0xDCFF:
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1] if ord(char) < 0x100 else f"\\u{ord(char):04x}"
