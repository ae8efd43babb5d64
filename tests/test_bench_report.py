"""The benchmark report and its "Does it fit?" table, from fixed figures (nothing timed)."""

from __future__ import annotations

import sys
from pathlib import Path

from bench import host_limits, run
from bench.host_limits import HostLimit, HostLimits, SiteSize

INFO = run.RunInfo(date="2026-12-07 14:00 UTC", commit="abc1234", machine="test machine",
                   command="python bench/run.py", description="full run")

# Limits written here as the hosts' pages state them, not read from host_limits.yaml.
LIMITS = HostLimits("2026-12-07", [
    HostLimit("GitHub Pages", "https://example.org/gh", "", max_bytes=10**9),
    HostLimit("GitLab Pages", "https://example.org/gl", "", max_bytes=10**9,
              max_entries=200_000),
    HostLimit("Cloudflare free", "https://example.org/cf", "", max_files=20_000,
              max_file_bytes=25 * 2**20),
])


def test_the_limits_file_holds_the_hosts_published_figures() -> None:
    limits = host_limits.load()
    by_name = {host.name: host for host in limits.hosts}
    assert by_name["GitHub Pages"].max_bytes == 1_000_000_000
    assert by_name["GitLab Pages (GitLab.com)"].max_entries == 200_000
    assert by_name["Cloudflare Pages, Free plan"].max_files == 20_000
    assert by_name["Cloudflare Pages, paid plans"].max_files == 100_000
    assert all(host.source.startswith("https://") and host.quote for host in limits.hosts)
    assert limits.read == "2026-12-07"


def test_a_site_over_every_limit_fits_nowhere() -> None:
    # The 100,000-credential site measured before issue 16: 3.8 GB in 614,863 files.
    site = SiteSize(bytes=3_800_000_000, files=614_863, entries=700_000, largest_file=1000)
    assert [host.excess(site) for host in LIMITS.hosts] == [
        ["site 3.80 GB > 1.00 GB"],
        ["site 3.80 GB > 1.00 GB", "files and folders 700,000 > 200,000"],
        ["files 614,863 > 20,000"],
    ]


def test_gitlab_counts_folders_and_cloudflare_each_files_size() -> None:
    site = SiteSize(bytes=900_000_000, files=19_000, entries=210_000,
                    largest_file=30 * 2**20, largest_path="catalog.json")
    github, gitlab, cloudflare = (host.excess(site) for host in LIMITS.hosts)
    assert github == []
    assert gitlab == ["files and folders 210,000 > 200,000"]
    assert cloudflare == ["largest file (catalog.json) 31.46 MB > 26.21 MB"]


def test_fit_table_rows() -> None:
    table = host_limits.fit_table({
        1_000: SiteSize(bytes=12_000_000, files=2_200, entries=2_500, largest_file=500_000),
        10_000: None,
    }, LIMITS)
    assert table[2] == ("| 1,000 | 12.00 MB | 2,200 (2,500) | 500.00 KB | yes | yes | yes |")
    assert table[3].startswith("| 10,000 | not measured in this report |")
    assert "Limits read on 2026-12-07" in "\n".join(table)
    assert "- GitLab Pages: site at most 1.00 GB, at most 200,000 files and folders " \
        "([source](https://example.org/gl))" in table


def _results() -> run.Results:
    return run.Results(
        rows=[
            run.Row("build", "build 1,000", run.Stats([5.55, 5.0, 6.0]), "s",
                    run.Stats([2.67, 2.5, 2.8]), "plain", key="build.time.1000"),
            run.Row("verify", "verify rdfc", run.Stats([1200.0]), "/s",
                    run.Stats([20_000.0]), "raw", 0, key="verify.eddsa-rdfc-2022"),
            run.Row("browser", "search q=data", run.Stats([90.0]), "KiB", digits=0,
                    key="search.10000.0"),
            run.Row("browser", "search filters", run.Stats([120.0]), "KiB", digits=0,
                    key="search.10000.2"),
            run.Row("scale", "scale build", run.Stats([290.0]), "s", key="scale.time.100000",
                    measured="2026-12-01 10:00 UTC, `0ld0000`"),
        ],
        sites=[run.Site("build", 10_000, SiteSize(bytes=100 * 2**20, files=22_000,
                                                  entries=23_000, largest_file=1_000_000))],
    )


