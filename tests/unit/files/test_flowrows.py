"""files/flowrows and nodes.read: one-line list rows read before the parser, and the data
and problems always those of the text as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from diffuse.files import flowrows, nodes
from diffuse.files.loading import document_from_text, validate
from diffuse.files.phi import patient_data
from diffuse.limits import DEFAULT_LIMITS, Limits
from diffuse.models import Organisation

ROWS = """\
metric:
  values:  # monthly
    - {date: 2024-11-01, site: lmc, numerator: 22280, denominator: 89178}
    - {date: 2024-12-01 ,site:  hbe, numerator: -1.5}   # late
    - { date: 2025-01-01, period: null }
  note: done
"""


def _as_written(text: str, limits: Limits) -> Any:
    """The text's data and problems as the parser reads it, or the error it raises."""
    try:
        documents = nodes.compose(text, limits)
    except (yaml.YAMLError, RecursionError) as exc:
        return type(exc).__name__, str(exc)
    if len(documents) != 1:
        return len(documents)
    return _shown(nodes.convert_checked("f.yaml", documents[0], limits, "*" in text))


def _read(text: str, limits: Limits) -> Any:
    """The same from `nodes.read`, spliced where it can be."""
    nodes.forget()  # a text composed as written already is not spliced
    try:
        reading = nodes.read(text, "f.yaml", limits)
    except (yaml.YAMLError, RecursionError) as exc:
        return type(exc).__name__, str(exc)
    finally:
        nodes.forget()
    if reading.converted is None:
        return len(reading.documents)
    return _shown(reading.converted)


def _shown(converted: nodes.Converted) -> Any:
    return converted.data, [(str(p.location), p.code, p.message) for p in converted.problems]


def test_rows_are_read_without_the_parser_and_every_other_character_keeps_its_place() -> None:
    spliced = flowrows.splice(ROWS)
    assert spliced is not None
    assert len(spliced.text) == len(ROWS)
    lines = ROWS.split("\n")
    assert spliced.text.split("\n")[:2] == lines[:2] and spliced.text.split("\n")[5] == lines[5]
    row = "{date: 2024-12-01 ,site:  hbe, numerator: -1.5}"
    assert spliced.text.split("\n")[3] == lines[3].replace(row, "{}" + " " * (len(row) - 2))
    assert spliced.rows == {
        (2, 6): {"date": "2024-11-01", "site": "lmc", "numerator": "22280", "denominator": "89178"},
        (3, 6): {"date": "2024-12-01", "site": "hbe", "numerator": "-1.5"},
        (4, 6): {"date": "2025-01-01", "period": None},
    }
    reading = nodes.read(ROWS, "f.yaml")
    assert reading.spliced and reading.converted is not None
    assert _shown(reading.converted) == _as_written(ROWS, DEFAULT_LIMITS)


def test_crlf_lines_are_spliced_and_other_line_breaks_are_left_to_the_parser() -> None:
    crlf = ROWS.replace("\n", "\r\n")
    spliced = flowrows.splice(crlf)
    assert spliced is not None and len(spliced.rows) == 3
    assert _read(crlf, DEFAULT_LIMITS) == _as_written(crlf, DEFAULT_LIMITS)
    # A lone CR, NEL, LS or PS ends a line for the parser, not for a count of '\n'.
    for other in ("\r", "\x85", "\u2028", "\u2029"):
        text = f"# a{other}b\n" + ROWS
        assert flowrows.splice(text) is None
        assert _read(text, DEFAULT_LIMITS) == _as_written(text, DEFAULT_LIMITS)


