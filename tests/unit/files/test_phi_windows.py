"""Reading each window with only the expressions of the kinds its triggers may start finds
exactly what reading it with every expression would; the windows read are exactly those of
every window that may hold a candidate."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from phi_labelled import load

from diffuse.files import phi

# Texts near the filter's edges: a keyword or name split by case or by a character outside
# ASCII, a number's form, a line break inside a keyword's gap.
EDGES = [
    "date\nof birth: 03/04/1961\n",
    "Date\tOf Birth 03/04/1961\n",
    "D.O. B 1961-04-03\n",
    "d.o. b: 1961-04-03\n",
    "ſſn: 123-45-6789\n",
    "MRN: 1234567\n",
    "\u212arn 2024-01-02\n",
    "SMITH,\tJohn 02/03/1954\n",
    "Smith,  John A. (1961-05-22)\n",
    "smith, john 02/03/1954\n",
    "ref 2024-01-02 and 123 456 7890\n",
    "call 123-45-6789 on 2024-01-02\n",
    "note: the review was 2024-01-02, on the unit\nhospital\n  number: 1234567\n",
    "Jones, Ann\u00e9 02/03/1954\n",
    "patient #: A12345 seen 2024-01-02\n",
]


def _unfiltered(text: str) -> Iterator[phi.Finding]:
    every = list(phi.patterns().values())
    for start, end, _ in phi._windows(text):
        yield from phi._scan(text, start, end, every, phi.NO_STAFF)


@pytest.mark.parametrize("text", EDGES)
def test_edge_texts_find_what_every_window_finds(text: str) -> None:
    assert list(phi.findings(text)) == list(_unfiltered(text))


def test_the_labelled_set_finds_what_every_window_finds() -> None:
    for case in load():
        assert list(phi.findings(case.text)) == list(_unfiltered(case.text)), case.text


# Texts where a trigger is found but the rest of its kind is not, or is only just there.
NEAR_MISSES = [
    "Two systems oversight committees; results 2007-2009\n",
    "Mrs  Okafor seen\n",
    "MS\tO'Neil on the ward\n",
    "Combining measures; mbi: 1EG4-TE5-MK73\n",
    "billing\n  account #: 12345678\n",
    "unit\n    no. 1234567\n",
    "22b n. Oak Road, his home\n",
    "call him on ١٢٣ ٤٥٦ ٧٨٩٠\n",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_find_what_every_window_finds(text: str) -> None:
    assert list(phi.findings(text)) == list(_unfiltered(text))


def test_each_kinds_head_is_in_every_match_of_its_expression() -> None:
    # A window is read with a kind's expression only when its head is found there.
    texts = [case.text for case in load()] + EDGES + NEAR_MISSES
    for kind, expression in phi.patterns().items():
        for text in texts:
            for match in expression.finditer(text):
                assert phi._head(kind).search(text, match.start(), match.end()), (kind, text)
                if kind == "name":  # and the longer head looked for until it is compiled
                    assert phi._NAME_HEAD().search(text, match.start(), match.end()), text


def test_the_account_head_holds_a_short_keyword_up_to_its_numbers_first_digit() -> None:
    """ "harm", "final", "finding" begin with an account keyword: the head asks for what the
    expression does up to the number's first digit, so a window of prose with a date in it
    does not compile and run the account expression, and a number as far from its keyword
    as the expression allows is still read."""
    indent = " " * 40
    farthest = f"FIN,   \r\n{indent}number   \r\n{indent}#:   \r\n{indent}abcd-abcde12345 on file\n"
    (match,) = phi.patterns()["account"].finditer(farthest)
    assert phi._head("account").search(farthest, match.start(), match.end())
    prose = "the harm events clustered where no final audit was held, 2026-03-04\n"
    assert phi._head("account").search(prose) is None
    assert phi._head("account").search("har 1234567") is not None


# A window is a chain of lines with hits, each at most two lines after the one before, with
# the line before the first and the line after the last; it is read with the kinds of all its
# hits. A name with its date in words ("2 March 1954") has no hit of its own: a date in
# figures in its chain opens it.
NAME_IN_WORDS = "  - Jones, Peter 2 March 1954 fell on the stairs\n"
WARD_EMAIL = "  - questions to the ward inbox, ward7@lakeland.example\n"


def test_a_name_is_read_with_the_kinds_of_every_hit_in_its_chain() -> None:
    # The date is two lines from the e-mail and the name on the line after it: one window.
    text = "log:\n  - 2026-01-05 falls audit started\n  - huddle moved\n" + WARD_EMAIL
    found = list(phi.findings(text + NAME_IN_WORDS))
    assert [(f.kind, f.masked) for f in found] == [("name", "*****, ***** * ***** ****")]
    # Three lines apart they are two windows, and the e-mail's is not read for names.
    text = text.replace("  - huddle moved\n", "  - huddle moved\n  - to the day room\n")
    assert list(phi.findings(text + NAME_IN_WORDS)) == []


def _dated_log(notes: dict[int, str], days: int = 40) -> str:
    """A log of dated entries, each with a note on the line after its date."""
    lines = ["log:\n"]
    for day in range(1, days + 1):
        lines.append(f"  - date: 2026-01-{day:02d}\n")
        lines.append(f"    note: {notes.get(day, 'checked')}\n")
    return "".join(lines)


def test_a_dated_log_with_another_trigger_in_it_is_read_as_one_window() -> None:
    # The e-mail near the top makes the whole log one window that is read; a phone number in
    # Arabic-Indic digits (outside ASCII, so read with every kind) near the end is found.
    phone = "call his mother on ١٢٣ ٤٥٦ ٧٨٩٠"
    text = _dated_log({3: WARD_EMAIL.strip(" -\n"), 30: phone})
    found = list(phi.findings(text))
    assert [(f.kind, f.start) for f in found] == [("phone", text.index("١٢٣"))]
    (window,) = phi._windows_to_read(text, phi._folded(text))
    assert window == (0, len(text) - 1, phi._BIT["email"] | phi._BIT["name"])
    # Two undated lines in the log end the chain: the dates after them are windows of their
    # own, with no name in them, not read.
    gap = text.replace("2026-01-20\n", "2026-01-20\n    seen: yes\n    by: the team\n")
    assert list(phi.findings(gap)) == []


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
@pytest.mark.parametrize("final", [True, False])
def test_hits_on_the_first_and_last_lines_open_their_windows(line_end: str, final: bool) -> None:
    name, date, plain = "Jones, Peter 2 March 1954 fell", "2026-01-05 review", "plain words"

    def text(*lines: str) -> str:
        return line_end.join(lines) + (line_end if final else "")

    for lines in [(name, date), (date, name), (plain, date, name), (name, date, plain)]:
        found = list(phi.findings(text(*lines)))
        assert [(f.kind, f.start) for f in found] == [("name", text(*lines).index("Jones"))]
    for lines in [(date, plain, name), (name, plain, date), (name, plain, plain, date)]:
        assert list(phi.findings(text(*lines))) == []


def _may_hold_a_candidate(text: str) -> list[tuple[int, int, int]]:
    """Every window, less those whose only hits are dates and that hold no name's part."""
    name = phi._BIT["name"]
    return [
        (start, end, kinds)
        for start, end, kinds in phi._windows(text)
        if kinds != name or phi._NAME_PART.search(text, start, end)
    ]


# Lines of each sort the chains are made of: none, a date (a name's hit), a name's part,
# another kind's hit, two hits of different kinds, and a name's part with a date.
LINES = [
    "",
    "plain words",
    "2026-01-05 review",
    "see Jones, Peter",
    "ward7@lakeland.example",
    "Mrs Okafor seen 02/03/2026",
    "Jones, Peter 02/03/1954",
]


def _small_texts() -> Iterator[str]:
    """Every text of up to four of the lines above, with each line end, with and without a
    final one."""
    for count in range(1, 5):
        for lines in itertools.product(LINES, repeat=count):
            for line_end in ("\n", "\r\n"):
                yield line_end.join(lines)
                yield line_end.join(lines) + line_end


def test_the_windows_read_are_every_window_that_may_hold_a_candidate() -> None:
    texts = [*_small_texts(), *EDGES, *NEAR_MISSES, *(case.text for case in load())]
    texts += [_dated_log({3: "ward7@lakeland.example", 30: "x, Ab"}), "é\n" + "2026-01-05\n" * 50]
    for text in texts:
        assert phi._windows_to_read(text, phi._folded(text)) == _may_hold_a_candidate(text), text
