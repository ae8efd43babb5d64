"""Hostile input and bad luck: nothing runs, nothing leaks, nothing is lost (issue 11).

Two halves. The corpus under `tests/hostile/cases/<kind>/<case>/` is data: each case folder
holds `expected.yaml` (the command, its exit code, a message fragment and the `path:line` it
must name) and the files the case lays over a copy of `tests/fixtures/minimal`; one
parametrised test runs every case through the real CLI. The tests below the corpus cover what
data cannot describe: processes running at once, a full disk, a killed build, Chromium.
"""

from __future__ import annotations

import base64
import csv
import fcntl
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from site_builder.credentials import keys, status_list

from .browser import WatchedPage
from .browser_thread import (
    BrowserThread,
    browser_thread_fixture,
    on_browser_thread,
    watched_page_fixture,
)
from .conftest import Run, run_credcat
from .test_serve import _free_port, _wait_for

# Chromium on a thread of this module's own (tests/browser_thread.py says why): the shared
# session `chromium` fixture, re-exported here too, collided with test_verify_page's.
browser_thread = pytest.fixture(scope="module")(browser_thread_fixture)
watched_page = pytest.fixture(watched_page_fixture)

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"

# Every case runs the real CLI in a subprocess (a second or more each, 66 cases): the corpus
# runs in `make test`, not in the `make test-quick` edit loop.
pytestmark = pytest.mark.slow
ISSUER, CREDENTIAL = "acme-college", "intro-data"


@pytest.fixture
def keyed(tmp_path: Path) -> tuple[Path, Path]:
    """The small fixture catalog with a published key for ISSUER: (project, private key).

    The small catalog keeps each of the many processes these tests start quick to load.
    """
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    private = tmp_path / "secrets" / "acme.pem"
    made = run_credcat("keygen", ISSUER, "--key-id", "test-key", "--out", private, cwd=project)
    assert made.returncode == 0, made.stderr
    return project, private


def _popen(*args: str | Path, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "site_builder.cli", *map(str, args)],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _all(processes: list[subprocess.Popen[str]]) -> list[Run]:
    done = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        done.append(Run(process.returncode, out, err))
    return done


def _roster(path: Path, names: list[str]) -> Path:
    path.write_text("name,email\n" + "".join(f"{n},{n.lower()}@example.org\n" for n in names),
                    encoding="utf-8")
    return path


def _index(document: dict[str, Any]) -> int:
    entry = document["credentialStatus"]  # one object (OB 3.0); older credentials: a list
    return int((entry[0] if isinstance(entry, list) else entry)["statusListIndex"])


