"""Keys, issuing and `credcat verify`, end to end through the real CLI."""

from __future__ import annotations

import copy
import csv
import json
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from nacl.signing import SigningKey

from site_builder import dates, multikey
from site_builder.credentials import keys
from site_builder.credentials.did import PublishedCatalog
from site_builder.credentials.verify import CHECKS, verify_bytes, verify_document
from site_builder.publishing.project import Project

from .browser import SiteServer
from .conftest import ISSUER, REPO, active_credential, run_credcat

VECTORS = REPO / "tests" / "vectors"
EXPECTED = json.loads((VECTORS / "expected.json").read_text())
def test_keygen_writes_private_key_0600_and_publishes_public_half(keyed: tuple[Path, Path]
                                                                   ) -> None:
    project, private = keyed
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    pem = private.read_text()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    public = yaml.safe_load((project / "public_keys" / ISSUER / "test-key.yaml").read_text())
    assert public["state"] == "active"
    assert public["publicKeyMultibase"] == keys.public_multibase(keys.decode_private_key(pem))
    assert "PRIVATE" not in (project / "public_keys" / ISSUER / "test-key.yaml").read_text()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_private_key_is_standard_pkcs8_that_openssl_reads(keyed: tuple[Path, Path]) -> None:
    project, private = keyed
    der = subprocess.run(["openssl", "pkey", "-in", str(private), "-pubout", "-outform", "DER"],
                         capture_output=True, check=True).stdout
    public = yaml.safe_load((project / "public_keys" / ISSUER / "test-key.yaml").read_text())
    assert der[-32:] == multikey.decode_public_key(public["publicKeyMultibase"])


def test_keygen_refuses_a_path_inside_a_git_work_tree(project: Path) -> None:
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    target = project / "secret.pem"
    result = run_credcat("keygen", ISSUER, "--out", target, cwd=project)
    assert result.returncode == 2
    assert "Git work tree" in result.stderr
    assert not target.exists()


def test_keygen_refuses_unknown_issuer(project: Path, tmp_path: Path) -> None:
    result = run_credcat("keygen", "nobody", "--out", tmp_path / "k.pem", cwd=project)
    assert result.returncode == 2
    assert "unknown issuer 'nobody'" in result.stderr
    assert not (tmp_path / "k.pem").exists()


@pytest.mark.slow
@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def test_issue_then_verify(keyed: tuple[Path, Path], tmp_path: Path, suite: str) -> None:
    project, private = keyed
    credential_id = active_credential(project)
    out = tmp_path / f"{suite}.json"
    result = run_credcat("issue", credential_id, "--key", private, "--name", "Sam Lee",
                         "--email", "sam@example.org", "--cryptosuite", suite, "-o", out,
                         cwd=project)
    assert result.returncode == 0, result.stderr
    assert "verification link: https://credentials.example.org/verify/#vc=" in result.stderr
    document = json.loads(out.read_text())
    assert [proof["cryptosuite"] for proof in document["proof"]] == [suite]
    assert document["issuer"]["id"] == "did:web:credentials.example.org:issuers:" + ISSUER
    assert document["credentialSubject"]["achievement"]["id"] == (
        f"https://credentials.example.org/credentials/{credential_id}/")
    assert "sam@example.org" not in out.read_text()
    verified = run_credcat("verify", out, "--json", cwd=project)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    report = json.loads(verified.stdout)[0]
    assert {c["id"]: c["status"] for c in report["checks"]} == dict.fromkeys(CHECKS, "pass")
    assert report["verdict"] == "verified"
    assert [c["id"] for c in report["checks"]] == list(CHECKS)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    return str(value) + "x" if value != "" else "x"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["valid-rdfc", "valid-jcs"])
def test_changing_any_value_makes_verification_fail(name: str) -> None:
    document = json.loads((VECTORS / f"{name}.json").read_text())
    published = example_published()
    assert verify_document(document, published).verdict != "not-verified"
    for path in _leaves(document):
        tampered = copy.deepcopy(document)
        node = tampered
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = _changed(node[path[-1]])
        result = verify_document(tampered, published)
        assert result.verdict == "not-verified", f"changing {path} still verifies"


