"""Issue 14 on the /verify/ page, in real headless Chromium: verdict first and only what it
allows, several holders at once, nothing stored until asked, the recipient check and what a
verified credential offers its holder (LinkedIn, verification link). Expected values are
written by hand from the example catalog and the specifications, never read from the page's
own code; axe-core checks every state.
"""

from __future__ import annotations

import base64
import copy
import csv
import gzip
import hashlib
import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import rfc8785
import segno
import zxingcpp
from PIL import Image

from site_builder.credentials import sharing
from site_builder.credentials.issuing import Learner, build_credential, verification_link
from site_builder.credentials.sharing import linkedin_url
from site_builder.publishing.project import Project
from site_builder.urls import Site

from . import browser
from .browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    KeyedSite,
    SiteServer,
    WatchedPage,
    serious_violations,
)
from .browser_thread import (
    BrowserThread,
    browser_thread_fixture,
    on_browser_thread,
    watched_page_fixture,
)
from .conftest import active_credential, copy_project, run_credcat
from .test_verify_page import (
    VECTORS,
    open_verifier,
    vector,
    verify_text,
    wait_for_results,
)

# The shared site fixtures, and Chromium on a thread of this module's own so that it can share
# a pytest worker with tests/test_verify_page.py (tests/browser_thread.py explains why).
example_site = browser.example_site
example_server = browser.example_server
keyed_site = browser.keyed_site
keyed_server = browser.keyed_server
browser_thread = pytest.fixture(scope="module")(browser_thread_fixture)
watched_page = pytest.fixture(watched_page_fixture)

DEPENDENT = ("issuer", "validity", "status", "achievement")


def assert_accessible(page: Any) -> None:
    assert serious_violations(page) == []


# -- 1 and 6: the verdict first, then only what it allows ---------------------------------------

