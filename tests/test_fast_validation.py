"""The compiled validator is only a fast yes: it never accepts what jsonschema rejects.

`loader._schema_errors` asks jsonschema-rs first and jsonschema only when the fast path says
no. That is safe only if every document the fast path accepts is one jsonschema (with the
catalog's strict number rules) finds nothing wrong in. These tests hold the two to that over
the real catalogs and over thousands of broken variants of them, and check each schema
`pattern` character by character, since jsonschema-rs runs Rust regexes and jsonschema
Python's `re`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from site_builder.catalog.demo import write_demo_catalog
from site_builder.catalog.loader import (
    _compiled,
    _hostile_values,
    _plain_json,
    _schema_errors,
    _validator,
)
from site_builder.catalog.schema_facts import SCHEMA_FILES, schema
from site_builder.catalog.yaml_source import parse_yaml

ROOT = Path(__file__).parent.parent
FOLDERS = {"issuers": "issuer", "credentials": "credential", "pathways": "pathway"}

# Values that break a field in the ways YAML lets a maintainer break it, and the ways the
# two validators could read differently: 1.0 (an integer to jsonschema-rs, not to the
# catalog), NaN, a tuple (an array to jsonschema-rs only), bytes (`!!binary`), a trailing
# newline (`$` in Python's re), a control character, a lone surrogate, a huge number.
SUBSTITUTES: list[Any] = [
    None, True, False, 0, -1, 1.0, 2.5, 2**53 + 1, float("nan"), float("inf"), "", "x",
    "a\n", "ab\x1c", "\ud800", "\uff11\uff12", [], ["x", "x"], {}, {"x": 1}, ("x",), b"x", {"x"},
]
CONTAINER_SUBSTITUTES: list[Any] = [None, "x", 1.0, [], {}, ("x",), b"x"]


def _documents(root: Path) -> Iterator[tuple[str, str, Any]]:
    """(file, kind, data) for every catalog file under `root`."""
    catalog = root / "catalog"
    for folder, kind in FOLDERS.items():
        for path in sorted((catalog / folder).glob("*.yaml")):
            yield path.name, kind, parse_yaml(path.read_text(encoding="utf-8")).data
    for name, kind in (("skills.yaml", "skills"), ("exchange-rates.yaml", "exchange-rates")):
        if (catalog / name).is_file():
            yield name, kind, parse_yaml((catalog / name).read_text(encoding="utf-8")).data
    for path in sorted((root / "public_keys").glob("*/*.yaml")):
        yield path.name, "public-key", parse_yaml(path.read_text(encoding="utf-8")).data


@pytest.fixture(scope="module")
def valid_documents(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, Any]]:
    """The example catalog, the test fixture and a small generated catalog: all valid."""
    demo = write_demo_catalog(40, tmp_path_factory.mktemp("demo"))
    found = [*_documents(ROOT), *_documents(ROOT / "tests" / "fixtures" / "minimal"),
             *_documents(demo)]
    assert {kind for _name, kind, _data in found} == set(SCHEMA_FILES)
    return found


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*path, index))


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(data)
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return changed


def _removed(data: Any, path: tuple[Any, ...]) -> Any:
    changed = copy.deepcopy(data)
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    return changed


def _variants(data: Any) -> Iterator[Any]:
    """Broken versions of one document: each value replaced, removed, repeated, an extra key."""
    for path in _paths(data):
        node = data
        for part in path:
            node = node[part]
        # A whole mapping or list replaced by a number or text breaks it the same way.
        container = isinstance(node, dict | list)
        for value in CONTAINER_SUBSTITUTES if container else SUBSTITUTES:
            yield _replaced(data, path, value)
        if path:
            yield _removed(data, path)
        if isinstance(node, list) and node:
            yield _replaced(data, path, [*node, copy.deepcopy(node[0])])
        if isinstance(node, dict):
            yield _replaced(data, path, {**node, "unknown_field": "x"})


def _fast_accepts(kind: str, data: Any) -> bool:
    """The fast path's own verdict, as `_schema_errors` takes it."""
    if not _plain_json(data):
        return False
    try:
        return bool(_compiled(kind).is_valid(data))
    except ValueError:
        return False


