"""`make bench`: measure credcat against baselines measured in the same run.

This machine is shared and noisy, so every figure is reported as the median of several runs
with its min and max, next to a baseline measured in the same run, and the ratio between the
two is the figure that matters. Writes docs/benchmarks.md (published with the site): issue 16's
targets with each figure beside its target, a "Does it fit?" table against the static hosts'
limits (bench/host_limits.yaml), then every figure.

    .venv/bin/python bench/run.py               # full run (under 30 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick       # under 3 minutes, for development
    .venv/bin/python bench/run.py --only scale  # the 100,000-credential build (not in make bench)
    .venv/bin/python bench/run.py --only rebuild --sizes 1000  # `credcat serve` after an edit

A run of some stages only (`--only`) keeps the other stages' figures from the last report
written to the same file (bench/results/<name>.json records them), each marked with the date
and commit it was measured at, so the scale run adds its rows to the full report.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
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
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from nacl.signing import SigningKey

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import host_limits  # noqa: E402
from bench.host_limits import SiteSize  # noqa: E402
from site_builder.credentials import proofs, status_list  # noqa: E402
from site_builder.credentials.did import PublishedCatalog  # noqa: E402
from site_builder.credentials.issuing import Learner, build_credential  # noqa: E402
from site_builder.credentials.verify import verify_document  # noqa: E402
from site_builder.publishing.project import Project  # noqa: E402

BIN = Path(sys.executable).parent
STAGES = ["build", "rebuild", "languages", "scale", "verify", "issue", "browser", "status",
          "profile"]
DEFAULT_STAGES = [stage for stage in STAGES if stage != "scale"]
FIT_SIZES = (1_000, 10_000, 100_000)


@dataclass
class Stats:
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def text(self, unit: str, digits: int = 2) -> str:
        return (f"{self.median:,.{digits}f} {unit}".rstrip() + " "
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
    key: str = ""  # what the targets look a figure up by, e.g. "build.time.10000"
    measured: str = ""  # set on a row kept from an earlier run: its date and commit

    @property
    def ratio(self) -> str:
        value = self.ratio_value
        return "" if value is None else f"{value:.3g}"

    @property
    def ratio_value(self) -> float | None:
        if self.baseline is None or not self.baseline.median:
            return None
        return self.ours.median / self.baseline.median

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        baseline = data.pop("baseline")
        return cls(ours=Stats(data.pop("ours")["values"]),
                   baseline=Stats(baseline["values"]) if baseline else None, **data)


@dataclass
class Site:
    """A built site of `size` credentials, for the footprint rows and the fit table."""

    stage: str
    size: int
    site: SiteSize
    measured: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)

    def site(self, size: int) -> Site | None:
        return next((s for s in self.sites if s.size == size), None)


def _tree(root: int) -> list[int]:
    """A process and all its descendants (Pagefind, forked render workers), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        parents[int(entry.name)] = int(stat[stat.rfind(")") + 2:].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return sorted(tree)


def _tree_memory(root: int) -> tuple[int, int]:
    """Proportional (PSS) and resident (RSS) bytes of a process tree, each summed.

    A forked worker shares its parent's pages until either writes them: RSS counts such a page
    in every process that maps it, PSS divides it among them, so the tree's PSS is the memory
    the tree occupies (a shared library's pages are divided with every process on the machine
    that maps them, a few MiB at most)."""
    pss = rss = 0
    for pid in _tree(root):
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:  # ended, or a kernel thread
            continue
        fields = dict(line.split(":", 1) for line in rollup.splitlines()[1:] if ":" in line)
        pss += int(fields.get("Pss", "0 kB").split()[0]) * 1024
        rss += int(fields.get("Rss", "0 kB").split()[0]) * 1024
    return pss, rss


class Measured(NamedTuple):
    seconds: float
    memory: float  # peak proportional set size of the process tree (PSS), MiB
    resident: float  # peak resident memory of the process tree, summed per process (RSS), MiB


def run_measured(command: list[str], cwd: Path | None = None) -> Measured:
    """Wall seconds and peak memory (MiB) of a command and every process it starts.

    The tree is sampled every 0.1 s and summed (a build runs Pagefind beside Python and forks
    workers that share the parent's pages): PSS is the figure, RSS summed is kept beside it.
    For RSS, the kernel's own peak of the largest single process is the floor, as a sample can
    miss it."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        peak_pss = peak_rss = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_pss, peak_rss
            while not done.wait(0.1):
                pss, rss = _tree_memory(child.pid)
                peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        elapsed = time.perf_counter() - start
        if status != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(command)} failed: {tail}")
    return Measured(elapsed, peak_pss / 2**20, max(peak_rss / 2**20, usage.ru_maxrss / 1024))


def site_size(folder: Path) -> SiteSize:
    """What a built site costs a host. The layout work adds bench/footprint.py for this
    measurement; when it lands, this function becomes a call to it."""
    files = entries = total = largest = 0
    largest_path = ""
    for path in folder.rglob("*"):
        entries += 1
        if path.is_file() and not path.is_symlink():
            files += 1
            size = path.stat().st_size
            total += size
            if size > largest:
                largest, largest_path = size, path.relative_to(folder).as_posix()
    return SiteSize(bytes=total, files=files, entries=entries, largest_file=largest,
                    largest_path=largest_path)


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
        "  name: credcat\nnot_in_nav: |\n  /pages/\nnav:\n  - index.md\n"
        # The theme's English interface (gettext, its date and address filters), which the
        # credcat plugin installs on a catalog's site: bench/plain_theme.py.
        f"hooks:\n  - {ROOT / 'bench' / 'plain_theme.py'}\n", encoding="utf-8")


def _catalog_and_plain(size: int, work: Path, tag: str) -> tuple[int, Path, Path]:
    """A catalog of `size` credentials and a site of as many plain pages (size 0: the
    example catalog, against as many plain pages)."""
    from site_builder.catalog.demo import write_demo_catalog

    catalog = work / f"{tag}-catalog-{size}"
    if size == 0:
        _copy_project(catalog)
        size = len(list((catalog / "catalog" / "credentials").glob("*.yaml")))
        catalog = catalog.rename(work / f"{tag}-catalog-{size}")
    else:
        write_demo_catalog(size, catalog)
    plain = work / f"{tag}-plain-{size}"
    write_plain_site(plain, size)
    return size, catalog, plain


def bench_build(sizes: list[int], runs: int, work: Path) -> Results:
    """Builds against as many plain pages."""
    results = Results()
    for size in sizes:
        size, catalog, plain = _catalog_and_plain(size, work, "build")
        ours: list[Measured] = []
        base: list[Measured] = []
        for _ in range(runs):
            ours.append(run_measured([str(BIN / "credcat"), "build", "-f",
                                      str(catalog / "mkdocs.yml"), "-d", str(work / "out-ours")]))
            base.append(run_measured([str(BIN / "mkdocs"), "build", "-q", "-f",
                                      str(plain / "mkdocs.yml"), "-d", str(work / "out-plain")]))
        site = site_size(work / "out-ours")
        plain_name = f"`mkdocs build`, {size:,} plain pages"
        results.rows += [
            Row("build", f"`credcat build`, {size:,} credentials",
                Stats([m.seconds for m in ours]), "s", Stats([m.seconds for m in base]),
                plain_name, key=f"build.time.{size}"),
            Row("build", f"peak memory (process tree, PSS), {size:,} credentials",
                Stats([m.memory for m in ours]), "MiB", Stats([m.memory for m in base]),
                plain_name, 0, key=f"build.memory.{size}"),
            Row("build", f"peak memory (process tree, RSS summed), {size:,} credentials",
                Stats([m.resident for m in ours]), "MiB", Stats([m.resident for m in base]),
                plain_name, 0, key=f"build.rss.{size}"),
        ]
        results.sites.append(Site("build", size, site))
    return results


def bench_rebuilds(sizes: list[int], runs: int, work: Path, quick: bool) -> Results:
    """The serve rebuild at each size (the smallest only with --quick, to stay under 3
    minutes)."""
    rows = []
    for size in sizes[:1] if quick else sizes:
        size, catalog, plain = _catalog_and_plain(size, work, "rebuild")
        # The plain baseline rebuilds fully, about 35 s at 10,000: three runs are enough.
        rows += bench_rebuild(catalog, plain, runs if size < 10_000 else min(runs, 3), size)
    return Results(rows=rows)


def bench_scale(size: int, work: Path) -> Results:
    """One build of a generated catalog at scale: wall time, peak memory of the whole process
    tree, what the site costs a host, and what a first search costs at that size."""
    catalog = work / f"scale-{size}"
    subprocess.run([str(BIN / "credcat"), "demo-catalog", str(size), str(catalog)],
                   check=True, stdout=subprocess.DEVNULL)
    measured = run_measured([str(BIN / "credcat"), "build", "-f",
                             str(catalog / "mkdocs.yml"), "-d", str(work / "out-scale")])
    results = Results(rows=[
        Row("scale", f"`credcat build`, {size:,} credentials, one run",
            Stats([measured.seconds]), "s", key=f"scale.time.{size}"),
        Row("scale", f"peak memory (process tree, PSS), {size:,} credentials, one run",
            Stats([measured.memory]), "MiB", digits=0, key=f"scale.memory.{size}"),
        Row("scale", f"peak memory (process tree, RSS summed), {size:,} credentials, one run",
            Stats([measured.resident]), "MiB", digits=0, key=f"scale.rss.{size}"),
    ], sites=[Site("scale", size, site_size(work / "out-scale"))])
    results.rows += bench_search(work / "out-scale", size, 1, "scale")
    return results


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
    return [Row("rebuild", f"rebuild after one credential changes (`credcat serve`, {size:,})",
                Stats(ours), "s", Stats(base), f"`mkdocs serve`, one of {size:,} plain pages",
                key=f"rebuild.{size}")]


# -- verify and issue -------------------------------------------------------------------------

Corpus = tuple[list[dict[str, Any]], PublishedCatalog, SigningKey]


def _signed_corpus(count: int, suite: str, work: Path) -> Corpus:
    """Credentials of the example catalog signed with a key published for the run (in the
    run's folder, removed with it)."""
    work = _copy_project(work / f"corpus-{suite}-{count}")
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


def bench_verify(count: int, runs: int, work: Path) -> list[Row]:
    """Verification rates on one core (the process is pinned for this stage only)."""
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        return _verify_rows(count, runs, work)
    finally:
        os.sched_setaffinity(0, cores)


def _verify_rows(count: int, runs: int, work: Path) -> list[Row]:
    rows = []
    for suite in proofs.CRYPTOSUITES:
        documents, published, key = _signed_corpus(count, suite, work)
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
                        Stats(ours), "/s", Stats(base), "PyNaCl `verify` of the same bytes", 0,
                        key=f"verify.{suite}"))
    return rows