@on_browser_thread
def test_tampered_credential_shows_one_sentence_and_no_passed_dependent_check(
        browser_thread: BrowserThread,
        watched_page: WatchedPage, example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    [result] = verify_text(page, (VECTORS / "tampered-name.json").read_text())
    assert result["title"] == "✕ Not verified"
    assert page.inner_text("#results .verdict-text").startswith("The signature does not match")
    checks = {check: (status, message) for check, status, message in result["checks"]}
    assert checks["signature"][0] == "fail"
    # What the signature check rests on was checked on its own and keeps its result.
    assert (checks["format"][0], checks["proof"][0], checks["key"][0]) == ("pass",) * 3
    for check in DEPENDENT:
        assert checks[check][0] == "skipped"
        assert checks[check][1].startswith("not checked, because the signature check failed")
    assert "Passed" not in page.inner_text(
        ", ".join(f"#results [data-check='{check}']" for check in DEPENDENT))
    # What the credential claims is collapsed and says it is not confirmed.
    claims = page.locator("#results details.result-claims")
    assert claims.get_attribute("open") is None
    assert claims.locator("summary").inner_text() == "What the credential claims (not confirmed)"
    # Nothing to show or check for a credential that did not verify.
    assert page.locator("#results .show-it, #results .recipient-check").count() == 0
    assert_accessible(page)
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_expired_revoked_and_suspended_are_in_the_headline(
        browser_thread: BrowserThread,
        watched_page: WatchedPage, example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    titles = {}
    for case in ("expired", "revoked", "suspended"):
        [result] = verify_text(page, (VECTORS / f"{case}.json").read_text())
        titles[case] = result["title"]
        assert_accessible(page)
    assert titles == {
        "expired": "! Genuine, but expired on 1 January 2020",
        "revoked": "✕ Genuine, but revoked by Ardmore University",
        "suspended": "✕ Genuine, but suspended by Ardmore University",
    }
    watched_page.assert_clean(example_server.origin)


@on_browser_thread
def test_input_that_is_not_a_credential_is_one_sentence(
        browser_thread: BrowserThread,
        watched_page: WatchedPage, example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    for text, sentence in (
            ("Dear employer, here is my badge.", "This is not a credential: it is not valid "
             "JSON."),
            # The verifier spec's sentence for a JSON object without @context and type.
            ('{"name": "a badge"}', "This is not an Open Badges 3.0 credential: "),
            ("[1, 2]", "This is not an Open Badges 3.0 credential: ")):
        [result] = verify_text(page, text)
        assert result["title"] == "✕ This is not a credential"
        assert [(c, s) for c, s, _ in result["checks"]] == [("format", "fail")]
        assert result["checks"][0][2].startswith(sentence)
        assert page.locator("#results ul.checks, #results details").count() == 0
        assert "Could not check" not in page.inner_text("#results")
        assert_accessible(page)
    watched_page.assert_clean(example_server.origin)


# -- 2: several credentials, per-holder progress, nothing stored until asked ---------------------

@on_browser_thread
def test_several_holders_summary_first_progress_per_holder_and_explicit_storage(
        browser_thread: BrowserThread,
        watched_page: WatchedPage, keyed_server: SiteServer, keyed_site: KeyedSite) -> None:
    # Data Analyst pathway: stage 1 is data-literacy-essentials + spreadsheet-analysis-
    # fundamentals, stage 2 includes sql-for-data-analysis (catalog/pathways/data-analyst.yaml).
    jo = [keyed_site.sign(keyed_site.credential(c, learner="Jo Okafor"))
          for c in ("data-literacy-essentials", "spreadsheet-analysis-fundamentals")]
    expired = keyed_site.sign(keyed_site.credential(
        "data-literacy-essentials", learner="Sam Lee", validUntil="2026-02-01T00:00:00Z"))
    kim = keyed_site.sign(keyed_site.credential("sql-for-data-analysis", learner="Kim Park"))
    page = open_verifier(watched_page, keyed_server)
    page.evaluate("localStorage.setItem('credcat.compare', '[\"sql-for-data-analysis\"]')")
    page.reload()
    page.wait_for_selector("#verifier[data-ready='true']", state="attached")
    results = verify_text(page, json.dumps([jo[0], expired, kim, jo[1]]))
    assert [r["verdict"] for r in results] == ["verified", "warning", "verified", "verified"]

    rows = page.eval_on_selector_all(
        "#results table.summary-table tbody tr",
        "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    assert rows == [
        ["Jo Okafor", "Data Literacy Essentials", "Verified", "Verified"],
        ["Jo Okafor", "Spreadsheet Analysis Fundamentals", "Verified", "Verified"],
        ["Sam Lee", "Data Literacy Essentials", "Verified, with warnings",
         "Genuine, but expired on 1 February 2026"],
        ["Kim Park", "SQL for Data Analysis", "Verified", "Verified"],
    ]
    # The table comes before the details, which are grouped by holder.
    order = page.eval_on_selector_all(
        "#results > table, #results > h3.holder-heading",
        "nodes => nodes.map(n => n.tagName === 'TABLE' ? 'table' : n.textContent)")
    assert order == ["table", "Credentials of Jo Okafor", "Credentials of Sam Lee",
                     "Credentials of Kim Park"]

    # Progress per holder; the expired credential counts for nobody.
    holders = page.eval_on_selector_all("#results section.pathway-progress",
                                        "s => s.map(x => x.dataset.holder)")
    assert holders == ["Jo Okafor", "Kim Park"]
    jo_pathway = page.locator("[data-holder='Jo Okafor'] [data-pathway='data-analyst']")
    assert "Progress on pathways: Jo Okafor" in page.inner_text(
        "section.pathway-progress[data-holder='Jo Okafor'] h3")
    assert jo_pathway.locator("[data-stage='1']").get_attribute("data-complete") == "true"
    kim_pathway = page.locator("[data-holder='Kim Park'] [data-pathway='data-analyst']")
    assert kim_pathway.locator("[data-stage='1']").get_attribute("data-complete") == "false"
    assert "(0 of 2 needed)" in kim_pathway.locator("[data-stage='1']").inner_text()
    assert "1 of 3 needed" in kim_pathway.locator("[data-stage='2']").inner_text()
    assert_accessible(page)

    # Nothing new stored until the visitor asks; then exactly that holder's credentials.
    stored = "() => Object.fromEntries(Object.entries(localStorage))"
    assert page.evaluate(stored) == {"credcat.compare": '["sql-for-data-analysis"]'}
    page.click("[data-remember='Jo Okafor']")
    assert json.loads(page.evaluate("localStorage.getItem('credcat.verified')")) == [
        "data-literacy-essentials", "spreadsheet-analysis-fundamentals"]
    # One "forget everything" clears all the catalog stored, the comparison too.
    page.click("#forget-everything")
    assert page.evaluate(stored) == {}
    assert "Forgotten" in page.inner_text("#forget-status")
    assert page.is_disabled("#forget-everything")
    assert_accessible(page)
    watched_page.assert_clean(keyed_server.origin)


# -- 3: the recipient check --------------------------------------------------------------------

def _email_identifier(**fields: Any) -> dict[str, Any]:
    return {"type": "IdentityObject", "identityType": "emailAddress", **fields}


@on_browser_thread
def test_recipient_check_plain_hashed_and_salted(
        browser_thread: BrowserThread,
        watched_page: WatchedPage, keyed_server: SiteServer, keyed_site: KeyedSite) -> None:
    salted = keyed_site.credential("career-services-evaluation", learner="Jo Okafor")
    # keyed_site issues to learner@example.org with salt 5a1ted5a1ted; checked by hand here.
    assert salted["credentialSubject"]["identifier"][0]["identityHash"] == "sha256$" + (
        hashlib.sha256(b"learner@example.org5a1ted5a1ted").hexdigest())
    plain = copy.deepcopy(salted)
    plain["credentialSubject"]["identifier"][0] = _email_identifier(
        identityHash="kim@example.org", hashed=False)
    unsalted = copy.deepcopy(salted)
    unsalted["credentialSubject"]["identifier"][0] = _email_identifier(
        identityHash="sha256$" + hashlib.sha256(b"sam@example.org").hexdigest(), hashed=True)
    cases = [(salted, "  Learner@Example.org ", "other@example.org"),
             (plain, "kim@example.org", "kim@example.com"),
             (unsalted, "sam@example.org", "sam@example.org.evil")]
    page = open_verifier(watched_page, keyed_server)
    for document, right, wrong in cases:
        [result] = verify_text(page, json.dumps(keyed_site.sign(document)))
        assert result["verdict"] == "verified"
        form = page.locator("#results .recipient-check")
        assert form.locator("label").inner_text() == "The holder\u2019s e-mail address"
        for typed, answer in ((right, "yes"), (wrong, "no")):
            form.locator("input").fill(typed)
            form.locator("button").click()
            page.wait_for_selector(f"#results .recipient-answer[data-match='{answer}']")
        assert_accessible(page)
    # What was typed went nowhere: only the site's own files were requested.
    assert not any("example.org" in url or "evil" in url for url in watched_page.requests)
    watched_page.assert_clean(keyed_server.origin)


# -- 4: show it: LinkedIn and the verification link ----------------------------------------------

@on_browser_thread
def test_verified_credential_offers_linkedin_and_a_link_that_verifies(
        browser_thread: BrowserThread,
        watched_page: WatchedPage, keyed_server: SiteServer, keyed_site: KeyedSite) -> None:
    document = keyed_site.sign(keyed_site.credential(
        "data-literacy-essentials", learner="Jo Okafor", validUntil="2028-07-15T09:30:00Z"))
    page = open_verifier(watched_page, keyed_server)
    [result] = verify_text(page, json.dumps(document))
    assert result["verdict"] == "verified"
    page.wait_for_selector("#results .show-it[data-ready='true']")
    href = page.get_attribute("#results a[data-share='linkedin']", "href")
    address = urlsplit(href)
    assert (address.scheme, address.netloc, address.path) == (
        "https", "www.linkedin.com", "/profile/add")
    fields = {name: values[0] for name, values in parse_qs(address.query).items()}
    link = fields.pop("certUrl")
    assert fields == {
        "startTask": "CERTIFICATION_NAME", "name": "Data Literacy Essentials",
        "organizationName": "Brightpath Digital Skills Ltd",
        "issueYear": "2026", "issueMonth": "1", "expirationYear": "2028",
        "expirationMonth": "7", "certId": document["id"],
    }
    assert link == page.input_value("#results input[data-share='link']")
    assert link.startswith(keyed_server.url + "verify/#vc=")
    # The same fields as the Python side writes for `credcat issue`.
    python = linkedin_url(name="Data Literacy Essentials",
                          organization="Brightpath Digital Skills Ltd",
                          issued=document["validFrom"], expires=document["validUntil"],
                          cert_url=link, cert_id=document["id"])
    assert parse_qs(urlsplit(python).query) == parse_qs(address.query)
    # A way into a wallet: the credential file, exactly as signed.
    download = page.locator("#results a[data-share='file']")
    assert download.get_attribute("download") == "data-literacy-essentials.json"
    with page.expect_download() as info:
        download.click()
    assert json.loads(Path(info.value.path()).read_text()) == document
    assert_accessible(page)
    # The link verifies the same credential.
    page.goto(link)
    [again] = wait_for_results(page)
    assert (again["source"], again["verdict"]) == ("Verification link", "verified")
    page.wait_for_selector("#results .show-it[data-ready='true']")
    again_href = page.get_attribute("#results a[data-share='linkedin']", "href")
    assert parse_qs(urlsplit(again_href).query)["certId"] == [document["id"]]
    watched_page.assert_clean(keyed_server.origin)


@on_browser_thread
def test_print_shows_the_certificate_only(
        browser_thread: BrowserThread,
        watched_page: WatchedPage, example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    verify_text(page, json.dumps([vector("valid-jcs"), vector("tampered-name")]))
    # What is marked while the browser prints (window.print blocks until the dialog closes).
    print_marked(page)
    assert page.evaluate("window.__marked") == ["page-verify printing-one", "result-1"]
    assert page.locator(".is-printing, .printing-one").count() == 0  # and unmarked after
    # With those marks, the print stylesheet shows that result only, without its checks.
    mark_printing(page)
    visible = page.evaluate("""() => [...document.querySelectorAll(
      '#results > *, #result-1 > *, .page-header, .stored-data')]
      .filter(e => e.checkVisibility()).map(e => e.id || e.className)""")
    assert visible == ["result-1", "result-1-title", "verdict-text", "result-details",
                       "certificate-qr"]
    # On screen, the certificate's QR code is not shown.
    page.emulate_media(media="screen")
    assert not page.locator("#result-1 .certificate-qr").is_visible()
    watched_page.assert_clean(example_server.origin)


def print_marked(page: Any, result: str = "result-1") -> None:
    """Press "Print a certificate" and wait for the print, recording what was marked for it
    (window.print blocks until the dialog closes; headless Chromium has no dialog)."""
    page.evaluate("() => { window.__marked = null; window.print = () => { window.__marked = "
                  "[document.body.className, "
                  "...[...document.querySelectorAll('.is-printing')].map(e => e.id)]; }; }")
    page.click(f"#{result} button[data-share='print']")
    page.wait_for_function("() => window.__marked !== null")


def mark_printing(page: Any, result: str = "result-1") -> None:
    """Put back the marks the page sets while it prints, and emulate print media."""
    page.evaluate(f"document.body.classList.add('printing-one'); "
                  f"document.getElementById('{result}').classList.add('is-printing')")
    page.emulate_media(media="print")


# -- 4: the certificate and its QR code --------------------------------------------------------

def decode_qr(png: bytes) -> list[str]:
    """The texts of the QR codes in a picture, read by zxing-cpp (not our code)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    return [code.text for code in zxingcpp.read_barcodes(image)
            if code.format == zxingcpp.BarcodeFormat.QRCode]


def certificate_qr(page: Any, html: str) -> str:
    """Show a certificate in Chromium at 1280 px, photograph it, decode its QR code."""
    page.set_viewport_size({"width": 1280, "height": 1800})
    page.set_content(html)
    [text] = decode_qr(page.screenshot(full_page=True))
    return text


def certificate_case(size: str, page: Any, keyed_site: KeyedSite,
                     keyed_server: SiteServer) -> tuple[dict[str, Any], dict[str, Any], Site]:
    """A credential to print (unsigned and signed) and the site it verifies on. "typical" is
    an example credential; otherwise its catalog entry has criteria so long that the whole
    credential fits no QR code (checked here): the site publishes that achievement (served
    here for this test), and the credential carries it, signed."""
    document = keyed_site.credential("data-literacy-essentials", learner="Jo Okafor")
    if size != "typical":
        achievement = document["credentialSubject"]["achievement"]
        achievement["criteria"]["narrative"] = " ".join(
            hashlib.sha256(str(i).encode()).hexdigest() for i in range(60))
        published = json.dumps({"@context": document["@context"], **achievement})
        page.route("**/credentials/data-literacy-essentials/",
                   lambda route: route.fulfill(status=200, body=achievement_page(published),
                                               content_type="text/html"))
    signed = keyed_site.sign(document)
    site = Site.from_config(keyed_server.url)
    if size != "typical":
        with pytest.raises(sharing.SharingError, match="more than a QR code holds"):
            sharing.qr_code(verification_link(site, signed))
    return document, signed, site


@pytest.mark.parametrize("size", ["typical", "too-large-for-a-full-link"])
@on_browser_thread
def test_certificate_qr_decodes_to_a_link_that_verifies_the_same_credential(
        size: str, browser_thread: BrowserThread,
        watched_page: WatchedPage, keyed_server: SiteServer,
        keyed_site: KeyedSite) -> None:
    page = watched_page.page
    _, signed, site = certificate_case(size, page, keyed_site, keyed_server)
    catalog = Project.from_config(keyed_site.project / "mkdocs.yml").require()
    material = sharing.learner_material(site, catalog.credentials["data-literacy-essentials"],
                                        signed, "Jo Okafor")
    # ... but the short link on the certificate does, and decodes from the picture.
    link = certificate_qr(page, material.certificate)
    assert link.startswith(keyed_server.url + "verify/#vcs=")
    text = page.inner_text("body")
    for expected in ("Jo Okafor", "Data Literacy Essentials", "Brightpath Digital Skills Ltd",
                     "15 January 2026", signed["id"]):
        assert expected in text
    page.goto(link)
    [result] = wait_for_results(page)
    assert (result["source"], result["verdict"]) == ("Verification link", "verified")
    page.wait_for_selector("#results .show-it[data-ready='true']")
    href = page.get_attribute("#results a[data-share='linkedin']", "href")
    assert parse_qs(urlsplit(href).query)["certId"] == [signed["id"]]
    watched_page.assert_clean(keyed_server.origin)


def unpack_link(link: str) -> Any:
    """The JSON a #vc= or #vcs= link carries: base64url of gzip, read with the standard library."""
    packed = link.split("#", 1)[1].split("=", 1)[1]
    return json.loads(gzip.decompress(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))))


@pytest.mark.parametrize("size", ["typical", "too-large-for-a-full-link"])
@on_browser_thread
def test_printed_certificate_on_the_page_has_a_qr_code_that_verifies_the_same_credential(
        size: str, browser_thread: BrowserThread,
        watched_page: WatchedPage, keyed_server: SiteServer,
        keyed_site: KeyedSite) -> None:
    page = watched_page.page
    document, signed, site = certificate_case(size, page, keyed_site, keyed_server)
    open_verifier(watched_page, keyed_server)
    [result] = verify_text(page, json.dumps(signed))
    assert result["verdict"] == "verified"
    page.wait_for_selector("#results .show-it[data-ready='true']")
    print_marked(page)
    mark_printing(page)
    # The printed page, photographed and read by zxing-cpp.
    page.set_viewport_size({"width": 1280, "height": 1800})
    [link] = decode_qr(page.screenshot(full_page=True))
    assert link.startswith(keyed_server.url + "verify/#vcs=")
    # The same short link as the certificate `credcat issue` writes (sharing.qr_link): the
    # credential without its achievement, and the achievement's RFC 8785 SHA-256.
    assert unpack_link(link) == unpack_link(sharing.qr_link(site, signed))
    reference = unpack_link(link)["credentialSubject"]["achievement"]
    assert reference == {"id": document["credentialSubject"]["achievement"]["id"],
                         "sha256": hashlib.sha256(rfc8785.dumps(
                             document["credentialSubject"]["achievement"])).hexdigest()}
    assert_accessible(page)
    page.emulate_media(media="screen")
    page.goto(link)
    [again] = wait_for_results(page)
    assert (again["source"], again["verdict"]) == ("Verification link", "verified")
    page.wait_for_selector("#results .show-it[data-ready='true']")
    href = page.get_attribute("#results a[data-share='linkedin']", "href")
    assert parse_qs(urlsplit(href).query)["certId"] == [signed["id"]]
    watched_page.assert_clean(keyed_server.origin)


def achievement_page(achievement: str) -> str:
    """A credential page as the site publishes it: the achievement is JSON-LD in the page."""
    return ('<!DOCTYPE html><html><head><script type="application/ld+json" id="achievement">'
            f"{achievement}</script></head><body></body></html>")


@on_browser_thread
def test_short_link_of_a_changed_catalog_entry_cannot_be_checked_and_is_not_called_forged(
        browser_thread: BrowserThread,
        watched_page: WatchedPage, keyed_server: SiteServer, keyed_site: KeyedSite) -> None:
    signed = keyed_site.sign(keyed_site.credential("data-literacy-essentials"))
    page = watched_page.page
    page.route("**/credentials/data-literacy-essentials/",
               lambda route: route.fulfill(status=200, content_type="text/html",
                                           body=achievement_page(json.dumps({"id": "changed"}))))
    page.goto(sharing.short_link(Site.from_config(keyed_server.url), signed))
    [result] = wait_for_results(page)
    assert result["problem"] and result["verdict"] is None
    assert "can no longer be checked" in result["text"]
    assert "forged" not in result["text"]
    watched_page.assert_clean(keyed_server.origin)


def test_issue_writes_a_certificate_and_linkedin_link_per_learner(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    project, private = keyed
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nAna Silva,ana@example.org\n<b>Bo</b> Chen,bo@example.org\n")
    out = tmp_path / "out"
    credential = active_credential(project)
    result = run_credcat("issue", credential, "--key", private, "--roster", roster,
                         "--out-dir", out, cwd=project)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text())))
    for row in rows:
        document = json.loads((out / row["file"]).read_text())
        assert row["certificate"] == row["file"].removesuffix(".json") + ".certificate.html"
        html = (out / row["certificate"]).read_text()
        assert "<script" not in html and "<b>" not in html  # names are text, escaped
        fields = parse_qs(urlsplit(row["linkedin_url"]).query)
        assert fields["certId"] == [document["id"]]
        assert fields["certUrl"] == [row["verification_link"]]
        assert fields["startTask"] == ["CERTIFICATION_NAME"]
    assert "&lt;b&gt;Bo&lt;/b&gt; Chen" in (out / rows[1]["certificate"]).read_text()


