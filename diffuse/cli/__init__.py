"""The `diffuse` command line: parse options, call one core function, render, exit.

Exit codes: 0 ok, 1 a problem in the user's files or a refused action, 2 usage, 3 a bug.
Core modules are imported inside each command so `diffuse --help` stays fast. Each module
here registers its commands on `app` when imported.
"""

from diffuse.cli import commands as _commands
from diffuse.cli.app import app, main

__all__ = ["app", "main"]
del _commands
