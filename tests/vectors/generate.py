"""Make the shared verification vectors in tests/vectors/ from the example catalog.

Run from the repository root: `.venv/bin/python tests/vectors/generate.py`. It makes fresh key
pairs in memory, publishes their public halves in public_keys/ (replacing the previous
`vectors-*` keys), signs one credential per case and writes the cases with their expected
results to tests/vectors/expected.json. The private keys are never written anywhere: to
change a vector, regenerate them all. Both verifiers (Python and the browser) must give
exactly the expected results.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from site_builder import keys, multikey, proofs  # noqa: E402
from site_builder.exports import achievement  # noqa: E402
from site_builder.issuing import Learner, build_credential  # noqa: E402
from site_builder.model import Catalog, Credential  # noqa: E402
from site_builder.project import Project  # noqa: E402

HERE = Path(__file__).resolve().parent
KEY_ID = "vectors-key"
ISSUED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
LEARNER = Learner("Alex Rivera", "alex.rivera@example.org")
ALL_CHECKS = ("format", "proof", "issuer", "key", "signature", "validity", "status",
              "achievement")


def expect(verdict: str, **statuses: str) -> dict[str, Any]:
    """Expected result: every check passes unless named; status is unknown until lists exist."""
    checks = {c: "pass" for c in ALL_CHECKS}
    checks["status"] = "unknown"
    checks.update(statuses)
    return {"verdict": verdict, "checks": checks}


def publish_key(project: Project, issuer_id: str, key: SigningKey) -> None:
    path = project.keys_path / issuer_id / f"{KEY_ID}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(keys.public_key_yaml(keys.public_multibase(key), "2026-01-01T00:00:00Z",
                                         "../../site_builder/schemas/public-key.schema.json"),
                    encoding="utf-8")


def pick(catalog: Catalog, rule: Callable[[Credential], bool]) -> Credential:
    return next(c for c in sorted(catalog.credentials.values(), key=lambda c: c.id) if rule(c))


def main() -> None:
    project = Project.from_config(ROOT / "mkdocs.yml")
    catalog = project.require()
    site = project.site
    issuer_a, issuer_b = sorted(i for i in catalog.issuers
                                if any(c.active for c in catalog.issuers[i].credentials))[:2]
    issuer_keys = {issuer_id: SigningKey.generate() for issuer_id in catalog.issuers}
    for issuer_id, key in issuer_keys.items():
        publish_key(project, issuer_id, key)
    key_a, key_b, stray = issuer_keys[issuer_a], issuer_keys[issuer_b], SigningKey.generate()
    method_a = f"{site.issuer_did(issuer_a)}#{KEY_ID}"
    method_b = f"{site.issuer_did(issuer_b)}#{KEY_ID}"
    main_credential = pick(catalog, lambda c: c.issuer.id == issuer_a and c.active
                           and not c.validity_months)
    other_issuers = pick(catalog, lambda c: c.issuer.id == issuer_b and c.active)
    retired = next((c for c in catalog.credentials.values() if not c.active), None)

    def unsigned(credential: Credential = main_credential) -> dict[str, Any]:
        return build_credential(site, credential, LEARNER, ISSUED, salt="5a1ted5a1ted")

    def sign(document: dict[str, Any], key: SigningKey = key_a, method: str = method_a,
             suite: str = "eddsa-rdfc-2022") -> dict[str, Any]:
        return proofs.sign(document, key, verification_method=method, cryptosuite=suite,
                           created="2026-01-15T09:30:00Z")

    def edited(document: dict[str, Any], change: Callable[[dict[str, Any]], None]
               ) -> dict[str, Any]:
        copied = copy.deepcopy(document)
        change(copied)
        return copied

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

    def set_proof(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
        return lambda d: d["proof"].__setitem__(field, value)

    def bad_signature_value(d: dict[str, Any]) -> None:
        d["proof"]["proofValue"] = multikey.encode_signature(bytes(64))

    cases: dict[str, tuple[Any, dict[str, Any]]] = {
        "valid-rdfc": (valid_rdfc, expect("warning")),
        "valid-jcs": (valid_jcs, expect("warning")),
        "did-key-published": (sign(unsigned(), method=f"{did_key_a}#{did_key_a[8:]}"),
                              expect("warning")),
        "tampered-name": (edited(valid_rdfc, lambda d: d.__setitem__("name", "Anything")),
                          expect("not-verified", signature="fail")),
        "tampered-learner-jcs": (edited(valid_jcs, lambda d: d["credentialSubject"][
            "identifier"][1].__setitem__("identityHash", "Someone Else")),
            expect("not-verified", signature="fail")),
        "tampered-validfrom": (edited(valid_rdfc, lambda d: d.__setitem__(
            "validFrom", "2025-01-15T09:30:00Z")), expect("not-verified", signature="fail")),
        "tampered-achievement": (edited(valid_rdfc, lambda d: d["credentialSubject"][
            "achievement"].__setitem__("name", "Doctor of Everything")),
            expect("not-verified", signature="fail")),
        "zeroed-signature": (edited(valid_jcs, bad_signature_value),
                             expect("not-verified", signature="fail")),
        "another-issuers-key": (sign(unsigned(), key_b, method_b),
                                expect("not-verified", key="fail", signature="unknown")),
        "key-id-of-issuer-signed-by-other": (sign(unsigned(), key_b, method_a),
                                             expect("not-verified", signature="fail")),
        "unpublished-key": (sign(unsigned(), stray, f"{site.issuer_did(issuer_a)}#key-99"),
                            expect("not-verified", key="fail", signature="unknown")),
        "did-key-unpublished": (sign(unsigned(), stray,
                                     f"{did_key_stray}#{did_key_stray[8:]}"),
                                expect("not-verified", key="fail", signature="unknown")),
        "foreign-issuer": (sign(foreign, stray, "did:web:evil.example.com#key-1"),
                           expect("not-verified", issuer="fail", key="fail",
                                  signature="unknown")),
        "wrong-cryptosuite": (edited(valid_rdfc, set_proof("cryptosuite", "ecdsa-rdfc-2019")),
                              expect("not-verified", proof="fail", key="unknown",
                                     signature="unknown")),
        "bad-multibase": (edited(valid_rdfc, set_proof("proofValue", "uAAAA")),
                          expect("not-verified", proof="fail", key="unknown",
                                 signature="unknown")),
        "wrong-proof-purpose": (edited(valid_rdfc, set_proof("proofPurpose", "authentication")),
                                expect("not-verified", proof="fail", key="unknown",
                                       signature="unknown")),
        "bad-created": (edited(valid_jcs, set_proof("created", "15/01/2026")),
                        expect("not-verified", proof="fail", key="unknown",
                               signature="unknown")),
        "missing-proof": (unsigned(), expect("not-verified", proof="fail", key="unknown",
                                             signature="unknown")),
        "not-yet-valid": (sign(not_yet), expect("not-verified", validity="fail")),
        "expired": (sign(expired), expect("warning", validity="warn")),
        "unknown-achievement": (sign(unknown_achievement),
                                expect("not-verified", achievement="fail")),
        "achievement-of-other-issuer": (sign(borrowed),
                                        expect("not-verified", achievement="fail")),
        "missing-subject": (sign(no_subject), expect(
            "not-verified", format="fail", achievement="unknown")),
        "not-an-object": ([1, 2, 3], {"verdict": "not-verified", "checks": {
            c: ("fail" if c == "format" else "unknown") for c in ALL_CHECKS}}),
    }
    if retired is not None:
        own_key = issuer_keys[retired.issuer.id]
        own_method = f"{site.issuer_did(retired.issuer.id)}#{KEY_ID}"
        cases["retired-credential"] = (
            sign(build_credential(site, retired, LEARNER, ISSUED, salt="5a1ted5a1ted"),
                 own_key, own_method), expect("warning"))

    for old in HERE.glob("*.json"):
        old.unlink()
    expected = {}
    for name, (document, result) in cases.items():
        (HERE / f"{name}.json").write_text(json.dumps(document, indent=2, ensure_ascii=False)
                                           + "\n", encoding="utf-8")
        expected[name] = result
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2) + "\n",
                                        encoding="utf-8")
    print(f"wrote {len(cases)} vectors; keys published for {len(issuer_keys)} issuers")


if __name__ == "__main__":
    main()