def bench_issue(count: int, runs: int, work: Path, *, certificates: bool) -> list[Row]:
    """`credcat issue --roster` of `count` learners per cryptosuite, against PyNaCl `sign`.

    Without certificates this is the rate issue 16 sets a target for (signing, status
    allocation, files); with them each learner's QR code dominates, so that is measured on a
    shorter roster and reported on its own row.
    """
    rows = []
    roster = work / "roster.csv"
    roster.write_text("name,email\n" + "".join(f"Learner {n},learner{n}@example.org\n"
                                               for n in range(count)), encoding="utf-8")
    what = "with a certificate each" if certificates else "no certificates"
    tag = "certificates" if certificates else "plain"
    for suite in proofs.CRYPTOSUITES:
        ours, base = [], []
        for run in range(runs):
            project = _copy_project(work / f"issue-{tag}-{suite}-{run}")
            key_file = work / f"key-{tag}-{suite}-{run}.pem"
            subprocess.run([str(BIN / "credcat"), "keygen", "northbridge-college", "--out",
                            str(key_file)], cwd=project, check=True, capture_output=True)
            credential = _first_active(project, "northbridge-college")
            seconds, _memory, _resident = run_measured(
                [str(BIN / "credcat"), "issue", credential, "--key", str(key_file), "--roster",
                 str(roster), "--out-dir", str(work / f"out-{tag}-{suite}-{run}"),
                 "--cryptosuite", suite, *([] if certificates else ["--no-certificates"])],
                cwd=project)
            ours.append(count / seconds)
            signing_key = SigningKey.generate()
            messages = [os.urandom(64) for _ in range(count)]
            base.append(_rate(count, lambda sk=signing_key, ms=messages: [sk.sign(m)
                                                                           for m in ms]))
            shutil.rmtree(work / f"out-{tag}-{suite}-{run}")
            shutil.rmtree(project)
        rows.append(Row("issue", f"credentials issued per second, {count:,}-row roster, "
                        f"{what}, {suite}", Stats(ours), "/s", Stats(base), "PyNaCl `sign`", 0,
                        key=f"issue{'-certificates' if certificates else ''}.{suite}.{count}"))
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

