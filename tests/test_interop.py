"""Interoperability: Digital Bazaar's Data Integrity libraries check our proofs, and vice versa.

An independent implementation of the EdDSA cryptosuites (`@digitalbazaar/vc`,
`@digitalbazaar/data-integrity`, `@digitalbazaar/eddsa-rdfc-2022-cryptosuite`,
`@digitalbazaar/eddsa-jcs-2022-cryptosuite`, `@digitalbazaar/ed25519-multikey`, pinned in
tests/interop/package.json) verifies what `credcat issue` signs against the DID document and
status lists the catalog publishes, signs credentials that `credcat verify` must accept, makes
byte-identical proofs from the same key, document and time, and agrees with our verifier on
the shared vectors. The Node scripts are in tests/interop/ (README.md there); they serve only
the contexts bundled in site_builder/credentials/contexts/ and never fetch anything.

The Digital Credentials Consortium's verifier-core (the engine of VerifierPlus and the Learner
Credential Wallet) verifies credentials against a built site, and 1EdTech's published Open
Badges 3.0 JSON Schema (tests/fixtures/1edtech/) checks every credential and every published
achievement.

The Node dependencies are installed once per session with `npm ci` (needs npm and the npm
registry); a machine without npm fails these tests rather than skipping them.
"""

from __future__ import annotations

import copy
import fcntl
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from nacl.signing import SigningKey
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from site_builder import multikey
from site_builder.credentials import keys, proofs, status_list
from site_builder.credentials.did import PublishedCatalog, did_document
from site_builder.credentials.issuing import IssuingRun, Learner, build_credential
from site_builder.credentials.verify import CHECKS, verify_document
from site_builder.publishing.project import Project

from .conftest import REPO, copy_project, run_credcat
from .published import page_achievement, sharded

pytestmark = pytest.mark.interop

INTEROP = REPO / "tests" / "interop"
W3C_VECTORS = REPO / "tests" / "w3c_vectors"
SUITES = (proofs.RDFC, proofs.JCS)
ISSUER = "northbridge-college"
KEY_ID = "interop-key"
DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def _npm_ci() -> None:
    """Install tests/interop/node_modules unless it is newer than package-lock.json."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("node and npm are needed for the interoperability tests (Node 20+): install "
                    "them, or run `npm ci --prefix tests/interop` where they are available",
                    pytrace=False)
    lock = INTEROP / "package-lock.json"
    marker = INTEROP / "node_modules" / ".package-lock.json"  # written by npm ci itself
    # pytest-xdist workers share one node_modules: let one of them install it.
    tag = hashlib.sha256(str(INTEROP).encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"credcat-interop-{tag}.lock", "w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if marker.is_file() and marker.stat().st_mtime >= lock.stat().st_mtime:
            return
        done = subprocess.run([npm, "ci", "--prefix", str(INTEROP), "--no-audit", "--no-fund"],
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            pytest.fail(f"`npm ci --prefix tests/interop` failed:\n{done.stdout}{done.stderr}",
                        pytrace=False)


@pytest.fixture(scope="session")
def node() -> str:
    _npm_ci()
    return shutil.which("node") or "node"


def run_node(node: str, script: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([node, INTEROP / script, *map(str, args)], cwd=INTEROP,
                          capture_output=True, text=True, timeout=60)


def db_verify(node: str, credential: Path, *documents: Path | str,
              proof_only: bool = False) -> tuple[int, dict[str, Any]]:
    """Digital Bazaar's verdict on a credential file: (exit code, {verified, error, ...})."""
    flags = ["--proof-only"] if proof_only else []
    done = run_node(node, "verify.mjs", *flags, credential, *documents)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        pytest.fail(f"verify.mjs printed no JSON (exit {done.returncode}):\n"
                    f"{done.stdout}{done.stderr}")
    assert report["verified"] is (done.returncode == 0), report
    return done.returncode, report


def db_sign(node: str, unsigned: Path, key: SigningKey, method: str, suite: str,
            created: str | None = None) -> dict[str, Any]:
    secret = multikey.encode_secret_key(bytes(key))
    done = run_node(node, "sign.mjs", unsigned, secret, method, suite, keys.public_multibase(key),
                    *([created] if created else []))
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, indent=2), encoding="utf-8")
    return path


def active_credential(project: Path) -> str:
    catalog = Project.from_config(project / "mkdocs.yml").require()
    return next(c.id for c in sorted(catalog.credentials.values(), key=lambda c: c.id)
                if c.issuer.id == ISSUER and c.active)


def issuer_did_document(project: Path) -> dict[str, Any]:
    """The DID document the built site would publish at issuers/<ISSUER>/did.json."""
    config = Project.from_config(project / "mkdocs.yml")
    return did_document(config.site, config.require().issuers[ISSUER])


def status_lists(root: Path, site: Any, overlay: Path | None = None) -> list[str]:
    """`URL=FILE` arguments serving the status lists under root/status/ at their site URLs.

    Files under `overlay` (a folder laid over the site, like tests/vectors/site/) win.
    """
    served: dict[str, Path] = {}
    for folder in (root, overlay):
        for path in sorted(folder.glob("status/*/*.json")) if folder else []:
            served[site.absolute(path.relative_to(folder).as_posix())] = path
    return [f"{url}={path}" for url, path in served.items()]


TAMPERINGS = {
    "name": lambda d: d.__setitem__("name", d["name"] + " (forged)"),
    "validFrom": lambda d: d.__setitem__("validFrom", "2020-01-01T00:00:00Z"),
    "learner": lambda d: d["credentialSubject"]["identifier"][1].__setitem__(
        "identityHash", "Somebody Else"),
    "achievement": lambda d: d["credentialSubject"]["achievement"].__setitem__(
        "name", "Another achievement"),
}


def tampered(document: dict[str, Any], how: str) -> dict[str, Any]:
    copied = copy.deepcopy(document)
    TAMPERINGS[how](copied)
    assert copied != document
    return copied


# -- 1. credcat signs, Digital Bazaar verifies -------------------------------------------------

