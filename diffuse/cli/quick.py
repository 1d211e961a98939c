"""`diffuse validate` and `diffuse status` run without loading Typer, where that is safe.

Loading Typer and building a command costs a cold `status` about a tenth of its time. When
every argument is one these commands take, spelled as Typer reads it, in the common way
(`--opt value` or `--opt=value`, values in plain ASCII), the program reads the arguments
here and runs the command's body (`bare`) as Typer would run it. Anything else (help, an
unknown or misspelt option, a value Typer would refuse or convert, `--`, shell
completion) is left to Typer: `attempt` returns None before doing anything, and Typer
reads the same arguments from the start. A test keeps the table below equal to Typer's
options (`tests/cli/test_quick.py`).
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from diffuse.cli import bare

FLAG = "flag"  # --all: no value
MANY = "many"  # repeatable text
TEXT = "text"
PATH = "path"
COUNT = "count"  # a whole number, 0 or more
Kind = str | frozenset[str]  # one of the above, or the values a choice takes

# The parameter each option sets and the kind of its value, per command.
_COMMON: dict[str, tuple[str, Kind]] = {"--as-of": ("as_of", TEXT), "--root": ("root", PATH)}
OPTIONS: dict[str, dict[str, tuple[str, Kind]]] = {
    "status": {
        "--practice": ("practice", MANY),
        "--phase": ("phase", MANY),
        "--site": ("site", MANY),
        "--health": ("health", MANY),
        "--group": ("group", frozenset(bare.GroupBy)),
        "--all": ("all_projects", FLAG),
        "--sort": ("sort", frozenset(bare.SortBy)),
        "--limit": ("limit", COUNT),
        "--format": ("output", frozenset(bare.Format)),
        **_COMMON,
    },
    "validate": {"--format": ("output", frozenset(bare.ValidateFormat)), **_COMMON},
}
ARGUMENTS = {"validate": "paths"}  # the command's positional arguments, where it has them
ENVVARS = {"root": "DIFFUSE_ROOT"}  # read when the option is not given


def attempt(argv: list[str]) -> int | None:
    """The exit code of `diffuse *argv`, run here; None when Typer must read `argv`."""
    if os.name == "nt" or "_DIFFUSE_COMPLETE" in os.environ or not _plain_streams():
        return None  # Click rewraps a console or a stream that cannot take UTF-8
    command, args = argv[0], argv[1:]
    options = OPTIONS.get(command)
    read = None if options is None else arguments(args, options, command in ARGUMENTS)
    if read is None:
        return None
    values, positional = read
    for param, name in ENVVARS.items():
        if param not in values and os.environ.get(name):
            values[param] = os.environ[name]
    paths = [values.get("root"), *positional]
    day = _day(values.pop("as_of", None))
    if day is None or not all(_readable(path) for path in paths if path is not None):
        return None
    try:
        return bare.guarded(_runner(command, values, positional, day))
    except KeyboardInterrupt:
        return 130  # as Typer ends on Ctrl-C: quietly


def arguments(
    args: list[str], options: dict[str, tuple[str, Kind]], positional: bool
) -> tuple[dict[str, Any], list[str]] | None:
    """Each option's value and the positional arguments, as Typer would read them; None
    when Typer would read anything differently, refuse it or answer it itself."""
    values: dict[str, Any] = {}
    rest: list[str] = []
    at = 0
    while at < len(args):
        arg = args[at]
        at += 1
        if not arg or not arg.isascii():
            return None
        if arg[0] != "-":
            if not positional:
                return None
            rest.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if name not in options:
            return None  # --help, --, a short or unknown option: Typer answers those
        param, kind = options[name]
        if kind == FLAG:
            if equals:
                return None
            values[param] = True
            continue
        if not equals:
            if at == len(args):
                return None
            value = args[at]
            at += 1
        if not value or value[0] == "-" or not value.isascii():
            return None
        if isinstance(kind, frozenset):
            if value not in kind:
                return None
        elif kind == COUNT:
            if not value.isdigit():
                return None
            values[param] = int(value)
            continue
        if kind == MANY:
            values.setdefault(param, []).append(value)
        else:
            values[param] = value
    return values, rest


def _plain_streams() -> bool:
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        try:
            if stream is None or not encoding or codecs.lookup(encoding).name == "ascii":
                return False
        except LookupError:
            return False
    return True


def _day(value: str | None) -> date | None:
    """The day `--as-of` names, as the command reads it; None for Typer to refuse."""
    if value is None:
        return date.today()
    from diffuse.limits import FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def _readable(path: str) -> bool:
    """Whether Typer takes `path`: one that exists must be readable."""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return True
    return os.access(path, os.R_OK)


def _runner(
    command: str, values: dict[str, Any], positional: list[str], day: date
) -> Callable[[], int]:
    root = Path(values["root"]) if "root" in values else None
    if command == "validate":
        paths = [Path(path) for path in positional]
        return lambda: bare.validate(paths, values.get("output"), day, root)
    picked = (
        tuple(values.get("practice", ())),
        tuple(values.get("phase", ())),
        tuple(values.get("site", ())),
        tuple(values.get("health", ())),
    )
    return lambda: bare.status(
        picked,
        values.get("all_projects", False),
        values.get("group", bare.GroupBy.AUTO.value),
        values.get("sort", bare.SortBy.NAME.value),
        values.get("limit"),
        values.get("output", bare.Format.TEXT.value),
        day,
        root,
    )
