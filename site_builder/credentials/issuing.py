"""Award catalog credentials to learners as signed Open Badges 3.0 credentials.

The learner's e-mail is published only as a salted SHA-256 hash (OB 3.0 IdentityObject), so a
credential can be matched to its holder without exposing the address. Files are written
atomically: a crash or a bad roster row never leaves a half-written credential behind.
"""

from __future__ import annotations

import base64
import calendar
import csv
import gzip
import hashlib
import io
import json
import multiprocessing
import os
import re
import secrets
import signal
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from nacl.signing import SigningKey

from site_builder.catalog.model import Catalog, Credential
from site_builder.catalog.safe_files import UnsafeFile, read_regular
from site_builder.credentials import proofs, status_list
from site_builder.credentials.achievement import OB_CONTEXT, Wording, achievement, issuer_profile
from site_builder.credentials.keys import find_published
from site_builder.credentials.status_list import Allocation, IssuerStatus, proof_hash
from site_builder.dates import now, parse_moment, xsd
from site_builder.errors import CredcatError, ExitCode
from site_builder.text import defuse
from site_builder.urls import VERIFY, Site, page_path

ROSTER_LIMIT = 50_000_000  # bytes: a million learners; /dev/zero must not be read forever
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# What an issuer gives up with eddsa-jcs-2022: the two mainstream checkers load only
# eddsa-rdfc-2022 (and older suites) for a credential's proof. Printed by `credcat issue`.
JCS_TRADEOFF = (
    "eddsa-jcs-2022 credentials verify on this catalog's /verify/ page and with `credcat "
    "verify`, but not in 1EdTech's Open Badges 3.0 validator nor in DCC's verifier-core "
    "(VerifierPlus, Learner Credential Wallet), which accept eddsa-rdfc-2022 only; use the "
    "default eddsa-rdfc-2022 for credentials learners will share")
# What an issuer gives up with --suspendable (two status entries where OB 3.0 allows one).
SUSPENDABLE_TRADEOFF = (
    "suspendable credentials carry two credentialStatus entries: they fail 1EdTech's Open "
    "Badges 3.0 JSON Schema, and DCC's verifier reads only the revocation entry; only this "
    "catalog's /verify/ page and `credcat verify` check the suspension")


class IssueError(CredcatError):
    """Why a credential cannot be issued, in words that say what to do."""


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def identity_hash(email: str, salt: str) -> str:
    """OB 3.0 identityHash: 'sha256$' + hex SHA-256 of the value followed by the salt."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


@dataclass(frozen=True)
class Learner:
    name: str
    email: str


@dataclass(frozen=True)
class Awarded:
    """What every credential of one catalog entry says whoever holds it, made once per run.

    The achievement alone took a tenth of a roster row's time when rebuilt for each learner.
    Unsigned documents share these objects; `proofs.sign` copies what it signs, so no signed
    credential shares anything with another.
    """

    name: str
    description: str
    issuer: dict[str, Any]
    achievement: dict[str, Any]


def awarded(site: Site, credential: Credential, wording: Wording | None = None) -> Awarded:
    say = wording or Wording()
    return Awarded(say.text(credential.name, "name"), say.text(credential.summary, "summary"),
                   issuer_profile(site, credential.issuer, say),
                   achievement(site, credential, say))


def build_credential(site: Site, credential: Credential, learner: Learner,
                     valid_from: datetime, salt: str | None = None,
                     wording: Wording | None = None,
                     parts: Awarded | None = None) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for one learner, its texts in `wording`'s language
    (`parts`, when given, must have been made for the same credential and wording)."""
    salt = salt or secrets.token_hex(16)
    parts = parts or awarded(site, credential, wording)
    document: dict[str, Any] = {
        "@context": list(OB_CONTEXT),
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": parts.name,
        "description": parts.description,
        "issuer": parts.issuer,
        "validFrom": xsd(valid_from),
        "awardedDate": xsd(valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityHash": identity_hash(learner.email, salt),
                 "identityType": "emailAddress", "hashed": True, "salt": salt},
                {"type": "IdentityObject", "identityHash": learner.name,
                 "identityType": "name", "hashed": False},
            ],
            "achievement": parts.achievement,
        },
    }
    if credential.validity_months:
        until = add_months(valid_from, credential.validity_months)
        document["validUntil"] = xsd(until)
    return document


