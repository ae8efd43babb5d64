"""A catalog in two languages, as built: pages per language, their `lang`, alternates and
switcher, the data files per language, the sitemap, CTDL language maps and `credcat diff`.

Expected texts are copied by hand from the example catalog's YAML (the Riverside Workforce
Alliance's credentials and the Digital Workplace Champion pathway carry French; Using Career
Assessment Tools does not), and expected addresses from the layout in
docs/guides/languages.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from site_builder import contract
from site_builder.urls import in_language

from . import browser
from .conftest import copy_project, run_credcat
from .test_publishing import commit_all, edit, git

example_site = browser.example_site

SITE = "https://credentials.example.org/"
TRANSLATED = "ai-literacy-for-the-workplace"
NAME_EN, NAME_FR = "AI Literacy for the Workplace", "Littératie en IA au travail"
UNTRANSLATED, UNTRANSLATED_NAME = "career-assessment-tools", "Using Career Assessment Tools"
PATHWAY, PATHWAY_FR = "digital-workplace-champion", "Référent numérique en milieu de travail"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def _switcher(html: str) -> list[str]:
    """The header's links to the other languages."""
    return re.findall(r'<li class="language-switcher">(.*?)</li>', html, flags=re.S)


def _alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def _shard(site: Path, name: str, entry_id: str, language: str = "en") -> dict:
    count = json.loads((site / "keys.json").read_text(encoding="utf-8"))["shards"][name]
    path = contract.PATHS[name].replace("{shard}", str(contract.shard_of(entry_id, count)))
    prefix = "" if language == "en" else f"{language}/"
    return json.loads((site / prefix / path).read_text(encoding="utf-8"))[entry_id]


@pytest.mark.parametrize(("path", "language", "expected"), [
    ("credentials/", "fr", "fr/credentials/"),
    ("credentials/x/#key-facts", "fr", "fr/credentials/x/#key-facts"),
    ("./", "fr", "fr/"),
    ("", "fr", "fr/"),
    ("search/?q=data", "fr", "fr/search/?q=data"),
    ("search-index/", "fr", "fr/search-index/"),
    ("issuers/x/did.json", "fr", "issuers/x/did.json"),  # a document, published once
    ("credentials/badge.png", "fr", "credentials/badge.png"),
    ("guides/maintainers/", "fr", "guides/maintainers/"),  # hand-written: default only
    ("css/credcat.css", "fr", "css/credcat.css"),
    ("#about", "fr", "#about"),
    ("https://example.org/credentials/", "fr", "https://example.org/credentials/"),
    ("credentials/", "en", "credentials/"),
])
def test_addresses_lead_into_the_language_tree_only_for_what_it_holds(
        path: str, language: str, expected: str) -> None:
    assert in_language(path, language, "en") == expected


@pytest.mark.slow
def test_every_generated_page_has_a_french_version(example_site: Path) -> None:
    catalog = Path(__file__).resolve().parents[1] / "catalog"
    for section in ("credentials", "pathways", "issuers"):
        for source in (catalog / section).glob("*.yaml"):
            for prefix in ("", "fr/"):
                assert (example_site / prefix / section / source.stem / "index.html").is_file()
    for path in ("", "credentials/", "credentials/by-level/", "credentials/by-type/",
                 "pathways/", "issuers/", "skills/", "skills/ai-literacy/", "occupations/",
                 "search/", "compare/", "verify/", "quality/"):
        english, french = _page(example_site, path), _page(example_site, "fr/" + path)
        assert '<html lang="en"' in english and '<html lang="fr"' in french, path
    # Hand-written pages are published in the default language only.
    assert not (example_site / "fr" / "about").exists()
    assert not (example_site / "fr" / "guides").exists()


@pytest.mark.slow
def test_a_french_page_says_its_language_and_leads_to_the_english_one(
        example_site: Path) -> None:
    french = _page(example_site, f"fr/credentials/{TRANSLATED}")
    english = _page(example_site, f"credentials/{TRANSLATED}")
    assert re.search(r'<html lang="fr"[^>]* data-language-root="\.\./\.\./"', french)
    assert re.search(r'<html lang="en"[^>]* data-language-root="\.\./\.\./"', english)
    expected = {"en": f"{SITE}credentials/{TRANSLATED}/",
                "fr": f"{SITE}fr/credentials/{TRANSLATED}/",
                "x-default": f"{SITE}credentials/{TRANSLATED}/"}
    assert _alternates(french) == expected == _alternates(english)
    assert f'<h1 id="credential-title">{NAME_FR}</h1>' in french
    assert f"<title>{NAME_FR} · " in french
    assert f'<meta property="og:url" content="{SITE}fr/credentials/{TRANSLATED}/">' in french
    # The Open Badges achievement is the same document in both: its id is the English page.
    achievement = re.compile(r'<script type="application/ld\+json" id="achievement">(.*?)</script>')
    assert achievement.search(french).group(1) == achievement.search(english).group(1)
    assert _switcher(french) == [f'<a href="../../../credentials/{TRANSLATED}/" lang="en" '
                                 'hreflang="en" rel="alternate">English</a>']
    assert _switcher(english) == [f'<a href="../../fr/credentials/{TRANSLATED}/" lang="fr" '
                                  'hreflang="fr" rel="alternate">Français</a>']
    # Catalog text inside an interface message ("Awarded by {issuer}") is French too.
    byline = re.search(r'<p class="byline">(.*?)</p>', french).group(1)
    assert ">Alliance Riverside pour l&#39;emploi</a>" in byline
    assert "Riverside Workforce Alliance" not in french.split("</header>", 2)[1]
    # Links between generated pages stay in French; documents and hand-written pages do not.
    assert 'href="../../pathways/digital-workplace-champion/"' in french
    assert 'href="../../../css/credcat.css"' in french
    assert 'href="../../../catalog.json"' in french


