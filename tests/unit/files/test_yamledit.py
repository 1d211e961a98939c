from __future__ import annotations

import datetime
import difflib
import enum
import json
import random
import string
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffuse.files import yamledit
from diffuse.files.nodes import plain_data
from diffuse.files.yamledit import (
    EditError,
    Path,
    Scalar,
    append_item,
    as_read,
    render_scalar,
    set_value,
    set_values,
)

SAMPLE = """\
# Hand hygiene rollout, kept by the infection control team
practice: hand-hygiene   # short name
owner: "Dr. Martin"
sites:
  rst:
    status: plan  # since March
    contact: j.doe
  brs:
    status: live

    # notes about Brest follow
history:
  - from: plan
    to: execute
    when: 2026-01-10
# end of file
"""


def changes(before: str, after: str) -> list[tuple[list[str], list[str]]]:
    """Groups of (removed lines, added lines) between two texts, line ends included."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return [
        (old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


# --- set_value: existing scalars ---


def test_replacing_a_scalar_changes_only_its_line_and_keeps_the_comment() -> None:
    result = set_value(SAMPLE, ("sites", "rst", "status"), "live")

    assert changes(SAMPLE, result) == [
        (["    status: plan  # since March\n"], ["    status: live  # since March\n"])
    ]


def test_setting_the_current_value_keeps_the_original_quoting() -> None:
    assert set_value(SAMPLE, ("owner",), "Dr. Martin") == SAMPLE
    assert set_value(SAMPLE, ("history", 0, "when"), datetime.date(2026, 1, 10)) == SAMPLE


def test_values_that_need_quoting_are_quoted() -> None:
    result = set_value(SAMPLE, ("practice",), "yes")

    assert changes(SAMPLE, result) == [
        (["practice: hand-hygiene   # short name\n"], ['practice: "yes"   # short name\n'])
    ]
    assert yaml.safe_load(result)["practice"] == "yes"


def test_item_of_a_list_can_be_edited_by_index() -> None:
    result = set_value(SAMPLE, ("history", 0, "to"), "done")

    assert changes(SAMPLE, result) == [(["    to: execute\n"], ["    to: done\n"])]


def test_empty_value_gets_a_space_before_the_new_value() -> None:
    text = "a:\nb:  # to fill in\nc: 1\n"

    assert set_value(text, ("b",), 5) == "a:\nb: 5  # to fill in\nc: 1\n"


def test_block_scalar_is_replaced_whole_and_multiline_value_is_double_quoted() -> None:
    text = "note: |  # free text\n  first line\n  second line\n\nnext: 1\n"

    result = set_value(text, ("note",), "one\ntwo")

    assert result == 'note: "one\\ntwo"  # free text\n\nnext: 1\n'


def test_folded_plain_scalar_is_replaced_whole() -> None:
    text = "note: a long\n  plain text\nnext: 1\n"

    assert set_value(text, ("note",), "short") == "note: short\nnext: 1\n"


def test_scalar_inside_a_flow_list_is_quoted_for_flow_context() -> None:
    text = "codes: [a, b]  # two\n"

    assert set_value(text, ("codes", 1), "c, d") == 'codes: [a, "c, d"]  # two\n'


class Status(enum.StrEnum):
    LIVE = "live"


def test_enum_values_are_written_as_their_plain_value() -> None:
    assert set_value("status: plan\n", ("status",), Status.LIVE) == "status: live\n"
    assert append_item("log: []\n", ("log",), {"to": Status.LIVE}) == "log:\n  - to: live\n"


def test_file_without_trailing_newline_stays_without_one() -> None:
    assert set_value("a: 1\nb: 2", ("b",), 3) == "a: 1\nb: 3"
    assert set_value("a: 1\nb: 2", ("c",), 3) == "a: 1\nb: 2\nc: 3"


# --- set_value: missing keys ---


def test_missing_key_goes_after_the_last_entry_of_its_mapping() -> None:
    result = set_value(SAMPLE, ("sites", "rst", "lead"), "Dr. Rivière")

    assert changes(SAMPLE, result) == [([], ["    lead: Dr. Rivière\n"])]
    assert result.splitlines()[6:9] == [
        "    contact: j.doe",
        "    lead: Dr. Rivière",
        "  brs:",
    ]


def test_missing_key_goes_before_blank_lines_and_comments_that_follow() -> None:
    result = set_value(SAMPLE, ("sites", "brs", "since"), datetime.date(2026, 1, 31))

    assert result.splitlines()[8:12] == [
        "    status: live",
        "    since: 2026-01-31",
        "",
        "    # notes about Brest follow",
    ]


def test_missing_top_level_key_goes_after_the_last_entry() -> None:
    result = set_value(SAMPLE, ("reviewed",), True)

    assert result == SAMPLE.replace(
        "    when: 2026-01-10\n", "    when: 2026-01-10\nreviewed: true\n"
    )


def test_missing_intermediate_mappings_are_created() -> None:
    result = set_value(SAMPLE, ("sites", "qmp", "status"), "live")

    assert changes(SAMPLE, result) == [([], ["  qmp:\n", "    status: live\n"])]
    assert yaml.safe_load(result)["sites"]["qmp"] == {"status": "live"}


def test_null_and_empty_mapping_become_nested_mappings() -> None:
    assert (
        set_value("sites:  # none yet\n", ("sites", "rst"), 1) == "sites:  # none yet\n  rst: 1\n"
    )
    assert set_value("sites: {}\nx: 1\n", ("sites", "rst"), 1) == "sites:\n  rst: 1\nx: 1\n"


def test_four_space_indentation_is_followed() -> None:
    text = "sites:\n    rst:\n        status: plan\n"

    result = set_value(text, ("sites", "brs", "status"), "live")

    assert result == text + "    brs:\n        status: live\n"


def test_empty_document_gets_its_first_key() -> None:
    assert set_value("", ("a", "b"), 1) == "a:\n  b: 1\n"
    assert set_value("# nothing yet", ("a",), 1) == "# nothing yet\na: 1\n"


# --- line ends and BOM ---


def test_crlf_file_keeps_crlf_everywhere() -> None:
    crlf = SAMPLE.replace("\n", "\r\n")

    result = set_value(crlf, ("sites", "rst", "status"), "live")
    result = set_value(result, ("sites", "qmp", "status"), "plan")
    result = append_item(result, ("history",), {"from": "execute", "to": "done"})

    expected = set_value(SAMPLE, ("sites", "rst", "status"), "live")
    expected = set_value(expected, ("sites", "qmp", "status"), "plan")
    expected = append_item(expected, ("history",), {"from": "execute", "to": "done"})
    assert result == expected.replace("\n", "\r\n")
    assert result.count("\n") == result.count("\r\n")


def test_bom_is_kept() -> None:
    text = "\ufeff" + SAMPLE

    replaced = set_value(text, ("sites", "rst", "status"), "live")
    inserted = set_value(text, ("sites", "rst", "lead"), "x")

    assert replaced == "\ufeff" + set_value(SAMPLE, ("sites", "rst", "status"), "live")
    assert inserted == "\ufeff" + set_value(SAMPLE, ("sites", "rst", "lead"), "x")


# --- refusals ---


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        (SAMPLE, ("sites",), "is a mapping (line 4)"),
        (SAMPLE, ("history",), "is a list"),
        (SAMPLE, ("practice", "name"), "is a single value (line 2)"),
        (SAMPLE, ("history", 3, "to"), "has 1 items"),
        ("x: [1]\n", ("x", 0, "y"), "cannot go into it"),
    ],
)
def test_unsafe_edits_raise(text: str, path: Path, fragment: str) -> None:
    with pytest.raises(EditError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        set_value(text, path, "x")


def test_editing_an_anchored_value_is_refused() -> None:
    with pytest.raises(EditError) as caught:
        set_value("base: &b 1\ncopy: *b\n", ("base",), 2)
    assert caught.value.message == (
        "'base' at line 1 is anchored (&) and used again elsewhere through an alias (*), so "
        "an edit here would change every place that shares it; write each copy out in "
        "full, then run the command again"
    )


ALIASED = "sites:\n  nor: &row\n    status: live\n  sea: *row\n"


def test_editing_through_an_alias_is_refused_and_names_the_anchor() -> None:
    with pytest.raises(EditError) as caught:
        set_value(ALIASED, ("sites", "sea", "status"), "planning")
    assert caught.value.message == (
        "'sites.sea' is an alias (*) of the value written at line 2, so an edit "
        "here would change every place that shares it; write each copy out in full, then "
        "run the command again"
    )
    with pytest.raises(EditError, match="anchored"):
        append_item(ALIASED, ("sites", "nor", "barriers"), {"text": "x"})


def test_a_merge_key_is_overridden_in_the_row_named() -> None:
    text = "base: &b {status: live}\nsites:\n  sea: {<<: *b, health: on-track}\n"
    result = set_value(text, ("sites", "sea", "status"), "planning")
    assert result.splitlines()[2] == "  sea: {<<: *b, health: on-track, status: planning}"


FLOW = (
    "metrics:\n  - {id: m, values: []}  # kept\n"
    "  - {id: n, values: [{date: 2020-01-01, value: 1}]}\n"
)


def test_flow_collections_are_edited_in_flow_style() -> None:
    first = append_item(FLOW, ("metrics", 0, "values"), {"value": 2})
    assert first.splitlines()[1] == "  - {id: m, values: [{value: 2}]}  # kept"
    second = append_item(FLOW, ("metrics", 1, "values"), {"value": 2})
    assert (
        second.splitlines()[2] == "  - {id: n, values: [{date: 2020-01-01, value: 1}, {value: 2}]}"
    )
    named = set_value(FLOW, ("metrics", 0, "name"), "a, b")
    assert named.splitlines()[1] == '  - {id: m, values: [], name: "a, b"}  # kept'
    nested = set_value("sites: {rst: 1}\n", ("sites", "brs", "lead"), "x")
    assert nested == "sites: {rst: 1, brs: {lead: x}}\n"
    created = append_item("m: {a: 1}\n", ("m", "v"), {"k": 1})
    assert created == "m: {a: 1, v: [{k: 1}]}\n"


def test_wrong_result_is_caught_by_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamledit, "_render", lambda value, flow: "999")

    with pytest.raises(EditError, match="internal: edit verification failed"):
        set_value(SAMPLE, ("practice",), "other")


def test_unparsable_input_raises_edit_error() -> None:
    with pytest.raises(EditError, match="cannot parse"):
        set_value("a: [1\n", ("a",), 1)


# --- append_item ---


def test_append_to_existing_history() -> None:
    result = append_item(SAMPLE, ("history",), {"from": "execute", "to": "done"})

    assert changes(SAMPLE, result) == [([], ["  - from: execute\n", "    to: done\n"])]
    assert result.endswith("    when: 2026-01-10\n  - from: execute\n    to: done\n# end of file\n")


def test_append_follows_unindented_dashes_and_wide_spacing() -> None:
    text = "history:\n-   from: plan\n    to: execute\nother: 1\n"

    result = append_item(text, ("history",), {"from": "execute", "to": "done"})

    assert result == (
        "history:\n-   from: plan\n    to: execute\n-   from: execute\n    to: done\nother: 1\n"
    )


def test_append_creates_the_list_under_a_new_key() -> None:
    result = append_item(SAMPLE, ("sites", "rst", "history"), {"from": "plan", "to": "yes"})

    assert changes(SAMPLE, result) == [
        ([], ["    history:\n", "      - from: plan\n", '        to: "yes"\n'])
    ]


def test_append_uses_the_files_list_style_for_new_lists() -> None:
    text = "a:\n  log:\n  - x: 1\n  other: 2\n"

    result = append_item(text, ("b",), {"x": 1})

    assert result == text + "b:\n- x: 1\n"


@pytest.mark.parametrize("empty", ["[]", "", "~", "null  # nothing yet"])
def test_append_replaces_an_empty_value(empty: str) -> None:
    text = f"name: x\nhistory: {empty}\nnext: 1\n".replace(": \n", ":\n")

    result = append_item(text, ("history",), {"from": "plan", "to": "execute"})

    head = "history:  # nothing yet" if "#" in empty else "history:"
    assert result == f"name: x\n{head}\n  - from: plan\n    to: execute\nnext: 1\n"


def test_append_to_non_empty_flow_list_stays_in_flow_style() -> None:
    text = "name: x\nhistory: [{from: plan, to: execute}]  # moves\n"

    result = append_item(text, ("history",), {"from": "execute"})

    assert result == "name: x\nhistory: [{from: plan, to: execute}, {from: execute}]  # moves\n"


def test_append_to_a_scalar_is_refused() -> None:
    with pytest.raises(EditError, match="expected a list"):
        append_item(SAMPLE, ("practice",), {"a": 1})


# --- render_scalar ---


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (42, "42"),
        (-7, "-7"),
        (1.5, "1.5"),
        (1e16, "1.0e+16"),
        (float("inf"), ".inf"),
        (datetime.date(2026, 1, 31), "2026-01-31"),
        ("live", "live"),
        ("hand hygiene", "hand hygiene"),
        ("Dr. Rivière", "Dr. Rivière"),
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("on", '"on"'),
        ("0123", '"0123"'),
        ("1e3", '"1e3"'),
        ("12", '"12"'),
        ("3.5", '"3.5"'),
        ("2020-01-01", '"2020-01-01"'),
        ("~", '"~"'),
        ("null", '"null"'),
        ("", '""'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        ("- item", '"- item"'),
        ("*ref", '"*ref"'),
        (" padded", '" padded"'),
        ("two\nlines", '"two\\nlines"'),
        ('say "hi"', 'say "hi"'),
        ("\u2028", '"\\u2028"'),
    ],
)
def test_render_scalar(value: Scalar, expected: str) -> None:
    assert render_scalar(value) == expected
    assert yaml.safe_load(f"k: {expected}") == {"k": value}


# --- property: edits touch only their own line ---

KEYS = st.text(alphabet="abcdefghij_", min_size=1, max_size=5)
TEXTS = st.text(alphabet=string.ascii_letters + string.digits + " -._:#'\"", max_size=10)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 10**6),
    st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 1, 1)),
    TEXTS,
)
NEW_VALUES = st.one_of(SCALARS, st.floats(allow_nan=False), st.text(max_size=8))
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def mappings(depth: int) -> st.SearchStrategy[dict[str, Any]]:
    if depth == 0:
        return st.dictionaries(KEYS, SCALARS, min_size=1, max_size=4)
    inner = mappings(depth - 1)
    values = st.one_of(SCALARS, SCALARS, inner, st.lists(inner, min_size=1, max_size=3))
    return st.dictionaries(KEYS, values, min_size=1, max_size=4)


TREES = mappings(2)


class Writer:
    """Writes a tree as hand-kept YAML: varied quoting, comments and blank lines."""

    def __init__(self, rnd: random.Random, step: int, dash_offset: int) -> None:
        self.rnd, self.step, self.dash_offset = rnd, step, dash_offset

    def mapping(self, tree: dict[str, Any], column: int, first: str | None = None) -> list[str]:
        lines: list[str] = []
        for index, (key, value) in enumerate(tree.items()):
            lead = first if index == 0 and first is not None else " " * column
            if lead == " " * column and self.rnd.random() < 0.2:
                lines.append(" " * self.rnd.choice([0, column]) + "# remark")
            lines.extend(self.entry(lead, key, value, column))
            if self.rnd.random() < 0.15:
                lines.append("")
        return lines

    def entry(self, lead: str, key: str, value: Any, column: int) -> list[str]:
        comment = self.rnd.choice(["", "", "  # note"])
        if isinstance(value, dict):
            return [f"{lead}{key}:{comment}", *self.mapping(value, column + self.step)]
        if isinstance(value, list):
            dash = column + self.dash_offset
            items = [self.mapping(item, dash + 2, " " * dash + "- ") for item in value]
            return [f"{lead}{key}:{comment}", *(line for item in items for line in item)]
        text = self.scalar(value)
        return [f"{lead}{key}:{' ' if text else ''}{text}{comment}"]

    def scalar(self, value: Scalar) -> str:
        if value is None:
            return self.rnd.choice(["null", "~", ""])
        if isinstance(value, bool):
            return self.rnd.choice([["false", "False", "no"], ["true", "True", "yes"]][value])
        if isinstance(value, (int, datetime.date)):
            return str(value)
        assert isinstance(value, str)
        styles = ["'" + value.replace("'", "''") + "'", json.dumps(value)]
        if plain_safe(value):
            styles.append(value)
        return self.rnd.choice(styles)


def plain_safe(text: str) -> bool:
    if not text or text != text.strip() or text[0] in "-?:,[]{}#&*!|>'\"%@`":
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    return bool(yaml.load(f"k: {text}", Loader=LOADER) == {"k": text})


def scalar_paths(tree: Any, prefix: Path = ()) -> list[tuple[Path, Any]]:
    if isinstance(tree, dict):
        return [p for key, value in tree.items() for p in scalar_paths(value, (*prefix, key))]
    if isinstance(tree, list):
        return [p for index, item in enumerate(tree) for p in scalar_paths(item, (*prefix, index))]
    return [(prefix, tree)]


def test_set_values_gives_what_setting_one_by_one_gives() -> None:
    text = "sites:\n  nor:\n    status: planning  # since May\n    health: on-track\nother: 1\n"
    changes: dict[Path, Scalar] = {
        ("sites", "nor", "status"): "live",
        ("sites", "nor", "health"): "at-risk",
        ("sites", "nor", "updated"): datetime.date(2026, 5, 2),
        ("other",): 1,
    }
    one_by_one = text
    for path, value in changes.items():
        one_by_one = set_value(one_by_one, path, value)
    assert set_values(text, changes) == one_by_one
    assert one_by_one == (
        "sites:\n  nor:\n    status: live  # since May\n    health: at-risk\n"
        "    updated: 2026-05-02\nother: 1\n"
    )
    assert set_values(one_by_one, changes) == one_by_one


def read_as_diffuse(text: str, path: Path) -> Any:
    ok, data = plain_data(text.removeprefix("\ufeff"))
    assert ok
    for step in path:
        data = data[step]
    return data


def test_an_edit_reads_the_file_as_diffuse_does() -> None:
    text = "code: 0123\nflag: yes\nwhen: 2026-01-05\n"
    assert set_value(text, ("code",), "0123") == text
    assert set_value(text, ("flag",), "yes") == text
    assert set_value(text, ("when",), datetime.date(2026, 1, 5)) == text
    assert set_value(text, ("flag",), True) == "code: 0123\nflag: true\nwhen: 2026-01-05\n"


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.data())
def test_edits_change_only_the_edited_line(data: st.DataObject) -> None:
    tree = data.draw(TREES, label="tree")
    step = data.draw(st.sampled_from([2, 4]))
    dash_offset = data.draw(st.sampled_from([0, step]))
    writer = Writer(data.draw(st.randoms(use_true_random=False)), step, dash_offset)
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    bom = data.draw(st.sampled_from(["", "\ufeff"]))
    text = bom + "".join(line + newline for line in writer.mapping(tree, 0))
    assert yaml.load(text, Loader=LOADER) == tree

    path, old = data.draw(st.sampled_from(scalar_paths(tree)), label="target")
    # diffuse reads plain scalars as text: `no` stays "no", and setting False writes `false`.
    shown = read_as_diffuse(text, path)
    if shown == as_read(old):
        assert set_value(text, path, old) == text

    new = data.draw(NEW_VALUES.filter(lambda v: as_read(v) != shown), label="new")
    result = set_value(text, path, new)
    before, after = text.splitlines(keepends=True), result.splitlines(keepends=True)
    assert len(before) == len(after)
    assert sum(b != a for b, a in zip(before, after, strict=True)) == 1
    assert result.count("\r\n") == text.count("\r\n")
    assert result.startswith(bom)


def test_a_list_item_that_is_an_alias_is_refused_and_so_is_its_anchor() -> None:
    text = "a:\n  - &x {v: 1}\n  - *x\n"
    with pytest.raises(
        EditError, match=r"^'a\[1\]' is an alias \(\*\) of the value written at line 2"
    ):
        set_value(text, ("a", 1, "v"), 2)
    with pytest.raises(EditError, match=r"^'a\[0\]' at line 2 is anchored"):
        set_value(text, ("a", 0, "v"), 2)


REMOVE = """\
people:   # everyone
  - id: a   # first
    name: A
    # about a
  - id: b
    name: B
  # the end of the list