def _jsonschema_messages(kind: str, data: Any) -> list[tuple[list[Any], str]]:
    errors = sorted(_validator(kind).iter_errors(data), key=lambda e: list(e.path))
    return [(list(e.path), e.message) for e in errors]


def test_every_valid_file_takes_the_fast_path(valid_documents: list[tuple[str, str, Any]]
                                              ) -> None:
    for name, kind, data in valid_documents:
        assert _jsonschema_messages(kind, data) == [], name
        assert _fast_accepts(kind, data), f"{name}: valid, but the fast path sends it on"


@pytest.mark.slow
def test_the_fast_path_never_accepts_what_jsonschema_rejects(
        valid_documents: list[tuple[str, str, Any]]) -> None:
    # The fullest file of each kind reaches every keyword its schema uses.
    fullest: dict[str, tuple[str, Any]] = {}
    for name, kind, data in valid_documents:
        if kind not in fullest or len(list(_paths(data))) > len(list(_paths(fullest[kind][1]))):
            fullest[kind] = (name, data)
    checked = rejected = 0
    for kind, (name, data) in fullest.items():
        for variant in _variants(data):
            # What the loader reports: jsonschema's own list when the fast path says no.
            got = [(list(e.path), e.message)
                   for e in _schema_errors(kind, variant, plain=_plain_json(variant))]
            if list(_hostile_values(variant)):
                assert not _plain_json(variant)  # the quick pass sees what the full one does
            if _fast_accepts(kind, variant):
                messages = _jsonschema_messages(kind, variant)
                assert messages == [], f"{name}: fast path accepted {variant!r}: {messages}"
            checked += 1
            rejected += bool(got)
    assert checked > 5_000
    assert rejected > checked // 2  # the variants do break the files


def _patterns(node: Any) -> Iterator[str]:
    """Every regex in a schema: `pattern` values and `patternProperties` keys."""
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        if isinstance(node.get("patternProperties"), dict):
            yield from node["patternProperties"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


# Every code point up to U+3100 (Latin, Greek, Cyrillic, the spaces and digits of many
# scripts, the General Punctuation block), and others that differ between regex engines:
# fullwidth digits and letters, the byte order mark, the Kelvin sign, mathematical digits.
CODE_POINTS = [*range(0x3100), *range(0xFF10, 0xFF5B), 0xFEFF, 0x212A, 0x0130, 0x017F,
               *range(0x1D7CE, 0x1D800)]


def test_each_pattern_accepts_no_character_python_refuses(
        valid_documents: list[tuple[str, str, Any]]) -> None:
    # Values of optional fields no catalog here fills in, written as the schema describes them.
    esco = "http://data.europa.eu/esco/occupation/1b2c3d4e-0000-4a5b-9c8d-0123456789ab"
    unused = {"1337", esco}
    strings = sorted({s for _n, _k, data in valid_documents for s in _strings(data)} | unused)
    patterns = sorted({p for kind in SCHEMA_FILES for p in _patterns(schema(kind))})
    assert len(patterns) >= 10
    for pattern in patterns:
        seeds = [s for s in strings if re.search(pattern, s)][:2]
        assert seeds, f"no value in the catalogs matches {pattern}: add one to `unused`"
        rust = jsonschema_rs.validator_for({"type": "string", "pattern": pattern})
        python = re.compile(pattern)
        for seed in seeds:
            middle = len(seed) // 2
            for code in CODE_POINTS:
                char = chr(code)
                for probe in (char + seed, seed[:middle] + char + seed[middle:], seed + char):
                    if rust.is_valid(probe) and not python.search(probe):
                        # Only characters the loader refuses in any text may differ.
                        assert list(_hostile_values(probe)), (pattern, probe)