# Searches on a French page of a bilingual catalog: words of its French texts, and the same
# filters as browse.DEFAULT_QUERIES' third query.
FRENCH_QUERIES = (
    {"q": "données"},
    {"q": "compétences pratiques"},
    {"q": "pratique", "level": "eqf-5", "participation": "online", "currency": "EUR",
     "cost_max": "500"},
)


def bench_languages(size: int, runs: int, work: Path) -> Results:
    """Issue 17: what a second language costs. The same generated catalog (same seed) built
    in English only and in English and French, then the example catalog (bilingual), and the
    bytes to a first search result on the English and the French search pages."""
    from site_builder.catalog.demo import write_demo_catalog

    results = Results()
    english, bilingual = work / f"lang-en-{size}", work / f"lang-en-fr-{size}"
    write_demo_catalog(size, english)
    write_demo_catalog(size, bilingual, languages=("en", "fr"))
    times: dict[Path, list[float]] = {english: [], bilingual: []}
    memory: dict[Path, list[float]] = {english: [], bilingual: []}
    for _ in range(runs):
        for project in (english, bilingual):
            seconds, peak, _resident = run_measured([str(BIN / "credcat"), "build", "-f",
                                                     str(project / "mkdocs.yml"), "-d",
                                                     str(work / f"out-{project.name}")])
            times[project].append(seconds)
            memory[project].append(peak)
    sites = {project: site_size(work / f"out-{project.name}") for project in times}
    one = f"English only, {size:,} credentials"
    results.rows += [
        Row("languages", f"`credcat build`, English and French, {size:,} credentials",
            Stats(times[bilingual]), "s", Stats(times[english]), one,
            key=f"languages.time.{size}"),
        Row("languages", f"peak memory (process tree), English and French, {size:,} "
            "credentials", Stats(memory[bilingual]), "MiB", Stats(memory[english]), one, 0,
            key=f"languages.memory.{size}"),
        Row("languages", f"site size, English and French, {size:,} credentials",
            Stats([sites[bilingual].bytes / 1e6]), "MB", Stats([sites[english].bytes / 1e6]),
            one, 1, key=f"languages.bytes.{size}"),
        Row("languages", f"files, English and French, {size:,} credentials",
            Stats([sites[bilingual].files]), "", Stats([sites[english].files]), one, 0,
            key=f"languages.files.{size}"),
    ]
    example = _copy_project(work / "lang-example")
    example_times = []
    for _ in range(runs):
        seconds, _peak, _resident = run_measured([str(BIN / "credcat"), "build", "-f",
                                       str(example / "mkdocs.yml"), "-d",
                                       str(work / "out-lang-example")])
        example_times.append(seconds)
    example_site = site_size(work / "out-lang-example")
    results.rows += [
        Row("languages", "`credcat build`, the example catalog (English and French)",
            Stats(example_times), "s", key="languages.time.example"),
        Row("languages", "site size, the example catalog (English and French)",
            Stats([example_site.bytes / 1e6]), "MB", digits=1, key="languages.bytes.example"),
        Row("languages", "files, the example catalog (English and French)",
            Stats([example_site.files]), "", digits=0, key="languages.files.example"),
    ]
    for project, label in ((english, "English only"), (bilingual, "English and French")):
        results.rows += bench_search(work / f"out-{project.name}", size, runs, "languages",
                                     label=f"{label}, English page")
    results.rows += bench_search(work / f"out-{bilingual.name}", size, runs, "languages",
                                 label="English and French, French page", language="fr")
    return results


