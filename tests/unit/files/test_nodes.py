"""files/nodes: YAML text -> nodes -> plain data, with every value text until a schema reads it."""

from __future__ import annotations

import pytest
import yaml

from diffuse.files.nodes import LimitError, compose, convert_checked, plain_data, to_data
from diffuse.limits import Limits


def _data(text: str) -> object:
    (root,) = compose(text)
    converted = to_data("f.yaml", root)
    assert converted.problems == []
    return converted.data


def test_plain_scalars_stay_text_and_only_empty_tilde_or_null_are_null() -> None:
    text = "a: no\nb: 0123\nc: 2026-01-05\nd: 1e3\ne: ~\nf:\ng: null\nh: ''\ni: 'null'\n"
    assert _data(text) == {
        "a": "no",
        "b": "0123",
        "c": "2026-01-05",
        "d": "1e3",
        "e": None,
        "f": None,
        "g": None,
        "h": "",
        "i": "null",
    }


def test_a_duplicate_key_is_a_located_problem_and_the_first_value_is_kept() -> None:
    (root,) = compose("a: 1\nb: 2\na: 3\n")
    converted = to_data("f.yaml", root)
    assert converted.data == {"a": "1", "b": "2"}
    assert [(str(p.location), p.code) for p in converted.problems] == [
        ("f.yaml:3:1", "duplicate-key")
    ]


def test_every_repeat_of_a_key_names_the_line_of_the_first() -> None:
    """Each repeat, however many, points at the first key: not at the repeat before it, nor
    at a key that is not plain text standing between them."""
    (root,) = compose("x: 0\na: 1\n? [a]\n: 2\na: 3\n'a': 4\n")
    converted = to_data("f.yaml", root)
    assert converted.data == {"x": "0", "a": "1"}
    assert [(str(p.location), p.code, p.message[-23:]) for p in converted.problems] == [
        ("f.yaml:3:3", "bad-key", " key must be plain text"),
        ("f.yaml:5:1", "duplicate-key", "(first given on line 2)"),
        ("f.yaml:6:1", "duplicate-key", "(first given on line 2)"),
    ]


def test_a_non_standard_tag_is_refused_where_it_stands() -> None:
    (root,) = compose("safe: yes\nrun: !!python/object/apply:os.system [ls]\n")
    converted = to_data("f.yaml", root)
    assert converted.data["safe"] == "yes"
    assert [(str(p.location), p.code) for p in converted.problems] == [("f.yaml:2:6", "unsafe-tag")]


def test_aliases_that_expand_past_the_limit_are_refused() -> None:
    text = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    (root,) = compose(text)
    small = Limits(max_values=20)
    (problem,) = convert_checked("f.yaml", root, small).problems
    assert problem.code == "too-large"
    assert convert_checked("f.yaml", root).problems == []


def test_nesting_past_the_limit_is_refused_at_the_first_level_too_deep() -> None:
    (root,) = compose("a: [[[[x]]]]\n")
    (problem,) = convert_checked("f.yaml", root, Limits(max_depth=3)).problems
    assert (problem.code, problem.location.line, problem.location.col) == ("too-deep", 1, 7)


def test_a_document_too_deep_to_compose_is_refused_before_it_is_built() -> None:
    with pytest.raises(LimitError) as refused:
        compose("[" * 5000 + "]" * 5000)
    assert refused.value.code == "too-deep"


def test_plain_data_says_whether_a_text_is_one_good_document() -> None:
    assert plain_data("a: [1, 2]\n") == (True, {"a": ["1", "2"]})
    assert plain_data("a: [1\n") == (False, None)
    assert plain_data("a: 1\n---\nb: 2\n") == (False, None)


def test_composing_the_same_text_again_gives_the_same_nodes() -> None:
    # An edit checks its result, and its next step reads that text again: one parse.
    text = "a: [1, 2]\n"
    first, again = compose(text), compose(text)
    assert first == again and first[0] is again[0]
    first.clear()
    assert isinstance(compose(text)[0], yaml.MappingNode)


_LONG = "note: " + "x" * 300 + "\n"  # long enough to be measured against every limit below


