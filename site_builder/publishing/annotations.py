"""GitHub Actions workflow commands for `credcat check`, so problems show on the PR's lines.

GitHub turns a line such as `::error file=catalog/x.yaml,line=3,col=5,title=...::message` in a
job's output into an annotation on that line of the pull request's diff. The escaping rules are
GitHub's own (actions/toolkit, `command.ts`): data escapes `%`, CR and LF; property values also
escape `:` and `,`, which would otherwise end the value early.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from site_builder.catalog.problems import Problem

TITLE = "credcat check"


def running_in_github_actions(environ: Mapping[str, str] | None = None) -> bool:
    """GitHub sets GITHUB_ACTIONS=true on every runner; nothing else does."""
    return (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_path(file: str, project_root: Path, workspace: Path | None) -> str:
    """The problem's file relative to the checked-out repository, which is what GitHub maps.

    Problems name files relative to the catalog's folder; when mkdocs.yml is not at the
    repository's top, the annotation needs the folder in front.
    """
    path = Path(file)
    absolute = path if path.is_absolute() else project_root / path
    if workspace is not None:
        try:
            return absolute.resolve().relative_to(workspace.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def workflow_command(problem: Problem, project_root: Path,
                     workspace: Path | None = None) -> str:
    """One `::error` or `::warning` line, with the hint in the message."""
    level = "error" if problem.is_error else "warning"
    file = repository_path(problem.file, project_root, workspace)
    properties = ",".join(f"{name}={escape_property(str(value))}" for name, value in (
        ("file", file), ("line", problem.line), ("col", problem.column), ("title", TITLE)))
    message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return f"::{level} {properties}::{escape_data(message)}"


def workspace_from_environment(environ: Mapping[str, str] | None = None) -> Path | None:
    value = (environ if environ is not None else os.environ).get("GITHUB_WORKSPACE")
    return Path(value) if value else None
