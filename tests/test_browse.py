"""Practitioner browsing in a real Chromium against the example site built by the real MkDocs:
search and every filter, shareable search addresses, comparison, pathway planning, and the
feeds and metadata that make the catalog discoverable.

Every expected set of credentials is computed here from the validated model, never copied
from the site, so a search, filter or total that drifts from the catalog fails.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.etree import ElementTree as ET

import pytest
import yaml
from playwright.sync_api import expect

from site_builder import contract
from site_builder.catalog.model import Catalog, Credential
from site_builder.publishing.project import Project
from site_builder.site import facets, feeds, presentation, search_index

from . import browser, published
from .browser import SiteServer, WatchedPage, build_site
from .browser_thread import (
    BrowserThread,
    browser_thread_fixture,
    on_browser_thread,
    watched_page_fixture,
)
from .conftest import REPO, copy_project

# The shared site fixtures (tests/browser.py), and Chromium on a thread of this module's own
# (tests/browser_thread.py explains why), made visible to pytest in this module.
example_site = browser.example_site
example_server = browser.example_server
browser_thread = pytest.fixture(scope="module")(browser_thread_fixture)
watched_page = pytest.fixture(watched_page_fixture)

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Project.from_config(REPO / "mkdocs.yml").require()


# -- helpers -----------------------------------------------------------------------------------

def _indexed_text(credential: Credential) -> str:
    """What the credential page gives the search index: name, issuer, summary, description,
    learning outcomes, skills and criteria (Markdown link targets are not shown, so dropped)."""
    parts = [credential.name, credential.issuer.name, credential.summary,
             credential.description, *credential.learning_outcomes,
             *(s.name for s in credential.skills), credential.evaluation.narrative]
    return re.sub(r"\]\([^)]*\)", "]", "\n".join(parts))


def _matches(credential: Credential, query: str) -> bool:
    text = _indexed_text(credential)
    return all(re.search(rf"\b{re.escape(word)}", text, re.IGNORECASE)
               for word in query.split())


def _ids(catalog: Catalog, keep: Callable[[Credential], bool]) -> set[str]:
    return {c.id for c in catalog.credentials.values() if keep(c)}


def _results(page: Any) -> list[str]:
    """Every result of the search on screen, pressing "Show more" until all are listed."""
    page.locator("#search-results[data-state=done]").wait_for(state="attached")
    items = page.locator("#search-results > li")
    total = int(page.locator("#search-results").get_attribute("data-total") or "0")
    while items.count() < total:
        shown = items.count()
        page.locator("#search-more").click()
        expect(items).not_to_have_count(shown)
    return [items.nth(i).get_attribute("data-credential-id") or "" for i in range(items.count())]


def _wait_for_current_search(page: Any) -> None:
    """Wait until the results shown are those of the address now in the location bar."""
    query = urlsplit(page.url).query
    search = f"?{query}" if query else ""
    page.locator(f"#search-results[data-state=done][data-search='{search}']").wait_for(
        state="attached")


def _search(watched: WatchedPage, server: SiteServer, params: Iterable[tuple[str, str]]
            ) -> list[str]:
    watched.page.goto(f"{server.url}search/?{urlencode(list(params))}")
    return _results(watched.page)


def _most_common(counts: Counter[str], total: int) -> str:
    """The value most credentials have, among those that really narrow the list."""
    return next(value for value, n in counts.most_common() if n < total)


# -- search ------------------------------------------------------------------------------------

@on_browser_thread
def test_full_text_search_finds_what_the_model_says(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, catalog: Catalog) -> None:
    queries = sorted({i.name.split()[0] for i in catalog.issuers.values()})
    busiest = max(catalog.skills.values(), key=lambda s: (len(s.credentials), s.id))
    queries += [busiest.name, "data ethics"]
    for query in queries:
        expected = _ids(catalog, lambda c, q=query: _matches(c, q))
        assert expected, f"no credential mentions {query!r}: pick another query"
        found = _search(watched_page, example_server, [("q", query)])
        assert len(found) == len(set(found))
        assert set(found) == expected, query
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_each_filter_returns_the_credentials_the_model_says(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, catalog: Catalog) -> None:
    credentials = list(catalog.credentials.values())
    total = len(credentials)
    bases: dict[str, Callable[[Credential], Iterable[str]]] = {
        "issuer": lambda c: [c.issuer.id],
        "kind": lambda c: [c.issuer.kind],
        "type": lambda c: [c.achievement_type],
        "level": lambda c: [f"eqf-{c.level.eqf}" if c.level.eqf else c.level.label.lower()],
        "skill": lambda c: [s.id for s in c.skills],
        "occupation": lambda c: [o.code for o in c.occupations],
        "participation": lambda c: [c.participation],
        "language": lambda c: {code.split("-")[0] for code in c.languages},
    }
    assert set(bases) == {key for key, _ in facets.FACETS}, "a facet is not tested"
    cases: list[tuple[list[tuple[str, str]], set[str]]] = []
    for key, values_of in bases.items():
        counts = Counter(v for c in credentials for v in values_of(c))
        first = _most_common(counts, total)
        cases.append(([(key, first)], _ids(catalog, lambda c, f=values_of, v=first: v in f(c))))
        if len(counts) > 1:  # two values of one filter: either matches
            second = next(v for v, _ in counts.most_common() if v != first)
            cases.append(([(key, first), (key, second)], _ids(
                catalog, lambda c, f=values_of, a=first, b=second: bool({a, b} & set(f(c))))))
    # Ranges: min <= value < max, with bounds the page offers.
    low, high = facets.WORKLOAD_BOUNDS[2], facets.WORKLOAD_BOUNDS[5]
    cases.append(([("hours_min", str(low)), ("hours_max", str(high))],
                  _ids(catalog, lambda c: low <= c.workload.hours < high)))
    cases.append(([("hours_min", str(high))], _ids(catalog, lambda c: c.workload.hours >= high)))
    currency = Counter(c.cost.currency for c in credentials if not c.cost.free).most_common(1)[0][0]
    cap, floor = facets.COST_BOUNDS[3], facets.COST_BOUNDS[2]


    def price_in(c: Credential) -> Decimal | None:  # converted at the catalog's reference rates
        return None if c.cost.free else presentation.convert(
            c.cost.amount or Decimal(0), c.cost.currency or "", currency, catalog.exchange_rates)

    cases.append(([("currency", currency), ("cost_max", str(cap))], _ids(
        catalog, lambda c: c.cost.free or (price_in(c) or cap) < cap)))
    cases.append(([("currency", currency), ("cost_min", str(floor))], _ids(
        catalog, lambda c: (price_in(c) or -1) >= floor)))
    cases.append(([("free", "1")], _ids(catalog, lambda c: c.cost.free)))
    cases.append(([("active", "1")], _ids(catalog, lambda c: c.active)))
    # Filters combine: every one must match, with words too.
    kind = _most_common(Counter(c.issuer.kind for c in credentials), total)
    cases.append(([("kind", kind), ("hours_max", str(high)), ("q", "data")], _ids(
        catalog, lambda c: c.issuer.kind == kind and c.workload.hours < high
        and _matches(c, "data"))))
    for params, expected in cases:
        assert expected, f"{params} selects nothing in the example catalog"
        found = _search(watched_page, example_server, params)
        assert set(found) == expected, params
        assert len(found) == len(expected), params
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_the_address_restores_a_search_and_follows_changes(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, catalog: Catalog) -> None:
    page = watched_page.page
    skill = max(catalog.skills.values(), key=lambda s: (len(s.credentials), s.id))
    params = [("q", "data"), ("skill", skill.id), ("participation", "online")]
    expected = _ids(catalog, lambda c: _matches(c, "data") and skill in c.skills
                    and c.participation == "online")
    assert expected
    assert set(_search(watched_page, example_server, params)) == expected
    # The form shows the search the address describes.
    assert page.locator("#search-q").input_value() == "data"
    assert page.locator(f"input[name=skill][value='{skill.id}']").is_checked()
    assert page.locator("input[name=participation][value=online]").is_checked()
    # Untick a filter: the address follows, and opening that address gives the same results.
    page.locator("input[name=participation][value=online]").uncheck()
    expect(page).to_have_url(re.compile(r"^(?!.*participation=)"))
    _wait_for_current_search(page)
    wider = set(_results(page))
    assert wider == _ids(catalog, lambda c: _matches(c, "data") and skill in c.skills)
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"q": ["data"], "skill": [skill.id]}
    # Back returns to the earlier search, with its filter ticked again.
    page.go_back()
    expect(page).to_have_url(re.compile("participation=online"))
    _wait_for_current_search(page)
    assert set(_results(page)) == expected
    assert page.locator("input[name=participation][value=online]").is_checked()
    # Opening the shared address elsewhere restores that search.
    other = page.context.new_page()
    other.goto(shared)
    assert set(_results(other)) == wider
    assert not other.locator("input[name=participation][value=online]").is_checked()
    other.close()
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_search_loads_only_a_small_part_of_the_index(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, example_site: Path) -> None:
    example_server.served.clear()
    page = watched_page.page
    page.goto(f"{example_server.url}search/?q=career")
    page.locator("#search-results[data-state=done]").wait_for(state="attached")
    total = int(page.locator("#search-results").get_attribute("data-total") or "0")
    shown = [item.get_attribute("data-credential-id")
             for item in page.locator("#search-results > li").all()]
    assert total > len(shown) == 10, "the example catalog has more matches than one screenful"
    served = [p.split("?", 1)[0] for p, _ in example_server.served]
    index = example_site / "search-index"
    # One word typed: one word file, of the many; no filter file.
    assert [p for p in served if "/search-index/words/" in p] == ["/search-index/words/car_.json"]
    assert len(list((index / "words").iterdir())) > 100
    assert not any("/search-index/filters/" in p for p in served)
    # Result records: exactly the blocks that hold the results shown.
    holding = {f"/search-index/docs/{block.name}" for block in (index / "docs").iterdir()
               if {r["id"] for r in json.loads(block.read_text())} & set(shown)}
    assert {p for p in served if "/search-index/docs/" in p} == holding
    assert not any(p.startswith("/catalog.json") for p in served)
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_without_javascript_the_catalog_is_browsable(
        browser_thread: BrowserThread, example_server: SiteServer, catalog: Catalog) -> None:
    context = browser_thread.browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{example_server.url}search/")
    notice = page.locator("main .notice-info")  # inside <noscript>, which text selectors skip
    expect(notice).to_be_visible()
    assert "Search runs in your browser and needs JavaScript" in notice.inner_text()
    for grouping in ("credentials/", "credentials/by-level/", "credentials/by-type/"):
        page.goto(example_server.url + grouping)
        rows = page.locator(".credential-table tbody tr th a")
        names = {rows.nth(i).inner_text() for i in range(rows.count())}
        assert names == {c.name for c in catalog.credentials.values()}, grouping
    credential = next(iter(catalog.credentials.values()))
    page.goto(f"{example_server.url}credentials/{credential.id}/")
    expect(page.locator(".compare-toggle")).to_be_hidden()
    pathway = next(iter(catalog.pathways.values()))
    page.goto(f"{example_server.url}pathways/{pathway.id}/")
    expect(page.locator("#plan")).to_be_hidden()
    context.close()


# -- comparison ----------------------------------------------------------------------------------

def _cell_texts(page: Any, row: str) -> list[str]:
    cells = page.locator(f"#compare-table tr[data-row='{row}'] td")
    return [cells.nth(i).inner_text().strip() for i in range(cells.count())]


@on_browser_thread
def test_comparison_of_three_credentials_matches_the_model(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, catalog: Catalog) -> None:
    page = watched_page.page
    skill = max(catalog.skills.values(), key=lambda s: (len(s.credentials), s.id))
    trio = sorted(skill.credentials, key=lambda c: c.id)[:3]
    assert len(trio) == 3
    page.goto(f"{example_server.url}compare/?ids={','.join(c.id for c in trio)}")
    page.locator("#compare[data-state=done]").wait_for(state="attached")
    heads = page.locator("#compare-table thead th[data-id]")
    assert [heads.nth(i).get_attribute("data-id") for i in range(3)] == [c.id for c in trio]

    def expected(render: Callable[[Credential], str]) -> list[str]:
        return [render(c) for c in trio]

    p = presentation
    assert _cell_texts(page, "workload") == expected(lambda c: p.workload_text(c.workload))
    assert _cell_texts(page, "cost") == expected(
        lambda c: p.cost_text(c.cost) + (f" ({c.cost.note})" if c.cost.note else ""))
    assert _cell_texts(page, "level") == expected(lambda c: p.level_text(c.level))
    assert _cell_texts(page, "duration") == expected(lambda c: p.duration_text(c.duration))
    assert _cell_texts(page, "participation") == expected(lambda c: p.label(c.participation))
    assert _cell_texts(page, "validity") == expected(lambda c: p.validity_text(c.validity_months))
    assert _cell_texts(page, "identity") == expected(
        lambda c: p.label(c.assessment_conditions.identity_verification)
        if c.assessment_conditions else "Not stated")
    assert _cell_texts(page, "issuer") == expected(
        lambda c: f"{c.issuer.name} ({p.label(c.issuer.kind)}, "
                  f"{p.country_name(c.issuer.country)})")
    quality = _cell_texts(page, "quality")
    for text, credential in zip(quality, trio, strict=True):
        assert p.label(credential.issuer.quality_assurance.type) in text
    for text, credential in zip(_cell_texts(page, "assessment"), trio, strict=True):
        for method in credential.evaluation.methods:
            assert p.label(method.type) in text
    for text, credential in zip(_cell_texts(page, "recognition"), trio, strict=True):
        for recogniser in credential.recognition:
            assert recogniser.name in text
        if not credential.recognition:
            assert text == "None listed"
    # Skills: one row each, shared ones first, a tick exactly where the credential has it.
    union = {s.id: s for c in trio for s in c.skills}
    rows = page.locator("#compare-table tr[data-row=skill]")
    order = [rows.nth(i).get_attribute("data-item") for i in range(rows.count())]
    assert set(order) == set(union)
    shared_counts = [sum(union[sid] in c.skills for c in trio) for sid in order]
    assert shared_counts == sorted(shared_counts, reverse=True)
    assert order[0] == skill.id
    for sid in order:
        ticks = _cell_texts(page, f"skill'][data-item='{sid}")
        assert ticks == ["✓ Yes" if union[sid] in c.skills else "—" for c in trio], sid
    codes = {o.code for c in trio for o in c.occupations}
    occupation_rows = page.locator("#compare-table tr[data-row=occupation]")
    assert {occupation_rows.nth(i).get_attribute("data-item")
            for i in range(occupation_rows.count())} == codes
    # Removing a column updates the address, so the comparison stays shareable.
    page.get_by_role("button", name=f"Remove {trio[1].name} from the comparison").click()
    expect(page).to_have_url(re.compile(rf"ids={trio[0].id},{trio[2].id}$"))
    expect(page.locator("#compare-table thead th[data-id]")).to_have_count(2)
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_add_to_comparison_from_credential_pages_and_results(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, catalog: Catalog) -> None:
    page = watched_page.page
    first, second, third = sorted(catalog.credentials)[:3]
    page.goto(f"{example_server.url}credentials/{first}/")
    button = page.locator(".actions .compare-toggle")
    expect(button).to_have_text("Add to comparison")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    assert json.loads(page.evaluate("localStorage.getItem('credcat.compare')")) == [first]
    # From search results.
    page.goto(f"{example_server.url}search/?{urlencode({'q': catalog.credentials[second].name})}")
    _results(page)
    page.locator(f"li[data-credential-id='{second}'] .compare-toggle").click()
    tray_link = page.locator(".compare-tray-link")
    expect(tray_link).to_be_visible()
    expect(tray_link).to_have_attribute("href", re.compile(rf"compare/\?ids={first},{second}$"))
    tray_link.click()
    page.locator("#compare[data-state=done]").wait_for(state="attached")
    expect(page.locator("#compare-table thead th[data-id]")).to_have_count(2)
    page.goto(f"{example_server.url}credentials/{third}/")
    page.locator(".actions .compare-toggle").click()
    assert json.loads(page.evaluate("localStorage.getItem('credcat.compare')")) == [
        first, second, third]
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_comparison_prints_without_controls(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, catalog: Catalog) -> None:
    page = watched_page.page
    ids = sorted(catalog.credentials)[:2]
    page.goto(f"{example_server.url}compare/?ids={','.join(ids)}")
    page.locator("#compare[data-state=done]").wait_for(state="attached")
    page.emulate_media(media="print")
    expect(page.locator("#compare-table table")).to_be_visible()
    expect(page.locator("#compare-print")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    watched_page.assert_clean(example_server.origin)


# -- pathway planning ---------------------------------------------------------------------------

def _plan_figures(page: Any) -> tuple[str, str, str]:
    return (page.locator("#plan-count").inner_text(), page.locator("#plan-hours").inner_text(),
            page.locator("#plan-cost").inner_text())


def _expected_figures(totals: presentation.Totals) -> tuple[str, str, str]:
    return str(totals.credentials), f"{totals.hours:g} hours", totals.cost_text


@on_browser_thread
def test_ticking_held_credentials_shows_what_remains(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, catalog: Catalog) -> None:
    page = watched_page.page
    for pathway in sorted(catalog.pathways.values(), key=lambda p: p.id):
        page.goto(f"{example_server.url}pathways/{pathway.id}/")
        page.locator("#plan[data-state=ready]").wait_for(state="attached")
        assert _plan_figures(page) == _expected_figures(presentation.totals(pathway.stages))
        members = [c for stage in pathway.stages for c in stage.credentials]
        held: set[str] = set()
        # Tick every other credential, one at a time, checking the totals after each tick.
        for credential in members[::2]:
            page.locator(f"#plan input[value='{credential.id}']").first.check()
            held.add(credential.id)
            assert _plan_figures(page) == _expected_figures(
                presentation.totals(pathway.stages, held)), (pathway.id, sorted(held))
        remaining = page.locator("#plan-remaining li")
        for number, choice in enumerate(presentation.plan(pathway.stages, held)):
            text = remaining.nth(number).inner_text()
            for credential in choice:
                assert credential.name in text
            if not choice:
                assert text.endswith("done")
        # Ticks stay in this browser across visits.
        page.reload()
        page.locator("#plan[data-state=ready]").wait_for(state="attached")
        assert _plan_figures(page) == _expected_figures(presentation.totals(pathway.stages, held))
        page.locator("#plan-clear").click()
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_verified_credentials_are_preselected_and_clear_forgets_them(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, catalog: Catalog) -> None:
    page = watched_page.page
    pathway = max(catalog.pathways.values(), key=lambda p: (len(p.stages), p.id))
    members = [c.id for stage in pathway.stages for c in stage.credentials]
    verified = members[:2]
    page.goto(f"{example_server.url}pathways/{pathway.id}/")
    page.evaluate(f"localStorage.setItem('credcat.verified', {json.dumps(json.dumps(verified))})")
    page.reload()
    page.locator("#plan[data-state=ready]").wait_for(state="attached")
    for cid in members:
        assert page.locator(f"#plan input[value='{cid}']").first.is_checked() == (cid in verified)
    expect(page.locator(".planner-verified")).to_be_visible()
    assert _plan_figures(page) == _expected_figures(
        presentation.totals(pathway.stages, set(verified)))
    # Unticking a verified credential sticks: it is merged once, not on every visit.
    page.locator(f"#plan input[value='{verified[0]}']").first.uncheck()
    page.reload()
    page.locator("#plan[data-state=ready]").wait_for(state="attached")
    assert not page.locator(f"#plan input[value='{verified[0]}']").first.is_checked()
    assert page.locator(f"#plan input[value='{verified[1]}']").first.is_checked()
    page.locator("#plan-clear").click()
    assert page.evaluate("[localStorage.getItem('credcat.held'), "
                         "localStorage.getItem('credcat.verified')]") == [None, None]
    assert _plan_figures(page) == _expected_figures(presentation.totals(pathway.stages))
    watched_page.assert_clean(example_server.origin)


# -- feeds, spreadsheet and metadata --------------------------------------------------------

def test_atom_feed_lists_recent_changes(example_site: Path, catalog: Catalog) -> None:
    feed = ET.parse(example_site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= min(feeds.FEED_SIZE, len(catalog.credentials))
    stamps = [e.findtext(f"{ATOM}updated") or "" for e in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == stamps[0]
    by_url = {f"https://credentials.example.org/credentials/{c.id}/": c
              for c in catalog.credentials.values()}
    dated = sorted((c for c in catalog.credentials.values() if c.updated),
                   key=lambda c: (c.updated or "", c.id), reverse=True)
    for entry in entries:
        credential = by_url[entry.findtext(f"{ATOM}id") or ""]
        assert entry.findtext(f"{ATOM}title") == credential.name
        assert entry.find(f"{ATOM}author/{ATOM}name").text == credential.issuer.name
        if credential.updated:
            assert entry.findtext(f"{ATOM}updated") == f"{credential.updated}T00:00:00Z"
    if len(dated) == len(catalog.credentials):  # all dated: the newest come first
        assert [by_url[e.findtext(f"{ATOM}id") or ""].id for e in entries] == [
            c.id for c in dated[:len(entries)]]


def test_change_dates_come_from_catalog_then_git_then_build(tmp_path: Path) -> None:
    import subprocess

    catalog = Project.from_config(REPO / "mkdocs.yml").require()  # changed below: a copy
    repo = tmp_path / "repo"
    (repo / "catalog" / "credentials").mkdir(parents=True)
    undated = sorted(catalog.credentials.values(), key=lambda c: c.id)
    committed, untracked = undated[0], undated[1]
    (repo / committed.source).write_text("name: x\n", encoding="utf-8")
    env = {"GIT_AUTHOR_DATE": "2024-03-05T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2024-03-05T10:00:00+00:00", "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    for command in (["git", "init", "-q"], ["git", "add", "."],
                    ["git", "commit", "-q", "-m", "add"]):
        subprocess.run(command, cwd=repo, env=env, check=True)
    dates = feeds.git_dates(repo, "catalog")
    assert dates == {committed.source: datetime(2024, 3, 5, 10, tzinfo=UTC)}
    assert feeds.git_dates(tmp_path / "elsewhere", "catalog") == {}
    built = datetime(2026, 1, 2, tzinfo=UTC)
    committed.updated = untracked.updated = None
    dated = next(c for c in undated[2:] if c.updated)
    dates[dated.source] = built  # the catalog's own date wins over Git's
    changes = feeds.change_dates(catalog, dates, built)
    assert changes[committed.id] == feeds.Change(datetime(2024, 3, 5, 10, tzinfo=UTC), "git")
    assert changes[untracked.id] == feeds.Change(built, "build")
    assert changes[dated.id] == feeds.Change(
        datetime.fromisoformat(f"{dated.updated}T00:00:00+00:00"), "catalog")


def test_catalog_csv_has_a_row_per_credential(example_site: Path, catalog: Catalog) -> None:
    raw = (example_site / "catalog.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == [c.id for c in sorted(
        catalog.credentials.values(), key=lambda c: (c.name, c.id))]
    for row in rows:
        credential = catalog.credentials[row["id"]]
        assert row["name"] == credential.name
        assert row["issuer"] == credential.issuer.name
        assert float(row["workload_hours"]) == credential.workload.hours
        assert row["cost"] == presentation.cost_text(credential.cost)
        if not credential.cost.free:
            assert Decimal(row["cost_amount"]) == credential.cost.amount
            assert row["cost_currency"] == credential.cost.currency
        assert row["skills"].split("; ") == [s.name for s in credential.skills]


def test_credential_pages_carry_open_graph_and_schema_org(
        example_site: Path, catalog: Catalog) -> None:
    for credential in catalog.credentials.values():
        html = (example_site / "credentials" / credential.id / "index.html").read_text()
        url = f"https://credentials.example.org/credentials/{credential.id}/"
        assert f'<meta property="og:url" content="{url}">' in html
        assert '<meta property="og:title"' in html
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert len(blocks) == 1
        data = json.loads(blocks[0])
        assert data["@type"] == "EducationalOccupationalCredential"
        assert data["name"] == credential.name and data["url"] == url
        assert [s["name"] for s in data["competencyRequired"]] == [
            s.name for s in credential.skills]
        assert data["provider"]["name"] == credential.issuer.name
        assert data["timeRequired"] == f"PT{credential.workload.hours:g}H"
        offer = data["offers"]
        assert offer["price"] == ("0" if credential.cost.free else str(credential.cost.amount))
        assert re.search(r"<script(?![^>]*type=\"application/ld\+json\")[^>]*>\s*[^<\s]",
                         html) is None, "no inline script that runs"


def test_sitemap_lists_the_browsing_pages(example_site: Path, catalog: Catalog) -> None:
    root = ET.parse(example_site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    entries = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in root}
    base = "https://credentials.example.org/"
    assert f"{base}search/" in entries and f"{base}compare/" in entries
    for credential in catalog.credentials.values():
        assert credential.updated is not None  # every example credential states it
        assert entries[f"{base}credentials/{credential.id}/"] == credential.updated.isoformat()
    assert len(entries) == len(root)


def test_contributed_text_cannot_run_in_pages_feeds_or_spreadsheets(tmp_path: Path) -> None:
    """A hostile catalog entry stays text: escaped in HTML, inert in JSON-LD, defused in CSV."""
    project = copy_project(tmp_path / "project")
    target = sorted((project / "catalog" / "credentials").glob("*.yaml"))[0]
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    data["name"] = '=HYPERLINK("https://evil.example","x")'
    data["summary"] = "Breaks out </script><script>alert(1)</script> & <!-- of the data block"
    data["credit_transfer"] = "-2+3 credits @ partner colleges"
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    site = build_site(project, tmp_path / "site")
    html = (site / "credentials" / target.stem / "index.html").read_text()
    assert "<script>alert(1)" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html
    block = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(block) == 1 and json.loads(block[0])["description"] == data["summary"]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(
        (site / "catalog.csv").read_text(encoding="utf-8-sig")))}
    assert rows[target.stem]["name"] == "'" + data["name"]
    assert rows[target.stem]["credit_transfer"] == "'" + data["credit_transfer"]
    assert rows[target.stem]["summary"] == data["summary"]
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert data["name"] in titles
    compare = published.sharded(site, "compareRecord")[target.stem]
    assert compare["name"] == data["name"]


@on_browser_thread
def test_the_browser_finds_the_same_shards_as_python(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, catalog: Catalog) -> None:
    """js/shared/shards.js against FNV-1a's published values, and against contract.shard_of
    for every id of the example at several shard counts (the example itself needs one)."""
    page = watched_page.page
    page.goto(f"{example_server.url}compare/")
    ids = [*catalog.credentials, "café-ü"]
    got = page.evaluate("""async (ids) => {
        const m = await import('../js/shared/shards.js');
        return {fnv: ['', 'a', 'foobar'].map(m.fnv1a32),
                shards: [7, 32, 4096].map((n) => ids.map((id) => m.shardOf(id, n))),
                none: [m.shardOf('a', 0), m.shardPath({paths: {}, shards: 2}, 'x', 'a')]};
    }""", ids)
    assert got["fnv"] == [0x811C9DC5, 0xE40C292C, 0xBF9CF968]
    assert got["shards"] == [[contract.shard_of(i, n) for i in ids] for n in (7, 32, 4096)]
    assert got["none"] == [None, None]
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_the_browser_reads_query_words_as_the_index_stores_them(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer) -> None:
    """engine.js `queryWords` against search_index.words: accents, case, codes, joiners."""
    page = watched_page.page
    page.goto(f"{example_server.url}search/")
    texts = ["Québec ÉCOLE naïve", "Compétences numériques", "15-2051.01", "Data-Driven",
             "learner\u2019s café", "Straße ﬁle"]
    got = page.evaluate("""async (texts) => {
        const m = await import('../js/search/engine.js');
        return texts.map((text) => m.queryWords(text));
    }""", texts)
    for text, query in zip(texts, got, strict=True):
        # Every word typed is one the index stores for the same text.
        assert set(query) <= search_index.words(text), text
    assert got[0] == ["quebec", "ecole", "naive"]
    watched_page.assert_clean(example_server.origin)


def test_every_credential_has_a_small_compare_record(example_site: Path,
                                                     catalog: Catalog) -> None:
    records = published.sharded(example_site, "compareRecord")
    for credential in catalog.credentials.values():
        record = records[credential.id]
        assert record["id"] == credential.id
        assert record["workload"]["text"] == presentation.workload_text(credential.workload)
        assert [s["id"] for s in record["skills"]] == [s.id for s in credential.skills]
        assert len(json.dumps(record)) < 8_000