def learner_name(document: dict[str, Any]) -> str | None:
    """The learner's name as `build_credential` records it (an unhashed 'name' identifier)."""
    subject = document.get("credentialSubject")
    for item in subject.get("identifier", []) if isinstance(subject, dict) else []:
        if isinstance(item, dict) and item.get("identityType") == "name" and not item.get(
                "hashed"):
            value = item.get("identityHash")
            return value if isinstance(value, str) else None
    return None


def verification_link(site: Site, document: dict[str, Any]) -> str:
    """A /verify/ link carrying the credential in the fragment, which browsers never send."""
    packed = gzip.compress(json.dumps(document, separators=(",", ":")).encode(), mtime=0)
    return site.absolute(page_path(VERIFY)) + "#vc=" + base64.urlsafe_b64encode(
        packed).decode().rstrip("=")


# Rosters at least this long are signed by forked workers, one per core: below it, starting
# them costs more than they save.
PARALLEL_FROM = 64
# Rows signed here before the workers start: the second credential of a shape teaches the
# canonicalization its template (`credentials/rdfc.py`), and the workers inherit what is learnt.
WARM_UP = 3
# The most rows a worker signs per task: enough to make a task's round trip negligible; fewer
# when the roster is short, so that every worker stays busy to the end.
CHUNK = 50

T = TypeVar("T")
# Turns one signed credential into what is written for it; runs in the workers, so it may only
# stage files (`files.Staging`), never publish them, and what it returns must pickle.
Render = Callable[[Learner, dict[str, Any]], T]


@dataclass
class IssuingRun:
    """Everything fixed for one issuing run: what is awarded and with which key."""

    site: Site
    credential: Credential
    signing_key: SigningKey
    key_id: str
    verification_method: str
    cryptosuite: str
    status: IssuerStatus
    suspendable: bool = False
    wording: Wording = field(default_factory=Wording)

    @property
    def purposes(self) -> tuple[str, ...]:
        """The status lists this run's credentials point at."""
        return status_list.PURPOSES if self.suspendable else ("revocation",)

    @cached_property
    def parts(self) -> Awarded:
        return awarded(self.site, self.credential, self.wording)

    @cached_property
    def credential_json(self) -> CredentialText:
        """`credential_json` for this run's credentials (faster for them, the same text)."""
        return CredentialText(self.parts)

    def sign(self, learner: Learner, status_index: int,
             valid_from: datetime | None = None) -> dict[str, Any]:
        document = build_credential(self.site, self.credential, learner,
                                    valid_from or now(), wording=self.wording, parts=self.parts)
        document["credentialStatus"] = status_list.credential_status(
            self.site, self.credential.issuer.id, status_index, self.suspendable)
        signed = proofs.sign(document, self.signing_key,
                             verification_method=self.verification_method,
                             cryptosuite=self.cryptosuite)
        # 1EdTech's AchievementCredential JSON Schema wants `proof` as an array. The proof is
        # not part of what is signed, so wrapping it changes no signature.
        signed["proof"] = [signed["proof"]]
        return signed

    def _record(self, index: int, document: dict[str, Any]) -> Allocation:
        return Allocation(index=index, credential=document["id"],
                          achievement=self.credential.id, key=self.key_id,
                          issued=parse_moment(document["validFrom"]),
                          proof_hash=proof_hash(document), purposes=self.purposes)

    def issue_all(self, learners: Sequence[Learner], render: Render[T],
                  write: Callable[[Learner, T], None] | None = None, *,
                  progress: Callable[[int], object] = lambda done: None,
                  workers: int | None = None) -> list[T]:
        """Sign every credential and `render` it, record their status entries, then `write`
        each rendering; return the renderings, in the order of `learners`. `render` may stage
        files (an `OSError` from it stops the run before anything is recorded); `write`
        publishes them.

        All of it happens under the issuer's status lock, so two runs at once never draw the
        same index. Recording before writing means a killed run can waste indexes but never
        lets two credentials share one; if writing fails (a full disk, a read-only folder),
        the run's allocations file is rewritten to hold only the credentials that were
        written, so the records never claim a credential nobody holds.

        Signing and rendering are per learner and independent, so a roster of `PARALLEL_FROM`
        or more is shared among `workers` forked processes (default: one per core); recording
        and `write` stay in this process. `progress` is told how many more are signed.
        """
        with self.status.locked():
            indexes = self.status.allocate(len(learners))
            self.status.ensure_lists(self.signing_key, self.verification_method, self.purposes)
            count = workers or (_cores() if len(learners) >= PARALLEL_FROM else 1)
            try:
                signed = _sign_all(_Job(self, learners, indexes, render), progress, count)
            except OSError as exc:  # `render` could not write: nothing is recorded yet
                raise _unwritten(exc, 0, len(learners)) from exc
            records = [record for record, _rendered in signed]
            renderings = [rendered for _record, rendered in signed]
            recorded = self.status.record(records)
            if write is None:
                return renderings
            written = 0
            try:
                for learner, rendered in zip(learners, renderings, strict=True):
                    write(learner, rendered)
                    written += 1
            except Exception as exc:  # roll back whatever stopped the writing, then report it
                if written:
                    self.status.record(records[:written], recorded)
                else:
                    recorded.unlink(missing_ok=True)
                if not isinstance(exc, OSError):
                    raise
                raise _unwritten(exc, written, len(renderings)) from exc
        return renderings


