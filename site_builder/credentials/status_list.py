"""Revocation and suspension with W3C Bitstring Status List v1.0, kept in the repository.

Each issuer has one revocation and one suspension list under `status/<issuer>/`, signed by the
issuer and published by the build under `/status/`. A credential gets the same random index in
both. Every issuing run records its allocations in a new CSV file under
`status/<issuer>/allocations/`, so two maintainers issuing on different machines never edit the
same file; an index allocated twice is found by `credcat check` instead of passing silently.
"""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from site_builder.catalog.model import Catalog
from site_builder.contract import revoked_key_path
from site_builder.contract import status_list_path as list_path  # repository and site alike
from site_builder.credentials import proofs
from site_builder.dates import now, parse_moment, xsd
from site_builder.errors import CredcatError, ExitCode
from site_builder.files import write_atomic
from site_builder.urls import Site

PURPOSES = ("revocation", "suspension")
MIN_ENTRIES = 131_072  # the specification's minimum, so a list does not reveal how many exist
STATUS_DIR = "status"
LIST_CRYPTOSUITE = "eddsa-jcs-2022"  # needs no JSON-LD in the browser: status checks stay light
ALLOCATION_FIELDS = ["index", "credential", "achievement", "key", "issued", "proof_hash"]
CHANGE_FIELDS = ["date", "purpose", "index", "credential", "action", "reason"]


class StatusError(CredcatError):
    """A status list that cannot be used, in words that say what to do."""


def encode_bits(bits: bytes) -> str:
    """encodedList: multibase base64url (no padding) of the GZIP of the bitstring."""
    packed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_bits(encoded: Any) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusError("the list is not multibase base64url ('u...')")
    body = encoded[1:]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        bits = gzip.decompress(packed)
    except (ValueError, OSError, EOFError) as exc:
        raise StatusError("the list does not decode (base64url of GZIP data)") from exc
    if len(bits) * 8 < MIN_ENTRIES:
        raise StatusError(f"the list holds {len(bits) * 8} entries, fewer than {MIN_ENTRIES}")
    return bits


def bit(bits: bytes, index: int) -> bool:
    """Index 0 is the most significant bit of byte 0."""
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int, value: bool) -> None:
    mask = 0x80 >> (index % 8)
    bits[index // 8] = bits[index // 8] | mask if value else bits[index // 8] & ~mask


def list_url(site: Site, issuer_id: str, purpose: str) -> str:
    return site.absolute(list_path(issuer_id, purpose))


def entries(site: Site, issuer_id: str, index: int) -> list[dict[str, str]]:
    """The credentialStatus of a credential at `index`: one entry per purpose."""
    return [{
        "id": f"{list_url(site, issuer_id, purpose)}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url(site, issuer_id, purpose),
    } for purpose in PURPOSES]


def list_credential(site: Site, issuer_id: str, purpose: str, bits: bytes,
                    valid_from: datetime | None = None) -> dict[str, Any]:
    url = list_url(site, issuer_id, purpose)
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": site.issuer_did(issuer_id),
        "validFrom": xsd(valid_from or now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_bits(bits),
        },
    }


@dataclass(frozen=True)
class Allocation:
    index: int
    credential: str
    achievement: str
    key: str
    issued: datetime
    proof_hash: str
    source: str = ""
    line: int = 0


def hash_proof_value(proof_value: str) -> str:
    """Identifies one signed credential without revealing anything about its learner."""
    return hashlib.sha256(proof_value.encode()).hexdigest()


def proof_hash(document: dict[str, Any]) -> str:
    return hash_proof_value(document["proof"]["proofValue"])


