"""The exported JSON Schema and `diffuse validate` agree: an editor never marks as wrong
what `validate` accepts, and the scalars YAML reads differently (`title: 2026`,
`cadence_months: '12'`, `yes`) are judged the same way by both."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import REPO_ROOT, Run
from hostile_corpus import build

from diffuse.reports.schema import json_schema


class _Core12(yaml.SafeLoader):
    """YAML 1.2's core schema, as editors with the YAML language server read files: no
    dates, and only true/false as booleans."""


_Core12.yaml_implicit_resolvers = {}
for tag, pattern, first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _Core12.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), list(first))


def _kind(path: Path) -> str:
    return "organisation" if path.name == "organisation.yaml" else path.parent.name[:-1]


def _schema_errors(path: Path) -> list[str] | None:
    """What the schema says of `path`, or None when it is not one YAML mapping."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Core12)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    validator = jsonschema.Draft202012Validator(json_schema(_kind(path)))
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def _files(root: Path) -> list[Path]:
    found = [root / "organisation.yaml"]
    for folder in ("practices", "projects"):
        found += sorted(
            p for p in (root / folder).glob("*.yaml") if p.is_file() and not p.is_symlink()
        )
    return found


def _problem_files(run: Run, root: Path) -> set[str]:
    result = run("validate", "--format", "json", "--root", str(root))
    return {Path(p["file"]).name for p in json.loads(result.stdout)["problems"]}


@pytest.mark.parametrize("corpus", ["demo", "hostile"])
def test_the_schema_never_rejects_what_validate_accepts(
    corpus: str, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = REPO_ROOT if corpus == "demo" else build(tmp_path)[0]
    monkeypatch.chdir(root)
    flagged = _problem_files(run, root)
    checked = 0
    for path in _files(root):
        if path.stat().st_size > 200_000 or not re.fullmatch(r"[a-z0-9-]+", path.stem):
            continue
        errors = _schema_errors(path)
        if errors is None:
            continue
        checked += 1
        if path.name not in flagged:
            assert errors == [], f"{path.name}: the schema rejects a file validate accepts"
    assert checked >= (25 if corpus == "demo" else 15)


@pytest.mark.parametrize(
    ("line", "valid"),
    [
        ("title: 2026", True),
        ("title: true", True),
        ("review: {cadence_months: '12'}", True),
        ("review: {cadence_months: 12}", True),
        ("review: {cadence_months: twelve}", False),
        ("review: {cadence_months: [12]}", False),
        ("status: 1", False),
    ],
)
def test_scalars_are_judged_alike(
    line: str, valid: bool, tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tracker)
    practice = tracker / "practices" / "hand-hygiene.yaml"
    key = line.split(":")[0]
    kept, inside = [], False
    for text in practice.read_text().splitlines():
        inside = text.startswith(f"{key}:") or (inside and text.startswith(" "))
        if not inside:
            kept.append(text)
    practice.write_text("\n".join([*kept, line]) + "\n")
    by_validate = run("validate").exit_code == 0
    by_schema = _schema_errors(practice) == []
    assert (by_validate, by_schema) == (valid, valid)


def test_yes_and_no_are_booleans_to_both(tracker: Path, run: Run) -> None:
    org = tracker / "organisation.yaml"
    org.write_text(
        org.read_text().replace("  target_months: 6", "  target_months: 6\n  signed_approvals: yes")
    )
    assert run("validate", "--root", str(tracker)).exit_code == 0
    assert _schema_errors(org) == []
