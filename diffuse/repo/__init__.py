"""Git, through GitPython: the only module that imports it, and only when a command needs it.

Reading history is done in a handful of git processes whatever its length: one `git log`
for the commits and one `git cat-file --batch` for every file content they need. `history`
runs them itself (`filelog`), without GitPython: it is a read that many run often, and
importing GitPython would cost a fifth of it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diffuse.errors import DiffuseError

EMPTY_BLOB = "0" * 40


NO_GIT = (
    "git could not be run: 'git version' must work (install git, put it on PATH or "
    "set GIT_PYTHON_GIT_EXECUTABLE to its full path, and fix any error it prints)"
)


def _gitpython() -> Any:
    """GitPython, imported when a command first needs git (start-up stays fast). It fails
    to import when no git executable can be found: the user's to fix, not a bug."""
    try:
        import git
    except ImportError:
        raise DiffuseError(NO_GIT) from None
    return git


_FIELDS = 5  # sha, author name, author email, author date, message


@dataclass(frozen=True)
class Change:
    """One file in one commit: its blob before and after (EMPTY_BLOB when absent)."""

    path: str
    old_path: str
    old: str
    new: str


@dataclass
class Commit:
    sha: str
    author: str
    email: str
    date: str  # ISO 8601 author date
    message: str
    changes: list[Change] = field(default_factory=list)


def open_repo(path: Path, hint: str = "or leave out --commit") -> Any:
    git = _gitpython()

    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise DiffuseError(
            f"{path} is not inside a git repository; run 'git init' there {hint}"
        ) from None


def open_for_commit(path: Path, hint: str = "or leave out --commit") -> Any:
    """The repository at `path`, refused before anything is written when a lock file of
    git's is in the way: the commit would fail after the edit was made."""
    repo = open_repo(path, hint)
    for lock in _commit_locks(repo):
        if lock.exists() or lock.is_symlink():
            raise DiffuseError(
                f"{lock} exists: another git command is running in this repository, or one "
                "was stopped and left it behind. If no git command is running, delete that "
                "file and run this again; nothing was changed"
            )
    return repo


def _commit_locks(repo: Any) -> list[Path]:
    """The lock files `git commit` takes: the index, HEAD and the branch it moves."""
    git_dir, common = Path(repo.git_dir), Path(repo.common_dir)
    locks = [git_dir / "index.lock", git_dir / "HEAD.lock"]
    try:
        branch = str(repo.head.reference.path)  # refs/heads/NAME
    except (TypeError, ValueError):
        return locks  # a detached HEAD moves no branch
    return [*locks, common / f"{branch}.lock"]


def author_ident_email(path: Path) -> str | None:
    """The email git will author the next commit with at `path`, as git itself resolves it
    (`git var GIT_AUTHOR_IDENT`: GIT_AUTHOR_EMAIL, then user.email, then EMAIL); also
    outside a repository. None when git cannot tell."""
    try:
        git = _gitpython()
    except DiffuseError:
        return None  # without git, nobody's identity can be told
    try:
        ident = str(git.Git(str(path)).var("GIT_AUTHOR_IDENT"))
    except git.GitCommandError:
        return None
    return _ident_email(ident)


def author_email(repo: Any) -> str | None:
    """The email the next commit will be authored with (config and GIT_AUTHOR_* alike)."""
    git = _gitpython()

    try:
        ident = str(repo.git.var("GIT_AUTHOR_IDENT"))
    except git.GitCommandError:
        return None
    return _ident_email(ident)


def _ident_email(ident: str) -> str | None:
    start, end = ident.find("<"), ident.find(">")
    return ident[start + 1 : end].strip() or None if 0 <= start < end else None


def commit_files(repo: Any, paths: list[Path], message: str) -> str:
    """Commit exactly `paths` (other staged changes stay staged); returns the short hash."""
    git = _gitpython()

    names = [str(p.resolve()) for p in paths]
    try:
        repo.git.add("--", *names)
        repo.git.commit("-m", message, "--only", "--", *names)
    except git.GitCommandError as exc:
        raise DiffuseError(f"git commit failed: {_detail(exc)}") from None
    return str(repo.head.commit.hexsha[:10])


def commit_empty(repo: Any, message: str) -> str:
    """A commit that changes no file: a decision recorded in git itself."""
    git = _gitpython()

    try:
        repo.git.commit("--allow-empty", "--only", "-m", message)
    except git.GitCommandError as exc:
        raise DiffuseError(f"git commit failed: {_detail(exc)}") from None
    return str(repo.head.commit.hexsha[:10])


def init_repo(path: Path) -> bool:
    """`git init` on branch main unless `path` is already inside a repository; True when
    one was made."""
    git = _gitpython()

    try:
        git.Repo(path, search_parent_directories=True)
        return False
    except git.InvalidGitRepositoryError:
        git.Repo.init(path, initial_branch="main")
        return True