def _unwritten(exc: OSError, written: int, total: int) -> IssueError:
    return IssueError(
        f"cannot write the credentials ({exc}); {written} of {total} were written and "
        "recorded, the others were not issued. Free space or fix the folder's permissions, "
        "then run the same command again")


@dataclass(frozen=True)
class _Job(Generic[T]):
    """One run's signing, which forked workers inherit (nothing of it is pickled)."""

    run: IssuingRun
    learners: Sequence[Learner]
    indexes: Sequence[int]
    render: Render[T]

    def rows(self, start: int, stop: int) -> list[tuple[Allocation, T]]:
        done = []
        for learner, index in zip(self.learners[start:stop], self.indexes[start:stop],
                                  strict=True):
            document = self.run.sign(learner, index)
            done.append((self.run._record(index, document), self.render(learner, document)))
        return done


_job: _Job[Any] | None = None


def _rows_in_worker(bounds: tuple[int, int]) -> list[tuple[Allocation, Any]]:
    assert _job is not None
    return _job.rows(*bounds)


def _ignore_interrupts() -> None:
    # Ctrl-C reaches every process of the terminal; the parent alone reports it and stops the
    # workers, which would otherwise each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _sign_all(job: _Job[T], progress: Callable[[int], object],
              workers: int) -> list[tuple[Allocation, T]]:
    """Every row of `job`, signed in this process or, after the first few, in `workers`
    forked ones (which inherit the key and the contexts and templates learnt here)."""
    global _job
    total = len(job.learners)
    first = min(1 if workers < 2 else WARM_UP, total)
    size = max(1, min(CHUNK, (total - first) // (8 * workers)))
    chunks = [(0, first)] + [(start, min(start + size, total))
                             for start in range(first, total, size)]
    if workers < 2 or len(chunks) == 1:
        signed = []
        for bounds in chunks:
            signed += job.rows(*bounds)
            progress(bounds[1] - bounds[0])
        return signed
    signed = job.rows(*chunks[0])
    progress(len(signed))
    _job = job
    try:
        with multiprocessing.get_context("fork").Pool(workers, _ignore_interrupts) as pool:
            for done in pool.imap(_rows_in_worker, chunks[1:]):
                signed += done
                progress(len(done))
    finally:
        _job = None
    return signed


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def prepare(catalog: Catalog, site: Site, root: Path, credential_id: str,
            signing_key: SigningKey, cryptosuite: str, suspendable: bool = False,
            language: str | None = None) -> IssuingRun:
    """Check that this key may award this credential now, and say why not otherwise.

    `language` is the language of the credential's texts (None: the catalog's default)."""
    credential = catalog.credentials.get(credential_id)
    if credential is None:
        raise IssueError(f"unknown credential '{credential_id}': it has no file "
                         f"catalog/credentials/{credential_id}.yaml", exit_code=ExitCode.USAGE)
    if not credential.active:
        raise IssueError(f"'{credential_id}' is retired and can no longer be awarded")
    if cryptosuite not in proofs.CRYPTOSUITES:
        raise IssueError(f"unknown cryptosuite '{cryptosuite}'; use one of "
                         + ", ".join(proofs.CRYPTOSUITES))
    issuer = credential.issuer
    published = find_published(catalog, signing_key, issuer.id)
    if published is None:
        raise IssueError(f"this key is not published for {issuer.name} in public_keys/"
                         f"{issuer.id}/: run `credcat keygen {issuer.id}` and commit the "
                         "public key file, or use the issuer's published key")
    if published.state != "active":
        raise IssueError(f"key '{published.id}' of {issuer.name} is {published.state} and can "
                         "no longer sign; use the issuer's active key")
    method = f"{site.issuer_did(issuer.id)}#{published.id}"
    return IssuingRun(site, credential, signing_key, published.id, method, cryptosuite,
                      IssuerStatus(root, site, issuer.id), suspendable, Wording(language))


# -- rosters and files ------------------------------------------------------------------------

# C0 and C1 controls (NUL, newline, NEL...), DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]")


def control_characters(text: str) -> str:
    """The control characters in `text`, as U+XXXX codes, or '' if there are none."""
    return ", ".join(sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(text)}))


