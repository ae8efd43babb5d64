"""Switching language in Chromium, on a desk (1280 px) and on a phone (390 px): the switcher
keeps the visitor on the same credential, pathway, search, comparison or verification and
shows the other language's text; untranslated text is marked; axe finds nothing serious on the
French pages.

Expected texts are copied by hand from the example catalog's YAML (see test_languages.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from site_builder.credentials.issuing import Learner, build_credential, verification_link
from site_builder.publishing.project import Project
from site_builder.urls import Site

from . import browser
from .browser import SiteServer, WatchedPage, serious_violations
from .browser_thread import (
    BrowserThread,
    browser_thread_fixture,
    on_browser_thread,
    watched_page_fixture,
)
from .test_languages import (
    NAME_EN,
    NAME_FR,
    PATHWAY,
    PATHWAY_FR,
    TRANSLATED,
    UNTRANSLATED,
    UNTRANSLATED_NAME,
)

example_site = browser.example_site
example_server = browser.example_server
keyed_site = browser.keyed_site
keyed_server = browser.keyed_server
browser_thread = pytest.fixture(scope="module")(browser_thread_fixture)
watched_page = pytest.fixture(watched_page_fixture)

DESK, PHONE = 1280, 390
WIDTHS = pytest.mark.parametrize("width", [DESK, PHONE], ids=["1280px", "390px"])
OTHER_TRANSLATED = ("job-search-coaching", "Job Search Coaching",
                    "Accompagnement à la recherche d'emploi")
PATHWAY_EN = "Digital Workplace Champion"


def _open(watched: WatchedPage, server: SiteServer, path: str, width: int) -> Any:
    page = watched.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url + path)
    return page


def _switch(page: Any, name: str, width: int) -> None:
    """Follow the header's link to another language, as a visitor would: it is in view
    without scrolling sideways, and big enough to tap."""
    link = page.locator(".language-switcher a", has_text=name)
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["height"] >= 24
    with page.expect_navigation():
        link.click()


def _state(page: Any) -> tuple[str, str]:
    return page.evaluate("document.documentElement.lang"), page.url


@WIDTHS
@on_browser_thread
def test_switching_language_on_a_credential_and_a_pathway_page(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    page = _open(watched_page, example_server, f"credentials/{TRANSLATED}/", width)
    assert page.inner_text("h1") == NAME_EN
    _switch(page, "Français", width)
    assert _state(page) == ("fr", f"{example_server.url}fr/credentials/{TRANSLATED}/")
    assert page.inner_text("h1") == NAME_FR
    _switch(page, "English", width)
    assert _state(page) == ("en", f"{example_server.url}credentials/{TRANSLATED}/")

    page = _open(watched_page, example_server, f"pathways/{PATHWAY}/", width)
    assert page.inner_text("h1") == PATHWAY_EN
    _switch(page, "Français", width)
    assert _state(page) == ("fr", f"{example_server.url}fr/pathways/{PATHWAY}/")
    assert page.inner_text("h1") == PATHWAY_FR
    # Links on a French page stay in French.
    with page.expect_navigation():
        page.locator(f"a[href$='credentials/{TRANSLATED}/']").first.click()
    assert _state(page) == ("fr", f"{example_server.url}fr/credentials/{TRANSLATED}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_untranslated_text_shows_the_english_with_a_marker(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer) -> None:
    page = _open(watched_page, example_server, f"fr/credentials/{UNTRANSLATED}/", PHONE)
    heading = page.locator("h1")
    assert heading.locator("[lang=en]").inner_text() == UNTRANSLATED_NAME
    marker = heading.locator(".fallback-marker")
    assert marker.is_visible() and marker.get_attribute("lang") == "fr"
    assert marker.inner_text().strip()
    description = page.locator("#about div[lang=en]")
    assert description.inner_text().startswith("Career assessments are powerful")
    assert page.locator("#about .fallback-marker").is_visible()
    watched_page.assert_clean(example_server.origin)


def _results(page: Any) -> list[str]:
    page.locator("#search-results[data-state=done]").wait_for(state="attached")
    return page.locator("#search-results .result-title").all_inner_texts()


@WIDTHS
@on_browser_thread
def test_switching_language_on_the_search_page_keeps_the_search(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    query = "?issuer=riverside-workforce-alliance"
    page = _open(watched_page, example_server, f"search/{query}", width)
    assert sorted(_results(page)) == sorted([NAME_EN, OTHER_TRANSLATED[1]])
    _switch(page, "Français", width)
    assert _state(page) == ("fr", f"{example_server.url}fr/search/{query}")
    assert sorted(_results(page)) == sorted([NAME_FR, OTHER_TRANSLATED[2]])
    # A French word finds the French text.
    page.goto(f"{example_server.url}fr/search/?q=littératie")
    assert NAME_FR in _results(page)
    watched_page.assert_clean(example_server.origin)


@WIDTHS
@on_browser_thread
def test_switching_language_on_the_compare_page_keeps_the_credentials(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    query = f"?ids={TRANSLATED},{OTHER_TRANSLATED[0]}"
    page = _open(watched_page, example_server, f"compare/{query}", width)
    page.locator("#compare-table table").wait_for()
    assert NAME_EN in page.inner_text("#compare-table thead")
    _switch(page, "Français", width)
    assert _state(page) == ("fr", f"{example_server.url}fr/compare/{query}")
    page.locator("#compare-table table").wait_for()
    head = page.inner_text("#compare-table thead")
    assert NAME_FR in head and OTHER_TRANSLATED[2] in head
    watched_page.assert_clean(example_server.origin)


@WIDTHS
@on_browser_thread
def test_switching_language_on_the_verify_page_keeps_the_credential(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        keyed_server: SiteServer, keyed_site: browser.KeyedSite, width: int) -> None:
    project = Project.from_config(keyed_site.project / "mkdocs.yml")
    document = build_credential(project.site, project.require().credentials[TRANSLATED],
                                Learner("Camille Roy", "camille@example.org"), browser.ISSUED,
                                salt="5a1ted5a1ted")
    document["credentialStatus"] = keyed_site.status_entries(document)
    link = verification_link(Site.from_config(keyed_server.url), keyed_site.sign(document))
    page = _open(watched_page, keyed_server, link.removeprefix(keyed_server.url), width)
    _verdict(page)
    fragment = link.split("#", 1)[1]
    _switch(page, "Français", width)
    assert _state(page) == ("fr", f"{keyed_server.url}fr/verify/#{fragment}")
    assert _verdict(page) == "verified"
    # The catalog's entry for the credential, named in French.
    assert NAME_FR in page.inner_text("#results")
    watched_page.assert_clean(keyed_server.origin)


def _verdict(page: Any) -> str:
    page.wait_for_function("() => { const r = document.getElementById('results'); "
                           "return r && !r.hasAttribute('aria-busy') && r.dataset.state === 'done' "
                           "&& r.querySelector('h2'); }")
    return page.evaluate("document.querySelector('#results article.result')"
                         "?.dataset.verdict || ''")


FRENCH_PAGES = {
    "home": "fr/",
    "credential": f"fr/credentials/{TRANSLATED}/",
    "untranslated credential": f"fr/credentials/{UNTRANSLATED}/",
    "pathway": f"fr/pathways/{PATHWAY}/",
    "search": "fr/search/?q=donn%C3%A9es",
    "compare": f"fr/compare/?ids={TRANSLATED},{OTHER_TRANSLATED[0]}",
    "verify": "fr/verify/",
}


@WIDTHS
@on_browser_thread
def test_axe_finds_nothing_serious_on_the_french_pages(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    problems = {}
    for name, path in FRENCH_PAGES.items():
        page = _open(watched_page, example_server, path, width)
        if page.locator("#search-results").count():
            page.locator("#search-results[data-state=done]").wait_for(state="attached")
        if page.locator("#compare").count():
            page.locator("#compare-table table").wait_for()
        if page.locator("#verifier").count():
            page.wait_for_selector("#verifier[data-ready='true']", state="attached")
        assert page.evaluate("document.documentElement.lang") == "fr", name
        serious = serious_violations(page)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if serious or scroll_width > width:
            problems[name] = (scroll_width, serious)
    assert problems == {}
    watched_page.assert_clean(example_server.origin)


def test_the_expected_texts_are_the_catalogs() -> None:
    """The hand-copied names above are what the YAML says (a typo here would hide a bug)."""
    catalog = Path(__file__).resolve().parents[1] / "catalog"
    text = (catalog / "credentials" / f"{OTHER_TRANSLATED[0]}.yaml").read_text(encoding="utf-8")
    assert re.search(rf"en: {re.escape(OTHER_TRANSLATED[1])}\n", text)
    assert f"fr: {OTHER_TRANSLATED[2]}\n" in text
    text = (catalog / "pathways" / f"{PATHWAY}.yaml").read_text(encoding="utf-8")
    assert f"en: {PATHWAY_EN}\n" in text
