"""Verify Open Badges 3.0 credentials against the keys a catalog publishes.

The checks, their ids, order, statuses and verdict rules are a contract shared with the
browser verifier (templates/theme/js/verify/): `tests/vectors/` pins each case's expected
result and both implementations must give it. A check that cannot run because an earlier one
failed reports `unknown`, never `pass`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from . import proofs
from .did import KeyResolutionError, PublishedCatalog, ResolvedKey, resolve_key
from .exports import OB_CONTEXT

CHECKS = ("format", "proof", "issuer", "key", "signature", "validity", "status", "achievement")
PASS, FAIL, WARN, UNKNOWN = "pass", "fail", "warn", "unknown"
CLOCK_SKEW = timedelta(minutes=5)
VC_CONTEXT = OB_CONTEXT[0]
OB_CONTEXT_PATTERN = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context-3\.0\.\d+\.json$")
XSD_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class Check:
    id: str
    status: str
    message: str


@dataclass
class Result:
    file: str
    verdict: str
    checks: list[Check]

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "verdict": self.verdict,
                "checks": [asdict(c) for c in self.checks]}


def verdict(checks: list[Check]) -> str:
    statuses = {c.status for c in checks}
    if FAIL in statuses:
        return "not-verified"
    if statuses & {WARN, UNKNOWN}:
        return "warning"
    return "verified"


def parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str) or not XSD_DATETIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _types(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        return issuer["id"]
    return None


def _achievement(document: dict[str, Any]) -> dict[str, Any] | None:
    subject = document.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
        return subject["achievement"]
    return None


def check_format(document: Any) -> Check:
    if not isinstance(document, dict):
        return Check("format", FAIL, "This is not a credential: it is not a JSON object.")
    problems = []
    context = document.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT:
        problems.append(f"its first @context must be {VC_CONTEXT}")
    elif not any(isinstance(c, str) and OB_CONTEXT_PATTERN.match(c) for c in context):
        problems.append("it does not use the Open Badges 3.0 context")
    types = _types(document.get("type"))
    if "VerifiableCredential" not in types or not (
            {"OpenBadgeCredential", "AchievementCredential"} & set(types)):
        problems.append("its type must include VerifiableCredential and OpenBadgeCredential")
    if not isinstance(document.get("id"), str) or ":" not in document.get("id", ""):
        problems.append("it has no id (a URI)")
    if _issuer_id(document) is None:
        problems.append("it does not name its issuer")
    if parse_datetime(document.get("validFrom")) is None:
        problems.append("validFrom is missing or not a date-time with a time zone")
    if "validUntil" in document and parse_datetime(document["validUntil"]) is None:
        problems.append("validUntil is not a date-time with a time zone")
    subject = document.get("credentialSubject")
    achievement = _achievement(document)
    if not isinstance(subject, dict):
        problems.append("it has no credentialSubject")
    else:
        if "AchievementSubject" not in _types(subject.get("type")):
            problems.append("credentialSubject must be an AchievementSubject")
        if not subject.get("id") and not subject.get("identifier"):
            problems.append("credentialSubject names no learner (id or identifier)")
        if achievement is None:
            problems.append("credentialSubject has no achievement")
        else:
            missing = [f for f in ("id", "name", "criteria") if not achievement.get(f)]
            if "Achievement" not in _types(achievement.get("type")):
                missing.append("type Achievement")
            if missing:
                problems.append("the achievement lacks " + ", ".join(missing))
    if problems:
        return Check("format", FAIL, "This is not a well-formed Open Badges 3.0 credential: "
                     + "; ".join(problems) + ".")
    return Check("format", PASS, "This is a well-formed Open Badges 3.0 credential.")


def check_validity(document: dict[str, Any], now: datetime) -> Check:
    valid_from = parse_datetime(document.get("validFrom"))
    valid_until = parse_datetime(document.get("validUntil"))
    if valid_from is None or ("validUntil" in document and valid_until is None):
        return Check("validity", UNKNOWN, "The validity dates could not be read.")
    if valid_from > now + CLOCK_SKEW:
        return Check("validity", FAIL, f"This credential is not valid yet: it becomes valid on "
                     f"{valid_from:%d %B %Y at %H:%M} UTC.")
    if valid_until is not None and valid_until < now:
        return Check("validity", WARN, f"This credential expired on {valid_until:%d %B %Y}. "
                     "It was genuine, but ask the holder whether it has been renewed.")
    if valid_until is not None:
        return Check("validity", PASS, f"Valid since {valid_from:%d %B %Y}, until "
                     f"{valid_until:%d %B %Y}.")
    return Check("validity", PASS, f"Valid since {valid_from:%d %B %Y}; it does not expire.")


def check_achievement(document: dict[str, Any], published: PublishedCatalog,
                      issuer_id: str | None) -> Check:
    achievement = _achievement(document)
    if achievement is None:
        return Check("achievement", UNKNOWN, "There is no achievement to look up.")
    entry = published.credential_record(achievement.get("id"))
    if entry is None:
        return Check("achievement", FAIL, "The achievement is not a credential of this "
                     "catalog; its description cannot be checked here.")
    if issuer_id is not None and entry.get("issuer") != issuer_id:
        return Check("achievement", FAIL, f"'{entry.get('name')}' is awarded by another "
                     "issuer in this catalog, not by the one that signed this credential.")
    if entry.get("status") == "retired":
        return Check("achievement", PASS, f"'{entry.get('name')}' is a credential of this "
                     "catalog (retired since: no longer awarded, but earlier awards stand).")
    return Check("achievement", PASS, f"'{entry.get('name')}' is a credential of this catalog.")


def verify_document(document: Any, published: PublishedCatalog, *, file: str = "",
                    now: datetime | None = None) -> Result:
    now = now or datetime.now(UTC)
    checks = [check_format(document)]
    if not isinstance(document, dict):
        checks += [Check(c, UNKNOWN, "Not checked: this is not a credential.")
                   for c in CHECKS[1:]]
        return Result(file, verdict(checks), checks)

    proof: proofs.Proof | None = None
    try:
        proof = proofs.parse_proof(document)
        checks.append(Check("proof", PASS, f"It carries a {proof.cryptosuite} signature made "
                            "for issuing credentials."))
    except proofs.ProofError as exc:
        checks.append(Check("proof", FAIL, str(exc)))

    issuer_did = _issuer_id(document)
    issuers = published.keys.get("issuers", {})
    site = published.site
    issuer_id = site.issuer_of_did(issuer_did) if issuer_did else None
    if issuer_did is None:
        checks.append(Check("issuer", UNKNOWN, "The credential names no issuer."))
    elif issuer_id in issuers:
        checks.append(Check("issuer", PASS, f"Issued by {issuers[issuer_id]['name']}, an issuer "
                            "of this catalog."))
    else:
        issuer_id = None
        checks.append(Check("issuer", FAIL, "The issuer is not an issuer of this catalog, so "
                            "this site cannot vouch for it."))

    key: ResolvedKey | None = None
    if proof is None:
        checks.append(Check("key", UNKNOWN, "Not checked: the signature block is unusable."))
    else:
        try:
            key = resolve_key(published, proof.verification_method)
            if issuer_did and site.issuer_did(key.issuer_id) != issuer_did:
                key = None
                checks.append(Check("key", FAIL, "The signing key belongs to another issuer "
                                    "than the one named in the credential."))
            else:
                checks.append(Check("key", PASS, "Signed with a key this catalog publishes "
                                    f"for {issuers[key.issuer_id]['name']}."))
        except KeyResolutionError as exc:
            checks.append(Check("key", FAIL, f"Signed with a key this catalog does not "
                                f"publish: {exc}."))

    if proof is None or key is None:
        checks.append(Check("signature", UNKNOWN, "Not checked: there is no usable proof and "
                            "published key to check it with."))
    else:
        try:
            good = proofs.verify_signature(document, proof, key.public_key)
            checks.append(Check("signature", PASS, "The signature matches: nothing in the "
                                "credential has changed since it was signed.") if good else
                          Check("signature", FAIL, "The signature does not match: the "
                                "credential was changed after it was signed, or forged."))
        except proofs.ProofError as exc:
            checks.append(Check("signature", FAIL, f"The signature could not be checked: "
                                f"{exc}"))

    checks.append(check_validity(document, now))
    checks.append(Check("status", UNKNOWN, "Revocation could not be checked: this catalog "
                        "does not publish revocation lists yet."))
    checks.append(check_achievement(document, published, issuer_id))
    return Result(file, verdict(checks), checks)
