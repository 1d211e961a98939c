"""`diffuse completion`: the shell completion script for bash, zsh or fish. The ids it
offers come from `cli.ids`."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from diffuse.cli.app import app


class Shell(enum.StrEnum):
    BASH = "bash"
    ZSH = "zsh"
    FISH = "fish"


@app.command()
def completion(
    shell: Annotated[Shell, typer.Argument(help="The shell to complete in.")],
) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Completes commands, options, and the ids of practices, projects, sites and people
    from the tracker. Example, in ~/.bashrc: eval "$(diffuse completion bash)"; for fish:
    diffuse completion fish > ~/.config/fish/completions/diffuse.fish"""
    # Typer's own scripts and completion classes (what `--show-completion` would print),
    # loaded only by this command.
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    script = get_completion_script(
        prog_name="diffuse", complete_var="_DIFFUSE_COMPLETE", shell=shell.value
    )
    typer.echo(script)
