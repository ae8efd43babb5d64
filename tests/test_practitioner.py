"""Practitioner tasks walked in a real Chromium, on a desk (1280 px) and on a phone (390 px),
against the example site built by the real MkDocs.

Every expected value here is written by hand from the example catalog's YAML (prices, hours,
which credential stacks into which), not computed by the code under test: if the site's
arithmetic or wording drifts, these fail.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from . import browser
from .browser import SiteServer, WatchedPage, build_site, serious_violations
from .browser_thread import (
    BrowserThread,
    browser_thread_fixture,
    on_browser_thread,
    watched_page_fixture,
)
from .conftest import copy_project, run_credcat

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


# The same totals converted at the example rates (catalog/exchange-rates.yaml: 1 EUR = 0.85 GBP
# = 1.60 CAD = 1.75 AUD = 1.15 USD), e.g. data analyst 595 / 1.60 + 1,344 / 0.85 = 1,953.05 EUR.
# A pathway priced in one currency gets no approximation.
ABOUT_EUR = {
    "data-analyst": "about 1,953 EUR",
    "career-development-practitioner": "about 1,507 EUR",  # 280 / 1.75 + 2,155 / 1.60
    "career-services-team-lead": "about 1,447 EUR",  # 620 / 1.75 + 325 / 1.60 + 890
    "digital-workplace-champion": None,
    "people-leader": "about 3,041 EUR",  # 2,650 + 450 / 1.15
}


def _page_totals(page: Any) -> tuple[str, ...]:
    return tuple(text.splitlines()[0] for text in
                 page.locator(".totals-panel .totals dd").all_inner_texts())


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
        approx = page.locator(".totals-panel .cost-approx")
        if ABOUT_EUR[pathway] is None:
            assert approx.count() == 0
        else:
            assert f"{ABOUT_EUR[pathway]} at the reference rates of January 2, 2026" in (
                approx.inner_text()), pathway
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
        # The diagram marks them held too.
        assert page.locator(f".flow-box[data-credential-id='{part}'] .flow-held").is_visible()
    page.locator("#plan input[value='data-analysis-professional-certificate']").uncheck()
    assert _plan_figures(page) == LEAST["data-analyst"]
    assert not page.locator("#plan input[value='sql-for-data-analysis']").is_checked()
    # In the visitor's currency: 595 CAD = 316.09 GBP, plus 1,344 GBP.
    page.locator("#plan-currency").select_option("GBP")
    assert page.locator("#plan-approx").inner_text() == (
        "about 1,660 GBP at the reference rates of January 2, 2026")
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
    assert "EQF 5 · Intermediate" in page.locator(".key-facts").inner_text()
    # How each answer is decided: the same rules for every credential, on a page of their own.
    page.get_by_role("link", name="How each answer is decided").click()
    page.wait_for_url("**/quality/")
    rules = page.locator(".quality-rules .quality-item")
    assert [rules.nth(i).locator("dt").inner_text() for i in range(rules.count())] == [
        question for question, _answer in SQL_QUALITY]
    assert "Yes with a rubric (criteria and performance levels)" in rules.nth(1).inner_text()
    assert "Not stated when the catalog is silent" in page.locator("#identity").inner_text()
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
    # In the index it is listed after Northbridge's active credentials (alphabetically it
    # would come before Python for Data Analysis and Using Career Assessment Tools).
    page = _open(watched_page, example_server, "credentials/", width)
    group = page.locator("section.credential-group", has_text="Northbridge College")
    names = group.locator("tbody th").all_inner_texts()
    assert names[-1].startswith("Online Career Information Services"), names
    assert names[-2].startswith("Using Career Assessment Tools"), names
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


# -- search: job titles, costs across currencies, empty results ---------------------------------

# Every credential aligned to O*NET 15-2051.01 (Business Intelligence Analysts) in
# catalog/credentials/, which is also the goal of the Data Analyst pathway.
TOWARD_DATA_ANALYST = {
    "data-literacy-essentials", "spreadsheet-analysis-fundamentals", "sql-for-data-analysis",
    "dashboard-design-and-visualisation", "data-storytelling", "python-for-data-analysis",
    "data-ethics-and-privacy", "data-analysis-professional-certificate",
}


def _results(page: Any) -> list[str]:
    """Every result on screen, pressing "Show more" until all are listed."""
    page.locator("#search-results[data-state=done]").wait_for(state="attached")
    items = page.locator("#search-results > li")
    total = int(page.locator("#search-results").get_attribute("data-total") or "0")
    while items.count() < total:
        shown = items.count()
        page.locator("#search-more").click()
        page.wait_for_function(
            f"document.querySelectorAll('#search-results > li').length > {shown}")
    return [items.nth(i).get_attribute("data-credential-id") or "" for i in range(items.count())]


def _search(watched: WatchedPage, server: SiteServer, query: str, width: int) -> list[str]:
    return _results(_open(watched, server, f"search/?{query}", width))


@WIDTHS
@on_browser_thread
def test_searching_by_the_job_title_people_know(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    # "BI analyst" and "data analyst" are alternate titles kept in the catalog's YAML; the
    # O*NET title and code are on the credential pages too.
    for words in ("q=BI+analyst", "q=data+analyst", "q=business+intelligence",
                  "q=15-2051.01", "occupation=15-2051.01"):
        found = _search(watched_page, example_server, words, width)
        assert set(found) >= TOWARD_DATA_ANALYST, (words, TOWARD_DATA_ANALYST - set(found))
        assert len(found) == len(set(found)), words
    # The credentials toward the role come first, before pages that merely mention the words.
    found = _search(watched_page, example_server, "q=BI+analyst", width)
    assert set(found[:len(TOWARD_DATA_ANALYST)]) == TOWARD_DATA_ANALYST, found
    # Exactly the aligned credentials, by O*NET title, code and an alternate title.
    for words in ("q=business+intelligence", "q=15-2051.01"):
        assert set(_search(watched_page, example_server, words, width)) == (
            TOWARD_DATA_ANALYST), words
    assert set(_search(watched_page, example_server, "q=data+scientists", width)) == {
        "python-for-data-analysis", "sql-for-data-analysis", "data-ethics-and-privacy",
        "data-analysis-professional-certificate"}  # those aligned to 15-2051.00
    # "Career adviser" (an alternate title of 21-1012.00): the ten credentials aligned to it,
    # the retired one last.
    found = _search(watched_page, example_server, "q=career+adviser", width)
    assert set(found) == {
        "career-assessment-tools", "career-conversations-foundations",
        "career-development-practice-certificate", "career-services-supervision",
        "ethics-in-career-practice", "group-facilitation-for-career-practitioners",
        "job-search-coaching", "labour-market-information-essentials",
        "online-career-information-services", "working-with-diverse-clients"}
    assert found[-1] == "online-career-information-services"
    watched_page.assert_clean(example_server.origin)


@WIDTHS
@on_browser_thread
def test_toward_data_analyst_under_40_hours_under_500_eur(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    # At the example rates (1 EUR = 0.85 GBP): data literacy 149 GBP = 175 EUR, spreadsheets
    # 179 GBP = 211 EUR, SQL 249 GBP = 293 EUR, dashboards 295 GBP = 347 EUR, storytelling
    # 195 GBP = 229 EUR, all under 40 hours. Python (45 h), ethics (50 h) and the certificate
    # (160 h) take longer. None is priced in EUR: without conversion nothing would match.
    query = "occupation=15-2051.01&hours_max=40&currency=EUR&cost_max=500"
    found = _search(watched_page, example_server, query, width)
    assert set(found) == {"data-literacy-essentials", "spreadsheet-analysis-fundamentals",
                          "sql-for-data-analysis", "dashboard-design-and-visualisation",
                          "data-storytelling"}
    hint = watched_page.page.locator("#cost-hint").inner_text()
    assert "reference rates of January 2, 2026" in hint and "approximate" in hint
    # Each result gives its own price and, beside it, about how much that is in euros.
    facts = watched_page.page.locator(
        "li[data-credential-id=sql-for-data-analysis] .result-facts").inner_text()
    assert "249.00 GBP (about 293 EUR)" in facts
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_no_results_names_the_filters_and_offers_to_relax_each(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer) -> None:
    # Toward data analyst (8 credentials) and under 5 hours (only Cybersecurity Awareness,
    # 3 hours, which is not on the way to data analyst): nothing matches.
    page = _open(watched_page, example_server,
                 "search/?occupation=15-2051.01&hours_max=5", PHONE)
    assert _results(page) == []
    assert page.locator("#search-status").inner_text() == "No credential matches."
    relax = page.locator("#search-relax li").all_inner_texts()
    assert [" ".join(t.split()) for t in relax] == [
        "Without the occupation filter: 1 credential would match. Remove the occupation filter",
        "Without the workload filter: 8 credentials would match. Remove the workload filter",
    ]
    page.get_by_role("button", name="Remove the workload filter").click()
    assert set(_results(page)) == TOWARD_DATA_ANALYST
    assert "hours_max" not in page.url
    watched_page.assert_clean(example_server.origin)


# -- every page type on a phone and a desk -------------------------------------------------------

PAGE_TYPES = {
    "home": "",
    "credentials index": "credentials/",
    "credentials by level": "credentials/by-level/",
    "credential": "credentials/data-analysis-professional-certificate/",
    "retired credential": "credentials/online-career-information-services/",
    "pathways": "pathways/",
    "pathway": "pathways/data-analyst/",
    "issuers": "issuers/",
    "issuer": "issuers/brightpath-digital/",
    "skills": "skills/",
    "skill": "skills/sql-querying/",
    "occupations": "occupations/",
    "occupation": "occupations/15-2051.01/",
    "search": "search/?q=data",
    "empty search": "search/?occupation=15-2051.01&hours_max=5",
    "compare": "compare/?ids=sql-for-data-analysis,data-storytelling,"
               "python-for-data-analysis,leading-change",
    "verify": "verify/",
    "quality rules": "quality/",
    "guides": "guides/",
    "maintainers' guide": "guides/maintainers/",
    "field reference": "reference/fields/",
    "about": "about/",
}


def _settled(page: Any) -> None:
    """Wait for the page's own scripts to finish what they render."""
    if page.locator("#search-results").count():
        page.locator("#search-results[data-state=done]").wait_for(state="attached")
    if page.locator("#compare").count():
        page.locator("#compare-table table").wait_for()
    if page.locator("#plan").count():
        page.locator("#plan[data-state=ready]").wait_for(state="attached")


