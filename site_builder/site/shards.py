"""The per-credential and per-pathway data files, grouped into shards (`contract.PATHS`,
`{shard}` templates).

Each shard is one JSON object: catalog id -> that entry's document. Shards are written
without indentation: they are read by programs (the verifier, the comparison page, registry
tools), and indentation was a fifth of their bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from site_builder import contract
from site_builder.catalog.model import Catalog, Credential, Pathway
from site_builder.site import exports, localize
from site_builder.site.compare import compare_record
from site_builder.site.export_cache import EntryMemo
from site_builder.site.localize import other_languages
from site_builder.urls import Site


def compact_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _shards(ids: list[str], name: str, count: int, document: Callable[[str], dict[str, Any]]
            ) -> Iterator[tuple[str, dict[str, Any]]]:
    groups: list[list[str]] = [[] for _ in range(count)]
    for entry_id in sorted(ids):
        groups[contract.shard_of(entry_id, count)].append(entry_id)
    for number, members in enumerate(groups):
        yield (contract.shard_path(name, number),
               {entry_id: document(entry_id) for entry_id in members})


def catalog_shards(site: Site, catalog: Catalog,
                   memo: EntryMemo | None = None) -> Iterator[tuple[str, str]]:
    """(site path, text) of every shard of every `{shard}` template (`contract.PATHS`), and
    of the `contract.LOCALIZED_PATHS` ones again in each other declared language, their
    catalog text in that language (`localize.resolved`). With a `memo` (`credcat serve`),
    each entry's document and each shard's text are made again only when they changed."""
    languages = catalog.languages
    for language in (languages.default, *other_languages(languages)):
        for path, document in _catalog_shards(site, catalog, language, memo):
            where = contract.localized_path(path, language, languages)
            if memo is None:
                # A `Text` is written as its default language's text already.
                yield where, compact_json(document if language == languages.default
                                          else localize.resolved(document, language))
            else:  # each entry's document is in `language` already
                yield where, memo.text(where, document.values(),
                                       lambda d=document: compact_json(d))


def _catalog_shards(site: Site, catalog: Catalog, language: str,
                    memo: EntryMemo | None) -> Iterator[tuple[str, dict[str, Any]]]:
    counts = contract.shard_counts(catalog)
    credentials, pathways = catalog.credentials, catalog.pathways
    kinds: dict[str, Callable[[str], dict[str, Any]]] = {
        "credentialRecord": lambda i: contract.credential_record(site, credentials[i]),
        "compareRecord": lambda i: compare_record(credentials[i], language),
        "ctdlCredential": lambda i: exports.ctdl_credential(site, credentials[i]),
        "pathwayRecord": lambda i: exports.pathway_record(site, pathways[i]),
        "ctdlPathway": lambda i: exports.ctdl_pathway(site, pathways[i]),
    }
    for name, document in kinds.items():
        if language != catalog.languages.default and name not in contract.LOCALIZED_PATHS:
            continue
        table = pathways if name in contract.PATHWAY_SHARDS else credentials
        if memo is not None:
            document = _kept(memo, name, language, table, document,
                             language != catalog.languages.default)
        yield from _shards(list(table), name, counts[name], document)


def _kept(memo: EntryMemo, name: str, language: str, table: dict[str, Any],
          document: Callable[[str], dict[str, Any]],
          translate: bool) -> Callable[[str], dict[str, Any]]:
    """`document`, through `memo`, and in `language` when that is not the default."""
    def make(entry_id: str) -> dict[str, Any]:
        made = document(entry_id)
        return localize.resolved(made, language) if translate else made

    return lambda i: memo.value(name, language, table[i], lambda: make(i))


def data_paths(counts: dict[str, int], entry: Credential | Pathway) -> dict[str, str]:
    """Where a credential or pathway page links its machine-readable data: shard paths
    (`counts`: the catalog's `contract.shard_counts`)."""
    if isinstance(entry, Pathway):
        return {"ctdl": contract.entry_shard_path("ctdlPathway", entry.id, counts)}
    return {"ctdl": contract.entry_shard_path("ctdlCredential", entry.id, counts),
            "compare": contract.entry_shard_path("compareRecord", entry.id, counts)}
