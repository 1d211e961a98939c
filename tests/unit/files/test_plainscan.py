"""The line scanner gives what a YAML read gives, or leaves the text to YAML."""

from __future__ import annotations

import random
from typing import Any

import pytest

from diffuse.files.nodes import plain_data
from diffuse.files.plainscan import scan

SIMPLE = [
    "phase: execute\n",
    "status:\n",
    "  s01:\n    status: live\n    health: on-track\n    updated: 2020-01-01\n",
    "  - {gate: plan, body: cpc, by: p2, date: 2020-01-01}\n",
    "  - body: cpc\n    by: ada\n\n    # why\n    reason: it's done, (mostly)\n",
    "vetted_by: [s01, s02]\nevidence: []\nroles: {}\n",
    "a:\n  - x\n  -   y: 1\n      z:\n        q: null\n  - [Null, NULL, n]\n",
    "# top\nkey: a  b  \nother: yes\nno: 0123\nnum: 1e3\nday: 2026-01-01\n",
    "sites:\n    nor:\n        status: live\n    sou: {status: planning, health: at-risk}\n",
    "- a\n- b: c\n  d: e\n-  f\n",
    "k: a - b\nl: x/y@z+w;v.u\nm:         far\n",
    "link: https://x.org/a?b=c&d=%20#top\nat: 10:30\nodd: a:b::c#d\\e\"f'g{h}[i]*j!k|l>m\n",
    "- /path/to x\n",
]

# Each is valid YAML (or an error YAML reports) that the scanner must leave alone.
NOT_SIMPLE = [
    "a: 'quoted'\n",
    'a: "quoted"\n',
    "a: &x v\nb: *x\n",
    "a: !!str v\n",
    "a: |\n  block\n",
    "a: >\n  folded\n",
    "a: b\n  continued\n",
    "a: b # comment\n",
    "a:\tb\n",
    "a: b\r\n",
    "a: caf\u00e9\n",
    "a: b\nc\n",
    "a: 1\na: 2\n",
    "a: {b: 1, b: 2}\n",
    "a: ~\n",
    "<<: {a: b}\n",
    "a: =\n",
    "a:\n- x\n",
    "- x\na: b\n",
    "a:\n    b: 1\n  c: 2\n",
    "---\na: b\n",
    "a: b\n...\n",
    "%YAML 1.1\n---\na: b\n",
    "a: {b: c,}\n",
    "a: [b, c,]\n",
    "a: [b, [c]]\n",
    "a: {b: [c]}\n",
    "a: {b}\n",
    "a: {b:c}\n",
    "a: [b: c]\n",
    "a: [b\n",
    "? a\n: b\n",
    "a:b\n",
    "a : b\n",
    "-a\n",
    "-\n",
    "- - a\n",
    "a: -1\n",
    "a: .5\n",
    "a: @x\n",
    "a: `x`\n",
    "a: %x\n",
    "a: b: c\n",
    "a: x:\n",
    "a: x: \n",
    "a: x  #\n",
    "- a:b: c\n",
    "a: b #c\n",
    "# only a comment\n",
    "",
    "a: b\x7f\n",
    "a: b\x0c\n",
    "# bad \x01 comment\na: b\n",
    "a: b\n  \x0c\n",
    "  a: 1\nb: 2\n",
    "list:\n- a\n- b\n",
    "".join(f"{'  ' * n}k{n}:\n" for n in range(30)),
]


@pytest.mark.parametrize("text", SIMPLE)
def test_a_simple_piece_is_read_as_yaml_reads_it(text: str) -> None:
    found = scan(text)
    assert found is not None, text
    assert plain_data(text) == (True, found[0])


@pytest.mark.parametrize("text", NOT_SIMPLE)
def test_anything_else_is_left_to_yaml(text: str) -> None:
    assert scan(text) is None


def test_a_long_piece_is_left_to_yaml() -> None:
    assert scan("a: b\n" * 5000) is None


# -- generated pieces ---------------------------------------------------------------------