class IssuerStatus:
    """One issuer's lists and allocation records in `status/<issuer>/`."""

    def __init__(self, root: Path, site: Site, issuer_id: str) -> None:
        self.root = root
        self.site = site
        self.issuer_id = issuer_id
        self.folder = root / STATUS_DIR / issuer_id

    # -- allocations ----------------------------------------------------------------------
    def allocations(self) -> list[Allocation]:
        found = []
        for path in sorted((self.folder / "allocations").glob("*.csv")):
            rel = path.relative_to(self.root).as_posix()
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                for row in reader:
                    try:
                        issued = parse_moment(row["issued"])
                    except ValueError as exc:
                        raise StatusError(f"{rel}:{reader.line_num}: issued: {exc}; restore the "
                                          "file from Git history") from None
                    found.append(Allocation(int(row["index"]), row["credential"],
                                            row["achievement"], row["key"], issued,
                                            row["proof_hash"], rel, reader.line_num))
        return found

    def _stored_bits(self, purpose: str) -> bytearray | None:
        path = self.root / list_path(self.issuer_id, purpose)
        if not path.is_file():
            return None
        document = json.loads(path.read_text(encoding="utf-8"))
        return bytearray(decode_bits(document["credentialSubject"]["encodedList"]))

    def size(self) -> int:
        """Entries per list: the revocation list's length, or the minimum for a new list."""
        stored = self._stored_bits("revocation")
        return MIN_ENTRIES if stored is None else len(stored) * 8

    def allocate(self, count: int) -> list[int]:
        """`count` random indexes that no earlier allocation uses."""
        used = {a.index for a in self.allocations()}
        size = self.size()
        if len(used) + count > size * 0.9:
            raise StatusError(f"the status lists of {self.issuer_id} are nearly full "
                              f"({len(used)} of {size} entries used)")
        chosen: list[int] = []  # in the order drawn, so roster order says nothing of indexes
        while len(chosen) < count:
            index = secrets.randbelow(size)
            if index not in used:
                used.add(index)
                chosen.append(index)
        return chosen

    def record(self, allocations: Iterable[Allocation]) -> Path:
        """A new allocations file for this run, never an edit of an existing one."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = self.folder / "allocations" / f"{stamp}-{secrets.token_hex(4)}.csv"
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, ALLOCATION_FIELDS, lineterminator="\n")
        writer.writeheader()
        for item in allocations:
            writer.writerow({"index": item.index, "credential": item.credential,
                             "achievement": item.achievement, "key": item.key,
                             "issued": xsd(item.issued), "proof_hash": item.proof_hash})
        write_atomic(path, buffer.getvalue())
        return path

    # -- lists ----------------------------------------------------------------------------
    def bits(self, purpose: str) -> bytearray:
        stored = self._stored_bits(purpose)
        return bytearray(self.size() // 8) if stored is None else stored

    def write_list(self, purpose: str, bits: bytes, key: SigningKey, method: str) -> Path:
        signed = proofs.sign(list_credential(self.site, self.issuer_id, purpose, bits), key,
                             verification_method=method, cryptosuite=LIST_CRYPTOSUITE)
        path = self.root / list_path(self.issuer_id, purpose)
        write_atomic(path, json.dumps(signed, indent=2) + "\n")
        return path

    def ensure_lists(self, key: SigningKey, method: str) -> None:
        """Sign empty lists the first time an issuer awards a credential."""
        for purpose in PURPOSES:
            if not (self.root / list_path(self.issuer_id, purpose)).is_file():
                self.write_list(purpose, bytes(MIN_ENTRIES // 8), key, method)

    def resign(self, key: SigningKey, method: str) -> None:
        """Re-sign both lists unchanged, e.g. after the key that signed them was revoked."""
        for purpose in PURPOSES:
            self.write_list(purpose, bytes(self.bits(purpose)), key, method)

    def change(self, purpose: str, index: int, value: bool, key: SigningKey, method: str,
               credential: str, action: str, reason: str) -> None:
        bits = self.bits(purpose)
        if index >= len(bits) * 8:
            raise StatusError(f"index {index} is outside the {purpose} list")
        set_bit(bits, index, value)
        self.write_list(purpose, bytes(bits), key, method)
        log = self.folder / "changes.csv"
        new = not log.is_file()
        with log.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, CHANGE_FIELDS, lineterminator="\n")
            if new:
                writer.writeheader()
            writer.writerow({"date": xsd(now()),
                             "purpose": purpose, "index": index, "credential": credential,
                             "action": action, "reason": reason})


# What each status command does: the list it changes and the value it sets.
ACTIONS = {"revoke": ("revocation", True), "suspend": ("suspension", True),
           "reinstate": ("suspension", False)}


def apply(root: Path, site: Site, target: Target, action: str, key: SigningKey, method: str,
          reason: str) -> str:
    """Revoke, suspend or reinstate the credential at `target`; returns the list changed.

    Revocation is final (Bitstring Status List: a revocation status cannot be reversed), so
    reinstating only lifts a suspension and refuses a revoked credential.
    """
    purpose, value = ACTIONS[action]
    status = IssuerStatus(root, site, target.issuer_id)
    if action == "reinstate" and bit(status.bits("revocation"), target.index):
        raise StatusError("this credential is revoked, which is final; issue a new credential "
                          "instead")
    status.change(purpose, target.index, value, key, method, target.credential, action, reason)
    return purpose


def lists_signed_with(root: Path, issuer_id: str, key_id: str) -> list[str]:
    """The purposes of the issuer's lists under `root` whose proof names that key.

    A list that cannot be read is not signed with anything; `credcat check` reports it.
    """
    signed = []
    for purpose in PURPOSES:
        try:
            document = json.loads((root / list_path(issuer_id, purpose)).read_text(
                encoding="utf-8"))
        except (OSError, ValueError):
            continue
        proof = document.get("proof") if isinstance(document, dict) else None
        proof = proof[0] if isinstance(proof, list) and proof else proof
        method = proof.get("verificationMethod", "") if isinstance(proof, dict) else ""
        if isinstance(method, str) and method.endswith(f":{issuer_id}#{key_id}"):
            signed.append(purpose)
    return signed


def published_documents(root: Path, site: Site, catalog: Catalog) -> dict[str, Any]:
    """What the site publishes under /status/, keyed by site path.

    For a revoked key it publishes the proof hashes of the credentials the repository records
    as issued with it before the compromise: only those still verify, since a thief holding
    the key can backdate a signature but cannot add to the history merged before.
    """
    documents: dict[str, Any] = {}
    for issuer in catalog.issuers.values():
        for purpose in PURPOSES:
            path = root / list_path(issuer.id, purpose)
            if path.is_file():
                documents[list_path(issuer.id, purpose)] = json.loads(
                    path.read_text(encoding="utf-8"))
        revoked = [k for k in issuer.keys if k.state == "revoked" and k.revoked]
        if not revoked:
            continue
        allocations = IssuerStatus(root, site, issuer.id).allocations()
        for key in revoked:
            since = key.revoked
            documents[revoked_key_path(issuer.id, key.id)] = {
                "key": f"{site.issuer_did(issuer.id)}#{key.id}",
                "revoked": xsd(since),
                "issuedBefore": sorted(a.proof_hash for a in allocations
                                       if a.key == key.id and a.issued < since),
            }
    return documents


@dataclass(frozen=True)
class Target:
    """A credential's place in its issuer's lists."""

    issuer_id: str
    index: int
    credential: str


def locate(root: Path, site: Site, catalog: Catalog, reference: str) -> Target:
    """Find a credential by its file (JSON or baked badge) or by its id (urn:uuid:...)."""
    path = Path(reference)
    if path.is_file():
        from site_builder.credentials.baking import extract

        try:
            document = extract(path.read_bytes())
        except (ValueError, UnicodeDecodeError) as exc:
            raise StatusError(f"{reference} holds no readable credential: {exc}") from exc
        prefix = site.absolute(STATUS_DIR + "/")
        for entry in document.get("credentialStatus", []) if isinstance(document, dict) else []:
            url = entry.get("statusListCredential", "") if isinstance(entry, dict) else ""
            if url.startswith(prefix) and str(entry.get("statusListIndex", "")).isdigit():
                issuer_id = url[len(prefix):].split("/", 1)[0]
                if issuer_id in catalog.issuers:
                    return Target(issuer_id, int(entry["statusListIndex"]), document.get("id", ""))
        raise StatusError(f"{reference} has no status entry in this catalog's lists, so it "
                          "cannot be revoked here")
    for issuer_id in catalog.issuers:
        for allocation in IssuerStatus(root, site, issuer_id).allocations():
            if allocation.credential == reference:
                return Target(issuer_id, allocation.index, reference)
    raise StatusError(f"no credential '{reference}' in the allocation records under status/; "
                      "give the credential's file or its id (urn:uuid:...)",
                      exit_code=ExitCode.USAGE)