@WIDTHS
@on_browser_thread
def test_no_page_scrolls_sideways_and_axe_finds_nothing_serious(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer, width: int) -> None:
    problems = {}
    for name, path in PAGE_TYPES.items():
        page = _open(watched_page, example_server, path, width)
        _settled(page)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        serious = serious_violations(page)
        if scroll_width > width or serious:
            problems[name] = (scroll_width, serious)
    assert problems == {}
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_four_credentials_compare_within_the_page_at_1280(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer) -> None:
    page = _open(watched_page, example_server, PAGE_TYPES["compare"], DESK)
    _settled(page)
    fits = page.evaluate("""() => {
      const holder = document.getElementById('compare-table');
      return [holder.scrollWidth, holder.clientWidth];
    }""")
    assert fits[0] <= fits[1], fits
    assert page.locator(".compare-table thead th[data-id]").count() == 4
    # The certificate's cost row says what it adds once its parts are held.
    page = _open(watched_page, example_server,
                 "compare/?ids=data-analysis-professional-certificate,sql-for-data-analysis",
                 DESK)
    _settled(page)
    assert "64 hours, 277.00 GBP once its parts are held" in page.locator(
        "tr[data-row=cost]").inner_text()
    # On a phone the table scrolls in its own region and the row labels stay in view.
    page = _open(watched_page, example_server, PAGE_TYPES["compare"], PHONE)
    _settled(page)
    page.locator("#compare-table").evaluate("element => { element.scrollLeft = 300; }")
    label = page.locator("tr[data-row=cost] th").bounding_box()
    holder = page.locator("#compare-table").bounding_box()
    assert label["x"] >= holder["x"] - 1 and label["x"] < holder["x"] + 20, (label, holder)
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_on_a_phone_results_and_their_count_come_before_the_filters(
        browser_thread: BrowserThread, watched_page: WatchedPage,
        example_server: SiteServer) -> None:
    page = _open(watched_page, example_server, "search/?q=SQL", PHONE)
    _settled(page)
    status = page.locator("#search-status").bounding_box()
    first = page.locator("#search-results > li").first.bounding_box()
    filters = page.locator("#filters").bounding_box()
    assert status["y"] < 700 and first["y"] < 900, (status, first)
    assert filters["y"] > first["y"]
    # Benchmarks are a developer page: linked from About, not in the main navigation.
    page = _open(watched_page, example_server, "about/", PHONE)
    assert page.locator(".primary-nav a", has_text="Benchmarks").count() == 0
    assert page.locator("main a", has_text="benchmarks").count() == 1
    watched_page.assert_clean(example_server.origin)


