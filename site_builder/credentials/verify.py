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
from enum import StrEnum
from typing import Any

from site_builder.credentials import proofs, status_list
from site_builder.credentials.achievement import OB_CONTEXT
from site_builder.credentials.did import (
    KeyResolutionError,
    PublishedCatalog,
    ResolvedKey,
    resolve_key,
)
from site_builder.dates import parse_moment, parse_timestamp

CHECKS = ("format", "proof", "issuer", "key", "signature", "validity", "status", "achievement")


class CheckStatus(StrEnum):
    """One check's outcome. StrEnum: JSON output and comparisons with the words are unchanged."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    VERIFIED = "verified"
    WARNING = "warning"
    NOT_VERIFIED = "not-verified"


PASS, FAIL, WARN, UNKNOWN = (CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.WARN,
                             CheckStatus.UNKNOWN)
CLOCK_SKEW = timedelta(minutes=5)
VC_CONTEXT = OB_CONTEXT[0]
OB_CONTEXT_PATTERN = re.compile(
    r"https://purl\.imsglobal\.org/spec/ob/v3p0/context-3\.0\.[0-9]+\.json")


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


def verdict(checks: list[Check]) -> Verdict:
    statuses = {c.status for c in checks}
    if FAIL in statuses:
        return Verdict.NOT_VERIFIED
    if statuses & {WARN, UNKNOWN}:
        return Verdict.WARNING
    return Verdict.VERIFIED


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
    elif not any(isinstance(c, str) and OB_CONTEXT_PATTERN.fullmatch(c) for c in context):
        problems.append("it does not use the Open Badges 3.0 context")
    types = _types(document.get("type"))
    if "VerifiableCredential" not in types or not (
            {"OpenBadgeCredential", "AchievementCredential"} & set(types)):
        problems.append("its type must include VerifiableCredential and OpenBadgeCredential")
    if not isinstance(document.get("id"), str) or ":" not in document.get("id", ""):
        problems.append("it has no id (a URI)")
    if _issuer_id(document) is None:
        problems.append("it does not name its issuer")
    if parse_timestamp(document.get("validFrom")) is None:
        problems.append("validFrom is missing or not a date-time with a time zone")
    if "validUntil" in document and parse_timestamp(document["validUntil"]) is None:
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
    valid_from = parse_timestamp(document.get("validFrom"))
    valid_until = parse_timestamp(document.get("validUntil"))
    if valid_from is None or ("validUntil" in document and valid_until is None):
        return Check("validity", UNKNOWN, "The validity dates could not be read.")
    if valid_from > now + CLOCK_SKEW:
        return Check("validity", FAIL, f"This credential is not valid yet: it becomes valid on "
                     f"{valid_from.astimezone(UTC):%d %B %Y at %H:%M} UTC.")
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


def _moment_or_none(value: Any) -> datetime | None:
    try:
        return parse_moment(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _signed_at(document: dict[str, Any], proof: proofs.Proof) -> datetime | None:
    return parse_timestamp(proof.created) or parse_timestamp(document.get("validFrom"))


def check_key_state(document: dict[str, Any], proof: proofs.Proof, key: ResolvedKey,
                    published: PublishedCatalog, issuer_name: str) -> Check:
    """A retired key still vouches for what it signed before; a revoked one only for what
    the issuer recorded before the compromise."""
    state = key.record.get("state", "active")
    signed = _signed_at(document, proof)
    if state == "active":
        return Check("key", PASS, f"Signed with a key this catalog publishes for {issuer_name}.")
    changed = _moment_or_none(key.record.get("retired" if state == "retired" else "revoked"))
    if changed is None or state not in ("retired", "revoked"):
        return Check("key", FAIL, f"The key's state in this catalog ({state}) cannot be "
                     "understood, so it is not trusted. Tell the catalog's maintainers.")
    if state == "retired":
        retired = changed
        if signed is not None and signed <= retired:
            return Check("key", PASS, f"Signed with a key of {issuer_name} that was retired on "
                         f"{retired:%d %B %Y}, after this credential was signed.")
        return Check("key", FAIL, f"Signed with a key that {issuer_name} retired on "
                     f"{retired:%d %B %Y}, after it stopped signing credentials. Ask the "
                     "issuer for a new copy of the credential.")
    since = changed
    reason = key.record.get("revocationReason") or "no reason given"
    if signed is not None and signed < since:
        key_id = key.method_id.rsplit("#", 1)[-1]
        record = published.get(status_list.revoked_key_path(key.issuer_id, key_id))
        if isinstance(record, dict) and status_list.hash_proof_value(proof.proof_value) in (
                record.get("issuedBefore", [])):
            return Check("key", PASS, f"Signed with a key {issuer_name} revoked on "
                         f"{since:%d %B %Y} ({reason}), but this credential is on the issuer's "
                         "record as issued before then.")
    return Check("key", FAIL, f"Signed with a key that {issuer_name} revoked on "
                 f"{since:%d %B %Y} ({reason}), and this credential is not on record as issued "
                 "before then: it may be forged. Ask the issuer for a new copy.")


def _status_entries(document: dict[str, Any]) -> list[Any]:
    value = document.get("credentialStatus")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _check_list(published: PublishedCatalog, entry: Any, issuer_did: str | None
                ) -> tuple[str, str]:
    """(status, message) for one BitstringStatusListEntry."""
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        return UNKNOWN, "it uses a kind of status entry this catalog does not support"
    purpose = entry.get("statusPurpose")
    index_text = entry.get("statusListIndex")
    if purpose not in status_list.PURPOSES:
        return UNKNOWN, f"it has a status entry for '{purpose}', which this catalog does not use"
    if not isinstance(index_text, str) or not re.fullmatch(r"[0-9]{1,9}", index_text):
        return UNKNOWN, "its status entry has no valid index"
    url = entry.get("statusListCredential")
    prefix = published.site.absolute(status_list.STATUS_DIR + "/")
    if not isinstance(url, str) or not url.startswith(prefix):
        return UNKNOWN, "its status list is not published by this catalog"
    try:
        bits = verified_list(published, url[len(published.site.url):], purpose, issuer_did)
    except status_list.StatusError as exc:
        return UNKNOWN, f"the {purpose} list could not be used: {exc}"
    index = int(index_text)
    if index >= len(bits) * 8:
        return UNKNOWN, f"its index is outside the {purpose} list"
    if status_list.bit(bits, index):
        return FAIL, purpose
    return PASS, purpose


def verified_list(published: PublishedCatalog, path: str, purpose: str,
                  issuer_did: str | None) -> bytes:
    """The bitstring of a list this catalog publishes, signed by the credential's issuer."""
    memo_key = ("list", path, purpose, issuer_did)
    if memo_key in published.memo:
        result = published.memo[memo_key]
    else:
        try:
            result = _read_list(published, path, purpose, issuer_did)
        except status_list.StatusError as exc:
            result = exc
        published.memo[memo_key] = result
    if isinstance(result, status_list.StatusError):
        raise result
    return result


