"""What makes a long roster fast changes nothing in what it issues.

A roster signed by forked workers gives the credentials one process gives: what must differ
between two runs (credential ids, salts, dates, status indexes, proof values) is checked for
what it must be, then set aside; everything else must match byte for byte. The shortcuts taken
per row (a credential's shared parts written once, the LinkedIn link quoted run by run) give
exactly the text of the plain way.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import os
import random
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import nacl.exceptions
import nacl.signing
import pytest

from site_builder import dates, files
from site_builder.credentials import issuing, keys, proofs, sharing, status_list
from site_builder.credentials.achievement import Wording
from site_builder.credentials.did import PublishedCatalog
from site_builder.credentials.verify import verify_document
from site_builder.publishing.project import Project

from .conftest import ISSUER, active_credential, run_credcat

Signed = tuple[int, dict[str, Any]]  # the process that signed a credential, and the credential


def _learners(count: int) -> list[issuing.Learner]:
    return [issuing.Learner(f"Learner {n}", f"learner{n}@example.org") for n in range(count)]


def _set_aside(document: dict[str, Any], learner: issuing.Learner, index: int) -> str:
    """The credential's text with what differs from run to run checked, then blanked."""
    document = copy.deepcopy(document)
    assert document.pop("id").startswith("urn:uuid:")
    for name in ("validFrom", "awardedDate", "validUntil"):
        if name in document:
            assert dates.is_xsd_datetime(document.pop(name))
    email, name = document["credentialSubject"]["identifier"]
    assert name["identityHash"] == learner.name  # each credential is its own learner's
    assert email.pop("identityHash") == issuing.identity_hash(learner.email, email.pop("salt"))
    status = document.pop("credentialStatus")
    listed, entry = status.pop("statusListIndex"), status.pop("id")
    assert listed == str(index) and entry == f"{status['statusListCredential']}#{index}"
    proof = document["proof"][0]
    assert dates.is_xsd_datetime(proof.pop("created"))
    assert len(proofs.parse_proof(document).signature) == 64
    proof.pop("proofValue")
    return issuing.credential_json(document) + issuing.credential_json(status)


def _pyld_signature_holds(document: dict[str, Any], public_key: bytes) -> bool:
    """The signature checked over canonical N-Quads made by pyld alone (no template path)."""
    def canonical(value: dict[str, Any], what: str) -> bytes:
        return proofs._canonical_nquads(proofs._to_dataset(value, what)).encode("utf-8")

    proof = document["proof"][0]
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"} | {
        "@context": unsecured["@context"]}
    data = (hashlib.sha256(canonical(config, "proof")).digest()
            + hashlib.sha256(canonical(unsecured, "credential")).digest())
    try:
        nacl.signing.VerifyKey(public_key).verify(data, proofs.parse_proof(document).signature)
    except nacl.exceptions.BadSignatureError:
        return False
    return True


@pytest.mark.parametrize("suite", proofs.CRYPTOSUITES)
def test_pooled_run_signs_what_one_process_signs(keyed: tuple[Path, Path], suite: str) -> None:
    project_dir, private = keyed
    project = Project.from_config(project_dir / "mkdocs.yml")
    catalog = project.require()
    key = keys.load_signing_key(private)
    learners = _learners(2 * issuing.CHUNK + 17)

    def signed_by(workers: int) -> list[Signed]:
        run = issuing.prepare(catalog, project.site, project.root, active_credential(project_dir),
                              key, suite)
        return run.issue_all(learners, lambda _learner, document: (os.getpid(), document),
                             workers=workers)

    single, pooled = signed_by(1), signed_by(2)
    assert {pid for pid, _ in single} == {os.getpid()}
    assert {pid for pid, _ in pooled[:issuing.WARM_UP]} == {os.getpid()}
    workers = {pid for pid, _ in pooled[issuing.WARM_UP:]}
    assert workers and os.getpid() not in workers  # (one may be scheduled before the other)
    records = status_list.IssuerStatus(project.root, project.site, ISSUER).allocations()
    index = {record.credential: record.index for record in records}
    assert len(set(index.values())) == len(index) == 2 * len(learners)
    for learner, (_, one), (_, many) in zip(learners, single, pooled, strict=True):
        assert _set_aside(many, learner, index[many["id"]]) == _set_aside(
            one, learner, index[one["id"]])
    published = PublishedCatalog.from_catalog(project.site, catalog, project.root)
    for _, document in single + pooled:
        assert verify_document(document, published).verdict == "verified", document["id"]
    if suite == proofs.RDFC:
        public = key.verify_key.encode()
        assert all(_pyld_signature_holds(document, public) for _, document in pooled[::23])
        tampered = copy.deepcopy(pooled[-1][1])
        tampered["credentialSubject"]["identifier"][1]["identityHash"] = "Someone Else"
        assert not _pyld_signature_holds(tampered, public)


