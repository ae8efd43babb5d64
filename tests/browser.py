"""Shared helpers for browser tests: a built site, a local server for it, and headless Chromium.

Use the fixtures from a test module with `from .browser import ...` (pytest finds fixtures
imported into the module). Chromium is Debian's (`/usr/bin/chromium`, `make browser` installs
it): Playwright's own browser download does not work on these machines.

- `example_site`: the example catalog built with the real MkDocs into a temporary folder
  (plus the shared vectors' overlay of test-only status lists).
- `example_server`: that folder served on 127.0.0.1 (random free port), gzip like a real host.
- `keyed_site` / `keyed_server`: a copy of the example catalog with a fresh signing key
  published for every issuer (`keyed_site.sign(...)` signs any credential), for tests that
  need credentials the shared vectors do not have.
- `chromium`: one browser per test session; `watched_page`: a fresh context and page per test
  that records CSP violations, page errors, dialogs and every request, so a test can assert
  that nothing ran that should not have and nothing left the local server.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import mimetypes
import os
import shutil
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from nacl.signing import SigningKey

from site_builder.credentials import keys as site_keys
from site_builder.credentials import proofs, status_list
from site_builder.credentials.issuing import Learner, build_credential
from site_builder.publishing.project import Project

from .conftest import REPO, copy_project

CHROMIUM = os.environ.get("CREDCAT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TEST_KEY_ID = "browser-test-key"
VECTOR_OVERLAY = REPO / "tests" / "vectors" / "site"
ISSUED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")

# Collects `securitypolicyviolation` events before any page script runs (init scripts are
# injected by the browser, outside the page's CSP).
_WATCH_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event => {
  window.__cspViolations.push({directive: event.violatedDirective, blocked: event.blockedURI});
});
"""


def build_site(project_dir: Path, site_dir: Path) -> Path:
    """Build a catalog project's site with the real MkDocs, as `credcat build` does."""
    build(load_config(str(project_dir / "mkdocs.yml"), site_dir=str(site_dir)))
    return site_dir


# -- serving -----------------------------------------------------------------------------------

class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files; gzip-compressed when the client accepts it, as static hosts serve them."""

    server: SiteServer._Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not self.server.gzip or not accepts or not kind.startswith(
                COMPRESSIBLE):
            self.server.record(self.path, None)
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.record(self.path, len(body))


@dataclass
class SiteServer:
    """A folder served on 127.0.0.1 in a background thread; `url` ends with a slash."""

    folder: Path
    gzip: bool = True
    url: str = ""
    # (path, gzip-compressed body size or None when sent uncompressed), in request order.
    served: list[tuple[str, int | None]] = field(default_factory=list)

    class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        gzip: bool
        record: Any

    def __enter__(self) -> SiteServer:
        folder = str(self.folder)

        def handler(*args: Any, **kwargs: Any) -> _Handler:
            return _Handler(*args, directory=folder, **kwargs)

        self._server = self._Server(("127.0.0.1", 0), handler)
        self._server.gzip = self.gzip
        self._server.record = lambda path, size: self.served.append((path, size))
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def origin(self) -> str:
        return self.url.rstrip("/")


# -- sites -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example catalog of the repository, built into a temporary folder, with the shared
    vectors' overlay (`tests/vectors/site/`: status lists changed or signed by the wrong
    issuer, which no build would publish) laid over it."""
    folder = build_site(REPO, tmp_path_factory.mktemp("example-site"))
    shutil.copytree(VECTOR_OVERLAY, folder, dirs_exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def example_server(example_site: Path) -> Iterator[SiteServer]:
    with SiteServer(example_site) as server:
        yield server


@dataclass
class KeyedSite:
    """A built copy of the example catalog whose issuers each publish a test signing key."""

    project: Path
    folder: Path
    keys: dict[str, SigningKey]

    def method(self, issuer_id: str) -> str:
        site = Project.from_config(self.project / "mkdocs.yml").site
        return f"{site.issuer_did(issuer_id)}#{TEST_KEY_ID}"

    def credential(self, credential_id: str, learner: str = "Alex Rivera",
                   status_index: int | None = 1, **changes: Any) -> dict[str, Any]:
        """An unsigned credential for a catalog credential (top-level fields replaced).

        It points at `status_index` in its issuer's status lists (the example catalog's,
        where no bit is set but the shared vectors' own), or at none with None.
        """
        project = Project.from_config(self.project / "mkdocs.yml")
        catalog = project.require()
        credential = catalog.credentials[credential_id]
        document = build_credential(project.site, credential,
                                    Learner(learner, "learner@example.org"),
                                    ISSUED, salt="5a1ted5a1ted")
        if status_index is not None:
            document["credentialStatus"] = self.status_entries(document, status_index)
        document.update(changes)
        return document

    def status_entries(self, document: dict[str, Any], index: int = 1) -> list[dict[str, str]]:
        """credentialStatus entries at `index` of the lists of the issuer a credential names."""
        site = Project.from_config(self.project / "mkdocs.yml").site
        return status_list.entries(site, _issuer_id(document), index)

    def sign(self, document: dict[str, Any], issuer_id: str | None = None,
             cryptosuite: str = proofs.RDFC) -> dict[str, Any]:
        """Sign with the test key of `issuer_id` (default: the issuer the credential names)."""
        if issuer_id is None:
            issuer_id = _issuer_id(document)
        return proofs.sign(document, self.keys[issuer_id], verification_method=self.method(
            issuer_id), cryptosuite=cryptosuite, created="2026-01-15T09:30:00Z")


def _issuer_id(document: dict[str, Any]) -> str:
    """The catalog issuer id at the end of the issuer DID a credential names."""
    return str(document["issuer"]["id"]).rsplit(":", 1)[-1]


def make_keyed_site(folder: Path) -> KeyedSite:
    """A copy of the example catalog in `folder`, a fresh key published for every issuer, built."""
    project = copy_project(folder / "project")
    catalog = Project.from_config(project / "mkdocs.yml").require()
    signing_keys = {}
    for issuer_id in catalog.issuers:
        signing_keys[issuer_id] = key = SigningKey.generate()
        path = project / "public_keys" / issuer_id / f"{TEST_KEY_ID}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(site_keys.public_key_yaml(
            site_keys.public_multibase(key), "2026-01-01T00:00:00Z",
            "../../site_builder/catalog/schemas/public-key.schema.json"), encoding="utf-8")
    return KeyedSite(project, build_site(project, folder / "site"), signing_keys)