def _target_row(text: str, figure: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| {figure} |"))


def test_report_judges_each_target() -> None:
    text = run.report(_results(), INFO, LIMITS)
    build = _target_row(text, "`credcat build` ÷ `mkdocs build` of as many plain pages, 1,000")
    assert build == ("| `credcat build` ÷ `mkdocs build` of as many plain pages, 1,000 | "
                     "2.08 (5.55 ÷ 2.67 s) | at most 1.25 | **no** |")
    verify = _target_row(text, "Python verify, eddsa-rdfc-2022, one core, ÷ raw PyNaCl verify")
    assert verify.endswith("| 0.060 (1,200 ÷ 20,000 /s) | at least 0.050 | yes |")
    search = _target_row(text, "Search, bytes to first results at 10,000 (worst query, "
                               "filters included)")
    assert "| 120 KiB (worst of 2 queries) | at most 100 KiB | **no** |" in search
    # 100 MiB over 10,000 credentials is 10.24 KiB each; 22,000 files are 2.2 each.
    footprint = _target_row(text, "Site footprint per credential, 10,000: bytes")
    assert footprint.endswith("| 10.2 KiB | at most 12.0 KiB | yes |")
    files = _target_row(text, "Site footprint per credential, 10,000: files")
    assert files.endswith("| 2.20 | at most 2.20 | yes |")
    scale = _target_row(text, "100,000 credentials: build time on 2 cores")
    assert "290 s (measured 2026-12-01 10:00 UTC, `0ld0000`) | at most 300 s | yes |" in scale
    rebuild = _target_row(text, "Rebuild after one credential file changes under "
                                "`credcat serve`, 10,000")
    assert "| not measured in this report |" in rebuild


def test_report_header_and_fit_table() -> None:
    text = run.report(_results(), INFO, LIMITS)
    for line in ("- Date: 2026-12-07 14:00 UTC", "- Commit: `abc1234`",
                 "- Machine: test machine", "- Command: `python bench/run.py` (full run)",
                 "## Does it fit?", "| 10,000 | 104.86 MB | 22,000 (23,000) | 1.00 MB | yes "
                 "| yes | no: files 22,000 > 20,000 |",
                 "| 100,000 | not measured in this report |  |  | | | |"):
        assert line in text.splitlines(), line


def test_a_partial_run_keeps_the_other_stages_from_the_record(tmp_path: Path) -> None:
    record = tmp_path / "benchmarks.json"
    run.save_record(record, _results(), INFO)
    kept = run.load_record(record, {"build", "scale"})
    assert [row.key for row in kept.rows] == ["build.time.1000", "scale.time.100000"]
    assert kept.rows[0].ours.values == [5.55, 5.0, 6.0]
    assert kept.rows[0].measured == "2026-12-07 14:00 UTC, `abc1234`"
    assert kept.rows[1].measured == "2026-12-01 10:00 UTC, `0ld0000`"
    assert kept.sites[0].site.files == 22_000
    assert run.load_record(tmp_path / "missing.json", {"build"}).rows == []


def test_peak_memory_counts_the_whole_process_tree() -> None:
    # A parent and the child it starts each hold 80 MiB at the same time: the tree's peak is
    # about 160 MiB, where the kernel's peak of the largest process alone says about 90.
    hold = "b = bytearray(80 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1.5)"
    child = f"import time; {hold}"
    parent = (f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', "
              f"{child!r}]); {hold}; p.wait()")
    measured = run.run_measured([sys.executable, "-c", parent])
    assert measured.memory > 150 and measured.resident > 150, measured


def test_peak_memory_counts_pages_a_forked_child_shares_once() -> None:
    # A parent touches 100 MiB, then forks a child that only waits: the pages are shared
    # (copy-on-write), so the tree occupies about 100 MiB, while RSS summed says about 200.
    program = ("import os, time; b = bytearray(100 * 2**20); b[::4096] = b'x' * "
               "len(b[::4096]); pid = os.fork(); time.sleep(1.5); "
               "os._exit(0) if pid == 0 else os.waitpid(pid, 0)")
    measured = run.run_measured([sys.executable, "-c", program])
    assert 100 < measured.memory < 150 < measured.resident, measured


def test_the_plain_baseline_builds_with_the_theme(tmp_path: Path) -> None:
    """The baseline site builds with the real MkDocs and the credcat theme, without the
    plugin: `make bench` would otherwise fail half an hour in."""
    import subprocess

    run.write_plain_site(tmp_path / "plain", 3)
    subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-f",
                    str(tmp_path / "plain" / "mkdocs.yml"), "-d", str(tmp_path / "out")],
                   check=True)
    page = (tmp_path / "out" / "pages" / "page-2" / "index.html").read_text(encoding="utf-8")
    assert "Page 2" in page and 'lang="en"' in page and "Skip to main content" in page
