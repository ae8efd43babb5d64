"""The interface's message catalogues (domain `credcat`) and a page rendered in French.

The messages are extracted by Babel's own extractor with the repository's babel.cfg, exactly
as `pybabel extract` does, so a string added to a template or to site/ Python without a
catalogue entry (or an entry whose string is gone) fails here. Expected French wording is
written by hand below, not read from the catalogue under test.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from mkdocs.commands.build import get_context
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.nav import get_navigation

from site_builder.catalog.model import Cost, Duration, Level, Workload
from site_builder.site import interface, presentation, render
from site_builder.site.pages import page_context

from .conftest import REPO

LOCALES = REPO / "templates" / "theme" / "locales"
LANGUAGES = ("en", "fr")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TAG = re.compile(r"<[^>]+>")
# As `pybabel extract --ignore-dirs` in templates/theme/locales/README.md: no hidden, private
# or installed folders (node_modules holds thousands of files and no message of ours).
IGNORED_DIRS = (".*", "_*", "node_modules")


def _catalogue(language: str) -> Catalog:
    with (LOCALES / language / "LC_MESSAGES" / "credcat.po").open("rb") as po:
        return read_po(po, locale=language, domain="credcat")


def _extracted() -> set[tuple[str | None, str]]:
    """(context, msgid) of every message `pybabel extract -F babel.cfg .` finds."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {(context, message if isinstance(message, str) else message[0])
            for _file, _line, message, _comments, context
            in extract_from_dir(str(REPO), method_map, options_map,
                                directory_filter=_searched)}


def _searched(folder: str) -> bool:
    return not any(fnmatch(Path(folder).name, pattern) for pattern in IGNORED_DIRS)