@pytest.mark.parametrize("suite", SUITES)
def test_digital_bazaar_verifies_what_credcat_issues(node: str, tmp_path: Path,
                                                     suite: str) -> None:
    project = copy_project(tmp_path / "project")
    private = tmp_path / "secrets" / "issuer.pem"
    made = run_credcat("keygen", ISSUER, "--key-id", KEY_ID, "--out", private, cwd=project)
    assert made.returncode == 0, made.stderr
    signed_path = tmp_path / "credential.json"
    issued = run_credcat("issue", active_credential(project), "--key", private, "--name",
                         "Sam Lee", "--email", "sam@example.org", "--cryptosuite", suite,
                         "-o", signed_path, cwd=project)
    assert issued.returncode == 0, issued.stderr
    did_path = write_json(tmp_path / "did.json", issuer_did_document(project))
    lists = status_lists(project, Project.from_config(project / "mkdocs.yml").site)
    signed = json.loads(signed_path.read_text())
    assert [p["cryptosuite"] for p in signed["proof"]] == [suite]
    assert ob_schema_errors(signed) == []

    code, report = db_verify(node, signed_path, did_path, *lists)
    assert code == 0, report
    assert report["cryptosuite"] == [suite]
    entries = status_list.status_entries(signed)
    assert [(s["purpose"], s["set"]) for s in report["status"]] == [
        (e["statusPurpose"], False) for e in entries]

    for how in TAMPERINGS:
        forged = write_json(tmp_path / f"forged-{how}.json", tampered(signed, how))
        code, report = db_verify(node, forged, did_path, *lists)
        assert code == 1 and "Invalid signature" in report["error"], f"{how}: {report}"

    if entries:  # a status that cannot be checked is not "not revoked"
        code, report = db_verify(node, signed_path, did_path)
        assert code == 1 and "Could not load" in report["error"], report


def test_digital_bazaar_reads_the_status_lists_credcat_writes(node: str, tmp_path: Path) -> None:
    """Suspend, reinstate and revoke with credcat: DB's Bitstring Status List reads each bit."""
    project = copy_project(tmp_path / "project")
    private = tmp_path / "secrets" / "issuer.pem"
    assert run_credcat("keygen", ISSUER, "--key-id", KEY_ID, "--out", private,
                       cwd=project).returncode == 0
    signed_path = tmp_path / "credential.json"
    issued = run_credcat("issue", active_credential(project), "--key", private, "--name",
                         "Sam Lee", "--email", "sam@example.org", "--suspendable",
                         "-o", signed_path, cwd=project)
    assert issued.returncode == 0, issued.stderr
    signed = json.loads(signed_path.read_text())
    config = Project.from_config(project / "mkdocs.yml")
    did_path = write_json(tmp_path / "did.json", issuer_did_document(project))
    index = int(signed["credentialStatus"][0]["statusListIndex"])
    issuer_status = status_list.IssuerStatus(config.root, config.site, ISSUER)
    key = keys.load_signing_key(private)
    method = signed["proof"][0]["verificationMethod"]

    def change(purpose: str, value: bool) -> dict[str, Any]:
        issuer_status.change(purpose, index, value, key, method, signed["id"],
                             "set" if value else "clear", "interoperability test")
        code, report = db_verify(node, signed_path, did_path,
                                 *status_lists(config.root, config.site))
        ours = run_credcat("verify", "--json", signed_path, cwd=project)
        statuses = {c["id"]: c["status"] for c in json.loads(ours.stdout)[0]["checks"]}
        assert (code == 0) is (statuses["status"] == "pass") is (ours.returncode == 0), (
            report, statuses)
        return report

    report = change("suspension", True)
    assert "status set: suspension" in report["error"], report
    assert change("suspension", False)["verified"] is True
    report = change("revocation", True)
    assert "status set: revocation" in report["error"], report


def test_digital_bazaar_needs_the_issuers_did_document(node: str, tmp_path: Path) -> None:
    """The same credential fails when the DID document does not authorise the key."""
    project = copy_project(tmp_path / "project")
    key = SigningKey.generate()
    publish_key(project, key)
    config = Project.from_config(project / "mkdocs.yml")
    document = issuer_did_document(project)
    method = f"{config.site.issuer_did(ISSUER)}#{KEY_ID}"
    signed = proofs.sign(unsigned_credential(project), key, verification_method=method)
    signed_path = write_json(tmp_path / "credential.json", signed)
    assert db_verify(node, signed_path, write_json(tmp_path / "did.json", document))[0] == 0

    unauthorised = copy.deepcopy(document)
    unauthorised["assertionMethod"].remove(method)
    code, report = db_verify(node, signed_path, write_json(tmp_path / "no-am.json",
                                                           unauthorised))
    assert code == 1 and "not authorized" in report["error"], report

    other_key = copy.deepcopy(document)
    for vm in other_key["verificationMethod"]:
        vm["publicKeyMultibase"] = keys.public_multibase(SigningKey.generate())
    code, report = db_verify(node, signed_path, write_json(tmp_path / "other.json", other_key))
    assert code == 1 and "Invalid signature" in report["error"], report


# -- 2. Digital Bazaar signs, credcat verifies -------------------------------------------------

def publish_key(project: Path, key: SigningKey) -> None:
    config = Project.from_config(project / "mkdocs.yml")
    path = config.keys_path / ISSUER / f"{KEY_ID}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(keys.public_key_yaml(keys.public_multibase(key), "2026-01-01T00:00:00Z",
                                         config.schema_url("public-key")), encoding="utf-8")


def unsigned_credential(project: Path) -> dict[str, Any]:
    config = Project.from_config(project / "mkdocs.yml")
    catalog = config.require()
    credential = catalog.credentials[active_credential(project)]
    return build_credential(config.site, credential, Learner("Alex Rivera", "alex@example.org"),
                            datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1))


