"""Make the shared verification vectors in tests/vectors/ from the example catalog.

Run from the repository root: `.venv/bin/python tests/vectors/generate.py`. It makes fresh key
pairs in memory, publishes their public halves in public_keys/ (the `vectors-*` keys), signs
the example catalog's status lists under status/ with them, signs one credential per case and
writes the cases with their expected results to tests/vectors/expected.json. The private keys
are never written anywhere: to change a vector, regenerate them all (this also rewrites the
example catalog's status/ folder). Files under tests/vectors/site/ are laid over the built site
by the tests (status lists that are tampered with or signed by someone else). Both verifiers,
Python and the browser, must give exactly the expected results.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import struct
import sys
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from site_builder import multikey  # noqa: E402
from site_builder.catalog.model import Catalog, Credential  # noqa: E402
from site_builder.credentials import keys, proofs, status_list  # noqa: E402
from site_builder.credentials.achievement import achievement  # noqa: E402
from site_builder.credentials.did import PublishedCatalog  # noqa: E402
from site_builder.credentials.issuing import Learner, build_credential  # noqa: E402
from site_builder.credentials.status_list import Allocation, IssuerStatus  # noqa: E402
from site_builder.dates import parse_moment  # noqa: E402
from site_builder.publishing.project import Project  # noqa: E402

HERE = Path(__file__).resolve().parent
OVERLAY = HERE / "site"
OVERLAYS = HERE / "overlays"  # per case: published files laid over the site for that case
KEY_ID, RETIRED_KEY_ID, COMPROMISED_KEY_ID = "vectors-key", "vectors-retired", "vectors-compromised"
ISSUED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
CREATED, LATE = "2026-01-15T09:30:00Z", "2026-07-01T09:30:00Z"
KEY_CHANGE = "2026-06-01T00:00:00Z"  # when the retired key retired and the other was revoked
LEARNER = Learner("Alex Rivera", "alex.rivera@example.org")
ALL_CHECKS = ("format", "proof", "issuer", "key", "signature", "validity", "status",
              "achievement")


# The reason each check gives when it passes for the main test credential; written by hand
# from the verifier specification's reason list (docs/verification.md), not read from it.
PASSED = {"format": "well-formed", "proof": "proof-ok", "issuer": "catalog-issuer",
          "key": "key-active", "signature": "signature-match", "validity": "valid",
          "status": "not-revoked", "achievement": "catalog-credential"}
# Which checks do not run when one fails: the dependency rule, written out by hand.
SKIPS = {"format": ALL_CHECKS[1:], "proof": ("key", "signature", "validity", "status",
                                            "achievement"),
         "issuer": ("key", "signature", "validity", "status", "achievement"),
         "key": ("signature", "validity", "status", "achievement"),
         "signature": ("validity", "status", "achievement")}


def expect(verdict: str, **checks: str | tuple[str, str]) -> dict[str, Any]:
    """Expected result: every check passes unless named, as `status` (with the default
    reason) or `(status, reason)`; a failed check that others depend on skips them."""
    result: dict[str, list[str]] = {c: ["pass", PASSED[c]] for c in ALL_CHECKS}
    for check in ALL_CHECKS:
        if check not in checks:
            continue
        given = checks[check]
        status, reason = given if isinstance(given, tuple) else (given, PASSED[check])
        result[check] = [status, reason]
        if status == "fail":
            for later in SKIPS.get(check, ()):
                if result[later][0] != "skipped" and later not in checks:
                    result[later] = ["skipped", "skipped"]
    return {"verdict": verdict, "checks": result}


def fails(check: str, reason: str, **others: str | tuple[str, str]) -> dict[str, Any]:
    return expect("not-verified", **{check: ("fail", reason)}, **others)


def pick(catalog: Catalog, rule: Callable[[Credential], bool]) -> Credential:
    return next(c for c in sorted(catalog.credentials.values(), key=lambda c: c.id) if rule(c))


def write_key(project: Project, issuer_id: str, key_id: str, key: SigningKey,
              lifecycle: str = "state: active\n") -> None:
    path = project.keys_path / issuer_id / f"{key_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = keys.public_key_yaml(keys.public_multibase(key), "2026-01-01T00:00:00Z",
                                "../../site_builder/catalog/schemas/public-key.schema.json")
    path.write_text(text.replace("state: active\n", lifecycle), encoding="utf-8")


class Vectors:
    """Keys, status lists and allocation records shared by all the cases."""

    def __init__(self, project: Project, catalog: Catalog) -> None:
        self.project, self.catalog, self.site = project, catalog, project.site
        self.keys = {issuer_id: SigningKey.generate() for issuer_id in catalog.issuers}
        self.bits = {i: {p: bytearray(status_list.MIN_ENTRIES // 8)
                         for p in status_list.PURPOSES} for i in catalog.issuers}
        self.allocations: dict[str, list[Allocation]] = {i: [] for i in catalog.issuers}
        self.random = random.Random(20260115)
        self.used: set[int] = set()

    def method(self, issuer_id: str, key_id: str = KEY_ID) -> str:
        return f"{self.site.issuer_did(issuer_id)}#{key_id}"

    def with_status(self, document: dict[str, Any], issuer_id: str, *, revoked: bool = False,
                    suspended: bool = False) -> dict[str, Any]:
        index = self.random.randrange(status_list.MIN_ENTRIES)
        while index in self.used:
            index = self.random.randrange(status_list.MIN_ENTRIES)
        self.used.add(index)
        document["credentialStatus"] = status_list.entries(self.site, issuer_id, index)
        status_list.set_bit(self.bits[issuer_id]["revocation"], index, revoked)
        status_list.set_bit(self.bits[issuer_id]["suspension"], index, suspended)
        return document

    def record(self, document: dict[str, Any], issuer_id: str, key_id: str) -> None:
        """Enter a signed credential in the issuer's allocation records, as issuing does."""
        index = int(document["credentialStatus"][0]["statusListIndex"])
        self.allocations[issuer_id].append(Allocation(
            index, document["id"], "vectors", key_id, parse_moment(document["proof"]["created"]),
            status_list.proof_hash(document)))

    def signed_list(self, issuer_id: str, purpose: str, key: SigningKey, method: str,
                    issuer_claimed: str | None = None) -> dict[str, Any]:
        unsigned = status_list.list_credential(self.site, issuer_claimed or issuer_id, purpose,
                                               bytes(self.bits[issuer_id][purpose]), ISSUED)
        if issuer_claimed:
            unsigned["id"] = unsigned["credentialSubject"]["id"] = self.site.absolute(
                f"status/{issuer_id}/foreign.json")
        return status_list.sign_list(unsigned, key, method, created=CREATED)

    def publish(self) -> None:
        """Write keys, signed lists and allocation records into the example catalog."""
        shutil.rmtree(self.project.root / status_list.STATUS_DIR, ignore_errors=True)
        for issuer_id, key in self.keys.items():
            write_key(self.project, issuer_id, KEY_ID, key)
            status = IssuerStatus(self.project.root, self.site, issuer_id)
            for purpose in status_list.PURPOSES:
                path = self.project.root / status_list.list_path(issuer_id, purpose)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(self.signed_list(issuer_id, purpose, key,
                                                            self.method(issuer_id)), indent=2)
                                + "\n", encoding="utf-8")
            if self.allocations[issuer_id]:
                records = status.record(self.allocations[issuer_id])
                records.rename(records.with_name("vectors.csv"))


