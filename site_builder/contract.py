"""The site contract: the documents the site publishes for verifiers, and where.

Every path a verifier reads is defined here once. The MkDocs plugin writes through these
functions; `PublishedCatalog` (credentials/did.py) reads through them, whether from a built
folder, a URL or made in memory from the catalog; and the browser verifier learns them from
`PATHS`, which the build publishes in `keys.json` as URL templates (`{issuer}` and the like
are replaced by catalog ids, `schema_facts.ID_PATTERN`: letters, digits and hyphens).

Per-credential and per-pathway data is published in shards, not one folder of files per entry:
a static host counts files (issue 16), and four small JSON files per credential were two thirds
of a large site's files. Each template holding `{shard}` names one JSON object per shard, keyed
by catalog id; an entry's shard is `shard_of(id, count)`, with each template's `count`
published in `keys.json` `shards`. The browser computes the same function
(templates/theme/js/shared/shards.js).

A catalog in several languages publishes the templates in `LOCALIZED_PATHS`, those whose
documents carry catalog text for people to read (credential, comparison and pathway records),
once per declared language: the default language's at the path itself, another language's
under its folder (`fr/data/records/3.json`), with the same shard counts. Everything else (DID
documents, status lists, contexts, CTDL, which carries every language in its language maps)
is published once. `keys.json` says so in `languages` (`languages_record`), so a reader
learns the rule from the site rather than from a copy of it; `paths` stay site-relative.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from site_builder.catalog.model import Catalog, Credential, Languages, PublicKey
from site_builder.dates import xsd
from site_builder.urls import CREDENTIALS, ISSUERS, Site, language_root, page_path

# The manifest itself: the one path a verifier must know beforehand.
KEYS_INDEX = "keys.json"
# Site-relative templates of every other document a verifier reads.
PATHS = {
    # An issuer's DID document (did:web: the DID names this address).
    "didDocument": f"{ISSUERS}/{{issuer}}/did.json",
    # What a verifier needs to know about a catalog credential (`credential_record`), in the
    # shard object under the credential's id.
    "credentialRecord": "data/records/{shard}.json",
    # A credential as the comparison page shows it (site/compare.py), by id in the shard.
    "compareRecord": "data/compare/{shard}.json",
    # A credential's CTDL graph document for the Credential Engine Registry (site/exports.py),
    # by id in the shard.
    "ctdlCredential": "data/ctdl/{shard}.json",
    # The Open Badges 3.0 Achievement whose `id` is this address: the credential page, which
    # carries it as `<script type="application/ld+json" id="achievement">`.
    "achievement": f"{CREDENTIALS}/{{credential}}/",
    # A pathway's stages, for the verify page's "what's next" (`exports.pathway_record`), by
    # id in the shard.
    "pathwayRecord": "data/pathways/{shard}.json",
    # A pathway's CTDL graph document, by id in the shard.
    "ctdlPathway": "data/ctdl-pathways/{shard}.json",
    # An issuer's signed Bitstring Status List per purpose (revocation, suspension); the same
    # path holds it in the repository (`credentials/status_list.py`, STATUS_DIR).
    "statusList": "status/{issuer}/{purpose}.json",
    # For a revoked key: the proofs recorded as issued before the compromise.
    "revokedKey": "status/{issuer}/keys/{key}.json",
    # The JSON-LD contexts the site serves for eddsa-rdfc-2022: URL -> site path.
    "contexts": "contexts/index.json",
}


# Entries per shard, at most on average, for each `{shard}` template. Fewer where a browser
# reads a shard to show one entry (the comparison page fetches a shard per column, about 1.5 KB
# an entry), more where entries are small (verifier records, about 0.5 KB) or read in bulk
# (CTDL, for registries). Shards add well under a tenth of a file per credential.
SHARD_SIZES = {"credentialRecord": 64, "compareRecord": 32, "ctdlCredential": 128,
               "pathwayRecord": 32, "ctdlPathway": 64}
# FNV-1a, 32 bits (http://www.isthe.com/chongo/tech/comp/fnv/): a few lines in any language,
# no secure context needed in the browser, and spreads catalog ids evenly.
_FNV_OFFSET, _FNV_PRIME = 0x811C9DC5, 0x01000193


PATHWAY_SHARDS = ("pathwayRecord", "ctdlPathway")
# The templates published once per declared language, under the language's folder.
LOCALIZED_PATHS = ("credentialRecord", "compareRecord", "pathwayRecord")


def shard_count(entries: int, size: int) -> int:
    """How many shards `entries` entries take: the smallest power of two that keeps the
    average shard at most `size` entries (so between half that and that)."""
    return 1 << max(0, math.ceil(math.log2(max(1, entries) / size)))


def shard_counts(catalog: Catalog) -> dict[str, int]:
    """Each `{shard}` template's shard count, as `keys.json` publishes it in `shards`."""
    return {name: shard_count(len(catalog.pathways if name in PATHWAY_SHARDS
                                  else catalog.credentials), size)
            for name, size in SHARD_SIZES.items()}


