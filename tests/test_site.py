"""Build the example catalog with the real MkDocs and check the pages and exports."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from jsonschema import Draft202012Validator
from mkdocs.commands.build import build
from mkdocs.config import load_config

from site_builder import contract
from site_builder.catalog.model import Catalog
from site_builder.publishing.project import Project

from . import published
from .conftest import REPO

SITE_URL = "https://credentials.example.org/"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(out)))
    return out


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Project.from_config(REPO / "mkdocs.yml").require()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.scripts_inline = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        # A `<link rel="alternate">` names another version of the page (hreflang wants an
        # absolute address); like an `<a>`, the browser does not load it.
        kind = "link-alternate" if tag == "link" and values.get("rel") == "alternate" else tag
        for attribute in ("href", "src"):
            if values.get(attribute):
                self.links.append((kind, attribute, values[attribute] or ""))
        if tag == "script" and not values.get("src") and values.get(
                "type") != "application/ld+json":
            self._in_script = True

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.scripts_inline += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _page(site: Path, url_path: str) -> Path:
    return site / url_path / "index.html"


def test_every_entity_has_a_page(site: Path, catalog: Catalog) -> None:
    for credential in catalog.credentials.values():
        assert _page(site, f"credentials/{credential.id}").is_file(), credential.id
    for pathway in catalog.pathways.values():
        assert _page(site, f"pathways/{pathway.id}").is_file(), pathway.id
    for issuer in catalog.issuers.values():
        assert _page(site, f"issuers/{issuer.id}").is_file(), issuer.id
    for skill in catalog.skills.values():
        assert _page(site, f"skills/{skill.id}").is_file(), skill.id
    for code in catalog.occupations:
        assert _page(site, f"occupations/{code}").is_file(), code
    for section in ("", "credentials", "credentials/by-level", "credentials/by-type",
                    "pathways", "issuers", "skills", "occupations", "verify"):
        assert _page(site, section).is_file(), section


def test_no_internal_link_points_at_a_missing_page(site: Path) -> None:
    broken = []
    pages = list(site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        url = SITE_URL + page.relative_to(site).as_posix()
        for tag, attribute, value in _parse(page).links:
            target = urlsplit(urljoin(url, value))
            if target.scheme not in ("http", "https") or not url.startswith(
                    f"{target.scheme}://{target.netloc}/"):
                continue
            path = site / unquote(target.path).lstrip("/")
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page.relative_to(site)}: <{tag} {attribute}={value}>")
    assert not broken, "\n".join(broken[:20])


def test_pages_make_no_external_requests_and_have_no_inline_script(site: Path) -> None:
    for page in site.rglob("*.html"):
        parsed = _parse(page)
        assert parsed.scripts_inline == 0, page
        for tag, attribute, value in parsed.links:
            if (tag in ("script", "img", "link", "iframe", "source") and attribute == "src") or (
                    tag == "link" and attribute == "href"):
                assert not urlsplit(value).netloc, f"{page}: {tag} loads {value}"


def test_navigation_is_bounded(site: Path, catalog: Catalog) -> None:
    """Shared chrome must not list every credential: count links on a skill page."""
    some = next(iter(catalog.credentials.values()))
    html = _page(site, f"credentials/{some.id}").read_text()
    links_to_credentials = html.count('href="../')
    assert links_to_credentials < 60 + 3 * len(some.skills) + 5 * len(some.pathways)


def test_credential_page_shows_every_field(site: Path, catalog: Catalog) -> None:
    credential = max(catalog.credentials.values(),
                     key=lambda c: len(c.prerequisites) + len(c.recognition) + bool(c.ctid))
    html = _page(site, f"credentials/{credential.id}").read_text()
    from markupsafe import escape

    expected = [credential.name, credential.issuer.name, credential.learning_outcomes[0],
                credential.evaluation.pass_threshold, credential.evaluation.evidence[0],
                credential.version]
    expected += [s.name for s in credential.skills]
    expected += [o.code for o in credential.occupations]
    expected += [r.name for r in credential.recognition]
    if credential.ctid:
        expected.append(credential.ctid)
    if credential.evaluation.rubric:
        expected += [c.criterion for c in credential.evaluation.rubric.criteria]
        expected += credential.evaluation.rubric.levels
    for text in expected:
        assert str(escape(text)) in html, text
    assert 'id="criteria"' in html
    assert "Quality at a glance" in html


def test_pathway_pages_have_a_diagram_of_linked_stages(site: Path, catalog: Catalog) -> None:
    for pathway in catalog.pathways.values():
        html = _page(site, f"pathways/{pathway.id}").read_text()
        assert '<ol class="flow">' in html and 'role="img"' not in html
        assert len(re.findall(r'class="flow-stage( is-elective)?"', html)) == len(pathway.stages)
        for stage in pathway.stages:
            for credential in stage.credentials:
                assert f'href="../../credentials/{credential.id}/"' in html


def test_catalog_json_carries_the_whole_catalog(site: Path, catalog: Catalog) -> None:
    data = json.loads((site / "catalog.json").read_text())
    # The credentials are in the parts it lists (docs/verification.md, "The site's layout").
    parts = [json.loads((site / part["url"].removeprefix(SITE_URL)).read_text())
             for part in data["credentialParts"]]
    data["credentials"] = [c for part in parts for c in part["credentials"]]
    assert data["credentialCount"] == len(data["credentials"])
    assert {c["id"] for c in data["credentials"]} == set(catalog.credentials)
    assert {p["id"] for p in data["pathways"]} == set(catalog.pathways)
    assert {i["id"] for i in data["issuers"]} == set(catalog.issuers)
    assert {s["id"] for s in data["skills"]} == set(catalog.skills)
    assert {o["code"] for o in data["occupations"]} == set(catalog.occupations)
    first = next(c for c in data["credentials"] if c["evaluation"].get("rubric"))
    assert first["evaluation"]["rubric"]["criteria"][0]["descriptors"]
    assert first["url"] == f"{SITE_URL}credentials/{first['id']}/"


def test_achievement_and_ctdl_exports(site: Path, catalog: Catalog) -> None:
    ctdl_documents = published.sharded(site, "ctdlCredential")
    assert set(ctdl_documents) == set(catalog.credentials)
    for credential in catalog.credentials.values():
        achievement = published.page_achievement(site, credential.id)
        assert achievement["@context"][0] == "https://www.w3.org/ns/credentials/v2"
        assert achievement["type"] == ["Achievement"]
        assert achievement["id"] == f"{SITE_URL}credentials/{credential.id}/"
        assert achievement["criteria"]["narrative"].startswith(
            credential.evaluation.narrative.strip())
        assert achievement["achievementType"] == credential.achievement_type
        ctdl = ctdl_documents[credential.id]["@graph"][0]
        assert ctdl["ceterms:ctid"].startswith("ce-")
        # A CTDL language map: every translation the catalog has (the example's French).
        translations = credential.name.translations
        assert ctdl["ceterms:name"] == (dict(translations) if len(translations) > 1 else
                                        {credential.languages[0]: credential.name})
        if credential.ctid:
            assert ctdl["ceterms:ctid"] == credential.ctid
    pathway_graphs = published.sharded(site, "ctdlPathway")
    for pathway in catalog.pathways.values():
        graph = pathway_graphs[pathway.id]["@graph"]
        assert graph[0]["@type"] == "ceterms:Pathway"
        assert graph[0]["ceterms:hasDestinationComponent"]


def test_a_credential_is_one_page_and_its_data_is_in_shards(site: Path,
                                                            catalog: Catalog) -> None:
    """The layout of docs/verification.md: a credential's or pathway's folder holds its page
    only; records, comparison records and CTDL are in shards keys.json names; records match
    their entry."""
    for folder in [*(site / "credentials" / c for c in catalog.credentials),
                   *(site / "pathways" / p for p in catalog.pathways)]:
        assert [p.name for p in folder.iterdir()] == ["index.html"], folder
    records = published.sharded(site, "credentialRecord")
    assert set(records) == set(catalog.credentials)
    assert records["cybersecurity-awareness"]["url"] == (
        f"{SITE_URL}credentials/cybersecurity-awareness/")
    assert records["cybersecurity-awareness"]["issuer"] == "harbourline-logistics"
    assert set(published.sharded(site, "compareRecord")) == set(catalog.credentials)
    pathways = published.sharded(site, "pathwayRecord")
    assert set(pathways) == set(catalog.pathways)
    assert all(stage["credentials"] for p in pathways.values() for stage in p["stages"])
    keys = published.keys_index(site)
    assert keys["paths"]["achievement"] == "credentials/{credential}/"
    assert keys["shards"] == {"credentialRecord": 1, "compareRecord": 1, "ctdlCredential": 1,
                              "pathwayRecord": 1, "ctdlPathway": 1}


# FNV-1a 32-bit values from the reference test suite (http://www.isthe.com/chongo/src/fnv/test_fnv.c).
FNV1A_32 = {"": 0x811C9DC5, "a": 0xE40C292C, "foobar": 0xBF9CF968}


def test_shards_are_fnv1a_of_the_id_and_grow_by_doubling() -> None:
    for text, value in FNV1A_32.items():
        assert contract.fnv1a_32(text.encode()) == value
    assert contract.shard_of("foobar", 7) == 0xBF9CF968 % 7
    assert [contract.shard_count(n, 32) for n in (0, 32, 33, 1000, 10_000, 100_000)] == [
        1, 1, 2, 32, 512, 4096]


def test_schemas_are_published_and_valid(site: Path) -> None:
    names = {p.name for p in (site / "schemas").glob("*.schema.json")}
    assert {"credential.schema.json", "issuer.schema.json", "pathway.schema.json",
            "skills.schema.json", "public-key.schema.json"} <= names
    for path in (site / "schemas").glob("*.json"):
        Draft202012Validator.check_schema(json.loads(path.read_text()))


def test_example_catalog_has_the_promised_size(catalog: Catalog) -> None:
    kinds = {i.kind for i in catalog.issuers.values()}
    assert len(catalog.issuers) >= 4 and len(kinds) >= 4
    assert len(catalog.credentials) >= 24
    assert len(catalog.pathways) >= 5


def test_pages_are_published_without_indentation(site: Path) -> None:
    """Every page, generated or MkDocs' own, goes through `minify`; what it relies on holds:
    no attribute value of the theme runs over several lines."""
    pages = list(site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        html = path.read_text(encoding="utf-8")
        outside = re.sub(r"<(pre|textarea)\b.*?</\1>", "", html, flags=re.DOTALL)
        assert not re.search(r"\n[ \t]+\S", outside), path
        assert not re.search(r"<[a-z][^>]*=\"[^\"]*\n", html), path
    architecture = (site / "architecture" / "index.html").read_text(encoding="utf-8")
    assert "\n  Y[&quot;catalog/" in architecture  # the indentation of a code block stays
