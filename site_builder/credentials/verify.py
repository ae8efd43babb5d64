"""Verify Open Badges 3.0 credentials against the keys a catalog publishes.

What the checks are, their order, which depends on which, their reason codes, the verdict rule
and the messages are data, in `verifier.json` next to this module; the browser verifier
(templates/theme/js/verify/verify.js) reads the same file from the built site, and
`tests/vectors/` pins each case's result, so the two implementations cannot drift apart.
docs/verification.md explains the checks in plain words.

The verifier reads a credential strictly, in the one compacted JSON shape credcat issues (the
shape of the Open Badges 3.0 and VC Data Model 2.0 examples). With eddsa-rdfc-2022 the
signature covers the RDF the JSON stands for, not the JSON, so many JSON shapes carry the same
signed data: `"statusPurpose": ["revocation"]` or `"statusListIndex": {"@value": "7"}` verify
as well as the plain strings. A verifier that then failed to read the entry would report
"could not check" where the honest answer is "revoked", so every field the verdict depends on
must be in the one shape, or the credential fails the format check.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from importlib.resources import files
from typing import Any

from site_builder.credentials import proofs, status_list
from site_builder.credentials.achievement import OB_CONTEXT
from site_builder.credentials.did import (
    KeyResolutionError,
    PublishedCatalog,
    ResolvedKey,
    resolve_key,
)
from site_builder.credentials.reading import MAX_SAFE_INTEGER, Unreadable, read_credentials
from site_builder.dates import parse_moment, parse_timestamp

SPEC_FILE = files("site_builder.credentials").joinpath("verifier.json")
SPEC: dict[str, Any] = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
CHECKS = tuple(c["id"] for c in SPEC["checks"])
AFTER: dict[str, list[str]] = {c["id"]: c["after"] for c in SPEC["checks"]}
LIMITS: dict[str, int] = SPEC["limits"]
MESSAGES: dict[str, str] = SPEC["messages"]["en"]


class CheckStatus(StrEnum):
    """One check's outcome. StrEnum: JSON output and comparisons with the words are unchanged."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"  # not checked: a check it rests on failed


class Verdict(StrEnum):
    VERIFIED = "verified"
    WARNING = "warning"
    NOT_VERIFIED = "not-verified"


PASS, FAIL, WARN, UNKNOWN, SKIPPED = (CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.WARN,
                                      CheckStatus.UNKNOWN, CheckStatus.SKIPPED)
CLOCK_SKEW = timedelta(seconds=LIMITS["clockSkewSeconds"])
VC_CONTEXT = OB_CONTEXT[0]
OB_CONTEXT_PATTERN = re.compile(
    r"https://purl\.imsglobal\.org/spec/ob/v3p0/context-3\.0\.[0-9]+\.json")
STATUS_ENTRY = "BitstringStatusListEntry"
STATUS_INDEX = re.compile(r"[0-9]{1,15}")
# A status list this catalog publishes: status/<issuer>/<name>.json and nothing else, so no
# URL can lead either verifier to read outside the site's status folder.
STATUS_PATH = re.compile(r"status/[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*\.json")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def message(reason: str, params: dict[str, Any]) -> str:
    """The English message of a reason code, its {placeholders} filled from `params`."""
    return re.sub(r"\{([A-Za-z]+)\}", lambda m: str(params.get(m.group(1), m.group(0))),
                  MESSAGES[reason])


@dataclass(frozen=True)
class Check:
    id: str
    status: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return message(self.reason, self.params)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "reason": self.reason,
                "message": self.message, "params": self.params}


@dataclass
class Result:
    file: str
    verdict: str
    checks: list[Check]
    credential: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "verdict": self.verdict,
                "checks": [c.to_json() for c in self.checks], "credential": self.credential}


def verdict(checks: list[Check]) -> Verdict:
    statuses = {c.status for c in checks}
    for rule in SPEC["verdict"]["rules"]:
        if statuses & set(rule["statuses"]):
            return Verdict(rule["verdict"])
    return Verdict(SPEC["verdict"]["otherwise"])


