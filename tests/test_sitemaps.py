"""The sitemap split at the protocol's URL limit, decided without parsing a sitemap that is
small enough: the count must hold for any way the XML spells its tags."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from site_builder.site import sitemaps
from site_builder.urls import Site

SITE = Site("https://example.org/")
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _sitemap(folder: Path, count: int, prefix: str = "") -> Path:
    """A sitemap of `count` URLs, its tags written with `prefix` (e.g. "s:") or none."""
    declaration = f'xmlns:{prefix[:-1]}="{NS}"' if prefix else f'xmlns="{NS}"'
    urls = "".join(f"<{prefix}url><{prefix}loc>https://example.org/p/{n}/?a=b&amp;c=loc&gt;"
                   f"</{prefix}loc></{prefix}url>\n" for n in range(count))
    path = folder / "sitemap.xml"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<{prefix}urlset {declaration}>\n'
                    f"{urls}</{prefix}urlset>\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("prefix", ["", "s:"])
def test_a_sitemap_at_the_limit_is_left_alone(tmp_path: Path, prefix: str) -> None:
    before = _sitemap(tmp_path, 3, prefix).read_bytes()
    assert sitemaps.split_sitemap(tmp_path, SITE, limit=3) == 0
    assert (tmp_path / "sitemap.xml").read_bytes() == before
    assert not list(tmp_path.glob("sitemap-*.xml"))


@pytest.mark.parametrize("prefix", ["", "s:"])
def test_one_url_over_the_limit_splits_it(tmp_path: Path, prefix: str) -> None:
    _sitemap(tmp_path, 4, prefix)
    assert sitemaps.split_sitemap(tmp_path, SITE, limit=3) == 2
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{{{NS}}}sitemapindex"
    sizes = [len(ET.parse(tmp_path / f"sitemap-{n}.xml").getroot()) for n in (1, 2)]
    assert sizes == [3, 1]


@pytest.mark.parametrize("site_url", ["https://example.org/", "https://example.org/catalog",
                                      "https://example.org/catalog/", None])
@pytest.mark.parametrize("src", ["credentials/data-literacy.md", "fr/skills/payroll.md"])
def test_a_generated_page_is_listed_at_the_address_mkdocs_gives_its_page(
        tmp_path: Path, site_url: str | None, src: str) -> None:
    """The sitemap lists generated pages from `render.Listed`, not MkDocs' `Page`: the
    addresses must be the ones a `Page` of the same file has."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

    from site_builder.site.render import Listed, rendered_file

    config = MkDocsConfig()
    config.load_dict({"site_name": "Test", "site_url": site_url,
                      "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    (tmp_path / "docs").mkdir()
    assert not config.validate()[0]
    page = Page("Title", rendered_file(src, config), config)
    listed = Listed(rendered_file(src, config), config.site_url)
    assert (listed.canonical_url, listed.abs_url, listed.is_link) == (
        page.canonical_url, page.abs_url, page.is_link)
