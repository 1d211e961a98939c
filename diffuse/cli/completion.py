"""Shell completion: `diffuse completion` prints the script for bash, zsh or fish, and the
ids a tab press offers (practices, projects, sites and people) are found here.

The ids come from the tracker named by --root (or DIFFUSE_ROOT, or the nearest one above
the current folder), read cheaply: file names and one read of organisation.yaml, never a
validation, so a tab press stays quick on a big tracker.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from diffuse.cli.app import app
from diffuse.errors import DiffuseError
from diffuse.layout import find_root


def _root(ctx: typer.Context) -> Path | None:
    given = ctx.params.get("root") or os.environ.get("DIFFUSE_ROOT")
    try:
        return find_root(Path(given) if given else Path.cwd())
    except (DiffuseError, OSError):
        return None


def _ids(read: Callable[[Path], list[str]]) -> Callable[[typer.Context, str], list[str]]:
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        root = _root(ctx)
        if root is None:
            return []
        return sorted(i for i in set(read(root)) if i.startswith(incomplete))

    return complete


def _files(folder: str) -> Callable[[Path], list[str]]:
    def read(root: Path) -> list[str]:
        from diffuse.files.ids import file_ids  # PyYAML only when a shell asks

        return file_ids(root, folder)

    return read


def _organisation(section: str) -> Callable[[Path], list[str]]:
    def read(root: Path) -> list[str]:
        from diffuse.files.ids import organisation_ids  # PyYAML only when a shell asks

        return organisation_ids(root, section)

    return read


practices = _ids(_files("practices"))
projects = _ids(_files("projects"))
items = _ids(lambda root: [*_files("practices")(root), *_files("projects")(root)])
sites = _ids(_organisation("sites"))
people = _ids(_organisation("people"))


ProjectArg = Annotated[
    str, typer.Argument(metavar="PROJECT", help="Project id.", autocompletion=projects)
]
SiteArg = Annotated[str, typer.Argument(metavar="SITE", help="Site id.", autocompletion=sites)]
ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="PERSON",
        help="Person id to record (default: the person whose email git authors commits "
        "with, as 'git var GIT_AUTHOR_IDENT' shows).",
        show_default=False,
        autocompletion=people,
    ),
]


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
    from the tracker. For bash, add this line to ~/.bashrc: eval "$(diffuse completion bash)"

    \b
    Example: diffuse completion fish > ~/.config/fish/completions/diffuse.fish"""
    # Typer's own scripts and completion classes (what `--show-completion` would print),
    # loaded only by this command.
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    script = get_completion_script(
        prog_name="diffuse", complete_var="_DIFFUSE_COMPLETE", shell=shell.value
    )
    typer.echo(script)
