"""DID documents and the key index the site publishes, and how a verifier reads them back.

Verification works only from what the site publishes (`/keys.json`, `/issuers/<id>/did.json`,
`/catalog.json`), whether those come from a local catalog, a built folder or a live site, so
`credcat verify` and the browser verifier trust exactly the same keys.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder import contract, multikey
from site_builder.catalog.model import Catalog, Credential, Issuer
from site_builder.catalog.schema_facts import is_id
from site_builder.contract import credential_record, did_document_path, key_record
from site_builder.credentials.status_list import published_documents
from site_builder.errors import CredcatError
from site_builder.urls import CREDENTIALS, Site

DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def did_document(site: Site, issuer: Issuer) -> dict[str, Any]:
    """The issuer's active and retired keys, each usable for `assertionMethod`.

    Retired keys stay listed so credentials they signed earlier still resolve. A revoked key is
    left out: it may be in a thief's hands, and every verifier other than credcat's (DCC,
    1EdTech, Digital Bazaar) trusts whatever the DID document lists under `assertionMethod`
    (DID Core, https://www.w3.org/TR/did-core/#assertion). The revoked key stays in /keys.json
    with its state, which is where credcat's own verifier finds it for credentials on record
    as signed before the compromise.
    """
    did = site.issuer_did(issuer.id)
    methods = [{
        "id": f"{did}#{key.id}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": key.public_key_multibase,
    } for key in issuer.keys if key.state != "revoked"]
    return {
        "@context": DID_CONTEXT,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def keys_index(site: Site, catalog: Catalog) -> dict[str, Any]:
    """/keys.json: every issuer's keys and their state, the DID prefix of this catalog, and
    where the site publishes the other documents a verifier reads (`contract.PATHS`)."""
    return {
        "site": site.url,
        "didPrefix": site.did_prefix,
        "paths": contract.PATHS,
        # How many shards each `{shard}` path is split into (`contract.shard_of`).
        "shards": contract.shard_counts(catalog),
        # The templates published once per language, and where (contract.LOCALIZED_PATHS).
        "languages": contract.languages_record(catalog.languages),
        "issuers": {
            issuer.id: {
                "did": site.issuer_did(issuer.id),
                "name": issuer.name,
                "didDocument": did_document_path(issuer.id),
                "keys": [key_record(site, k) for k in issuer.keys],
            } for issuer in catalog.issuers.values()
        },
    }


# -- reading what a site publishes ------------------------------------------------------------

JsonGetter = Callable[[str], Any]


class PublishedCatalog:
    """What a catalog site publishes, read lazily through `get(path)`."""

    def __init__(self, get: JsonGetter) -> None:
        self._get = get
        self._cache: dict[str, Any] = {}
        # Results computed from these documents (e.g. a status list's verified bits) that
        # many credentials of one batch share.
        self.memo: dict[Any, Any] = {}

    def get(self, path: str) -> Any:
        if path not in self._cache:
            self._cache[path] = self._get(path)
        return self._cache[path]

    @property
    def keys(self) -> dict[str, Any]:
        return self.get(contract.KEYS_INDEX) or {}

    def credential_record(self, achievement_id: Any) -> dict[str, Any] | None:
        """The record of the catalog credential whose page is `achievement_id`, if any."""
        prefix = self.site.absolute(CREDENTIALS + "/")
        if not isinstance(achievement_id, str) or not achievement_id.startswith(prefix):
            return None
        credential_id = achievement_id[len(prefix):].removesuffix("/")
        if not is_id(credential_id):
            return None
        counts = self.keys.get("shards")
        count = counts.get("credentialRecord") if isinstance(counts, dict) else None
        if type(count) is not int or count < 1:
            return None
        shard = self.get(contract.shard_path("credentialRecord",
                                             contract.shard_of(credential_id, count)))
        record = shard.get(credential_id) if isinstance(shard, dict) else None
        return record if isinstance(record, dict) and record.get("url") == achievement_id else None

    @property
    def site(self) -> Site:
        return Site.from_config(self.keys.get("site"))

    @classmethod
    def from_catalog(cls, site: Site, catalog: Catalog, root: Path) -> PublishedCatalog:
        """The documents a build of this catalog (in folder `root`) would publish."""
        documents: dict[str, Any] = {contract.KEYS_INDEX: keys_index(site, catalog)}
        documents.update(published_documents(root, site, catalog))
        for issuer in catalog.issuers.values():
            documents[did_document_path(issuer.id)] = did_document(site, issuer)

        count = contract.shard_counts(catalog)["credentialRecord"]
        members: dict[int, list[Credential]] = {}

        def get(path: str) -> Any:
            # Records are made when asked for: verifying one credential of a large catalog
            # should not build one for every credential, only for those of its shard.
            if path in documents:
                return documents[path]
            shard = contract.shard_of_path("credentialRecord", path)
            if shard is None or shard >= count:
                return None
            if not members:
                for credential in catalog.credentials.values():
                    members.setdefault(contract.shard_of(credential.id, count),
                                       []).append(credential)
            return {c.id: credential_record(site, c) for c in members.get(shard, [])}

        return cls(get)

    @classmethod
    def from_directory(cls, folder: Path) -> PublishedCatalog:
        def get(path: str) -> Any:
            try:
                return json.loads((folder / path).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None

        return cls(get)

    @classmethod
    def from_url(cls, base_url: str, timeout: float = 10.0) -> PublishedCatalog:
        base = base_url if base_url.endswith("/") else base_url + "/"

        def get(path: str) -> Any:
            try:
                with urllib.request.urlopen(base + path, timeout=timeout) as response:
                    return json.loads(response.read(5_000_000))
            except (OSError, ValueError, urllib.error.URLError):
                return None

        return cls(get)


@dataclass(frozen=True)
class ResolvedKey:
    issuer_id: str
    method_id: str
    public_key: bytes
    record: dict[str, Any]


class KeyResolutionError(CredcatError):
    """Why a verification method is not a key this catalog publishes: a reason code of the
    verifier spec (site_builder/credentials/verifier.json) and the values its message uses."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def _key_records(entry: Any) -> list[dict[str, Any]]:
    """The key records of an issuer entry of keys.json; anything not an object is ignored."""
    records = entry.get("keys") if isinstance(entry, dict) else None
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def _issuer_entries(published: PublishedCatalog) -> dict[str, Any]:
    issuers = published.keys.get("issuers") if isinstance(published.keys, dict) else None
    return issuers if isinstance(issuers, dict) else {}


def resolve_key(published: PublishedCatalog, method: str) -> ResolvedKey:
    """Resolve a verification method to a key this catalog publishes.

    did:web keys are read from the issuer's DID document (https://w3c-ccg.github.io/did-method-web/)
    and must be listed, as strings, in its `assertionMethod`
    (https://www.w3.org/TR/did-1.0/#assertion); /keys.json must agree on the key. A revoked
    key is the exception: the issuer withdraws it from the DID document, so other verifiers
    stop trusting it at once, while this catalog still vouches for what it signed before the
    compromise and is on record (see `verify.check_key_state`): its key comes from /keys.json.
    A did:key (https://w3c-ccg.github.io/did-method-key/) carries its own key and is trusted
    only if /keys.json publishes that key for an issuer.
    """
    site = published.site
    issuers = _issuer_entries(published)
    if method.startswith("did:key:"):
        did, _, fragment = method.partition("#")
        multibase = did[len("did:key:"):]
        if fragment and fragment != multibase:
            raise KeyResolutionError("did-key-malformed")
        for issuer_id, entry in issuers.items():
            for record in _key_records(entry):
                if record.get("publicKeyMultibase") == multibase:
                    return ResolvedKey(issuer_id, method, _decode(multibase), record)
        raise KeyResolutionError("did-key-not-published")
    issuer_id = site.issuer_of_did(method)
    if issuer_id is None or "#" not in method:
        raise KeyResolutionError("key-not-published", method=method, didPrefix=site.did_prefix)
    entry = issuers.get(issuer_id)
    if not isinstance(entry, dict):
        raise KeyResolutionError("no-did-document", issuerId=issuer_id)
    records = entry.get("keys")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise KeyResolutionError("key-index-mismatch")
    record = next((r for r in records if r.get("id") == method), None)
    if record is not None and record.get("state") == "revoked":
        multibase = record.get("publicKeyMultibase")
        if not isinstance(multibase, str):
            raise KeyResolutionError("key-index-mismatch")
        return ResolvedKey(issuer_id, method, _decode(multibase), record)
    document = published.get(did_document_path(issuer_id))
    if not isinstance(document, dict):
        raise KeyResolutionError("no-did-document", issuerId=issuer_id)
    did = method.split("#", 1)[0]
    if document.get("id") != did:
        raise KeyResolutionError("did-mismatch")
    methods = document.get("verificationMethod")
    vm = next((m for m in methods if isinstance(m, dict) and m.get("id") == method),
              None) if isinstance(methods, list) else None
    if vm is None:
        raise KeyResolutionError("key-not-in-did-document", method=method)
    if vm.get("controller") != did or vm.get("type") != "Multikey":
        raise KeyResolutionError("key-controller")
    assertion = document.get("assertionMethod")
    if not isinstance(assertion, list) or method not in assertion:
        raise KeyResolutionError("key-not-authorised")
    multibase = vm.get("publicKeyMultibase")
    if record is None or not isinstance(multibase, str) or (
            record.get("publicKeyMultibase") != multibase):
        raise KeyResolutionError("key-index-mismatch")
    return ResolvedKey(issuer_id, method, _decode(multibase), record)


def _decode(multibase: str) -> bytes:
    try:
        return multikey.decode_public_key(multibase)
    except ValueError as exc:
        raise KeyResolutionError("key-undecodable") from exc