def example_published(overlay: str | None = None) -> PublishedCatalog:
    """The example catalog as its site publishes it, with the vectors' extra files laid over
    (and, for a case that alters published documents, that case's files over those)."""
    project = Project.from_config(REPO / "mkdocs.yml")
    local = PublishedCatalog.from_catalog(project.site, project.require(), project.root)
    # The tampered and foreign lists must really be there: a missing list would also give
    # "unknown" and hide a broken vector.
    assert (VECTORS / "site" / "status").is_dir(), "tests/vectors/site is missing"
    layers = [PublishedCatalog.from_directory(VECTORS / "site"), local]
    if overlay is not None:
        assert (VECTORS / overlay).is_dir(), f"tests/vectors/{overlay} is missing"
        layers.insert(0, PublishedCatalog.from_directory(VECTORS / overlay))

    def get(path: str) -> Any:
        return next((found for layer in layers if (found := layer.get(path)) is not None),
                    None)

    return PublishedCatalog(get)


def summary(result: Any) -> dict[str, Any]:
    """A result as expected.json pins it: the verdict, and each check's status and reason."""
    return {"verdict": result.verdict,
            "checks": {c.id: [c.status, c.reason] for c in result.checks}}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_shared_vectors(case: str) -> None:
    expected = EXPECTED[case]
    results = verify_bytes((VECTORS / expected["input"]).read_bytes(),
                           example_published(expected["overlay"]), file=expected["input"])
    assert [summary(r) for r in results] == expected["results"]
    for result in results:
        assert [c.id for c in result.checks] == list(CHECKS)
        assert all(c.message and "{" not in c.message for c in result.checks)
        skipped = [c for c in result.checks if c.status == "skipped"]
        assert all(c.params["after"] in CHECKS for c in skipped)
        assert (result.credential is None) == (result.checks[0].status == "fail")