def iso(moment: datetime) -> str:
    """A moment as the ISO 8601 UTC text both verifiers put in `params`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _types(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        return issuer["id"]
    return None


def _achievement(document: dict[str, Any]) -> dict[str, Any] | None:
    subject = document.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
        return subject["achievement"]
    return None


class _Shape(Exception):
    """A format failure: a reason code and its params."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def _out_of_range(value: Any) -> bool:
    if isinstance(value, float):
        return value in (float("inf"), float("-inf"))
    return isinstance(value, int) and not isinstance(value, bool) and (
        abs(value) > MAX_SAFE_INTEGER)


def _scan(document: Any) -> None:
    """Refuse what has no single reading: deep nesting, lone surrogates, numbers beyond IEEE
    754 doubles (RFC 7493 §2), and JSON-LD keywords other than @context, which write the same
    signed RDF in other JSON shapes (`{"@value": ...}`, `@direction`, `@id`). Every problem
    is gathered first so the order of members cannot change which one is reported."""
    found: set[str] = set()
    keywords: set[str] = set()
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list) and depth > LIMITS["maxDepth"]:
            found.add("too-deep")
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                if _LONE_SURROGATE.search(key):
                    found.add("lone-surrogate")
                if key == "@context":
                    continue
                if key.startswith("@"):
                    keywords.add(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and _LONE_SURROGATE.search(value):
            found.add("lone-surrogate")
        elif _out_of_range(value):
            found.add("number-out-of-range")
    for reason in ("too-deep", "lone-surrogate", "number-out-of-range"):
        if reason in found:
            raise _Shape(reason, **({"limit": LIMITS["maxDepth"]} if reason == "too-deep"
                                    else {}))
    if keywords:
        raise _Shape("unexpected-shape", field=min(keywords),
                     expected="plain JSON members, without JSON-LD keywords")


def _date(document: dict[str, Any], name: str, required: bool) -> None:
    if name not in document:
        if required:
            raise _Shape("missing-field", field=name)
        return
    if parse_timestamp(document[name]) is None:
        raise _Shape("unexpected-shape", field=name,
                     expected="a date-time with a time zone, as text")


def status_entries(document: dict[str, Any]) -> list[Any]:
    value = document.get("credentialStatus")
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _status_shape(document: dict[str, Any]) -> None:
    """credentialStatus: absent, one entry or a list of entries, each exactly as issued."""
    if "credentialStatus" in document and not isinstance(document["credentialStatus"],
                                                         dict | list):
        raise _Shape("unexpected-shape", field="credentialStatus",
                     expected="an object or a list of objects")
    for entry in status_entries(document):
        if not isinstance(entry, dict):
            raise _Shape("unexpected-shape", field="credentialStatus",
                         expected="an object or a list of objects")
        rules = (("type", lambda v: v == STATUS_ENTRY, f'"{STATUS_ENTRY}"'),
                 ("statusPurpose", lambda v: v in status_list.PURPOSES,
                  '"revocation" or "suspension"'),
                 ("statusListIndex", lambda v: isinstance(v, str)
                  and STATUS_INDEX.fullmatch(v) is not None, "a number written as text"),
                 ("statusListCredential", lambda v: isinstance(v, str), "a URL as text"))
        for name, good, expected in rules:
            if not good(entry.get(name)):
                raise _Shape("unexpected-shape", field=f"credentialStatus.{name}",
                             expected=expected)
        if "id" in entry and not isinstance(entry["id"], str):
            raise _Shape("unexpected-shape", field="credentialStatus.id",
                         expected="a URL as text")


def _format_problem(document: Any) -> None:
    if not isinstance(document, dict) or "@context" not in document or "type" not in document:
        raise _Shape("not-a-credential")
    _scan(document)
    context = document["@context"]
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT or not any(
            isinstance(c, str) and OB_CONTEXT_PATTERN.fullmatch(c) for c in context):
        raise _Shape("unexpected-shape", field="@context", expected=f"a list starting with "
                     f"{VC_CONTEXT} and naming the Open Badges 3.0 context")
    types = document["type"]
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types) or (
            "VerifiableCredential" not in types) or not (
            {"OpenBadgeCredential", "AchievementCredential"} & set(types)):
        raise _Shape("unexpected-shape", field="type", expected="a list including "
                     "VerifiableCredential and OpenBadgeCredential")
    if "id" not in document:
        raise _Shape("missing-field", field="id")
    if not isinstance(document["id"], str) or ":" not in document["id"]:
        raise _Shape("unexpected-shape", field="id", expected="a URI as text")
    if "issuer" not in document:
        raise _Shape("missing-field", field="issuer")
    issuer = _issuer_id(document)
    if issuer is None or ":" not in issuer:
        raise _Shape("unexpected-shape", field="issuer", expected="an object whose id is a URI")
    _date(document, "validFrom", True)
    _date(document, "validUntil", False)
    subject = document.get("credentialSubject")
    if subject is None:
        raise _Shape("missing-field", field="credentialSubject")
    if not isinstance(subject, dict):
        raise _Shape("unexpected-shape", field="credentialSubject", expected="an object")
    if "AchievementSubject" not in _types(subject.get("type")):
        raise _Shape("unexpected-shape", field="credentialSubject.type",
                     expected="AchievementSubject")
    if not subject.get("id") and not subject.get("identifier"):
        raise _Shape("missing-field", field="credentialSubject.identifier")
    achievement = _achievement(document)
    if achievement is None:
        raise _Shape("missing-field", field="credentialSubject.achievement")
    for name in ("id", "name", "criteria"):
        if not achievement.get(name):
            raise _Shape("missing-field", field=f"credentialSubject.achievement.{name}")
    if "Achievement" not in _types(achievement.get("type")):
        raise _Shape("unexpected-shape", field="credentialSubject.achievement.type",
                     expected="Achievement")
    _status_shape(document)


