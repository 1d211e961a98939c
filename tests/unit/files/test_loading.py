"""files/loading: a file's bytes to a validated model, every problem at its path:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from diffuse.files.loading import _Text, document_from_text, read_document, validate
from diffuse.models import Organisation

ORG = """\
name: T
settings:
  target_months: 6
sites:
  - {id: nor, name: North}
people: []
bodies: []
"""


def _problems(text: str, name: str = "organisation.yaml") -> list[tuple[str, str]]:
    doc = document_from_text(Path(name), text)
    if doc.tree() is not None:
        validate(doc, Organisation)
    return [(str(p.location), p.code) for p in doc.problems]


def test_a_valid_file_gives_its_model_and_text_stays_text() -> None:
    doc = document_from_text(Path("organisation.yaml"), ORG.replace("name: T", "name: no"))
    org = validate(doc, Organisation)
    assert org is not None and doc.problems == []
    assert (org.name, org.settings.target_months, org.sites[0].id) == ("no", 6, "nor")


def test_every_schema_problem_is_reported_at_its_place() -> None:
    text = ORG.replace("target_months: 6", "target_months: six").replace(
        "name: North}", "name: North, colour: red}"
    )
    assert _problems(text) == [
        ("organisation.yaml:3:18", "wrong-type"),
        ("organisation.yaml:5:28", "unknown-field"),
    ]


def test_syntax_empty_and_extra_documents_are_problems_not_exceptions() -> None:
    assert _problems("a: [1\n") == [("organisation.yaml:2:1", "yaml-syntax")]
    assert _problems("") == [("organisation.yaml", "empty-file")]
    assert _problems("a: 1\n---\nb: 2\n") == [("organisation.yaml:3:1", "multiple-documents")]


def test_reading_a_file_keeps_its_text_and_reports_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "organisation.yaml"
    path.write_text(ORG, encoding="utf-8")
    doc = read_document(path)
    assert doc.text == ORG and doc.problems == []
    assert validate(doc, Organisation) is not None
    path.write_bytes(b"name: \xff\n")
    (problem,) = read_document(path).problems
    assert problem.location.path == path and problem.location.line == 1


def test_every_number_a_file_may_hold_is_a_figure_that_refuses_nan_and_infinity() -> None:
    # Reading trusts the models to refuse 'nan', '.inf' and '1e999': no float field may
    # be a plain float, which pydantic fills with any of them.
    import typing

    from pydantic import BaseModel

    from diffuse.models import Practice, Project, Workflow
    from diffuse.models.common import Figure

    figure_checks = typing.get_args(Figure)[1:]
    seen: set[type] = set()
    plain: list[str] = []
    figures: list[str] = []

    def walk(annotation: object, where: str, checks: tuple[object, ...] = ()) -> None:
        if typing.get_origin(annotation) is typing.Annotated:
            args = typing.get_args(annotation)
            walk(args[0], where, checks + args[1:])
        elif annotation is float:
            found = all(check in checks for check in figure_checks)
            (figures if found else plain).append(where)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in seen:
                seen.add(annotation)
                for name, info in annotation.model_fields.items():
                    walk(info.annotation, f"{annotation.__name__}.{name}", tuple(info.metadata))
        else:
            for arg in typing.get_args(annotation):
                walk(arg, where, checks)

    for model in (Organisation, Practice, Project, Workflow):
        walk(model, model.__name__)
    assert plain == [] and "Metric.baseline" in figures


def test_a_released_text_is_compressed_past_what_is_kept_loose_and_reads_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A small tracker's texts stay as they are; past `LOOSE` characters they are packed,
    # so a big tracker does not hold every file's text. Either way the text reads back.
    monkeypatch.setattr(_Text, "loose", 0)
    monkeypatch.setattr(_Text, "LOOSE", len(ORG) + 10)
    docs = [document_from_text(Path(f"o{i}.yaml"), ORG) for i in range(3)]
    for doc in docs:
        doc.release(data=True)
    kept = [type(doc.__dict__["_text"]) for doc in docs]
    assert kept == [str, bytes, bytes]
    assert all(doc.text == ORG for doc in docs)
    assert docs[2].locate(("sites", 0, "id")).line == 5