class RosterError(CredcatError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_roster(path: Path) -> list[Learner]:
    """Every learner of a CSV with `name` and `email` columns, or every bad row with its line."""
    try:
        text = read_regular(path, inside=None, limit=ROSTER_LIMIT).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, UnsafeFile) as exc:
        raise RosterError([f"{path}: cannot read the roster: {exc}"]) from exc
    # Read as one stream: splitting lines first would break a quoted field at a newline,
    # U+2028 or NEL and join its halves silently.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "name" not in headers or "email" not in headers:
        raise RosterError([f"{path}:1: the header must name the columns 'name' and 'email' "
                           f"(found: {', '.join(headers) or 'nothing'})"])
    learners, problems, seen = [], [], {}
    line_end = reader.line_num
    for row in reader:
        line, line_end = line_end + 1, reader.line_num  # where the row starts
        values = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        name, email = values.get("name", ""), values.get("email", "")
        if not name:
            problems.append(f"{path}:{line}: the name is empty")
        elif bad := control_characters(name):
            problems.append(f"{path}:{line}: the name holds the control character(s) {bad}, "
                            "which would be signed invisibly; write the name on one line as "
                            "plain text")
        if not EMAIL.match(email):
            problems.append(f"{path}:{line}: '{email}' is not an e-mail address")
        elif email.lower() in seen:
            problems.append(f"{path}:{line}: {email} is already on line {seen[email.lower()]}")
        else:
            seen[email.lower()] = line
        learners.append(Learner(name, email))
    if problems:
        raise RosterError(problems)
    if not learners:
        raise RosterError([f"{path}: the roster has no learners"])
    return learners


