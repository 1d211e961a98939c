"""The README stays true: its command reference is each command's --help."""

from __future__ import annotations

from readme_help import COMMANDS, README, block, rendered


def test_command_reference_matches_help() -> None:
    text = README.read_text()
    for command in COMMANDS:
        assert block(command) in text, (
            f"README is stale for 'diffuse {' '.join(command)}'; run python tests/readme_help.py"
        )
    assert rendered(text) == text


def test_quick_start_installs_the_distribution_not_the_unrelated_package() -> None:
    text = README.read_text()
    assert "pip install diffuse\n" not in text and "pip install diffuse " not in text
    assert ".venv/bin/pip install -q -c .ci/constraints.txt . && .venv/bin/diffuse status" in text
