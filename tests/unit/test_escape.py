"""escape.clean: control and reordering characters shown as escapes, everything else as is."""

from __future__ import annotations

import re

from diffuse.escape import CONTROL, clean


def test_every_character_it_escapes_is_one_printable_text_cannot_hold() -> None:
    # `clean` returns printable text untouched without looking for them.
    control = re.compile(CONTROL)
    escaped = [chr(c) for c in range(0xE000) if control.match(chr(c))]
    assert len(escaped) == 9 + 21 + 33 + 1 + 2 + 5 + 4 + 2048
    assert not any(char.isprintable() for char in escaped)


def test_escapes_are_shown_and_everything_else_is_kept() -> None:
    assert clean("Ward 7 – Ærø, ok") == "Ward 7 – Ærø, ok"
    assert clean("a\tb\nc") == "a\tb\nc"  # tabs and line breaks are not printable, and kept
    assert clean("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m"
    assert clean("safe\u202eexe.txt") == "safe\\u202eexe.txt"
    assert clean("caf\udce9") == "caf\\xe9"  # a file name's byte that is not UTF-8
    assert clean("\u00a0\u2028x\x85") == "\u00a0\u2028x\\x85"
    assert clean(12) == "12"