@pytest.mark.slow
def test_a_french_pathway_page_hands_its_planner_french_names(example_site: Path) -> None:
    french = _page(example_site, f"fr/pathways/{PATHWAY}")
    plans = re.findall(r"data-plan='([^']*)'", french)
    names = {json.loads(plan.replace("&#34;", '"').replace("&#39;", "'"))["name"]
             for plan in plans}
    assert NAME_FR in names and NAME_EN not in names
    search = _page(example_site, "fr/search")
    assert '<span class="facet-label">Alliance Riverside pour l&#39;emploi</span>' in search


@pytest.mark.slow
def test_untranslated_text_is_marked_and_in_the_default_language(example_site: Path) -> None:
    french = _page(example_site, f"fr/credentials/{UNTRANSLATED}")
    title = re.search(r'<h1 id="credential-title">(.*?)</h1>', french).group(1)
    assert title.startswith(f'<span lang="en">{UNTRANSLATED_NAME}</span> '
                            '<span class="fallback-marker" lang="fr">')
    assert '<div lang="en"><p>Career assessments are powerful' in french
    # Attributes and the title carry the text alone.
    assert f"<title>{UNTRANSLATED_NAME} · " in french
    assert f'<meta property="og:title" content="{UNTRANSLATED_NAME}">' in french
    # A translated page and an English page carry no marker.
    assert "fallback-marker" not in _page(example_site, f"fr/credentials/{TRANSLATED}")
    assert "fallback-marker" not in _page(example_site, f"credentials/{UNTRANSLATED}")


@pytest.mark.slow
def test_a_hand_written_page_leads_to_the_other_language_home(example_site: Path) -> None:
    about = _page(example_site, "about")
    assert _alternates(about) == {}
    assert _switcher(about) == ['<a href="../fr/" lang="fr" hreflang="fr">Français</a>']


@pytest.mark.slow
def test_sitemap_lists_each_page_with_its_language_versions(example_site: Path) -> None:
    root = ET.parse(example_site / "sitemap.xml").getroot()
    urls = {url.findtext(f"{SM}loc"): url for url in root.findall(f"{SM}url")}
    english, french = f"{SITE}credentials/{TRANSLATED}/", f"{SITE}fr/credentials/{TRANSLATED}/"
    expected = {("alternate", "en", english), ("alternate", "fr", french),
                ("alternate", "x-default", english)}
    for loc in (english, french):
        links = {(link.get("rel"), link.get("hreflang"), link.get("href"))
                 for link in urls[loc].findall(f"{XHTML}link")}
        assert links == expected, loc
    assert urls[f"{SITE}fr/"].find(f"{XHTML}link[@hreflang='x-default']").get("href") == SITE
    assert urls[f"{SITE}about/"].findall(f"{XHTML}link") == []
    # A French page is as recent as its English one.
    assert urls[french].findtext(f"{SM}lastmod") == urls[english].findtext(f"{SM}lastmod")