def _documents(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


# -- the corpus ------------------------------------------------------------------------------
CASES = Path(__file__).parent / "hostile" / "cases"


def corpus() -> list[Path]:
    """Every case folder (one `expected.yaml` each), named kind/case."""
    return sorted(p.parent for p in CASES.glob("*/*/expected.yaml"))


def _placeholders(project: Path, tmp_path: Path, case: dict[str, Any]) -> dict[str, str]:
    """Values a case refers to as {name}: a fresh published key in its several encodings."""
    values = {"project": str(project), "roster": str(tmp_path / "roster.csv"),
              "out": str(tmp_path / "out"), "tmp": str(tmp_path)}
    if case.get("keygen"):
        private = tmp_path / "secrets" / "acme.pem"
        made = run_credcat("keygen", ISSUER, "--key-id", "test-key", "--out", private,
                           cwd=project)
        assert made.returncode == 0, made.stderr
        pem = private.read_text()
        seed = keys.decode_private_key(pem)
        values.update(key=str(private), pem_json=json.dumps(pem)[1:-1],
                      pem_body=pem.splitlines()[1], seed_hex=bytes(seed).hex(),
                      seed_base64url=base64.urlsafe_b64encode(bytes(seed)).decode().rstrip("="))
    return values


def _fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        for name, text in values.items():
            value = value.replace("{" + name + "}", text)
        return value
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


def prepare_case(folder: Path, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A copy of the small fixture with the case's changes applied; returns it and the case."""
    case = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    case = _fill(case, _placeholders(project, tmp_path, case))
    if case.get("issue"):
        assert run_credcat("issue", CREDENTIAL, "--key", case["issue"], "--name", "Ana",
                           "--email", "ana@example.org", "-o", tmp_path / "ana.json",
                           cwd=project).returncode == 0
    for name, mode in case.get("chmod", {}).items():
        (project / name).chmod(mode)
    if (folder / "files").is_dir():
        shutil.copytree(folder / "files", project, dirs_exist_ok=True)
    for edit in case.get("edit", []):
        path = project / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["old"]) == 1, f"{edit['file']} must hold {edit['old']!r} once"
        path.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8")
    for name, text in case.get("write", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    for name, spec in case.get("write_repeated", {}).items():
        (project / name).write_text(spec["text"] * spec["times"], encoding="utf-8")
    for name, size in case.get("truncate", {}).items():
        os.truncate(project / name, size)
    for name, target in case.get("symlink", {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).unlink(missing_ok=True)  # a case may replace a file with a symlink
        (project / name).symlink_to(target)
    for name in case.get("fifo", []):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(project / name)
    if "roster" in case:
        (tmp_path / "roster.csv").write_text(case["roster"], encoding="utf-8", newline="")
    return project, case


@pytest.mark.parametrize("folder", corpus(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_hostile_case(folder: Path, tmp_path: Path) -> None:
    """One case of the corpus: the exact exit code, message and `path:line`, no traceback,
    and nothing published when the case says so."""
    project, case = prepare_case(folder, tmp_path)
    result = run_credcat(*case["command"], cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode == case["exit"], output
    assert "Traceback" not in output
    for fragment in case.get("output", []):
        assert fragment in output, f"{fragment!r} not in:\n{output}"
    if "where" in case:
        assert case["where"] in output, f"{case['where']!r} not in:\n{output}"
    site = project / "site"
    if case.get("site") == "absent":
        assert not site.exists(), "a failed build must publish nothing"
    for text in case.get("site_excludes", []):
        hits = [p for p in site.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]
        assert not hits, f"{text!r} published in {hits}"
    for text in case.get("site_includes", []):
        assert any(text.encode() in p.read_bytes() for p in site.rglob("*.html")), text
    if case.get("links_safe"):
        unsafe = {p.relative_to(site).as_posix(): found for p in site.rglob("*.html")
                  if (found := unsafe_links(p.read_text(encoding="utf-8")))}
        assert not unsafe, unsafe
    if case.get("out") == "absent":
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


class _Links(HTMLParser):
    """Every href and src value as a browser reads it (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.values += [v or "" for k, v in attrs if k in ("href", "src")]


def unsafe_links(page: str) -> list[str]:
    """Links whose scheme is not http, https or mailto, read per the WHATWG URL Standard:
    ASCII tab and newline removed anywhere, leading C0 controls and spaces stripped."""
    parser = _Links()
    parser.feed(page)
    found = []
    for value in parser.values:
        cleaned = value.translate({9: None, 10: None, 13: None}).lstrip(
            "".join(chr(c) for c in range(0x21)))
        scheme = cleaned.split(":", 1)[0] if ":" in cleaned else ""
        if scheme and not any(c in scheme for c in "/?#") and scheme.lower() not in (
                "http", "https", "mailto"):
            found.append(value)
    return found


def test_corpus_covers_every_kind() -> None:
    """The corpus holds cases of every kind this issue names, so an empty folder fails."""
    kinds = {p.parent.name for p in corpus()}
    assert kinds >= {"svg", "markdown", "outside", "special-files", "key-leak", "yaml-limits",
                     "numbers", "control-characters", "records", "key-permissions"}


# -- nothing is lost: concurrent status changes and issuing runs --------------------------------
@pytest.mark.slow
def test_eight_simultaneous_revokes_twenty_times_lose_no_bit(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    """Without a lock, four revokes at once lost 1 revocation in 60 and all exited 0."""
    project, private = keyed
    rounds, width = 20, 8
    roster = _roster(tmp_path / "roster.csv", [f"L{i:03d}" for i in range(rounds * width)])
    out = tmp_path / "issued"
    issued = run_credcat("issue", CREDENTIAL, "--key", private, "--roster",
                         roster, "--out-dir", out, "--cryptosuite", "eddsa-jcs-2022",
                         cwd=project)
    assert issued.returncode == 0, issued.stderr
    documents = _documents(out)
    assert len(documents) == rounds * width
    revoked: set[int] = set()
    status = status_list.IssuerStatus(project, None, ISSUER)  # type: ignore[arg-type]
    for number in range(rounds):
        batch = documents[number * width:(number + 1) * width]
        results = _all([_popen("revoke", d["id"], "--key", private, "--reason",
                               f"round {number}", cwd=project) for d in batch])
        assert [r.returncode for r in results] == [0] * width, [r.stderr for r in results]
        revoked |= {_index(d) for d in batch}
        bits = status.bits("revocation")
        for document in documents:
            assert status_list.bit(bits, _index(document)) == (_index(document) in revoked)
    assert sum(bin(b).count("1") for b in status.bits("revocation")) == rounds * width
    with (project / "status" / ISSUER / "changes.csv").open(newline="") as handle:
        logged = [int(row["index"]) for row in csv.DictReader(handle)]
    assert sorted(logged) == sorted(revoked)
    assert run_credcat("check", cwd=project).returncode == 0


def test_two_simultaneous_roster_runs_share_no_index(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    """Two roster runs at once shared 18 status indexes and both exited 0."""
    project, private = keyed
    credential = CREDENTIAL
    runs = []
    for name in ("a", "b"):
        roster = _roster(tmp_path / f"{name}.csv", [f"{name.upper()}{i:03d}" for i in range(40)])
        runs.append(_popen("issue", credential, "--key", private, "--roster", roster,
                           "--out-dir", tmp_path / name, "--cryptosuite", "eddsa-jcs-2022",
                           cwd=project))
    results = _all(runs)
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    indexes = [_index(d) for name in ("a", "b") for d in _documents(tmp_path / name)]
    assert len(indexes) == 80 and len(set(indexes)) == 80
    records = status_list.IssuerStatus(project, None, ISSUER).allocations()  # type: ignore[arg-type]
    assert sorted(r.index for r in records) == sorted(indexes)
    ids = {d["id"] for name in ("a", "b") for d in _documents(tmp_path / name)}
    assert {r.credential for r in records} == ids
    assert run_credcat("check", cwd=project).returncode == 0


def test_revoke_waits_for_the_issuers_status_lock(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    """A revoke must not read the list while another command holds `status/<issuer>/.lock`
    (a flock, taken here as a second command would); it goes on once the lock is released."""
    project, private = keyed
    issued = run_credcat("issue", CREDENTIAL, "--key", private, "--name", "Ana", "--email",
                         "ana@example.org", "-o", tmp_path / "ana.json", cwd=project)
    assert issued.returncode == 0, issued.stderr
    index = _index(json.loads((tmp_path / "ana.json").read_text()))
    status = status_list.IssuerStatus(project, None, ISSUER)  # type: ignore[arg-type]
    with (project / "status" / ISSUER / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        revoke = _popen("revoke", tmp_path / "ana.json", "--key", private, cwd=project)
        with pytest.raises(subprocess.TimeoutExpired):
            revoke.wait(30)
        assert not status_list.bit(status.bits("revocation"), index)
        fcntl.flock(handle, fcntl.LOCK_UN)
    assert revoke.wait(600) == 0
    assert status_list.bit(status.bits("revocation"), index)


def test_concurrent_status_changes_on_separate_threads_keep_every_bit(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    """The lock is an open-file lock, so it also orders callers inside one process."""
    project, private = keyed
    roster = _roster(tmp_path / "roster.csv", [f"T{i:02d}" for i in range(16)])
    assert run_credcat("issue", CREDENTIAL, "--key", private, "--roster",
                       roster, "--out-dir", tmp_path / "t", "--cryptosuite", "eddsa-jcs-2022",
                       "--suspendable", cwd=project).returncode == 0
    documents = _documents(tmp_path / "t")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda d: run_credcat("suspend", d["id"], "--key", private,
                                                      cwd=project), documents))
    assert [r.returncode for r in results] == [0] * 16
    bits = status_list.IssuerStatus(project, None, ISSUER).bits("suspension")  # type: ignore[arg-type]
    assert all(status_list.bit(bits, _index(d)) for d in documents)


def _records(project: Path) -> list[status_list.Allocation]:
    return status_list.IssuerStatus(project, None, ISSUER).allocations()  # type: ignore[arg-type]


def _no_file_over(size: int) -> None:
    """In the child: any file growing past `size` bytes fails to write (EFBIG), as on a full
    disk; the signal that would kill the process instead is ignored."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_a_failed_write_records_no_allocation_for_unwritten_credentials(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    """A full disk during `issue` recorded allocations for credentials never written, with a
    traceback. Credential files are a few KB, status files under 2 KB."""
    project, private = keyed
    roster = _roster(tmp_path / "roster.csv", ["Ana", "Bo", "Cy"])
    before = _records(project) if (project / "status").exists() else []
    done = subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "issue", CREDENTIAL, "--key", str(private),
         "--roster", str(roster), "--out-dir", str(tmp_path / "out"), "--cryptosuite",
         "eddsa-jcs-2022"], cwd=project, capture_output=True, text=True,
        preexec_fn=lambda: _no_file_over(2500), timeout=600)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "0 of 3 were written" in done.stderr
    assert not list((tmp_path / "out").glob("*.json"))
    assert _records(project) == before
    assert run_credcat("check", cwd=project).returncode == 0


def test_a_roster_run_again_issues_only_learners_not_yet_issued(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    """Re-running a roster after a kill re-issued everyone: those written before the kill
    then held two credentials. The files already written (and recorded) tell who was."""
    project, private = keyed
    out = tmp_path / "out"
    args = ("issue", CREDENTIAL, "--key", private, "--out-dir", out, "--cryptosuite",
            "eddsa-jcs-2022")
    first = run_credcat(*args, "--roster", _roster(tmp_path / "a.csv", ["Ana", "Bo"]),
                        cwd=project)
    assert first.returncode == 0, first.stderr
    (out / "manifest.csv").unlink()  # as after a kill: files written, no manifest yet
    again = run_credcat(*args, "--roster", _roster(tmp_path / "b.csv", ["Ana", "Bo", "Cy"]),
                        cwd=project)
    assert again.returncode == 0, again.stderr
    assert "2 learner(s) already hold this credential" in again.stderr
    documents = _documents(out)
    assert len(documents) == 3
    assert len(_records(project)) == 3
    with (out / "manifest.csv").open(newline="") as handle:
        assert sorted(row["learner"] for row in csv.DictReader(handle)) == ["Ana", "Bo", "Cy"]


# -- the site swap: never missing, no leftovers, no orphans, world-readable -------------------
def test_a_build_restores_a_site_left_aside_and_removes_stale_folders(tmp_path: Path) -> None:
    """A crash between moving site/ aside and moving the new one in left no site/, and
    `.site-build-*` folders of killed builds were never removed."""
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    aside = project / ".site-old-999999999"
    aside.mkdir()
    (aside / "index.html").write_text("old site")
    stale = project / ".site-build-999999999-abc"
    stale.mkdir()
    (project / "catalog" / "credentials" / "broken.yaml").write_text("name: [\n")
    failed = run_credcat("build", cwd=project)
    assert failed.returncode == 1
    assert (project / "site" / "index.html").read_text() == "old site"
    assert not aside.exists() and not stale.exists()
    (project / "catalog" / "credentials" / "broken.yaml").unlink()
    built = run_credcat("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert stat.S_IMODE((project / "site").stat().st_mode) == 0o755
    assert stat.S_IMODE((project / "site" / "index.html").stat().st_mode) == 0o644
    # Nothing left of the build's staging folders; the page cache (ignored by Git) stays.
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == [".cache"]


@pytest.mark.slow
def test_a_killed_build_leaves_the_old_site(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    assert run_credcat("build", cwd=project).returncode == 0
    old = (project / "site" / "index.html").read_bytes()
    build = _popen("build", cwd=project)
    deadline = time.monotonic() + 300
    written: list[Path] = []
    while time.monotonic() < deadline and build.poll() is None and not written:
        written = [p for p in project.glob(".site-build-*/*") if p.is_file()]
        time.sleep(0.01)
    assert written, "the build ended before it wrote a page; nothing was tested"
    build.kill()
    build.wait(30)
    assert (project / "site" / "index.html").read_bytes() == old
    assert run_credcat("build", cwd=project).returncode == 0
    assert not list(project.glob(".site-*"))


# -- nothing runs: credcat serve keeps its CSP; hostile links do nothing in Chromium ----------
HOSTILE_LINKS = ("[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](&#106;avascript:alert(3))"
                 " [d](<java\tscript:alert(4)>) [e](vbscript:msgbox(5))"
                 " [f](data:text/html,<script>alert(6)</script>) [g][r]"
                 " ![h](javascript:alert(8))\n\n[r]: javascript:alert(7)\n")


@on_browser_thread
def test_serve_keeps_the_csp_and_hostile_links_run_nothing(
        browser_thread: BrowserThread, watched_page: WatchedPage, tmp_path: Path) -> None:
    """`credcat serve` dropped the CSP, so a click on a `javascript:` link ran the script.
    Now every served page keeps it, with only the injected live-reload script allowed."""
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    source = project / "catalog" / "credentials" / f"{CREDENTIAL}.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "description: A short online course on reading everyday data.",
        "description: " + json.dumps(HOSTILE_LINKS)), encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/credentials/{CREDENTIAL}/"
    server = subprocess.Popen([sys.executable, "-m", "site_builder.cli", "serve", "-a",
                               f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        body = _wait_for(url, lambda text: "<h1" in text)
        assert "Content-Security-Policy" in body and "sha256-" in body
        page = watched_page.page
        page.goto(url)
        links = page.locator(".prose a, .prose img")
        assert links.count() == 8
        for index in range(links.count()):
            links.nth(index).click(force=True, no_wait_after=True)
        page.wait_for_timeout(500)
        assert page.url == url
        assert watched_page.dialogs == []
        assert watched_page.errors == []
        assert watched_page.csp_violations() == []  # the live-reload script was allowed
        assert any("/livereload/" in r for r in watched_page.requests), "live reload never ran"
        injected = page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.__ran = true'; document.body.append(s);
            return window.__ran === true; }""")
        assert injected is False, "an inline script not hashed by serve must stay blocked"
    finally:
        server.terminate()
        server.wait(30)
