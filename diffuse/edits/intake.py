"""`diffuse intake`: an issue form's body, as GitHub writes it, made into an edit.

GitHub writes each answer of an issue form as a `### Label` heading followed by the answer
(`_No response_` when left empty). Three forms are read, each the edit a command makes:

- practice: a front-line idea becomes a proposed practice (grassroots discovery), with the
  site it comes from and its results as evidence;
- site-update: `diffuse site PROJECT SITE` with a new state, a barrier or a note;
- adaptation: `diffuse site PROJECT SITE --adaptation TEXT`, a request oversight approves.

Every problem is reported at its place in the issue body (`FILE:line:col`), in words meant
to be posted back on the issue: a missing answer, an unknown id, a bad date, and patient
identifiers anywhere in the body, which refuse the whole form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from diffuse.edits import record
from diffuse.edits.record import EditOptions, EditResult
from diffuse.errors import DiffuseError, Location, Problem
from diffuse.files.phi import findings
from diffuse.layout import ID_PATTERN, WINDOWS_RESERVED
from diffuse.rules.load import Loaded
from diffuse.vocab import SiteStatus

EMPTY = "_No response_"
NO_CHANGE = "no change"

# Each form's questions: the label GitHub writes, and whether an answer is required.
FORMS: dict[str, tuple[tuple[str, bool], ...]] = {
    "practice": (
        ("Practice name", True),
        ("The problem", True),
        ("What was done", True),
        ("Site", True),
        ("Results", True),
        ("Contact", True),
    ),
    "site-update": (
        ("Project", True),
        ("Site", True),
        ("New state", False),
        ("Date", False),
        ("Barrier", False),
        ("Note", False),
    ),
    "adaptation": (
        ("Project", True),
        ("Site", True),
        ("Adaptation", True),
    ),
}


@dataclass(frozen=True)
class Answer:
    text: str
    line: int  # the line of its `### Label` heading, from 1


# GitHub keeps an issue body under 65,536 characters; anything far larger is not one.
MAX_BYTES = 1_000_000


def read_form(path: Path) -> tuple[str, dict[str, Answer]]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DiffuseError(f"{path}: larger than {MAX_BYTES:,} bytes; not an issue body")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DiffuseError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise DiffuseError(f"{path}: not UTF-8 text") from None
    text = text.replace("\r\n", "\n")
    answers: dict[str, Answer] = {}
    label: str | None = None
    start, lines = 0, list[str]()
    for number, line in enumerate([*text.split("\n"), "### "], start=1):
        if line.startswith("### "):
            if label is not None:
                value = "\n".join(lines).strip()
                answers[label] = Answer("" if value == EMPTY else value, start)
            label, start, lines = line[4:].strip(), number, []
        else:
            lines.append(line)
    return text, answers


def intake(root: Path, path: Path, form: str, options: EditOptions) -> EditResult:
    if form not in FORMS:
        raise DiffuseError(f"--form: '{form}' is not one of: {', '.join(FORMS)}")
    text, answers = read_form(path)
    problems = _patient_data(path, text)
    for label, required in FORMS[form]:
        if required and not answers.get(label, Answer("", 0)).text:
            where = Location(path, answers[label].line, 1) if label in answers else Location(path)
            problems.append(Problem(where, "intake", f"'{label}' needs an answer"))
    loaded = record.load(root, options)
    options = _as_person(loaded, options)
    if not problems:
        if form == "practice":
            return _practice(root, loaded, path, answers, options)
        return _site(root, loaded, path, form, answers, options)
    raise DiffuseError(_REFUSED, tuple(problems))


_REFUSED = "this issue cannot be taken in as it is; nothing was changed"


def _patient_data(path: Path, text: str) -> list[Problem]:
    problems = []
    for found in findings(text):
        line = text.count("\n", 0, found.start) + 1
        col = found.start - (text.rfind("\n", 0, found.start) + 1) + 1
        problems.append(
            Problem(
                Location(path, line, col),
                "patient-data",
                f"this looks like a patient identifier ({found.kind}: {found.masked}); "
                "remove it and describe patients only in general terms",
            )
        )
    return problems


def _as_person(loaded: Loaded, options: EditOptions) -> EditOptions:
    """`--by @login`: the person whose `github` is that login (nobody when none is)."""
    if not options.by or not options.by.startswith("@"):
        return options
    login = options.by[1:].casefold()
    person = next(
        (p.id for p in loaded.org.people if p.github and p.github.casefold() == login), None
    )
    return replace(options, by=person)


def _located(path: Path, answer: Answer, message: str) -> DiffuseError:
    return DiffuseError(_REFUSED, (Problem(Location(path, answer.line, 1), "intake", message),))


def _site(
    root: Path,
    loaded: Loaded,
    path: Path,
    form: str,
    answers: dict[str, Answer],
    options: EditOptions,
) -> EditResult:
    from diffuse.edits.site import SiteRequest, update_site

    nothing = Answer("", 0)
    project, site = answers["Project"], answers["Site"]
    state, day = answers.get("New state", nothing), answers.get("Date", nothing)
    problems: list[tuple[Answer, str]] = []
    if project.text not in loaded.catalog.projects:
        known = ", ".join(sorted(loaded.catalog.projects)) or "none"
        problems.append((project, f"Project: no project '{project.text}'; known: {known}"))
    if loaded.org.site(site.text) is None:
        known = ", ".join(s.id for s in loaded.org.sites)
        problems.append((site, f"Site: no site '{site.text}'; known: {known}"))
    status = None if state.text in ("", NO_CHANGE) else state.text
    if status is not None and status not in [s.value for s in SiteStatus]:
        allowed = ", ".join(s.value for s in SiteStatus)
        problems.append((state, f"New state: '{status}' is not one of: {allowed}"))
    if day.text:
        try:
            options = replace(options, on=date.fromisoformat(day.text))
        except ValueError:
            problems.append((day, f"Date: '{day.text}' is not a date (YYYY-MM-DD)"))
    if problems:
        located = (Problem(Location(path, a.line, 1), "intake", m) for a, m in problems)
        raise DiffuseError(_REFUSED, tuple(located))
    if form == "adaptation":
        request = SiteRequest(project.text, site.text, adaptation=answers["Adaptation"].text)
        return update_site(root, request, options)
    barrier = answers.get("Barrier", nothing).text
    request = SiteRequest(
        project.text,
        site.text,
        status=status,
        note=answers.get("Note", nothing).text or None,
        barriers=(barrier,) if barrier else (),
    )
    return update_site(root, request, options)


def _practice(
    root: Path, loaded: Loaded, path: Path, answers: dict[str, Answer], options: EditOptions
) -> EditResult:
    from diffuse.edits.scaffold import propose_practice

    name, site = answers["Practice name"], answers["Site"]
    practice_id = slug(name.text)
    if not practice_id:
        raise _located(path, name, "Practice name: use some letters or digits")
    if practice_id in loaded.catalog.practices or practice_id in WINDOWS_RESERVED:
        raise _located(
            path,
            name,
            f"Practice name: a practice '{practice_id}' exists already; choose another name "
            "or add what you know to that practice",
        )
    if loaded.org.site(site.text) is None:
        known = ", ".join(s.id for s in loaded.org.sites)
        raise _located(path, site, f"Site: no site '{site.text}'; known: {known}")
    summary = " ".join(
        f"Problem: {answers['The problem'].text} What was done: "
        f"{answers['What was done'].text} Contact: {answers['Contact'].text}".split()
    )
    return propose_practice(
        root, practice_id, name.text, summary, site.text, answers["Results"].text, options
    )


def slug(text: str) -> str:
    """An id from a name: lowercase letters and digits, words joined by '-'."""
    words = re.findall(r"[a-z0-9]+", text.casefold())
    value = "-".join(words)[:60].strip("-")
    return value if ID_PATTERN.fullmatch(value or "-") else ""