def test_long_roster_through_the_cli_writes_every_file_in_roster_order_and_verifies(
        project: Path, tmp_path: Path) -> None:
    """Past `PARALLEL_FROM` rows `credcat issue` forks (on 2 cores or more); its files, manifest
    (in roster order) and records are those of any run; each baked badge carries its own
    credential."""
    credential, issuer = "data-analysis-professional-certificate", "brightpath-digital"  # PNG
    private = tmp_path / "secrets" / "brightpath.pem"
    assert run_credcat("keygen", issuer, "--out", private, cwd=project).returncode == 0
    count = issuing.PARALLEL_FROM + issuing.CHUNK
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\n" + "".join(f"{learner.name},{learner.email}\n"
                                               for learner in _learners(count)))
    out = tmp_path / "out"
    result = run_credcat("issue", credential, "--key", private, "--roster", roster,
                         "--out-dir", out, "--no-certificates", "--bake", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    with (out / "manifest.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["learner"] for row in rows] == [learner.name for learner in _learners(count)]
    documents = [json.loads((out / row["file"]).read_text()) for row in rows]
    assert [d["id"] for d in documents] == [row["credential_id"] for row in rows]
    assert [issuing.learner_name(d) for d in documents] == [row["learner"] for row in rows]
    records = status_list.IssuerStatus(project, None, issuer).allocations()  # type: ignore[arg-type]
    assert sorted(r.credential for r in records) == sorted(d["id"] for d in documents)
    badges = sorted(path for path in out.iterdir() if path.suffix in (".png", ".svg"))
    assert len(badges) == count
    verified = run_credcat("verify", *sorted(out.glob("*.json")), *badges, "--json",
                           cwd=project)
    assert verified.returncode == 0, verified.stdout[-2000:] + verified.stderr
    reports = json.loads(verified.stdout)
    assert [r["verdict"] for r in reports] == ["verified"] * (2 * count)
    by_file = {Path(r["file"]).name: r["credential"]["id"] for r in reports}
    for path in badges:
        assert by_file[path.name] == by_file[path.with_suffix(".json").name]


HOSTILE_NAMES = ["Ana Silva", 'Jo "JJ" O\'Neil\\', "Zoë Ünal 漢字 💡", "a\u2028b\u00a0c",
                 "<b>&amp;</b>", "credcat-issuer-0123", "=cmd()"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_shared_parts_written_once_give_the_plain_text(language: str) -> None:
    """Every active credential of the example catalog, in each language, for unusual names:
    `IssuingRun.credential_json` writes what `json.dumps(indent=2)` writes, and falls back to
    it for a credential whose issuer or achievement is not the run's (changed, or reordered)."""
    project = Project.from_config(Path(__file__).resolve().parents[1] / "mkdocs.yml")
    catalog = project.require()
    checked = 0
    for credential in catalog.credentials.values():
        parts = issuing.awarded(project.site, credential, Wording(language))
        text = issuing.CredentialText(parts)
        for name in HOSTILE_NAMES:
            document = issuing.build_credential(project.site, credential,
                                                issuing.Learner(name, "a@example.org"),
                                                dates.now(), parts=parts)
            document = copy.deepcopy(document) | {"proof": [{"type": "DataIntegrityProof"}]}
            assert text(document) == issuing.credential_json(document)
            checked += 1
        changed = copy.deepcopy(document)
        changed["credentialSubject"]["achievement"]["name"] += " (changed)"
        reordered = copy.deepcopy(document)
        reordered["issuer"] = dict(reversed(reordered["issuer"].items()))
        moved = {k: v for k, v in document.items() if k != "issuer"} | {
            "issuer": document["issuer"]}
        for other in (changed, reordered, moved):
            assert text(other) == issuing.credential_json(other)
        assert text(reordered) != text(document)
    assert checked >= 10 * len(HOSTILE_NAMES)


def test_linkedin_quoting_run_by_run_is_quote_plus() -> None:
    rng = random.Random(16)
    alphabet = "aZ09_.~- /:#=&+%?é漢💡\n\x00\u2028"
    samples = ["", " ", "https://credentials.example.org/verify/#vc=H4sIAAAA-_x",
               *("".join(rng.choice(alphabet) for _ in range(rng.randrange(16)))
                 for _ in range(5000)),
               *("".join(rng.choice(alphabet) for _ in range(rng.randrange(200, 400)))
                 for _ in range(500))]
    for sample in samples:
        assert sharing._quote_plus(sample) == quote_plus(sample), sample


def test_a_write_failing_while_signing_a_long_roster_issues_nothing_and_leaves_nothing(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    """A full disk met while the rows are written under temporary names (here: any file over
    2,500 bytes fails, as in test_hostile.py) ends the run before anything is recorded, without
    a traceback, and whatever was written is removed."""
    project, private = keyed
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\n" + "".join(
        f"{learner.name},{learner.email}\n" for learner in _learners(issuing.PARALLEL_FROM)))
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "site_builder.cli", "issue", active_credential(project), "--key",
         str(private), "--roster", str(roster), "--out-dir", str(out), "--no-certificates"],
        cwd=project, capture_output=True, text=True, timeout=600,
        preexec_fn=lambda: _no_file_over(2500))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"0 of {issuing.PARALLEL_FROM} were written" in done.stderr
    assert list(out.iterdir()) == []
    assert not (project / "status" / ISSUER / "allocations").exists() or not list(
        (project / "status" / ISSUER / "allocations").iterdir())


