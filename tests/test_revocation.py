"""Revocation, suspension and key rotation through the real CLI and rebuilt sites."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from site_builder import dates
from site_builder.credentials import status_list
from site_builder.credentials.proofs import ProofError

from .conftest import ISSUER, active_credential, run_credcat

# Each test issues and revokes through the real CLI in subprocesses: `make test`, not the
# `make test-quick` loop.
pytestmark = pytest.mark.slow


def verdicts(project: Path, files: list[Path], site: Path | None = None) -> list[str]:
    extra = ["--site", str(site)] if site else []
    result = run_credcat("verify", "--json", *extra, *files, cwd=project)
    return [r["verdict"] for r in json.loads(result.stdout)]


def checks(project: Path, file: Path) -> dict[str, str]:
    result = run_credcat("verify", "--json", file, cwd=project)
    return {c["id"]: c["status"] for c in json.loads(result.stdout)[0]["checks"]}


@pytest.fixture
def issued(keyed: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    """Three credentials of one issuer, all in the same status lists."""
    project, private = keyed
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nAna,ana@example.org\nBo,bo@example.org\nCy,cy@example.org\n")
    out = tmp_path / "issued"
    result = run_credcat("issue", active_credential(project), "--key", private, "--roster",
                         roster, "--out-dir", out, "--cryptosuite", "eddsa-jcs-2022",
                         "--suspendable", cwd=project)
    assert result.returncode == 0, result.stderr
    return project, private, sorted(out.glob("*.json"))


def _index(file: Path) -> int:
    document: dict[str, Any] = json.loads(file.read_text())
    return int(document["credentialStatus"][0]["statusListIndex"])


def test_issuing_allocates_distinct_random_indexes_and_records_them(
        issued: tuple[Path, Path, list[Path]]) -> None:
    project, _key, files = issued
    indexes = [_index(f) for f in files]
    assert len(set(indexes)) == 3
    records = status_list.IssuerStatus(project, None, ISSUER).allocations()  # type: ignore[arg-type]
    assert {r.index for r in records} >= set(indexes)
    assert {r.credential for r in records} >= {json.loads(f.read_text())["id"] for f in files}


@pytest.mark.slow
def test_revoking_changes_only_that_credentials_verdict_in_a_rebuilt_site(
        issued: tuple[Path, Path, list[Path]]) -> None:
    project, private, files = issued
    site = project / "site"
    assert run_credcat("build", cwd=project).returncode == 0
    assert verdicts(project, files, site) == ["verified"] * 3
    result = run_credcat("revoke", files[1], "--key", private, "--reason", "plagiarism",
                         cwd=project)
    assert result.returncode == 0, result.stderr
    assert run_credcat("build", cwd=project).returncode == 0
    assert verdicts(project, files, site) == ["verified", "not-verified", "verified"]
    assert checks(project, files[1])["status"] == "fail"
    changes = (project / "status" / ISSUER / "changes.csv").read_text()
    assert "revoke" in changes and "plagiarism" in changes
    assert run_credcat("check", cwd=project).returncode == 0


def test_suspend_and_reinstate_by_credential_id(issued: tuple[Path, Path, list[Path]]) -> None:
    project, private, files = issued
    credential_id = json.loads(files[0].read_text())["id"]
    assert run_credcat("suspend", credential_id, "--key", private, cwd=project).returncode == 0
    assert checks(project, files[0])["status"] == "fail"
    assert verdicts(project, files[1:]) == ["verified", "verified"]
    assert run_credcat("reinstate", credential_id, "--key", private,
                       cwd=project).returncode == 0
    assert checks(project, files[0])["status"] == "pass"


def test_a_revoked_credential_cannot_be_reinstated(issued: tuple[Path, Path, list[Path]]) -> None:
    project, private, files = issued
    assert run_credcat("revoke", files[0], "--key", private, cwd=project).returncode == 0
    result = run_credcat("reinstate", files[0], "--key", private, cwd=project)
    assert result.returncode == 1 and "final" in result.stderr
    assert checks(project, files[0])["status"] == "fail"


@pytest.mark.slow
def test_unreachable_or_tampered_list_is_unknown_never_pass(
        issued: tuple[Path, Path, list[Path]]) -> None:
    project, _key, files = issued
    lists = project / "status" / ISSUER
    saved = (lists / "revocation.json").read_text()
    (lists / "revocation.json").unlink()
    assert checks(project, files[0])["status"] == "unknown"
    tampered = json.loads(saved)
    tampered["validFrom"] = "2020-01-01T00:00:00Z"
    (lists / "revocation.json").write_text(json.dumps(tampered))
    assert checks(project, files[0])["status"] == "unknown"
    check = run_credcat("check", cwd=project)
    assert check.returncode == 1 and "would not verify" in check.stdout


def test_lists_carry_a_proof_set_whose_jcs_proof_is_the_one_checked(
        issued: tuple[Path, Path, list[Path]]) -> None:
    """VC Data Integrity proof sets: rdfc for verifiers that know only it, jcs for the page."""
    project, _key, files = issued
    path = project / "status" / ISSUER / "revocation.json"
    written = json.loads(path.read_text())
    proof_set = written["proof"]
    assert [p["cryptosuite"] for p in proof_set] == ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
    assert len({p["verificationMethod"] for p in proof_set}) == 1
    assert checks(project, files[0])["status"] == "pass"
    rdfc, jcs = proof_set
    # The jcs proof decides: a wrong one is "could not check", however good the rdfc one is.
    path.write_text(json.dumps({**written, "proof": [rdfc, {**jcs,
                                                             "proofValue": rdfc["proofValue"]}]}))
    assert checks(project, files[0])["status"] == "unknown"
    # A set this catalog does not write (one suite twice) is refused too.
    path.write_text(json.dumps({**written, "proof": [jcs, jcs]}))
    assert checks(project, files[0])["status"] == "unknown"
    # Either proof alone is a list signed with one suite, as before proof sets.
    for single in (rdfc, jcs):
        path.write_text(json.dumps({**written, "proof": single}))
        assert checks(project, files[0])["status"] == "pass"


@pytest.mark.parametrize("proof_set", [
    [{"cryptosuite": ["eddsa-jcs-2022"]}, {"cryptosuite": {}}],
    [{"cryptosuite": "eddsa-jcs-2022", "verificationMethod": {}},
     {"cryptosuite": "eddsa-rdfc-2022", "verificationMethod": {}}],
    [{"cryptosuite": "eddsa-jcs-2022", "verificationMethod": "did:web:a#k"},
     {"cryptosuite": "eddsa-rdfc-2022", "verificationMethod": "did:web:a#other"}],
    [{"cryptosuite": "eddsa-jcs-2022", "verificationMethod": "did:web:a#k"},
     {"cryptosuite": "Ed25519Signature2020", "verificationMethod": "did:web:a#k"}],
    [1, 2],
])
def test_a_proof_set_not_of_the_rule_is_refused_without_a_traceback(
        proof_set: list[Any]) -> None:
    with pytest.raises(ProofError) as refused:
        status_list.checked_proof({"proof": proof_set})
    assert refused.value.reason == "several-proofs"


def test_check_detects_an_index_allocated_twice(issued: tuple[Path, Path, list[Path]]) -> None:
    project, _key, _files = issued
    folder = project / "status" / ISSUER / "allocations"
    original = sorted(folder.glob("*.csv"))[-1]
    lines = original.read_text().splitlines()
    clash = folder / "20991231T000000Z-other-machine.csv"
    clash.write_text(lines[0] + "\n" + lines[1].replace("urn:uuid:", "urn:uuid:0") + "\n")
    result = run_credcat("check", cwd=project)
    assert result.returncode == 1
    assert f"status/{ISSUER}/allocations/{clash.name}:2:1: status index" in result.stdout


@pytest.mark.slow
def test_rotation_keeps_old_credentials_valid_and_retires_the_old_key(
        issued: tuple[Path, Path, list[Path]], tmp_path: Path) -> None:
    project, old_key, files = issued
    new_key = tmp_path / "new.pem"
    result = run_credcat("keys", "rotate", ISSUER, "--key-id", "key-2026", "--out", new_key,
                         cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "public_keys" / ISSUER / "test-key.yaml").read_text()
    assert "state: retired" in text and "retired:" in text
    assert verdicts(project, files) == ["verified"] * 3
    refused = run_credcat("issue", active_credential(project), "--key", old_key, "--name", "D",
                          "--email", "d@example.org", "-o", tmp_path / "d.json", cwd=project)
    assert refused.returncode == 1 and "retired" in refused.stderr
    fresh = run_credcat("issue", active_credential(project), "--key", new_key, "--name", "D",
                        "--email", "d@example.org", "-o", tmp_path / "d.json", cwd=project)
    assert fresh.returncode == 0, fresh.stderr
    assert verdicts(project, [tmp_path / "d.json"]) == ["verified"]
    site = project / "site"
    assert run_credcat("build", cwd=project).returncode == 0
    keys_json = json.loads((site / "keys.json").read_text())
    states = {k["id"].rsplit("#")[-1]: k["state"] for k in keys_json["issuers"][ISSUER]["keys"]}
    assert states["test-key"] == "retired" and states["key-2026"] == "active"


@pytest.mark.slow
def test_revoking_a_key_keeps_recorded_credentials_and_refuses_forgeries(
        issued: tuple[Path, Path, list[Path]], tmp_path: Path) -> None:
    project, private, files = issued
    forged = tmp_path / "forged.json"
    shutil.copy(files[0], forged)
    status_dir = project / "status" / ISSUER / "allocations"
    # A thief signs with the stolen key: the credential exists nowhere in the records.
    result = run_credcat("issue", active_credential(project), "--key", private, "--name", "X",
                         "--email", "x@example.org", "-o", forged, cwd=project)
    assert result.returncode == 0
    newest = max(status_dir.glob("*.csv"), key=lambda p: p.stat().st_mtime)
    newest.unlink()
    # Seconds-precision timestamps: a little headroom so "issued before" is unambiguous.
    since = dates.xsd(dates.now() + timedelta(seconds=30))
    result = run_credcat("keys", "revoke", ISSUER, "test-key", "--reason", "laptop stolen",
                         "--since", since, cwd=project)
    assert result.returncode == 0, result.stderr
    assert verdicts(project, files) == ["verified"] * 3
    assert checks(project, forged)["key"] == "fail"
    assert run_credcat("keys", "revoke", ISSUER, "test-key", "--reason", "again",
                       cwd=project).returncode == 1


def test_check_refuses_inconsistent_key_states(keyed: tuple[Path, Path]) -> None:
    project, _key = keyed
    path = project / "public_keys" / ISSUER / "test-key.yaml"
    original = path.read_text()
    path.write_text(original.replace("state: active", "state: revoked\nrevoked: '2026-12-01'"))
    result = run_credcat("check", cwd=project)
    assert result.returncode == 1 and "revocation_reason" in result.stdout
    path.write_text(original.replace("state: active", "state: retired\nretired: '1999-01-01'"))
    result = run_credcat("check", cwd=project)
    assert result.returncode == 1 and "retired before it was created" in result.stdout


@pytest.mark.slow
def test_after_a_key_is_revoked_its_lists_can_be_resigned(
        issued: tuple[Path, Path, list[Path]], tmp_path: Path) -> None:
    project, old_key, files = issued
    new_key = tmp_path / "new.pem"
    assert run_credcat("keys", "rotate", ISSUER, "--out", new_key, cwd=project).returncode == 0
    # The example lists are signed with vectors-key: revoking it leaves them untrusted.
    result = run_credcat("keys", "revoke", ISSUER, "vectors-key", "--reason", "test",
                         cwd=project)
    assert result.returncode == 0 and "keys resign" in result.stderr
    assert checks(project, files[0])["status"] == "unknown"
    assert run_credcat("keys", "resign", ISSUER, "--key", old_key,
                       cwd=project).returncode == 1
    assert run_credcat("keys", "resign", ISSUER, "--key", new_key, cwd=project).returncode == 0
    assert checks(project, files[0])["status"] == "pass"
    early = run_credcat("keys", "revoke", ISSUER, "test-key", "--reason", "x", "--since",
                        "1999-01-01", cwd=project)
    assert early.returncode == 2 and "before the key was created" in early.stderr
