"""An organisation file that lists an id twice is not used: every command would have to
guess which entry is meant (and `export sqlite` keys its tables by id). Each duplicate is
a located problem, every command refuses with exit 1, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run

AS_OF = "2026-05-01"
COMMANDS = [
    ["status", "--as-of", AS_OF],
    ["export", "sqlite", "{tmp}/t.db", "--as-of", AS_OF],
    ["site", "hh-spread", "nor", "--status", "live", "--by", "cy", "--date", AS_OF],
]


@pytest.mark.parametrize(
    ("after", "copy", "line"),
    [
        (
            "  - {id: sea, name: Seaside Hospital, region: South}\n",
            "  - {id: nor, name: North Again}\n",
            "organisation.yaml:10:10: error[duplicate-id] sites.4.id: 'nor' is listed twice",
        ),
        (
            "  - {id: cy, name: Cy Manager, email: cy@example.org}\n",
            "  - {id: ada, name: Ada Again}\n",
            "organisation.yaml:14:10: error[duplicate-id] people.3.id: 'ada' is listed twice",
        ),
    ],
)
def test_an_id_listed_twice_stops_every_command(
    run: Run,
    tracker: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    after: str,
    copy: str,
    line: str,
) -> None:
    monkeypatch.chdir(tracker)
    org = tracker / "organisation.yaml"
    org.write_text(org.read_text().replace(after, after + copy))
    project = (tracker / "projects" / "hh-spread.yaml").read_bytes()
    result = run("validate", cwd=tracker)
    assert (result.exit_code, result.lines) == (1, [line, "1 problem(s) in 1 of 3 file(s)"])
    for command in COMMANDS:
        result = run(*[a.replace("{tmp}", str(tmp_path)) for a in command], cwd=tracker)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            line,
            "diffuse: the organisation file has problems; fix them first",
        ]
    assert not (tmp_path / "t.db").exists()
    assert (tracker / "projects" / "hh-spread.yaml").read_bytes() == project


def test_a_workflow_phase_role_or_duty_listed_twice_is_located(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        run("init", str(tmp_path / "t"), "--name", "X", "--framework", "ihi-spread").exit_code == 0
    )
    monkeypatch.chdir(tmp_path / "t")
    org = tmp_path / "t" / "organisation.yaml"
    lines = org.read_text().splitlines(keepends=True)
    role = next(n for n, line in enumerate(lines) if line.startswith("    - {id: spread-lead"))
    duty = next(n for n, line in enumerate(lines) if line.startswith("    - {id: es-aim"))
    lines[duty + 1 : duty + 1] = [lines[duty]]
    lines[role + 1 : role + 1] = [lines[role]]
    text = "".join(lines).replace("  phases: [aim, ", "  phases: [aim, aim, ")
    org.write_text(text)
    result = run("validate", cwd=tmp_path / "t")
    assert (result.exit_code, result.lines) == (
        1,
        [
            "organisation.yaml:37:17: error[duplicate-id] workflow.phases.1: 'aim' is listed twice",
            "organisation.yaml:41:12: error[duplicate-id] workflow.roles.2.id: 'spread-lead' "
            "is listed twice",
            "organisation.yaml:48:12: error[duplicate-id] workflow.duties.2.id: 'es-aim' "
            "is listed twice",
            "3 problem(s) in 1 of 1 file(s)",
        ],
    )
