"""The browser's message catalogues (gettext domain `browser`): what `pybabel extract` finds in
the theme's JavaScript and in verifier.json against the `.po` files, and the JSON the build
publishes for js/shared/i18n.js.

Expectations come from outside the code under test: Babel's own extractor and plural rules,
and the translations as written in the `.po` files.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from site_builder.contract import fnv1a_32
from site_builder.site import browser_messages

from .conftest import REPO

# The extraction babel-browser.cfg describes, with the keywords it names: t(msgid, params) and
# nt(singular, plural, n, params) of js/shared/i18n.js.
KEYWORDS = {"t": None, "nt": (1, 2)}
THEME_JS = REPO / "templates" / "theme" / "js"


def extracted() -> dict[str, str | tuple[str, str]]:
    """msgid (the singular one for plurals) -> the message, as `pybabel extract` finds them."""
    with (REPO / "babel-browser.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, str | tuple[str, str]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        key = message[0] if isinstance(message, tuple) else message
        found[key] = message
    return found


def catalogue(language: str) -> Catalog:
    with browser_messages.po_path(language).open("rb") as handle:
        return read_po(handle, locale=language)


def test_extraction_finds_the_javascript_and_the_verifier_messages() -> None:
    found = extracted()
    spec = json.loads((REPO / "site_builder/credentials/verifier.json").read_text("utf-8"))
    assert set(spec["messages"]["en"].values()) <= set(found)
    # A message of each kind: a plain string, concatenated literals, a plural.
    assert "Add to comparison" in found
    assert ("This browser cannot check the signatures these credentials use (Ed25519). Update "
            "it, or open this page in a current Chrome, Edge, Firefox or Safari.") in found
    assert found["Results for {n} credential"] == ("Results for {n} credential",
                                                   "Results for {n} credentials")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_catalogue_holds_exactly_the_extracted_messages(language: str) -> None:
    """Nothing missing and nothing stale: `pybabel update` was run after the last change."""
    found = extracted()
    held = {(m.id[0] if isinstance(m.id, tuple) else m.id): m.id for m in catalogue(language)
            if m.id}
    assert sorted(set(found) - set(held)) == [], "missing: run pybabel update (docs)"
    assert sorted(set(held) - set(found)) == [], "stale: run pybabel update (docs)"
    for msgid, message in found.items():
        assert held[msgid] == message, msgid  # the same plural forms too


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{([A-Za-z]+)\}", text))


def test_french_translates_every_message_with_the_same_placeholders() -> None:
    french = catalogue("fr")
    rules = Locale.parse("fr").plural_form
    assert french.num_plurals == len({rules(n) for n in range(0, 2_000_001, 1000)} |
                                     {rules(n) for n in range(0, 10)})
    for message in french:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        if isinstance(message.id, tuple):
            forms = message.string
            assert len(forms) == french.num_plurals and all(forms), message.id
            for form in forms:
                assert set(_placeholders(form)) <= set(_placeholders(message.id[1])), form
        else:
            assert message.string, message.id
            assert _placeholders(message.string) == _placeholders(message.id), message.id


def test_published_json_is_keyed_by_msgid_hash_with_cldr_plural_categories() -> None:
    published = dict(browser_messages.published_files(("en", "fr")))
    assert json.loads(published["js/i18n/en.json"]) == {"language": "en", "messages": {}}
    french = json.loads(published["js/i18n/fr.json"])["messages"]
    po = catalogue("fr")
    assert french[f"{fnv1a_32(b'Add to comparison'):08x}"] == po.get("Add to comparison").string
    plural = french[f"{fnv1a_32(b'Results for {n} credential'):08x}"]
    # French: CLDR's categories one (0, 1), many (1,000,000) and other are gettext's forms 0, 1
    # and 2 in the Plural-Forms Babel writes for fr.
    assert po.plural_expr == "(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2"
    forms = po.get("Results for {n} credential").string
    assert plural == {"one": forms[0], "many": forms[1], "other": forms[2]}
    assert len(french) == len([m for m in catalogue("fr") if m.id])


def test_a_regional_language_speaks_its_language_and_an_unknown_one_english() -> None:
    assert browser_messages.missing(("en", "fr", "fr-CA", "de")) == [
        browser_messages.po_path("de")]
    published = dict(browser_messages.published_files(("fr", "fr-CA", "de")))
    assert published["js/i18n/de.json"] == '{"language":"de","messages":{}}'
    canadian = json.loads(published["js/i18n/fr-CA.json"])
    assert canadian == {**json.loads(published["js/i18n/fr.json"]), "language": "fr-CA"}


# -- no English left in the JavaScript -------------------------------------------------------
# A string literal reads as English prose when it holds a few words, one of them, between
# spaces, a word no identifier, class list, selector, path or URL has.
_PROSE = re.compile(r"(?:^|(?<=\s))(the|a|an|to|of|is|are|this|not|be|and|or|in|for|with|it|"
                    r"on|by|no|was|has|at|from|your|could|cannot)(?=\s|$)", re.IGNORECASE)
# Calls whose string arguments are not shown to people: the message functions themselves,
# programmers' errors and the console, `super(...)` of an Error class, and ProofError, whose
# message the page replaces with the verifier specification's for its reason (a `detail` it
# shows is translated where it is made).
_NOT_SHOWN = {"t", "nt", "Error", "TypeError", "RangeError", "warn", "super", "ProofError"}


def _literal_text(token: Any) -> str:
    """A string's text; a template literal's without its ${...} expressions."""
    text, depth, out = token.value[1:-1], 0, []
    index = 0
    while index < len(text):
        if token.type == "template_string" and text.startswith("${", index) and depth == 0:
            depth, index = 1, index + 2
            continue
        if depth:
            depth += {"{": 1, "}": -1}.get(text[index], 0)
        else:
            out.append(text[index])
        index += 1
    return "".join(out)


def _tokens(path: Path) -> list[Any]:
    """The file's tokens, comments included, by Babel's JavaScript lexer: the one its extractor
    uses, which tells string and template literals from regular expressions and comments."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from babel.messages.jslexer import tokenize

        return list(tokenize(path.read_text(encoding="utf-8"), jsx=False,
                             template_string=True))


