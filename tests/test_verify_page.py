"""The /verify/ page in real headless Chromium: same answers as the Python verifier, every way
of giving it a credential, pathway progress, hostile input, CSP, keyboard and accessibility.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
import rfc8785

from site_builder.credentials import baking
from site_builder.credentials.did import PublishedCatalog
from site_builder.credentials.issuing import verification_link
from site_builder.credentials.verify import CHECKS, SPEC, verify_document
from site_builder.urls import Site

from . import browser, published
from .browser import KeyedSite, SiteServer, WatchedPage, serious_violations
from .conftest import REPO

# The shared browser fixtures (tests/browser.py), made visible to pytest in this module.
chromium = browser.chromium
example_site = browser.example_site
example_server = browser.example_server
keyed_site = browser.keyed_site
keyed_server = browser.keyed_server
watched_page = browser.watched_page

VECTORS = REPO / "tests" / "vectors"
EXPECTED = json.loads((VECTORS / "expected.json").read_text())
INJECTION = REPO / "tests" / "injection"
W3C = REPO / "tests" / "w3c_vectors"

# In the order given (the page groups several results by holder; ids keep the input order).
READ_RESULTS = """() => [...document.querySelectorAll('#results article.result')].sort((a, b) =>
  Number(a.id.split('-')[1]) - Number(b.id.split('-')[1])).map(a => ({
  verdict: a.dataset.verdict ?? null,
  problem: a.dataset.problem === 'true',
  title: a.querySelector('.verdict').textContent.trim(),
  source: a.querySelector('.result-source')?.textContent ?? '',
  checks: [...a.querySelectorAll('[data-check]')].map(c => [c.dataset.check, c.dataset.status,
    c.querySelector('.check-message').textContent]),
  text: a.textContent,
}))"""


# -- driving the page -------------------------------------------------------------------------

def open_verifier(watched: WatchedPage, server: SiteServer, path: str = "verify/") -> Any:
    page = watched.page
    page.goto(server.url + path)
    page.wait_for_selector("#verifier[data-ready='true']", state="attached")
    return page


def wait_for_results(page: Any) -> list[dict[str, Any]]:
    page.wait_for_function("() => { const r = document.getElementById('results'); "
                           "return !r.hasAttribute('aria-busy') && r.dataset.state === 'done' "
                           "&& r.querySelector('h2'); }")
    return list(page.evaluate(READ_RESULTS))


def verify_text(page: Any, text: str) -> list[dict[str, Any]]:
    page.fill("#credential-input", text)
    page.click("#verify-button")
    return wait_for_results(page)


def verify_files(page: Any, files: list[Path]) -> list[dict[str, Any]]:
    page.set_input_files("#credential-files", [str(f) for f in files])
    return wait_for_results(page)


def statuses(result: dict[str, Any]) -> dict[str, str]:
    return {check: status for check, status, _ in result["checks"]}


def python_statuses(document: Any, site: Path) -> tuple[str, dict[str, str]]:
    result = verify_document(document, PublishedCatalog.from_directory(site))
    return result.verdict, {c.id: c.status for c in result.checks}


# The checks every other check depends on (issue 14): once one fails, the others ran on data
# nobody vouches for and the page shows them as not checked ('skipped'), never as passed.
GATES = ("format", "proof", "key", "signature")


def shown(checks: dict[str, str]) -> dict[str, str]:
    """Statuses as the page presents them: after a failed gate check, every other check that
    did not fail itself is 'skipped', except the gate checks before it; a check the page does
    not list is 'skipped' too. The same whether the verifier already skips them or still
    reports what it found."""
    full = {check: checks.get(check, "skipped") for check in CHECKS}
    if full["format"] == "fail":  # not a credential: nothing else was looked at
        return {check: "fail" if check == "format" else "skipped" for check in CHECKS}
    failed = [gate for gate in GATES if full[gate] == "fail"]
    if not failed:
        return full
    before = GATES[:GATES.index(failed[0])]  # what the failed check rests on keeps its status
    return {check: status if (check in before or (check in GATES and status == "fail"))
            else "skipped" for check, status in full.items()}


def assert_same_as_python(result: dict[str, Any], document: Any, site: Path) -> None:
    verdict, checks = python_statuses(document, site)
    listed = [check for check, _, _ in result["checks"]]
    # Input that is not a credential is one sentence: the format check, nothing else listed.
    assert listed == (["format"] if checks["format"] == "fail" else list(CHECKS))
    assert (result["verdict"], shown(statuses(result))) == (verdict, shown(checks))
    assert all(message.strip() for _, _, message in result["checks"])


def vector(case: str) -> Any:
    return json.loads((VECTORS / f"{case}.json").read_text())


def local_links(page: Any, selector: str) -> list[str]:
    return list(page.eval_on_selector_all(selector, "links => links.map(a => a.href)"))


# -- baked badges -----------------------------------------------------------------------------

def png_chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def small_png() -> bytes:
    """A valid 2x2 RGB PNG image."""
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\0" + b"\x0d\x3b\x66" * 2 for _ in range(2)))
    return (baking.PNG_SIGNATURE + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels)
            + png_chunk(b"IEND", b""))


def baked_png(document: Any) -> bytes:
    return baking.bake_png(small_png(), json.dumps(document))


def baked_svg(document: Any) -> str:
    image = (REPO / "catalog" / "images" / "career-conversations-badge.svg").read_text()
    return baking.bake_svg(image, json.dumps(document))


# -- the shared vectors -----------------------------------------------------------------------

# The page's own path from a file to results (files.js, then verify.js), run in the page, so
# every vector is judged by the real browser verifier whatever the page renders.
RUN_VECTOR = """async ({name, base64}) => {
  const {credentialsFromFile} = await import('../js/verify/files.js');
  const {PublishedCatalog} = await import('../js/verify/catalog.js');
  const {rdfcCanonicalizer} = await import('../js/verify/rdfc.js');
  const {unreadableResult, verifyDocument} = await import('../js/verify/verify.js');
  const published = new PublishedCatalog(new URL('../', location.href));
  const rdfc = rdfcCanonicalizer(published);
  const bytes = Uint8Array.from(atob(base64), char => char.charCodeAt(0));
  const results = [];
  for (const item of await credentialsFromFile(new File([bytes], name))) {
    results.push(item.error === undefined
      ? await verifyDocument(item.document, published, {rdfc, file: item.source})
      : await unreadableResult(published, item.source, item.reason ?? 'not-a-credential',
        item.params ?? {}));
  }
  return results;
}"""


def _serve(body: str) -> Any:
    return lambda route: route.fulfill(status=200, body=body, content_type="application/json")


def overlay_routes(page: Any, server: SiteServer, overlay: str | None) -> list[str]:
    """Serve a case's altered published files in place of the built ones; their URLs."""
    if overlay is None:
        return []
    folder = VECTORS / overlay
    assert folder.is_dir(), f"tests/vectors/{overlay} is missing"
    urls = []
    for path in folder.rglob("*.json"):
        body = path.read_text(encoding="utf-8")
        url = server.url + path.relative_to(folder).as_posix()
        page.route(url, _serve(body))
        urls.append(url)
    return urls


