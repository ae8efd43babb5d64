"""Search at scale: build a generated catalog and measure what a first search costs a browser.

    .venv/bin/python bench/browse.py 10000 --out /tmp/credcat-10k [--queries data ...]

Writes the demo catalog (`site_builder.catalog.demo`) unless OUT already holds one of that
size, builds it under `/usr/bin/time -v` (wall time, peak memory) unless OUT/site exists, then
serves the site on 127.0.0.1 (gzip, as static hosts serve it) and, for each query, opens the
search page in a fresh headless Chromium context (cold cache) and counts the bytes the server
sent until the first results were shown. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from site_builder.catalog.demo import write_demo_catalog  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, SiteServer  # noqa: E402

# Typical practitioner searches: a broad word, a skill phrase, and a word plus filters.
DEFAULT_QUERIES = (
    {"q": "data"},
    {"q": "career conversations"},
    {"q": "leadership", "level": "eqf-5", "participation": "online",
     "currency": "EUR", "cost_max": "500"},
)


def build(out: Path) -> dict[str, str]:
    command = ["/usr/bin/time", "-v", str(REPO / ".venv/bin/mkdocs"), "build", "-q",
               "-f", str(out / "mkdocs.yml"), "-d", str(out / "site")]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", done.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return {"build wall time": wall.group(1) if wall else "?",
            "build peak memory": f"{int(peak.group(1)) / 1024:.0f} MiB" if peak else "?"}


def site_size(site: Path) -> str:
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    return f"{total / 2**20:.0f} MiB in {len(files):,} files"


def first_results_bytes(server: SiteServer, browser: object, params: dict[str, str]) -> tuple[
        int, int, float]:
    """Bytes sent (compressed where the server compresses), requests, seconds to results."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    server.served.clear()
    started = time.monotonic()
    page.goto(f"{server.url}search/?{urlencode(params)}")
    # A locator, not wait_for_function: the page's CSP forbids the eval that one uses.
    page.locator("#search-results[data-state=done]").wait_for(state="attached", timeout=60_000)
    elapsed = time.monotonic() - started
    shown = page.locator("#search-results > li").count()
    context.close()
    total = 0
    for path, size in server.served:
        if size is None:
            file = server.folder / path.split("?", 1)[0].lstrip("/")
            file = file / "index.html" if file.is_dir() else file
            size = file.stat().st_size if file.is_file() else 0
        total += size
    assert shown > 0, f"no results for {params}"
    return total, len(server.served), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    out: Path = args.out
    if not (out / "mkdocs.yml").is_file():
        started = time.monotonic()
        write_demo_catalog(args.n, out, seed=args.seed)
        print(f"generated {args.n:,} credentials in {time.monotonic() - started:.1f} s")
    if not (out / "site").is_dir():
        for name, value in build(out).items():
            print(f"{name}: {value}")
    print(f"site size: {site_size(out / 'site')}")
    from playwright.sync_api import sync_playwright

    with SiteServer(out / "site") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for params in DEFAULT_QUERIES:
            sent, requests, seconds = first_results_bytes(server, browser, params)
            print(f"first results for {urlencode(params)}: {sent / 1024:.0f} KiB in "
                  f"{requests} requests, {seconds:.2f} s")
        browser.close()


if __name__ == "__main__":
    main()
