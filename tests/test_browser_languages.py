"""The browser code in the visitor's language, and credentials in the learner's (issue 17).

The verify page's interface words come from the browser's message catalogue of the page's
language (js/shared/i18n.js); the catalog's texts it shows (the credential's entry, its issuer,
the pathways it advances) from that language's records under `data-language-root`; the
credential's own texts are shown as they are, marked with the credential's language. The
pathway planner words the totals it computes as the page (Python, Babel) words its own.

Expected words are the catalog files', the `.po` files' and the pages' own, not the code's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from site_builder.catalog.model import Languages
from site_builder.credentials.achievement import Wording
from site_builder.credentials.issuing import Learner, build_credential
from site_builder.publishing.project import Project
from tests import browser
from tests.browser_thread import (
    BrowserThread,
    browser_thread_fixture,
    on_browser_thread,
    watched_page_fixture,
)
from tests.test_browser_messages import catalogue, extracted

# The shared site fixtures (tests/browser.py), and Chromium on a thread of this module's own
# (tests/browser_thread.py explains why), made visible to pytest in this module.
keyed_site = browser.keyed_site
keyed_server = browser.keyed_server
browser_thread = pytest.fixture(scope="module")(browser_thread_fixture)
watched_page = pytest.fixture(watched_page_fixture)

FRENCH_CREDENTIAL = "ai-literacy-for-the-workplace"  # in en and fr (the Riverside issuer)
ENGLISH_CREDENTIAL = "sql-for-data-analysis"  # in English only


def _catalog_yaml(site: browser.KeyedSite, path: str) -> Any:
    return yaml.safe_load((site.project / "catalog" / path).read_text(encoding="utf-8"))


def _french_credential(site: browser.KeyedSite) -> dict[str, Any]:
    """A credential as `credcat issue --lang fr` makes it, signed with the issuer's test key."""
    project = Project.from_config(site.project / "mkdocs.yml")
    document = build_credential(
        project.site, project.require().credentials[FRENCH_CREDENTIAL],
        Learner("Camille Roy", "camille@example.org"), browser.ISSUED, salt="5a1ted5a1ted",
        wording=Wording("fr"))
    document["credentialStatus"] = site.status_entries(document)
    return site.sign(document)


def _verify(page: Any, documents: list[dict[str, Any]]) -> None:
    page.wait_for_selector("#verifier[data-ready='true']", state="attached")
    text = documents[0] if len(documents) == 1 else documents
    page.fill("#credential-input", json.dumps(text, ensure_ascii=False))
    page.click("#verify-button")
    page.wait_for_function("() => { const r = document.getElementById('results'); "
                           "return !r.hasAttribute('aria-busy') && r.dataset.state === 'done' "
                           "&& r.querySelector('h2'); }")


def _fact(page: Any, result: int, term: str) -> Any:
    return page.locator(f"#result-{result} .facts div", has=page.locator(
        "dt", has_text=term)).locator("dd")


@on_browser_thread
def test_the_browser_finds_every_french_message_by_the_key_python_gives(
        browser_thread: BrowserThread, watched_page: browser.WatchedPage,
        keyed_server: browser.SiteServer) -> None:
    """js/shared/i18n.js looks a message up by the FNV-1a hash of its msgid: the page's hash of
    every extracted msgid (accents, quotes and all) is a key of the published French JSON."""
    page = watched_page.page
    page.goto(keyed_server.url + "verify/")
    msgids = sorted(extracted())
    missing = page.evaluate("""async (msgids) => {
      const {fnv1a32} = await import('../js/shared/shards.js');
      const {messages} = await (await fetch('../js/i18n/fr.json')).json();
      const key = (msgid) => fnv1a32(msgid).toString(16).padStart(8, '0');
      return msgids.filter((msgid) => !Object.hasOwn(messages, key(msgid)));
    }""", msgids)
    assert len(msgids) > 250 and missing == []
    watched_page.assert_clean(keyed_server.origin)