def bench_browser(runs: int, work: Path, search_size: int) -> list[Row]:
    """Cold-load bytes and click-to-verdict time; bytes for the first results of searches."""
    from playwright.sync_api import sync_playwright

    from bench import verify_page
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
                            "gzip, page HTML and CSS excluded", Stats(sent), "KiB", digits=1,
                            key=f"verify-page.bytes.{suite}"))
            rows.append(Row("browser", f"click to verdict, {suite}, cold",
                            Stats([m["cold"]["ms"] for m in measured]), "ms", digits=0,
                            key=f"verify-page.ms.{suite}"))
        browser.close()
    if (work / "out-ours").is_dir():
        rows += bench_search(work / "out-ours", search_size, runs, "browser")
    return rows


def bench_search(site: Path, size: int, runs: int, stage: str, label: str = "",
                 language: str = "") -> list[Row]:
    """Bytes a cold browser fetches until the first results of each of bench/browse.py's
    queries show (the search work owns the queries and the measurement); with `language`,
    on that language's search page, with queries in its words."""
    from playwright.sync_api import sync_playwright

    from bench import browse
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, SiteServer

    rows: list[Row] = []
    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        queries = FRENCH_QUERIES if language == "fr" else browse.DEFAULT_QUERIES
        for number, params in enumerate(queries):
            query = "&".join(f"{k}={v}" for k, v in params.items())
            try:
                sizes = [browse.first_results_bytes(server, browser, params,
                                                    language=language)[0] / 1024
                         for _ in range(runs)]
            except AssertionError:  # a small catalog may have nothing for this query
                print(f"bench: no results for {query}; skipped", file=sys.stderr)
                continue
            where = f", {label}" if label else ""
            rows.append(Row(stage, f"bytes for the first results of `{query}`, {size:,} "
                            f"credentials{where}", Stats(sizes), "KiB", digits=0,
                            key=f"search.{size}.{number}" + (f".{label}" if label else "")))
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


