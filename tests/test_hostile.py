"""Hostile input and bad luck: nothing runs, nothing leaks, nothing is lost (issue 11).

Two halves. The corpus under `tests/hostile/cases/<kind>/<case>/` is data: each case folder
holds `expected.yaml` (the command, its exit code, a message fragment and the `path:line` it
must name) and the files the case lays over a copy of `tests/fixtures/minimal`; one
parametrised test runs every case through the real CLI. The tests below the corpus cover what
data cannot describe: processes running at once, a full disk, a killed build, Chromium.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from site_builder.credentials import status_list

from .conftest import Run, run_credcat

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
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
    return int(document["credentialStatus"][0]["statusListIndex"])


def _documents(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


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


def test_concurrent_status_changes_on_separate_threads_keep_every_bit(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    """The lock is an open-file lock, so it also orders callers inside one process."""
    project, private = keyed
    roster = _roster(tmp_path / "roster.csv", [f"T{i:02d}" for i in range(16)])
    assert run_credcat("issue", CREDENTIAL, "--key", private, "--roster",
                       roster, "--out-dir", tmp_path / "t", "--cryptosuite", "eddsa-jcs-2022",
                       cwd=project).returncode == 0
    documents = _documents(tmp_path / "t")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda d: run_credcat("suspend", d["id"], "--key", private,
                                                      cwd=project), documents))
    assert [r.returncode for r in results] == [0] * 16
    bits = status_list.IssuerStatus(project, None, ISSUER).bits("suspension")  # type: ignore[arg-type]
    assert all(status_list.bit(bits, _index(d)) for d in documents)
