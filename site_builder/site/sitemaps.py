"""Keep `sitemap.xml` valid for catalogs of any size.

The sitemap protocol (sitemaps.org) allows at most 50,000 URLs in one file; search engines
ignore a larger one. The theme's template writes every page into `sitemap.xml`, which is right
up to that size. Past it, this module moves the entries into `sitemap-1.xml`, `sitemap-2.xml`,
... and turns `sitemap.xml` (and MkDocs' `sitemap.xml.gz` beside it) into a sitemap index
that lists them, so the address crawlers already know keeps working.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from xml.etree import ElementTree as ET

from site_builder.urls import Site

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Google's format for a page's versions in other languages in a sitemap
# (https://developers.google.com/search/docs/specialty/international/localized-versions#sitemap).
XHTML = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000


def _write(path: Path, root: ET.Element) -> bytes:
    ET.indent(root)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
    path.write_bytes(data + b"\n")
    return data + b"\n"


def add_language_versions(site_dir: Path, site: Site, versions: dict[str, dict[str, str]],
                          default: str) -> int:
    """Give each page of `sitemap.xml` that exists in several languages an `xhtml:link`
    alternate per language and an `x-default` (the default language's), as Google documents;
    a version without its own `lastmod` takes the default language's. `versions` maps each
    site-relative page address to its group, language code -> address. Return the number of
    addresses given alternates."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file() or not versions:
        return 0
    ET.register_namespace("", NS)
    ET.register_namespace("xhtml", XHTML)
    root = ET.parse(sitemap).getroot()
    lastmod: dict[str, str] = {}
    urls = []
    for url in root.findall(f"{{{NS}}}url"):
        loc = url.findtext(f"{{{NS}}}loc") or ""
        path = loc[len(site.url):] if loc.startswith(site.url) else None
        if path is None or path not in versions:
            continue
        urls.append((url, path))
        if (changed := url.findtext(f"{{{NS}}}lastmod")) is not None:
            lastmod[path] = changed
    for url, path in urls:
        group = versions[path]
        if url.find(f"{{{NS}}}lastmod") is None and (changed := lastmod.get(group[default])):
            ET.SubElement(url, f"{{{NS}}}lastmod").text = changed
        for code, target in [*group.items(), ("x-default", group[default])]:
            ET.SubElement(url, f"{{{XHTML}}}link", rel="alternate", hreflang=code,
                          href=site.absolute(target))
    data = _write(sitemap, root)
    compressed = site_dir / "sitemap.xml.gz"
    if compressed.exists():
        compressed.write_bytes(gzip.compress(data, mtime=0))
    return len(urls)


def split_sitemap(site_dir: Path, site: Site, limit: int = MAX_URLS) -> int:
    """Split `sitemap.xml` when it holds more than `limit` URLs; return the number of parts
    written (0 when it was small enough, or missing)."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return 0
    # Each URL has one `loc` element, whose tags both end in "loc>" whatever prefix they
    # carry, and text holds no ">" unescaped: a count that proves the file small enough
    # spares parsing it (a second at 10,000 pages, on every `serve` rebuild).
    if sitemap.read_bytes().count(b"loc>") // 2 <= limit:
        return 0
    ET.register_namespace("", NS)
    urls = ET.parse(sitemap).getroot().findall(f"{{{NS}}}url")
    if len(urls) <= limit:
        return 0
    index = ET.Element(f"{{{NS}}}sitemapindex")
    parts = [urls[start:start + limit] for start in range(0, len(urls), limit)]
    for number, chunk in enumerate(parts, start=1):
        name = f"sitemap-{number}.xml"
        part = ET.Element(f"{{{NS}}}urlset")
        part.extend(chunk)
        _write(site_dir / name, part)
        entry = ET.SubElement(index, f"{{{NS}}}sitemap")
        ET.SubElement(entry, f"{{{NS}}}loc").text = site.absolute(name)
    data = _write(sitemap, index)
    compressed = site_dir / "sitemap.xml.gz"
    if compressed.exists():
        compressed.write_bytes(gzip.compress(data, mtime=0))
    return len(parts)