@pytest.mark.parametrize("suite", SUITES)
def test_credcat_verifies_what_digital_bazaar_signs(node: str, tmp_path: Path,
                                                    suite: str) -> None:
    project = copy_project(tmp_path / "project")
    key = SigningKey.generate()
    publish_key(project, key)
    method = f"{Project.from_config(project / 'mkdocs.yml').site.issuer_did(ISSUER)}#{KEY_ID}"
    unsigned_path = write_json(tmp_path / "unsigned.json", unsigned_credential(project))
    signed = db_sign(node, unsigned_path, key, method, suite)
    proof = signed["proof"]
    assert (proof["type"], proof["cryptosuite"], proof["proofPurpose"],
            proof["verificationMethod"]) == ("DataIntegrityProof", suite, "assertionMethod",
                                             method)

    paths = [write_json(tmp_path / "signed.json", signed)]
    paths += [write_json(tmp_path / f"forged-{how}.json", tampered(signed, how))
              for how in TAMPERINGS]
    result = run_credcat("verify", "--json", *paths, cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr  # the forged ones fail
    reports = json.loads(result.stdout)
    statuses = [{c["id"]: c["status"] for c in r["checks"]} for r in reports]
    assert statuses[0] == {**dict.fromkeys(CHECKS, "pass"), "status": "unknown"}, reports[0]
    assert reports[0]["verdict"] == "warning"
    for how, report, status in zip(TAMPERINGS, reports[1:], statuses[1:], strict=True):
        assert report["verdict"] == "not-verified", how
        assert status["signature"] == "fail", (how, report)

    alone = run_credcat("verify", "--json", paths[0], cwd=project)
    assert alone.returncode == 0, alone.stdout + alone.stderr


# -- both sign the same bytes ------------------------------------------------------------------

@pytest.mark.parametrize("suite", SUITES)
def test_both_implementations_make_the_same_proof(node: str, tmp_path: Path,
                                                  suite: str) -> None:
    """Ed25519 is deterministic: same key, document and `created` give the same proofValue."""
    project = copy_project(tmp_path / "project")
    key = SigningKey.generate()
    method = f"{Project.from_config(project / 'mkdocs.yml').site.issuer_did(ISSUER)}#{KEY_ID}"
    unsigned = unsigned_credential(project)
    created = "2026-01-15T09:30:00Z"
    ours = proofs.sign(unsigned, key, verification_method=method, cryptosuite=suite,
                       created=created)
    theirs = db_sign(node, write_json(tmp_path / "unsigned.json", unsigned), key, method, suite,
                     created)
    assert theirs == ours


def test_same_proofs_for_credentials_signed_from_one_template(node: str, tmp_path: Path) -> None:
    """Credentials after the first of a shape are canonicalized from a template
    (site_builder/credentials/rdfc.py), not by pyld: Digital Bazaar's jsonld.js and
    rdf-canonize must still make the very same proofs, for learners whose names and ids
    differ and hold quotes, backslashes and non-Latin text."""
    project = copy_project(tmp_path / "project")
    key = SigningKey.generate()
    config = Project.from_config(project / "mkdocs.yml")
    method = f"{config.site.issuer_did(ISSUER)}#{KEY_ID}"
    credential = config.require().credentials[active_credential(project)]
    created = "2026-01-15T09:30:00Z"
    names = ["Alex Rivera", 'Ana "Quoted" O\'Neil \\ back', "Zoë Ñúñez 李小龍", "Sam"]
    for n, name in enumerate(names):
        unsigned = build_credential(config.site, credential,
                                    Learner(name, f"learner{n}@example.org"),
                                    datetime(2026, 1, 1 + n, tzinfo=UTC))
        ours = proofs.sign(unsigned, key, verification_method=method, created=created)
        theirs = db_sign(node, write_json(tmp_path / f"unsigned-{n}.json", unsigned), key,
                         method, proofs.RDFC, created)
        assert theirs == ours, name


# -- validly signed, but not a proof the Recommendation allows: both refuse --------------------

NONCONFORMING = {
    # vc-di-eddsa 3.2.5 / 3.3.5: `created` MUST be an XML Schema dateTime.
    "created": ("created", "15/01/2026", "must be an XSD dateTimeStamp"),
    # A credential is asserted by its issuer (Data Integrity: proofPurpose assertionMethod).
    "purpose": ("proofPurpose", "authentication", "matched the acceptable suite(s) and required"),
}


@pytest.mark.parametrize("suite", SUITES)
@pytest.mark.parametrize("case", sorted(NONCONFORMING))
def test_both_refuse_a_validly_signed_nonconforming_proof(node: str, tmp_path: Path, suite: str,
                                                          case: str) -> None:
    project = copy_project(tmp_path / "project")
    key = SigningKey.generate()
    publish_key(project, key)
    config = Project.from_config(project / "mkdocs.yml")
    document = unsigned_credential(project)
    field, value, their_reason = NONCONFORMING[case]
    proof = {"type": proofs.PROOF_TYPE, "cryptosuite": suite, "created": "2026-01-15T09:30:00Z",
             "verificationMethod": f"{config.site.issuer_did(ISSUER)}#{KEY_ID}",
             "proofPurpose": proofs.PROOF_PURPOSE, field: value}
    if suite == proofs.JCS:
        proof["@context"] = document["@context"]
    signature = key.sign(proofs.hash_data(document, proof, suite)).signature
    signed = {**document, "proof": {**proof, "proofValue": multikey.encode_signature(signature)}}

    did_path = write_json(tmp_path / "did.json", issuer_did_document(project))
    code, report = db_verify(node, write_json(tmp_path / "signed.json", signed), did_path)
    assert code == 1 and their_reason in report["error"], report
    published = PublishedCatalog.from_catalog(config.site, config.require(), config.root)
    ours = verify_document(signed, published)
    assert {c.id: c.status for c in ours.checks}["proof"] == "fail"


# -- the shared verification vectors: both verifiers agree on every proof ----------------------

def _digital_bazaar_should_verify(case: dict[str, Any], document: Any,
                                  key_states: dict[str, str]) -> bool:
    """What @digitalbazaar/vc's verifyCredential (+ Bitstring Status List) should say.

    It makes our format, proof, key, signature, validity and status checks, but not the
    catalog's own (issuer and achievement in this catalog). Where policies differ:
    - it fails an expired credential, where we warn (validity must be 'pass');
    - it has nothing to check without a credentialStatus, where we say 'unknown';
    - it knows nothing of key states (keys.json): a DID document lists retired keys so that
      older credentials still resolve, and whether a credential signed with one still counts is
      this catalog's policy, so our key check may fail where it verifies;
    - a revoked key is not in the DID document at all, so it verifies nothing signed with one,
      not even a credential our records show was signed before the compromise.
    """
    checks = {check: status for check, (status, _reason) in case["checks"].items()}
    proof = document.get("proof")
    proof = proof[0] if isinstance(proof, list) and proof else proof
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    state = key_states.get(method)
    if state == "revoked":
        return False  # withdrawn from the DID document: nothing it signed resolves there
    if checks["key"] == "fail" and state == "retired":
        # Our key check fails on the key's state and skips the rest; the signature and the
        # rest of these vectors are sound.
        checks.update(dict.fromkeys(("signature", "validity", "status", "achievement"), "pass"))
        checks["key"] = "pass"
    if any(checks[c] != "pass" for c in ("format", "proof", "key", "signature", "validity")):
        return False
    return checks["status"] == "pass" or "credentialStatus" not in document


# Cases outside what Digital Bazaar's verifier judges: inputs that are not one plain JSON
# credential, altered published documents, JSON shapes our format check refuses although they
# sign the same RDF, two proofs, and status lists we refuse to read (too large, outside
# status/) where it would read them.
_NOT_COMPARABLE = {"unexpected-shape", "duplicate-key", "too-deep", "lone-surrogate",
                   "number-out-of-range", "several-credentials", "several-proofs",
                   "status-list-too-large", "status-list-not-published", "not-a-credential"}


def _comparable(case: dict[str, Any]) -> bool:
    results = case["results"]
    reasons = {reason for _status, reason in results[0]["checks"].values()}
    plain = (REPO / "tests" / "vectors" / case["input"]).read_bytes().startswith(b"{")
    return (len(results) == 1 and case["overlay"] is None and plain
            and not reasons & _NOT_COMPARABLE)


def test_digital_bazaar_agrees_on_the_shared_vectors(node: str, tmp_path: Path) -> None:
    vectors = REPO / "tests" / "vectors"
    expected = json.loads((vectors / "expected.json").read_text())
    config = Project.from_config(REPO / "mkdocs.yml")
    catalog = config.require()
    key_states = {f"{config.site.issuer_did(issuer.id)}#{key.id}": key.state
                  for issuer in catalog.issuers.values() for key in issuer.keys}
    served = [str(write_json(tmp_path / f"{issuer.id}.json", did_document(config.site, issuer)))
              for issuer in catalog.issuers.values()]
    served += status_lists(REPO, config.site, vectors / "site")
    # did:key: @digitalbazaar/vc requires the key's controller to be the issuer; we accept a
    # did:key only when this catalog publishes that key for the issuer (docs/standards.md,
    # "Keys and identifiers"). Checked apart below.
    cases = sorted(case for case in expected
                   if case != "did-key-published" and _comparable(expected[case]))
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(cases, pool.map(
            lambda case: db_verify(node, vectors / f"{case}.json", *served), cases),
            strict=True))
    disagreements = {}
    for case in cases:
        document = json.loads((vectors / f"{case}.json").read_text())
        should = isinstance(document, dict) and _digital_bazaar_should_verify(
            expected[case]["results"][0], document, key_states)
        code, report = results[case]
        if (code == 0) is not should:
            disagreements[case] = report["error"]
        elif expected[case]["results"][0]["checks"]["signature"][0] == "fail" and (
                "Invalid signature" not in report["error"]):
            disagreements[case] = f"fails for another reason: {report['error']}"
    assert not disagreements, disagreements

    # The status lists themselves: every list in the catalog verifies; the vectors' forged ones
    # do not, for the intended reason. (The status-list-* vectors point both their entries at one
    # list, so there DB stops at "purpose does not match" before reaching that reason.)
    dids = served[:len(catalog.issuers)]
    reasons = {"tampered.json": "Invalid signature", "foreign.json": "must match the verification"}
    for path in sorted(REPO.glob("status/*/*.json")) + sorted(vectors.glob("site/status/*/*.json")):
        code, report = db_verify(node, path, *dids)
        reason = reasons.get(path.name)
        assert (code == 1 and reason in report["error"]) if reason else code == 0, (path, report)

    did_key_case = json.loads((vectors / "did-key-published.json").read_text())
    method = did_key_case["proof"]["verificationMethod"]
    controller, public = method.split("#")
    did_key = write_json(tmp_path / "did-key.json", {
        "@context": DID_CONTEXT, "id": controller,
        "verificationMethod": [{"id": method, "type": "Multikey", "controller": controller,
                                "publicKeyMultibase": public}],
        "assertionMethod": [method]})
    code, report = db_verify(node, vectors / "did-key-published.json", did_key,
                             proof_only=True)
    assert code == 0, report


