"""Reports of `diffuse check` for people and CI.

Formats: text (one finding per line, then its fix), json, github (workflow annotations),
junit (XML a CI server shows as tests) and markdown (a pull-request comment). Every text
from a file or from git passes through `clean`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diffuse.errors import Level
from diffuse.escape import clean
from diffuse.layout import resolved
from diffuse.vocab import OUTPUT_SCHEMA_VERSION

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
    import json

    data: dict[str, Any] = {
        "schema_version": OUTPUT_SCHEMA_VERSION,
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
        "problems": [problem_record(f, _shown(f.location.path)) for f in report.findings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def check_github(report: CheckReport) -> str:
    """Workflow commands: each finding becomes an annotation on its line of the diff."""
    lines = [annotation(f, _shown(f.location.path, report.toplevel)) for f in report.findings]
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def annotation(finding: Problem, path: str) -> str:
    """One GitHub workflow command: an annotation on the finding's line of `path`."""
    loc = finding.location
    props = [f"file={_prop(path)}"]
    if loc.line > 0:
        props += [f"line={loc.line}", f"col={loc.col}"]
    props.append(f"title={_prop(f'diffuse {finding.code}')}")
    text = clean(finding.message) + (f" (fix: {clean(finding.fix)})" if finding.fix else "")
    return f"::{finding.level} {','.join(props)}::{_data(text)}"


def problem_record(finding: Problem, path: str) -> dict[str, Any]:
    """A finding in JSON: the same fields in `check` and `validate`."""
    loc = finding.location
    return {
        # A name that is not UTF-8 keeps its odd bytes as \xNN: JSON text holds no others.
        "file": path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"),
        "line": loc.line,
        "col": loc.col,
        "rule": finding.code,
        "level": str(finding.level),
        "message": finding.message,
        "fix": finding.fix,
    }


def junit_suite(name: str, files: list[str], findings: list[tuple[str, Problem]]) -> str:
    """One test case per file, failed with every error found in it."""
    from xml.etree import ElementTree as ET  # only JUnit output needs it

    by_file: dict[str, list[Problem]] = {}
    for path, f in findings:
        if f.level is Level.ERROR:
            by_file.setdefault(path, []).append(f)
    checked = set(files) | {path for path, _ in findings}
    suite = ET.Element(
        "testsuite",
        name=name,
        tests=str(max(len(checked), 1)),
        failures=str(len(by_file)),
        errors="0",
    )
    for path in sorted(checked) or ["tracker"]:
        case = ET.SubElement(suite, "testcase", classname="diffuse", name=clean(path))
        found = by_file.get(path, [])
        if found:
            failure = ET.SubElement(
                case, "failure", message=f"{len(found)} problem(s)", type=found[0].code
            )
            failure.text = "\n".join(_finding_line(f) for f in found)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def check_junit(report: CheckReport) -> str:
    """One test case per file checked, failed with every finding in that file."""
    findings = [(_shown(f.location.path), f) for f in report.findings]
    files = [_shown(c.path) for c in report.changes]
    return junit_suite("diffuse check", files, findings)


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