def first_commit(path: Path, message: str) -> str:
    """Commit everything in the new repository at `path`; the short hash."""
    git = _gitpython()

    repo = git.Repo(path)
    try:
        repo.git.add("-A")
        repo.git.commit("-q", "-m", message)
    except git.GitCommandError as exc:
        raise DiffuseError(f"git commit failed: {_detail(exc)}") from None
    return str(repo.head.commit.hexsha[:10])


def toplevel(repo: Any) -> Path:
    return Path(str(repo.working_tree_dir)).resolve()


def is_dirty(repo: Any, path: str) -> bool:
    """Whether `path` (relative to the top level) differs from HEAD or is untracked."""
    return bool(_git(repo, "status", "--porcelain", "--", path).strip())


def merge_base(repo: Any, ref: str) -> str:
    """Where HEAD's branch left `ref`: the commit a pull request is compared against."""
    git = _gitpython()

    if ref.startswith("-"):
        raise DiffuseError(f"'{ref}' is not a branch, tag or commit")
    try:
        return _git(repo, "merge-base", ref, "HEAD").decode().strip()
    except git.GitCommandError:
        # Only now find out why, so the usual case costs one git call.
        _must_exist(repo, ref)
        if _shallow(repo):
            raise DiffuseError(
                f"this is a shallow clone and the history between '{ref}' and HEAD is not "
                "in it; fetch it with 'git fetch --unshallow' (in GitHub Actions set "
                "'fetch-depth: 0' on actions/checkout)"
            ) from None
        raise DiffuseError(f"'{ref}' and HEAD share no history; nothing to compare") from None


def _must_exist(repo: Any, ref: str) -> None:
    git = _gitpython()

    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        return
    except git.GitCommandError:
        pass
    if _shallow(repo):
        branch = ref.split("/", 1)[1] if ref.startswith("origin/") else ref
        raise DiffuseError(
            f"the base '{ref}' is not in this shallow clone (CI services fetch only the "
            f"commit under test); fetch it with 'git fetch --depth=50 origin {branch}', or "
            "set 'fetch-depth: 0' on actions/checkout"
        )
    raise DiffuseError(
        f"no branch, tag or commit '{ref}' in this repository; give one that exists "
        "('git branch -a' lists them; run 'git fetch origin' if it is a remote branch), "
        "or use --base-default to compare with the default branch"
    )


_DEFAULT_CANDIDATES = ("origin/main", "origin/master", "main", "master")


def default_branch(path: Path) -> str:
    """The branch a change is compared with when none is named: the remote's default
    (origin/HEAD), else the first of origin/main, origin/master, main, master that exists."""
    git = _gitpython()

    repo = open_repo(path, "or pass --base REF")
    try:
        head = _git(repo, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD").decode()
        return head.strip().removeprefix("refs/remotes/")
    except git.GitCommandError:
        pass
    for candidate in _DEFAULT_CANDIDATES:
        try:
            _git(repo, "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}")
            return candidate
        except git.GitCommandError:
            continue
    raise DiffuseError(
        "no default branch to compare with: this repository has no origin/HEAD and none of "
        f"{', '.join(_DEFAULT_CANDIDATES)}; after adding the remote run 'git remote set-head "
        "origin --auto', or pass --base REF"
    )


def _shallow(repo: Any) -> bool:
    return _git(repo, "rev-parse", "--is-shallow-repository").strip() == b"true"


def changed_paths(repo: Any, base: str, under: list[str]) -> list[str]:
    """Files under `under` that differ between `base` and the working tree, untracked
    files included; paths relative to the top level."""
    diff = _git(repo, "diff", "--name-only", "--no-renames", "-z", base, "--", *under)
    others = _git(repo, "ls-files", "--others", "--exclude-standard", "-z", "--", *under)
    names = {p for p in (diff + others).decode(errors="surrogateescape").split("\0") if p}
    return sorted(names)


def files_at(repo: Any, rev: str, paths: list[str]) -> dict[str, bytes]:
    """The content of each path at `rev`; paths absent there are left out."""
    if not paths:
        return {}
    # Blobs are asked for by id: a path may hold a line break, which `cat-file --batch`
    # would read as the end of a request.
    listing = _git(repo, "ls-tree", "-z", "--full-tree", rev, "--", *paths)
    ids: dict[str, str] = {}
    for entry in listing.decode(errors="surrogateescape").split("\0"):
        meta, _, name = entry.partition("\t")
        if meta.split()[1:2] == ["blob"]:
            ids[name] = meta.split()[2]
    contents = blobs(repo, list(ids.values()))
    return {name: contents[sha] for name, sha in ids.items() if sha in contents}


def blobs(repo: Any, shas: list[str]) -> dict[str, bytes]:
    """The content of each blob of `shas` (full ids) that git has."""
    wanted = sorted({sha for sha in shas if sha != EMPTY_BLOB})
    if not wanted:
        return {}
    out = _git(repo, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in wanted).encode())
    return dict(batch_contents(io.BytesIO(out)))


def log_range(repo: Any, base: str, paths: list[str] | None = None) -> list[Commit]:
    """Every commit in base..HEAD, oldest first, with the files each one changed."""
    args = ["log", "--reverse", "--raw", "--no-renames", f"{base}..HEAD"]
    return _log(repo, args, paths)