# -- 3. the W3C vc-di-eddsa test vectors -------------------------------------------------------

def _w3c_signed() -> list[Path]:
    return sorted(W3C_VECTORS.glob("eddsa-*/**/signed*.json")) if W3C_VECTORS.is_dir() else []


def _controller_documents(directory: Path) -> list[Path]:
    """The vectors' key as a did:key document and as https://vc.example/issuers/5678."""
    public = json.loads((W3C_VECTORS / "keyPair.json").read_text())["publicKeyMultibase"]
    paths = []
    for name, controller in (("did-key", f"did:key:{public}"),
                             ("vc-example", "https://vc.example/issuers/5678")):
        method = f"{controller}#{public}"
        paths.append(write_json(directory / f"{name}.json", {
            "@context": DID_CONTEXT, "id": controller,
            "verificationMethod": [{"id": method, "type": "Multikey", "controller": controller,
                                    "publicKeyMultibase": public}],
            "assertionMethod": [method]}))
    return paths


@pytest.mark.skipif(not _w3c_signed(), reason="tests/w3c_vectors/ is not present")
@pytest.mark.parametrize("vector", _w3c_signed(), ids=lambda p: str(p.relative_to(W3C_VECTORS)))
def test_digital_bazaar_verifies_the_w3c_vectors(node: str, tmp_path: Path,
                                                 vector: Path) -> None:
    # --proof-only: the vectors' issuer (https://vc.example/issuers/5678) is not the controller
    # of their did:key method, which @digitalbazaar/vc's issuer check would (rightly) refuse.
    documents = _controller_documents(tmp_path)
    code, report = db_verify(node, vector, *documents, proof_only=True)
    assert code == 0, report
    document = json.loads(vector.read_text())
    document["proof"]["proofValue"] = multikey.encode_signature(bytes(64))
    code, report = db_verify(node, write_json(tmp_path / "zeroed.json", document), *documents,
                             proof_only=True)
    assert code == 1, report


def test_node_modules_is_not_committed(node: str) -> None:
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        pytest.skip("not a Git work tree")
    ignored = subprocess.run([git, "check-ignore", "-q", str(INTEROP / "node_modules")],
                             cwd=REPO, capture_output=True)
    assert ignored.returncode == 0, "tests/interop/node_modules/ must be ignored by Git"
    assert (INTEROP / "package-lock.json").is_file(), "commit tests/interop/package-lock.json"


# -- 4. what the rest of the ecosystem accepts (issue 12) --------------------------------------

ONE_EDTECH_SCHEMA = REPO / "tests" / "fixtures" / "1edtech" / "achievementcredential.json"


def _refuse_remote(uri: str) -> Any:
    raise NoSuchResource(ref=uri)  # a remote $ref would be fetched: fail instead


def ob_schema_errors(document: Any, definition: str | None = None) -> list[str]:
    """Every error 1EdTech's OB 3.0 JSON Schema finds, as 'path: message'.

    `definition` picks one of its $defs (e.g. 'Achievement', which 1EdTech publishes only inside
    the AchievementCredential schema).
    """
    schema = json.loads(ONE_EDTECH_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    registry = Registry(retrieve=_refuse_remote).with_resource(
        schema["$id"], Resource.from_contents(schema))
    target = schema if definition is None else {
        "$schema": schema["$schema"], "$ref": f"{schema['$id']}#/$defs/{definition}"}
    validator = cls(target, registry=registry, format_checker=cls.FORMAT_CHECKER)
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(document)]