def main() -> None:
    project = Project.from_config(ROOT / "mkdocs.yml")
    catalog = project.require()
    site = project.site
    v = Vectors(project, catalog)
    issuer_a, issuer_b = sorted(i for i in catalog.issuers
                                if any(c.active for c in catalog.issuers[i].credentials))[:2]
    key_a, key_b, stray = v.keys[issuer_a], v.keys[issuer_b], SigningKey.generate()
    retired_key, compromised_key = SigningKey.generate(), SigningKey.generate()
    write_key(project, issuer_a, RETIRED_KEY_ID, retired_key,
              f"state: retired\nretired: '{KEY_CHANGE}'\n")
    write_key(project, issuer_a, COMPROMISED_KEY_ID, compromised_key,
              f"state: revoked\nrevoked: '{KEY_CHANGE}'\n"
              "revocation_reason: test vectors - the key is treated as stolen\n")
    method_a, method_b = v.method(issuer_a), v.method(issuer_b)
    main_credential = pick(catalog, lambda c: c.issuer.id == issuer_a and c.active
                           and not c.validity_months)
    other_issuers = pick(catalog, lambda c: c.issuer.id == issuer_b and c.active)
    retired = pick(catalog, lambda c: not c.active)

    def unsigned(credential: Credential = main_credential, **status: bool) -> dict[str, Any]:
        document = build_credential(site, credential, LEARNER, ISSUED, salt="5a1ted5a1ted")
        return v.with_status(document, credential.issuer.id, **status)

    def sign(document: dict[str, Any], key: SigningKey = key_a, method: str = method_a,
             suite: str = "eddsa-rdfc-2022", created: str = CREATED) -> dict[str, Any]:
        return proofs.sign(document, key, verification_method=method, cryptosuite=suite,
                           created=created)

    def edited(document: dict[str, Any], change: Callable[[dict[str, Any]], None]
               ) -> dict[str, Any]:
        copied = copy.deepcopy(document)
        change(copied)
        return copied

    def set_proof(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
        return lambda d: d["proof"].__setitem__(field, value)

    def point_status_at(name: str) -> Callable[[dict[str, Any]], None]:
        """Send the revocation entry to another list; the suspension entry stays sound."""
        def change(document: dict[str, Any]) -> None:
            entry = document["credentialStatus"][0]
            assert entry["statusPurpose"] == "revocation"
            url = site.absolute(f"status/{issuer_a}/{name}")
            entry["statusListCredential"] = url
            entry["id"] = f"{url}#{entry['statusListIndex']}"
        return change

    valid_rdfc = sign(unsigned())
    valid_jcs = sign(unsigned(), suite="eddsa-jcs-2022")
    did_key_a = "did:key:" + keys.public_multibase(key_a)
    did_key_stray = "did:key:" + keys.public_multibase(stray)
    foreign = unsigned()
    foreign["issuer"]["id"] = "did:web:evil.example.com"
    not_yet = unsigned()
    not_yet["validFrom"] = "2099-01-01T00:00:00Z"
    expired = unsigned()
    expired["validFrom"], expired["validUntil"] = "2019-01-01T00:00:00Z", "2020-01-01T00:00:00Z"
    unknown_achievement = unsigned()
    unknown_achievement["credentialSubject"]["achievement"]["id"] = site.absolute(
        "credentials/no-such-credential/")
    borrowed = unsigned()
    borrowed["credentialSubject"]["achievement"] = achievement(site, other_issuers)
    no_subject = unsigned()
    del no_subject["credentialSubject"]
    no_status = unsigned()
    del no_status["credentialStatus"]
    on_record = sign(unsigned(), compromised_key, v.method(issuer_a, COMPROMISED_KEY_ID))
    v.record(on_record, issuer_a, COMPROMISED_KEY_ID)
    for document in (valid_rdfc, valid_jcs):
        v.record(document, issuer_a, KEY_ID)

    signature_fails = fails("signature", "signature-mismatch")
    revoked = sign(unsigned(revoked=True))

    def revocation_entry(change: Callable[[dict[str, Any]], None]
                         ) -> Callable[[dict[str, Any]], None]:
        return lambda d: change(d["credentialStatus"][0])

    def one_entry(document: dict[str, Any]) -> dict[str, Any]:
        """Only the revocation entry, as one object: the shape `credcat issue` now writes."""
        document["credentialStatus"] = document["credentialStatus"][0]
        return document

    cases: dict[str, tuple[Any, dict[str, Any]]] = {
        "valid-rdfc": (valid_rdfc, expect("verified")),
        "valid-jcs": (valid_jcs, expect("verified")),
        "did-key-published": (sign(unsigned(), method=f"{did_key_a}#{did_key_a[8:]}"),
                              expect("verified")),
        "tampered-name": (edited(valid_rdfc, lambda d: d.__setitem__("name", "Anything")),
                          signature_fails),
        "tampered-learner-jcs": (edited(valid_jcs, lambda d: d["credentialSubject"][
            "identifier"][1].__setitem__("identityHash", "Someone Else")), signature_fails),
        "tampered-validfrom": (edited(valid_rdfc, lambda d: d.__setitem__(
            "validFrom", "2025-01-15T09:30:00Z")), signature_fails),
        "tampered-achievement": (edited(valid_rdfc, lambda d: d["credentialSubject"][
            "achievement"].__setitem__("name", "Doctor of Everything")), signature_fails),
        "tampered-status-index": (edited(valid_jcs, lambda d: d["credentialStatus"][0]
                                         .__setitem__("statusListIndex", "7")), signature_fails),
        "zeroed-signature": (edited(valid_jcs, set_proof("proofValue",
                                                         multikey.encode_signature(bytes(64)))),
                             signature_fails),
        "another-issuers-key": (sign(unsigned(), key_b, method_b),
                                fails("key", "key-other-issuer")),
        "key-id-of-issuer-signed-by-other": (sign(unsigned(), key_b, method_a), signature_fails),
        "unpublished-key": (sign(unsigned(), stray, f"{site.issuer_did(issuer_a)}#key-99"),
                            fails("key", "key-not-in-did-document")),
        "did-key-unpublished": (sign(unsigned(), stray, f"{did_key_stray}#{did_key_stray[8:]}"),
                                fails("key", "did-key-not-published")),
        "foreign-issuer": (sign(foreign, stray, "did:web:evil.example.com#key-1"),
                           fails("issuer", "foreign-issuer")),
        "wrong-cryptosuite": (edited(valid_rdfc, set_proof("cryptosuite", "ecdsa-rdfc-2019")),
                              fails("proof", "unsupported-cryptosuite")),
        "bad-multibase": (edited(valid_rdfc, set_proof("proofValue", "uAAAA")),
                          fails("proof", "bad-proof-value")),
        "wrong-proof-purpose": (edited(valid_rdfc, set_proof("proofPurpose", "authentication")),
                                fails("proof", "wrong-proof-purpose")),
        "bad-created": (edited(valid_jcs, set_proof("created", "15/01/2026")),
                        fails("proof", "bad-created")),
        "missing-proof": (unsigned(), fails("proof", "no-proof")),
        "not-yet-valid": (sign(not_yet), fails("validity", "not-yet-valid")),
        "expired": (sign(expired), expect("warning", validity=("warn", "expired"))),
        "unknown-achievement": (sign(unknown_achievement),
                                fails("achievement", "unknown-achievement")),
        "achievement-of-other-issuer": (sign(borrowed),
                                        fails("achievement", "other-issuers-achievement")),
        "missing-subject": (sign(no_subject), fails("format", "missing-field")),
        "not-an-object": ([1, 2, 3], fails("format", "not-a-credential")),
        "retired-credential": (sign(unsigned(retired), v.keys[retired.issuer.id],
                                    v.method(retired.issuer.id)),
                               expect("verified", achievement=("pass", "retired-credential"))),
        # -- revocation, suspension and status lists ----------------------------------------
        "revoked": (revoked, fails("status", "revoked")),
        "suspended": (sign(unsigned(suspended=True), suite="eddsa-jcs-2022"),
                      fails("status", "suspended")),
        "no-status": (sign(no_status), expect("warning", status=("unknown", "no-status"))),
        "status-list-unreachable": (sign(edited(unsigned(), point_status_at("missing.json"))),
                                    expect("warning",
                                           status=("unknown", "status-list-unreachable"))),
        "status-list-tampered": (sign(edited(unsigned(), point_status_at("tampered.json"))),
                                 expect("warning", status=("unknown", "status-list-signature"))),
        "status-list-signed-by-other-issuer": (
            sign(edited(unsigned(), point_status_at("foreign.json"))),
            expect("warning", status=("unknown", "status-list-other-issuer"))),
        "status-list-oversized": (sign(edited(unsigned(), point_status_at("oversized.json"))),
                                  expect("warning", status=("unknown", "status-list-too-large"))),
        "status-path-outside-the-folder": (
            sign(edited(unsigned(revoked=True),
                        point_status_at(f"../../status/{issuer_a}/revocation.json"))),
            expect("warning", status=("unknown", "status-list-not-published"))),
        # -- key lifecycle ------------------------------------------------------------------
        "retired-key-before-retirement": (
            sign(unsigned(), retired_key, v.method(issuer_a, RETIRED_KEY_ID)),
            expect("verified", key=("pass", "key-retired-after"))),
        "retired-key-after-retirement": (
            sign(unsigned(), retired_key, v.method(issuer_a, RETIRED_KEY_ID), created=LATE),
            fails("key", "key-retired")),
        "revoked-key-before-compromise-on-record": (
            on_record, expect("verified", key=("pass", "key-revoked-on-record"))),
        "revoked-key-backdated-not-on-record": (
            sign(unsigned(), compromised_key, v.method(issuer_a, COMPROMISED_KEY_ID)),
            fails("key", "key-revoked")),
        "revoked-key-after-compromise": (
            sign(unsigned(), compromised_key, v.method(issuer_a, COMPROMISED_KEY_ID),
                 created=LATE), fails("key", "key-revoked")),
        # -- JSON shapes with the same signed RDF, which only the one exact shape may take ---
        "status-list-url-in-a-list": (edited(revoked, revocation_entry(
            lambda e: e.__setitem__("statusListCredential", [e["statusListCredential"]]))),
            fails("format", "unexpected-shape")),
        "status-list-url-as-object": (edited(revoked, revocation_entry(
            lambda e: e.__setitem__("statusListCredential", {"id": e["statusListCredential"]}))),
            fails("format", "unexpected-shape")),
        "status-index-as-value-object": (edited(revoked, revocation_entry(
            lambda e: e.__setitem__("statusListIndex", {"@value": e["statusListIndex"]}))),
            fails("format", "unexpected-shape")),
        "status-purpose-in-a-list": (edited(revoked, revocation_entry(
            lambda e: e.__setitem__("statusPurpose", ["revocation"]))),
            fails("format", "unexpected-shape")),
        "status-type-in-a-list": (edited(revoked, revocation_entry(
            lambda e: e.__setitem__("type", ["BitstringStatusListEntry"]))),
            fails("format", "unexpected-shape")),
        "status-entries-nested-in-a-list": (edited(revoked, lambda d: d.__setitem__(
            "credentialStatus", [d["credentialStatus"]])), fails("format", "unexpected-shape")),
        "name-with-direction": (edited(valid_rdfc, lambda d: d.__setitem__(
            "name", {"@value": d["name"], "@direction": "rtl"})),
            fails("format", "unexpected-shape")),
        # -- shapes `credcat issue` writes from now on (issue 12) -----------------------------
        "proof-in-a-list": (edited(valid_rdfc, lambda d: d.__setitem__("proof", [d["proof"]])),
                            expect("verified")),
        "two-proofs": (edited(valid_rdfc, lambda d: d.__setitem__("proof", [d["proof"]] * 2)),
                       fails("proof", "several-proofs")),
        "one-status-entry": (sign(one_entry(unsigned())), expect("verified")),
        "one-status-entry-revoked": (sign(one_entry(unsigned(revoked=True))),
                                     fails("status", "revoked")),
        "status-list-signed-rdfc": (sign(edited(unsigned(revoked=True),
                                                point_status_at("rdfc.json"))),
                                    fails("status", "revoked")),
        # -- status lists signed with a proof set (issue 16): the eddsa-jcs-2022 proof is the
        # one both verifiers check; a set this catalog does not write is refused.
        "status-list-proof-set-jcs-proof-changed": (
            sign(edited(unsigned(revoked=True), point_status_at("set-jcs-changed.json"))),
            expect("warning", status=("unknown", "status-list-signature"))),
        "status-list-proof-set-suite-twice": (
            sign(edited(unsigned(revoked=True), point_status_at("set-suite-twice.json"))),
            expect("warning", status=("unknown", "status-list-signature"))),
    }
    # Published documents altered for one case only: (case, site path, change).
    tamperings: list[tuple[str, Any, str, Callable[[Any], None]]] = [
        ("did-assertion-method-string", valid_jcs, f"issuers/{issuer_a}/did.json",
         lambda d: d.__setitem__("assertionMethod", " ".join(d["assertionMethod"]))),
        ("key-record-not-an-object", valid_jcs, "keys.json",
         lambda d: d["issuers"][issuer_a]["keys"].insert(0, "not a key record")),
        ("revoked-key-absent-from-did-document", on_record, f"issuers/{issuer_a}/did.json",
         lambda d: drop_method(d, v.method(issuer_a, COMPROMISED_KEY_ID))),
        ("revoked-key-absent-after-compromise", cases["revoked-key-after-compromise"][0],
         f"issuers/{issuer_a}/did.json",
         lambda d: drop_method(d, v.method(issuer_a, COMPROMISED_KEY_ID))),
    ]
    tampered_expect = {
        "did-assertion-method-string": fails("key", "key-not-authorised"),
        "key-record-not-an-object": fails("key", "key-index-mismatch"),
        "revoked-key-absent-from-did-document": expect(
            "verified", key=("pass", "key-revoked-on-record")),
        "revoked-key-absent-after-compromise": fails("key", "key-revoked"),
    }
    v.publish()

    # Lists the tests lay over the published site: one changed after signing, one signed by
    # another issuer's key while claiming to be issuer A's, one that unpacks to 17 MiB, and
    # one signed with eddsa-rdfc-2022 (status lists may use either suite).
    shutil.rmtree(OVERLAY, ignore_errors=True)
    tampered = v.signed_list(issuer_a, "revocation", key_a, method_a)
    tampered["credentialSubject"]["encodedList"] = status_list.encode_bits(
        bytes(status_list.MIN_ENTRIES // 8))[:-2] + "AA"
    foreign_list = v.signed_list(issuer_a, "revocation", key_b, method_b,
                                 issuer_claimed=issuer_a)
    oversized = status_list.list_credential(site, issuer_a, "revocation",
                                            bytes(17 * 1024 * 1024), ISSUED)
    oversized = proofs.sign(oversized, key_a, verification_method=method_a,
                            cryptosuite="eddsa-jcs-2022", created=CREATED)
    rdfc_list = proofs.sign(status_list.list_credential(
        site, issuer_a, "revocation", bytes(v.bits[issuer_a]["revocation"]), ISSUED),
        key_a, verification_method=method_a, cryptosuite="eddsa-rdfc-2022", created=CREATED)
    # Proof sets: the jcs proof's signature swapped for the rdfc proof's (well formed, but not
    # over this list); two jcs proofs.
    jcs_changed = v.signed_list(issuer_a, "revocation", key_a, method_a)
    by_suite = {p["cryptosuite"]: p for p in jcs_changed["proof"]}
    by_suite["eddsa-jcs-2022"]["proofValue"] = by_suite["eddsa-rdfc-2022"]["proofValue"]
    suite_twice = v.signed_list(issuer_a, "revocation", key_a, method_a)
    jcs_proof = next(p for p in suite_twice["proof"] if p["cryptosuite"] == "eddsa-jcs-2022")
    suite_twice["proof"] = [jcs_proof, jcs_proof]
    for name, document in (("tampered.json", tampered), ("foreign.json", foreign_list),
                           ("oversized.json", oversized), ("rdfc.json", rdfc_list),
                           ("set-jcs-changed.json", jcs_changed),
                           ("set-suite-twice.json", suite_twice)):
        path = OVERLAY / "status" / issuer_a / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")

    # Published documents as a build of the catalog (now holding the vectors' keys) makes them.
    published = PublishedCatalog.from_catalog(site, project.require(), project.root)
    shutil.rmtree(OVERLAYS, ignore_errors=True)
    overlays: dict[str, str] = {}
    for name, document, path, change in tamperings:
        altered = copy.deepcopy(published.get(path))
        change(altered)
        target = OVERLAYS / name / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(altered, indent=2) + "\n", encoding="utf-8")
        overlays[name] = f"overlays/{name}"
        cases[name] = (document, tampered_expect[name])

    for old in [*HERE.glob("*.json"), *HERE.glob("*.txt"), *HERE.glob("*.png")]:
        old.unlink()
    expected = {}
    for name, (document, result) in cases.items():
        write_input(f"{name}.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        expected[name] = {"input": f"{name}.json", "overlay": overlays.get(name),
                          "results": [result]}
    for name, text, results in text_inputs(valid_jcs, valid_rdfc, revoked):
        write_input(name, text)
        expected[name.rsplit(".", 1)[0]] = {"input": name, "overlay": None, "results": results}
    png = two_credential_png(valid_jcs, revoked)
    (HERE / "png-with-two-credentials.png").write_bytes(png)
    expected["png-with-two-credentials"] = {"input": "png-with-two-credentials.png",
                                            "overlay": None,
                                            "results": [fails("format", "several-credentials")]}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n",
                                        encoding="utf-8")
    print(f"wrote {len(expected)} vectors; keys and status lists for {len(v.keys)} issuers")


def write_input(name: str, text: str) -> None:
    # surrogatepass: one vector holds a lone surrogate on purpose, as a \\u escape.
    (HERE / name).write_bytes(text.encode("utf-8", "surrogatepass"))


def drop_method(document: dict[str, Any], method: str) -> None:
    """A DID document from which the issuer withdrew a (revoked) key."""
    document["verificationMethod"] = [m for m in document["verificationMethod"]
                                      if m["id"] != method]
    document["assertionMethod"] = [m for m in document["assertionMethod"] if m != method]


def text_inputs(jcs: dict[str, Any], rdfc: dict[str, Any], revoked: dict[str, Any]
                ) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Inputs that are text rather than one credential: (file name, text, expected results).

    RFC 8785 input must be I-JSON (RFC 7493): no duplicate names, no lone surrogates, no
    numbers beyond doubles. The depth limit is the verifier's own (64 levels).
    """
    body = json.dumps(jcs, indent=2)

    def with_member(member: str) -> str:
        return body[:body.rindex("}")].rstrip() + f",\n  {member}\n}}\n"

    lone = json.dumps({**rdfc, "name": "\ud800"}, indent=2, ensure_ascii=True) + "\n"
    return [
        ("with-byte-order-mark.json", "\ufeff" + body + "\n", [expect("verified")]),
        ("list-of-two.json", json.dumps([jcs, revoked], indent=2) + "\n",
         [expect("verified"), fails("status", "revoked")]),
        ("duplicate-name.json", with_member('"name": "Doctor of Everything"'),
         [fails("format", "duplicate-key")]),
        ("nested-2000-deep.json", with_member('"extra": ' + "[" * 2000 + "]" * 2000),
         [fails("format", "too-deep")]),
        ("lone-surrogate-rdfc.json", lone, [fails("format", "lone-surrogate")]),
        ("number-too-large-jcs.json", with_member('"extra": 1e400'),
         [fails("format", "number-out-of-range")]),
        ("plain-text.txt", "This is not a credential.\n", [fails("format", "not-a-credential")]),
        ("json-number.json", "42\n", [fails("format", "not-a-credential")]),
        ("object-without-context.json", '{"name": "Alex Rivera"}\n',
         [fails("format", "not-a-credential")]),
    ]


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def two_credential_png(first: dict[str, Any], second: dict[str, Any]) -> bytes:
    """A 1x1 PNG image carrying two credential chunks: which one counts cannot be told."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunks = [_png_chunk(b"IHDR", header),
              _png_chunk(b"IDAT", zlib.compress(b"\0\x0d\x3b\x66"))]
    for document in (first, second):
        chunks.append(_png_chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0"
                                 + json.dumps(document).encode("utf-8")))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + _png_chunk(b"IEND", b"")


if __name__ == "__main__":
    main()