@on_browser_thread
def test_a_french_credential_on_the_english_page_keeps_its_language(
        browser_thread: BrowserThread, watched_page: browser.WatchedPage,
        keyed_server: browser.SiteServer, keyed_site: browser.KeyedSite) -> None:
    entry = _catalog_yaml(keyed_site, f"credentials/{FRENCH_CREDENTIAL}.yaml")
    page = watched_page.page
    page.goto(keyed_server.url + "verify/")
    _verify(page, [_french_credential(keyed_site)])
    assert page.inner_text("#verify-status") == "Verified."
    name = _fact(page, 1, "Credential").locator("span")
    assert (name.inner_text(), name.get_attribute("lang")) == (entry["name"]["fr"], "fr")
    criteria = _fact(page, 1, "Criteria").locator("p").first
    assert criteria.get_attribute("lang") == "fr"
    # The catalog's own words are the English page's: its entry and issuer in English.
    assert _fact(page, 1, "In this catalog").locator("a").first.inner_text() == (
        entry["name"]["en"])
    issuer = _catalog_yaml(keyed_site, f"issuers/{entry['issuer']}.yaml")
    english_issuer = issuer["name"]["en"] if isinstance(issuer["name"], dict) else issuer["name"]
    assert _fact(page, 1, "Issued by").inner_text() == english_issuer
    watched_page.assert_clean(keyed_server.origin)


@on_browser_thread
def test_a_credential_whose_context_sets_a_language_is_shown_in_it(
        browser_thread: BrowserThread, watched_page: browser.WatchedPage,
        keyed_server: browser.SiteServer, keyed_site: browser.KeyedSite) -> None:
    """VC 2.0 11.1: a default `@language` in the credential's @context, and no `inLanguage`,
    makes its plain strings text in that language; it verifies, and is marked so."""
    document = keyed_site.credential(ENGLISH_CREDENTIAL)
    del document["credentialSubject"]["achievement"]["inLanguage"]
    document["@context"] = [*document["@context"], {"@language": "en-IE"}]
    page = watched_page.page
    page.goto(keyed_server.url + "verify/")
    _verify(page, [keyed_site.sign(document)])
    assert page.inner_text("#verify-status") == "Verified."
    assert _fact(page, 1, "Credential").locator("span").get_attribute("lang") == "en-IE"
    watched_page.assert_clean(keyed_server.origin)


@on_browser_thread
def test_the_french_verify_page_speaks_french_and_names_the_catalog_in_french(
        browser_thread: BrowserThread, watched_page: browser.WatchedPage,
        keyed_server: browser.SiteServer, keyed_site: browser.KeyedSite) -> None:
    """/fr/verify/ (convention: a tree per declared language): the French interface, the
    catalog's French entry and issuer name, links to French pages, dates in French; an
    English-only credential keeps lang="en" on its own texts."""
    languages = Project.from_config(keyed_site.project / "mkdocs.yml").languages
    assert languages == Languages(("en", "fr"), "en")
    entry = _catalog_yaml(keyed_site, f"credentials/{FRENCH_CREDENTIAL}.yaml")
    issuer = _catalog_yaml(keyed_site, f"issuers/{entry['issuer']}.yaml")
    page = watched_page.page
    page.goto(keyed_server.url + "fr/verify/")
    assert page.get_attribute("html", "lang") == "fr"
    english = keyed_site.sign(keyed_site.credential(ENGLISH_CREDENTIAL))
    _verify(page, [_french_credential(keyed_site), english])
    # French words from browser.po: the summary, the verdicts, the check lines, the facts.
    verified = _french("{n} verified")[2].format(n=2)
    assert page.inner_text("#verify-status") == _french(
        "{n} credential checked: {verdicts}.")[2].format(n=2, verdicts=verified)
    assert page.locator("#result-1 .verdict").inner_text().endswith(_french("Verified"))
    assert page.locator("#result-1 .check[data-check='signature'] .check-status").inner_text(
        ) == f"✓ {_french('Passed')}"
    assert page.locator("#result-1 .check[data-check='issuer'] .check-message").inner_text() == (
        str(_french("Issued by {issuerName}, an issuer of this catalog.")).format(
            issuerName=issuer["name"]["fr"]))
    link = _fact(page, 1, str(_french("In this catalog"))).locator("a").first
    assert link.inner_text() == entry["name"]["fr"]
    assert link.get_attribute("href") == (
        f"{keyed_server.url}fr/credentials/{FRENCH_CREDENTIAL}/")
    assert _fact(page, 1, str(_french("Issued by"))).inner_text() == issuer["name"]["fr"]
    # CLDR's French month names, in UTC (issued 2026-01-15T09:30:00Z).
    assert _fact(page, 1, str(_french("Valid from"))).inner_text() == "15 janvier 2026"
    name = _fact(page, 1, str(_french("Credential"))).locator("span")
    assert (name.inner_text(), name.get_attribute("lang")) == (entry["name"]["fr"], "fr")
    assert _fact(page, 2, str(_french("Credential"))).locator("span").get_attribute(
        "lang") == "en"
    # The pathway the French credential advances, named from the French pathway records.
    pathway = _catalog_yaml(keyed_site, "pathways/digital-workplace-champion.yaml")
    progress = page.locator(".pathway-progress").first
    assert str(_french("Progress on pathways: {holder}")).format(holder="Camille Roy") in (
        progress.inner_text())
    assert progress.locator("h4 a").inner_text() == pathway["name"]["fr"]
    assert progress.locator("h4 a").get_attribute("href") == (
        f"{keyed_server.url}fr/pathways/digital-workplace-champion/")
    assert progress.locator(".stage-progress strong").first.inner_text() == (
        pathway["stages"][0]["name"]["fr"])
    watched_page.assert_clean(keyed_server.origin)


