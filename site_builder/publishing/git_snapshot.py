"""A catalog as it was at a Git revision, copied out into a folder the real loader can read.

`credcat diff` compares two revisions with the same loader `credcat check` uses, so the
comparison can never disagree with validation. `git archive` writes the folders of one commit
without touching the work tree, the index or the checked-out branch, so it is safe to run in a
maintainer's repository with uncommitted edits.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from site_builder.errors import CredcatError, ExitCode


class GitError(CredcatError):
    """Git is missing, the folder is not a repository, or a revision does not exist."""

    exit_code = ExitCode.USAGE


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                              timeout=120, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} took too long") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def repository_root(folder: Path) -> Path:
    """The top of the Git work tree holding `folder`."""
    try:
        out = _git(folder, "rev-parse", "--show-toplevel")
    except GitError as exc:
        raise GitError(f"{folder} is not in a Git repository ({exc}); `credcat diff` compares "
                       "revisions of a catalog kept in Git") from exc
    return Path(out.decode("utf-8").strip())


def resolve(repo: Path, ref: str) -> str:
    """The commit a branch, tag or hash names, or a GitError saying how to get it."""
    if ref.startswith("-"):
        raise GitError(f"'{ref}' is not a revision")
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode(
            "ascii").strip()
    except GitError:
        raise GitError(f"unknown revision '{ref}': fetch it first (`git fetch origin`; in "
                       "GitHub Actions check out with `fetch-depth: 0`)") from None


def export(repo: Path, commit: str, paths: list[str], dest: Path) -> None:
    """Write `paths` (folders or files, relative to the repository) as they are at `commit`.

    Paths missing at that commit are skipped: an older revision may have no status/ yet.
    """
    present = [p for p in paths if _git(repo, "ls-tree", "--name-only", commit, "--", p).strip()]
    dest.mkdir(parents=True, exist_ok=True)
    if not present:
        return
    data = _git(repo, "archive", "--format=tar", commit, "--", *present)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        # A pull request's content is not trusted: only plain files and folders inside
        # `dest` are written (a symbolic link could point the loader anywhere).
        members = [m for m in archive.getmembers() if (m.isfile() or m.isdir())
                   and not Path(m.name).is_absolute() and ".." not in Path(m.name).parts]
        if hasattr(tarfile, "data_filter"):
            archive.extractall(dest, members=members, filter="data")
        else:  # Python 3.11 before 3.11.4 has no extraction filters
            archive.extractall(dest, members=members)


def snapshot(project_root: Path, ref: str, parts: list[str], dest: Path) -> tuple[Path, str]:
    """Copy the project's `parts` at `ref` under `dest`; return the copy's root and the commit.

    The project may sit in a sub-folder of the repository; the copy keeps that layout, so
    paths in messages read the same as in the work tree.
    """
    top = repository_root(project_root)
    commit = resolve(top, ref)
    prefix = project_root.resolve().relative_to(top.resolve())
    paths = [(prefix / part).as_posix() for part in parts]
    export(top, commit, paths, dest)
    return dest / prefix, commit