# -- the new catalog fields are checked like the others -----------------------------------------

def _edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("relative", "old", "new", "expected"), [
    ("catalog/credentials/online-career-information-services.yaml",
     "replaced_by: labour-market-information-essentials",
     "replaced_by: labour-market-info-essentials",
     "online-career-information-services.yaml:60:14: unknown credential "
     "'labour-market-info-essentials'"),
    ("catalog/credentials/online-career-information-services.yaml",
     "status: retired", "status: active",
     "an active credential has a replacement"),
    ("catalog/credentials/python-for-data-analysis.yaml",
     "participation:", "alone:\n  cost: {amount: 10, currency: CAD}\n  workload: {hours: 5}\n"
     "participation:", "`alone` is given but no credential stacks into 'python-for-data-analysis'"),
    ("catalog/credentials/data-analysis-professional-certificate.yaml",
     "    hours: 64", "    hours: 640",
     "the workload alone is more than the workload with all parts"),
    ("catalog/exchange-rates.yaml", "  GBP: 0.85", "  GBX: 0.85",
     "exchange-rates.yaml:9:3: 'GBX' is not an ISO 4217 currency"),
    ("catalog/exchange-rates.yaml", "  USD: 1.15\n", "",
     "no rate for USD, which credentials are priced in"),
])
def test_broken_stacking_replacement_and_rates_are_reported(
        project: Path, relative: str, old: str, new: str, expected: str) -> None:
    _edit(project, relative, old, new)
    result = run_credcat("check", cwd=project)
    assert expected in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    warning_only = expected.startswith("no rate")
    assert result.returncode == (0 if warning_only else 1), result.stdout + result.stderr