def _french(msgid: str) -> str | list[str]:
    """The French translation of a browser message, as browser.po writes it."""
    message = catalogue("fr").get(msgid)
    assert message is not None, msgid
    return list(message.string) if isinstance(message.string, tuple) else message.string


@on_browser_thread
def test_french_search_and_comparison_read_french_data_and_link_to_french_pages(
        browser_thread: BrowserThread, watched_page: browser.WatchedPage,
        keyed_server: browser.SiteServer, keyed_site: browser.KeyedSite) -> None:
    entry = _catalog_yaml(keyed_site, f"credentials/{FRENCH_CREDENTIAL}.yaml")
    page = watched_page.page
    page.goto(keyed_server.url + "fr/search/?q=littératie")
    page.locator("#search-results[data-state=done]").wait_for(state="attached")
    total = int(page.get_attribute("#search-results", "data-total") or "0")
    one, many = _french("{n} credential matches “{term}”.")[0], _french(
        "{n} credential matches “{term}”.")[2]
    assert page.inner_text("#search-status") == (one if total < 2 else many).format(
        n=total, term="littératie")
    link = page.locator(f"#search-results li[data-credential-id='{FRENCH_CREDENTIAL}'] h3 a")
    assert link.inner_text() == entry["name"]["fr"]
    assert link.get_attribute("href") == f"{keyed_server.url}fr/credentials/{FRENCH_CREDENTIAL}/"
    page.goto(f"{keyed_server.url}fr/compare/?ids={FRENCH_CREDENTIAL},{ENGLISH_CREDENTIAL}")
    page.locator("#compare[data-state=done]").wait_for(state="attached")
    assert page.inner_text("#compare-table caption") == _french(
        "Comparison of {n} credential")[2].format(n=2)
    heading = page.locator(f"#compare-table th[data-id='{FRENCH_CREDENTIAL}'] a")
    assert heading.inner_text() == entry["name"]["fr"]
    assert heading.get_attribute("href") == (
        f"{keyed_server.url}fr/credentials/{FRENCH_CREDENTIAL}/")
    watched_page.assert_clean(keyed_server.origin)


@on_browser_thread
def test_the_french_planner_words_its_totals_as_the_french_page_does(
        browser_thread: BrowserThread, watched_page: browser.WatchedPage,
        keyed_server: browser.SiteServer) -> None:
    """Intl in the browser and Babel in Python follow the same CLDR data: with nothing ticked,
    the planner's figures are the page's "least it takes" (decimal comma, narrow no-break
    space between thousands, hours with their plural)."""
    page = watched_page.page
    page.goto(keyed_server.url + "fr/pathways/data-analyst/")
    page.locator("#plan[data-state=ready]").wait_for(state="attached")
    panel = tuple(text.splitlines()[0] for text in
                  page.locator(".totals-panel .totals dd").all_inner_texts())
    planner = (page.locator("#plan-count").inner_text(), page.locator("#plan-hours").inner_text(),
               page.locator("#plan-cost").inner_text())
    assert planner == panel
    assert "," in planner[2] and "heures" in planner[1]
    watched_page.assert_clean(keyed_server.origin)