KEYS = ["a", "b", "status", "s01", "on-track", "null", "yes", "0", "_x"]
WORDS = ["x", "null", "Null", "NULL", "yes", "0123", "1e3", "2026-01-01", "a b", "a, b"]
WORDS += ["it's", "(x)", "x.y", "on-track", "a - b", "http://x.org/a#b", "10:30", "a:b"]


def _tree(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.35:
        return rng.choice(WORDS)
    if roll < 0.7:
        keys = rng.sample(KEYS, rng.randint(1, 4))
        return {k: _tree(rng, depth + 1) for k in keys}
    items = [_tree(rng, depth + 1) for _ in range(rng.randint(1, 3))]
    # A list right inside a list is written in flow style, so only a flat one.
    return [rng.choice(WORDS) if isinstance(i, list) and not _flat(i) else i for i in items]


def _block(rng: random.Random, value: Any, indent: int) -> list[str]:
    """`value` (a mapping or list) in block style at `indent`, leaves sometimes in flow."""
    pad, step = " " * indent, rng.randint(1, 4)
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else [(None, v) for v in value]
    for key, item in items:
        if lines and rng.random() < 0.1:
            lines.append(pad + rng.choice(["# note", "", "   "]))
        head = f"{pad}{key}:" if key is not None else f"{pad}-"
        if isinstance(item, str):
            lines.append(f"{head} {item}")
        elif _flat(item) and (key is None or rng.random() < 0.5):
            lines.append(f"{head} {_flow(item)}")
        elif key is None and isinstance(item, dict) and item:
            gap = " " * rng.randint(1, 3)
            inner = _block(rng, item, indent + 1 + len(gap))
            lines.append(f"{head}{gap}{inner[0].lstrip(' ')}")
            lines.extend(inner[1:])
        elif not item:
            lines.append(f"{head} {_flow(item)}")
        else:
            lines.append(head)
            lines.extend(_block(rng, item, indent + step))
    return lines


def _flat(value: Any) -> bool:
    parts = value.values() if isinstance(value, dict) else value
    # Flow style is read only for words without ",", ":" or "#".
    return all(isinstance(p, str) and not set(p) & set(",:#") for p in parts)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return "[" + ", ".join(value) + "]"


def _nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _nulls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nulls(v) for v in value]
    return None if value in ("null", "Null", "NULL") else value


def _mutated(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    change = rng.choice(["insert", "delete", "indent", "repeat"])
    if change == "insert":
        return text[:at] + rng.choice([*" -:#,{}[]'\"&*!|>?\t\r\n~", "  "]) + text[at:]
    if change == "delete":
        return text[:at] + text[at + 1 :]
    lines = text.split("\n")
    row = rng.randrange(len(lines))
    if change == "indent":
        lines[row] = " " + lines[row] if rng.random() < 0.5 else lines[row][1:]
    else:
        lines.insert(row, lines[row])
    return "\n".join(lines)


def test_generated_pieces_read_as_yaml_reads_them() -> None:
    rng = random.Random(20260101)
    scanned = 0
    for _ in range(400):
        tree = _tree(rng, 0)
        while isinstance(tree, str):
            tree = _tree(rng, 0)
        text = "\n".join(_block(rng, tree, rng.randint(0, 3))) + "\n"
        found = scan(text)
        assert found is not None, text
        assert found[0] == _nulls(tree) and plain_data(text) == (True, found[0]), text
        for _ in range(4):
            changed = _mutated(rng, text)
            found = scan(changed)
            if found is not None:
                scanned += 1
                assert plain_data(changed) == (True, found[0]), changed
    # The mutated pieces reached both paths: a scanner that gave up on all is no test.
    assert 100 < scanned < 1500


def test_random_lines_read_as_yaml_reads_them() -> None:
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x20, 0x7F)] + ["\n", "  "]
    scanned = 0
    for _ in range(4000):
        head = rng.choice(["a", "- a", "-", "a: b\nc", "  x", "- {a", "[", "x"])
        tail = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        text = f"{head}: {tail}\n" if rng.random() < 0.7 else f"{head}{tail}\n"
        found = scan(text)
        if found is not None:
            scanned += 1
            assert plain_data(text) == (True, found[0]), text
    assert 500 < scanned < 3500
