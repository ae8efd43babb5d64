"""Facts derived once from the JSON Schemas (`site_builder/catalog/schema_facts.py`).

The schemas are the source; these tests check that the words shown for each pattern exist for
every pattern the schemas use, that the hand-written examples really match their pattern, and
that `$ref` resolution keeps the referring field's own description.
"""

from __future__ import annotations

import re

import pytest

from site_builder.catalog import schema_facts
from site_builder.site.field_reference import value_text

PATTERNS = sorted(schema_facts.schema_patterns())


def test_the_schemas_use_patterns() -> None:
    assert len(PATTERNS) >= 10  # the walk found them: an empty list would pass the rest


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_schema_pattern_has_words_and_a_matching_example(pattern: str) -> None:
    words = schema_facts.pattern_words(pattern)
    assert words is not None, f"add {pattern!r} to schema_facts._WORDS"
    examples = [e for e in re.split(r", | or ", words.example) if e and "…" not in e]
    for example in examples:
        assert re.fullmatch(pattern, example), (pattern, example)


def test_ids_follow_the_credential_schema() -> None:
    assert schema_facts.is_id("data-literacy")
    for bad in ("Data-Literacy", "-x", "a", "x" * 64, "a_b", "", None, 7):
        assert not schema_facts.is_id(bad), bad


def test_ref_resolution_keeps_the_fields_own_description() -> None:
    root = {"$defs": {"day": {"type": "string", "description": "generic", "pattern": "^x$"},
                      "alias": {"$ref": "#/$defs/day"}}}
    node = schema_facts.resolve(root, {"$ref": "#/$defs/alias", "description": "own"})
    assert node == {"type": "string", "description": "own", "pattern": "^x$"}


def test_validation_and_the_field_reference_say_the_same_words() -> None:
    credential = schema_facts.schema("credential")
    updated = credential["properties"]["updated"]
    assert value_text(credential, updated) == "a date, YYYY-MM-DD, e.g. 2026-01-15"
    assert schema_facts.pattern_words(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$").hint() == (
        "write a date, YYYY-MM-DD, e.g. 2026-01-15")