@dataclass(frozen=True)
class Signature:
    """What git found in a commit's signature (see `git log --format=%G?`)."""

    status: str  # G good, U good but of unknown trust, N none; B, X, Y, R, E otherwise
    signer: str  # SSH: the allowed-signers principal; GPG: "Name <email>" of the key
    key: str  # fingerprint of the signing key
    primary: str  # GPG: fingerprint of the primary key of a signing subkey


def signatures(repo: Any, shas: list[str]) -> dict[str, Signature]:
    """The signature of each commit, checked by git (gpg or ssh-keygen) in one call."""
    if not shas:
        return {}
    fmt = "--format=%H%x00%G?%x00%GS%x00%GF%x00%GP"
    feed = "".join(f"{sha}\n" for sha in sorted(set(shas))).encode()
    out = _git(repo, "log", "--no-walk=unsorted", "--stdin", "-z", fmt, stdin=feed)
    tokens = out.decode(errors="surrogateescape").split("\0")
    found: dict[str, Signature] = {}
    at = 0
    while at + 5 <= len(tokens):
        sha, *fields = tokens[at : at + 5]
        found[sha.strip()] = Signature(*fields)
        at += 5
        while at < len(tokens) and not tokens[at].strip():
            at += 1
    return found


def _log(repo: Any, args: list[str], paths: list[str] | None) -> list[Commit]:
    # Every field ends in NUL, the one byte git never lets into a message, a name or a path,
    # so no text a user can write moves the fields (see log_records).
    fmt = "--format=%H%x00%an%x00%ae%x00%aI%x00%B"
    tail = ["--", *paths] if paths is not None else []
    out = _git(repo, *args, "--no-abbrev", "-z", "--no-color", fmt, *tail)
    return list(log_records(out.decode(errors="surrogateescape").split("\0")))


def log_records(tokens: Iterable[str]) -> Iterator[Commit]:
    """Commits from `git log -z --raw` split at NUL: the five format fields, then each
    changed file as a ':meta' token followed by its path (two for a rename or copy). Each
    commit is yielded once the token after its last change is read."""
    fields: list[str] = []
    commit: Commit | None = None
    meta: list[str] = []
    names: list[str] = []
    due = 0  # paths still to read for `meta`
    for token in tokens:
        if due:
            names.append(token)
            due -= 1
            if not due and commit is not None:
                commit.changes.append(Change(names[-1], names[0], meta[2], meta[3]))
            continue
        if commit is not None and (token == "" or token.lstrip("\n")[:1] == ":"):
            meta, names = token.lstrip("\n").split(), []
            due = (2 if meta[-1][:1] in ("R", "C") else 1) if meta else 0
            continue
        if commit is not None:
            yield commit
            commit = None
        fields.append(token)
        if len(fields) == _FIELDS:
            sha, author, email, day, message = fields
            commit, fields = Commit(sha.lstrip("\n"), author, email, day, message), []
    if commit is not None:
        yield commit


def batch_contents(stream: Any) -> Iterator[tuple[str, bytes]]:
    """The id and content of each blob `git cat-file --batch` writes to `stream`; ids it
    reports missing, and objects that are not blobs, are left out."""
    while header := stream.readline():
        parts = header.split()
        if len(parts) != 3:
            continue  # "<id> missing"
        data = stream.read(int(parts[2]) + 1)[:-1]
        if parts[1] == b"blob":
            yield parts[0].decode(), data


def _git(repo: Any, *args: str, stdin: bytes | None = None) -> bytes:
    if stdin is None:
        return _execute(repo, list(args), None)
    import tempfile  # only GitPython's commands feed git; history runs without it

    with tempfile.TemporaryFile() as feed:
        feed.write(stdin)
        feed.seek(0)
        return _execute(repo, list(args), feed)


def _execute(repo: Any, args: list[str], feed: Any) -> bytes:
    # Paths are passed as themselves, never as patterns: '*' or ':' in a name is just a name.
    out = repo.git.execute(
        ["git", "--literal-pathspecs", *args],
        istream=feed,
        stdout_as_string=False,
        strip_newline_in_stdout=False,
    )
    return bytes(out)


def _detail(exc: Any) -> str:
    detail = (exc.stderr or str(exc)).strip().splitlines()
    if not detail:
        return str(exc)
    # GitPython wraps git's words as "stderr: '...'"; the user needs only git's.
    last = str(detail[-1]).strip()
    if last.startswith("stderr: '") and last.endswith("'"):
        last = last[len("stderr: '") : -1]
    return last


def git_failure(exc: BaseException) -> str | None:
    """What to tell the user when a git command failed and nothing above expected it (a
    broken config, a damaged repository): git's own last word, which is theirs to act on.
    None when `exc` is not a git failure."""
    import sys

    git = sys.modules.get("git")  # not imported, no git command has run
    if git is None or not isinstance(exc, git.GitCommandError):
        return None
    command = " ".join(str(part) for part in exc.command[1:3] if not str(part).startswith("-"))
    return f"git {command} failed: {_detail(exc)}"