def test_every_shared_vector_gives_the_expected_result_in_chromium(
        watched_page: WatchedPage, example_server: SiteServer) -> None:
    """All cases in one page (each with a fresh PublishedCatalog), to keep the run short."""
    page = open_verifier(watched_page, example_server)
    wrong = {}
    for case in sorted(EXPECTED):
        expected = EXPECTED[case]
        urls = overlay_routes(page, example_server, expected["overlay"])
        data = (VECTORS / expected["input"]).read_bytes()
        results = page.evaluate(RUN_VECTOR, {"name": expected["input"],
                                             "base64": base64.b64encode(data).decode("ascii")})
        for url in urls:
            page.unroute(url)
        got = [{"verdict": r["verdict"],
                "checks": {c["id"]: [c["status"], c["reason"]] for c in r["checks"]}}
               for r in results]
        if got != expected["results"]:
            wrong[case] = got
        for result in results:
            assert [c["id"] for c in result["checks"]] == list(CHECKS), case
            assert all(c["message"] and "{" not in c["message"] for c in result["checks"]), case
            assert (result["credential"] is None) == (result["checks"][0]["status"] == "fail")
    assert wrong == {}
    watched_page.assert_clean(example_server.origin)


def test_pasted_vector_shows_the_same_statuses_as_python(
        watched_page: WatchedPage, example_server: SiteServer, example_site: Path) -> None:
    """End to end through the page's paste box and rendering, for a few vectors."""
    for case in ("valid-rdfc", "revoked", "tampered-name"):
        page = open_verifier(watched_page, example_server)
        results = verify_text(page, (VECTORS / f"{case}.json").read_text())
        assert len(results) == 1
        assert_same_as_python(results[0], vector(case), example_site)
    watched_page.assert_clean(example_server.origin)