# -- 5: reading a certificate's QR code on the page ---------------------------------------------

@pytest.mark.parametrize("kind", ["jpg", "png"])
@on_browser_thread
def test_a_chosen_picture_of_a_certificate_verifies(
        kind: str, tmp_path: Path, browser_thread: BrowserThread,
        watched_page: WatchedPage, keyed_server: SiteServer,
        keyed_site: KeyedSite) -> None:
    signed = keyed_site.sign(keyed_site.credential("sql-for-data-analysis", learner="Kim Park"))
    catalog = Project.from_config(keyed_site.project / "mkdocs.yml").require()
    # The certificate is made for the production address; only the link's fragment is used.
    material = sharing.learner_material(Site.from_config("https://credentials.example.org/"),
                                        catalog.credentials["sql-for-data-analysis"], signed,
                                        "Kim Park")
    page = watched_page.page
    page.set_viewport_size({"width": 1280, "height": 1800})
    page.set_content(material.certificate)
    picture = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    path = tmp_path / f"certificate.{kind}"
    picture.save(path, **({"quality": 85} if kind == "jpg" else {}))
    page = open_verifier(watched_page, keyed_server)
    page.set_input_files("#credential-files", [str(path)])
    [result] = wait_for_results(page)
    assert (result["source"], result["verdict"]) == (
        f"File certificate.{kind} (QR code)", "verified")
    assert "Kim Park" in page.inner_text("#results .result-details")
    assert_accessible(page)
    watched_page.assert_clean(keyed_server.origin)