@pytest.mark.parametrize(
    "text",
    [
        # In a block of text, a quoted value or a plain value's next line: no mapping there.
        "notes: |\n  - {a: b}\n  - {c: d}\n",
        'note: "first\n  - {a: b}\n  end"\n',
        "note: first\n  - {a: b}\n",
        "note: >\n  - {a: b}\n",
        # Followed on its line by something the `{}` would not be followed by.
        "- {a: b}#c\n",
        "- {a: b}: c\n",
        "- {a: b}, {c: d}\n",
        # Inside a flow collection, where '- ' is refused, and a row that does not end its line.
        "x: [\n  - {a: b}\n]\n",
        "- {a: b} x\n",
    ],
)
def test_a_row_the_parser_would_not_read_as_a_mapping_there_is_read_as_written(
    text: str,
) -> None:
    assert _read(text, DEFAULT_LIMITS) == _as_written(text, DEFAULT_LIMITS)


@pytest.mark.parametrize(
    "row",
    [
        '- {"gate": close}',  # another spelling of a key: quoted
        "- {gate: close, gate: open}",  # the same key twice
        "- {gаte: close}",  # a Cyrillic 'а'
        "- {gate: !!str close}",
        "- {gate: &x close}",
        "- {<<: {gate: close}}",
        "- {gate: close, }",
        "- {gate:close}",
        "- {gate\t: close}",
        "- {gate: 'close'}",
        "- {gate: ~}",
        "- {gate: =}",
        "- {gate: -}",
        "- {gate: .5}",
        "- {gate: close\n   , by: ann}",  # the same row over two lines
    ],
)
def test_a_row_in_any_other_spelling_is_left_to_the_parser(row: str) -> None:
    text = f"approvals:\n  - {{gate: start, by: ann}}\n  {row}\n"
    spliced = flowrows.splice(text)
    assert spliced is not None and list(spliced.rows) == [(1, 4)]
    assert _read(text, DEFAULT_LIMITS) == _as_written(text, DEFAULT_LIMITS)


def test_the_same_key_twice_in_a_row_is_the_parsers_located_problem() -> None:
    text = "approvals:\n  - {gate: close, by: ann, gate: start}\n"
    converted = nodes.read(text, "f.yaml").converted
    assert converted is not None
    assert [(str(p.location), p.code) for p in converted.problems] == [
        ("f.yaml:2:28", "duplicate-key")
    ]
    assert converted.data == {"approvals": [{"gate": "close", "by": "ann"}]}


def test_an_alias_anywhere_leaves_the_text_to_the_parser() -> None:
    # Its values are counted with every alias expanded, rows included.
    text = "a: &x [1]\nb: *x\nrows:\n  - {a: b}\n"
    assert flowrows.splice(text) is None
    assert not nodes.read(text).spliced


def test_a_row_at_the_depth_limit_reports_as_written() -> None:
    text = "a:\n  b:\n    - {c: d}\n"
    for depth in range(1, 5):
        limits = Limits(max_depth=depth)
        assert _read(text, limits) == _as_written(text, limits), depth
    assert _read(text, Limits(max_depth=2))[1] == [
        ("f.yaml:3:7", "too-deep", nodes.too_deep(Limits(max_depth=2)))
    ]


def test_a_row_over_the_value_limit_reports_as_written() -> None:
    text = "rows:\n" + "".join(f"  - {{a: {i}, b: {i}}}\n" for i in range(30))
    for values in (40, 100, 200):
        limits = Limits(max_values=values)
        assert _read(text, limits) == _as_written(text, limits), values


def test_a_problem_in_a_row_is_placed_in_the_file_as_written() -> None:
    text = (
        "name: T\nsettings:\n  target_months: 6\nsites:\n"
        "  - {id: nor, name: North, colour: red}\npeople: []\nbodies: []\n"
    )
    doc = document_from_text(Path("organisation.yaml"), text)
    assert doc.node is None and doc.released  # read spliced; the tree is composed when asked
    assert validate(doc, Organisation) is None
    assert [(str(p.location), p.code) for p in doc.problems] == [
        ("organisation.yaml:5:28", "unknown-field")
    ]