def test_javascript_reads_json_with_the_spec_depth_limit(
        watched_page: WatchedPage, example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    limit = page.evaluate("async () => (await import('../js/verify/json.js')).MAX_DEPTH")
    assert limit == SPEC["limits"]["maxDepth"]


# -- the ways in ------------------------------------------------------------------------------

def test_paste_shows_verdict_details_and_catalog_data(
        watched_page: WatchedPage, keyed_server: SiteServer, keyed_site: KeyedSite) -> None:
    document = keyed_site.credential("career-services-evaluation", learner="Jo Okafor")
    document["issuer"]["name"] = "A Name The Credential Claims"
    signed = keyed_site.sign(document, cryptosuite="eddsa-jcs-2022")
    page = open_verifier(watched_page, keyed_server)
    [result] = verify_text(page, json.dumps(signed, indent=2))
    assert result["verdict"] == "verified"
    assert result["title"].endswith("Verified")
    assert_same_as_python(result, signed, keyed_site.folder)
    text = page.inner_text("#results")
    assert "Jo Okafor" in text
    assert "Ardmore University" in text  # the catalog's name for the issuer ...
    assert "A Name The Credential Claims" not in text  # ... never the one the credential claims
    assert "15 January 2026" in text
    record = published.sharded(keyed_site.folder, "credentialRecord")[
        "career-services-evaluation"]
    assert record["summary"] in text
    # The catalog's production address becomes the same page on the site being browsed.
    assert keyed_server.url + "credentials/career-services-evaluation/" in local_links(
        page, "#results .result-details a")
    assert page.evaluate("document.activeElement.id") == "results-heading"
    assert page.inner_text("#verify-status") == "Verified."
    # Nothing is stored without the visitor asking (issue 14; see test_verify_show.py).
    assert page.evaluate("localStorage.length") == 0
    watched_page.assert_clean(keyed_server.origin)


def test_json_file_upload(watched_page: WatchedPage, example_server: SiteServer,
                          example_site: Path) -> None:
    page = open_verifier(watched_page, example_server)
    [result] = verify_files(page, [VECTORS / "valid-rdfc.json"])
    assert result["source"] == "File valid-rdfc.json"
    assert_same_as_python(result, vector("valid-rdfc"), example_site)
    assert result["verdict"] == "verified"
    watched_page.assert_clean(example_server.origin)


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_baked_badge_upload(kind: str, tmp_path: Path, watched_page: WatchedPage,
                            example_server: SiteServer, example_site: Path) -> None:
    document = vector("valid-jcs")
    path = tmp_path / f"badge.{kind}"
    if kind == "png":
        path.write_bytes(baked_png(document))
    else:
        path.write_text(baked_svg(document))
    assert baking.extract(path.read_bytes()) == document
    page = open_verifier(watched_page, example_server)
    [result] = verify_files(page, [path])
    assert result["verdict"] == "verified"
    assert_same_as_python(result, document, example_site)
    # The badge picture is shown from the dropped file itself (a blob: URL, allowed by CSP).
    assert page.get_attribute("#results img.result-image", "src").startswith("blob:")
    watched_page.assert_clean(example_server.origin)


def test_baked_png_with_two_credentials_is_refused_and_svg_reads_the_first(
        tmp_path: Path, watched_page: WatchedPage, example_server: SiteServer) -> None:
    first, second = vector("valid-jcs"), vector("tampered-name")
    png = small_png()
    chunks = b"".join(png_chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0" + json.dumps(d).encode())
                      for d in (first, second))
    iend = png.index(b"IEND") - 4
    (tmp_path / "two.png").write_bytes(png[:iend] + chunks + png[iend:])
    svg = baked_svg(first).replace(
        "</svg>", f"<openbadges:credential><![CDATA[{json.dumps(second)}]]>"
        "</openbadges:credential></svg>")
    (tmp_path / "two.svg").write_text(svg)
    page = open_verifier(watched_page, example_server)
    results = verify_files(page, [tmp_path / "two.png", tmp_path / "two.svg"])
    # Which of two credentials a PNG vouches for cannot be told (as in `credcat verify`).
    assert [r["verdict"] for r in results] == ["not-verified", "verified"]
    assert "carries 2 credentials" in results[0]["checks"][0][2]
    watched_page.assert_clean(example_server.origin)


def test_drop_zone_accepts_dropped_files(watched_page: WatchedPage,
                                         example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    page.evaluate("""([jcs, rdfc]) => {
      const data = new DataTransfer();
      data.items.add(new File([jcs], 'one.json', {type: 'application/json'}));
      data.items.add(new File([rdfc], 'two.json', {type: 'application/json'}));
      const zone = document.getElementById('drop-zone');
      zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true,
        cancelable: true}));
      zone.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true,
        cancelable: true}));
    }""", [(VECTORS / "valid-jcs.json").read_text(), (VECTORS / "tampered-name.json").read_text()])
    results = wait_for_results(page)
    assert [(r["source"], r["verdict"]) for r in results] == [
        ("File one.json", "verified"), ("File two.json", "not-verified")]
    watched_page.assert_clean(example_server.origin)


@pytest.mark.parametrize("case", ["valid-jcs", "valid-rdfc", "tampered-name"])
def test_verification_link_verifies_on_load(case: str, watched_page: WatchedPage,
                                            example_server: SiteServer,
                                            example_site: Path) -> None:
    document = vector(case)
    link = verification_link(Site.from_config(example_server.url), document)
    assert link.startswith(example_server.url + "verify/#vc=")
    page = watched_page.page
    page.goto(link)
    [result] = wait_for_results(page)
    assert result["source"] == "Verification link"
    assert result["verdict"] == EXPECTED[case]["results"][0]["verdict"]
    assert_same_as_python(result, document, example_site)
    # The credential travels in the fragment, which is never sent to the server.
    assert all("vc=" not in url for url in watched_page.requests)
    watched_page.assert_clean(example_server.origin)


def test_pasted_verification_link_and_damaged_links(watched_page: WatchedPage,
                                                   example_server: SiteServer) -> None:
    link = verification_link(Site.from_config("https://credentials.example.org/"),
                             vector("valid-jcs"))
    page = open_verifier(watched_page, example_server)
    [result] = verify_text(page, link)
    assert (result["source"], result["verdict"]) == ("Pasted verification link", "verified")
    page.goto(example_server.url + "verify/#vc=AAAAnot-gzip")
    page.reload()
    [damaged] = wait_for_results(page)
    assert damaged["verdict"] == "not-verified"
    assert "link is damaged" in damaged["text"]
    watched_page.assert_clean(example_server.origin)


# -- several at once and pathway progress -----------------------------------------------------

def test_several_credentials_and_pathway_progress(
        tmp_path: Path, watched_page: WatchedPage, keyed_server: SiteServer,
        keyed_site: KeyedSite) -> None:
    # Data Analyst, stage 1 needs both of these; stage 2 needs all three of its credentials.
    literacy = keyed_site.sign(keyed_site.credential("data-literacy-essentials"))
    spreadsheets = keyed_site.sign(keyed_site.credential("spreadsheet-analysis-fundamentals"),
                                   cryptosuite="eddsa-jcs-2022")
    sql = keyed_site.sign(keyed_site.credential("sql-for-data-analysis"))
    sql["name"] = "Tampered"  # not verified, so it must not count towards progress
    page = open_verifier(watched_page, keyed_server)
    results = verify_text(page, json.dumps([literacy, spreadsheets, sql]))
    assert [r["verdict"] for r in results] == ["verified", "verified", "not-verified"]
    assert [r["source"] for r in results] == [
        f"Pasted text, credential {i} of 3" for i in (1, 2, 3)]
    for result, document in zip(results, (literacy, spreadsheets, sql), strict=True):
        assert_same_as_python(result, document, keyed_site.folder)

    pathway = page.locator("[data-pathway='data-analyst']")
    assert pathway.get_attribute("data-complete") == "false"
    stages = pathway.locator("[data-stage]")
    assert stages.count() == 4
    assert stages.nth(0).get_attribute("data-complete") == "true"
    assert "2 of 2 needed" in stages.nth(0).inner_text()
    assert stages.nth(1).get_attribute("data-complete") == "false"
    assert "0 of 3 needed" in stages.nth(1).inner_text()
    missing = local_links(page, "[data-pathway='data-analyst'] [data-stage='2'] .missing a")
    assert keyed_server.url + "credentials/sql-for-data-analysis/" in missing
    assert len(missing) == 3
    assert pathway.locator("h4 a").evaluate("a => a.href") == (
        keyed_server.url + "pathways/data-analyst/")

    # The same credentials as several files give the same results, in the order chosen.
    files = []
    for name, document in (("a.json", literacy), ("b.json", spreadsheets), ("c.json", sql)):
        (tmp_path / name).write_text(json.dumps(document))
        files.append(tmp_path / name)
    again = verify_files(page, files)
    assert [(r["source"], r["verdict"]) for r in again] == [
        ("File a.json", "verified"), ("File b.json", "verified"), ("File c.json", "not-verified")]
    watched_page.assert_clean(keyed_server.origin)


# -- hostile and malformed input --------------------------------------------------------------

NO_MARKUP_FROM_DATA = """() => {
  const results = document.getElementById('results');
  const bad = results.querySelectorAll('script, iframe, object, embed, svg, style, link, ' +
    'img:not(.result-image), [onerror], [onload], [onclick], [onmouseover], [style]');
  const links = [...results.querySelectorAll('a')].map(a => a.getAttribute('href'));
  return {bad: [...bad].map(e => e.outerHTML), links,
          scripts: document.scripts.length, pwned: typeof window.__pwned};
}"""


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "signed"])
@pytest.mark.parametrize("case", sorted(p.stem for p in INJECTION.glob("*.json")))
def test_injection_corpus_is_shown_as_text_and_never_runs(
        case: str, signed: bool, tmp_path: Path, watched_page: WatchedPage,
        keyed_server: SiteServer, keyed_site: KeyedSite) -> None:
    document = json.loads((INJECTION / f"{case}.json").read_text())
    if signed:
        document["credentialStatus"] = keyed_site.status_entries(document)
        document = keyed_site.sign(document, cryptosuite="eddsa-jcs-2022")
    payload = document["credentialSubject"]["identifier"][1]["identityHash"]
    # The file name is shown too: make it hostile as well.
    path = tmp_path / '"><img src=x onerror=alert(1)>.svg'
    path.write_text(baked_svg(document))
    page = open_verifier(watched_page, keyed_server)
    scripts_before = page.evaluate("document.scripts.length")
    results = verify_text(page, json.dumps(document)) + verify_files(page, [path])
    for result in results:
        assert_same_as_python(result, document, keyed_site.folder)
        assert (result["verdict"] != "not-verified") == (
            signed and case != "javascript-achievement-id")
    # The LinkedIn link gets its address once the verification link is packed (async).
    page.wait_for_function("() => !document.querySelector('#results a:not([href])')")
    found = page.evaluate(NO_MARKUP_FROM_DATA)
    assert found["bad"] == []
    assert found["pwned"] == "undefined"
    assert found["scripts"] == scripts_before
    assert all(href and not href.lower().startswith(("javascript:", "data:"))
               for href in found["links"])
    # Claims of a credential that failed are collapsed (issue 14): read the text, shown or not.
    text = page.text_content("#results")
    assert payload in text  # the learner name, as the text it is
    assert '"><img src=x onerror=alert(1)>.svg' in text
    page.hover("#results")
    watched_page.assert_clean(keyed_server.origin)


