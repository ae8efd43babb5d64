"""Facts read from the JSON Schemas once, for every part that explains or checks a field.

The schemas in `schemas/` are the single source of what a catalog file may hold. Validation
messages (`loader.py`), the field reference page (`site/field_reference.py`), `credcat new`
and the published-path checks all need the same few facts from them: how a local `$ref`
resolves, what a `pattern` means in words, and the id pattern. They take them from here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).parent / "schemas"
SCHEMA_FILES = {
    "issuer": "issuer.schema.json",
    "credential": "credential.schema.json",
    "pathway": "pathway.schema.json",
    "skills": "skills.schema.json",
    "public-key": "public-key.schema.json",
    "exchange-rates": "exchange-rates.schema.json",
}


@cache
def schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))


def resolve(root: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/$defs/...`); the referring node's own keys (a description)
    win over the target's, as JSON Schema 2020-12 lets siblings of `$ref` apply."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = root
        for step in node["$ref"].removeprefix("#/").split("/"):
            target = target[step]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def subschema(root: dict[str, Any], schema_path: Iterable[str | int]) -> dict[str, Any]:
    """The schema object holding the keyword at `schema_path` (a validation error's path)."""
    node: Any = root
    for part in list(schema_path)[:-1]:
        node = resolve(root, node[part])
    return node if isinstance(node, dict) else {}


# Catalog ids: file names of issuers, credentials and pathways, and the id part of pages and
# published paths. The credential schema's `$defs/id` is where the rule is written.
ID_PATTERN = schema("credential")["$defs"]["id"]["pattern"]
ID = re.compile(ID_PATTERN)


def is_id(value: object) -> bool:
    return isinstance(value, str) and ID.fullmatch(value) is not None


@dataclass(frozen=True)
class PatternWords:
    """A schema `pattern` in words: what the value is, and an example of one."""

    what: str
    example: str = ""

    def text(self) -> str:
        """'X, e.g. Y': what the field reference shows."""
        return self.what + (f", e.g. {self.example}" if self.example else "")

    def hint(self) -> str:
        """'write X, e.g. Y': the hint of a validation message."""
        return f"write {self.text()}"


# Regular expressions of the schemas, in words. Keys are the patterns exactly as the schemas
# write them; `tests/test_schema_facts.py` fails when a schema pattern has no entry here.
_WORDS = {
    ID_PATTERN: PatternWords("an id: lowercase letters, digits and hyphens", "data-literacy"),
    r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s]*)?$": PatternWords(
        "a full web address starting with https://", "https://example.org/"),
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": PatternWords("a date, YYYY-MM-DD", "2026-01-15"),
    r"^[0-9]{1,20}$": PatternWords("a number written with digits only", "2414183"),
    r"^[A-Z]{3}$": PatternWords("an ISO 4217 currency code in capitals", "USD, EUR, CAD"),
    r"^[A-Z]{2}$": PatternWords("an ISO 3166-1 alpha-2 country code in capitals", "CA, IE"),
    r"^[0-9]{2}-[0-9]{4}\.[0-9]{2}$": PatternWords("an O*NET-SOC code", "21-1012.00"),
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": PatternWords("an e-mail address", "careers@example.org"),
    r"^[a-z]{2,3}(-[A-Z]{2})?$": PatternWords("a language code", "en or fr-CA"),
    r"^[0-9]+(\.[0-9]+){0,2}$": PatternWords("a version number", "1.0"),
    r"^[a-z0-9][a-z0-9-]*$": PatternWords("lowercase letters, digits and hyphens",
                                          "digital-skills"),
    r"^[A-Za-z0-9_./-]+\.(png|svg)$": PatternWords(
        "a path relative to the catalog folder, ending .png or .svg", "images/badge.svg"),
    r"^z6Mk[1-9A-HJ-NP-Za-km-z]+$": PatternWords(
        "an Ed25519 Multikey, z6Mk… (written by credcat keygen)"),
    r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$": PatternWords(
        "a Credential Engine CTID: 'ce-' and a lowercase UUID", "ce-1f0c…"),
    r"^http://data\.europa\.eu/esco/occupation/[0-9a-f-]{36}$": PatternWords(
        "an ESCO occupation URI", "http://data.europa.eu/esco/occupation/…"),
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2}))?$": PatternWords(
        "a date (YYYY-MM-DD) or date-time with time zone", "2026-01-15T09:30:00Z"),
}


def pattern_words(pattern: str) -> PatternWords | None:
    return _WORDS.get(pattern)


def schema_patterns() -> set[str]:
    """Every `pattern` written in the schemas."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.add(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for kind in SCHEMA_FILES:
        walk(schema(kind))
    return found
