"""The generated demo catalog: valid, varied and reproducible, and a 2,000-credential build
that stays browsable without JavaScript and searchable in Chromium within a small download."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest

from site_builder.catalog.demo import write_demo_catalog
from site_builder.catalog.loader import load_catalog
from site_builder.catalog.model import Catalog, Credential, Languages
from site_builder.credentials.did import PublishedCatalog

from . import published
from .browser import SiteServer, build_site
from .browser_thread import BrowserThread, browser_thread_fixture, on_browser_thread

# Builds and serves real sites (a 2,000-credential one here): `make test-quick` leaves it out.
pytestmark = pytest.mark.slow

# Chromium on a thread of this module's own: tests/browser_thread.py explains why.
browser_thread = pytest.fixture(scope="module")(browser_thread_fixture)

INDEX_PAGE_SIZE = 200  # the plugin's rows per credential index page
FIRST_RESULTS_BUDGET = 300 * 1024  # bytes a browser may fetch for a search's first results


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_demo_catalog_is_valid_varied_and_reproducible(tmp_path: Path) -> None:
    first = write_demo_catalog(400, tmp_path / "a", seed=5)
    again = write_demo_catalog(400, tmp_path / "b", seed=5)
    other = write_demo_catalog(400, tmp_path / "c", seed=6)
    assert _tree_digest(first) == _tree_digest(again)
    assert _tree_digest(first) != _tree_digest(other)
    catalog, problems = load_catalog(first)
    assert [p.format() for p in problems] == []  # not even a warning
    credentials = list(catalog.credentials.values())
    assert len(credentials) == 400
    assert len(catalog.issuers) >= 4 and len({i.kind for i in catalog.issuers.values()}) >= 4
    assert len({i.country for i in catalog.issuers.values()}) >= 2
    assert len({c.cost.currency for c in credentials if not c.cost.free}) >= 3
    assert any(c.cost.free for c in credentials)
    assert len({code for c in credentials for code in c.languages}) >= 3
    assert len({c.level.eqf for c in credentials}) >= 5  # including None: a label only
    assert {c.participation for c in credentials} == {"online", "in-person", "blended"}
    assert len({c.achievement_type for c in credentials}) >= 5
    assert any(not c.active for c in credentials)
    assert len(catalog.skills) >= 50 and len(catalog.occupations) >= 10
    assert len(catalog.pathways) >= 5
    assert any(s.elective for p in catalog.pathways.values() for s in p.stages)
    assert any(c.stacks_into for c in credentials)
    assert len({c.workload.hours for c in credentials}) >= 10


def test_a_bilingual_demo_catalog_is_the_same_catalog_with_french_beside_it(
        tmp_path: Path) -> None:
    english, _ = load_catalog(write_demo_catalog(120, tmp_path / "en", seed=5))
    project = write_demo_catalog(120, tmp_path / "en-fr", seed=5, languages=("en", "fr"))
    assert "languages: [en, fr]" in (project / "mkdocs.yml").read_text(encoding="utf-8")
    bilingual, problems = load_catalog(project, languages=Languages(("en", "fr"), "en"))
    assert [p.format() for p in problems] == []
    assert bilingual.languages.codes == ("en", "fr")
    assert list(bilingual.credentials) == list(english.credentials)
    for cid, credential in bilingual.credentials.items():
        assert str(credential.name) == str(english.credentials[cid].name)
        assert set(credential.name.translations) == {"en", "fr"}
        assert credential.summary.in_language("fr")[0].startswith("Des compétences")
    for pathway in bilingual.pathways.values():
        assert pathway.name.in_language("fr")[0].startswith("Parcours")
    with pytest.raises(ValueError):
        write_demo_catalog(10, tmp_path / "de", languages=("en", "de"))


def test_demo_catalog_refuses_an_empty_catalog(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_demo_catalog(0, tmp_path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, Path]:
    """A 2,000-credential demo catalog built with the real MkDocs."""
    root = tmp_path_factory.mktemp("demo-2000")
    project = write_demo_catalog(2000, root / "project")
    catalog, problems = load_catalog(project)
    assert not problems
    return catalog, build_site(project, root / "site")


def _index_pages(site: Path, slug: str) -> list[Path]:
    first = site / "credentials" / (slug or "") / "index.html"
    rest = sorted((site / "credentials" / (slug or "by-issuer")).glob("page-*/index.html"),
                  key=lambda p: int(p.parent.name.split("-")[1]))
    return [first, *rest]


def test_index_pages_are_paginated_and_list_every_credential_once(
        demo: tuple[Catalog, Path]) -> None:
    catalog, site = demo
    for slug in ("", "by-level", "by-type"):
        pages = _index_pages(site, slug)
        assert len(pages) == -(-len(catalog.credentials) // INDEX_PAGE_SIZE), slug
        seen: Counter[str] = Counter()
        for page in pages:
            html = page.read_text(encoding="utf-8")
            rows = re.findall(r'<th scope="row"><a href="[./]*([a-z0-9-]+)/">', html)
            assert 0 < len(rows) <= INDEX_PAGE_SIZE
            seen.update(rows)
            assert page.stat().st_size < 250_000  # was 4.6 MB for one page at 10,000
            assert 'class="pager"' in html
        assert set(seen) == set(catalog.credentials) and max(seen.values()) == 1, slug


def _pager(page: Path) -> list[tuple[str, str | None]]:
    """What the first pager of an index page shows, each item with where it leads."""
    html = page.read_text(encoding="utf-8")
    pager = re.search(r'<nav class="pager".*?</nav>', html, re.S)
    assert pager is not None, page
    return [(text, href) for href, text in re.findall(
        r'<li>(?:<a href="([^"]*)"[^>]*>|<span[^>]*>)([^<]+)<', pager.group(0))]


def test_the_pager_shows_the_first_last_and_nearby_pages(demo: tuple[Catalog, Path]) -> None:
    """2,000 credentials, 200 a page: ten pages a grouping. Page 5 shows 1 to 7 (two either
    side, and 2 rather than a gap of one number), a gap, then 10; every link leads to the
    page it numbers."""
    _, site = demo
    pages = _index_pages(site, "by-level")
    assert len(pages) == 10
    fifth = _pager(pages[4])
    assert [text for text, _ in fifth] == ["Previous", "1", "2", "3", "4", "5", "6", "7",
                                           "…", "10", "Next"]
    assert [text for text, _ in _pager(pages[0])] == ["1", "2", "3", "…", "10", "Next"]
    assert [text for text, _ in _pager(pages[9])] == ["Previous", "1", "…", "8", "9", "10"]
    for text, href in fifth:
        if href:
            target = (pages[4].parent / href / "index.html").resolve()
            number = {"Previous": 4, "Next": 6}.get(text) or int(text)
            assert target == pages[number - 1].resolve(), (text, href)


def _indexed_text(credential: Credential) -> str:
    return "\n".join([credential.name, credential.issuer.name, credential.summary,
                      credential.description, *credential.learning_outcomes,
                      *(s.name for s in credential.skills), credential.evaluation.narrative])


@on_browser_thread
def test_search_works_at_2000_credentials_within_the_download_budget(
        browser_thread: BrowserThread, demo: tuple[Catalog, Path]) -> None:
    catalog, site = demo
    meta = json.loads((site / "search-index" / "meta.json").read_text())
    assert meta["count"] == len(catalog.credentials)
    credentials = list(catalog.credentials.values())
    skill = sorted(catalog.skills.values(), key=lambda s: (len(s.credentials), s.id))[
        len(catalog.skills) // 2]
    issuer = Counter(c.issuer.id for c in skill.credentials).most_common(1)[0][0]
    words = skill.name.split()
    expected = {c.id for c in credentials if c.issuer.id == issuer and all(
        re.search(rf"\b{re.escape(w)}", _indexed_text(c), re.IGNORECASE) for w in words)}
    assert expected
    with SiteServer(site) as server:
        context = browser_thread.browser.new_context()
        page = context.new_page()
        foreign: list[str] = []
        page.on("request", lambda r: foreign.append(r.url)
                if not r.url.startswith(server.url) else None)
        page.goto(f"{server.url}search/?{urlencode({'q': skill.name, 'issuer': issuer})}")
        page.locator("#search-results[data-state=done]").wait_for(state="attached")
        sent = sum(size if size is not None else _file_size(site, path)
                   for path, size in server.served)
        total = int(page.locator("#search-results").get_attribute("data-total") or "0")
        shown = page.locator("#search-results > li")
        first = {shown.nth(i).get_attribute("data-credential-id") for i in range(shown.count())}
        while shown.count() < total:
            count = shown.count()
            page.locator("#search-more").click()
            page.wait_for_timeout(50)
            page.locator(f"#search-results > li:nth-child({count + 1})").wait_for()
        found = {shown.nth(i).get_attribute("data-credential-id") for i in range(shown.count())}
        context.close()
    assert first <= expected
    assert found == expected
    assert foreign == []
    assert sent < FIRST_RESULTS_BUDGET, f"{sent:,} bytes for the first results"


def _file_size(site: Path, path: str) -> int:
    file = site / path.split("?", 1)[0].lstrip("/")
    file = file / "index.html" if file.is_dir() else file
    return file.stat().st_size if file.is_file() else 0


def test_sitemap_stays_valid(demo: tuple[Catalog, Path]) -> None:
    _catalog, site = demo
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag.endswith("urlset") and 2000 < len(root) <= 50_000


def test_a_sitemap_over_the_limit_becomes_an_index(demo: tuple[Catalog, Path],
                                                   tmp_path: Path) -> None:
    """Past 50,000 addresses (100,000 credentials) the sitemap is split; shown at 1,000."""
    import gzip
    import shutil

    from site_builder.site import sitemaps
    from site_builder.urls import Site

    _catalog, site = demo
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        shutil.copy(site / name, tmp_path / name)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    before = [u.findtext(f"{ns}loc") for u in ET.parse(tmp_path / "sitemap.xml").getroot()]
    parts = sitemaps.split_sitemap(tmp_path, Site("https://demo.example.org/"), limit=1000)
    assert parts == -(-len(before) // 1000)
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{ns}sitemapindex"
    after = []
    for number, entry in enumerate(index, start=1):
        assert entry.findtext(f"{ns}loc") == f"https://demo.example.org/sitemap-{number}.xml"
        part = ET.parse(tmp_path / f"sitemap-{number}.xml").getroot()
        assert part.tag == f"{ns}urlset" and len(part) <= 1000
        after += [u.findtext(f"{ns}loc") for u in part]
    assert after == before
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == (
        tmp_path / "sitemap.xml").read_bytes()
    assert sitemaps.split_sitemap(site, Site("https://demo.example.org/")) == 0


def test_records_are_found_in_many_shards_by_python(demo: tuple[Catalog, Path]) -> None:
    """At 2,000 credentials the records are in 32 shards; `credcat verify`'s reader finds every
    credential's record through keys.json, and every shard holds some."""
    catalog, site = demo
    assert published.keys_index(site)["shards"]["credentialRecord"] == 32
    records = published.sharded(site, "credentialRecord")
    assert set(records) == set(catalog.credentials)
    sizes = [len(json.loads(path.read_text()))
             for path in published.shard_files(site, "credentialRecord")]
    assert min(sizes) > 0 and max(sizes) < 2 * 2000 / 32
    reader = PublishedCatalog.from_directory(site)
    for credential in list(catalog.credentials.values())[::97]:
        url = records[credential.id]["url"]
        assert reader.credential_record(url) == records[credential.id]
        assert reader.credential_record(url.replace(credential.id, credential.id + "-x")) is None