@pytest.mark.parametrize(
    ("text", "limits"),
    [
        (
            _LONG
            + "a:\n"
            + "".join("  " * i + f"k{i}:\n" for i in range(1, 12))
            + "  " * 12
            + "v\n",
            Limits(10**6, 400, 5),
        ),
        (_LONG + "a: [" + "[" * 8 + "1" + "]" * 8 + "]\n", Limits(10**6, 400, 5)),
        (_LONG + "a: [" + ", ".join("1" for _ in range(60)) + "]\n", Limits(10**6, 50, 64)),
        (_LONG + "".join(f"k{i}: {{b: [c, d]}}\n" for i in range(30)), Limits(10**6, 90, 64)),
        (_LONG + "--- a\n--- [b, c]\n" * 20, Limits(10**6, 40, 64)),
        (_LONG + "a: 1\n" * 10 + "b: [\n", Limits(10**6, 400, 64)),
        (_LONG + "a: [" + ", ".join("1" for _ in range(60)) + "]\nb: [\n", Limits(10**6, 50, 64)),
    ],
)
def test_a_long_text_is_parsed_once_and_refused_at_the_same_place(
    text: str, limits: Limits
) -> None:
    """A long text with few enough values is composed first and its nodes counted (the
    others are measured first, as before); what it is refused for, and where, is what
    counting the parser's events finds."""
    from diffuse.files import nodes

    assert nodes.may_exceed(text, limits)

    def outcome(measure_first: bool) -> object:
        try:
            if measure_first:
                nodes._measure(text, limits)
            return len(compose(text, limits)) if not measure_first else "composed"
        except yaml.YAMLError as exc:
            mark = exc.problem_mark
            return type(exc).__name__, getattr(exc, "code", ""), exc.problem, mark and mark.line
        finally:
            nodes.forget()

    measured, composed = outcome(True), outcome(False)
    if measured == "composed":
        assert isinstance(composed, int)
    else:
        assert composed == measured


# Over a thousand brackets: more than the bound on nesting that counting them gives.
_BRACKETED = "".join(f"k{i}: [a, {{b: c}}]\n" for i in range(300))


@pytest.mark.parametrize(
    "tail",
    ["z: [[[[[[[1]]]]]]]\n", "z: [1, 2\n", "z: " + "[" * 1200 + "]" * 1200 + "\n", "z: ok\n"],
)
def test_a_text_of_many_brackets_is_composed_first_and_refused_at_the_same_place(
    tail: str,
) -> None:
    """Where the parser refuses nesting past a thousand levels (libyaml 0.2.6 on), no text
    can overflow the composer's stack, so one with many brackets is composed first too:
    too deep, broken or fine, the outcome is the one measuring it first gives."""
    from diffuse.files import nodes

    text, limits = _BRACKETED + tail, Limits(10**6, 10**5, 5)
    assert nodes.may_exceed(text, limits)
    assert nodes._few_enough(text, limits) == nodes._nesting_capped()

    def outcome(measure_first: bool) -> object:
        try:
            if measure_first:
                nodes._measure(text, limits)
            return len(compose(text, limits)) if not measure_first else "composed"
        except yaml.YAMLError as exc:
            mark = exc.problem_mark
            where = mark and (mark.line, mark.column)
            return type(exc).__name__, getattr(exc, "code", ""), exc.problem, where
        finally:
            nodes.forget()

    measured, composed = outcome(True), outcome(False)
    if measured == "composed":
        assert composed == 1
    else:
        assert composed == measured


def test_a_libyaml_release_taken_at_its_word_answers_as_asking_it_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A release known to cap nesting is not asked; asking it must give the same answer.
    Any other release is asked."""
    from diffuse.files import nodes

    if nodes._Base is yaml.SafeLoader:
        pytest.skip("PyYAML without libyaml: nothing caps nesting")
    asked = nodes._refuses_deep_nesting()
    if nodes._libyaml_release() in nodes._CAPPED_RELEASES:
        assert asked and nodes._nesting_capped.__wrapped__()
    monkeypatch.setattr(nodes, "_libyaml_release", lambda: "0.1.0")
    assert nodes._nesting_capped.__wrapped__() == asked