@pytest.fixture(scope="session")
def keyed_site(tmp_path_factory: pytest.TempPathFactory) -> KeyedSite:
    return make_keyed_site(tmp_path_factory.mktemp("keyed"))


@pytest.fixture(scope="session")
def keyed_server(keyed_site: KeyedSite) -> Iterator[SiteServer]:
    with SiteServer(keyed_site.folder) as server:
        yield server


# -- browser -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (run `make browser`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class WatchedPage:
    """A page plus what it did: requests, dialogs, page errors and CSP violations."""

    page: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[dict[str, str]]:
        return list(self.page.evaluate("window.__cspViolations || []"))

    def foreign_requests(self, origin: str) -> list[str]:
        """Requests to anywhere but `origin` (data: and blob: URLs are local)."""
        allowed = urlsplit(origin)
        return [url for url in self.requests if not url.startswith(("data:", "blob:"))
                and urlsplit(url)[:2] != allowed[:2]]

    def assert_clean(self, origin: str) -> None:
        """Nothing blocked by CSP, no script error, no dialog, no request off the server."""
        assert self.csp_violations() == []
        assert [m for m in self.console_errors if "Content Security Policy" in m] == []
        assert self.errors == []
        assert self.dialogs == []
        assert self.foreign_requests(origin) == []


def watch(page: Any) -> WatchedPage:
    watched = WatchedPage(page)
    page.add_init_script(_WATCH_SCRIPT)
    page.on("request", lambda request: watched.requests.append(request.url))
    page.on("pageerror", lambda error: watched.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: watched.console_errors.append(message.text)
            if message.type == "error" else None)
    return watched


@pytest.fixture
def watched_page(chromium: Any) -> Iterator[WatchedPage]:
    """A fresh browser context (cold cache) and page, with its activity recorded."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield watch(page)
    context.close()


@functools.cache
def axe_source() -> str:
    """axe-core, as the test extras' axe-playwright-python ships it. Imported here, not
    skipped when missing: an accessibility check that did not run must fail."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(
        encoding="utf-8")


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    report = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"],
             "nodes": [n["target"] for n in v["nodes"]]}
            for v in report["violations"] if v["impact"] in ("serious", "critical")]
