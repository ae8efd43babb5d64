"""`make bench`: measure credcat against baselines measured in the same run.

This machine is shared and noisy, so every figure is reported as the median of several runs
with its min and max, next to a baseline measured in the same run, and the ratio between the
two is the figure that matters. Writes docs/benchmarks.md (published with the site).

    .venv/bin/python bench/run.py            # full run (under 30 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # a few minutes, for development
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from site_builder.credentials import proofs, status_list  # noqa: E402
from site_builder.credentials.did import PublishedCatalog  # noqa: E402
from site_builder.credentials.issuing import Learner, build_credential  # noqa: E402
from site_builder.credentials.verify import verify_document  # noqa: E402
from site_builder.publishing.project import Project  # noqa: E402

BIN = Path(sys.executable).parent


@dataclass
class Stats:
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def text(self, unit: str, digits: int = 2) -> str:
        return (f"{self.median:,.{digits}f} {unit} "
                f"({min(self.values):,.{digits}f}–{max(self.values):,.{digits}f})")  # noqa: RUF001


@dataclass
class Row:
    stage: str
    figure: str
    ours: Stats
    unit: str
    baseline: Stats | None = None
    baseline_name: str = ""
    digits: int = 2

    @property
    def ratio(self) -> str:
        if self.baseline is None or not self.baseline.median:
            return ""
        return f"{self.ours.median / self.baseline.median:.3g}"


def run_measured(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {child.stderr.read().decode()[-2000:]}"
                           if child.stderr else f"{command} failed")
    return elapsed, usage.ru_maxrss / 1024


# -- build ------------------------------------------------------------------------------------

PLAIN_PAGE = """# {title}

{title} is a plain Markdown page of about the length of a credential page, used as the
baseline: the same theme, the same MkDocs, no plugin.

## Summary

{para}

## Learning outcomes

- Explain the purpose of {title} to a client in plain words.
- Apply the main techniques to a realistic case and justify the choices made.
- Evaluate the results against agreed criteria and report them.

## How it is assessed

| Criterion | Not yet | Meets | Exceeds |
| --- | --- | --- | --- |
| Accuracy | Errors remain | Correct | Correct and explained |
| Communication | Unclear | Clear | Clear and adapted to the audience |
| Ethics | Not considered | Considered | Anticipated |

{para}

## Key facts

- Level: Intermediate (EQF 5)
- Workload: 40 hours
- Cost: 250.00 CAD
- Participation: Online