@pytest.mark.slow
def test_data_files_per_language(example_site: Path) -> None:
    keys = json.loads((example_site / "keys.json").read_text(encoding="utf-8"))
    assert keys["languages"] == {
        "default": "en", "codes": ["en", "fr"],
        "localizedPaths": ["credentialRecord", "compareRecord", "pathwayRecord"]}
    assert keys["paths"]["credentialRecord"] == "data/records/{shard}.json"
    assert _shard(example_site, "credentialRecord", TRANSLATED)["name"] == NAME_EN
    assert _shard(example_site, "credentialRecord", TRANSLATED, "fr")["name"] == NAME_FR
    assert _shard(example_site, "compareRecord", TRANSLATED, "fr")["name"] == NAME_FR
    # Its figures worded as the French page words them.
    compared = _shard(example_site, "compareRecord", TRANSLATED, "fr")
    assert compared["workload"]["text"] != _shard(
        example_site, "compareRecord", TRANSLATED)["workload"]["text"]
    assert compared["workload"]["text"] in _page(example_site, f"fr/credentials/{TRANSLATED}")
    assert _shard(example_site, "pathwayRecord", PATHWAY, "fr")["name"] == PATHWAY_FR
    assert (_shard(example_site, "credentialRecord", UNTRANSLATED, "fr")["name"]
            == UNTRANSLATED_NAME)
    # Published once: CTDL, with every translation in its language maps.
    assert not (example_site / "fr" / "data" / "ctdl").exists()
    ctdl = _shard(example_site, "ctdlCredential", TRANSLATED)
    names = [node["ceterms:name"] for node in ctdl["@graph"]
             if node.get("@type") == "ceterms:MicroCredential" or "ceterms:ctid" in node]
    assert {"en": NAME_EN, "fr": NAME_FR} in names
    # The search index in French finds French words and shows French titles.
    words = json.loads((example_site / "fr" / "search-index" / "words" / "lit_.json")
                       .read_text(encoding="utf-8"))
    assert "litteratie" in words
    english_words = json.loads((example_site / "search-index" / "words" / "lit_.json")
                               .read_text(encoding="utf-8"))
    assert "litteratie" not in english_words
    titles = [record["title"] for block in (example_site / "fr" / "search-index" / "docs")
              .glob("*.json") for record in json.loads(block.read_text(encoding="utf-8"))]
    assert NAME_FR in titles and UNTRANSLATED_NAME in titles and NAME_EN not in titles

    # A result's figures are worded as the page in its language words them.
    def record(language: str) -> dict:
        folder = example_site / ("" if language == "en" else language) / "search-index" / "docs"
        return next(r for block in folder.glob("*.json")
                    for r in json.loads(block.read_text(encoding="utf-8"))
                    if r["id"] == TRANSLATED)

    english, french = record("en"), record("fr")
    assert french["workload"] != english["workload"]
    assert french["workload"] in _page(example_site, f"fr/credentials/{TRANSLATED}")
    assert english["workload"] in _page(example_site, f"credentials/{TRANSLATED}")


@pytest.mark.slow
def test_diff_reports_a_change_to_a_translation_only(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "repo")
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "base")
    path = project / "catalog" / "credentials" / f"{TRANSLATED}.yaml"
    edit(path, f"  fr: {NAME_FR}\n", "  fr: Culture de l'IA au travail\n")
    done = run_credcat("diff", "HEAD", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"- `{TRANSLATED}`" in done.stdout
    assert (f"  - name in fr: “{NAME_FR}” → “Culture de l'IA au travail”"
            in done.stdout)
    assert "  - name:" not in done.stdout  # the English name did not change


def test_catalog_text_in_a_page_language_stays_escaped() -> None:
    """A translation is contributed text like any other: escaped in text and attributes, in
    the fallback marker's markup and in Markdown."""
    from jinja2 import Environment

    from site_builder.catalog.model import Languages, Text
    from site_builder.site.localize import install_language_filters
    from site_builder.site.safe_markdown import render_markdown

    env = Environment(autoescape=True)
    env.filters.update({"url": lambda value: value, "markdown": render_markdown})
    install_language_filters(env, Languages(("en", "fr"), "en"))
    template = env.from_string('<p title="{{ t }}">{{ t }}|{{ t|marked }}|{{ u|marked }}</p>'
                               '{{ u|markdown }}')
    translated = Text('<b class="x">', {"en": "<i>", "fr": '<b class="x">'}, "en")
    untranslated = Text('"><script>alert(1)</script>', None, "en")
    html = template.render(t=translated, u=untranslated, page_language="fr")
    assert "<script>" not in html and '<b class="x">' not in html
    assert html.startswith('<p title="&lt;b class=&#34;x&#34;&gt;">&lt;b class=&#34;x&#34;&gt;|'
                           '&lt;b class=&#34;x&#34;&gt;|<span lang="en">&#34;&gt;&lt;script&gt;')
    assert '<div lang="en"><p>"&gt;&lt;script&gt;' in html


@pytest.mark.slow
def test_a_hand_written_page_in_a_language_folder_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs" / "fr").mkdir()
    (project / "docs" / "fr" / "index.md").write_text("# Accueil\n", encoding="utf-8")
    done = run_credcat("build", "-d", tmp_path / "site", cwd=project)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "docs/fr/index.md: the folder fr/ holds the pages" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()


def test_installing_a_page_language_again_and_again_does_not_pile_up() -> None:
    """Each page installs its language: its functions replace the last ones, never wrap them
    (a build of 100,000 pages would otherwise nest 100,000 calls deep)."""
    from jinja2 import Environment

    from site_builder.catalog.model import Text
    from site_builder.site.localize import install_language

    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    name = Text("AI Literacy", {"en": "AI Literacy", "fr": "Littératie en IA"}, "en")
    template = env.from_string("{{ _('No catalogue has %(name)s', name=name) }}")
    install_language(env, "fr")
    french = dict(env.globals)
    for language in ["fr", "en"] * 50:
        install_language(env, language)
    install_language(env, "fr")
    assert all(env.globals[key] is french[key] for key in ("_", "gettext", "ngettext"))
    # No French catalogue entry for this message: the English words, the French name.
    assert template.render(name=name) == "No catalogue has Littératie en IA"