@pytest.mark.slow
def test_cli_verify_exit_codes_and_human_output(project: Path) -> None:
    good, bad = VECTORS / "valid-jcs.json", VECTORS / "tampered-name.json"
    assert run_credcat("verify", good, cwd=project).returncode == 0
    result = run_credcat("verify", good, bad, cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    # The verdict sentence comes first for each credential, then one line per check.
    assert lines[0] == f"{good}: Verified: this credential is genuine and in force."
    assert f"{bad}: Not verified: do not rely on this credential." in lines
    assert "  [--  ] validity    Not checked, because the signature check failed. (skipped)" in (
        lines)
    assert run_credcat("verify", project / "missing.json", cwd=project).returncode == 2
    (project / "junk.json").write_text("{not json")
    junk = run_credcat("verify", project / "junk.json", "--json", cwd=project)
    assert junk.returncode == 1
    report = json.loads(junk.stdout)[0]
    assert report["checks"][0] == {
        "id": "format", "status": "fail", "reason": "not-a-credential", "params": {},
        "message": report["checks"][0]["message"]}
    assert {c["status"] for c in report["checks"][1:]} == {"skipped"}
    assert report["credential"] is None


def test_cli_headline_names_expired_revoked_and_suspended(project: Path) -> None:
    """Issue 14: "expired" was not in the headline. Sentences written by hand; the vectors'
    validUntil is 2020-01-01 and their issuer is Ardmore University (tests/vectors/)."""
    first = {name: run_credcat("verify", VECTORS / f"{name}.json", cwd=project).stdout
             .splitlines()[0].split(": ", 1)[1] for name in ("expired", "revoked", "suspended")}
    assert first == {
        "expired": "Genuine, but expired on 1 January 2020: ask the holder whether it has been "
                   "renewed.",
        "revoked": "Genuine, but revoked by Ardmore University: do not rely on this credential.",
        "suspended": "Genuine, but suspended by Ardmore University: do not rely on it for now.",
    }


def test_cli_verify_gives_every_hostile_input_a_result_and_goes_on(project: Path) -> None:
    """Each of these once crashed `credcat verify` or was read differently from the page."""
    hostile = ["nested-2000-deep.json", "lone-surrogate-rdfc.json", "with-byte-order-mark.json",
               "list-of-two.json", "duplicate-name.json", "png-with-two-credentials.png",
               "number-too-large-jcs.json"]
    files = [VECTORS / name for name in hostile] + [VECTORS / "valid-rdfc.json"]
    result = run_credcat("verify", "--json", *files, cwd=project)
    assert "Traceback" not in result.stderr, result.stderr
    reports = json.loads(result.stdout)
    reasons = [(r["verdict"], next((c["reason"] for c in r["checks"] if c["status"] == "fail"),
                                   None)) for r in reports]
    assert reasons == [("not-verified", "too-deep"), ("not-verified", "lone-surrogate"),
                       ("verified", None), ("verified", None), ("not-verified", "revoked"),
                       ("not-verified", "duplicate-key"),
                       ("not-verified", "several-credentials"),
                       ("not-verified", "number-out-of-range"), ("verified", None)]
    assert reports[3]["file"].endswith("list-of-two.json, credential 1 of 2")
    text = run_credcat("verify", *files, cwd=project)
    assert "Traceback" not in text.stderr and text.stdout.count("\n  [") == 8 * len(reasons)


@pytest.mark.slow
def test_verify_against_a_built_site_folder(project: Path) -> None:
    site = project / "built"
    assert run_credcat("build", "-d", site, cwd=project).returncode == 0
    did_document = json.loads((site / "issuers" / ISSUER / "did.json").read_text())
    assert did_document["id"] == f"did:web:credentials.example.org:issuers:{ISSUER}"
    assert did_document["assertionMethod"] == [m["id"] for m in
                                               did_document["verificationMethod"]]
    keys_json = json.loads((site / "keys.json").read_text())
    assert keys_json["didPrefix"] == "did:web:credentials.example.org"
    vectors = [VECTORS / f"{c}.json" for c in ("valid-rdfc", "unpublished-key")]
    # From the folder, and from the same site served over HTTP: the catalog record (now in a
    # shard, found through keys.json) is read either way, or the achievement check would warn.
    with SiteServer(site, gzip=False) as server:
        for where in (site, server.url):
            result = run_credcat("verify", "--site", where, "--json", *vectors, cwd=project)
            results = json.loads(result.stdout)
            assert [r["verdict"] for r in results] == ["verified", "not-verified"], where
            achievement = next(c for c in results[0]["checks"] if c["id"] == "achievement")
            assert achievement["status"] == "pass", where
        assert any(path.startswith("/data/records/") for path, _ in server.served)


@pytest.mark.slow
def test_signing_key_from_environment(keyed: tuple[Path, Path], tmp_path: Path) -> None:
    project, private = keyed
    result = run_credcat("issue", active_credential(project), "--name", "Kim", "--email",
                         "kim@example.org", "-o", tmp_path / "c.json", cwd=project,
                         env={"CREDCAT_SIGNING_KEY": private.read_text()})
    assert result.returncode == 0, result.stderr
    assert run_credcat("verify", tmp_path / "c.json", cwd=project).returncode == 0


@pytest.mark.slow
def test_issue_refuses_unknown_retired_and_unpublished(keyed: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    project, private = keyed
    catalog = Project.from_config(project / "mkdocs.yml").require()
    retired = next(c for c in catalog.credentials.values() if not c.active)
    base = ["--name", "A", "--email", "a@example.org", "-o", tmp_path / "x.json"]
    unknown = run_credcat("issue", "no-such-thing", "--key", private, *base, cwd=project)
    assert unknown.returncode == 2 and "unknown credential" in unknown.stderr  # usage error
    old = run_credcat("issue", retired.id, "--key", private, *base, cwd=project)
    assert old.returncode == 1 and "retired" in old.stderr
    stranger = tmp_path / "stranger.pem"
    stranger.write_text(keys.encode_pem(SigningKey.generate()))
    stranger.chmod(0o600)  # signing refuses a key file others can read
    unpublished = run_credcat("issue", active_credential(project), "--key", stranger, *base,
                              cwd=project)
    assert unpublished.returncode == 1 and "not published" in unpublished.stderr
    key_file = project / "public_keys" / ISSUER / "test-key.yaml"
    retired_now = dates.xsd(dates.now())
    key_file.write_text(key_file.read_text().replace("state: active",
                                                     f"state: retired\nretired: '{retired_now}'"))
    inactive = run_credcat("issue", active_credential(project), "--key", private, *base,
                           cwd=project)
    assert inactive.returncode == 1 and "retired" in inactive.stderr
    assert not (tmp_path / "x.json").exists()


def test_roster_writes_files_and_manifest(keyed: tuple[Path, Path], tmp_path: Path) -> None:
    project, private = keyed
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nAna Silva,ana@example.org\n=cmd(),eve@example.org\n"
                      "Bo Chen,bo@example.org\n")
    out = tmp_path / "out"
    result = run_credcat("issue", active_credential(project), "--key", private, "--roster",
                         roster, "--out-dir", out, "--cryptosuite", "eddsa-jcs-2022",
                         cwd=project)
    assert result.returncode == 0, result.stderr
    manifest = (out / "manifest.csv").read_text().splitlines()
    assert manifest[0] == ("file,learner,email,credential_id,verification_link,linkedin_url,"
                           "certificate")
    assert len(manifest) == 4
    assert "'=cmd()" in manifest[2]
    files = sorted(out.glob("*.json"))
    assert len(files) == 3
    assert run_credcat("verify", *files, cwd=project).returncode == 0
    assert not list(out.glob(".*tmp"))


def test_roster_without_certificates_keeps_the_links(keyed: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    project, private = keyed
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nAna Silva,ana@example.org\nBo Chen,bo@example.org\n")
    out = tmp_path / "out"
    result = run_credcat("issue", active_credential(project), "--key", private, "--roster",
                         roster, "--out-dir", out, "--no-certificates", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not list(out.glob("*.certificate.html"))
    rows = list(csv.DictReader((out / "manifest.csv").open(newline="")))
    assert [row["certificate"] for row in rows] == ["", ""]
    for row in rows:
        assert row["linkedin_url"].startswith("https://www.linkedin.com/profile/add?")
        assert "/verify/#vc=" in row["verification_link"]
    assert run_credcat("verify", *sorted(out.glob("*.json")), cwd=project).returncode == 0


def test_bad_roster_row_is_reported_with_its_line_and_nothing_is_written(
        keyed: tuple[Path, Path], tmp_path: Path) -> None:
    project, private = keyed
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nAna,ana@example.org\nBo,not-an-email\n")
    out = tmp_path / "out"
    result = run_credcat("issue", active_credential(project), "--key", private, "--roster",
                         roster, "--out-dir", out, cwd=project)
    assert result.returncode == 1
    assert f"{roster}:3: 'not-an-email' is not an e-mail address" in result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_check_finds_private_keys_in_tracked_files_and_the_site(
        keyed: tuple[Path, Path]) -> None:
    project, private = keyed
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(["git", "-C", str(project), "add", "-A"], check=True)
    assert run_credcat("check", cwd=project).returncode == 0
    planted = project / "catalog" / "notes.txt"
    planted.write_text("oops\n" + private.read_text())
    subprocess.run(["git", "-C", str(project), "add", "catalog/notes.txt"], check=True)
    result = run_credcat("check", cwd=project)
    assert result.returncode == 1
    assert "catalog/notes.txt:2:1: private key material found" in result.stdout  # its line
    planted.unlink()
    subprocess.run(["git", "-C", str(project), "rm", "-q", "--cached", "catalog/notes.txt"],
                   check=True)
    assert run_credcat("check", cwd=project).returncode == 0
    (project / "site").mkdir()
    secret = multikey.encode_secret_key(bytes(32))
    (project / "site" / "leak.js").write_text(f'const k = "{secret}";')
    leaked = run_credcat("check", cwd=project)
    assert leaked.returncode == 1 and "site/leak.js" in leaked.stdout
