"""The rendered-page cache never changes the site: a cached rebuild equals a clean build.

Each step changes one kind of input the pages are made from, rebuilds with the cache the
previous builds left, then builds the same inputs again with no cache, and compares every
file of the two sites byte for byte, the search index included.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.catalog.loader import CatalogLoader, load_catalog
from site_builder.catalog.model import Catalog, Languages
from site_builder.site.page_cache import Digests, Entry, PageCache, entity_name
from tests.conftest import copy_project, run_credcat

# A fixed build date (MkDocs reads SOURCE_DATE_EPOCH): the footer and the feed show it.
ENV = {"SOURCE_DATE_EPOCH": "1780000000"}
CREDENTIAL = "catalog/credentials/career-conversations-foundations.yaml"
UNNAMED = "online-career-information-services"  # no pathway or credential names it
TRANSLATED = "ai-literacy-for-the-workplace"  # its name in English and French
THEME = Path(__file__).resolve().parents[1] / "templates" / "theme"


def _build(project: Path, out: Path) -> tuple[int, int]:
    """Build; return how many generated pages were rendered and how many reused."""
    done = run_credcat("build", "-v", "-d", out, cwd=project, env=ENV)
    assert done.returncode == 0, done.stderr
    found = re.search(r"generated pages: ([\d,]+) rendered, ([\d,]+) unchanged", done.stderr)
    assert found, done.stderr
    rendered, reused = (int(n.replace(",", "")) for n in found.groups())
    return rendered, reused


def _build_clean(project: Path, out: Path) -> Path:
    """Build with no cache, leaving the cache of the earlier builds as it was."""
    cache = project / ".cache" / "credcat"
    kept = cache.with_name("kept")
    cache.rename(kept)
    try:
        assert _build(project, out)[1] == 0
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        kept.rename(cache)
    return out


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_line(path: Path, prefix: str) -> str:
    return next(line for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith(prefix))


def _change_credential(project: Path) -> None:
    path = project / CREDENTIAL
    line = _first_line(path, "name:")
    _edit(path, line, f"{line} (revised)")


def _change_issuer(project: Path) -> None:
    issuer = _first_line(project / CREDENTIAL, "issuer:").split(":", 1)[1].strip()
    path = project / "catalog" / "issuers" / f"{issuer}.yaml"
    line = _first_line(path, "name:")
    _edit(path, line, f"{line} Institute")


def _change_pathway(project: Path) -> None:
    path = sorted((project / "catalog" / "pathways").glob("*.yaml"))[0]
    line = _first_line(path, "name:")
    _edit(path, line, f"{line} (new edition)")


def _change_skill(project: Path) -> None:
    path = project / "catalog" / "skills.yaml"
    line = next(line for line in path.read_text(encoding="utf-8").splitlines()
                if line.lstrip().startswith("name:"))
    _edit(path, line, f"{line} and more")


def _change_translation(project: Path) -> None:
    # Only the French name: the English text, which `repr` of the entry shows, stays the same.
    _edit(project / "catalog" / "credentials" / f"{TRANSLATED}.yaml",
          "  fr: Littératie en IA au travail\n", "  fr: Littératie en IA au travail (révisé)\n")


def _change_theme(project: Path) -> None:
    _edit(project / "overrides" / "credential.html", "</article>",
          "<p>Reviewed by the catalog team.</p></article>")


def _change_mkdocs_yml(project: Path) -> None:
    _edit(project / "mkdocs.yml", "site_name: ", "site_name: Renamed ")


def _change_docs_title(project: Path) -> None:
    # The guides' index page has no title in the nav: its heading names it in every page's nav.
    path = project / "docs" / "guides" / "index.md"
    line = _first_line(path, "# ")
    _edit(path, line, f"{line} for everyone")


STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("a credential", _change_credential),
    ("the issuer it names", _change_issuer),
    ("a pathway", _change_pathway),
    ("a skill", _change_skill),
    ("only a translation", _change_translation),
    ("a theme template", _change_theme),
    ("mkdocs.yml", _change_mkdocs_yml),
    ("a hand-written page's title", _change_docs_title),
]


@pytest.mark.slow
def test_cached_rebuild_equals_clean_build(project: Path, tmp_path: Path) -> None:
    # The theme override folder holds a copy of a theme template, so a step can change it.
    (project / "overrides").mkdir()
    shutil.copy(THEME / "credential.html", project / "overrides" / "credential.html")
    _edit(project / "mkdocs.yml", "  name: credcat\n", "  name: credcat\n  custom_dir: overrides\n")
    # A hand-written page may link to a generated page by its Markdown source.
    guide = project / "docs" / "guides" / "index.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nSee [one](../credentials/"
                     f"{Path(CREDENTIAL).stem}.md#key-facts).\n", encoding="utf-8")
    rendered, reused = _build(project, tmp_path / "first")
    assert rendered > 50 and reused == 0
    assert (f'href="../credentials/{Path(CREDENTIAL).stem}/#key-facts"'
            in (tmp_path / "first" / "guides" / "index.html").read_text(encoding="utf-8"))
    again = _build(project, tmp_path / "again")
    assert again == (0, rendered)
    assert _files(tmp_path / "again") == _files(tmp_path / "first")
    for number, (what, change) in enumerate(STEPS):
        change(project)
        cached_site, clean_site = tmp_path / f"cached-{number}", tmp_path / f"clean-{number}"
        rendered, reused = _build(project, cached_site)
        cached, clean = _files(cached_site), _files(_build_clean(project, clean_site))
        assert sorted(cached) == sorted(clean), what
        differing = [name for name in clean if cached[name] != clean[name]]
        assert differing == [], f"after changing {what}, the cached rebuild differs"
        # The step changed something and the cache was used where nothing did.
        assert rendered > 0, what
        if what in ("a credential", "the issuer it names", "a pathway", "a skill",
                    "only a translation"):
            assert reused > 0, what
        if what == "only a translation":
            assert "Littératie en IA au travail (révisé)" in cached[
                f"fr/credentials/{TRANSLATED}/index.html"].decode()


@pytest.mark.slow
def test_removed_credential_page_is_gone_and_the_rest_reused(project: Path,
                                                             tmp_path: Path) -> None:
    _build(project, tmp_path / "first")
    assert (tmp_path / "first" / "credentials" / UNNAMED).is_dir()
    path = project / "catalog" / "credentials" / f"{UNNAMED}.yaml"
    # The catalog stays valid only if nothing else names the credential.
    assert not [p for p in (project / "catalog").rglob("*.yaml")
                if p != path and UNNAMED in p.read_text(encoding="utf-8")]
    path.unlink()
    rendered, reused = _build(project, tmp_path / "second")
    assert not (tmp_path / "second" / "credentials" / UNNAMED).exists()
    assert reused > 0 and rendered > 0
    clean = _build_clean(project, tmp_path / "clean")
    assert _files(tmp_path / "second") == _files(clean)


def test_a_cache_folder_leading_outside_the_project_is_not_used(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    root.mkdir()
    (elsewhere / "credcat").mkdir(parents=True)
    (elsewhere / "credcat" / "index.json").write_text(
        '{"format": 1, "scanned": "", "pages": {"a.md": {"key": "k", "deps": {}, '
        '"content": "c"}}}', encoding="utf-8")
    (root / ".cache").symlink_to(elsewhere)
    cache = PageCache(root)
    assert not cache.usable and cache.entries == {}
    cache.store_content(b"<p>a page</p>")
    cache.save({"b.md": Entry("k", {}, "c")}, "")
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["credcat", "index.json"]


def test_a_damaged_index_is_ignored(tmp_path: Path) -> None:
    folder = tmp_path / ".cache" / "credcat"
    folder.mkdir(parents=True)
    for damaged in ('{"format": 1, "pag', '{"format": 1, "scanned": "", "pages": []}', "[]"):
        (folder / "index.json").write_text(damaged, encoding="utf-8")
        assert PageCache(tmp_path).entries == {}


# -- a serve rebuild hashes again only what an edit can reach (Digests.carry) -----------------

LANGUAGES = Languages(("en", "fr"), "en")

# (what, file, text, replacement, the entries whose files changed)
CARRIED: list[tuple[str, str, str, str, set[str]]] = [
    ("a credential moves to another issuer",
     "catalog/credentials/career-services-evaluation.yaml", "issuer: ardmore-university",
     "issuer: brightpath-digital", {"Credential:career-services-evaluation"}),
    ("the credential that titles an occupation",
     "catalog/credentials/career-services-evaluation.yaml",
     "    title: Social and Community Service Managers\n",
     "    title: Social and Community Service Leaders\n",
     {"Credential:career-services-evaluation"}),
    ("an issuer shown inside its credentials and their pathways",
     "catalog/issuers/northbridge-college.yaml", "\nname: ", "\nname: The ",
     {"Issuer:northbridge-college"}),
    ("a translation only", f"catalog/credentials/{TRANSLATED}.yaml",
     "  fr: Littératie en IA au travail\n", "  fr: Littératie en IA au travail (révisé)\n",
     {f"Credential:{TRANSLATED}"}),
    ("a public key's record", "public_keys/northbridge-college/vectors-key.yaml",
     "created: '2026-01-01T00:00:00Z'", "created: '2026-01-02T00:00:00Z'",
     {"Issuer:northbridge-college"}),
]


def _every_digest(digests: Digests, catalog: Catalog) -> dict[str, str | None]:
    names = [entity_name(entry) for table in (catalog.issuers, catalog.credentials,
                                              catalog.pathways, catalog.skills,
                                              catalog.occupations) for entry in table.values()]
    return {name: digests[name] for name in names}


@pytest.mark.parametrize("what, name, old, new, edited", CARRIED,
                         ids=[case[0] for case in CARRIED])
def test_carried_digests_equal_digests_made_anew(tmp_path: Path, what: str, name: str,
                                                 old: str, new: str, edited: set[str]) -> None:
    project = copy_project(tmp_path / "project")
    loader = CatalogLoader(project, languages=LANGUAGES)
    before, problems = loader.load()
    assert not [p for p in problems if p.is_error]
    digests = Digests(before, {})
    earlier = _every_digest(digests, before)
    _edit(project / name, old, new)
    after, problems = loader.load()
    assert not [p for p in problems if p.is_error], what
    carried = _every_digest(digests.carry(after, edited), after)
    fresh = _every_digest(Digests(load_catalog(project, languages=LANGUAGES)[0], {}), after)
    assert carried == fresh, what
    assert carried != earlier, f"{what} changed nothing"
    # Entries the edit cannot reach kept their digests (the point of carrying them).
    assert [n for n in fresh if fresh[n] == earlier.get(n)], what