@on_browser_thread
def test_a_picture_without_a_verification_qr_code_says_so(
        tmp_path: Path, browser_thread: BrowserThread,
        watched_page: WatchedPage, example_server: SiteServer) -> None:
    segno.make_qr("https://example.com/not-a-credential").save(tmp_path / "other.png", scale=4)
    Image.new("RGB", (64, 64), "white").save(tmp_path / "blank.jpg")
    page = open_verifier(watched_page, example_server)
    page.set_input_files("#credential-files", [str(tmp_path / "other.png"),
                                               str(tmp_path / "blank.jpg")])
    results = {r["source"]: r for r in wait_for_results(page)}
    assert "is not a verification link" in results["File other.png"]["text"]
    assert "no QR code that could be read" in results["File blank.jpg"]["text"]
    assert all(r["title"] == "✕ This is not a credential" for r in results.values())
    watched_page.assert_clean(example_server.origin)


# -- the LinkedIn address, against values written by hand ------------------------------------------

def test_linkedin_url_carries_the_fields_written_by_hand() -> None:
    url = linkedin_url(name="Data Literacy Essentials", organization="Brightpath & Co",
                       issued="2026-01-15T09:30:00Z",
                       # 1 August 01:00 at +02:00 is still July in UTC, as the page shows it.
                       expires="2028-08-01T01:00:00+02:00",
                       cert_url="https://credentials.example.org/verify/#vc=H4sI",
                       cert_id="urn:uuid:0f1e")
    assert url == (
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
        "&name=Data+Literacy+Essentials&organizationName=Brightpath+%26+Co"
        "&issueYear=2026&issueMonth=1&expirationYear=2028&expirationMonth=7"
        "&certUrl=https%3A%2F%2Fcredentials.example.org%2Fverify%2F%23vc%3DH4sI"
        "&certId=urn%3Auuid%3A0f1e")


