"""Edits of files whose lines end in a carriage return alone (classic Mac OS).

YAML reads CR, LF and CRLF alike as line breaks, so such a file validates; the surgical
edits (`yamledit`, `yamlbatch`) find lines by LF. The edit is made on the same text with LF
line ends, which holds the same values at the same lines and columns, and the result is
given its CRs back. A file that mixes lone CRs with LF line ends has no one style to keep,
and is refused before the edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from diffuse.files.yamledit import EditError

_LONE_CR = re.compile(r"\r(?!\n)")


def keeping_line_ends(change: Callable[[str], str], text: str) -> str:
    """`change(text)`, for a file with any line ends: CR-only files keep theirs."""
    lone = _LONE_CR.search(text)
    if lone is None:
        return change(text)
    if "\n" in text:
        line = text.count("\n", 0, lone.start()) + text.count("\r", 0, lone.start()) + 1
        raise EditError(
            f"the file mixes line ends (a carriage return alone on line {line}, LF "
            "elsewhere), so an edit cannot keep them; save it with one kind of line end "
            "and run the command again"
        )
    result = change(text.replace("\r", "\n"))
    if "\r" in result:
        raise EditError("the edit would mix line ends in a file whose lines end in CR")
    return result.replace("\n", "\r")
