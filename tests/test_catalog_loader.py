"""`CatalogLoader`, kept across `credcat serve` rebuilds: only changed files are parsed again,
and every load gives what a fresh `load_catalog` gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.catalog import loader as loader_module
from site_builder.catalog.loader import CatalogLoader, load_catalog
from site_builder.catalog.model import Catalog
from site_builder.catalog.problems import Problem
from site_builder.catalog.yaml_source import Position, parse_yaml

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
INTRO = "catalog/credentials/intro-data.yaml"
CERTIFICATE = "catalog/credentials/data-certificate.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "p")
    return tmp_path / "p"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the YAML files parsed (the real parser still runs)."""
    calls: list[int] = []
    real = loader_module.parse_yaml

    def counting(text: str, **options: object) -> object:
        calls.append(1)
        return real(text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(loader_module, "parse_yaml", counting)
    return calls


def _edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel} must hold {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _view(catalog: Catalog) -> dict[str, object]:
    """What the site reads of the model, comparable between two loads."""
    return {
        "credentials": {c.id: (c.name, c.issuer.id, [s.id for s in c.skills],
                               [p.id for p in c.pathways], [s.id for s in c.stacks_into],
                               c.workload.hours, c.summary)
                        for c in catalog.credentials.values()},
        "issuers": {i.id: [c.id for c in i.credentials] for i in catalog.issuers.values()},
        "skills": {s.id: [c.id for c in s.credentials] for s in catalog.skills.values()},
        "pathways": {p.id: [[c.id for c in s.credentials] for s in p.stages]
                     for p in catalog.pathways.values()},
        "occupations": sorted(catalog.occupations),
    }


def _same_as_fresh(loader: CatalogLoader, project: Path) -> list[Problem]:
    catalog, problems = loader.load()
    fresh, fresh_problems = load_catalog(project)
    assert problems == fresh_problems
    assert _view(catalog) == _view(fresh)
    return problems


def test_a_second_load_parses_only_the_changed_file(project: Path, parsed: list[int]) -> None:
    loader = CatalogLoader(project)
    assert _same_as_fresh(loader, project) == []
    files = len(parsed) // 2  # the loader's load and the fresh one
    assert files == 9  # 2 issuers, 4 credentials, 2 pathways, skills.yaml
    parsed.clear()
    _edit(project, INTRO, "name: ", "name: Renamed ")
    catalog, problems = loader.load()
    assert len(parsed) == 1
    assert problems == []
    assert catalog.credentials["intro-data"].name.startswith("Renamed ")
    parsed.clear()
    loader.load()
    assert parsed == []  # nothing changed, nothing parsed


def test_a_changed_file_is_checked_against_the_others_again(project: Path) -> None:
    loader = CatalogLoader(project)
    loader.load()
    # Valid on its own, wrong in the catalog: the reference check runs on the kept file too.
    _edit(project, INTRO, "issuer: acme-college", "issuer: acme-collage")
    problems = _same_as_fresh(loader, project)
    assert [(p.file, p.line, p.message) for p in problems if p.is_error] == [
        (INTRO, 2, "unknown issuer 'acme-collage'")]
    # The issuer the others name disappears: the unchanged files now report it.
    _edit(project, INTRO, "issuer: acme-collage", "issuer: acme-college")
    (project / "catalog/issuers/data-guild.yaml").unlink()
    problems = _same_as_fresh(loader, project)
    assert CERTIFICATE in {p.file for p in problems}
    assert all(p.file != "catalog/issuers/data-guild.yaml" for p in problems)


def test_a_kept_file_reports_its_own_problems_again(project: Path, parsed: list[int]) -> None:
    _edit(project, INTRO, "workload:\n  hours: ", "workload:\n  hours: -")
    loader = CatalogLoader(project)
    first = _same_as_fresh(loader, project)
    assert [(p.file, p.line) for p in first if p.is_error] == [
        (INTRO, _line_of(project / INTRO, "hours: -"))]
    parsed.clear()
    _edit(project, CERTIFICATE, "name: ", "name: Renamed ")
    assert loader.load()[1] == first
    assert len(parsed) == 1
    # Fixed: the same loader reports nothing.
    _edit(project, INTRO, "hours: -", "hours: ")
    assert _same_as_fresh(loader, project) == []


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_positions_found_later_are_those_found_at_once() -> None:
    text = (FIXTURE / INTRO).read_text(encoding="utf-8")
    marked = parse_yaml(text)
    later = parse_yaml(text, reread=lambda: text)
    assert later.data == marked.data and later.values == {}  # nothing kept until asked
    paths = list(marked.values)
    assert len(paths) > 20
    for path in paths:
        assert later.position(path) == marked.position(path)
        assert later.position(path, key=True) == marked.position(path, key=True)
    # A file gone since it was read: its problems go to the top of the file, not a traceback.
    gone = parse_yaml(text, reread=lambda: None)
    assert gone.position(("workload", "hours")) == Position(1, 1)
