"""The per-credential data files, grouped into shards (`contract.PATHS`, `{shard}` templates).

Each shard is one JSON object: credential id -> that credential's document. Shards are written
without indentation: they are read by programs (the verifier, the comparison page, registry
tools), and indentation was a fifth of their bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from site_builder import contract
from site_builder.catalog.model import Catalog, Credential
from site_builder.site import exports
from site_builder.site.compare import compare_record
from site_builder.urls import Site


def compact_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def credential_shards(site: Site, catalog: Catalog) -> Iterator[tuple[str, str]]:
    """(site path, text) of every shard of every sharded kind of credential document."""
    count = contract.shard_count(len(catalog.credentials))
    groups: list[list[Credential]] = [[] for _ in range(count)]
    for credential in sorted(catalog.credentials.values(), key=lambda c: c.id):
        groups[contract.shard_of(credential.id, count)].append(credential)
    kinds: dict[str, Callable[[Credential], dict[str, Any]]] = {
        "credentialRecord": lambda c: contract.credential_record(site, c),
        "compareRecord": compare_record,
        "ctdlCredential": lambda c: exports.ctdl_credential(site, c),
    }
    for name, document in kinds.items():
        for number, members in enumerate(groups):
            yield (contract.shard_path(name, number),
                   compact_json({c.id: document(c) for c in members}))


def credential_data_paths(site: Site, catalog: Catalog, credential: Credential) -> dict[str, str]:
    """Where a credential page links its machine-readable data: shard paths, by kind."""
    shard = contract.shard_of(credential.id, contract.shard_count(len(catalog.credentials)))
    return {"ctdl": contract.shard_path("ctdlCredential", shard),
            "compare": contract.shard_path("compareRecord", shard)}