@dataclass(frozen=True)
class RunInfo:
    """Where and how a report was measured, written at its top."""

    date: str
    commit: str
    machine: str
    command: str
    description: str

    @property
    def measured(self) -> str:
        return f"{self.date}, `{self.commit}`"


@dataclass(frozen=True)
class Target:
    """A row of issue 16's table: which figure, what it must reach."""

    figure: str
    key: str  # a row's key; with measure "worst", the prefix of several rows' keys
    measure: str  # "median", "ratio" (of the medians) or "worst" (the highest median)
    limit: float
    unit: str = ""
    digits: int = 2
    at_most: bool = True


TARGETS = [
    Target("`credcat build` ÷ `mkdocs build` of as many plain pages, 1,000", "build.time.1000",
           "ratio", 1.25),
    Target("`credcat build` ÷ `mkdocs build` of as many plain pages, 10,000",
           "build.time.10000", "ratio", 1.25),
    Target("Peak memory at 10,000, ours ÷ plain", "build.memory.10000", "ratio", 1.3),
    Target("Rebuild after one credential file changes under `credcat serve`, 1,000",
           "rebuild.1000", "median", 1, "s"),
    Target("Rebuild after one credential file changes under `credcat serve`, 10,000",
           "rebuild.10000", "median", 3, "s"),
    Target("Site footprint per credential, 10,000: bytes", "footprint.bytes.10000", "median",
           12, "KiB", 1),
    Target("Site footprint per credential, 10,000: files", "footprint.files.10000", "median",
           2.2),
    Target("100,000 credentials: build time on 2 cores", "scale.time.100000", "median", 300,
           "s", 0),
    Target("100,000 credentials: peak memory (process tree)", "scale.memory.100000", "median",
           2048, "MiB", 0),
    Target("100,000 credentials: site size", "site.bytes.100000", "median", 1000, "MB", 0),
    Target("100,000 credentials: files and folders", "site.entries.100000", "median", 200_000,
           digits=0),
    Target("Search, bytes to first results at 10,000 (worst query, filters included)",
           "search.10000.", "worst", 100, "KiB", 0),
    Target("Search, bytes to first results at 100,000 (worst query, filters included)",
           "search.100000.", "worst", 300, "KiB", 0),
    Target("Python verify, eddsa-rdfc-2022, one core, ÷ raw PyNaCl verify",
           "verify.eddsa-rdfc-2022", "ratio", 0.05, digits=3, at_most=False),
    Target("Issue, eddsa-rdfc-2022, 10,000-row roster", "issue.eddsa-rdfc-2022.10000",
           "median", 1000, "/s", 0, at_most=False),
    Target("`/verify/`, eddsa-jcs-2022, cold: bytes", "verify-page.bytes.eddsa-jcs-2022",
           "median", 20, "KiB", 1),
    Target("`/verify/`, eddsa-jcs-2022, cold: click to verdict",
           "verify-page.ms.eddsa-jcs-2022", "median", 50, "ms", 0),
]