def _read_list(published: PublishedCatalog, path: str, purpose: str,
               issuer_did: str | None) -> bytes:
    document = published.get(path)
    if not isinstance(document, dict):
        raise status_list.StatusError("it could not be fetched")
    if "BitstringStatusListCredential" not in _types(document.get("type")):
        raise status_list.StatusError("it is not a status list")
    if issuer_did is None or _issuer_id(document) != issuer_did:
        raise status_list.StatusError("it was published by someone other than the issuer")
    try:
        proof = proofs.parse_proof(document)
        key = resolve_key(published, proof.verification_method)
        if published.site.issuer_did(key.issuer_id) != issuer_did:
            raise status_list.StatusError("it is signed by someone other than the issuer")
        if key.record.get("state") == "revoked":
            raise status_list.StatusError("it is signed with a key the issuer has revoked")
        if not proofs.verify_signature(document, proof, key.public_key):
            raise status_list.StatusError("its signature does not match: it was changed")
    except (proofs.ProofError, KeyResolutionError) as exc:
        raise status_list.StatusError(f"its signature cannot be checked ({exc})") from exc
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != purpose:
        raise status_list.StatusError(f"it is not a {purpose} list")
    return status_list.decode_bits(subject.get("encodedList"))


def check_status(document: dict[str, Any], published: PublishedCatalog) -> Check:
    entries = _status_entries(document)
    if not entries:
        return Check("status", UNKNOWN, "This credential does not say where to check whether "
                     "it was revoked, so that could not be checked.")
    issuer_did = _issuer_id(document)
    results = [_check_list(published, entry, issuer_did) for entry in entries]
    failed = {message for status, message in results if status == FAIL}
    if "revocation" in failed:
        return Check("status", FAIL, "The issuer has revoked this credential: it is no longer "
                     "valid. Ask the holder or the issuer why.")
    if "suspension" in failed:
        return Check("status", FAIL, "The issuer has suspended this credential for now. Check "
                     "again later or ask the issuer.")
    unknown = [message for status, message in results if status == UNKNOWN]
    if unknown:
        return Check("status", UNKNOWN, f"Whether it was revoked could not be checked: "
                     f"{unknown[0]}. This does not mean it was revoked; try again later or ask "
                     "the issuer.")
    return Check("status", PASS, "Not revoked or suspended, according to the issuer's signed "
                 "status lists.")


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
                # A retired or revoked key still identifies the signer, so the signature is
                # checked either way; the key check carries the verdict on its state.
                checks.append(check_key_state(document, proof, key, published,
                                              issuers[key.issuer_id]["name"]))
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
    checks.append(check_status(document, published))
    checks.append(check_achievement(document, published, issuer_id))
    return Result(file, verdict(checks), checks)