def english_literals(path: Path) -> list[str]:
    """`file:line: literal` for each English-looking string not passed to t() or nt()."""
    tokens = _tokens(path)
    label = path.relative_to(REPO) if path.is_relative_to(REPO) else path.name
    found, calls, previous = [], [], None
    for token in tokens:
        if token.type == "operator" and token.value == "(":
            calls.append(previous.value if previous and previous.type == "name" else None)
        elif token.type == "operator" and token.value == ")" and calls:
            calls.pop()
        elif token.type in ("string", "template_string"):
            text = _literal_text(token)
            words = re.findall(r"[A-Za-z]{2,}", text)
            if len(words) >= 3 and _PROSE.search(text) and not (_NOT_SHOWN & set(calls)):
                found.append(f"{label}:{token.lineno}: {token.value[:80]}")
        if token.type not in ("linecomment", "multilinecomment"):
            previous = token
    return found


def test_no_english_text_is_left_outside_the_message_catalogue() -> None:
    files = [p for p in sorted(THEME_JS.rglob("*.js")) if "vendor" not in p.parts]
    assert len(files) > 20
    assert [line for path in files for line in english_literals(path)] == []


def test_the_english_literal_check_finds_english(tmp_path: Path) -> None:
    sample = tmp_path / "sample.js"
    sample.write_text("el.textContent = 'Nothing was stored.';\n"
                      "el.textContent = t('Nothing was stored.');\n"
                      "throw new Error(`no shard for ${id} in the index`);\n"
                      "el.className = 'button button-secondary is-open';\n"
                      "const re = /not a credential in the list/;\n"
                      "h('p', {}, `Only the first ${n} of them are shown`);\n"
                      "p.textContent = `${t('Copied: paste it.')} `;\n"
                      "throw new ProofError('The proof is not a JSON object.', 'reason');\n",
                      encoding="utf-8")
    assert english_literals(sample) == [
        "sample.js:1: 'Nothing was stored.'",
        "sample.js:6: `Only the first ${n} of them are shown`"]


def test_messages_are_string_literals_that_extraction_can_read() -> None:
    """t('...') and nt('...', '...'): a template literal or a variable would reach the page
    untranslated, since extraction reads only string literals. The one exception is the
    verifier's messages, which are verifier.json's (extracted from it)."""
    dynamic = []
    for path in sorted(THEME_JS.rglob("*.js")):
        if "vendor" in path.parts:
            continue
        code = [t for t in _tokens(path) if t.type not in ("linecomment", "multilinecomment")]
        for before, name, paren, first in zip(code, code[1:], code[2:], code[3:], strict=False):
            if (name.type == "name" and name.value in KEYWORDS and paren.value == "("
                    and before.value not in (".", "function") and first.type != "string"):
                dynamic.append(f"{path.relative_to(REPO)}: {name.value}({first.value}")
    assert dynamic == ["templates/theme/js/verify/verify.js: t(spec.messages.en"]
