"""The site contract: the documents the site publishes for verifiers, and where.

Every path a verifier reads is defined here once. The MkDocs plugin writes through these
functions; `PublishedCatalog` (credentials/did.py) reads through them, whether from a built
folder, a URL or made in memory from the catalog; and the browser verifier learns them from
`PATHS`, which the build publishes in `keys.json` as URL templates (`{issuer}` and the like
are replaced by catalog ids, `schema_facts.ID_PATTERN`: letters, digits and hyphens).
"""

from __future__ import annotations

from typing import Any

from site_builder.catalog.model import Credential, PublicKey
from site_builder.catalog.schema_facts import is_id
from site_builder.dates import xsd
from site_builder.urls import CREDENTIALS, ISSUERS, PATHWAYS, Site, page_path

# The manifest itself: the one path a verifier must know beforehand.
KEYS_INDEX = "keys.json"
# Site-relative templates of every other document a verifier reads.
PATHS = {
    # An issuer's DID document (did:web: the DID names this address).
    "didDocument": f"{ISSUERS}/{{issuer}}/did.json",
    # What a verifier needs to know about one catalog credential (`credential_record`).
    "credentialRecord": f"{CREDENTIALS}/{{credential}}/record.json",
    # A pathway's stages, for the verify page's "what's next".
    "pathwayRecord": f"{PATHWAYS}/{{pathway}}/pathway.json",
    # An issuer's signed Bitstring Status List per purpose (revocation, suspension); the same
    # path holds it in the repository (`credentials/status_list.py`, STATUS_DIR).
    "statusList": "status/{issuer}/{purpose}.json",
    # For a revoked key: the proofs recorded as issued before the compromise.
    "revokedKey": "status/{issuer}/keys/{key}.json",
    # The JSON-LD contexts the site serves for eddsa-rdfc-2022: URL -> site path.
    "contexts": "contexts/index.json",
}


def _fill(name: str, **ids: str) -> str:
    return PATHS[name].format(**ids)


def did_document_path(issuer_id: str) -> str:
    return _fill("didDocument", issuer=issuer_id)


def credential_record_path(credential_id: str) -> str:
    return _fill("credentialRecord", credential=credential_id)


def pathway_record_path(pathway_id: str) -> str:
    return _fill("pathwayRecord", pathway=pathway_id)


def status_list_path(issuer_id: str, purpose: str) -> str:
    return _fill("statusList", issuer=issuer_id, purpose=purpose)


def revoked_key_path(issuer_id: str, key_id: str) -> str:
    return _fill("revokedKey", issuer=issuer_id, key=key_id)


def context_path(file_name: str) -> str:
    """Where a bundled context file is served; `PATHS["contexts"]` indexes them."""
    return f"contexts/{file_name}"


def credential_of_record_path(path: str) -> str | None:
    """The credential id whose record `path` is, or None: the reverse of the template."""
    prefix, _, suffix = PATHS["credentialRecord"].partition("{credential}")
    if not (path.startswith(prefix) and path.endswith(suffix)):
        return None
    credential_id = path[len(prefix):len(path) - len(suffix)]
    return credential_id if is_id(credential_id) else None


def credential_url(site: Site, credential: Credential) -> str:
    return site.absolute(page_path(CREDENTIALS, credential.id))


def credential_record(site: Site, credential: Credential) -> dict[str, Any]:
    """`credentials/<id>/record.json`: what a verifier needs to know about one credential.

    Small on purpose: the browser verifier fetches one of these per credential instead of the
    whole catalog.json, which runs to megabytes for large catalogs.
    """
    return {
        "id": credential.id,
        "name": credential.name,
        "url": credential_url(site, credential),
        "issuer": credential.issuer.id,
        "issuerName": credential.issuer.name,
        "status": credential.status,
        "summary": credential.summary,
        "pathways": [p.id for p in credential.pathways],
    }


def key_record(site: Site, key: PublicKey) -> dict[str, Any]:
    record = {
        "issuer": key.issuer,
        "id": f"{site.issuer_did(key.issuer)}#{key.id}",
        "publicKeyMultibase": key.public_key_multibase,
        "state": key.state,
        "created": xsd(key.created),
    }
    for name in ("retired", "revoked"):
        if getattr(key, name):
            record[name] = xsd(getattr(key, name))
    if key.revocation_reason:
        record["revocationReason"] = key.revocation_reason
    return record
