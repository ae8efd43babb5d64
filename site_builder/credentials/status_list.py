"""Revocation and suspension with W3C Bitstring Status List v1.0, kept in the repository.

Each issuer has a revocation list, and a suspension list once it issues suspendable credentials,
under `status/<issuer>/`, signed by the issuer and published by the build under `/status/`. A
credential gets one random index, used in the revocation list and, for credentials issued as
suspendable, in the suspension list too. Open Badges 3.0 allows a credential one
`credentialStatus` object, and 1EdTech's validator and DCC's verifier read only that one, so by
default a credential carries its revocation entry alone (see `credential_status`).

Every issuing run records its allocations in a new CSV file under
`status/<issuer>/allocations/`, so two maintainers issuing on different machines never edit the
same file; an index allocated twice is found by `credcat check` instead of passing silently.

On one machine, commands that change an issuer's lists or allocations (`revoke`, `suspend`,
`reinstate`, `issue`) hold an exclusive lock on `status/<issuer>/.lock` for the whole
read-modify-write, so two of them running at once never lose a bit or share an index. The lock
is `fcntl.flock` (POSIX: Linux, macOS); it is released by the kernel when the process ends,
however it ends, so a killed command never leaves the folder locked.
"""

from __future__ import annotations

import base64
import csv
import fcntl
import gzip
import hashlib
import io
import json
import secrets
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from site_builder.catalog.model import Catalog
from site_builder.catalog.safe_files import UnsafeFile, read_regular
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
# A list carries a proof set: eddsa-rdfc-2022 for 1EdTech's OB 3.0 validator and DCC's
# verifier-core (VerifierPlus, Learner Credential Wallet), which check no other suite, and
# eddsa-jcs-2022, which the /verify/ page checks without its JSON-LD bundle. The rule is data
# of the verifier specification, which the browser reads too (verifier.json,
# `statusListProofs`).
LIST_PROOFS: dict[str, list[str]] = json.loads(
    files("site_builder.credentials").joinpath("verifier.json").read_text(encoding="utf-8")
)["statusListProofs"]
# `purposes` names the lists a credential points at (space-separated); files written before
# credentials could be revocation-only lack the column, and their credentials use both lists.
ALLOCATION_FIELDS = ["index", "credential", "achievement", "key", "issued", "proof_hash",
                     "purposes"]
CHANGE_FIELDS = ["date", "purpose", "index", "credential", "action", "reason"]


LOCK_FILE = ".lock"
LIST_LIMIT = 50_000_000  # bytes; a list of 131,072 entries is about 1 KB once compressed


class StatusError(CredcatError):
    """A status list that cannot be used, in words that say what to do."""