{para}
"""
PARAGRAPH = ("Practitioners use this credential to show that they can plan, run and evaluate "
             "the work it describes. The assessment combines a portfolio with observed "
             "practice, and a rubric sets out what each performance level looks like. ") * 3


def write_plain_site(folder: Path, pages: int) -> None:
    docs = folder / "docs" / "pages"
    docs.mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Plain pages\n", encoding="utf-8")
    for n in range(pages):
        (docs / f"page-{n}.md").write_text(PLAIN_PAGE.format(title=f"Page {n}", para=PARAGRAPH),
                                           encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: Plain baseline\nsite_url: https://plain.example.org/\ntheme:\n"
        "  name: credcat\nnot_in_nav: |\n  /pages/\nnav:\n  - index.md\n", encoding="utf-8")


def bench_build(sizes: list[int], runs: int, work: Path) -> list[Row]:
    from site_builder.catalog.demo import write_demo_catalog

    rows = []
    for size in sizes:
        catalog, plain = work / f"catalog-{size}", work / f"plain-{size}"
        if size == 0:  # the example catalog itself, against as many plain pages
            _copy_project(catalog)
            size = len(list((catalog / "catalog" / "credentials").glob("*.yaml")))
            catalog = catalog.rename(work / f"catalog-{size}")
            plain = work / f"plain-{size}"
        else:
            write_demo_catalog(size, catalog)
        write_plain_site(plain, size)
        ours_time, ours_mem, base_time, base_mem = [], [], [], []
        for _ in range(runs):
            seconds, memory = run_measured([str(BIN / "credcat"), "build", "-f",
                                            str(catalog / "mkdocs.yml"), "-d",
                                            str(work / "out-ours")])
            ours_time.append(seconds)
            ours_mem.append(memory)
            seconds, memory = run_measured([str(BIN / "mkdocs"), "build", "-q", "-f",
                                            str(plain / "mkdocs.yml"), "-d",
                                            str(work / "out-plain")])
            base_time.append(seconds)
            base_mem.append(memory)
        size_mb = sum(p.stat().st_size for p in (work / "out-ours").rglob("*")
                      if p.is_file()) / 2**20
        rows += [
            Row("build", f"`credcat build`, {size:,} credentials", Stats(ours_time), "s",
                Stats(base_time), f"`mkdocs build`, {size:,} plain pages"),
            Row("build", f"peak memory, {size:,} credentials", Stats(ours_mem), "MiB",
                Stats(base_mem), f"`mkdocs build`, {size:,} plain pages", 0),
            Row("build", f"site size, {size:,} credentials", Stats([size_mb]), "MiB"),
        ]
    rebuild_size = sizes[0] or len(list((ROOT / "catalog" / "credentials").glob("*.yaml")))
    rows += bench_rebuild(work / f"catalog-{rebuild_size}", work / f"plain-{rebuild_size}", runs,
                          rebuild_size)
    return rows


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve_and_edit(command: list[str], page_url: str, edit: Callable[[int], str],
                    runs: int) -> list[float]:
    """Seconds from saving a file to the served page showing the change, per edit."""
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(page_url, lambda body: True, 600)
        times = []
        for n in range(runs):
            marker = edit(n)
            start = time.perf_counter()
            _wait_for(page_url, lambda body, m=marker: m in body, 600)
            times.append(time.perf_counter() - start)
        return times
    finally:
        server.terminate()
        server.wait(30)


def _wait_for(url: str, ready: Callable[[str], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ready(response.read().decode("utf-8", "replace")):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(url)


def bench_rebuild(catalog: Path, plain: Path, runs: int, size: int) -> list[Row]:
    credential = sorted((catalog / "catalog" / "credentials").glob("*.yaml"))[0]
    original = credential.read_text(encoding="utf-8")
    port = _free_port()

    def edit_credential(n: int) -> str:
        marker = f"Edited name {n} {random.randint(0, 10**9)}"
        lines = [f"name: {marker}" if line.startswith("name:") else line
                 for line in original.splitlines()]
        credential.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return marker

    ours = _serve_and_edit([str(BIN / "credcat"), "serve", "-f", str(catalog / "mkdocs.yml"),
                            "-a", f"127.0.0.1:{port}"],
                           f"http://127.0.0.1:{port}/credentials/{credential.stem}/",
                           edit_credential, runs)
    credential.write_text(original, encoding="utf-8")
    page = plain / "docs" / "pages" / "page-0.md"
    page_text = page.read_text(encoding="utf-8")
    port = _free_port()

    def edit_page(n: int) -> str:
        marker = f"Edited page {n} {random.randint(0, 10**9)}"
        page.write_text(page_text.replace("# Page 0", f"# {marker}", 1), encoding="utf-8")
        return marker

    base = _serve_and_edit([str(BIN / "mkdocs"), "serve", "-f", str(plain / "mkdocs.yml"),
                            "-a", f"127.0.0.1:{port}", "--livereload"],
                           f"http://127.0.0.1:{port}/pages/page-0/", edit_page, runs)
    return [Row("build", f"rebuild after one credential changes (`credcat serve`, {size:,})",
                Stats(ours), "s", Stats(base), f"`mkdocs serve`, one of {size:,} plain pages")]


# -- verify and issue -------------------------------------------------------------------------

def _signed_corpus(count: int, suite: str) -> tuple[list[dict[str, Any]], PublishedCatalog,
                                                    SigningKey]:
    """Credentials of the example catalog signed with a key published for the run."""
    work = _copy_project(Path(tempfile.mkdtemp(prefix="credcat-bench-")))
    project = Project.from_config(work / "mkdocs.yml")
    key = SigningKey.generate()
    issuer = "northbridge-college"
    from site_builder.credentials import keys

    (work / "public_keys" / issuer / "bench.yaml").write_text(
        keys.public_key_yaml(keys.public_multibase(key), "2026-01-01T00:00:00Z", "x"),
        encoding="utf-8")
    catalog = project.require()
    credential = next(c for c in catalog.credentials.values() if c.issuer.id == issuer
                      and c.active)
    method = f"{project.site.issuer_did(issuer)}#bench"
    documents = []
    for n in range(count):
        unsigned = build_credential(project.site, credential,
                                    Learner(f"Learner {n}", f"l{n}@example.org"),
                                    datetime(2026, 1, 1, tzinfo=UTC))
        documents.append(proofs.sign(unsigned, key, verification_method=method,
                                     cryptosuite=suite))
    return documents, PublishedCatalog.from_catalog(project.site, catalog, work), key


def _copy_project(target: Path) -> Path:
    """The example catalog project (no docs/ extras needed beyond what builds)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in ("mkdocs.yml", "catalog", "public_keys", "status", "docs"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    return target


def _rate(count: int, action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return count / (time.perf_counter() - start)


def bench_verify(count: int, runs: int) -> list[Row]:
    """Verification rates on one core (the process is pinned for this stage only)."""
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        return _verify_rows(count, runs)
    finally:
        os.sched_setaffinity(0, cores)


def _verify_rows(count: int, runs: int) -> list[Row]:
    rows = []
    for suite in proofs.CRYPTOSUITES:
        documents, published, key = _signed_corpus(count, suite)
        verify_key = key.verify_key
        raw = [(proofs.hash_data(d, {k: v for k, v in d["proof"].items() if k != "proofValue"},
                                 suite), proofs.parse_proof(d).signature) for d in documents]
        ours, base = [], []
        for _ in range(runs):
            ours.append(_rate(count, lambda docs=documents, pub=published: [
                verify_document(d, pub) for d in docs]))
            base.append(_rate(count, lambda pairs=raw, vk=verify_key: [
                vk.verify(message, signature) for message, signature in pairs]))
        rows.append(Row("verify", f"credentials verified per second, {suite} (one core)",
                        Stats(ours), "/s", Stats(base), "PyNaCl `verify` of the same bytes", 0))
    return rows


def bench_issue(count: int, runs: int, work: Path) -> list[Row]:
    rows = []
    roster = work / "roster.csv"
    roster.write_text("name,email\n" + "".join(f"Learner {n},learner{n}@example.org\n"
                                               for n in range(count)), encoding="utf-8")
    for suite in proofs.CRYPTOSUITES:
        ours, base = [], []
        for run in range(runs):
            project = _copy_project(work / f"issue-{suite}-{run}")
            key_file = work / f"key-{suite}-{run}.pem"
            subprocess.run([str(BIN / "credcat"), "keygen", "northbridge-college", "--out",
                            str(key_file)], cwd=project, check=True, capture_output=True)
            credential = _first_active(project, "northbridge-college")
            seconds, _memory = run_measured(
                [str(BIN / "credcat"), "issue", credential, "--key", str(key_file), "--roster",
                 str(roster), "--out-dir", str(work / f"out-{suite}-{run}"), "--cryptosuite",
                 suite], cwd=project)
            ours.append(count / seconds)
            signing_key = SigningKey.generate()
            messages = [os.urandom(64) for _ in range(count)]
            base.append(_rate(count, lambda sk=signing_key, ms=messages: [sk.sign(m)
                                                                           for m in ms]))
            shutil.rmtree(work / f"out-{suite}-{run}")
        rows.append(Row("issue", f"credentials issued per second, {count:,}-row roster, "
                        f"{suite}", Stats(ours), "/s", Stats(base), "PyNaCl `sign`", 0))
    return rows


def _first_active(project: Path, issuer: str) -> str:
    catalog = Project.from_config(project / "mkdocs.yml").require()
    return next(c.id for c in sorted(catalog.credentials.values(), key=lambda c: c.id)
                if c.issuer.id == issuer and c.active)


# -- status lists -----------------------------------------------------------------------------

def bench_status(runs: int, work: Path) -> list[Row]:
    rows = []
    rng = random.Random(7)
    for entries in (131_072, 1_000_000):
        for percent in (0, 1, 10):
            bits = bytearray(entries // 8)
            for index in rng.sample(range(entries), entries * percent // 100):
                status_list.set_bit(bits, index, True)
            size = len(status_list.encode_bits(bytes(bits)))
            rows.append(Row("status", f"encoded list, {entries:,} entries, {percent}% revoked",
                            Stats([size / 1024]), "KiB"))
    project = Project.from_config(ROOT / "mkdocs.yml")
    site = project.site
    key = SigningKey.generate()
    status = status_list.IssuerStatus(work / "status-root", site, "northbridge-college")
    method = f"{site.issuer_did('northbridge-college')}#bench"
    bits = bytearray(1_000_000 // 8)
    for index in rng.sample(range(1_000_000), 10_000):
        status_list.set_bit(bits, index, True)
    status.write_list("revocation", bytes(bits), key, method)
    times = []
    for run in range(runs):
        start = time.perf_counter()
        status.change("revocation", 500_000 + run, True, key, method, f"urn:uuid:{run}",
                      "revoke", "benchmark")
        times.append(time.perf_counter() - start)
    rows.append(Row("status", "time to revoke one credential in a list of 1,000,000",
                    Stats(times), "s", digits=3))
    return rows


# -- browser ----------------------------------------------------------------------------------

def bench_browser(runs: int, work: Path, search_size: int) -> list[Row]:
    """Cold-load bytes and click-to-verdict time; bytes for the first results of searches."""
    from playwright.sync_api import sync_playwright

    from bench import browse, verify_page
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, VECTOR_OVERLAY, SiteServer, build_site

    rows: list[Row] = []
    site = build_site(ROOT, work / "verify-site")
    shutil.copytree(VECTOR_OVERLAY, site, dirs_exist_ok=True)
    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for suite, case in verify_page.CASES.items():
            text = (ROOT / "tests" / "vectors" / f"{case}.json").read_text(encoding="utf-8")
            measured = [verify_page.measure(browser, server, text) for _ in range(runs)]
            sent = [(sum(m["load"].values()) + sum(m["verify"].values())) / 1024
                    for m in measured]
            rows.append(Row("browser", f"bytes to verify one {suite} credential, cold load, "
                            "gzip, page HTML and CSS excluded", Stats(sent), "KiB", digits=1))
            rows.append(Row("browser", f"click to verdict, {suite}, cold",
                            Stats([m["cold"]["ms"] for m in measured]), "ms", digits=0))
        browser.close()
    searched = work / "out-ours"
    if searched.is_dir():
        with SiteServer(searched) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for params in browse.DEFAULT_QUERIES:
                query = "&".join(f"{k}={v}" for k, v in params.items())
                try:
                    sizes = [browse.first_results_bytes(server, browser, params)[0] / 1024
                             for _ in range(runs)]
                except AssertionError:  # a small catalog may have nothing for this query
                    print(f"bench: no results for {query}; skipped", file=sys.stderr)
                    continue
                rows.append(Row("browser", f"bytes for the first results of `{query}`, "
                                f"{search_size:,} credentials", Stats(sizes), "KiB", digits=0))
            browser.close()
    return rows


# -- report -----------------------------------------------------------------------------------

def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB memory; {platform.platform()}; "
            f"Python {platform.python_version()}")


def commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "site_builder", "templates"], capture_output=True,
                               text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def report(rows: list[Row], args: argparse.Namespace, seconds: float,
           profiles: dict[str, str]) -> str:
    lines = [
        "# Benchmarks", "",
        "Every figure is the median of the runs, with the minimum and maximum in brackets, "
        "measured beside its baseline in the same run on a shared machine; the ratio "
        "(credcat ÷ baseline) is the figure to compare between runs. For rates (per second) "
        "a ratio below 1 means credcat is slower than the raw operation it builds on.", "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Commit: `{commit()}`",
        f"- Machine: {machine()}",
        f"- Command: `{' '.join(['python', 'bench/run.py', *args.argv])}` "
        f"({'quick' if args.quick else 'full'} run, {args.runs} runs per figure, "
        f"{seconds / 60:.1f} minutes in all)", "",
        "| Stage | Figure | credcat | Baseline | Ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        baseline = (f"{row.baseline.text(row.unit, row.digits)} — {row.baseline_name}"
                    if row.baseline else "")
        lines.append(f"| {row.stage} | {row.figure} | {row.ours.text(row.unit, row.digits)} | "
                     f"{baseline} | {row.ratio} |")
    if profiles:
        lines += ["", "## Where the time goes", "",
                  "cProfile of the slowest stage of each pipeline (top functions by "
                  "cumulative time).", ""]
        for name, text in profiles.items():
            lines += [f"### {name}", "", "```text", text.rstrip(), "```", ""]
    return "\n".join(lines) + "\n"


def profile(action: Callable[[], Any], limit: int = 18) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    action()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(limit)
    text = out.getvalue()
    return text[text.find("   ncalls"):] if "   ncalls" in text else text


def profiles_for(work: Path, size: int) -> dict[str, str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from site_builder.catalog.demo import write_demo_catalog

    catalog = work / "profile-catalog"
    write_demo_catalog(size, catalog)
    documents, published, _key = _signed_corpus(50, "eddsa-rdfc-2022")
    return {
        f"Build ({size:,} credentials)": profile(lambda: build(load_config(
            str(catalog / "mkdocs.yml"), site_dir=str(work / "profile-out")))),
        "Verify (eddsa-rdfc-2022, 50 credentials)": profile(
            lambda: [verify_document(d, published) for d in documents]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for development")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5; 3 with --quick)")
    parser.add_argument("--only", nargs="*", choices=["build", "verify", "issue", "status",
                                                       "browser", "profile"])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--sizes", type=int, nargs="*", help="catalog sizes to build "
                        "(0 = the example catalog); default 1,000 and 10,000")
    args = parser.parse_args(argv)
    args.argv = list(argv if argv is not None else sys.argv[1:])
    args.runs = args.runs or (3 if args.quick else 5)
    stages = set(args.only or ["build", "verify", "issue", "status", "browser", "profile"])
    sizes = args.sizes or ([200, 1_000] if args.quick else [1_000, 10_000])
    started = time.perf_counter()
    rows: list[Row] = []
    profiles: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="credcat-bench-") as tmp:
        work = Path(tmp)
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("status", lambda: rows.extend(bench_status(args.runs, work))),
            ("verify", lambda: rows.extend(bench_verify(100 if args.quick else 300,
                                                        args.runs))),
            ("issue", lambda: rows.extend(bench_issue(1_000 if args.quick else 10_000,
                                                      args.runs, work))),
            ("build", lambda: rows.extend(bench_build(sizes, args.runs, work))),
            ("browser", lambda: rows.extend(bench_browser(args.runs, work, sizes[-1]))),
            ("profile", lambda: profiles.update(profiles_for(work, sizes[0]))),
        ]
        for name, step in steps:
            if name in stages:
                print(f"bench: {name}…", file=sys.stderr, flush=True)
                step()
    order = ["build", "verify", "issue", "browser", "status"]
    rows.sort(key=lambda r: order.index(r.stage))
    text = report(rows, args, time.perf_counter() - started, profiles)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
