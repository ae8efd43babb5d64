"""Catalog Markdown as HTML that cannot run anything in a visitor's browser.

Catalog text and the pages under `docs/` come from pull requests by people the maintainers do
not know. Raw HTML is escaped (Python-Markdown's HTML block and inline patterns are removed,
`NoRawHtml`), and every `href` and
`src` the Markdown produces keeps only the schemes a link in a catalog needs: `http:`,
`https:`, `mailto:` and relative addresses. Any other scheme (`javascript:`, `vbscript:`,
`data:`, `file:` ...) loses the attribute, whatever its letter case, entity encoding or the
tabs and newlines inside it: browsers decode character references in attributes and, per the
WHATWG URL Standard (https://url.spec.whatwg.org/#concept-basic-url-parser), strip leading
C0 controls and spaces and remove every ASCII tab and newline before reading the scheme, so
the check reads the address the same way. The page CSP would block such links on the static
site, but `credcat serve` and feed readers do not apply it, so the link must not be emitted.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import markdown as markdown_lib
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = ("href", "src")
_SCHEME = re.compile(r"^([^:/?#]*):")


def safe_url(value: str) -> bool:
    """Whether a browser would read `value` as a relative or http(s)/mailto address."""
    decoded = html.unescape(value.replace(AMP_SUBSTITUTE, "&"))
    cleaned = re.sub(r"[\t\n\r]", "", decoded).lstrip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


class _LinkFilter(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            for attribute in URL_ATTRIBUTES:
                value = element.get(attribute)
                if value is not None and not safe_url(value):
                    del element.attrib[attribute]


class SafeLinks(Extension):
    """Drops unsafe `href`/`src` values; runs after Python-Markdown's own unescaping (0)."""

    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:
        md.treeprocessors.register(_LinkFilter(md), "credcat-safe-links", -10)


class NoRawHtml(Extension):
    """Raw HTML in the Markdown is shown as text: a tag written in a contribution never
    reaches the page as markup, so no attribute (`onerror`, `href`) escapes the link filter."""

    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str | None) -> Markup:
    """Catalog Markdown as HTML, with raw HTML escaped and only safe link schemes kept."""
    if not text:
        return Markup("")
    md = markdown_lib.Markdown(extensions=["tables", "sane_lists", SafeLinks(), NoRawHtml()])
    return Markup(md.convert(text))
