"""The user's mistakes, as values: a `Problem` has a place, a stable code, a message and,
where one is known, what would fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class Level(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    path: Path
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return str(self.path)
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    code: str
    message: str
    level: Level = Level.ERROR
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.location}: {self.level}[{self.code}] {self.message}"


class DiffuseError(Exception):
    """A problem the user can fix: reported in one line (or a list), exit code 1."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems
