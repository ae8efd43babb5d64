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