def _ids(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted() -> set[tuple[str | None, str]]:
    return _extracted()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_holds_exactly_the_extracted_messages(
        language: str, extracted: set[tuple[str | None, str]]) -> None:
    held = _ids(_catalogue(language))
    assert not extracted - held, ("messages with no catalogue entry (see "
                                  "templates/theme/locales/README.md):",
                                  sorted(extracted - held, key=str))
    assert not held - extracted, ("stale catalogue entries:", sorted(held - extracted, key=str))


def test_extraction_finds_template_and_python_messages(
        extracted: set[tuple[str | None, str]]) -> None:
    # One from a {% trans %} block, one from a template `_()`, one marked with N_ in Python,
    # one pgettext with its context: the extractor reads all four kinds.
    assert (None, "Skip to main content") in extracted
    assert (None, "Every entry shows what a credential validates, how learners are assessed, "
                  "what it costs in time and money, who recognises it, and where it leads, so "
                  "you can compare options with a client.") in extracted
    assert (None, "Written exam") in extracted
    assert ("signing key", "Revoked") in extracted


def test_french_translates_every_message() -> None:
    untranslated = [m.id for m in _catalogue("fr") if m.id and (
        m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert not untranslated


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_markup(language: str) -> None:
    catalog = _catalogue(language)
    assert not [(m.id, errors) for m, errors in catalog.check()]  # Babel's own checks
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in filter(None, strings):
            if (set(PLACEHOLDER.findall(string)) != set(PLACEHOLDER.findall(ids[-1]))
                    or sorted(TAG.findall(string)) != sorted(TAG.findall(ids[-1]))):
                wrong.append((ids[0], string))
    assert not wrong


def test_french_puts_a_non_breaking_space_before_high_punctuation() -> None:
    """French typography: no line may break before `:`, `;`, `?` or `!`."""
    wrong = []
    for message in _catalogue("fr"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in filter(None, strings if message.id else ()):
            text = TAG.sub("", PLACEHOLDER.sub("x", string))
            if re.search(r"[^\u00a0\u202f][:;?!]|[:;?!](?=\w)", text):
                wrong.append(string)
    assert not wrong


def test_a_language_without_a_catalogue_shows_english() -> None:
    assert interface.translations("de").gettext("Key facts") == "Key facts"
    assert interface.translations("fr-CA").gettext("Key facts") == "L\u2019essentiel"


def test_numbers_dates_and_amounts_follow_the_language() -> None:
    assert interface.format_currency("en", Decimal("2450"), "CAD") == "2,450.00 CAD"
    assert interface.format_currency("fr", Decimal("2450"), "CAD") == "2\u202f450,00 CAD"
    assert interface.format_number("fr", 12.5) == "12,5"
    assert interface.format_date("en", date(2025, 8, 18)) == "August 18, 2025"
    assert interface.format_date("fr", "2025-08-18") == "18 août 2025"


def _render_credential(credential_id: str, language: str) -> str:
    """The credential's page as the build renders it (render.py), through the theme's
    environment after the plugin's `on_env`, in `language`."""
    config = load_config(str(REPO / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    plugin = config.plugins["credcat"]
    src = f"credentials/{credential_id}.md"
    index = next(i for i, spec in enumerate(plugin.rendered) if spec.src == src)
    spec = plugin.rendered[index]
    page = render.make_page(spec, plugin.rendered_files[index], config)
    context = get_context(nav, files.documentation_pages(), config, page)
    context.update(page_context(spec, plugin.site, plugin.changes, plugin.catalog.languages))
    # page_context words "quality at a glance" in the default language; a page in another
    # language is given it in that language.
    context["quality"] = presentation.quality_at_a_glance(context["credential"], language)
    interface.install(env, language)
    return env.get_template(spec.template).render(context)


def test_a_credential_page_in_french_has_a_french_interface() -> None:
    english = _render_credential("career-development-practice-certificate", "en")
    french = _render_credential("career-development-practice-certificate", "fr")
    # Headings and labels from the templates.
    assert '<h2 id="key-facts-heading">Key facts</h2>' in english
    assert '<h2 id="key-facts-heading">L\u2019essentiel</h2>' in french
    assert '<h2 id="skills-heading">Compétences validées</h2>' in french
    assert 'aria-label="Fil d\u2019Ariane"' in french
    assert ">Aller au contenu principal</a>" in french
    # Figures and labels worded in Python, through the page's filters: 2450 CAD, 200 hours,
    # 8 months and the 2025-08-18 update, as the catalog file gives them.
    assert "<dt>Coût</dt><dd>2\u202f450,00 CAD" in french
    assert "<dt>Charge de travail</dt><dd>200 heures</dd>" in french
    assert "<dt>Durée</dt><dd>8 mois" in french
    assert '<time datetime="2025-08-18">18 août 2025</time>' in french
    assert "<dt>Cost</dt><dd>2,450.00 CAD" in english
    assert '<time datetime="2025-08-18">August 18, 2025</time>' in english
    assert "<dt>La qualité de l\u2019émetteur est-elle garantie par un tiers\u202f?</dt>" in french
    # No label of the English page is left in the French one, but for words both languages
    # share.
    labels = re.findall(r"<dt>([^<]+)</dt>", french)
    assert len(labels) > 30
    assert not set(labels) & set(re.findall(r"<dt>([^<]+)</dt>", english)) - {
        "Participation", "Version", "CTID", "Type"}


def test_the_theme_has_no_untranslated_template_text() -> None:
    """A cheap guard beside extraction: visible text in the templates sits inside a gettext
    call or a trans block, so a heading typed bare is caught even if never extracted."""
    bare = []
    for path in sorted((REPO / "templates" / "theme").glob("*.html")):
        source = path.read_text(encoding="utf-8")
        source = re.sub(r"{#.*?#}", "", source, flags=re.S)
        source = re.sub(r"{% block body_class %}.*?{% endblock %}", "", source)
        # A classification's name, the same in every language.
        source = source.replace("O*NET-SOC", "")
        source = re.sub(r"{%-? *trans\b.*?endtrans *-?%}", "", source, flags=re.S)
        source = re.sub(r"{{.*?}}|{%.*?%}", "", source, flags=re.S)
        source = re.sub(r"<(script|style)\b.*?</\1>", "", source, flags=re.S)
        for text in re.findall(r">([^<>]*[A-Za-z]{3,}[^<>]*)<", source):
            bare.append((path.name, text.strip()))
    assert not bare



@pytest.mark.parametrize(("words", "english", "french"), [
    (lambda lang: presentation.duration_text(Duration(1, "weeks"), lang), "1 week", "1 semaine"),
    (lambda lang: presentation.duration_text(Duration(1.5, "weeks", True), lang),
     "1.5 weeks, self-paced", "1,5 semaines, à votre rythme"),
    (lambda lang: presentation.workload_text(Workload(50, 2), lang),
     "50 hours (2 ECTS)", "50 heures (2 ECTS)"),
    (lambda lang: presentation.validity_text(1, lang), "1 month", "1 mois"),
    (lambda lang: presentation.validity_text(36, lang), "3 years", "3 ans"),
    (lambda lang: presentation.cost_text(Cost(None, None), lang), "Free", "Gratuit"),
    (lambda lang: presentation.cost_text(Cost(Decimal("1015"), "CAD"), lang),
     "1,015.00 CAD", "1\u202f015,00 CAD"),
    (lambda lang: presentation.level_text(Level("Intermediate", 5), lang),
     "EQF 5 · Intermediate", "CEC 5 · Interm\u00e9diaire"),
    (lambda lang: presentation.level_group(Level("Advanced", None), lang),
     "No framework level stated", "Aucun niveau de cadre indiqu\u00e9"),
    (lambda lang: presentation.label("written-exam", lang), "Written exam", "Examen \u00e9crit"),
    (lambda lang: presentation.key_state("revoked", lang), "Revoked", "R\u00e9voqu\u00e9e"),
    (lambda lang: presentation.language_name("fr-CA", lang),
     "French (Canada)", "fran\u00e7ais (Canada)"),
    (lambda lang: presentation.country_name("GB", lang), "United Kingdom", "Royaume-Uni"),
], ids=["one-week", "fraction", "ects", "one-month", "years", "free", "money", "level",
        "no-eqf", "label", "key", "language", "country"])
def test_python_words_pages_in_the_language_asked(words: Any, english: str, french: str) -> None:
    assert (words("en"), words("fr")) == (english, french)
