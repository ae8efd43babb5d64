"""The site contract: the small documents the site publishes for verifiers, and where.

The MkDocs plugin writes these files and `credcat verify` reads them (from a built folder, a URL,
or made in memory from the catalog), so both sides take the shapes from here.
"""

from __future__ import annotations

from typing import Any

from site_builder.catalog.model import Credential, PublicKey
from site_builder.urls import CREDENTIALS, Site, page_path


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
        "created": key.created,
    }
    for name in ("retired", "revoked"):
        if getattr(key, name):
            record[name] = getattr(key, name)
    if key.revocation_reason:
        record["revocationReason"] = key.revocation_reason
    return record
