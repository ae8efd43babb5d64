"""Catalog text in one language, for the pages and data files published per language.

The model keeps every translation in `model.Text`, a `str` of the default language's text, so
code that builds a page or a JSON document reads names and descriptions as before. A page or
file in another language is made from the same documents with each `Text` swapped for its
text in that language (`resolved`); a field the catalog has not translated keeps the default
language's text, which pages mark as such (the theme's `in_language` filter).
"""

from __future__ import annotations

from typing import Any

from site_builder.catalog.model import Languages, Text


def text_in(value: Any, language: str) -> Any:
    """`value` in `language` if it is catalog text; anything else unchanged."""
    if isinstance(value, Text):
        return value.in_language(language)[0]
    return value


def resolved(document: Any, language: str) -> Any:
    """A JSON-ready document with every catalog text in `language` (lists and dicts copied,
    the rest shared)."""
    if isinstance(document, Text):
        return document.in_language(language)[0]
    if isinstance(document, dict):
        return {key: resolved(value, language) for key, value in document.items()}
    if isinstance(document, list | tuple):
        return [resolved(value, language) for value in document]
    return document


def other_languages(languages: Languages) -> list[str]:
    """The declared languages besides the default, in the declared order: each gets its own
    tree of pages and data files (`urls.language_root`)."""
    return [code for code in languages.codes if code != languages.default]