class RecordError(StatusError):
    """A status file that cannot be read, at the file and line `credcat check` shows."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source, self.line, self.message = source, line, message


def read_list(path: Path, shown: str) -> dict[str, Any]:
    """A stored status list credential, or StatusError naming the file and what to do.

    A list cut short by a full disk or a bad merge must stop the command with a message, not
    a traceback, and must never be published.
    """
    try:
        # Inside status/ (the folder above the issuer's), a plain file: never a symlink out
        # of the repository or a FIFO that would hang the build.
        text = read_regular(path, inside=path.parent.parent, limit=LIST_LIMIT).decode("utf-8")
        document = json.loads(text)
    except (OSError, UnicodeDecodeError, UnsafeFile) as exc:
        raise RecordError(shown, 1, f"cannot read the status list ({exc}); restore it "
                          "from Git history") from exc
    except json.JSONDecodeError as exc:
        raise RecordError(shown, exc.lineno, f"the status list is not valid JSON ({exc.msg}); "
                          "restore it from Git history") from exc
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    if not isinstance(subject, dict) or "encodedList" not in subject:
        raise RecordError(shown, 1, "the status list has no credentialSubject.encodedList; "
                          "restore it from Git history")
    try:
        decode_bits(subject["encodedList"])
    except StatusError as exc:
        raise RecordError(shown, 1, f"{exc}; restore it from Git history") from exc
    return document


def encode_bits(bits: bytes) -> str:
    """encodedList: multibase base64url (no padding) of the GZIP of the bitstring."""
    packed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


MAX_LIST_BYTES = 16 * 1024 * 1024  # 128 million entries; anything larger is a "zip bomb"


class ListTooLarge(StatusError):
    """A list that unpacks to more than MAX_LIST_BYTES."""


def decode_bits(encoded: Any, limit: int = MAX_LIST_BYTES) -> bytes:
    """The bitstring of an encodedList, refusing to unpack more than `limit` bytes."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusError("the list is not multibase base64url ('u...')")
    body = encoded[1:]
    if body and not (body.isascii() and body.replace("-", "").replace("_", "").isalnum()):
        raise StatusError("the list does not decode (base64url of GZIP data)")
    try:
        packed = base64.b64decode(body.replace("-", "+").replace("_", "/")
                                  + "=" * (-len(body) % 4), validate=True)
        unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing
        bits = unpacker.decompress(packed, limit + 1)
        if len(bits) > limit:
            raise ListTooLarge(f"the list unpacks to more than {limit} bytes")
        if not unpacker.eof:
            raise StatusError("the list does not decode (base64url of GZIP data)")
    except (ValueError, zlib.error) as exc:
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


def status_entry(site: Site, issuer_id: str, index: int, purpose: str) -> dict[str, str]:
    """One BitstringStatusListEntry (https://www.w3.org/TR/vc-bitstring-status-list/)."""
    return {
        "id": f"{list_url(site, issuer_id, purpose)}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url(site, issuer_id, purpose),
    }


def credential_status(site: Site, issuer_id: str, index: int,
                      suspendable: bool = False) -> dict[str, str] | list[dict[str, str]]:
    """The `credentialStatus` of a new credential at `index`.

    By default one revocation entry, as an object: the OB 3.0 data model allows at most one
    status (https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential) and 1EdTech's JSON
    Schema rejects an array. A suspendable credential also gets a suspension entry, so it
    carries an array that only credcat's verifier reads in full.
    """
    revocation = status_entry(site, issuer_id, index, "revocation")
    return entries(site, issuer_id, index) if suspendable else revocation


def entries(site: Site, issuer_id: str, index: int) -> list[dict[str, str]]:
    """One entry per purpose at `index`: a suspendable credential's status (and the vectors')."""
    return [status_entry(site, issuer_id, index, purpose) for purpose in PURPOSES]


def status_entries(document: Any) -> list[dict[str, Any]]:
    """A credential's status entries, whether it carries one object or an array."""
    value = document.get("credentialStatus") if isinstance(document, dict) else None
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, dict)]


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
    purposes: tuple[str, ...] = PURPOSES


def sign_list(unsigned: dict[str, Any], key: SigningKey, method: str,
              created: str | None = None) -> dict[str, Any]:
    """A status list credential signed with a proof set, one proof per suite of the rule."""
    created = created or xsd(now())
    proof_set = [proofs.sign(unsigned, key, verification_method=method, cryptosuite=suite,
                             created=created)["proof"] for suite in LIST_PROOFS["signedWith"]]
    return {**unsigned, "proof": proof_set}


def _text(proof: Any, name: str) -> str | None:
    """A proof's field when it is text; a list is untrusted input, so any JSON value else."""
    value = proof.get(name) if isinstance(proof, dict) else None
    return value if isinstance(value, str) else None


