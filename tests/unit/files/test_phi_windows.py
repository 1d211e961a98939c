"""Reading each window with only the expressions of the kinds its triggers may start finds
exactly what reading it with every expression would."""

from __future__ import annotations

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