def credential_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _compact(value: Any) -> str:
    # The C encoder: an exact image of a JSON value (key order, and 1 / 1.0 / true apart).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class CredentialText:
    """`credential_json` for the credentials of one run, with their shared parts written once.

    `json.dumps` with an indent runs in Python, and the issuer and achievement every
    credential of a run carries are most of each file: writing them once took a credential's
    text from about 0.2 ms to 0.06 ms here, where signing it takes 0.5 ms. A credential's part is
    spliced in only when its compact JSON (written by the C encoder, which tells every value
    and key order apart) equals the shared part's, so the text is always `credential_json`'s.
    """

    def __init__(self, parts: Awarded) -> None:
        secret = secrets.token_hex(16)
        # Per part: the marker standing for it, its compact JSON, its text in a credential.
        self._issuer = (f"credcat-issuer-{secret}", _compact(parts.issuer),
                        self._indented(parts.issuer, 1))
        self._achievement = (f"credcat-achievement-{secret}", _compact(parts.achievement),
                             self._indented(parts.achievement, 2))
        self._texts = {json.dumps(marker): text for marker, _, text in (self._issuer,
                                                                         self._achievement)}
        self._markers = re.compile("|".join(map(re.escape, self._texts)))

    @staticmethod
    def _indented(value: Any, depth: int) -> str:
        # A value's lines in a credential are indented by its key's depth: JSON strings never
        # hold a raw line break, so every line break of the value starts one of its lines.
        return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * depth)

    def __call__(self, document: dict[str, Any]) -> str:
        subject = document.get("credentialSubject")
        if (not isinstance(subject, dict) or "issuer" not in document
                or "achievement" not in subject
                or _compact(document["issuer"]) != self._issuer[1]
                or _compact(subject["achievement"]) != self._achievement[1]):
            return credential_json(document)
        text = credential_json({**document, "issuer": self._issuer[0], "credentialSubject": {
            **subject, "achievement": self._achievement[0]}})
        found = self._markers.findall(text)
        if sorted(found) != sorted(self._texts):  # secret markers, but nothing left to chance
            return credential_json(document)
        return self._markers.sub(lambda marker: self._texts[marker.group()], text)


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:40] or "learner"


def file_name(credential_id: str, learner: Learner, document: dict[str, Any]) -> str:
    short = document["id"].rsplit("-", 1)[-1][:8]
    return f"{credential_id}-{slug(learner.name)}-{short}.json"


MANIFEST_FIELDS = ["file", "learner", "email", "credential_id", "verification_link",
                   # credentials/sharing.py: what the learner gets to show it with.
                   "linkedin_url", "certificate"]


def manifest_header() -> str:
    buffer = io.StringIO()
    csv.DictWriter(buffer, MANIFEST_FIELDS, lineterminator="\n").writeheader()
    return buffer.getvalue()


def manifest_line(row: dict[str, str]) -> str:
    """One learner's line of the manifest (made where the credential is signed: its links
    make it long, and a whole roster's lines took a second to write in one process)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, MANIFEST_FIELDS, lineterminator="\n")
    # Learners' names are user input, and spreadsheets run formula-like cells.
    writer.writerow({k: defuse(row[k]) for k in MANIFEST_FIELDS})
    return buffer.getvalue()


def already_issued(out_dir: Path, credential_id: str, learners: list[Learner],
                   status: IssuerStatus) -> dict[str, tuple[str, dict[str, Any]]]:
    """Learners of a roster who already hold a credential written in `out_dir` by a run.

    A roster run that was killed has written some files and recorded their allocations; run
    again, it must not give those learners a second credential. A file counts only if its
    name, learner name and hashed e-mail match the learner and the status records list its
    id, so a stray or edited file never stops anyone from being issued. Keyed by e-mail.
    """
    if not out_dir.is_dir():
        return {}
    recorded = {a.credential for a in status.allocations() if a.achievement == credential_id}
    wanted = {learner.email.lower(): learner for learner in learners}
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(out_dir.glob(f"{credential_id}-*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if not isinstance(document, dict) or document.get("id") not in recorded:
            continue
        name = learner_name(document)
        subject = document.get("credentialSubject", {})
        for item in subject.get("identifier", []) if isinstance(subject, dict) else []:
            if not (isinstance(item, dict) and item.get("identityType") == "emailAddress"):
                continue
            for email, learner in wanted.items():
                if (learner.name == name and email not in found
                        and path.name == file_name(credential_id, learner, document)
                        and item.get("identityHash") == identity_hash(
                            email, str(item.get("salt", "")))):
                    found[email] = (path.name, document)
    return found
