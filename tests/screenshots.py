"""Make the guides' screenshots of the /verify/ page (docs/img/verify-*.png), at 1280 px.

    .venv/bin/python -m tests.screenshots

Not a test: it builds the example catalog with a throw-away signing key per issuer
(`make_keyed_site`, as the browser tests' `keyed_site` does), signs a few credentials for
made-up learners, and photographs the page in the states the learners' and issuers' guides
describe. Run it again when the page's look changes, and commit the pictures.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from site_builder.credentials import sharing
from site_builder.publishing.project import Project
from site_builder.urls import Site

from .browser import CHROMIUM, CHROMIUM_ARGS, SiteServer, make_keyed_site
from .conftest import REPO

OUT = REPO / "docs" / "img"
WIDTH = 1280



def verify(page: Any, server: SiteServer, documents: list[dict[str, Any]]) -> None:
    page.goto(server.url + "verify/")
    page.wait_for_selector("#verifier[data-ready='true']", state="attached")
    page.fill("#credential-input", json.dumps(documents[0] if len(documents) == 1
                                              else documents))
    page.click("#verify-button")
    page.wait_for_function("() => { const r = document.getElementById('results'); "
                           "return !r.hasAttribute('aria-busy') && r.querySelector('h2'); }")


def shoot(page: Any, selector: str, name: str) -> None:
    page.locator(selector).screenshot(path=str(OUT / name))
    print(f"wrote docs/img/{name}")


def main() -> None:
    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        site = make_keyed_site(Path(temp))
        jo = [site.sign(site.credential(c, learner="Jo Okafor"))
              for c in ("data-literacy-essentials", "spreadsheet-analysis-fundamentals")]
        expired = site.sign(site.credential("sql-for-data-analysis", learner="Sam Lee",
                                            validUntil="2026-03-03T00:00:00Z"))
        tampered = dict(jo[0], name="Data Literacy Essentials (with distinction)")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        with SiteServer(site.folder) as server:
            verify(page, server, [jo[0]])
            form = page.locator("#results .recipient-check")
            form.locator("input").fill("learner@example.org")
            form.locator("button").click()
            page.wait_for_selector("#results .recipient-answer[data-match='yes']")
            page.wait_for_selector("#results .show-it[data-ready='true']")
            shoot(page, "#result-1", "verify-verified.png")
            verify(page, server, [tampered])
            shoot(page, "#results", "verify-tampered.png")
            verify(page, server, [jo[0], expired, jo[1], tampered])
            shoot(page, "#results table.summary-table", "verify-several.png")
            shoot(page, "#results section.pathway-progress", "verify-progress.png")
            catalog = Project.from_config(site.project / "mkdocs.yml").require()
            material = sharing.learner_material(
                Site.from_config("https://credentials.example.org/"),
                catalog.credentials["data-literacy-essentials"], jo[0], "Jo Okafor")
            page.goto("about:blank")  # a fresh document: not the verify page's CSP
            page.set_content(material.certificate)
            shoot(page, "main", "certificate.png")
        browser.close()


if __name__ == "__main__":
    main()