def test_issuer_linkedin_organization_id_names_the_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    issuer_file = project / "catalog" / "issuers" / "brightpath-digital.yaml"
    issuer_file.write_text(issuer_file.read_text() + 'linkedin_organization_id: "1234567"\n')
    loaded = Project.from_config(project / "mkdocs.yml")
    catalog = loaded.require()
    credential = catalog.credentials["data-literacy-essentials"]
    document = build_credential(loaded.site, credential, Learner("Jo Okafor", "jo@example.org"),
                                browser.ISSUED)
    material = sharing.learner_material(loaded.site, credential, document, "Jo Okafor")
    fields = parse_qs(urlsplit(material.linkedin).query)
    assert fields["organizationId"] == ["1234567"]
    assert "organizationName" not in fields
    # Anything but LinkedIn's number is refused by the catalog check, with the file named.
    issuer_file.write_text(issuer_file.read_text().replace('"1234567"', '"acme page"'))
    result = run_credcat("check", cwd=project)
    assert result.returncode != 0
    assert "brightpath-digital.yaml" in result.stderr + result.stdout


def y4m_still(picture: Image.Image, frames: int = 30) -> bytes:
    """A short YUV4MPEG2 video of one greyscale picture: Chromium's fake camera plays it."""
    grey = picture.convert("L")
    width, height = grey.size
    chroma = bytes([128]) * ((width // 2) * (height // 2) * 2)
    frame = b"FRAME\n" + grey.tobytes() + chroma
    return f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * frames


@pytest.mark.browser  # its own Chromium, with a fake camera
def test_the_camera_reads_a_certificate_qr_code(
        tmp_path: Path, keyed_server: SiteServer, keyed_site: KeyedSite) -> None:
    signed = keyed_site.sign(keyed_site.credential("sql-for-data-analysis", learner="Kim Park"))
    qr = sharing.qr_code(sharing.qr_link(Site.from_config("https://credentials.example.org/"),
                                         signed))
    png = io.BytesIO()
    qr.save(png, kind="png", scale=3, border=4)
    code = Image.open(io.BytesIO(png.getvalue()))
    still = Image.new("L", (640, 480), 255)
    still.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    video = tmp_path / "camera.y4m"
    video.write_bytes(y4m_still(still))

    def run() -> tuple[str, str, list[str]]:
        # A Chromium of its own (on a thread of its own, see tests/browser_thread.py), whose
        # fake camera films the QR code.
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
                *CHROMIUM_ARGS, "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}"])
            context = chromium.new_context()
            context.grant_permissions(["camera"], origin=keyed_server.origin)
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(keyed_server.url + "verify/")
            page.wait_for_selector("#verifier[data-ready='true']", state="attached")
            page.click("#camera-button")
            [result] = wait_for_results(page)
            stopped = page.evaluate("document.getElementById('camera-video').srcObject")
            chromium.close()
            return result["source"], result["verdict"], [*requests, str(stopped)]

    with ThreadPoolExecutor(max_workers=1) as pool:
        source, verdict, seen = pool.submit(run).result()
    assert (source, verdict) == ("Camera (QR code)", "verified")
    assert seen[-1] == "None"  # the camera is off once the code is read
    assert all(url.startswith(keyed_server.origin) for url in seen[:-1])
