"""Shared fixtures: a throwaway copy of the example project, and running the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.publishing.project import Project

REPO = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "catalog", "public_keys", "status", "docs")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_credcat(*args: str | Path, cwd: Path, env: dict[str, str] | None = None,
                stdin: str | None = None) -> Run:
    """Run `credcat` as a user would, in a subprocess."""
    full_env = {k: v for k, v in os.environ.items() if k != "CREDCAT_SIGNING_KEY"}
    full_env.update(env or {})
    done = subprocess.run([sys.executable, "-m", "site_builder.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=full_env, input=stdin,
                          timeout=600)
    return Run(done.returncode, done.stdout, done.stderr)


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example catalog project outside any Git work tree."""
    return copy_project(tmp_path / "project")


ISSUER = "northbridge-college"


def active_credential(project: Path, issuer: str = ISSUER) -> str:
    catalog = Project.from_config(project / "mkdocs.yml").require()
    return next(c.id for c in sorted(catalog.credentials.values(), key=lambda c: c.id)
                if c.issuer.id == issuer and c.active)


@pytest.fixture
def keyed(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The project with a fresh published key for ISSUER; returns (project, private key)."""
    private = tmp_path / "secrets" / "northbridge.pem"
    result = run_credcat("keygen", ISSUER, "--key-id", "test-key", "--out", private, cwd=project)
    assert result.returncode == 0, result.stderr
    return project, private


BROWSER_FIXTURES = {"chromium", "watched_page", "browser_thread"}
INTEROP_FIXTURES = {"node"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by what they drive, so `make test-quick` can leave them out.

    Taken from the fixtures a test uses rather than written on each test, so a new browser or
    interop test is marked without anyone remembering to.
    """
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & INTEROP_FIXTURES:
            item.add_marker(pytest.mark.interop)
