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
import re
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from site_builder.catalog.model import Catalog, Credential
from site_builder.credentials import proofs, status_list
from site_builder.credentials.achievement import OB_CONTEXT, achievement, issuer_profile
from site_builder.credentials.keys import find_published
from site_builder.credentials.status_list import Allocation, IssuerStatus, proof_hash
from site_builder.dates import now, parse_moment, xsd
from site_builder.errors import CredcatError, ExitCode
from site_builder.text import defuse
from site_builder.urls import VERIFY, Site, page_path

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


def build_credential(site: Site, credential: Credential, learner: Learner,
                     valid_from: datetime, salt: str | None = None) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for one learner."""
    salt = salt or secrets.token_hex(16)
    document: dict[str, Any] = {
        "@context": list(OB_CONTEXT),
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": credential.name,
        "description": credential.summary,
        "issuer": issuer_profile(site, credential.issuer),
        "validFrom": xsd(valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityHash": identity_hash(learner.email, salt),
                 "identityType": "emailAddress", "hashed": True, "salt": salt},
                {"type": "IdentityObject", "identityHash": learner.name,
                 "identityType": "name", "hashed": False},
            ],
            "achievement": achievement(site, credential),
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

    def sign(self, learner: Learner, status_index: int,
             valid_from: datetime | None = None) -> dict[str, Any]:
        document = build_credential(self.site, self.credential, learner,
                                    valid_from or now())
        document["credentialStatus"] = status_list.entries(self.site, self.credential.issuer.id,
                                                           status_index)
        return proofs.sign(document, self.signing_key,
                           verification_method=self.verification_method,
                           cryptosuite=self.cryptosuite)

    def issue_all(self, learners: list[Learner],
                  progress: Callable[[list[Learner]], Iterable[Learner]] = iter,
                  ) -> list[dict[str, Any]]:
        """Sign every credential, then record their status entries before anything is written.

        Recording first means a crash while writing files can waste indexes but never lets two
        credentials share one; signing first means a failed run records nothing.
        """
        indexes = self.status.allocate(len(learners))
        self.status.ensure_lists(self.signing_key, self.verification_method)
        documents = [self.sign(learner, index)
                     for learner, index in zip(progress(learners), indexes, strict=True)]
        self.status.record(Allocation(
            index=index, credential=document["id"], achievement=self.credential.id,
            key=self.key_id, issued=parse_moment(document["validFrom"]),
            proof_hash=proof_hash(document),
        ) for index, document in zip(indexes, documents, strict=True))
        return documents


def prepare(catalog: Catalog, site: Site, root: Path, credential_id: str,
            signing_key: SigningKey, cryptosuite: str) -> IssuingRun:
    """Check that this key may award this credential now, and say why not otherwise."""
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
                      IssuerStatus(root, site, issuer.id))


# -- rosters and files ------------------------------------------------------------------------

class RosterError(CredcatError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_roster(path: Path) -> list[Learner]:
    """Every learner of a CSV with `name` and `email` columns, or every bad row with its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RosterError([f"{path}: cannot read the roster: {exc}"]) from exc
    reader = csv.DictReader(text.splitlines())
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    if "name" not in headers or "email" not in headers:
        raise RosterError([f"{path}:1: the header must name the columns 'name' and 'email' "
                           f"(found: {', '.join(headers) or 'nothing'})"])
    learners, problems, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        values = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        name, email = values.get("name", ""), values.get("email", "")
        if not name:
            problems.append(f"{path}:{line}: the name is empty")
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


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:40] or "learner"


def file_name(credential_id: str, learner: Learner, document: dict[str, Any]) -> str:
    short = document["id"].rsplit("-", 1)[-1][:8]
    return f"{credential_id}-{slug(learner.name)}-{short}.json"


MANIFEST_FIELDS = ["file", "learner", "email", "credential_id", "verification_link"]


def manifest_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        # Learners' names are user input, and spreadsheets run formula-like cells.
        writer.writerow({k: defuse(row[k]) for k in MANIFEST_FIELDS})
    return buffer.getvalue()
