"""The interface's words and figures in a page's language: gettext catalogues read with Babel.

Interface strings (templates and the Python that words pages) are English msgids in the
`credcat` domain; each language has `templates/theme/locales/<lang>/LC_MESSAGES/credcat.po`.
The `.po` files are the only form kept: each is compiled in memory (`write_mo`) the first time
a process asks for its language, which costs milliseconds and leaves no compiled `.mo` to go
stale in Git or to forget at install time. Forked render workers inherit the cache.

A language without a catalogue, or a message a catalogue leaves untranslated, shows the English
msgid: a catalog may declare a language whose interface nobody has translated yet.

Dates, numbers and amounts follow the language's CLDR conventions through Babel. Amounts keep
the ISO currency code after the figure in every language (`1,234.50 EUR`, `1 234,50 EUR`): a
catalog mixes currencies, and "$" alone would not say whose dollar.
"""

from __future__ import annotations

import datetime as dt
import gettext
from decimal import Decimal
from functools import cache
from importlib.resources import files
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency as babel_format_currency
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import Environment

DOMAIN = "credcat"
# The language of the msgids: asking for it (or for a language with no catalogue) gives them.
SOURCE_LANGUAGE = "en"
# The theme package (templates/theme), found as data: it holds no code the site imports.
LOCALES_DIR = Path(str(files("site_builder.theme"))) / "locales"
# Figure, then ISO code, with the locale's separators.
_MONEY_PATTERN = "#,##0.00 ¤¤"


def _candidates(language: str) -> list[str]:
    """`fr-CA` looks for `fr_CA`, then `fr`: a regional catalogue is optional."""
    base, _, region = language.replace("_", "-").partition("-")
    return [f"{base}_{region}", base] if region else [base]


def catalogue_path(language: str) -> Path | None:
    for name in _candidates(language):
        path = LOCALES_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's messages (gettext, ngettext, pgettext...), English where it has none."""
    path = catalogue_path(language)
    if path is None:
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=path.parent.parent.name, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext_in(language: str, message: str) -> str:
    return translations(language).gettext(message)


def ngettext_in(language: str, singular: str, plural: str, count: int) -> str:
    return translations(language).ngettext(singular, plural, count)


@cache
def locale(language: str) -> Locale:
    """The CLDR locale of a BCP 47 code; English for a code CLDR does not know."""
    try:
        return Locale.parse(language.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


def format_date(language: str, value: dt.date, format: str = "long") -> str:
    """`January 2, 2026`, `2 janvier 2026`: the date as people of the language write it."""
    return babel_format_date(value, format=format, locale=locale(language))


def format_number(language: str, value: float | int | Decimal, decimals: int | None = None) -> str:
    """`1,234.5`, `1 234,5`. With `decimals`, rounded to that many places (0: a whole number)."""
    if decimals is None:
        return format_decimal(value, locale=locale(language))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale(language),
                          decimal_quantization=True)


def format_currency(language: str, amount: float | Decimal, currency: str) -> str:
    """`1,234.50 EUR`, `1 234,50 EUR`; two decimals whatever the currency's minor unit, as
    the catalog's figures are written."""
    return babel_format_currency(Decimal(str(amount)), currency, format=_MONEY_PATTERN,
                                 locale=locale(language), currency_digits=False)


def install(env: Environment, language: str) -> None:
    """Make `_`, `gettext` and `ngettext` in templates speak `language` (newstyle: `%(name)s`
    placeholders, escaped values); call before rendering each page. The environment needs the
    `jinja2.ext.i18n` extension, which the plugin adds in `on_env`."""
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["interface_language"] = language
