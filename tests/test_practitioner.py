"""Practitioner tasks walked in a real Chromium, on a desk (1280 px) and on a phone (390 px),
against the example site built by the real MkDocs.

Every expected value here is written by hand from the example catalog's YAML (prices, hours,
which credential stacks into which), not computed by the code under test: if the site's
arithmetic or wording drifts, these fail.
"""

from __future__ import annotations

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