def site_rows(sites: list[Site]) -> list[Row]:
    """Rows from the measured sites: size, files, and the footprint per credential (the whole
    site divided by its credentials, fixed pages included, as issue 16 counts it)."""
    rows = []
    for entry in sorted(sites, key=lambda s: s.size):
        size, site = entry.size, entry.site
        rows += [
            Row(entry.stage, f"site size, {size:,} credentials", Stats([site.bytes / 10**6]),
                "MB", digits=1, key=f"site.bytes.{size}", measured=entry.measured),
            Row(entry.stage, f"files, {size:,} credentials", Stats([site.files]), "",
                digits=0, key=f"site.files.{size}", measured=entry.measured),
            Row(entry.stage, f"files and folders, {size:,} credentials", Stats([site.entries]),
                "", digits=0, key=f"site.entries.{size}", measured=entry.measured),
            Row(entry.stage, f"footprint per credential, {size:,} credentials",
                Stats([site.bytes / size / 1024]), "KiB", digits=1,
                key=f"footprint.bytes.{size}", measured=entry.measured),
            Row(entry.stage, f"files per credential, {size:,} credentials",
                Stats([site.files / size]), "", key=f"footprint.files.{size}",
                measured=entry.measured),
        ]
    return rows


def target_lines(rows: list[Row]) -> list[str]:
    lines = ["| Figure (issue 16) | Measured | Target | Met |", "| --- | --- | --- | --- |"]
    by_key = {row.key: row for row in rows if row.key}
    for target in TARGETS:
        value, shown, carried = _target_value(target, by_key, rows)
        bound = "at most" if target.at_most else "at least"
        limit = f"{bound} {target.limit:,.{target.digits}f} {target.unit}".rstrip()
        if value is None:
            lines.append(f"| {target.figure} | not measured in this report | {limit} | |")
            continue
        met = value <= target.limit if target.at_most else value >= target.limit
        lines.append(f"| {target.figure} | {shown}{carried} | {limit} | "
                     f"{'yes' if met else '**no**'} |")
    return lines


def _target_value(target: Target, by_key: dict[str, Row],
                  rows: list[Row]) -> tuple[float | None, str, str]:
    """The figure a target is judged on, how it is shown, and when it was measured if it
    was kept from an earlier run."""
    if target.measure == "worst":
        found = [row for row in rows if row.key.startswith(target.key)]
        if not found:
            return None, "", ""
        worst = max(found, key=lambda row: row.ours.median)
        shown = (f"{worst.ours.median:,.{target.digits}f} {target.unit} (worst of "
                 f"{len(found)} queries)")
        return worst.ours.median, shown, _carried(worst)
    row = by_key.get(target.key)
    if row is None:
        return None, "", ""
    if target.measure == "ratio":
        value = row.ratio_value
        if value is None or row.baseline is None:
            return None, "", ""
        shown = (f"{value:.{target.digits}f} ({row.ours.median:,.{row.digits}f} ÷ "
                 f"{row.baseline.median:,.{row.digits}f} {row.unit})")
        return value, shown, _carried(row)
    shown = f"{row.ours.median:,.{target.digits}f} {target.unit}".rstrip()
    if row.baseline is not None:
        shown += (f" ({row.baseline_name}: {row.baseline.median:,.{row.digits}f} "
                  f"{row.unit})")
    return row.ours.median, shown, _carried(row)


def _carried(row: Row) -> str:
    return f" (measured {row.measured})" if row.measured else ""