bodies:
  - {id: x, members: [a, b, c]}
  - id: y
    members:
      - a   # only one
sites:
  main:   # the pilot
    status: live
"""


@pytest.mark.parametrize(
    ("path", "gone", "added"),
    [
        (("people", 0), ["  - id: a   # first", "    name: A", "    # about a"], []),
        (("people", 1), ["  - id: b", "    name: B"], []),
        (("bodies", 0, "members", 0), ["  - {id: x, members: [a, b, c]}"],
         ["  - {id: x, members: [b, c]}"]),
        (("bodies", 0, "members", 2), ["  - {id: x, members: [a, b, c]}"],
         ["  - {id: x, members: [a, b]}"]),
        (("bodies", 1, "members", 0), ["    members:", "      - a   # only one"],
         ["    members: []"]),
    ],
)  # fmt: skip
def test_remove_item_takes_only_the_items_lines(
    path: tuple[str | int, ...], gone: list[str], added: list[str]
) -> None:
    after = yamledit.remove_item(REMOVE, path)
    diff = difflib.unified_diff(REMOVE.splitlines(), after.splitlines(), lineterm="", n=0)
    lines = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert lines == [f"-{line}" for line in gone] + [f"+{line}" for line in added]
    assert "# the end of the list" in after and "# everyone" in after


def test_remove_item_refuses_what_is_not_a_list_item() -> None:
    with pytest.raises(yamledit.EditError):
        yamledit.remove_item(REMOVE, ("sites", "main"))
    with pytest.raises(yamledit.EditError):
        yamledit.remove_item(REMOVE, ("people", 5))


def test_rename_key_keeps_its_value_and_comment() -> None:
    after = yamledit.rename_key(REMOVE, ("sites", "main"), "central")
    assert "  central:   # the pilot\n    status: live\n" in after
    with pytest.raises(yamledit.EditError):
        yamledit.rename_key(REMOVE, ("bodies",), "people")