def _no_file_over(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_a_failure_in_a_worker_reaches_the_run_and_records_nothing(
        keyed: tuple[Path, Path]) -> None:
    project_dir, private = keyed
    project = Project.from_config(project_dir / "mkdocs.yml")
    catalog = project.require()
    run = issuing.prepare(catalog, project.site, project.root, active_credential(project_dir),
                          keys.load_signing_key(private), proofs.RDFC)
    parent = os.getpid()

    def render(learner: issuing.Learner, document: dict[str, Any]) -> str:
        if os.getpid() != parent and learner.name.endswith("7"):
            raise OSError(28, "No space left on device")
        return document["id"]

    with pytest.raises(issuing.IssueError, match=r"No space left on device.*0 of 80 were written"):
        run.issue_all(_learners(80), render, lambda _learner, _id: None, workers=2)
    assert status_list.IssuerStatus(project.root, project.site, ISSUER).allocations() == []


def test_staged_files_appear_only_when_published_and_the_rest_is_discarded(
        tmp_path: Path) -> None:
    folder = tmp_path / "out"
    (folder / "kept").mkdir(parents=True)
    (folder / "theirs.json").write_text("another run's")
    staging = files.Staging(folder)
    published = staging.write("a.json", b"a")
    dropped = staging.write("b.json", b"b")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["kept", "theirs.json", published, dropped])
    staging.publish(published, "a.json")
    staging.discard()
    assert sorted(p.name for p in folder.iterdir()) == ["a.json", "kept", "theirs.json"]
    assert (folder / "a.json").read_bytes() == b"a"
    new = files.Staging(tmp_path / "made" / "by the first file")
    new.publish(new.write("c.json", b"c"), "c.json")
    assert (tmp_path / "made" / "by the first file" / "c.json").read_bytes() == b"c"