def test_patient_data_in_a_row_is_placed_at_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "metric:\n  values:\n    - {date: 2024-01-01, site: lmc, ssn: 123-45-6789}\n"
    spliced = document_from_text(Path("p.yaml"), text)
    assert spliced.released
    found = [(str(p.location), p.code, p.message) for p in patient_data(spliced)]
    assert found and found[0][:2] == ("p.yaml:3:37", "patient-data")
    assert found[0][2].startswith("metric.values.0.ssn: ")
    monkeypatch.setattr(nodes, "splice", lambda text: None)
    nodes.forget()
    written = document_from_text(Path("p.yaml"), text)
    assert not written.released
    assert [(str(p.location), p.code, p.message) for p in patient_data(written)] == found


def test_a_text_composed_as_written_already_is_not_spliced_again() -> None:
    nodes.forget()
    nodes.compose(ROWS)
    assert not nodes.read(ROWS).spliced
    nodes.forget()
    assert nodes.read(ROWS).spliced


def test_every_project_of_the_demo_is_read_spliced_and_as_written() -> None:
    root = Path(__file__).resolve().parents[3]
    spliced = 0
    for path in sorted((root / "projects").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        nodes.forget()
        reading = nodes.read(text, path)
        spliced += reading.spliced
        assert reading.converted is not None
        assert _shown(reading.converted) == _as_written(text, DEFAULT_LIMITS)
    assert spliced >= 5


# Pieces of rows and of the lines around them, many of them what YAML reads otherwise.
_KEYS = ("date", "site", "a_b", "x1", "null", '"date"', "'q'", "<<", "? k", "dàte", "-", "")
_VALUES = (
    *("2024-11-01", "lmc", "22280", "-1.5", "null", "Null", "NULL", "a.b_c-d", "0x1F", "yes"),
    *("~", "", "a b", "1:2", "a: b", "x,y", "'q'", '"q"', "*a", "&a x", "!!str s", "#c", "-"),
    *("-x", ".5", "é", "[1]", "{}", "%", "@x", "|", ">", "a #c", "a#c", "\t1"),
)
_SPACES = ("", " ", "  ")
_ROW = st.builds(
    lambda pairs, space, sep, end: (
        "{" + space + sep.join(f"{k}:{s}{v}" for k, s, v in pairs) + space + "}" + end
    ),
    st.lists(
        st.tuples(st.sampled_from(_KEYS), st.sampled_from(_SPACES), st.sampled_from(_VALUES)),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(_SPACES),
    st.sampled_from((", ", ",", " , ", ",  ")),
    st.sampled_from(("", "  ", " # c", "# c", "\t", " x", ": v", ",")),
)
_LINE = st.one_of(
    st.builds(
        lambda lead, row: lead + row, st.sampled_from(("- ", "-  ", "key: ", "? ", "- - ")), _ROW
    ),
    st.sampled_from(
        (
            "values:",
            "notes: |",
            "notes: >-",
            'note: "open',
            "note: 'open",
            "  text",
            "---",
            "...",
            "x: &a [1]",
            "y: *a",
            "- [",
            "]",
            "? k",
            ": v",
            "key: value",
            "- plain",
            "\tbad",
            "- ",
            "#",
            "- {",
            "}",
            "k: [a, {b: c}]",
            "%YAML 1.1",
            "- !!map {a: b}",
        )
    ),
)
_INDENT = st.sampled_from(("", "  ", "    ", "      ", " "))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(_INDENT, _LINE), min_size=1, max_size=10),
    st.sampled_from(("\n", "\r\n")),
    st.sampled_from((DEFAULT_LIMITS, Limits(max_depth=3), Limits(max_values=12))),
)
def test_any_text_reads_as_written(lines: list[tuple[str, str]], end: str, limits: Limits) -> None:
    text = end.join(indent + line for indent, line in lines) + end
    assert _read(text, limits) == _as_written(text, limits)


@pytest.mark.parametrize("key", _KEYS)
def test_every_key_and_value_alone_in_a_row_reads_as_written(key: str) -> None:
    for value in _VALUES:
        for text in (f"rows:\n  - {{{key}: {value}}}\n", f"- {{a: 1, {key}: {value}}}\n"):
            assert _read(text, DEFAULT_LIMITS) == _as_written(text, DEFAULT_LIMITS), text
