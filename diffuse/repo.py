"""Git, through GitPython: the only module that imports it, and only when a command needs it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from diffuse.errors import DiffuseError


def open_repo(path: Path) -> Any:
    import git

    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise DiffuseError(
            f"{path} is not inside a git repository; run 'git init' there or leave out --commit"
        ) from None


def user_email(path: Path) -> str | None:
    """git's user.email for the repository at `path`, or None outside a repository."""
    import git

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    try:
        value = repo.git.config("--get", "user.email")
    except git.GitCommandError:
        return None
    return str(value).strip() or None


def commit_files(repo: Any, paths: list[Path], message: str) -> str:
    """Commit exactly `paths` (other staged changes stay staged); returns the short hash."""
    import git

    names = [str(p.resolve()) for p in paths]
    try:
        repo.git.add("--", *names)
        repo.git.commit("-m", message, "--only", "--", *names)
    except git.GitCommandError as exc:
        detail = (exc.stderr or str(exc)).strip().splitlines()
        raise DiffuseError(f"git commit failed: {detail[-1] if detail else exc}") from None
    return str(repo.head.commit.hexsha[:10])


def init_repo(path: Path) -> bool:
    """`git init` unless `path` is already inside a repository; True when one was made."""
    import git

    try:
        git.Repo(path, search_parent_directories=True)
        return False
    except git.InvalidGitRepositoryError:
        git.Repo.init(path)
        return True
