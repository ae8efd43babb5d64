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
from collections.abc import Callable
from decimal import Decimal
from functools import cache, lru_cache
from importlib.resources import files
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency as babel_format_currency
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

DOMAIN = "credcat"
# The language of the msgids: asking for it (or for a language with no catalogue) gives them.
SOURCE_LANGUAGE = "en"
# The theme package (templates/theme), found as data: it holds no code the site imports.
LOCALES_DIR = Path(str(files("site_builder.theme"))) / "locales"
# Figure, then ISO code, with the locale's separators.
_MONEY_PATTERN = "#,##0.00 ¤¤"


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined (a table of labels); it is
    translated where it is shown, in the page's language."""
    return message


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


@cache
def locale(language: str) -> Locale:
    """The CLDR locale of a BCP 47 code; English for a code CLDR does not know."""
    try:
        return Locale.parse(language.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


@lru_cache(maxsize=1024)
def format_date(language: str, value: dt.date | str, format: str = "long") -> str:
    """`January 2, 2026`, `2 janvier 2026`: the date as people of the language write it.
    Takes ISO dates as the catalog keeps them in strings (`2026-01-02`) too."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return babel_format_date(day, format=format, locale=locale(language))


def format_moment(language: str, value: dt.datetime | str) -> str:
    """A moment to the second, in UTC (when a key was retired or revoked): `January 15, 2026,
    9:30:00 AM UTC`. Takes the xsd:dateTime strings of published key records too."""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return babel_format_datetime(moment, format="long", tzinfo=dt.UTC, locale=locale(language))


# Figures repeat across pages (prices, hours) and Babel's formatting costs tens of
# microseconds a call: a build of 100,000 credentials formats millions of them.
@lru_cache(maxsize=8192)
def format_number(language: str, value: float | int | Decimal, decimals: int | None = None) -> str:
    """`1,234.5`, `1 234,5`. With `decimals`, rounded to that many places (0: a whole number)."""
    if decimals is None:
        return format_decimal(value, locale=locale(language))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale(language),
                          decimal_quantization=True)


@lru_cache(maxsize=8192)
def format_currency(language: str, amount: float | Decimal, currency: str) -> str:
    """`1,234.50 EUR`, `1 234,50 EUR`; two decimals whatever the currency's minor unit, as
    the catalog's figures are written."""
    return babel_format_currency(Decimal(str(amount)), currency, format=_MONEY_PATTERN,
                                 locale=locale(language), currency_digits=False)


def reload() -> None:
    """Forget the catalogues read so far: `credcat serve` rebuilds in one process, and a
    translator's edit to a `.po` file shows on the next build."""
    translations.cache_clear()


def install(env: Environment, language: str) -> None:
    """Make `_`, `gettext` and `ngettext` in templates speak `language` (newstyle: `%(name)s`
    placeholders, escaped values); call before rendering each page. The environment needs the
    `jinja2.ext.i18n` extension, which the plugin adds in `on_env`."""
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["interface_language"] = language


def page_language(context: Context) -> str:
    """The interface language `install` last set for the page being rendered."""
    return context.get("interface_language") or SOURCE_LANGUAGE


def localized(function: Callable[..., str]) -> Callable[..., str]:
    """A template filter from a function taking `language=`: it words in the page's language."""
    @pass_context
    def in_page_language(context: Context, value: Any, *args: Any) -> str:
        return function(value, *args, language=page_language(context))
    return in_page_language


def filters() -> dict[str, Callable[..., str]]:
    """The theme's filters for dates and numbers in the page's language."""
    return {
        "date_text": pass_context(lambda context, value, format="long": format_date(
            page_language(context), value, format)),
        "moment_text": pass_context(lambda context, value: format_moment(
            page_language(context), value)),
        "number": pass_context(lambda context, value, decimals=None: format_number(
            page_language(context), value, decimals)),
    }