def issue(project: Path, private: Path, out: Path, *extra: str) -> tuple[dict[str, Any], str]:
    """`credcat issue` one credential of ISSUER; returns it and what the command printed."""
    done = run_credcat("issue", active_credential(project), "--key", private, "--name",
                       "Sam Lee", "--email", "sam@example.org", "-o", out, *extra, cwd=project)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8")), done.stderr


def build_site(project: Path, folder: Path) -> Path:
    done = run_credcat("build", "-d", folder, cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def dcc_verify(node: str, credential: Path, site: Path) -> dict[str, Any]:
    """DCC verifier-core's verdict, through tests/interop/dcc-verify.mjs (see README.md there)."""
    done = run_node(node, "dcc-verify.mjs", credential, site, ONE_EDTECH_SCHEMA)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        pytest.fail(f"dcc-verify.mjs printed no JSON (exit {done.returncode}):\n"
                    f"{done.stdout}{done.stderr}")
    assert report["ok"] is (done.returncode == 0), report
    assert "harness error" not in report["fatal"], report
    return report


@pytest.fixture
def issuing_project(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the example project with a fresh key for ISSUER and its lists made anew."""
    project = copy_project(tmp_path / "project")
    # The example's committed lists are re-signed by tests/vectors/generate.py; start from
    # lists `credcat issue` signs itself, so these tests see what credcat writes today.
    shutil.rmtree(project / status_list.STATUS_DIR / ISSUER, ignore_errors=True)
    private = tmp_path / "secrets" / "issuer.pem"
    made = run_credcat("keygen", ISSUER, "--key-id", KEY_ID, "--out", private, cwd=project)
    assert made.returncode == 0, made.stderr
    return project, private


def test_issued_credentials_pass_the_1edtech_schema(issuing_project: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    """Default credentials: one revocation entry as an object, proof as an array of one."""
    project, private = issuing_project
    signed, _ = issue(project, private, tmp_path / "credential.json")
    assert ob_schema_errors(signed) == []
    assert isinstance(signed["proof"], list) and len(signed["proof"]) == 1
    assert signed["credentialStatus"]["statusPurpose"] == "revocation"
    assert signed["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert not (project / status_list.list_path(ISSUER, "suspension")).exists()

    # The schema can fail: the shapes credcat used to emit, and the opt-in suspension.
    old = {**signed, "proof": signed["proof"][0],
           "credentialStatus": [signed["credentialStatus"]]}
    assert {e.split(":")[0] for e in ob_schema_errors(old)} == {"/proof", "/credentialStatus"}
    suspendable, printed = issue(project, private, tmp_path / "suspendable.json",
                                 "--suspendable")
    assert "fail 1EdTech" in printed
    assert [s["statusPurpose"] for s in suspendable["credentialStatus"]] == [
        "revocation", "suspension"]
    assert [e.split(":")[0] for e in ob_schema_errors(suspendable)] == ["/credentialStatus"]


def test_suspend_refuses_a_credential_without_a_suspension_entry(
        issuing_project: tuple[Path, Path], tmp_path: Path) -> None:
    project, private = issuing_project
    plain, _ = issue(project, private, tmp_path / "credential.json")
    for reference in (tmp_path / "credential.json", plain["id"]):  # by file, by id
        done = run_credcat("suspend", reference, "--key", private, cwd=project)
        assert done.returncode == 1, reference
        assert "no suspension entry" in done.stderr and "Traceback" not in done.stderr
    assert not (project / status_list.list_path(ISSUER, "suspension")).exists()

    suspendable, _ = issue(project, private, tmp_path / "suspendable.json", "--suspendable")
    done = run_credcat("suspend", suspendable["id"], "--key", private, cwd=project)
    assert done.returncode == 0, done.stderr
    ours = run_credcat("verify", "--json", tmp_path / "suspendable.json", cwd=project)
    statuses = {c["id"]: c["status"] for c in json.loads(ours.stdout)[0]["checks"]}
    assert statuses["status"] == "fail", statuses


def test_check_wants_only_the_lists_credentials_use(issuing_project: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    project, private = issuing_project
    issue(project, private, tmp_path / "credential.json")
    checked = run_credcat("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (project / status_list.list_path(ISSUER, "revocation")).unlink()
    checked = run_credcat("check", cwd=project)
    assert checked.returncode == 1
    assert "the revocation list is missing" in checked.stdout + checked.stderr
    assert "suspension" not in checked.stdout + checked.stderr


def test_annex_i_elements_travel_in_the_credential(issuing_project: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    """Each EU Annex I element sits in an OB 3.0 field, under the two standard contexts only."""
    project, private = issuing_project
    signed, _ = issue(project, private, tmp_path / "credential.json")
    catalog = Project.from_config(project / "mkdocs.yml").require()
    credential = catalog.credentials[active_credential(project)]
    achievement = signed["credentialSubject"]["achievement"]
    assert signed["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    # Country of the issuer: northbridge-college.yaml says CA, Ontario.
    assert signed["issuer"]["address"] == {
        "type": ["Address"], "addressCountryCode": "CA", "addressCountry": "Canada",
        "addressRegion": "Ontario"}
    assert signed["awardedDate"] == signed["validFrom"]
    eqf = [a for a in achievement["alignment"]
           if a.get("targetFramework") == "European Qualifications Framework"]
    assert [(a["targetCode"], a["targetName"]) for a in eqf] == [
        (str(credential.level.eqf), f"EQF level {credential.level.eqf}")]
    for outcome in credential.learning_outcomes:
        assert f"- {outcome}" in achievement["criteria"]["narrative"]
    assert "Type of assessment: " in achievement["criteria"]["narrative"]
    for fact in ("Notional workload: ", "Form of participation: ",
                 "Type of quality assurance: ", "Language: "):
        assert fact in achievement["description"], fact
    occupations = [a for a in achievement["alignment"] if a["targetType"] == "ext:Occupation"]
    assert len(occupations) >= len(credential.occupations)

    # Every term is defined by the pinned contexts: canonicalization runs JSON-LD in safe mode,
    # so an undefined term fails it (shown with one made-up term).
    proofs.canonicalize(signed, proofs.RDFC)
    with pytest.raises(proofs.ProofError):
        proofs.canonicalize({**signed, "ectsUnit": "ECTS"}, proofs.RDFC)


def test_every_catalog_credential_issues_within_the_schema_and_contexts() -> None:
    """Each credential of the example catalog, signed as `credcat issue` signs it (eddsa-rdfc-2022
    canonicalizes in JSON-LD safe mode, so a term the two contexts lack fails the signing)."""
    config = Project.from_config(REPO / "mkdocs.yml")
    key = SigningKey.generate()
    problems = {}
    for credential in config.require().credentials.values():
        issuer = credential.issuer.id
        run = IssuingRun(config.site, credential, key, KEY_ID,
                         f"{config.site.issuer_did(issuer)}#{KEY_ID}", proofs.RDFC,
                         status_list.IssuerStatus(config.root, config.site, issuer))
        signed = run.sign(Learner("Alex Rivera", "alex@example.org"), 7)
        problems[credential.id] = ob_schema_errors(signed)
    assert len(problems) >= 24 and not {k: v for k, v in problems.items() if v}, problems


def test_ects_credits_are_credits_available() -> None:
    config = Project.from_config(REPO / "mkdocs.yml")
    with_ects = [c for c in config.require().credentials.values() if c.workload.ects]
    assert with_ects, "the example catalog has a credential with ECTS credits"
    for credential in with_ects:
        document = build_credential(config.site, credential, Learner("A B", "a@example.org"),
                                    datetime(2026, 1, 15, tzinfo=UTC))
        achievement = document["credentialSubject"]["achievement"]
        assert achievement["creditsAvailable"] == credential.workload.ects
        ects = f"{credential.workload.ects:g} ECTS credits"
        assert ects in achievement["description"]


def test_issue_with_jcs_says_what_is_given_up(node: str, issuing_project: tuple[Path, Path],
                                              tmp_path: Path) -> None:
    project, private = issuing_project
    help_text = run_credcat("issue", "--help", cwd=project).stdout
    assert "cannot verify" in " ".join(help_text.split())
    _, printed = issue(project, private, tmp_path / "jcs.json", "--cryptosuite", proofs.JCS)
    assert "not in 1EdTech" in printed and "DCC" in printed, printed
    _, quiet = issue(project, private, tmp_path / "rdfc.json")
    assert "1EdTech" not in quiet
    site = build_site(project, tmp_path / "site")
    report = dcc_verify(node, tmp_path / "jcs.json", site)
    assert not report["ok"] and report["fatal"] == ["invalid_signature"], report
    assert dcc_verify(node, tmp_path / "rdfc.json", site)["ok"]


def test_dcc_verifier_core_follows_revocation(node: str, issuing_project: tuple[Path, Path],
                                              tmp_path: Path) -> None:
    """Fresh: verified, not revoked, schema valid. After `credcat revoke`: revoked."""
    project, private = issuing_project
    path = tmp_path / "credential.json"
    signed, _ = issue(project, private, path)
    report = dcc_verify(node, path, build_site(project, tmp_path / "site"))
    assert report["ok"], report
    assert report["steps"] == {"valid_signature": True, "revocation_status": True,
                               "expiration": True, "registered_issuer": True}, report
    assert [s["valid"] for s in report["schema"]] == [True], report
    served = {r["url"]: r["served"] for r in report["requests"]}
    assert served[signed["credentialStatus"]["statusListCredential"]] == "site folder"
    assert "refused" not in served.values(), served

    revoked = run_credcat("revoke", path, "--key", private, "--reason", "test", cwd=project)
    assert revoked.returncode == 0, revoked.stderr
    report = dcc_verify(node, path, build_site(project, tmp_path / "site-after"))
    assert not report["ok"] and report["steps"]["revocation_status"] is False, report
    assert report["steps"]["valid_signature"] is True, report


def test_dcc_rejects_a_signature_made_with_a_revoked_key(node: str,
                                                         issuing_project: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    """A thief signs with the compromised key after its revocation: DCC refuses it."""
    project, private = issuing_project
    before, _ = issue(project, private, tmp_path / "before.json")
    new_private = tmp_path / "secrets" / "new.pem"
    steps = [("keys", "rotate", ISSUER, "--key-id", "after", "--out", new_private),
             ("keys", "revoke", ISSUER, KEY_ID, "--reason", "laptop stolen"),
             ("keys", "resign", ISSUER, "--key", new_private)]
    for step in steps:
        done = run_credcat(*step, cwd=project)
        assert done.returncode == 0, (step, done.stdout + done.stderr)
    config = Project.from_config(project / "mkdocs.yml")
    thief = {**before, "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
             "validFrom": xsd_now(), "awardedDate": xsd_now()}
    del thief["proof"]
    forged = proofs.sign(thief, keys.load_signing_key(private),
                         verification_method=before["proof"][0]["verificationMethod"])
    forged_path = write_json(tmp_path / "forged.json", forged)
    site = build_site(project, tmp_path / "site")

    did = json.loads((site / "issuers" / ISSUER / "did.json").read_text())
    revoked_method = f"{config.site.issuer_did(ISSUER)}#{KEY_ID}"
    assert revoked_method not in [m["id"] for m in did["verificationMethod"]]
    assert revoked_method not in did["assertionMethod"]
    assert f"{config.site.issuer_did(ISSUER)}#after" in did["assertionMethod"]
    published = json.loads((site / "keys.json").read_text())["issuers"][ISSUER]["keys"]
    assert {k["id"]: k["state"] for k in published}[revoked_method] == "revoked"

    report = dcc_verify(node, forged_path, site)
    assert not report["ok"] and report["fatal"] == ["invalid_signature"], report
    # The new key's lists still verify for a credential signed with it.
    fresh, _ = issue(project, new_private, tmp_path / "fresh.json")
    assert dcc_verify(node, tmp_path / "fresh.json",
                      build_site(project, tmp_path / "site-2"))["ok"]
    assert fresh["proof"][0]["verificationMethod"].endswith("#after")


def xsd_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def test_every_published_achievement_passes_the_1edtech_schema(tmp_path: Path) -> None:
    site = build_site(copy_project(tmp_path / "project"), tmp_path / "site")
    problems = {}
    # Each credential page carries its achievement as JSON-LD (the page is its `id`).
    for credential_id in Project.from_config(REPO / "mkdocs.yml").require().credentials:
        document = page_achievement(site, credential_id)
        errors = ob_schema_errors({k: v for k, v in document.items() if k != "@context"},
                                  "Achievement")
        if errors:
            problems[credential_id] = errors
    assert not problems, problems


# -- CTDL: Credential Engine Registry rules (tests/fixtures/ctdl/) -----------------------------

CTDL_RULES = REPO / "tests" / "fixtures" / "ctdl" / "required-properties.json"
# References to organisations: arrays of registry URIs or blank nodes of the same graph
# (required-properties.json "common"; README.md there, section 3).
AGENT_REFERENCES = ("ceterms:ownedBy", "ceterms:offeredBy", "ceterms:accreditedBy",
                    "ceterms:recognizedBy", "ceterms:approvedBy", "ceterms:regulatedBy")


class _CtdlChecker:
    """Checks one graph document against the registry's rules, collecting 'where: problem'."""

    def __init__(self, rules: dict[str, Any], document: dict[str, Any]) -> None:
        self.rules, self.common, self.problems = rules, rules["common"], []
        self.vocabularies = {k: set(v) for k, v in rules["vocabularies"].items()
                             if isinstance(v, list)}
        self.graph = document.get("@graph") if isinstance(document.get("@graph"), list) else []
        self.ids = {n.get("@id") for n in self.graph if isinstance(n, dict)}
        if document.get("@context") != self.common["@context"]["value"]:
            self.problems.append(f"@context: {document.get('@context')!r}")
        if not self.graph:
            self.problems.append("@graph: missing or empty")
            return
        primary = self.graph[0]
        if not re.fullmatch(self.common["registryGraphUri"], str(document.get("@id"))) or (
                not str(document.get("@id")).endswith(str(primary.get("ceterms:ctid")))):
            self.problems.append(f"@id: {document.get('@id')!r} is not the graph of the record")
        for node in self.graph:
            self.node(node, str(node.get("@id")), top=True)

    def fail(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}")

    def uri(self, where: str, value: Any, blank_ok: bool = False) -> None:
        if blank_ok and isinstance(value, str) and re.fullmatch(self.common["blankNodeId"], value):
            if value not in self.ids:
                self.fail(where, f"blank node {value} is not in the graph")
        elif not (isinstance(value, str)
                  and re.fullmatch(self.common["registryResourceUri"], value)):
            self.fail(where, f"{value!r} is not a registry resource URI")

    def language_map(self, where: str, value: Any, minimum: int = 1,
                     lists: bool = False) -> None:
        if not isinstance(value, dict) or not value:
            self.fail(where, "not a language map")
            return
        for text in value.values():
            items = text if lists else [text]
            if lists and not isinstance(text, list):
                self.fail(where, "a language map of lists holds a non-list")
            elif not all(isinstance(t, str) and len(t.strip()) >= minimum for t in items):
                self.fail(where, f"text shorter than {minimum} characters: {text!r}")

    def alignment(self, where: str, value: Any, scheme: str | None, prefix: str | None) -> None:
        if not isinstance(value, dict) or value.get("@type") != (
                "ceterms:CredentialAlignmentObject"):
            self.fail(where, "not a CredentialAlignmentObject")
            return
        node = value.get("ceterms:targetNode")
        if prefix and not str(node).startswith(prefix):
            self.fail(where, f"{node!r} is not a {prefix} concept")
        if scheme in self.vocabularies and node not in self.vocabularies[scheme]:
            self.fail(where, f"{node!r} is not a concept of {scheme}")

    def constraint(self, where: str, value: Any, rule: dict[str, Any]) -> None:
        form, minimum = rule.get("form"), rule.get("minLength", 1)
        if "pattern" in rule and not re.fullmatch(rule["pattern"], str(value)):
            self.fail(where, f"{value!r} does not match {rule['pattern']}")
        if form == "languageMap":
            self.language_map(where, value, minimum)
        elif form == "languageMapOfLists":
            self.language_map(where, value, lists=True)
        elif form == "absoluteUrl" and not re.match(r"https?://[^/\s]+", str(value)):
            self.fail(where, f"{value!r} is not an absolute URL")
        elif form == "listOfLanguageCodes" and not (
                isinstance(value, list) and len(value) >= rule.get("minItems", 1)
                and all(isinstance(v, str) for v in value)):
            self.fail(where, "not a list of language codes")
        elif form == "credentialAlignmentObject":
            self.alignment(where, value, rule.get("scheme"), rule.get("targetNodePrefix"))
        elif form == "listOfCredentialAlignmentObject":
            items = value if isinstance(value, list) else [None]
            if not rule.get("minItems", 1) <= len(items) <= rule.get("maxItems", len(items)):
                self.fail(where, f"{len(items)} items")
            for item in items:
                self.alignment(where, item, rule.get("scheme"), rule.get("targetNodePrefix"))
        elif form in ("listOfRegistryUris", "listOfRegistryUrisOrBlankNodeIds"):
            items = value if isinstance(value, list) and value else [None]
            for item in items:
                self.uri(where, item, blank_ok=form.endswith("BlankNodeIds"))
        elif form == "registryUri":
            self.uri(where, value)
        elif form == "iso8601Duration" and not re.fullmatch(self.common["iso8601Duration"],
                                                            str(value)):
            self.fail(where, f"{value!r} is not an ISO 8601 duration")
        elif form == "listOfStrings" and not (isinstance(value, list) and value and all(
                isinstance(v, str) for v in value)):
            self.fail(where, "not a list of strings")
        elif form == "integer" and not (isinstance(value, int) and value >= rule.get("minimum",
                                                                                     0)):
            self.fail(where, f"{value!r} is not an integer >= {rule.get('minimum', 0)}")
        elif form == "number" and not isinstance(value, int | float):
            self.fail(where, f"{value!r} is not a number")

    def node(self, value: Any, where: str, top: bool = False) -> None:
        if isinstance(value, list):
            for item in value:
                self.node(item, where)
            return
        if not isinstance(value, dict):
            return
        kind = value.get("@type")
        rule = self.rules["classes"].get(kind)
        if top and str(value.get("@id")).startswith("_:"):
            # An organisation the registry does not hold: type, name and webpage (RA_SVC 1155).
            for prop in ("ceterms:name", "ceterms:subjectWebpage"):
                if not value.get(prop) or not kind:
                    self.fail(where, f"a blank node needs @type, ceterms:name and {prop}")
            rule = None
        elif top and rule is None:
            self.fail(where, f"@type {kind!r} has no registry rules")
        for prop in self.common["languageMapOfLists"]["appliesTo"]:
            if prop in value:
                self.language_map(f"{where} {prop}", value[prop], lists=True)
        for prop in AGENT_REFERENCES:
            for item in value.get(prop, []) if prop in value else []:
                self.uri(f"{where} {prop}", item, blank_ok=True)
        if rule is not None:
            here = f"{where} {kind}"
            for prop in rule.get("required", []):
                if value.get(prop) in (None, "", [], {}):
                    self.fail(here, f"lacks {prop}")
            groups = rule.get("oneOf", [])
            if any(len(group) == 1 for group in groups):
                # Alternatives (DurationProfile, ValueProfile): one group in full.
                if not any(all(p in value for p in group) for group in groups):
                    self.fail(here, "needs one of " + " | ".join(" + ".join(g) for g in groups))
            else:  # each group: at least one of its members (ownedBy or offeredBy)
                for group in groups:
                    if not any(p in value for p in group):
                        self.fail(here, "needs one of " + ", ".join(group))
            for prop in rule.get("notAllowedOnClass") or {}:
                if prop in value:
                    self.fail(here, f"{prop} is not allowed on this class")
            for prop, constraint in (rule.get("constraints") or {}).items():
                if prop in value and isinstance(constraint, dict):
                    self.constraint(f"{here} {prop}", value[prop], constraint)
            if str(kind).endswith("Component") and value.get("ceterms:ctid") and (
                    not str(value.get("@id")).endswith(value["ceterms:ctid"])):
                self.fail(here, "@id does not end with the CTID")
        for prop, item in value.items():
            if prop not in ("@id", "@type"):
                self.node(item, f"{where} {prop}")


def ctdl_problems(document: Any) -> list[str]:
    rules = json.loads(CTDL_RULES.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        return ["not a JSON object"]
    return _CtdlChecker(rules, document).problems


def test_ctdl_rules_can_fail() -> None:
    """The checker finds what the registry rejects (hand-made wrong records)."""
    ctid = "ce-" + "0" * 8 + "-0000-4000-8000-" + "0" * 12
    good = {"@context": "https://credreg.net/ctdl/schema/context/json",
            "@id": f"https://credentialengineregistry.org/graph/{ctid}",
            "@graph": [{
                "@type": "ceterms:Pathway", "@id": f"https://credentialengineregistry.org/"
                f"resources/{ctid}", "ceterms:ctid": ctid,
                "ceterms:name": {"en": "A pathway"},
                "ceterms:description": {"en": "Fifteen characters or more."},
                "ceterms:ownedBy": [f"https://credentialengineregistry.org/resources/{ctid}"]}]}
    assert ctdl_problems(good) == []
    wrongs = {
        "ownedBy a web page": ("ceterms:ownedBy", ["https://example.org/issuers/x/"]),
        "short description": ("ceterms:description", {"en": "Too short"}),
        "keyword as one string": ("ceterms:keyword", {"en": "a, b"}),
        "unknown status": ("ceterms:lifeCycleStatusType", {
            "@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": "lifeCycle:Gone",
            "ceterms:targetNodeName": {"en": "Gone"}}),
    }
    for why, (prop, value) in wrongs.items():
        bad = copy.deepcopy(good)
        bad["@graph"][0][prop] = value
        assert ctdl_problems(bad), why
    bad = copy.deepcopy(good)
    del bad["@graph"][0]["ceterms:ownedBy"]
    assert ctdl_problems(bad) == [f"https://credentialengineregistry.org/resources/{ctid} "
                                  "ceterms:Pathway: needs one of ceterms:ownedBy, "
                                  "ceterms:offeredBy"]


def test_every_ctdl_export_meets_the_registry_rules(tmp_path: Path) -> None:
    """Organizations, credentials and pathways of a real build; references resolve."""
    site = build_site(copy_project(tmp_path / "project"), tmp_path / "site")
    catalog = Project.from_config(REPO / "mkdocs.yml").require()
    paths = sorted(site.glob("issuers/*/ctdl.json"))
    # Keyed by where they are published; credentials' and pathways' graphs by id in their
    # CTDL shards.
    documents = {p.relative_to(site).as_posix(): json.loads(p.read_text(encoding="utf-8"))
                 for p in paths}
    documents |= {f"credentials/{i}": d
                  for i, d in sharded(site, "ctdlCredential").items()}
    documents |= {f"pathways/{i}": d for i, d in sharded(site, "ctdlPathway").items()}
    assert len(documents) == (len(catalog.issuers) + len(catalog.credentials)
                              + len(catalog.pathways))
    problems = {key: ctdl_problems(d) for key, d in documents.items()}
    assert not {k: v for k, v in problems.items() if v}, problems

    # Every reference to another record names a record this site exports.
    exported = {d["@graph"][0]["@id"] for d in documents.values()}
    exported |= {n["@id"] for d in documents.values() for n in d["@graph"]}
    for path, document in documents.items():
        record = document["@graph"][0]
        refs = [*record.get("ceterms:ownedBy", []), *record.get("ceterms:offeredBy", [])]
        refs += [u for c in record.get("ceterms:requires", []) + record.get(
            "ceterms:isPreparationFor", []) for u in c.get("ceterms:targetCredential", [])]
        refs += [n["ceterms:proxyFor"] for n in document["@graph"] if "ceterms:proxyFor" in n]
        assert set(refs) <= exported, (path, set(refs) - exported)

    # The catalog data CTDL can express is there (hand-checked against catalog/ YAML).
    issuer = documents[f"issuers/{ISSUER}/ctdl.json"]["@graph"][0]
    assert issuer["@type"] == "ceterms:CredentialOrganization"
    assert issuer["ceterms:email"] == ["credentials@northbridge.example.org"]
    records = {key.removeprefix("credentials/"): d["@graph"][0]
               for key, d in documents.items() if key.startswith("credentials/")}
    for credential in catalog.credentials.values():
        record = records[credential.id]
        assert record["ceterms:ownedBy"] == [issuer_uri(documents, credential.issuer.id)]
        if credential.tags:
            assert record["ceterms:keyword"] == {credential.languages[0]: credential.tags}
        if credential.level.eqf:
            assert record["ceterms:atLevel"][0]["ceterms:codedNotation"] == str(
                credential.level.eqf)
        if credential.workload.ects:
            values = [v["schema:value"] for c in record["ceterms:requires"]
                      for v in c.get("ceterms:creditValue", [])]
            assert values == [credential.workload.ects]
        if credential.validity_months:
            assert record["ceterms:renewalFrequency"] == f"P{credential.validity_months}M"
        if credential.image:
            assert record["ceterms:image"].endswith(credential.image)
        if credential.prerequisites:
            assert any("ceterms:targetCredential" in c for c in record["ceterms:requires"])
        if any(r.url for r in credential.recognition):
            assert {"ceterms:recognizedBy", "ceterms:approvedBy",
                    "ceterms:regulatedBy"} & set(record)
    for pathway in catalog.pathways.values():
        head = documents[f"pathways/{pathway.id}"]["@graph"][0]
        assert head["ceterms:lifeCycleStatusType"]["ceterms:targetNode"] == "lifeCycle:Active"


def issuer_uri(documents: dict[str, Any], issuer_id: str) -> str:
    return documents[f"issuers/{issuer_id}/ctdl.json"]["@graph"][0]["@id"]
