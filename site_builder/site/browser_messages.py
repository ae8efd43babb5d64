"""The browser's message catalogues: gettext `.po` files in, one small JSON file per language out.

Browser strings live in their own gettext domain, `browser`, next to the theme's
(`templates/theme/locales/<lang>/LC_MESSAGES/browser.po`), so translators use the same tools
for both. The browser cannot read `.po` files, and evaluating a gettext plural formula would
need `eval`, which the pages' Content Security Policy forbids. So the build turns each
catalogue into JSON whose plural forms are keyed by CLDR plural category: the browser picks one
with `Intl.PluralRules`, which follows the same CLDR rules Babel knows (`js/shared/i18n.js`).

The JSON is published at `js/i18n/<lang>.json`, beside the modules that read it: one address per
language for every page, so a visitor's browser fetches it once per language and caches it. It
is keyed by the FNV-1a hash of each msgid (8 hex digits, as the shards use it) rather than by
the English text, which would double its size: the verify page needs nearly every message, and
its first load is counted in bytes (issue 16).

The msgids are the English text, so an English catalogue may leave every msgstr empty. The
verifier's check messages come from `verifier.json` (shared with `credcat verify`), so they are
msgids of this domain too, extracted by `extract_verifier_messages`.
"""

from __future__ import annotations

import gettext
import json
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import IO, Any

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from site_builder.contract import fnv1a_32

DOMAIN = "browser"
# The theme is package data (no Python is imported from it).
LOCALES = Path(str(files("site_builder.theme"))) / "locales"
# Where each language's JSON is published, relative to the site root (and to js/shared/i18n.js).
PUBLISHED = "js/i18n/{language}.json"
# Numbers whose gettext plural form shows which form each CLDR category takes; 1,000,000 is
# French CLDR's "many".
_SAMPLES = (*range(0, 200), 1000, 1001, 100000, 1000000, 1000001, 2000000)


class CatalogueError(ValueError):
    """A `.po` file that cannot be published; the message names the file and what to do."""


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_path(language: str) -> Path | None:
    """The catalogue a language's pages use: its own, else its primary language's (fr-CA's
    pages speak fr without a fr-CA catalogue), else none (English, the msgids)."""
    for code in dict.fromkeys((language, language.split("-")[0])):
        if po_path(code).is_file():
            return po_path(code)
    return None


def missing(languages: tuple[str, ...]) -> list[Path]:
    """The catalogue files of declared languages that the theme lacks."""
    return [po_path(code) for code in languages if catalogue_path(code) is None]


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        try:
            return read_po(handle, locale=path.parents[1].name, domain=DOMAIN,
                           abort_invalid=True)
        except Exception as exc:  # Babel raises several kinds for a broken file
            raise CatalogueError(f"{path}: {exc}; fix the file (msgfmt --check reads it "
                                 "too)") from exc


def _categories(catalog: Catalog, language: str, path: Path) -> dict[str, int]:
    """CLDR plural category -> index of the gettext plural form it takes in this catalogue,
    for the page language's CLDR rules (those the browser's Intl.PluralRules applies)."""
    try:
        locale = Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError) as exc:
        raise CatalogueError(f"{path}: Babel knows no locale {language!r}") from exc
    form_of = gettext.c2py(catalog.plural_expr)
    found: dict[str, int] = {}
    for n in _SAMPLES:
        category, index = locale.plural_form(n), form_of(n)
        if found.setdefault(category, index) != index:
            raise CatalogueError(
                f"{path}: the Plural-Forms header ({catalog.plural_forms}) does "
                f"not follow CLDR's plural categories for {language} (the category "
                f"{category!r} takes two forms); use Babel's: `pybabel init -l {language}`")
    return found


def message_key(msgid: str) -> str:
    """The key of a message in the published JSON (js/shared/i18n.js computes the same)."""
    return f"{fnv1a_32(msgid.encode('utf-8')):08x}"


def catalogue_document(language: str) -> dict[str, Any]:
    """The JSON the browser reads: translated messages only (a missing one shows its msgid).

    Singular messages map key(msgid) -> text; plural ones map key(singular msgid) -> {CLDR
    category: text}. Fuzzy entries are left out, as gettext leaves them out.
    """
    path = catalogue_path(language)
    messages: dict[str, str | dict[str, str]] = {}
    if path is None:
        return {"language": language, "messages": messages}
    catalog = read_catalogue(path)
    categories = _categories(catalog, language, path)
    msgids: dict[str, str] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        msgid = message.id[0] if message.pluralizable else str(message.id)
        key = message_key(msgid)
        if msgids.setdefault(key, msgid) != msgid:
            raise CatalogueError(f"{path}: the messages {msgid!r} and "
                                 f"{msgids[key]!r} have the same key; reword one of them")
        if message.pluralizable:
            forms = tuple(message.string or ())
            if forms and all(forms):
                messages[key] = {category: forms[min(index, len(forms) - 1)]
                                 for category, index in categories.items()}
        elif message.string:
            messages[key] = str(message.string)
    return {"language": language, "messages": dict(sorted(messages.items()))}


@cache
def _published_text(language: str, mtime: float) -> str:
    del mtime  # part of the cache key only: an edited catalogue is read again
    return json.dumps(catalogue_document(language), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))


def published_files(languages: tuple[str, ...]) -> list[tuple[str, str]]:
    """(site path, JSON) of each declared language's browser catalogue."""
    out = []
    for language in languages:
        path = catalogue_path(language)
        mtime = path.stat().st_mtime if path else 0.0
        out.append((PUBLISHED.format(language=language), _published_text(language, mtime)))
    return out


def extract_verifier_messages(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                              options: dict[str, Any]) -> Iterator[
                                  tuple[int, str | None, str, list[str]]]:
    """Babel extraction method for `verifier.json`: its English check messages are msgids.

    Registered in `babel-browser.cfg`; the browser translates them with `t()` at run time.
    """
    spec = json.load(fileobj)
    for reason, text in spec["messages"]["en"].items():
        yield 0, None, text, [f"verifier.json reason: {reason}"]