def check_format(document: Any) -> Check:
    try:
        _format_problem(document)
    except _Shape as problem:
        return Check("format", FAIL, problem.reason, problem.params)
    return Check("format", PASS, "well-formed")


def _moment_or_none(value: Any) -> datetime | None:
    try:
        return parse_moment(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_key_state(document: dict[str, Any], proof: proofs.Proof, key: ResolvedKey,
                    published: PublishedCatalog, issuer_name: str) -> Check:
    """A retired key still vouches for what it signed before; a revoked one only for what
    the issuer recorded before the compromise (a thief can backdate `created`, but cannot
    add to the record of proof hashes merged before)."""
    state = key.record.get("state", "active")
    signed = parse_timestamp(proof.created) or parse_timestamp(document.get("validFrom"))
    if state == "active":
        return Check("key", PASS, "key-active", {"issuerName": issuer_name})
    changed = _moment_or_none(key.record.get("retired" if state == "retired" else "revoked"))
    if changed is None or state not in ("retired", "revoked"):
        return Check("key", FAIL, "key-state-unknown", {"state": str(state)})
    if state == "retired":
        params = {"issuerName": issuer_name, "retired": iso(changed)}
        if signed is not None and signed <= changed:
            return Check("key", PASS, "key-retired-after", params)
        return Check("key", FAIL, "key-retired", params)
    reason = key.record.get("revocationReason")
    params = {"issuerName": issuer_name, "revoked": iso(changed),
              "revocationReason": reason if isinstance(reason, str) and reason
              else "no reason given"}
    if signed is not None and signed < changed:
        key_id = key.method_id.rsplit("#", 1)[-1]
        record = published.get(status_list.revoked_key_path(key.issuer_id, key_id))
        on_record = record.get("issuedBefore") if isinstance(record, dict) else None
        if isinstance(on_record, list) and status_list.hash_proof_value(
                proof.proof_value) in on_record:
            return Check("key", PASS, "key-revoked-on-record", params)
    return Check("key", FAIL, "key-revoked", params)


class ListProblem(status_list.StatusError):
    """Why a status list cannot be used: a reason code of the spec, and a message for logs."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(text)
        self.reason = reason


def verified_list(published: PublishedCatalog, path: str, purpose: str,
                  issuer_did: str | None) -> bytes:
    """The bitstring of a list this catalog publishes, signed by the credential's issuer."""
    memo_key = ("list", path, purpose, issuer_did)
    if memo_key in published.memo:
        result = published.memo[memo_key]
    else:
        try:
            result = _read_list(published, path, purpose, issuer_did)
        except ListProblem as exc:
            result = exc
        published.memo[memo_key] = result
    if isinstance(result, ListProblem):
        raise result
    return result


def _read_list(published: PublishedCatalog, path: str, purpose: str,
               issuer_did: str | None) -> bytes:
    """A status list credential (https://www.w3.org/TR/vc-bitstring-status-list/), signed with
    either Data Integrity suite, or a proof set of both, by a key of the credential's own
    issuer (status_list.checked_proof picks the proof checked)."""
    document = published.get(path) if STATUS_PATH.fullmatch(path) else None
    if not isinstance(document, dict):
        raise ListProblem("status-list-unreachable", "it could not be fetched")
    if "BitstringStatusListCredential" not in _types(document.get("type")):
        raise ListProblem("status-list-invalid", "it is not a status list")
    named = document.get("issuer")  # a list names its issuer by DID, as text
    if issuer_did is None or issuer_did not in (named, _issuer_id(document)):
        raise ListProblem("status-list-other-issuer",
                          "it was published by someone other than the issuer")
    try:
        proof = proofs.parse_proof(status_list.checked_proof(document))
        key = resolve_key(published, proof.verification_method)
        if published.site.issuer_did(key.issuer_id) != issuer_did:
            raise ListProblem("status-list-other-issuer",
                              "it is signed by someone other than the issuer")
        if key.record.get("state") == "revoked":
            raise ListProblem("status-list-key-revoked",
                              "it is signed with a key the issuer has revoked")
        if not proofs.verify_signature(document, proof, key.public_key):
            raise ListProblem("status-list-signature",
                              "its signature does not match: it was changed")
    except (proofs.ProofError, KeyResolutionError) as exc:
        raise ListProblem("status-list-signature",
                          f"its signature cannot be checked ({exc})") from exc
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("statusPurpose") != purpose:
        raise ListProblem("status-list-invalid", f"it is not a {purpose} list")
    try:
        bits = status_list.decode_bits(subject.get("encodedList"), LIMITS["maxStatusListBytes"])
    except status_list.ListTooLarge as exc:
        raise ListProblem("status-list-too-large", str(exc)) from exc
    except status_list.StatusError as exc:
        raise ListProblem("status-list-invalid", str(exc)) from exc
    return bits


class _Verification:
    """One credential's checks, run in the spec's order; each records what later ones use."""

    def __init__(self, document: dict[str, Any], published: PublishedCatalog,
                 now: datetime) -> None:
        self.document, self.published, self.now = document, published, now
        self.proof: proofs.Proof | None = None
        self.key: ResolvedKey | None = None
        self.issuer_id: str | None = None
        self.issuer_name: str | None = None
        self.record: dict[str, Any] | None = None

    def format(self) -> Check:
        return check_format(self.document)

    def proof_check(self) -> Check:
        try:
            self.proof = proofs.parse_proof(self.document)
        except proofs.ProofError as exc:
            return Check("proof", FAIL, exc.reason, exc.params)
        return Check("proof", PASS, "proof-ok", {"cryptosuite": self.proof.cryptosuite})

    def issuer(self) -> Check:
        issuer_did = _issuer_id(self.document) or ""
        issuers = self.published.keys.get("issuers")
        issuer_id = self.published.site.issuer_of_did(issuer_did)
        entry = issuers.get(issuer_id) if isinstance(issuers, dict) and issuer_id else None
        if not isinstance(entry, dict):
            return Check("issuer", FAIL, "foreign-issuer", {"issuer": issuer_did})
        self.issuer_id = issuer_id
        self.issuer_name = str(entry.get("name") or issuer_id)
        return Check("issuer", PASS, "catalog-issuer", {"issuerName": self.issuer_name})

    def key_check(self) -> Check:
        assert self.proof is not None and self.issuer_name is not None
        try:
            key = resolve_key(self.published, self.proof.verification_method)
        except KeyResolutionError as exc:
            return Check("key", FAIL, exc.reason, exc.params)
        if self.published.site.issuer_did(key.issuer_id) != _issuer_id(self.document):
            return Check("key", FAIL, "key-other-issuer")
        self.key = key
        return check_key_state(self.document, self.proof, key, self.published,
                               self.issuer_name)

    def signature(self) -> Check:
        assert self.proof is not None and self.key is not None
        try:
            good = proofs.verify_signature(self.document, self.proof, self.key.public_key)
        except proofs.ProofError as exc:
            return Check("signature", FAIL, "not-canonicalizable",
                         {"detail": exc.params.get("detail", str(exc))})
        return Check("signature", PASS if good else FAIL,
                     "signature-match" if good else "signature-mismatch")

    def validity(self) -> Check:
        valid_from = parse_timestamp(self.document.get("validFrom"))
        valid_until = parse_timestamp(self.document.get("validUntil"))
        assert valid_from is not None  # the format check made sure
        params = {"validFrom": iso(valid_from)}
        if valid_from > self.now + CLOCK_SKEW:
            return Check("validity", FAIL, "not-yet-valid", params)
        if valid_until is None:
            return Check("validity", PASS, "valid", params)
        params["validUntil"] = iso(valid_until)
        if valid_until < self.now:
            return Check("validity", WARN, "expired", {"validUntil": params["validUntil"]})
        return Check("validity", PASS, "valid-until", params)

    def status(self) -> Check:
        entries = status_entries(self.document)
        if not entries:
            return Check("status", UNKNOWN, "no-status")
        outcomes = [self._entry(entry) for entry in entries]
        for purpose, reason in (("revocation", "revoked"), ("suspension", "suspended")):
            if (FAIL, purpose) in [(s, p) for s, p, _ in outcomes]:
                return Check("status", FAIL, reason)
        for status, purpose, reason in outcomes:
            if status == UNKNOWN:
                params: dict[str, Any] = {"purpose": purpose}
                if reason == "status-list-too-large":
                    params["limit"] = LIMITS["maxStatusListBytes"]
                return Check("status", UNKNOWN, reason, params)
        return Check("status", PASS, "not-revoked")

    def _entry(self, entry: dict[str, Any]) -> tuple[str, str, str]:
        """(status, purpose, reason) for one entry, already of the one accepted shape."""
        purpose, url = entry["statusPurpose"], entry["statusListCredential"]
        site = self.published.site
        prefix = site.absolute(status_list.STATUS_DIR + "/")
        if not url.startswith(prefix) or not STATUS_PATH.fullmatch(url[len(site.url):]):
            return UNKNOWN, purpose, "status-list-not-published"
        try:
            bits = verified_list(self.published, url[len(site.url):], purpose,
                                 _issuer_id(self.document))
        except ListProblem as exc:
            return UNKNOWN, purpose, exc.reason
        index = int(entry["statusListIndex"])
        if index >= len(bits) * 8:
            return UNKNOWN, purpose, "index-out-of-range"
        return (FAIL if status_list.bit(bits, index) else PASS), purpose, ""

    def achievement(self) -> Check:
        achievement = _achievement(self.document) or {}
        record = self.published.credential_record(achievement.get("id"))
        if record is None:
            return Check("achievement", FAIL, "unknown-achievement")
        params = {"name": str(record.get("name"))}
        if record.get("issuer") != self.issuer_id:
            return Check("achievement", FAIL, "other-issuers-achievement", params)
        self.record = record
        if record.get("status") == "retired":
            return Check("achievement", PASS, "retired-credential", params)
        return Check("achievement", PASS, "catalog-credential", params)

    def credential(self) -> dict[str, Any]:
        """What the page shows of a credential, read in one place."""
        document = self.document
        subject = document.get("credentialSubject")
        identifiers = subject.get("identifier") if isinstance(subject, dict) else None
        identifiers = identifiers if isinstance(identifiers, list) else []
        return {
            "id": document.get("id"),
            "name": document.get("name") if isinstance(document.get("name"), str) else None,
            "holderName": learner_name(identifiers),
            "issuerName": self.issuer_name,
            "validFrom": document.get("validFrom"),
            "validUntil": document.get("validUntil"),
            "credentialId": self.record.get("id") if self.record else None,
            "identifiers": identifiers,
        }


def learner_name(identifiers: list[Any]) -> str | None:
    """The learner's name, as `credcat issue` records it: an unhashed identifier of type name."""
    for item in identifiers:
        if isinstance(item, dict) and item.get("identityType") == "name" and not item.get(
                "hashed"):
            value = item.get("identityHash")
            return value if isinstance(value, str) else None
    return None


def skipped_after(check_id: str, done: dict[str, Check]) -> str | None:
    """The failed check that keeps `check_id` from running, if any (through skipped ones)."""
    for before in AFTER[check_id]:
        earlier = done[before]
        if earlier.status == FAIL:
            return before
        if earlier.status == SKIPPED:
            return str(earlier.params["after"])
    return None


def unreadable_result(file: str, problem: Unreadable) -> Result:
    """The result of input from which no credential could be read."""
    done = {"format": Check("format", FAIL, problem.reason, dict(problem.params))}
    for check_id in CHECKS[1:]:
        done[check_id] = Check(check_id, SKIPPED, "skipped", {"after": skipped_after(
            check_id, done)})
    checks = list(done.values())
    return Result(file, verdict(checks), checks)


def verify_document(document: Any, published: PublishedCatalog, *, file: str = "",
                    now: datetime | None = None) -> Result:
    if isinstance(document, Unreadable):
        return unreadable_result(file, document)
    run = _Verification(document, published, now or datetime.now(UTC))
    steps = {"format": run.format, "proof": run.proof_check, "issuer": run.issuer,
             "key": run.key_check, "signature": run.signature, "validity": run.validity,
             "status": run.status, "achievement": run.achievement}
    done: dict[str, Check] = {}
    for check_id in CHECKS:
        after = skipped_after(check_id, done)
        done[check_id] = (Check(check_id, SKIPPED, "skipped", {"after": after})
                          if after else steps[check_id]())
    checks = list(done.values())
    credential = run.credential() if done["format"].status == PASS else None
    return Result(file, verdict(checks), checks, credential)


def verify_bytes(data: bytes, published: PublishedCatalog, *, file: str = "",
                 now: datetime | None = None) -> list[Result]:
    """One result per credential in a file (.json, baked .png or .svg), never an exception."""
    found = read_credentials(data, LIMITS["maxDepth"])
    if len(found) == 1:
        return [verify_document(found[0], published, file=file, now=now)]
    return [verify_document(item, published, file=f"{file}, credential {i} of {len(found)}",
                            now=now) for i, item in enumerate(found, 1)]


_MARKS = {PASS: "ok  ", FAIL: "FAIL", WARN: "warn", UNKNOWN: "??  ", SKIPPED: "--  "}


def headline(result: Result) -> str:
    """The verdict sentence, naming what a skimming reader must not miss: a credential that is
    genuine but revoked, suspended or expired says so first (the verify page's headline)."""
    reasons = {c.reason: c for c in result.checks}
    issuer = (result.credential or {}).get("issuerName") or "its issuer"
    if result.checks and result.checks[0].status == FAIL:
        return MESSAGES["verdict-not-verified"]
    failed_other = [c for c in result.checks if c.status == FAIL and c.reason not in
                    ("revoked", "suspended")]
    if not failed_other:
        if "revoked" in reasons:
            return f"Genuine, but revoked by {issuer}: do not rely on this credential."
        if "suspended" in reasons:
            return f"Genuine, but suspended by {issuer}: do not rely on it for now."
        if "expired" in reasons and result.verdict == Verdict.WARNING:
            until = parse_timestamp(reasons["expired"].params.get("validUntil"))
            when = f" on {until:%-d %B %Y}" if until else ""
            return f"Genuine, but expired{when}: ask the holder whether it has been renewed."
    return MESSAGES["verdict-" + result.verdict]


def text_report(result: Result) -> str:
    """A result for a terminal: the verdict sentence first, then one line per check."""
    lines = [f"{result.file}: {headline(result)}"]
    lines += [f"  [{_MARKS[c.status]}] {c.id:<11} {c.message} ({c.reason})"
              for c in result.checks]
    return "\n".join(lines)
