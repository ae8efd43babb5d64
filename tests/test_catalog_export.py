"""catalog.json and catalog.csv in parts: every file within the hosts' per-file limit.

Cloudflare Pages refuses a file over 25 MiB; a 100,000-credential catalog.json was 265 MB.
The example catalog is split here with a budget small enough to make several parts, and
read back the way docs/verification.md tells an outside reader to.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

import pytest

from site_builder.catalog.model import Catalog
from site_builder.publishing.project import Project
from site_builder.site import exports
from site_builder.urls import Site

from .conftest import REPO

SITE = Site("https://credentials.example.org/")
# Cloudflare Pages' limit for one file, 25 MiB
# (https://developers.cloudflare.com/pages/platform/limits/#file-size).
HOST_LIMIT = 25 * 2**20


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Project.from_config(REPO / "mkdocs.yml").require()


def _read(made: Iterable[tuple[str, str]]) -> tuple[dict, dict[str, str]]:
    files = list(made)
    by_path = dict(files)
    assert len(by_path) == len(files), "a path written twice"
    return json.loads(by_path["catalog.json"]), by_path


def _path(url: str) -> str:
    assert url.startswith(SITE.url)
    return url.removeprefix(SITE.url)


def test_a_small_catalog_has_one_part_and_one_spreadsheet(catalog: Catalog) -> None:
    index, files = _read(exports.catalog_files(SITE, catalog))
    assert index["credentialCount"] == len(catalog.credentials)
    assert index["credentialParts"] == [{"url": f"{SITE.url}data/catalog/0.json",
                                         "credentials": len(catalog.credentials)}]
    assert index["spreadsheets"] == [f"{SITE.url}catalog.csv"]
    assert "credentials" not in index  # moved to the parts: a stale reader fails loudly
    part = json.loads(files["data/catalog/0.json"])
    assert part["part"] == 0
    assert [c["id"] for c in part["credentials"]] == list(catalog.credentials)
    assert all(len(text.encode()) < HOST_LIMIT for text in files.values())


def test_a_large_catalog_is_split_into_parts_within_the_budget(catalog: Catalog) -> None:
    whole, _ = _read(exports.catalog_files(SITE, catalog))
    one = json.loads(_read(exports.catalog_files(SITE, catalog))[1]["data/catalog/0.json"])
    budget = 15_000  # a few credentials of the example catalog a part
    index, files = _read(exports.catalog_files(SITE, catalog, part_bytes=budget))
    parts = [json.loads(files[_path(p["url"])]) for p in index["credentialParts"]]
    assert len(parts) > 2
    assert [p["part"] for p in parts] == list(range(len(parts)))
    for listed, part in zip(index["credentialParts"], parts, strict=True):
        assert listed["credentials"] == len(part["credentials"])
        assert len(files[_path(listed["url"])].encode()) <= budget
    # Every credential once, in catalog order, each as the single part publishes it.
    assert [c for p in parts for c in p["credentials"]] == one["credentials"]
    # The rest of catalog.json does not depend on the split.
    for key in ("site", "credentialCount", "issuers", "pathways", "skills", "occupations",
                "keys"):
        assert index[key] == whole[key]
    # The whole spreadsheet is over the budget too: a CSV per part, each with its header,
    # and catalog.csv, where every page links, lists them.
    assert [_path(u) for u in index["spreadsheets"]] == [
        f"data/catalog/{n}.csv" for n in range(len(parts))]
    listing = list(csv.DictReader(io.StringIO(files["catalog.csv"].removeprefix("\ufeff"))))
    assert listing == [{"part": str(n), "url": url, "credentials": str(len(p["credentials"]))}
                       for n, (url, p) in enumerate(zip(index["spreadsheets"], parts,
                                                        strict=True))]
    for url, part in zip(index["spreadsheets"], parts, strict=True):
        raw = files[_path(url)]
        assert raw.startswith("\ufeff") and len(raw.encode()) <= budget
        rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))
        assert [r["id"] for r in rows] == [c["id"] for c in part["credentials"]]
