"""The tracker's git repository: commits, changes between refs, file contents and
signatures, read and written by git processes that `runner` starts (no GitPython: a handful
of plain commands, typed here, cost less to start than a library that wraps them).

Reading history is done in a handful of git processes whatever its length: one `git log`
for the commits and one `git cat-file --batch` for every file content they need.

- `runner`: starts every git process; `filelog`: one file's history, streamed, for
  `diffuse history`; `dated`: the tracker's files as committed by a date, for `--as-of`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from diffuse.errors import DiffuseError
from diffuse.repo.runner import NO_GIT, GitFailed, output, run

__all__ = ["NO_GIT", "GitFailed"]

EMPTY_BLOB = "0" * 40


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


@dataclass(frozen=True)
class Repo:
    """A work tree of a git repository, as git itself found it from a folder inside."""

    top: Path  # the top level of the work tree
    git_dir: Path  # this work tree's own git folder (.git, or one under worktrees/)
    common_dir: Path  # the folder shared by every work tree: refs, objects

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        """What git `args` writes, run at the top level; `GitFailed` when it fails."""
        return output(self.top, args, stdin)

    def succeeds(self, *args: str) -> bool:
        return run(self.top, args).ok


_NOT_A_REPO = b"not a git repository"


def open_repo(path: Path, hint: str = "or leave out --commit") -> Repo:
    refused = f"{path} is not inside a git repository; run 'git init' there {hint}"
    if not path.is_dir():
        raise DiffuseError(refused)
    done = run(path, ["rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir"])
    if not done.ok and _NOT_A_REPO in done.err:
        raise DiffuseError(refused)
    top, git_dir, common = done.checked().decode(errors="surrogateescape").splitlines()[:3]
    return Repo(Path(top).resolve(), Path(git_dir), (path / common).resolve())


def open_for_commit(path: Path, hint: str = "or leave out --commit") -> Repo:
    """The repository at `path`, refused before anything is written when a lock file of
    git's is in the way: the commit would fail after the edit was made."""
    try:
        repo = open_repo(path, hint)
    except GitFailed as exc:
        raise DiffuseError(f"git commit failed: {exc.detail}") from None
    for lock in _commit_locks(repo):
        if lock.exists() or lock.is_symlink():
            raise DiffuseError(
                f"{lock} exists: another git command is running in this repository, or one "
                "was stopped and left it behind. If no git command is running, delete that "
                "file and run this again; nothing was changed"
            )
    return repo


def _commit_locks(repo: Repo) -> list[Path]:
    """The lock files `git commit` takes: the index, HEAD and the branch it moves."""
    locks = [repo.git_dir / "index.lock", repo.git_dir / "HEAD.lock"]
    branch = run(repo.top, ["symbolic-ref", "--quiet", "HEAD"])
    if not branch.ok:
        return locks  # a detached HEAD moves no branch
    name = branch.out.decode(errors="surrogateescape").strip()  # refs/heads/NAME
    return [*locks, repo.common_dir / f"{name}.lock"]


def author_ident_email(path: Path) -> str | None:
    """The email git will author the next commit with at `path`, as git itself resolves it
    (`git var GIT_AUTHOR_IDENT`: GIT_AUTHOR_EMAIL, then user.email, then EMAIL); also
    outside a repository. None when git cannot tell."""
    folder = next((p for p in (path, *path.parents) if p.is_dir()), Path.cwd())
    try:
        done = run(folder, ["var", "GIT_AUTHOR_IDENT"])
    except DiffuseError:
        return None  # without git, nobody's identity can be told
    return _ident_email(done.out.decode(errors="replace")) if done.ok else None


def author_email(repo: Repo) -> str | None:
    """The email the next commit will be authored with (config and GIT_AUTHOR_* alike)."""
    done = run(repo.top, ["var", "GIT_AUTHOR_IDENT"])
    return _ident_email(done.out.decode(errors="replace")) if done.ok else None


def _ident_email(ident: str) -> str | None:
    start, end = ident.find("<"), ident.find(">")
    return ident[start + 1 : end].strip() or None if 0 <= start < end else None


def commit_files(repo: Repo, paths: list[Path], message: str) -> str:
    """Commit exactly `paths` (other staged changes stay staged); returns the short hash."""
    names = [str(p.resolve()) for p in paths]
    _commit(repo.top, ["add", "--", *names])
    _commit(repo.top, ["commit", "-m", message, "--only", "--", *names])
    return _head(repo.top)


def commit_empty(repo: Repo, message: str) -> str:
    """A commit that changes no file: a decision recorded in git itself."""
    _commit(repo.top, ["commit", "--allow-empty", "--only", "-m", message])
    return _head(repo.top)


def _commit(folder: Path, args: list[str]) -> None:
    done = run(folder, args)
    if not done.ok:
        raise DiffuseError(f"git commit failed: {GitFailed(args, done.code, done.err).detail}")


def _head(folder: Path) -> str:
    return output(folder, ["rev-parse", "HEAD"]).decode().strip()[:10]


def init_repo(path: Path) -> bool:
    """`git init` on branch main unless `path` is already inside a repository; True when
    one was made."""
    if run(path, ["rev-parse", "--git-dir"]).ok:
        return False
    # `init -b` needs git 2.28; a symbolic ref set after a plain init works with any.
    output(path, ["init", "--quiet"])
    output(path, ["symbolic-ref", "HEAD", "refs/heads/main"])
    return True