PROTO_DIDS = ["constructor", "__proto__", "toString", "hasOwnProperty"]


@pytest.mark.parametrize("name", PROTO_DIDS)
def test_inherited_property_names_are_not_issuers_or_credentials(
        name: str, watched_page: WatchedPage, example_server: SiteServer,
        example_site: Path) -> None:
    document = vector("valid-jcs")
    did = f"did:web:credentials.example.org:issuers:{name}"
    variants = []
    for change in ("issuer", "method", "achievement"):
        changed = copy.deepcopy(document)
        if change == "issuer":
            changed["issuer"]["id"] = did
        elif change == "method":
            changed["proof"]["verificationMethod"] = f"{did}#vectors-key"
        else:
            changed["credentialSubject"]["achievement"]["id"] = (
                f"https://credentials.example.org/credentials/{name}/")
        variants.append(changed)
    page = open_verifier(watched_page, example_server)
    results = verify_text(page, json.dumps(variants))
    for result, changed in zip(results, variants, strict=True):
        assert result["verdict"] == "not-verified"
        assert_same_as_python(result, changed, example_site)
    watched_page.assert_clean(example_server.origin)


MALFORMED = [
    ("", "nothing to check"),
    ("{not json", "This is not a credential: it is not valid JSON"),
    ("null", "not a JSON object"),
    ("[]", "not a JSON object"),
    ('"a string"', "not a JSON object"),
    ("[" * 200_000 + "]" * 200_000, ""),
    (json.dumps({"proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
                           "proofPurpose": "assertionMethod", "verificationMethod": "did:x",
                           "proofValue": "z" + "1" * 500_000}}),
     "not an Open Badges 3.0 credential"),
]


