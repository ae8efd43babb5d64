"""Search at scale: build a generated catalog and measure what a first search costs a browser.

    .venv/bin/python bench/browse.py 10000 --out /tmp/credcat-10k
    .venv/bin/python bench/browse.py 100000 --out /tmp/100k --from-site /tmp/credcat-10k/site

Writes the demo catalog (`site_builder.catalog.demo`) unless OUT already holds one of that
size, builds it under `/usr/bin/time -v` (wall time, peak memory) unless OUT/site exists, then
serves the site on 127.0.0.1 (gzip, as static hosts serve it) and, for each query, opens the
search page in a fresh headless Chromium context (cold cache) and counts the bytes the server
sent until the first results were shown, by kind of file. Prints one line per figure.

With `--from-site`, no catalog is built: the smaller catalog that site was built from (its
folder's mkdocs.yml) is loaded, its credentials are copied (each copy with its own id) until
there are N, and only the search index is written, timed, into OUT/site, which links to
everything else in the smaller site. A search costs only what the index holds, so this
measures a 100,000-credential search in minutes instead of a full build.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from site_builder.catalog.demo import write_demo_catalog  # noqa: E402
from site_builder.publishing.project import Project  # noqa: E402
from site_builder.site.search_index import SEARCH_DIR, build_search_index  # noqa: E402
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


def synthesize(source: Path, site: Path, n: int) -> str:
    """OUT/site: the search index of N credentials copied from the catalog of a built site,
    everything else linked to that site. Returns the index's summary and how long it took."""
    catalog = Project.from_config(source.parent / "mkdocs.yml").require()
    base = list(catalog.credentials.values())
    copies = {}
    for number in range(n):
        credential, copy = base[number % len(base)], number // len(base)
        # A hashed prefix: the index numbers credentials by id, and copies numbered next to
        # each other, or in the same order in every copy, would compress unlike a catalog.
        mark = hashlib.sha256(f"{copy}:{credential.id}".encode()).hexdigest()[:8]
        credential = dataclasses.replace(credential, id=f"{mark}-{credential.id}")
        copies[credential.id] = credential
    site.mkdir(parents=True)
    for entry in source.iterdir():
        if entry.name != SEARCH_DIR:
            os.symlink(entry, site / entry.name)
    started, cpu = time.monotonic(), time.process_time()
    summary = build_search_index(dataclasses.replace(catalog, credentials=copies), site)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (f"{summary} in {time.monotonic() - started:.1f} s ({time.process_time() - cpu:.1f} s"
            f" of CPU; peak memory of this process, catalog included, {peak:.0f} MiB)")


def kind_of(path: str) -> str:
    """Which part of the search a request was for (the search index's file names)."""
    path = path.split("?", 1)[0]
    for marker, kind in (("/docs/", "results"), ("/words/", "words"),
                         ("/filters/", "filters"), ("/meta.json", "meta"),
                         ("/js/search/", "search js")):
        if marker in path:
            return kind
    return "page, css, js"


def first_results_bytes(server: SiteServer, browser: object, params: dict[str, str],
                        by_kind: dict[str, int] | None = None,
                        language: str = "") -> tuple[int, int, float]:
    """Bytes sent (compressed where the server compresses), requests, seconds to results;
    `by_kind`, when given, receives the bytes per kind of file; `language`, another language
    than the default, searches on its page (`fr/search/`)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    server.served.clear()
    started = time.monotonic()
    prefix = f"{language}/" if language else ""
    page.goto(f"{server.url}{prefix}search/?{urlencode(params)}")
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
        if by_kind is not None:
            by_kind[kind_of(path)] = by_kind.get(kind_of(path), 0) + size
    assert shown > 0, f"no results for {params}"
    return total, len(server.served), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--from-site", type=Path, help="copy this built site's credential pages")
    args = parser.parse_args()
    out: Path = args.out
    if args.from_site and not (out / "site").is_dir():
        print(f"search index: {synthesize(args.from_site, out / 'site', args.n)}")
    elif not (out / "mkdocs.yml").is_file():
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
            by_kind: dict[str, int] = {}
            sent, requests, seconds = first_results_bytes(server, browser, params, by_kind)
            print(f"first results for {urlencode(params)}: {sent / 1024:.0f} KiB in "
                  f"{requests} requests, {seconds:.2f} s")
            print("    " + ", ".join(f"{kind} {size / 1024:.1f} KiB"
                                     for kind, size in sorted(by_kind.items())))
        browser.close()


if __name__ == "__main__":
    main()