def first_commit(path: Path, message: str) -> str:
    """Commit everything in the new repository at `path`; the short hash."""
    _commit(path, ["add", "-A"])
    _commit(path, ["commit", "-q", "-m", message])
    return _head(path)


def toplevel(repo: Repo) -> Path:
    return repo.top


def is_dirty(repo: Repo, path: str) -> bool:
    """Whether `path` (relative to the top level) differs from HEAD or is untracked."""
    return bool(repo.git("status", "--porcelain", "--", path).strip())


def merge_base(repo: Repo, ref: str) -> str:
    """Where HEAD's branch left `ref`: the commit a pull request is compared against."""
    if ref.startswith("-"):
        raise DiffuseError(f"'{ref}' is not a branch, tag or commit")
    try:
        return repo.git("merge-base", ref, "HEAD").decode().strip()
    except GitFailed:
        # Only now find out why, so the usual case costs one git call.
        _must_exist(repo, ref)
        if _shallow(repo):
            raise DiffuseError(
                f"this is a shallow clone and the history between '{ref}' and HEAD is not "
                "in it; fetch it with 'git fetch --unshallow' (in GitHub Actions set "
                "'fetch-depth: 0' on actions/checkout)"
            ) from None
        raise DiffuseError(f"'{ref}' and HEAD share no history; nothing to compare") from None


def _must_exist(repo: Repo, ref: str) -> None:
    if repo.succeeds("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"):
        return
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
    repo = open_repo(path, "or pass --base REF")
    head = run(repo.top, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"])
    if head.ok:
        return head.out.decode().strip().removeprefix("refs/remotes/")
    for candidate in _DEFAULT_CANDIDATES:
        if repo.succeeds("rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}"):
            return candidate
    raise DiffuseError(
        "no default branch to compare with: this repository has no origin/HEAD and none of "
        f"{', '.join(_DEFAULT_CANDIDATES)}; after adding the remote run 'git remote set-head "
        "origin --auto', or pass --base REF"
    )


def _shallow(repo: Repo) -> bool:
    return repo.git("rev-parse", "--is-shallow-repository").strip() == b"true"


def changed_paths(repo: Repo, base: str, under: list[str]) -> list[str]:
    """Files under `under` that differ between `base` and the working tree, untracked
    files included; paths relative to the top level."""
    diff = repo.git("diff", "--name-only", "--no-renames", "-z", base, "--", *under)
    others = repo.git("ls-files", "--others", "--exclude-standard", "-z", "--", *under)
    names = {p for p in (diff + others).decode(errors="surrogateescape").split("\0") if p}
    return sorted(names)


def files_at(repo: Repo, rev: str, paths: list[str]) -> dict[str, bytes]:
    """The content of each path at `rev`; paths absent there are left out."""
    if not paths:
        return {}
    # Blobs are asked for by id: a path may hold a line break, which `cat-file --batch`
    # would read as the end of a request.
    listing = repo.git("ls-tree", "-z", "--full-tree", rev, "--", *paths)
    ids: dict[str, str] = {}
    for entry in listing.decode(errors="surrogateescape").split("\0"):
        meta, _, name = entry.partition("\t")
        if meta.split()[1:2] == ["blob"]:
            ids[name] = meta.split()[2]
    contents = blobs(repo, list(ids.values()))
    return {name: contents[sha] for name, sha in ids.items() if sha in contents}


def blobs(repo: Repo, shas: list[str]) -> dict[str, bytes]:
    """The content of each blob of `shas` (full ids) that git has."""
    wanted = sorted({sha for sha in shas if sha != EMPTY_BLOB})
    if not wanted:
        return {}
    out = repo.git("cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in wanted).encode())
    return dict(batch_contents(io.BytesIO(out)))


def log_range(repo: Repo, base: str, paths: list[str] | None = None) -> list[Commit]:
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


def signatures(repo: Repo, shas: list[str]) -> dict[str, Signature]:
    """The signature of each commit, checked by git (gpg or ssh-keygen) in one call."""
    if not shas:
        return {}
    fmt = "--format=%H%x00%G?%x00%GS%x00%GF%x00%GP"
    feed = "".join(f"{sha}\n" for sha in sorted(set(shas))).encode()
    out = repo.git("log", "--no-walk=unsorted", "--stdin", "-z", fmt, stdin=feed)
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


def _log(repo: Repo, args: list[str], paths: list[str] | None) -> list[Commit]:
    # Every field ends in NUL, the one byte git never lets into a message, a name or a path,
    # so no text a user can write moves the fields (see log_records).
    fmt = "--format=%H%x00%an%x00%ae%x00%aI%x00%B"
    tail = ["--", *paths] if paths is not None else []
    out = repo.git(*args, "--no-abbrev", "-z", "--no-color", fmt, *tail)
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


def batch_contents(stream: IO[bytes]) -> Iterator[tuple[str, bytes]]:
    """The id and content of each blob `git cat-file --batch` writes to `stream`; ids it
    reports missing, and objects that are not blobs, are left out."""
    while header := stream.readline():
        parts = header.split()
        if len(parts) != 3:
            continue  # "<id> missing"
        data = stream.read(int(parts[2]))
        stream.read(1)  # the line break after the content: not copied with it
        if parts[1] == b"blob":
            yield parts[0].decode(), data