@on_browser_thread
def test_without_rates_the_cost_filter_says_what_it_could_not_compare(
        browser_thread: BrowserThread, watched_page: WatchedPage, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "catalog" / "exchange-rates.yaml").unlink()
    site = build_site(project, tmp_path / "site")
    with SiteServer(site) as server:
        page = _open(watched_page, server, "search/?currency=EUR&cost_max=500", PHONE)
        # Priced in EUR under 500: data ethics 420, group facilitation 450, inclusive
        # leadership 480; and the 5 free credentials. Priced in other currencies: 8 in GBP,
        # 7 in CAD, 3 in AUD, 2 in USD.
        assert set(_results(page)) == {
            "data-ethics-and-privacy", "group-facilitation-for-career-practitioners",
            "inclusive-leadership", "ai-literacy-for-the-workplace", "cybersecurity-awareness",
            "first-time-team-leader", "job-search-coaching", "supervisory-skills-essentials"}
        status = page.locator("#search-status").inner_text()
        assert "20 credentials are priced in" in status
        assert "could not be compared with EUR (this catalog gives no exchange rates)" in status
        assert "without conversion" in page.locator("#cost-hint").inner_text()
        # No approximate totals either: amounts stay per currency.
        page = _open(watched_page, server, "pathways/data-analyst/", PHONE)
        assert page.locator(".cost-approx").count() == 0
        assert page.locator("#plan-currency").count() == 0
        watched_page.assert_clean(server.origin)