@on_browser_thread
def test_comparison_reads_records_from_several_shards(
        browser_thread: BrowserThread, demo: tuple[Catalog, Path]) -> None:
    catalog, site = demo
    compare = published.sharded(site, "compareRecord")
    # One credential from each of four shard files, as the site's files say.
    firsts = [next(iter(json.loads(path.read_text())))
              for path in published.shard_files(site, "compareRecord")[:4]]
    files = {cid: path.name for path in published.shard_files(site, "compareRecord")
             for cid in json.loads(path.read_text())}
    four = [catalog.credentials[cid] for cid in firsts]
    with SiteServer(site, gzip=False) as server:
        context = browser_thread.browser.new_context()
        page = context.new_page()
        page.goto(f"{server.url}compare/?ids={','.join(c.id for c in four)}")
        page.locator("#compare[data-state=done]").wait_for(state="attached")
        heads = page.locator("#compare-table thead th[data-id]")
        shown = [heads.nth(i).get_attribute("data-id") for i in range(heads.count())]
        cells = page.locator("#compare-table tr[data-row='workload'] td")
        workload = [cells.nth(i).inner_text().strip() for i in range(cells.count())]
        status = page.inner_text("#compare-status")
        context.close()
    assert shown == [c.id for c in four]
    assert workload == [compare[c.id]["workload"]["text"] for c in four]
    assert "Not in this catalog" not in status
    fetched = {path.rsplit("/", 1)[1] for path, _ in server.served
               if path.startswith("/data/compare/")}
    assert fetched == {files[c.id] for c in four}