@pytest.mark.parametrize(("text", "says"), MALFORMED, ids=[
    "empty", "broken-json", "null", "empty-list", "string", "deep-nesting", "huge-proof"])
def test_malformed_input_gives_a_message_and_the_page_keeps_working(
        text: str, says: str, watched_page: WatchedPage, example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    [result] = verify_text(page, text)
    assert result["verdict"] == "not-verified"
    assert says in result["text"]
    [good] = verify_text(page, (VECTORS / "valid-jcs.json").read_text())
    assert good["verdict"] == "verified"
    watched_page.assert_clean(example_server.origin)


def test_size_limit_is_explained(watched_page: WatchedPage, example_server: SiteServer) -> None:
    document = vector("valid-jcs")
    document["description"] = "x" * (1024 * 1024)
    page = open_verifier(watched_page, example_server)
    [result] = verify_text(page, json.dumps(document))
    assert result["verdict"] == "not-verified"
    assert "the verifier reads at most 1.0 MB" in result["text"]
    watched_page.assert_clean(example_server.origin)


def test_bad_files_give_messages(tmp_path: Path, watched_page: WatchedPage,
                                 example_server: SiteServer) -> None:
    files = {
        "plain.png": small_png(),
        "truncated.png": baked_png(vector("valid-jcs"))[:200],
        "compressed.png": baking.PNG_SIGNATURE + png_chunk(
            b"iTXt", b"openbadgecredential\0\1\0\0\0" + zlib.compress(b"{}")),
        "plain.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>',
        "binary.json": bytes(range(256)),
        "empty.json": b"",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    page = open_verifier(watched_page, example_server)
    results = verify_files(page, [tmp_path / name for name in files])
    said = {r["source"].removeprefix("File "): r["checks"][0][2] for r in results}
    assert all(r["verdict"] == "not-verified" for r in results)
    assert "carries no credential" in said["plain.png"]
    assert "truncated" in said["truncated.png"]
    assert "compressed" in said["compressed.png"]
    assert "carries no credential" in said["plain.svg"]
    assert "neither a credential" in said["binary.json"]
    assert "not valid JSON" in said["empty.json"]
    watched_page.assert_clean(example_server.origin)


# -- Python and the browser agree on edge cases ------------------------------------------------

def _edge_cases() -> dict[str, Any]:
    jcs, rdfc = vector("valid-jcs"), vector("valid-rdfc")

    def edit(document: Any, path: list[Any], value: Any) -> Any:
        changed = copy.deepcopy(document)
        node = changed
        for part in path[:-1]:
            node = node[part]
        if value is _DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value
        return changed

    return {
        "proof-list-of-one": edit(jcs, ["proof"], [jcs["proof"]]),
        "proof-list-of-two": edit(jcs, ["proof"], [jcs["proof"], jcs["proof"]]),
        "proof-empty-list": edit(jcs, ["proof"], []),
        "proof-not-object": edit(jcs, ["proof"], "proof"),
        "created-24h": edit(jcs, ["proof", "created"], "2026-01-15T24:00:00Z"),
        "created-feb-30": edit(jcs, ["proof", "created"], "2023-02-30T10:00:00Z"),
        "created-no-zone": edit(rdfc, ["proof", "created"], "2026-01-15T09:30:00"),
        "created-missing": edit(rdfc, ["proof", "created"], _DELETE),
        "proof-value-not-z": edit(jcs, ["proof", "proofValue"], "u" + "A" * 86),
        "proof-value-short": edit(jcs, ["proof", "proofValue"], "z3"),
        "method-empty": edit(jcs, ["proof", "verificationMethod"], ""),
        "method-no-fragment": edit(
            jcs, ["proof", "verificationMethod"],
            "did:web:credentials.example.org:issuers:ardmore-university"),
        "issuer-as-string": edit(jcs, ["issuer"], jcs["issuer"]["id"]),
        "issuer-empty": edit(jcs, ["issuer"], ""),
        "issuer-other-catalog-issuer": edit(
            jcs, ["issuer", "id"], "did:web:credentials.example.org:issuers:northbridge-college"),
        "issuer-with-colon": edit(
            jcs, ["issuer", "id"], "did:web:credentials.example.org:issuers:a:b"),
        "valid-from-fraction": edit(jcs, ["validFrom"], "2026-01-15T09:30:00.123456789+01:00"),
        "valid-from-no-zone": edit(jcs, ["validFrom"], "2026-01-15T09:30:00"),
        "valid-from-feb-29": edit(jcs, ["validFrom"], "2025-02-29T09:30:00Z"),
        "valid-from-year-0": edit(jcs, ["validFrom"], "0000-01-15T09:30:00Z"),
        "valid-from-leap-day": edit(jcs, ["validFrom"], "2024-02-29T09:30:00Z"),
        "valid-until-null": edit(jcs, ["validUntil"], None),
        "valid-until-past-offset": edit(jcs, ["validUntil"], "2020-01-01T00:00:00-23:59"),
        "valid-until-offset-24h": edit(jcs, ["validUntil"], "2030-01-01T00:00:00+24:00"),
        "context-missing-ob": edit(jcs, ["@context"], ["https://www.w3.org/ns/credentials/v2"]),
        "context-string": edit(jcs, ["@context"], "https://www.w3.org/ns/credentials/v2"),
        "context-other-ob-version": edit(jcs, ["@context", 1],
                                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"),
        "context-extra-jcs": edit(jcs, ["@context"], [*jcs["@context"], {"ex": "urn:ex:"}]),
        "context-unknown-rdfc": edit(rdfc, ["@context"],
                                     [*rdfc["@context"], "https://example.com/ctx.json"]),
        "rdfc-undefined-field": edit(rdfc, ["undefinedTerm"], "not in any context"),
        "type-achievement-credential": edit(
            jcs, ["type"], ["VerifiableCredential", "AchievementCredential"]),
        "type-string": edit(jcs, ["type"], "VerifiableCredential"),
        "id-without-colon": edit(jcs, ["id"], "not-a-uri"),
        "subject-empty-identifier": edit(jcs, ["credentialSubject", "identifier"], []),
        "subject-id-only": edit(edit(jcs, ["credentialSubject", "identifier"], _DELETE),
                                ["credentialSubject", "id"], "did:example:learner"),
        "achievement-empty-name": edit(jcs, ["credentialSubject", "achievement", "name"], ""),
        "achievement-criteria-empty": edit(jcs, ["credentialSubject", "achievement", "criteria"],
                                           {}),
        "achievement-id-no-slash": edit(
            jcs, ["credentialSubject", "achievement", "id"],
            "https://credentials.example.org/credentials/career-services-evaluation"),
        "achievement-not-object": edit(jcs, ["credentialSubject", "achievement"], "x"),
        "big-number": edit(jcs, ["extra"], 1.5e300),
        "unicode-keys": edit(jcs, ["\u20ac\U0001f600\ufb33"], "\u2028 \x7f"),
    }


_DELETE = object()
EDGE_CASES = _edge_cases()


def test_python_and_browser_agree_on_edge_cases(watched_page: WatchedPage,
                                                example_server: SiteServer,
                                                example_site: Path) -> None:
    page = open_verifier(watched_page, example_server)
    names = sorted(EDGE_CASES)
    results = verify_text(page, json.dumps([EDGE_CASES[name] for name in names]))
    disagreements = {}
    for name, result in zip(names, results, strict=True):
        verdict, checks = python_statuses(EDGE_CASES[name], example_site)
        if (result["verdict"], shown(statuses(result))) != (verdict, shown(checks)):
            disagreements[name] = {"browser": statuses(result), "python": checks}
    assert disagreements == {}
    watched_page.assert_clean(example_server.origin)


# -- canonicalization against the specifications ----------------------------------------------

JCS_SAMPLES: list[Any] = [
    {"b": 1, "a": [True, False, None], "": "", "A": {"z": 0, "y": -0.0}},
    {"\u20ac": 1, "\r": 2, "\ufb33": 3, "\U0001f600": 4, "1": 5, "\x80": 6, "\u00f6": 7},
    [1e21, 1e-7, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 9007199254740991, -1.5, 100, 333e-3],
    ["\u2028\u2029", "\x00\x1f\x7f", '"\\/', "\U0001f600", "\t\n\r\b\f", "<\u0000>"],
    {"numbers": [0, -0.0, 1.0, 1.2345678901234568e20, 4.35, 0.000001, 1e-6]},
]


def test_jcs_matches_rfc8785_and_the_w3c_vectors(watched_page: WatchedPage,
                                                 example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    canonical = page.evaluate("""async samples => {
      const {canonicalize} = await import('../js/verify/jcs.js');
      return samples.map(sample => canonicalize(JSON.parse(sample)));
    }""", [json.dumps(s) for s in JCS_SAMPLES])
    assert canonical == [rfc8785.dumps(s).decode() for s in JCS_SAMPLES]
    unsigned = json.loads((W3C / "eddsa-jcs-2022" / "unsigned.json").read_text())
    config = json.loads((W3C / "eddsa-jcs-2022" / "proofConfigJCS.json").read_text())
    document_text, config_text = page.evaluate("""async ([unsigned, config]) => {
      const {canonicalize} = await import('../js/verify/jcs.js');
      return [canonicalize(unsigned), canonicalize(config)];
    }""", [unsigned, config])
    assert document_text == (W3C / "eddsa-jcs-2022" / "canonDocJCS.txt").read_text().strip()
    assert config_text == (W3C / "eddsa-jcs-2022" / "proofCanonJCS.txt").read_text().strip()
    rejected = page.evaluate("""async () => {
      const {canonicalize} = await import('../js/verify/jcs.js');
      return [Infinity, NaN, '\\ud800', {'\\udfff': 1}].map(value => {
        try { canonicalize(value); return 'accepted'; } catch (error) { return error.name; }
      });
    }""")
    assert rejected == ["JcsError"] * 4  # named, so proofs.js can explain it
    watched_page.assert_clean(example_server.origin)


W3C_SIGNED = [
    ("eddsa-jcs-2022", "signedJCS.json", None),
    ("eddsa-rdfc-2022", "signedDataInt.json", "canonDocDataInt.txt"),
    ("eddsa-rdfc-2022/employ", "signedDataInt.json", "canonDocDataInt.txt"),
]


@pytest.mark.parametrize(("folder", "signed", "canonical"), W3C_SIGNED)
def test_w3c_test_vectors_verify_in_the_browser(
        folder: str, signed: str, canonical: str | None, watched_page: WatchedPage,
        example_server: SiteServer) -> None:
    document = json.loads((W3C / folder / signed).read_text())
    key = json.loads((W3C / "keyPair.json").read_text())["publicKeyMultibase"]
    page = open_verifier(watched_page, example_server)
    outcome = page.evaluate("""async ([document, key]) => {
      const {PublishedCatalog} = await import('../js/verify/catalog.js');
      const {rdfcCanonicalizer} = await import('../js/verify/rdfc.js');
      const {decodeMultibase, parseProof, verifySignature} =
        await import('../js/verify/proofs.js');
      const rdfc = rdfcCanonicalizer(new PublishedCatalog(new URL('../', location.href)));
      const publicKey = decodeMultibase(key, 34, 'key').slice(2);
      const proof = parseProof(document);
      const tampered = structuredClone(document);
      tampered.issuer = 'did:example:someone-else';
      const {proof: _, ...unsigned} = document;
      return {
        good: await verifySignature(document, proof, publicKey, rdfc),
        bad: await verifySignature(tampered, proof, publicKey, rdfc),
        canonical: proof.cryptosuite === 'eddsa-rdfc-2022' ? await rdfc(unsigned) : null,
      };
    }""", [document, key])
    assert outcome["good"] is True
    assert outcome["bad"] is False
    if canonical:
        assert outcome["canonical"] == (W3C / folder / canonical).read_text().strip() + "\n"
    watched_page.assert_clean(example_server.origin)


def test_rdfc_never_fetches_a_context_from_a_credential(
        watched_page: WatchedPage, example_server: SiteServer, example_site: Path) -> None:
    document = EDGE_CASES["context-unknown-rdfc"]
    page = open_verifier(watched_page, example_server)
    [result] = verify_text(page, json.dumps(document))
    assert statuses(result)["signature"] == "fail"
    assert "https://example.com/ctx.json" in dict(
        (c, m) for c, _, m in result["checks"])["signature"]
    assert_same_as_python(result, document, example_site)
    assert not any("example.com" in url for url in watched_page.requests)
    watched_page.assert_clean(example_server.origin)


# -- keyboard and accessibility ---------------------------------------------------------------

def test_keyboard_only(watched_page: WatchedPage, example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "credential-input":
            break
    assert page.evaluate("document.activeElement.id") == "credential-input"
    page.keyboard.insert_text((VECTORS / "tampered-name.json").read_text())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "verify-button"
    page.keyboard.press("Enter")
    [result] = wait_for_results(page)
    assert result["verdict"] == "not-verified"
    assert page.evaluate("document.activeElement.id") == "results-heading"
    assert page.get_attribute("#verify-status", "role") == "status"
    assert page.inner_text("#verify-status") == "Not verified."
    watched_page.assert_clean(example_server.origin)


def test_accessibility_before_and_after_verifying(
        watched_page: WatchedPage, keyed_server: SiteServer, keyed_site: KeyedSite) -> None:
    page = open_verifier(watched_page, keyed_server)
    assert serious_violations(page) == []
    documents = [keyed_site.sign(keyed_site.credential("data-literacy-essentials")),
                 vector("tampered-name"), vector("expired")]
    verify_text(page, json.dumps(documents))
    assert page.locator("[data-pathway]").count() > 0
    assert serious_violations(page) == []


# -- the page itself --------------------------------------------------------------------------

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'")


def test_page_declares_the_strict_csp_and_has_no_inline_code(example_site: Path) -> None:
    html = (example_site / "verify" / "index.html").read_text()
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html
    assert re.search(r"<[^>]*\s(on[a-z]+|style)\s*=", html) is None  # no inline handlers/styles
    scripts = [line.strip() for line in html.splitlines() if "<script" in line]
    # The language switcher's, which keeps a `#vc=` link when the visitor changes language.
    assert scripts == ['<script type="module" src="../js/shared/language-switcher.js"></script>',
                       '<script type="module" src="../js/verify/main.js"></script>']
    assert 'data-site-root=".."' in html
    # Everything the page loads ships with the site (the build only minifies our modules).
    assert (example_site / "js" / "vendor" / "jsonld-rdfc.min.js").is_file()
    for module in ("main", "verify", "proofs", "jcs", "base58", "catalog", "rdfc", "status"):
        assert (example_site / "js" / "verify" / f"{module}.js").is_file()


def test_a_browser_without_ed25519_is_told_and_verifies_nothing(
        watched_page: WatchedPage, example_server: SiteServer) -> None:
    page = watched_page.page
    page.add_init_script("""{
      const importKey = crypto.subtle.importKey.bind(crypto.subtle);
      crypto.subtle.importKey = (format, key, algorithm, ...rest) =>
        algorithm?.name === 'Ed25519' ? Promise.reject(new DOMException('no', 'NotSupportedError'))
          : importKey(format, key, algorithm, ...rest);
    }""")
    page.goto(example_server.url + "verify/#vc=" + verification_link(
        Site.from_config(example_server.url), vector("valid-jcs")).split("#vc=")[1])
    page.wait_for_selector("#verifier-support:not([hidden])")
    assert "cannot check the signatures" in page.inner_text("#verifier-support")
    assert page.is_disabled("#verify-button")
    assert page.is_disabled("#credential-files")
    assert page.locator("#results article").count() == 0
    watched_page.assert_clean(example_server.origin)


def test_unreachable_site_data_is_could_not_check_not_a_verdict(
        watched_page: WatchedPage, example_server: SiteServer) -> None:
    page = open_verifier(watched_page, example_server)
    page.route("**/issuers/*/did.json", lambda route: route.abort())
    [result] = verify_text(page, (VECTORS / "valid-jcs.json").read_text())
    assert result["problem"] and result["verdict"] is None
    assert "could not be reached" in result["text"]
    page.unroute("**/issuers/*/did.json")
    [again] = verify_text(page, (VECTORS / "valid-jcs.json").read_text())
    assert again["verdict"] == "verified"
