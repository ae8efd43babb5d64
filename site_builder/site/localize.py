"""Catalog text in one language, for the pages and data files published per language.

The model keeps every translation in `model.Text`, a `str` of the default language's text, so
code that builds a page or a JSON document reads names and descriptions as before. A page or
file in another language is made from the same documents with each `Text` swapped for its
text in that language (`resolved`); a field the catalog has not translated keeps the default
language's text, which pages mark as such (the theme's `in_language` filter).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.utils import normalize_url

from site_builder.catalog.model import Languages, Text, text_in
from site_builder.site import interface
from site_builder.urls import in_language


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


# -- the theme's Jinja environment -----------------------------------------------------------

def _language(context: Context) -> str | None:
    return context.get("page_language")


@pass_context
def finalize(context: Context, value: Any) -> Any:
    """Every `{{ expression }}` that yields catalog text shows it in the page's language:
    templates keep writing `{{ c.name }}`, in attributes and `<title>` too (text only there;
    the marker is `marked`'s job)."""
    if isinstance(value, Text):
        language = _language(context)
        return value.in_language(language)[0] if language else str(value)
    return value


@pass_context
def in_page_language(context: Context, value: Any) -> Any:
    """Catalog text in the page's language as a plain `str`, for what `finalize` does not
    see: text joined with `~` or `%`, passed to another filter (`truncate`), or compared."""
    language = _language(context)
    return text_in(value, language) if language else value


def _marker(language: str, default: str) -> Markup:
    name = interface.locale(language).languages.get(default, default)
    words = interface.translations(language).gettext("(in %(language)s)") % {"language": name}
    return Markup('<span class="fallback-marker" lang="{}">{}</span>').format(language, words)


@pass_context
def marked(context: Context, value: Any) -> Any:
    """Catalog text in the page's language or, where the catalog has no translation, the
    default language's text in an element that says which language it is (`lang`, for
    screen readers and search engines), followed by a visible marker in the page's language."""
    language = _language(context)
    if not isinstance(value, Text) or not language:
        return value
    text, fell_back = value.in_language(language)
    if not fell_back:
        return text
    return Markup('<span lang="{}">{}</span> ').format(value.language, text) + _marker(
        language, value.language)


def markdown_filter(render: Callable[[str | None], Markup]) -> Callable[..., Markup]:
    """The theme's `markdown` filter in the page's language, a fallback marked as in
    `marked` (a block: a `div` with `lang`, then the marker as a paragraph)."""

    @pass_context
    def markdown(context: Context, value: Any) -> Markup:
        language = _language(context)
        if not isinstance(value, Text) or not language:
            return render(value)
        text, fell_back = value.in_language(language)
        if not fell_back:
            return render(text)
        return (Markup('<div lang="{}">').format(value.language) + render(text)
                + Markup("</div><p>") + _marker(language, value.language) + Markup("</p>"))

    return markdown


def url_filter(languages: Languages) -> Callable[..., str]:
    """MkDocs' `url` filter, leading to the page's own language: on a French page
    `'credentials/'|url` and `credential|path_of|url` reach `fr/credentials/...`, while assets,
    JSON documents and hand-written pages stay at the root (`urls.in_language`)."""

    @pass_context
    def url(context: Context, value: str) -> str:
        language = _language(context) or languages.default
        return normalize_url(in_language(str(value), language, languages.default),
                             page=context.get("page"), base=context["base_url"])

    return url


def install_language(env: Environment, language: str) -> None:
    """Before a page renders: `_`, `gettext`, `ngettext`, `pgettext` and `npgettext` speak
    `language`, and catalog text passed into a message (`{% trans name=c.name %}`,
    `_('...', name=...)`) is in that language too. Jinja formats those values as plain
    strings, which a `Text` gives in the default language, and `finalize` never sees them.

    The environment needs Jinja's i18n extension set up for newstyle calls, once
    (`interface.install`); these functions do what its newstyle ones do, directly."""
    env.globals.update(_messages(language))
    env.globals["interface_language"] = language


# language -> (the messages they were made from, the functions)
_MADE: dict[str, tuple[Any, dict[str, Callable[..., Any]]]] = {}


def _messages(language: str) -> dict[str, Callable[..., Any]]:
    """The message functions of `language`, made once for each reading of its messages.

    Jinja's own reach a message through three calls of its call machinery (the `_` alias,
    the newstyle wrapper, the message lookup), a page asks for some 150 messages, and most
    are the same fixed text on every page: such a message is worded once here (as Jinja
    does: marked safe under autoescape, then formatted, so `%%` reads `%`)."""
    translations = interface.translations(language)
    made = _MADE.get(language)
    if made is not None and made[0] is translations:
        return made[1]
    fixed: dict[tuple[str, bool], str] = {}

    def worded(context: Context, message: str, variables: dict[str, Any]) -> str:
        text: str = Markup(message) if context.eval_ctx.autoescape else message
        return text % {key: text_in(value, language) for key, value in variables.items()}

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        if variables:
            return worded(context, translations.gettext(string), variables)
        key = (string, context.eval_ctx.autoescape)
        if (found := fixed.get(key)) is None:
            found = fixed[key] = worded(context, translations.gettext(string), {})
        return found

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int,
                 **variables: Any) -> str:
        variables.setdefault("num", num)
        return worded(context, translations.ngettext(singular, plural, num), variables)

    @pass_context
    def pgettext(context: Context, string_ctx: str, string: str, **variables: Any) -> str:
        variables.setdefault("context", string_ctx)
        return worded(context, translations.pgettext(string_ctx, string), variables)

    @pass_context
    def npgettext(context: Context, string_ctx: str, singular: str, plural: str, num: int,
                  **variables: Any) -> str:
        variables.setdefault("context", string_ctx)
        variables.setdefault("num", num)
        return worded(context, translations.npgettext(string_ctx, singular, plural, num),
                      variables)

    functions = {"_": gettext, "gettext": gettext, "ngettext": ngettext,
                 "pgettext": pgettext, "npgettext": npgettext}
    _MADE[language] = (translations, functions)
    return functions


def tojson_filter(tojson: Callable[..., Markup]) -> Callable[..., Markup]:
    """Jinja's `tojson` with catalog text in the page's language: the data a page hands its
    scripts (a pathway's plan) reads as the page does."""

    @pass_context
    def in_page_language(context: Context, value: Any, indent: int | None = None) -> Markup:
        language = _language(context)
        return tojson(context.eval_ctx, resolved(value, language) if language else value,
                      indent)

    return in_page_language


def install_language_filters(env: Environment, languages: Languages) -> None:
    """Make the theme's environment render catalog text and links in each page's language
    (`page_language` in the page's context). A catalog in one language renders as before."""
    env.filters["root_url"] = env.filters["url"]  # the same address in every language
    if len(languages.codes) > 1:  # one language: no per-expression cost at all
        env.finalize = finalize
        env.filters["url"] = url_filter(languages)
        env.filters["tojson"] = tojson_filter(env.filters["tojson"])
    env.filters["marked"] = marked
    env.filters["in_page_language"] = in_page_language
    env.filters["markdown"] = markdown_filter(env.filters["markdown"])


def own_name(language: str) -> str:
    """A language's name in that language, as a switcher labels it (`Français`)."""
    name = interface.locale(language).get_display_name(interface.locale(language)) or language
    return name[:1].upper() + name[1:]
