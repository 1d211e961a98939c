"""The safe write every edit goes through: surgical, validated, atomic, under a lock.

Edits are surgical (`yamledit`): only the lines that change are touched, the result is
validated before it is written, and the write is atomic under a lock (`atomic`). A file
whose text changed since a decision was made on it is refused, and so is every other file
of the same edit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from diffuse.errors import DiffuseError
from diffuse.files.atomic import (
    FileChangedError,
    Fingerprint,
    LockTimeout,
    lock,
    read_text,
    write_text_atomic,
)
from diffuse.files.lineends import keeping_line_ends
from diffuse.files.loading import document_from_text, validate
from diffuse.files.phi import patient_data, staff_for
from diffuse.files.yamledit import EditError
from diffuse.limits import CEILINGS
from diffuse.models import Project
from diffuse.rules.chrono import added_by_edit


@dataclass(frozen=True)
class Edit:
    """`change(text) -> text` for one file, whose result must be a valid `model`; with
    `expected`, the text a decision was made on, refused if the file no longer holds it;
    `today`, the day its dates are checked against (default: the real one)."""

    path: Path
    change: Callable[[str], str]
    model: type[BaseModel] = Project
    expected: str | None = None
    today: date | None = None


def edit_file(
    path: Path,
    change: object,
    model: type[BaseModel] = Project,
    expected: str | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> tuple[str, str]:
    """Apply `change(text) -> text` to `path`; nothing is written unless the result is a
    valid `model` (and nothing at all with `dry_run`). Returns the text before and after.

    The lock is held from the read to the write, so two diffuse processes editing one file
    apply their changes one after the other and neither is lost. With `expected`, the text
    a decision was made on, the edit is refused if the file no longer holds that text. An
    edit that would put dates out of order (`rules.chrono`) is refused; `today` is the day
    they are checked against (default: the real one)."""
    edit = Edit(path, change, model, expected, today)  # type: ignore[arg-type]
    return edit_files([edit], dry_run)[0]


def edit_files(edits: list[Edit], dry_run: bool = False) -> list[tuple[str, str]]:
    """Apply every edit, or none: all files are locked, read, changed and validated before
    the first is written. Returns each file's text before and after."""
    edit = edits[0]
    try:
        with contextlib.ExitStack() as stack:
            for edit in edits:
                stack.enter_context(lock(edit.path))
            planned = []
            for edit in edits:
                planned.append((edit, *_planned(edit)))
            for edit, _old_text, new_text, fingerprint in planned:
                if not dry_run:
                    write_text_atomic(edit.path, new_text, fingerprint)
            return [(old_text, new_text) for _edit, old_text, new_text, _print in planned]
    except EditError as exc:
        raise DiffuseError(f"{edit.path}: cannot edit safely: {exc}") from None
    except (FileChangedError, FileNotFoundError, UnicodeDecodeError):
        raise DiffuseError(
            f"{edit.path} changed on disk while diffuse was editing it; nothing was "
            "written, run the command again"
        ) from None
    except LockTimeout as exc:
        raise DiffuseError(str(exc)) from None
    except OSError as exc:
        # A full disk or a read-only folder: the original file is still whole.
        raise DiffuseError(
            f"cannot write {edit.path}: {exc.strerror or exc}; nothing was written"
        ) from None


def _planned(edit: Edit) -> tuple[str, str, Fingerprint]:
    text, fingerprint = read_text(edit.path)
    if edit.expected is not None and text.removeprefix("\ufeff") != edit.expected:
        raise FileChangedError(str(edit.path))
    new_text = keeping_line_ends(edit.change, text)
    _must_stay_valid(edit.path, new_text, edit.model)
    _dates_stay_in_order(edit.path, text, new_text, edit.today or date.today())
    return text, new_text, fingerprint


def validated(path: Path, text: str, model: type[BaseModel]) -> None:
    """Refuse `text` for a new file at `path` unless it is a valid `model` without patient
    data, as every edit's result is refused."""
    _must_stay_valid(path, text, model)


def _must_stay_valid(path: Path, text: str, model: type[BaseModel] = Project) -> None:
    doc = document_from_text(path, text.removeprefix("\ufeff"), CEILINGS)
    doc.problems.extend(patient_data(doc, staff_for(doc)))
    if validate(doc, model) is None or doc.problems:
        raise DiffuseError(
            "the edit would leave the file invalid; nothing was written", tuple(doc.problems)
        )


def _dates_stay_in_order(path: Path, before: str, after: str, today: date) -> None:
    # Only what the edit adds: a file that already holds a date out of order can still be
    # edited elsewhere, and `validate` keeps reporting it.
    added = added_by_edit(path, before, after, today)
    if added:
        raise DiffuseError(
            "the edit would put dates out of order; nothing was written", tuple(added)
        )