def fnv1a_32(data: bytes) -> int:
    value = _FNV_OFFSET
    for byte in data:
        value = ((value ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return value


@functools.cache  # a build asks twice per credential (page links, shard files)
def shard_of(credential_id: str, count: int) -> int:
    """The shard holding a credential's data: FNV-1a of its id's UTF-8 bytes, modulo `count`."""
    return fnv1a_32(credential_id.encode("utf-8")) % count


def shard_path(name: str, shard: int) -> str:
    return _fill(name, shard=str(shard))


def entry_shard_path(name: str, entry_id: str, counts: dict[str, int]) -> str:
    """The shard file of template `name` that holds a catalog entry's document."""
    return shard_path(name, shard_of(entry_id, counts[name]))


def _fill(name: str, **ids: str) -> str:
    return PATHS[name].format(**ids)


def languages_record(languages: Languages) -> dict[str, Any]:
    """`keys.json` `languages`: the catalog's languages and the `PATHS` templates published
    per language, at `<code>/<path>` for every code but the default (`urls.language_root`)."""
    return {"default": languages.default, "codes": list(languages.codes),
            "localizedPaths": list(LOCALIZED_PATHS)}


def localized_path(path: str, language: str, languages: Languages) -> str:
    """A site-relative path of a `LOCALIZED_PATHS` template in `language`'s tree."""
    return language_root(language, languages.default) + path


def did_document_path(issuer_id: str) -> str:
    return _fill("didDocument", issuer=issuer_id)


def achievement_path(credential_id: str) -> str:
    return _fill("achievement", credential=credential_id)


def status_list_path(issuer_id: str, purpose: str) -> str:
    return _fill("statusList", issuer=issuer_id, purpose=purpose)


def revoked_key_path(issuer_id: str, key_id: str) -> str:
    return _fill("revokedKey", issuer=issuer_id, key=key_id)


def context_path(file_name: str) -> str:
    """Where a bundled context file is served; `PATHS["contexts"]` indexes them."""
    return f"contexts/{file_name}"


def shard_of_path(name: str, path: str) -> int | None:
    """The shard number `path` names for template `name`, or None: the reverse of the template."""
    prefix, _, suffix = PATHS[name].partition("{shard}")
    if not (path.startswith(prefix) and path.endswith(suffix)):
        return None
    number = path[len(prefix):len(path) - len(suffix)]
    return int(number) if number.isascii() and number.isdigit() and (
        number == "0" or not number.startswith("0")) else None


def credential_url(site: Site, credential: Credential) -> str:
    return site.absolute(page_path(CREDENTIALS, credential.id))


def credential_record(site: Site, credential: Credential) -> dict[str, Any]:
    """What a verifier needs to know about one credential, under its id in its records shard.

    Small on purpose: the browser verifier fetches one shard per credential instead of the
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
