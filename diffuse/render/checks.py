"""Reports of `diffuse check` for people and CI.

Formats: text (one finding per line, then its fix), json, github (workflow annotations),
junit (XML a CI server shows as tests) and markdown (a pull-request comment). Every text
from a file or from git passes through `clean`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from diffuse.layout import resolved
from diffuse.render import clean

if TYPE_CHECKING:
    from diffuse.errors import Problem
    from diffuse.pr.context import CheckReport, StateChange

FORMATS = ("text", "json", "github", "junit", "markdown")


def choose_format(given: str | None) -> str:
    """`github` inside GitHub Actions unless a format is given, else text."""
    if given:
        return given
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def check_output(report: CheckReport, fmt: str) -> str:
    writer = {
        "text": check_text,
        "json": check_json,
        "github": check_github,
        "junit": check_junit,
        "markdown": check_markdown,
    }[fmt]
    return writer(report)


def _shown(path: Path, base: Path | None = None) -> str:
    base = base or Path.cwd()
    try:
        return resolved(path).relative_to(base.resolve()).as_posix()
    except ValueError:
        return str(path)


def _where(finding: Problem, base: Path | None = None) -> str:
    loc = finding.location
    path = _shown(loc.path, base)
    return f"{path}:{loc.line}:{loc.col}" if loc.line > 0 else path


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _summary(report: CheckReport) -> str:
    errors = report.errors
    compared = f" since {report.base}" if report.base else " (no --base: files only)"
    if not errors:
        return (
            f"check passed: {report.files} file(s) valid, {len(report.changes)} change(s){compared}"
        )
    files = len({f.location.path for f in errors})
    return f"check FAILED: {len(errors)} problem(s) in {files} file(s){compared}"


def check_text(report: CheckReport) -> str:
    lines = []
    for f in report.findings:
        lines.append(f"{clean(_where(f))}: {f.level}[{f.code}] {clean(f.message)}")
        if f.fix:
            lines.append(f"    fix: {clean(f.fix)}")
    if report.base:
        commit = (report.base_commit or "")[:10]
        lines.append(f"changes since {clean(report.base)} (merge base {commit}):")
        lines += [f"  {_change_line(c)}" for c in report.changes] or ["  none"]
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _change_line(change: StateChange) -> str:
    name = clean(change.item)
    return f"{_mark(change.ok)} {change.kind} {name}: {clean(change.what)}"


def check_json(report: CheckReport) -> str:
    data: dict[str, Any] = {
        "passed": report.passed,
        "base": report.base,
        "base_commit": report.base_commit,
        "verified_signoff": report.verified,
        "files": report.files,
        "changes": [
            {
                "kind": c.kind,
                "id": c.item,
                "file": _shown(c.path),
                "change": c.what,
                "ok": c.ok,
            }
            for c in report.changes
        ],
        "problems": [
            {
                "file": _shown(f.location.path),
                "line": f.location.line,
                "col": f.location.col,
                "rule": f.code,
                "level": str(f.level),
                "message": f.message,
                "fix": f.fix,
            }
            for f in report.findings
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def check_github(report: CheckReport) -> str:
    """Workflow commands: each finding becomes an annotation on its line of the diff."""
    lines = []
    for f in report.findings:
        loc = f.location
        props = [f"file={_prop(_shown(loc.path, report.toplevel))}"]
        if loc.line > 0:
            props += [f"line={loc.line}", f"col={loc.col}"]
        props.append(f"title={_prop(f'diffuse {f.code}')}")
        text = clean(f.message) + (f" (fix: {clean(f.fix)})" if f.fix else "")
        lines.append(f"::{f.level} {','.join(props)}::{_data(text)}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def check_junit(report: CheckReport) -> str:
    """One test case per file checked, failed with every finding in that file."""
    by_file: dict[str, list[Problem]] = {}
    for f in report.findings:
        by_file.setdefault(_shown(f.location.path), []).append(f)
    checked = {_shown(c.path) for c in report.changes} | set(by_file)
    errors = report.errors
    suite = ET.Element(
        "testsuite",
        name="diffuse check",
        tests=str(max(len(checked), 1)),
        failures=str(len({_shown(f.location.path) for f in errors})),
        errors="0",
    )
    for name in sorted(checked) or ["tracker"]:
        case = ET.SubElement(suite, "testcase", classname="diffuse", name=clean(name))
        found = [f for f in by_file.get(name, []) if f in errors]
        if found:
            failure = ET.SubElement(
                case, "failure", message=f"{len(found)} problem(s)", type=found[0].code
            )
            failure.text = "\n".join(_finding_line(f) for f in found)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _finding_line(f: Problem) -> str:
    line = f"{clean(_where(f))}: [{f.code}] {clean(f.message)}"
    return line + (f"; fix: {clean(f.fix)}" if f.fix else "")


def _md(text: object) -> str:
    return clean(text).replace("|", "\\|").replace("\n", " ")


def check_markdown(report: CheckReport) -> str:
    """A pull-request comment: what changed state, what passed, what is missing."""
    verdict = "✓ passed" if report.passed else "✗ failed"
    lines = [f"## diffuse check: {verdict}", "", _md(_summary(report)), ""]
    if report.changes:
        lines += ["### Changes of state", "", "| | kind | id | change |", "|---|---|---|---|"]
        lines += [
            f"| {_mark(c.ok)} | {c.kind} | {_md(c.item)} | {_md(c.what)} |" for c in report.changes
        ]
        lines.append("")
    if report.findings:
        lines += ["### What is missing", ""]
        lines += [
            f"- `{_md(_where(f))}` **{f.code}**: {_md(f.message)}"
            + (f"  \n  fix: {_md(f.fix)}" if f.fix else "")
            for f in report.findings
        ]
        lines.append("")
    if report.verified:
        lines += ["Approvals were verified against the commits that added them.", ""]
    return "\n".join(lines)


def append_step_summary(report: CheckReport) -> None:
    """Add the markdown report to the job's summary page when GitHub Actions asks for it."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(check_markdown(report) + "\n")
