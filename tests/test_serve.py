"""`credcat serve` rebuilds when a catalog file changes (MkDocs 1.6.1 loses live reload with
click newer than 8.2.1, hence the pin in pyproject.toml; docs/standards.md, "MkDocs")."""

from __future__ import annotations

import gc
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from site_builder.site import incremental
from site_builder.site.page_cache import PageCache
from site_builder.site.plugin import CredcatPlugin
from tests.conftest import run_credcat

# Runs `credcat serve` and waits for a rebuild: `make test-quick` leaves it out.
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, ready: Callable[[str], bool], timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8", "replace")
                if ready(last):
                    return last
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never became ready; last body: {last[:500]}")


def _wait_for_log(log: Path, text: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = log.read_text(encoding="utf-8", errors="replace")
        if text in found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never logged; log: {found[-2000:]}")


def test_serve_rebuilds_after_a_catalog_edit(project: Path, tmp_path: Path) -> None:
    port = _free_port()
    # A credential whose name is one plain string (bilingual entries write a mapping).
    credential = next(path for path in sorted((project / "catalog" / "credentials").glob("*.yaml"))
                      if re.search(r"^name: \S", path.read_text(encoding="utf-8"), re.M))
    url = f"http://127.0.0.1:{port}/credentials/{credential.stem}/"
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as stderr:
        server = subprocess.Popen([sys.executable, "-m", "site_builder.cli", "serve", "-a",
                                   f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.DEVNULL,
                                  stderr=stderr, text=True)
    try:
        first = _wait_for(url, lambda body: "<h1" in body)
        assert "Renamed by the live-reload test" not in first
        lines = credential.read_text(encoding="utf-8").splitlines()

        def rename(name: str) -> None:
            credential.write_text("\n".join(f"name: {name}" if line.startswith("name:")
                                            else line for line in lines) + "\n",
                                  encoding="utf-8")

        rename("Renamed by the live-reload test")
        _wait_for(url, lambda body: "Renamed by the live-reload test" in body)
        # Rebuilt in place, not by MkDocs' full rebuild, and browsers told to reload.
        _wait_for_log(log, "without a full rebuild")
        _wait_for_log(log, "Reloading browsers")
        # The served page carries MkDocs' live-reload script, so browsers refresh by themselves.
        assert "livereload" in _wait_for(url, lambda body: True)
        # A broken file is reported as a full build reports it (MkDocs then holds pages
        # back until the catalog is fixed), and the next edit is built again.
        credential.write_text(credential.read_text(encoding="utf-8").replace(
            "\nname: ", "\nname: [unclosed ", 1), encoding="utf-8")
        shown = _wait_for_log(log, "An error happened during the rebuild")
        assert f"{credential.relative_to(project).as_posix()}:2:" in shown
        assert "the catalog has errors" in shown and "Traceback" not in shown
        rename("Fixed after the error")
        _wait_for(url, lambda body: "Fixed after the error" in body)
    finally:
        server.terminate()
        server.wait(30)


# -- catalog edits rebuilt without MkDocs' full rebuild (site/incremental.py) ------------------

SERVE_URL = "http://127.0.0.1:8000/"
# A fixed build date (MkDocs reads SOURCE_DATE_EPOCH): the footer and the feed show it.
BUILD_DATE = "1780000000"


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _serve_config(project: Path, site: Path) -> MkDocsConfig:
    """The configuration `mkdocs serve` loads for each full build."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.site_url = SERVE_URL
    return config


def _serve_build(project: Path, site: Path) -> CredcatPlugin:
    """The first build `credcat serve` makes, in this process, as `mkdocs serve` makes it."""
    config = _serve_config(project, site)
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=SERVE_URL)
    plugin = config.plugins["credcat"]
    assert isinstance(plugin, CredcatPlugin) and plugin.served is not None
    return plugin


def _clean_build(project: Path, out: Path) -> dict[str, bytes]:
    """`credcat build` of the same inputs with no page cache, in its own process."""
    cache = project / ".cache" / "credcat"
    kept = cache.with_name("kept")
    cache.rename(kept)
    try:
        done = run_credcat("build", "-d", out, cwd=project, env={"SOURCE_DATE_EPOCH": BUILD_DATE})
        assert done.returncode == 0, done.stderr
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        kept.rename(cache)
    return _files(out)


EDITS: list[tuple[str, str, str, str]] = [
    # (what, file, text, replacement)
    ("a credential's name", "catalog/credentials/career-conversations-foundations.yaml",
     "\nname: ", "\nname: Revised "),
    # A search filter: the credential leaves one value's list and joins another's.
    ("a credential's participation", "catalog/credentials/career-conversations-foundations.yaml",
     "\nparticipation: blended", "\nparticipation: online"),
    ("a translation only", "catalog/credentials/job-search-coaching.yaml",
     "fr: Accompagnement", "fr: Coaching et accompagnement"),
    ("a translated name", "catalog/credentials/ai-literacy-for-the-workplace.yaml",
     "  fr: Littératie en IA au travail\n", "  fr: Littératie en IA au travail (révisé)\n"),
    # Occupations are written in the credentials that lead toward them.
    ("an occupation", "catalog/credentials/career-services-evaluation.yaml",
     "    title: Social and Community Service Managers\n",
     "    title: Social and Community Service Managers\n"
     "    alternate_titles:\n      - Community Programme Managers\n"),
    ("an issuer", "catalog/issuers/northbridge-college.yaml", "\nname: ", "\nname: The "),
    ("a pathway", "catalog/pathways/data-analyst.yaml", "\nname: ", "\nname: Junior "),
    ("a skill", "catalog/skills.yaml", "    name: ", "    name: Applied "),
    ("the exchange rates", "catalog/exchange-rates.yaml", "USD: 1.15", "USD: 1.17"),
    ("a public key's record", "public_keys/northbridge-college/vectors-key.yaml",
     "created: '2026-01-01T00:00:00Z'", "created: '2026-01-02T00:00:00Z'"),
]


@pytest.mark.parametrize("what, name, old, new", EDITS, ids=[edit[0] for edit in EDITS])
def test_a_catalog_edit_is_rebuilt_in_place_as_a_clean_build_writes_it(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        what: str, name: str, old: str, new: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    # The clean build must publish the addresses the development server's build uses.
    _replace(project / "mkdocs.yml", "site_url: https://credentials.example.org/",
             f"site_url: {SERVE_URL}")
    site = tmp_path / "served"
    plugin = _serve_build(project, site)
    assert plugin.served is not None
    before = _files(site)
    _replace(project / name, old, new)
    assert incremental.rebuild(plugin, plugin.served), what
    after = _files(site)
    clean = _clean_build(project, tmp_path / "clean")
    assert sorted(after) == sorted(clean), what
    assert [n for n in clean if after[n] != clean[n]] == [], f"after {what}: differs"
    if what != "a translation only":  # shown nowhere until the site has pages in French
        assert [n for n in clean if before[n] != clean[n]], f"{what} changed nothing"
    if what == "a translated name":
        assert "Littératie en IA au travail (révisé)" in after[
            "fr/credentials/ai-literacy-for-the-workplace/index.html"].decode()
    if what == "an occupation":
        assert "Community Programme Managers" in after[
            "occupations/11-9151.00/index.html"].decode()


def test_two_edits_in_a_row_are_rebuilt_in_place_as_a_clean_build_writes_them(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the rebuilds keep between edits (the loader's files, each entry's exports and
    search words) is checked again after the second edit, and restored by the third."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    _replace(project / "mkdocs.yml", "site_url: https://credentials.example.org/",
             f"site_url: {SERVE_URL}")
    site = tmp_path / "served"
    plugin = _serve_build(project, site)
    assert plugin.served is not None
    credential = project / "catalog" / "credentials" / "career-conversations-foundations.yaml"
    original = credential.read_text(encoding="utf-8")
    _replace(credential, "\nname: ", "\nname: Revised ")
    assert incremental.rebuild(plugin, plugin.served)
    issuer = project / "catalog" / "issuers" / "northbridge-college.yaml"
    _replace(issuer, "\nname: ", "\nname: The ")
    assert incremental.rebuild(plugin, plugin.served)
    after = _files(site)
    clean = _clean_build(project, tmp_path / "clean")
    assert sorted(after) == sorted(clean)
    assert [n for n in clean if after[n] != clean[n]] == []
    credential.write_text(original, encoding="utf-8")  # back as it was: kept values again
    assert incremental.rebuild(plugin, plugin.served)
    after = _files(site)
    clean = _clean_build(project, tmp_path / "clean-again")
    assert [n for n in clean if after[n] != clean[n]] == []


def test_a_rebuild_leaves_the_cache_index_and_the_collector_until_quiet(
        project: Path, tmp_path: Path) -> None:
    """The collector is off while rebuilds run (its passes over a fresh catalog took
    seconds at 10,000 credentials) and the page cache's index is kept in memory; once no
    edit has followed for `incremental.QUIET` seconds, the index is saved and a full
    collection frees what the rebuild left (the catalog it replaced: its entries refer to
    each other, so only the collector frees them), with nothing else running to set one off,
    and the collector is on again."""
    plugin = _serve_build(project, tmp_path / "served")
    assert plugin.served is not None and gc.isenabled()
    credential = project / "catalog" / "credentials" / "career-conversations-foundations.yaml"
    _replace(credential, "\nname: ", "\nname: Revised ")
    assert incremental.rebuild(plugin, plugin.served)
    _replace(credential, "\nname: Revised ", "\nname: Revised again ")
    collections: list[tuple[int, int]] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collections.append((info["generation"], info["collected"]))

    gc.callbacks.append(note)
    try:
        assert incremental.rebuild(plugin, plugin.served)
        during = list(collections)
        assert PageCache(project).entries != plugin.served.cache.entries
        time.sleep(incremental.QUIET + 2)
    finally:
        gc.callbacks.remove(note)
    assert during == [], "the collector ran during the rebuild"
    assert [c for c in collections if c[0] == 2 and c[1] > 0], (
        f"no full collection freed anything once quiet: {collections}")
    assert gc.isenabled()
    assert PageCache(project).entries == plugin.served.cache.entries


@pytest.mark.parametrize("what", ["a removal", "an addition"])
def test_an_entry_added_or_removed_is_left_to_the_full_build_which_equals_a_clean_build(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    """Pages appearing or disappearing are left to MkDocs' full rebuild (hand-written pages
    may link to them): the in-place rebuild writes nothing, and the full rebuild `serve`
    runs next, with the same plugin and what it kept, writes what a clean build writes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DATE)
    _replace(project / "mkdocs.yml", "site_url: https://credentials.example.org/",
             f"site_url: {SERVE_URL}")
    site = tmp_path / "served"
    plugin = _serve_build(project, site)
    assert plugin.served is not None
    before = _files(site)
    folder = project / "catalog" / "credentials"
    unnamed = folder / "online-career-information-services.yaml"  # no other file names it
    if what == "a removal":
        unnamed.unlink()
        gone, new = "credentials/online-career-information-services/index.html", None
    else:
        copy = folder / "online-career-information-services-2.yaml"
        copy.write_text(unnamed.read_text(encoding="utf-8").replace(
            "\nname: ", "\nname: Second ", 1), encoding="utf-8")
        gone, new = None, "credentials/online-career-information-services-2/index.html"
    assert not incremental.rebuild(plugin, plugin.served)
    assert _files(site) == before
    config = _serve_config(project, site)
    build(config, serve_url=SERVE_URL)
    # MkDocs keeps the plugin across serve's builds: what it kept was used, then renewed.
    assert config.plugins["credcat"] is plugin and plugin.served is not None
    after = _files(site)
    clean = _clean_build(project, tmp_path / "clean")
    assert sorted(after) == sorted(clean)
    assert [n for n in clean if after[n] != clean[n]] == []
    assert (gone is None or gone not in after) and (new is None or new in after)


def test_an_edit_outside_the_catalog_or_a_broken_catalog_is_left_to_the_full_build(
        project: Path, tmp_path: Path) -> None:
    site = tmp_path / "served"
    plugin = _serve_build(project, site)
    assert plugin.served is not None
    before = _files(site)
    credential = project / "catalog" / "credentials" / "career-conversations-foundations.yaml"
    text = credential.read_text(encoding="utf-8")
    credential.write_text(text.replace("\nname: ", "\nname: [unclosed ", 1), encoding="utf-8")
    assert not incremental.rebuild(plugin, plugin.served)
    credential.write_text(text, encoding="utf-8")
    _replace(project / "docs" / "about.md", "\n", "\nA new line.\n")
    assert not incremental.rebuild(plugin, plugin.served)
    # Neither wrote anything: the site is still the last build's.
    assert _files(site) == before
