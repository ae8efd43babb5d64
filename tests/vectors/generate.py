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
import sys
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
from site_builder.credentials.issuing import Learner, build_credential  # noqa: E402
from site_builder.credentials.status_list import Allocation, IssuerStatus  # noqa: E402
from site_builder.publishing.project import Project  # noqa: E402

HERE = Path(__file__).resolve().parent
OVERLAY = HERE / "site"
KEY_ID, RETIRED_KEY_ID, COMPROMISED_KEY_ID = "vectors-key", "vectors-retired", "vectors-compromised"
ISSUED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
CREATED, LATE = "2026-01-15T09:30:00Z", "2026-07-01T09:30:00Z"
KEY_CHANGE = "2026-06-01T00:00:00Z"  # when the retired key retired and the other was revoked
LEARNER = Learner("Alex Rivera", "alex.rivera@example.org")
ALL_CHECKS = ("format", "proof", "issuer", "key", "signature", "validity", "status",
              "achievement")


def expect(verdict: str, **statuses: str) -> dict[str, Any]:
    """Expected result: every check passes unless named."""
    return {"verdict": verdict, "checks": {c: statuses.get(c, "pass") for c in ALL_CHECKS}}


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
            index, document["id"], "vectors", key_id, document["proof"]["created"],
            status_list.proof_hash(document)))

    def signed_list(self, issuer_id: str, purpose: str, key: SigningKey, method: str,
                    issuer_claimed: str | None = None) -> dict[str, Any]:
        unsigned = status_list.list_credential(self.site, issuer_claimed or issuer_id, purpose,
                                               bytes(self.bits[issuer_id][purpose]), ISSUED)
        if issuer_claimed:
            unsigned["id"] = unsigned["credentialSubject"]["id"] = self.site.absolute(
                f"status/{issuer_id}/foreign.json")
        return proofs.sign(unsigned, key, verification_method=method,
                           cryptosuite=status_list.LIST_CRYPTOSUITE, created=CREATED)

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

    signature_fails = expect("not-verified", signature="fail")
    unusable_proof = expect("not-verified", proof="fail", key="unknown", signature="unknown")
    unpublished = expect("not-verified", key="fail", signature="unknown")
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
        "another-issuers-key": (sign(unsigned(), key_b, method_b), unpublished),
        "key-id-of-issuer-signed-by-other": (sign(unsigned(), key_b, method_a), signature_fails),
        "unpublished-key": (sign(unsigned(), stray, f"{site.issuer_did(issuer_a)}#key-99"),
                            unpublished),
        "did-key-unpublished": (sign(unsigned(), stray, f"{did_key_stray}#{did_key_stray[8:]}"),
                                unpublished),
        "foreign-issuer": (sign(foreign, stray, "did:web:evil.example.com#key-1"),
                           expect("not-verified", issuer="fail", key="fail",
                                  signature="unknown", status="unknown")),
        "wrong-cryptosuite": (edited(valid_rdfc, set_proof("cryptosuite", "ecdsa-rdfc-2019")),
                              unusable_proof),
        "bad-multibase": (edited(valid_rdfc, set_proof("proofValue", "uAAAA")), unusable_proof),
        "wrong-proof-purpose": (edited(valid_rdfc, set_proof("proofPurpose", "authentication")),
                                unusable_proof),
        "bad-created": (edited(valid_jcs, set_proof("created", "15/01/2026")), unusable_proof),
        "missing-proof": (unsigned(), unusable_proof),
        "not-yet-valid": (sign(not_yet), expect("not-verified", validity="fail")),
        "expired": (sign(expired), expect("warning", validity="warn")),
        "unknown-achievement": (sign(unknown_achievement),
                                expect("not-verified", achievement="fail")),
        "achievement-of-other-issuer": (sign(borrowed), expect("not-verified",
                                                               achievement="fail")),
        "missing-subject": (sign(no_subject), expect("not-verified", format="fail",
                                                     achievement="unknown")),
        "not-an-object": ([1, 2, 3], {"verdict": "not-verified", "checks": {
            c: ("fail" if c == "format" else "unknown") for c in ALL_CHECKS}}),
        "retired-credential": (sign(unsigned(retired), v.keys[retired.issuer.id],
                                    v.method(retired.issuer.id)), expect("verified")),
        # -- revocation, suspension and status lists ----------------------------------------
        "revoked": (sign(unsigned(revoked=True)), expect("not-verified", status="fail")),
        "suspended": (sign(unsigned(suspended=True), suite="eddsa-jcs-2022"),
                      expect("not-verified", status="fail")),
        "no-status": (sign(no_status), expect("warning", status="unknown")),
        "status-list-unreachable": (sign(edited(unsigned(), point_status_at("missing.json"))),
                                    expect("warning", status="unknown")),
        "status-list-tampered": (sign(edited(unsigned(), point_status_at("tampered.json"))),
                                 expect("warning", status="unknown")),
        "status-list-signed-by-other-issuer": (
            sign(edited(unsigned(), point_status_at("foreign.json"))),
            expect("warning", status="unknown")),
        # -- key lifecycle ------------------------------------------------------------------
        "retired-key-before-retirement": (
            sign(unsigned(), retired_key, v.method(issuer_a, RETIRED_KEY_ID)),
            expect("verified")),
        "retired-key-after-retirement": (
            sign(unsigned(), retired_key, v.method(issuer_a, RETIRED_KEY_ID), created=LATE),
            expect("not-verified", key="fail")),
        "revoked-key-before-compromise-on-record": (on_record, expect("verified")),
        "revoked-key-backdated-not-on-record": (
            sign(unsigned(), compromised_key, v.method(issuer_a, COMPROMISED_KEY_ID)),
            expect("not-verified", key="fail")),
        "revoked-key-after-compromise": (
            sign(unsigned(), compromised_key, v.method(issuer_a, COMPROMISED_KEY_ID),
                 created=LATE), expect("not-verified", key="fail")),
    }
    v.publish()

    # Lists the tests lay over the published site: one changed after signing, one signed by
    # another issuer's key while claiming to be issuer A's.
    shutil.rmtree(OVERLAY, ignore_errors=True)
    tampered = v.signed_list(issuer_a, "revocation", key_a, method_a)
    tampered["credentialSubject"]["encodedList"] = status_list.encode_bits(
        bytes(status_list.MIN_ENTRIES // 8))[:-2] + "AA"
    foreign_list = v.signed_list(issuer_a, "revocation", key_b, method_b,
                                 issuer_claimed=issuer_a)
    for name, document in (("tampered.json", tampered), ("foreign.json", foreign_list)):
        path = OVERLAY / "status" / issuer_a / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")

    for old in HERE.glob("*.json"):
        old.unlink()
    expected = {}
    for name, (document, result) in cases.items():
        (HERE / f"{name}.json").write_text(json.dumps(document, indent=2, ensure_ascii=False)
                                           + "\n", encoding="utf-8")
        expected[name] = result
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n",
                                        encoding="utf-8")
    print(f"wrote {len(cases)} vectors; keys and status lists for {len(v.keys)} issuers")


if __name__ == "__main__":
    main()
