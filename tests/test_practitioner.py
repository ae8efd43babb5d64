"""Practitioner tasks walked in a real Chromium, on a desk (1280 px) and on a phone (390 px),
against the example site built by the real MkDocs.

Every expected value here is written by hand from the example catalog's YAML (prices, hours,
which credential stacks into which), not computed by the code under test: if the site's
arithmetic or wording drifts, these fail.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from . import browser
from .browser import SiteServer, WatchedPage
from .browser_thread import (
    BrowserThread,
    browser_thread_fixture,
    on_browser_thread,
    watched_page_fixture,
)

example_site = browser.example_site
example_server = browser.example_server
browser_thread = pytest.fixture(scope="module")(browser_thread_fixture)
watched_page = pytest.fixture(watched_page_fixture)

DESK, PHONE = 1280, 390
WIDTHS = pytest.mark.parametrize("width", [DESK, PHONE], ids=["1280px", "390px"])

# The least each example pathway takes, worked out by hand from catalog/:
# - data-analyst: data literacy 15 h 149 GBP, spreadsheets 20 h 179 GBP, SQL 30 h 249 GBP,
#   dashboards 30 h 295 GBP, storytelling 16 h 195 GBP, the lighter elective Python 45 h
#   595 CAD (ethics takes 50 h), and the certificate on top of its four parts: 64 h 277 GBP.
#   (Not its 160 h / 1,195 GBP with the parts, which would count them twice.)
# - career-development-practitioner: conversations 30 h 395 CAD, labour market 24 h 295 CAD,
#   assessment tools 36 h 450 CAD, ethics 20 h 280 AUD, job-search coaching 16 h free,
#   the certificate's practicum and capstone 90 h 1,015 CAD.
# - career-services-team-lead: supervision 40 h 620 AUD, difficult conversations 18 h 325 CAD,
#   evaluation 125 h 890 EUR.
# - digital-workplace-champion: cybersecurity 3 h and AI literacy 8 h free, data literacy
#   15 h 149 GBP, champion 30 h 240 GBP.
# - people-leader: first-time team leader 16 h free; Coaching for Performance 20 h 450 USD,
#   which the certificate needs anyway (Difficult Conversations would add its 18 h to the
#   coaching the certificate still requires); leading change 125 h 1,150 EUR; inclusive
#   leadership 50 h 480 EUR; the certificate's project 150 h 1,020 EUR.
LEAST = {
    "data-analyst": ("7", "220 hours", "595.00 CAD + 1,344.00 GBP"),
    "career-development-practitioner": ("6", "216 hours", "280.00 AUD + 2,155.00 CAD"),
    "career-services-team-lead": ("3", "183 hours", "620.00 AUD + 325.00 CAD + 890.00 EUR"),
    "digital-workplace-champion": ("4", "56 hours", "389.00 GBP"),
    "people-leader": ("5", "361 hours", "2,650.00 EUR + 450.00 USD"),
}


def _open(watched: WatchedPage, server: SiteServer, path: str, width: int) -> Any:
    page = watched.page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url + path)
    return page


def _page_totals(page: Any) -> tuple[str, ...]:
    return tuple(page.locator(".totals-panel .totals dd").all_inner_texts())


def _plan_figures(page: Any) -> tuple[str, str, str]:
    page.locator("#plan[data-state=ready]").wait_for(state="attached")
    return (page.locator("#plan-count").inner_text(), page.locator("#plan-hours").inner_text(),
            page.locator("#plan-cost").inner_text())


@WIDTHS
@on_browser_thread
def test_pathway_totals_are_the_least_it_takes(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    for pathway, expected in LEAST.items():
        page = _open(watched_page, example_server, f"pathways/{pathway}/", width)
        assert _page_totals(page) == expected, pathway
        assert _plan_figures(page) == expected, pathway
    # The home page's featured pathways say the same.
    page = _open(watched_page, example_server, "", width)
    card = page.locator(".pathway-card", has_text="Data Analyst").inner_text()
    assert "7 credentials in 4 stages, 220 hours, 595.00 CAD + 1,344.00 GBP" in card
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_holding_the_certificate_counts_its_parts(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer) -> None:
    page = _open(watched_page, example_server, "pathways/data-analyst/", PHONE)
    page.locator("#plan input[value='data-analysis-professional-certificate']").check()
    # Left: data literacy (15 h, 149 GBP) and the lighter elective, Python (45 h, 595 CAD).
    assert _plan_figures(page) == ("2", "60 hours", "595.00 CAD + 149.00 GBP")
    for part in ("spreadsheet-analysis-fundamentals", "sql-for-data-analysis",
                 "dashboard-design-and-visualisation", "data-storytelling"):
        box = page.locator(f"#plan input[value='{part}']")
        assert box.is_checked() and box.is_disabled(), part
    page.locator("#plan input[value='data-analysis-professional-certificate']").uncheck()
    assert _plan_figures(page) == LEAST["data-analyst"]
    assert not page.locator("#plan input[value='sql-for-data-analysis']").is_checked()
    page.locator("#plan-clear").click()
    watched_page.assert_clean(example_server.origin)


# -- a credential page: quality, level, retirement ----------------------------------------------

# SQL for Data Analysis (catalog/credentials/sql-for-data-analysis.yaml): Brightpath is
# industry endorsed (not externally accredited); a rubric; online-proctored; no recognition of
# its own but its issuer's endorsement; stacks into the certificate; 6 weeks stated.
SQL_QUALITY = [
    ("Is the issuer's quality assured by someone else?", "Partly"),
    ("Are the skills assessed against published criteria?", "Yes"),
    ("Is the learner's identity checked at assessment?", "Yes"),
    ("Do employers or the industry recognise it?", "Partly"),
    ("Does it count toward a larger credential or credit?", "Yes"),
    ("Are its time and cost stated?", "Yes"),
]
# Online Career Information Services: retired, no assessment conditions and no recognition in
# its file, Northbridge externally accredited, no rubric, part of no stack or pathway.
RETIRED_QUALITY = [
    ("Is the issuer's quality assured by someone else?", "Yes"),
    ("Are the skills assessed against published criteria?", "Partly"),
    ("Is the learner's identity checked at assessment?", "Not stated"),
    ("Do employers or the industry recognise it?", "Not stated"),
    ("Does it count toward a larger credential or credit?", "Not stated"),
    ("Are its time and cost stated?", "Yes"),
]


def _quality(page: Any) -> list[tuple[str, str]]:
    items = page.locator(".quality-item")
    return [(items.nth(i).locator("dt").inner_text(),
             items.nth(i).locator(".rating").inner_text().strip(" \n✓◐\u2013?"))
            for i in range(items.count())]


@WIDTHS
@on_browser_thread
def test_quality_at_a_glance_answers_honestly(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    page = _open(watched_page, example_server, "credentials/sql-for-data-analysis/", width)
    assert _quality(page) == SQL_QUALITY
    recognition = page.locator(".quality-item", has_text="recognise it").inner_text()
    assert "Through its issuer" in recognition and "Digital Skills Standards Partnership" in (
        recognition)
    assert page.locator(".quality-how").count() == 6
    assert "EQF 5 · Intermediate" in page.locator(".key-facts").inner_text()
    page = _open(watched_page, example_server, "credentials/online-career-information-services/",
                 width)
    assert _quality(page) == RETIRED_QUALITY
    assert "✕" not in page.locator(".quality-panel").inner_text()
    watched_page.assert_clean(example_server.origin)


@WIDTHS
@on_browser_thread
def test_a_retired_credential_points_to_its_replacement(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    page = _open(watched_page, example_server, "credentials/online-career-information-services/",
                 width)
    assert page.get_by_role("link", name="Enrol", exact=False).count() == 0
    notice = page.locator(".notice-retired")
    link = notice.get_by_role("link", name="Labour Market Information Essentials")
    assert link.get_attribute("href") == "../labour-market-information-essentials/"
    # The notice comes before anything else on the page, and is on screen without scrolling.
    assert notice.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    assert notice.bounding_box()["y"] < 900
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_credentials_group_by_eqf_level_with_its_descriptor(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer) -> None:
    page = _open(watched_page, example_server, "credentials/by-level/", DESK)
    headings = [" ".join(h.split()) for h in page.locator("h2[id^=group-]").all_inner_texts()]
    # Counted by hand from the `eqf:` of the 32 example credentials.
    assert [h.split(":")[0] for h in headings] == [
        "EQF level 3", "EQF level 4", "EQF level 5", "EQF level 6", "EQF level 7"]
    assert headings[1].startswith("EQF level 4: factual and theoretical knowledge in broad "
                                  "contexts within a field of work or study")
    assert [re.search(r"(\d+)( credentials?)?$", h).group(1) for h in headings] == [
        "3", "8", "11", "7", "3"]
    watched_page.assert_clean(example_server.origin)