def checked_proof(document: dict[str, Any]) -> dict[str, Any]:
    """The list with only the proof both verifiers check (see LIST_PROOFS), to give to
    `proofs.parse_proof`; a proof set the rule does not allow raises `proofs.ProofError`."""
    found = document.get("proof")
    if not isinstance(found, list) or len(found) < 2:
        return document
    suites = [_text(p, "cryptosuite") for p in found]
    methods = {_text(p, "verificationMethod") for p in found}
    if (len(set(suites)) != len(suites) or len(methods) != 1 or None in methods
            or not set(suites) <= set(LIST_PROOFS["checkFirst"])):
        raise proofs.ProofError("its proof set is not one this catalog writes: one proof per "
                                f"suite of {', '.join(LIST_PROOFS['signedWith'])}, by one key",
                                "several-proofs", count=len(found))
    suite = next(s for s in LIST_PROOFS["checkFirst"] if s in suites)
    return {**document, "proof": found[suites.index(suite)]}


def hash_proof_value(proof_value: str) -> str:
    """Identifies one signed credential without revealing anything about its learner."""
    return hashlib.sha256(proof_value.encode()).hexdigest()


def proof_hash(document: dict[str, Any]) -> str:
    """The hash of the credential's proof value; `proof` may be an object or an array of one."""
    proof = document["proof"]
    return hash_proof_value((proof[0] if isinstance(proof, list) else proof)["proofValue"])


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
            try:
                text = read_regular(path, inside=self.folder, limit=LIST_LIMIT).decode("utf-8")
                with io.StringIO(text, newline="") as handle:
                    reader = csv.DictReader(handle)
                    # `purposes` came later: files written before it lack the column.
                    missing = [f for f in ALLOCATION_FIELDS if f != "purposes"
                               and f not in (reader.fieldnames or [])]
                    if missing:
                        raise RecordError(rel, 1, "the allocations file lacks the column(s) "
                                          f"{', '.join(missing)}; restore it from Git history, "
                                          "never edit it by hand")
                    for row in reader:
                        index = row["index"] or ""
                        if not index.isascii() or not index.isdigit() or None in row.values():
                            raise RecordError(rel, reader.line_num, "malformed allocation row; "
                                              "restore the file from Git history, never edit "
                                              "it by hand")
                        try:
                            issued = parse_moment(row["issued"])
                        except ValueError as exc:
                            raise RecordError(rel, reader.line_num, f"issued: {exc}; restore "
                                              "the file from Git history") from None
                        purposes = tuple((row.get("purposes") or "").split()) or PURPOSES
                        found.append(Allocation(int(index), row["credential"],
                                                row["achievement"], row["key"], issued,
                                                row["proof_hash"], rel, reader.line_num,
                                                purposes))
            except (OSError, UnicodeDecodeError, csv.Error, UnsafeFile) as exc:
                raise RecordError(rel, 1, f"cannot read the allocations file ({exc}); restore "
                                  "it from Git history") from exc
        return found

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this issuer's status lock (see the module docstring) until the block ends."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / LOCK_FILE).open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _stored_bits(self, purpose: str) -> bytearray | None:
        shown = list_path(self.issuer_id, purpose)
        path = self.root / shown
        if not path.is_file():
            return None
        document = read_list(path, shown)
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

    def record(self, allocations: Iterable[Allocation], path: Path | None = None) -> Path:
        """A new allocations file for this run, never an edit of an existing one.

        `path` rewrites this run's own file, to drop the credentials a failed run never wrote.
        """
        if path is None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            path = self.folder / "allocations" / f"{stamp}-{secrets.token_hex(4)}.csv"
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, ALLOCATION_FIELDS, lineterminator="\n")
        writer.writeheader()
        for item in allocations:
            writer.writerow({"index": item.index, "credential": item.credential,
                             "achievement": item.achievement, "key": item.key,
                             "issued": xsd(item.issued), "proof_hash": item.proof_hash,
                             "purposes": " ".join(item.purposes)})
        write_atomic(path, buffer.getvalue())
        return path

    # -- lists ----------------------------------------------------------------------------
    def bits(self, purpose: str) -> bytearray:
        stored = self._stored_bits(purpose)
        return bytearray(self.size() // 8) if stored is None else stored

    def write_list(self, purpose: str, bits: bytes, key: SigningKey, method: str) -> Path:
        signed = sign_list(list_credential(self.site, self.issuer_id, purpose, bits), key,
                           method)
        path = self.root / list_path(self.issuer_id, purpose)
        write_atomic(path, json.dumps(signed, indent=2) + "\n")
        return path

    def ensure_lists(self, key: SigningKey, method: str,
                     purposes: Iterable[str] = PURPOSES) -> None:
        """Sign empty lists the first time an issuer awards a credential that uses them."""
        for purpose in purposes:
            if not (self.root / list_path(self.issuer_id, purpose)).is_file():
                self.write_list(purpose, bytes(MIN_ENTRIES // 8), key, method)

    def resign(self, key: SigningKey, method: str) -> None:
        """Re-sign both lists unchanged, e.g. after the key that signed them was revoked."""
        for purpose in PURPOSES:
            self.write_list(purpose, bytes(self.bits(purpose)), key, method)

    def change(self, purpose: str, index: int, value: bool, key: SigningKey, method: str,
               credential: str, action: str, reason: str) -> None:
        """Set or clear one bit and log it, all under the issuer's lock (read-modify-write)."""
        with self.locked():
            bits = self.bits(purpose)
            if index >= len(bits) * 8:
                raise StatusError(f"index {index} is outside the {purpose} list")
            if purpose == "suspension" and not value and bit(self.bits("revocation"), index):
                raise StatusError("this credential is revoked, which is final; issue a new "
                                  "credential instead")
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
    if purpose not in target.purposes:
        raise StatusError(
            f"this credential has no {purpose} entry (it was issued without --suspendable), so "
            "verifiers would never see the change; revoke it instead, or issue suspendable "
            "credentials")
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


def published_documents(root: Path, site: Site, catalog: Catalog,
                        strict: bool = False) -> dict[str, Any]:
    """What the site publishes under /status/, keyed by site path.

    For a revoked key it publishes the proof hashes of the credentials the repository records
    as issued with it before the compromise: only those still verify, since a thief holding
    the key can backdate a signature but cannot add to the history merged before.

    `strict` (the build) raises RecordError for a status file that cannot be read, so a cut
    or empty list is never published; otherwise (verifying, checking) such a list is left
    out, as a verifier would find it missing, and `credcat check` reports it.
    """
    documents: dict[str, Any] = {}
    for issuer in catalog.issuers.values():
        for purpose in PURPOSES:
            path = root / list_path(issuer.id, purpose)
            if path.is_file():
                try:
                    documents[list_path(issuer.id, purpose)] = read_list(
                        path, list_path(issuer.id, purpose))
                except RecordError:
                    if strict:
                        raise
        revoked = [k for k in issuer.keys if k.state == "revoked" and k.revoked]
        if not revoked:
            continue
        try:
            allocations = IssuerStatus(root, site, issuer.id).allocations()
        except RecordError:
            if strict:
                raise
            allocations = []
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
    # The lists the credential points at (from its file, or from its allocation record).
    purposes: tuple[str, ...] = PURPOSES


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
        entries_found = status_entries(document)
        purposes = tuple(str(e.get("statusPurpose")) for e in entries_found)
        for entry in entries_found:
            url = entry.get("statusListCredential")
            index = str(entry.get("statusListIndex", ""))
            if isinstance(url, str) and url.startswith(prefix) and index.isdigit():
                issuer_id = url[len(prefix):].split("/", 1)[0]
                if issuer_id in catalog.issuers:
                    return Target(issuer_id, int(index), document.get("id", ""), purposes)
        raise StatusError(f"{reference} has no status entry in this catalog's lists, so it "
                          "cannot be revoked here")
    for issuer_id in catalog.issuers:
        for allocation in IssuerStatus(root, site, issuer_id).allocations():
            if allocation.credential == reference:
                return Target(issuer_id, allocation.index, reference, allocation.purposes)
    raise StatusError(f"no credential '{reference}' in the allocation records under status/; "
                      "give the credential's file or its id (urn:uuid:...)",
                      exit_code=ExitCode.USAGE)