def report(results: Results, info: RunInfo, limits: host_limits.HostLimits) -> str:
    rows = results.rows + site_rows(results.sites)
    rows.sort(key=lambda r: STAGES.index(r.stage))
    sites: dict[int, SiteSize | None] = {size: None for size in FIT_SIZES}
    sites.update({entry.size: entry.site for entry in results.sites})
    lines = [
        "# Benchmarks", "",
        "Every figure is the median of the runs, with the minimum and maximum in brackets, "
        "measured beside its baseline in the same run on a shared machine; the ratio "
        "(credcat ÷ baseline) is the figure to compare between runs. For rates (per second) "
        "a ratio below 1 means credcat is slower than the raw operation it builds on. "
        "KiB and MiB are 1,024 and 1,048,576 bytes; KB, MB and GB, as the hosts state their "
        "limits, 1,000, 10^6 and 10^9 bytes. A figure marked with a date and commit was kept "
        "from an earlier run of that stage (`python bench/run.py --only STAGE`). Peak memory "
        "is of the whole process tree, sampled every 0.1 s: the proportional set size (PSS, "
        "from /proc/PID/smaps_rollup) summed over the processes, which counts a page the "
        "build's forked workers share with it once; the resident sizes summed (RSS), which "
        "count such a page once per process, are given beside it. Figures before 2026-12-07 "
        "19:00 UTC summed RSS alone.", "",
        f"- Date: {info.date}",
        f"- Commit: `{info.commit}`",
        f"- Machine: {info.machine}",
        f"- Command: `{info.command}` ({info.description})", "",
        "## Targets (issue 16)", "",
        *target_lines(rows), "",
        "## Does it fit?", "",
        "The built site against the limits of the static hosts catalogs deploy to; the "
        f"{FIT_SIZES[-1]:,}-credential row comes from `python bench/run.py --only scale`.", "",
        *host_limits.fit_table(sites, limits), "",
        "## Every figure", "",
        "| Stage | Figure | credcat | Baseline | Ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        baseline = (f"{row.baseline.text(row.unit, row.digits)} — {row.baseline_name}"
                    if row.baseline else "")
        lines.append(f"| {row.stage} | {row.figure}{_carried(row)} | "
                     f"{row.ours.text(row.unit, row.digits)} | {baseline} | {row.ratio} |")
    if results.profiles:
        lines += ["", "## Where the time goes", "",
                  "cProfile of the slowest remaining stage of each pipeline (top functions "
                  "by cumulative time).", ""]
        for name, text in results.profiles.items():
            lines += [f"### {name}", "", "```text", text.rstrip(), "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- the record of the last run, so a run of some stages keeps the others' figures ------------

def record_path(out: Path) -> Path:
    return ROOT / "bench" / "results" / f"{out.stem}.json"


def save_record(path: Path, results: Results, info: RunInfo) -> None:
    data = {
        "rows": [asdict(row) | {"measured": row.measured or info.measured}
                 for row in results.rows],
        "sites": [asdict(site) | {"measured": site.measured or info.measured}
                  for site in results.sites],
        "profiles": results.profiles,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def load_record(path: Path, keep: set[str]) -> Results:
    """The figures of the stages in `keep` from the last run's record (none if there is
    none, or if it is unreadable: a report is never blocked by an old record)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = [Row.from_json(row) for row in data["rows"] if row["stage"] in keep]
        sites = [Site(site["stage"], site["size"], SiteSize(**site["site"]), site["measured"])
                 for site in data["sites"] if site["stage"] in keep]
        profiles = data["profiles"] if "profile" in keep else {}
    except (OSError, ValueError, KeyError, TypeError):
        return Results()
    return Results(rows, sites, profiles)


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


def _rebuild_profile(catalog: Path, site: Path) -> str:
    """What `credcat serve` spends on a catalog edit (`site/incremental.py`), after the first
    build it makes, in this process as the development server makes it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from site_builder.site import incremental

    url = "http://127.0.0.1:8000/"
    config = load_config(str(catalog / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    config.site_url = url
    build(config, serve_url=url)
    plugin = config.plugins["credcat"]
    served = plugin.served  # type: ignore[attr-defined]
    credential = sorted((catalog / "catalog" / "credentials").glob("*.yaml"))[0]
    credential.write_text("\n".join("name: Renamed for the profile" if line.startswith("name:")
                                    else line for line in
                                    credential.read_text(encoding="utf-8").splitlines()) + "\n",
                          encoding="utf-8")
    done: list[bool] = []
    text = profile(lambda: done.append(incremental.rebuild(plugin, served)))  # type: ignore[arg-type]
    if done != [True]:
        raise RuntimeError("the catalog edit was not rebuilt in place")
    return text


def profiles_for(work: Path, size: int) -> dict[str, str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from site_builder.catalog.demo import write_demo_catalog

    catalog = work / "profile-catalog"
    write_demo_catalog(size, catalog)
    documents, published, _key = _signed_corpus(50, "eddsa-rdfc-2022", work)
    return {
        f"Build ({size:,} credentials)": profile(lambda: build(load_config(
            str(catalog / "mkdocs.yml"), site_dir=str(work / "profile-out")))),
        f"Rebuild after one credential's name changes, under serve ({size:,} credentials)":
            _rebuild_profile(catalog, work / "profile-served"),
        "Verify (eddsa-rdfc-2022, 50 credentials)": profile(
            lambda: [verify_document(d, published) for d in documents]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for development")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5; 3 with --quick)")
    parser.add_argument("--only", nargs="*", choices=STAGES,
                        help=f"stages to run (default: {' '.join(DEFAULT_STAGES)}); the "
                        "others keep their figures from the last report written to --out")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--sizes", type=int, nargs="*", help="catalog sizes to build "
                        "(0 = the example catalog); default 1,000 and 10,000")
    parser.add_argument("--scale-size", type=int, default=FIT_SIZES[-1],
                        help="credentials in the scale build (default 100,000)")
    args = parser.parse_args(argv)
    argv = list(argv if argv is not None else sys.argv[1:])
    args.runs = args.runs or (3 if args.quick else 5)
    stages = set(args.only or DEFAULT_STAGES)
    sizes = args.sizes or ([200, 1_000] if args.quick else [1_000, 10_000])
    started = time.perf_counter()
    record = record_path(args.out)
    results = load_record(record, set(STAGES) - stages)
    fresh = Results()
    with tempfile.TemporaryDirectory(prefix="credcat-bench-") as tmp:
        work = Path(tmp)

        def add(more: Results | list[Row]) -> None:
            if isinstance(more, list):
                more = Results(rows=more)
            fresh.rows.extend(more.rows)
            fresh.sites.extend(more.sites)

        steps: list[tuple[str, Callable[[], Any]]] = [
            ("status", lambda: add(bench_status(args.runs, work))),
            ("verify", lambda: add(bench_verify(100 if args.quick else 300, args.runs,
                                                work))),
            # Learners' certificates cost about 0.1 s a row (their QR codes, 2026-12-07), so
            # they are measured on a short roster, apart from the target's credentials-only run.
            ("issue", lambda: add(bench_issue(100 if args.quick else 10_000, args.runs, work,
                                              certificates=False)
                                  + bench_issue(20 if args.quick else 200, args.runs, work,
                                                certificates=True))),
            ("build", lambda: add(bench_build(sizes, args.runs, work))),
            ("rebuild", lambda: add(bench_rebuilds(sizes, args.runs, work, args.quick))),
            # Two builds a side at 10,000 (about a minute each) keep the stage near 8 minutes;
            # one at 200 with --quick, which must stay under 3 minutes in all.
            ("languages", lambda: add(bench_languages(200 if args.quick else 10_000,
                                                      1 if args.quick else min(args.runs, 2),
                                                      work))),
            ("browser", lambda: add(bench_browser(args.runs, work, sizes[-1]))),
            ("scale", lambda: add(bench_scale(args.scale_size, work))),
            ("profile", lambda: fresh.profiles.update(profiles_for(work, sizes[0]))),
        ]
        for name, step in steps:
            if name in stages:
                print(f"bench: {name}…", file=sys.stderr, flush=True)
                step()
    minutes = (time.perf_counter() - started) / 60
    info = RunInfo(
        date=f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", commit=commit(), machine=machine(),
        command=" ".join(["python", "bench/run.py", *argv]),
        description=f"{'quick' if args.quick else 'full'} run of "
                    f"{', '.join(s for s in STAGES if s in stages)}; {args.runs} runs per "
                    f"figure (one for scale); {minutes:.1f} minutes in all")
    # A figure measured now replaces the record's (the rebuild rows were once in "build").
    measured = {row.key for row in fresh.rows if row.key}
    results.rows = [row for row in results.rows if row.key not in measured] + fresh.rows
    results.sites += fresh.sites
    results.profiles.update(fresh.profiles)
    text = report(results, info, host_limits.load())
    save_record(record, results, info)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
