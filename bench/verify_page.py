"""Measure the /verify/ page in headless Chromium: bytes and time to verify one credential.

    .venv/bin/python bench/verify_page.py [--runs 7]

For an eddsa-jcs-2022 and an eddsa-rdfc-2022 credential (the shared vectors valid-jcs and
valid-rdfc), each run opens the page in a fresh browser context (cold cache) from a local
server that gzips like a static host, pastes the credential, clicks Verify and waits for the
verdict. It reports:

- bytes transferred: the gzip-compressed bodies the server sent, excluding the page HTML and
  the CSS, split into what the page loads before the click (its scripts, and the verifier
  specification and key index it asks for when ready) and what verifying loads, from the
  paste to the last file the finished result asked for;
- time from the navigation until the verifier is ready (its modules loaded, Verify enabled);
- time from the click to the verdict on the page (performance.now() in the page), cold (first
  verification in the page) and warm (the same credential again in the same page). What a
  result offers under its verdict (recipient check, "show it", progress on pathways) may
  follow the verdict; its bytes are counted, its time is not part of "click to verdict".

Issue 16's budget for eddsa-jcs-2022, cold, is printed beside the figures (BUDGET).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VECTOR_OVERLAY,
    SiteServer,
    build_site,
)

CASES = {"eddsa-jcs-2022": "valid-jcs", "eddsa-rdfc-2022": "valid-rdfc"}
# Issue 16: /verify/, eddsa-jcs-2022, cold: at most 20 KB (gzip, without page HTML and CSS)
# and 50 ms from the click to the verdict.
BUDGET = {"eddsa-jcs-2022": (20 * 1024, 50.0)}

# Click Verify and resolve with the milliseconds until a verdict is on the page.
CLICK_TO_VERDICT = """() => new Promise(resolve => {
  const results = document.getElementById('results');
  results.replaceChildren();
  const start = performance.now();
  const observer = new MutationObserver(() => {
    const found = results.querySelector('[data-verdict]');
    if (found && !results.hasAttribute('aria-busy')) {
      observer.disconnect();
      resolve({ms: performance.now() - start, verdict: found.dataset.verdict});
    }
  });
  observer.observe(results, {childList: true, subtree: true, attributes: true});
  document.getElementById('verify-button').click();
})"""


def counted(served: list[tuple[str, int | None]]) -> dict[str, int]:
    """Bytes per path as sent (compressed size), without the page HTML and CSS."""
    sizes: dict[str, int] = {}
    for path, size in served:
        if path.endswith((".css", "/")) or size is None:
            continue
        sizes[path] = sizes.get(path, 0) + size
    return sizes


# Installed before the page's scripts: the moment (performance.now(), from the navigation) the
# verifier says it is ready, i.e. its modules are loaded and its buttons enabled.
WATCH_READY = """
new MutationObserver((changes, observer) => {
  const section = document.getElementById('verifier');
  if (section && section.dataset.ready === 'true') {
    window.__verifierReady = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""


def quiet(server: SiteServer, seconds: float = 0.5) -> None:
    """Wait until the server has had no request for `seconds`. (Playwright's "networkidle"
    load state is reached once per page: waiting for it again returns at once, and would miss
    what the page loads after the verdict.)"""
    seen, since = len(server.served), time.monotonic()
    while time.monotonic() - since < seconds:
        time.sleep(0.05)
        if len(server.served) != seen:
            seen, since = len(server.served), time.monotonic()


def measure(browser: Any, server: SiteServer, text: str) -> dict[str, Any]:
    context = browser.new_context()
    context.add_init_script(WATCH_READY)
    page = context.new_page()
    server.served.clear()
    page.goto(server.url + "verify/")
    page.wait_for_selector("#verifier[data-ready='true']", state="attached")
    ready = page.evaluate("window.__verifierReady")
    page.wait_for_load_state("networkidle")
    quiet(server)
    loaded = counted(server.served)
    server.served.clear()
    page.fill("#credential-input", text)
    cold = page.evaluate(CLICK_TO_VERDICT)
    # Everything the page loads for a verification counts, including what it adds under the
    # verdict (the recipient check, "show it", progress on pathways) once the verdict is shown.
    page.wait_for_selector("#results[data-state='done']", state="attached")
    quiet(server)
    verifying = counted(server.served)
    warm = page.evaluate(CLICK_TO_VERDICT)
    context.close()
    return {"load": loaded, "verify": verifying, "ready": ready, "cold": cold, "warm": warm}


def kb(size: float) -> str:
    return f"{size / 1024:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        site = build_site(ROOT, Path(folder) / "site")
        shutil.copytree(VECTOR_OVERLAY, site, dirs_exist_ok=True)
        with SiteServer(site) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for suite, case in CASES.items():
                text = (ROOT / "tests" / "vectors" / f"{case}.json").read_text()
                runs = [measure(browser, server, text) for _ in range(args.runs)]
                last = runs[-1]
                load, verify = sum(last["load"].values()), sum(last["verify"].values())
                cold = [r["cold"]["ms"] for r in runs]
                warm = [r["warm"]["ms"] for r in runs]
                print(f"\n{suite} ({case}: {last['cold']['verdict']}), {args.runs} cold runs")
                print(f"  transferred, gzip, without page HTML and CSS: {kb(load + verify)}"
                      f" = before the click {kb(load)} + verifying {kb(verify)}")
                for path, size in sorted({**last["load"], **last["verify"]}.items(),
                                         key=lambda item: -item[1]):
                    print(f"    {size:>7,} B  {path}")
                ready = [r["ready"] for r in runs]
                print(f"  navigation to verifier ready, cold: median {statistics.median(ready):.0f}"
                      f" ms ({min(ready):.0f}-{max(ready):.0f})")
                print(f"  click to verdict, cold: median {statistics.median(cold):.0f} ms "
                      f"({min(cold):.0f}-{max(cold):.0f})")
                print(f"  click to verdict, warm: median {statistics.median(warm):.0f} ms "
                      f"({min(warm):.0f}-{max(warm):.0f})")
                if suite in BUDGET:
                    size, ms = BUDGET[suite]
                    print(f"  budget (issue 16): {kb(size)} and {ms:.0f} ms cold; measured "
                          f"{kb(load + verify)} and {statistics.median(cold):.0f} ms")
            browser.close()


if __name__ == "__main__":
    main()
