"""Fuzzing the loader and the validator: no input makes them raise.

A crash is any exception; everything wrong with a file must come back as a Problem. The
inputs are random bytes, YAML-like text built from the pieces YAML is made of (indicators,
anchors, tags, directives, odd characters) and random edits of the shipped demo files. In CI
the examples are few and fixed (derandomize) so the run is short and repeatable; for a long
hunt, `DIFFUSE_FUZZ_EXAMPLES=20000 pytest tests/hostile/test_fuzz.py` draws many more at random.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import FIXTURE, REPO_ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diffuse.errors import Problem
from diffuse.files.loading import Document, document_from_text, read_document, validate
from diffuse.files.nodes import may_exceed
from diffuse.files.phi import patient_data
from diffuse.limits import Limits
from diffuse.models import Organisation, Practice, Project
from diffuse.rules.load import load_catalog

LONG = int(os.environ.get("DIFFUSE_FUZZ_EXAMPLES", "0"))


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=LONG or examples,
        deadline=None,
        derandomize=not LONG,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


PIECES = [
    *("id", "title", "status", "phase", "practice", "sites", "nor", "metrics", "values"),
    *("value", "date", "risks", "likelihood", "approvals", "history", "settings", "limits"),
    *(":", ": ", "- ", "-", "[", "]", "{", "}", ", ", ",", "? ", "?", "&a ", "*a", "&b ", "*b"),
    *("!!str ", "!!int ", "!!python/object/apply:os.system ", "!x ", "!<tag:x> ", "|", ">-"),
    *("'", '"', "\\", "# c", "\n", "\n  ", "\n    ", "\r\n", "\r", "\t", " ", "---\n", "...\n"),
    *("%YAML 1.1\n", "%TAG !e! tag:e,2000:\n", "!e!x ", "<<: ", "[[[[[[[[[[", "]]]]]]]]]]"),
    *("2025-02-30", "2026-03-01", "1e999", "-.inf", "nan", "~", "null", "yes", "0x1F", "0o17"),
    *("99999999999999999999999999", "12.5", "-1", "MRN 12345678", "DOB 1954-03-02"),
    *("943 476 5919", "078-05-1120", "# diffuse: not-patient-data (x)", "\ufeff", "\x1b[31m"),
    *("[bold]x[/]", "\x00", "\x85", "\u2028", "\ud7ff", "<<<<<<< HEAD\n", "=======\n", "é"),
    *("\U0001d538", "\u202e", "proportion", "kind: proportion", "numerator: ", "denominator: "),
]
YAMLISH = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=80).map(
    "".join
)

DEMO = [
    path.read_text(encoding="utf-8")
    for path in [
        REPO_ROOT / "organisation.yaml",
        *sorted((REPO_ROOT / "practices").glob("*.yaml"))[:4],
        *sorted((REPO_ROOT / "projects").glob("*.yaml"))[:3],
    ]
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A demo file with a few random edits: spans cut, copied or replaced, lines swapped."""
    text = draw(st.sampled_from(DEMO))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = min(len(text), start + draw(st.integers(0, 40)))
        piece = draw(st.one_of(st.sampled_from(PIECES), st.just(text[start:end])))
        kind = draw(st.sampled_from(["cut", "insert", "replace", "copy"]))
        if kind == "cut":
            text = text[:start] + text[end:]
        elif kind == "insert":
            text = text[:start] + piece + text[start:]
        elif kind == "replace":
            text = text[:start] + piece + text[end:]
        else:
            text = text[:start] + text[start:end] * draw(st.integers(2, 50)) + text[end:]
    return text


def check(doc: Document) -> None:
    """Validate as every file kind and run the patient-data guard; any exception fails."""
    for model in (Practice, Project, Organisation):
        copy = Document(doc.path, doc.node, doc.data, list(doc.problems), doc.text)
        copy.released = doc.released
        validate(copy, model)
        copy.problems.extend(patient_data(copy))
        for problem in copy.problems:
            assert isinstance(problem, Problem)
            assert problem.location.path == doc.path
            assert problem.location.line >= 0 and problem.location.col >= 0


@fuzz(120)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.yaml"
        path.write_bytes(data)
        check(read_document(path))


@fuzz(300)
@given(YAMLISH)
def test_yaml_like_text(text: str) -> None:
    check(document_from_text(Path("fuzz.yaml"), text))


@fuzz(100)
@given(mutated())
def test_edited_demo_files(text: str) -> None:
    check(document_from_text(Path("fuzz.yaml"), text))


@fuzz(30)
@given(mutated(), st.sampled_from(["practices/hand-hygiene.yaml", "projects/hh-spread.yaml"]))
def test_a_whole_tracker_with_one_edited_file(text: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "tracker"
        shutil.copytree(FIXTURE, root)
        (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        catalog = load_catalog(root)
        assert all(isinstance(p, Problem) for p in catalog.all_problems())


@fuzz(300)
@given(YAMLISH)
def test_the_nesting_bound_holds(text: str) -> None:
    # Composing is only skipped-checked when the cheap bound says it is safe: the bound must
    # never be below the real depth, nor the value count above half a value per character.
    if may_exceed(text, Limits(max_values=10**9)):
        return
    depth = deepest = values = 0
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            values += isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.NodeEvent))
    except yaml.YAMLError:
        pass
    brackets = text.count("[") + text.count("{")
    assert deepest <= 2 * brackets + 2 * max(map(len, text.split("\n"))) + 2
    assert values <= 2 * len(text) + 1
