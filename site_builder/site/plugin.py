"""The MkDocs plugin: catalog YAML in, generated pages and JSON exports out.

The catalog is loaded and checked in `on_config`, before MkDocs cleans `site_dir`, so a catalog
with errors stops the build and leaves the previously built site in place. Pages are generated
files kept out of the navigation: every page renders the nav, and a nav of 10,000 credentials
would make the build quadratic.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime

from site_builder import contract
from site_builder.catalog.loader import SCHEMA_DIR, SCHEMA_FILES, load_catalog
from site_builder.catalog.localized import declaration_problems
from site_builder.catalog.model import (
    Catalog,
    Credential,
    Issuer,
    Languages,
    Occupation,
    Pathway,
    Skill,
)
from site_builder.catalog.problems import summary
from site_builder.catalog.safe_files import IMAGE_LIMIT, UnsafeFile, outside, read_regular
from site_builder.catalog.schema_facts import ID_PATTERN
from site_builder.credentials import achievement, did, keys
from site_builder.credentials.contexts import context_files
from site_builder.credentials.status_list import STATUS_DIR, RecordError, published_documents
from site_builder.credentials.verify import SPEC_FILE as VERIFIER_SPEC
from site_builder.site import (
    exports,
    facets,
    feeds,
    presentation,
    schema_org,
    search_index,
    serve_csp,
    shards,
    sitemaps,
    spreadsheet,
)
from site_builder.site.field_reference import field_reference_markdown
from site_builder.site.safe_markdown import NoRawHtml, SafeLinks, render_markdown
from site_builder.urls import (
    CREDENTIALS,
    ISSUERS,
    OCCUPATIONS,
    PATHWAYS,
    SKILLS,
    VERIFY,
    Site,
    page_path,
    source_path,
)

log = logging.getLogger("mkdocs.plugins.credcat")

GROUPINGS = (("issuer", "Issuer", ""), ("level", "Level", "by-level"),
             ("type", "Type", "by-type"))
# Rows per credential index page (about 100 KB of HTML): at 10,000 credentials a single page
# per grouping would be 4.6 MB, too much for a visitor browsing without JavaScript.
INDEX_PAGE_SIZE = 200
SEARCH = "search"
COMPARE = "compare"

# Content Security Policy of every page (a <meta> element: static hosts differ in how they
# set headers).
CSP_DEFAULT = ("default-src 'self'; script-src 'self'; style-src 'self'; "
               "img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; "
               "object-src 'none'; base-uri 'none'; form-action 'self'")


class CredcatConfig(base.Config):
    catalog_dir = c.Type(str, default="catalog")
    keys_dir = c.Type(str, default="public_keys")
    # Repository paths holding published test keys, which `credcat check` does not flag.
    key_scan_exclude = c.ListOfItems(c.Type(str), default=[])
    # The languages the catalog's texts are written in; a plain string is in the default
    # language, the first listed unless named.
    languages = c.ListOfItems(c.Type(str), default=["en"])
    default_language = c.Optional(c.Type(str))


@dataclass
class PageSpec:
    """A generated page: its source file, template and the model objects it shows."""

    src: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def path_of(item: Any) -> str:
    """Site-relative URL of a model object's page."""
    if isinstance(item, Credential):
        return page_path(CREDENTIALS, item.id)
    if isinstance(item, Pathway):
        return page_path(PATHWAYS, item.id)
    if isinstance(item, Issuer):
        return page_path(ISSUERS, item.id)
    if isinstance(item, Skill):
        return page_path(SKILLS, item.id)
    if isinstance(item, Occupation):
        return page_path(OCCUPATIONS, item.code)
    raise TypeError(f"no page for {type(item).__name__}")


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _front_matter(title: str, template: str) -> str:
    # JSON is YAML, and json.dumps escapes whatever a title holds.
    return f"---\ntitle: {json.dumps(title)}\ntemplate: {template}\n---\n"


class CredcatPlugin(BasePlugin[CredcatConfig]):
    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.site = Site.from_config(None)
        self.specs: dict[str, PageSpec] = {}
        self.changes: dict[str, feeds.Change] = {}
        self.site_name = ""
        self.status_documents: dict[str, Any] = {}
        self.published_keys: frozenset[str] = frozenset()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` injects an inline live-reload script: pages keep their CSP, and the
        # server adds that one script's hash to it (see serve_csp).
        if command == "serve":
            serve_csp.install()

    # -- loading --------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        catalog_dir, keys_dir = root / self.config.catalog_dir, root / self.config.keys_dir
        for folder in (catalog_dir, keys_dir, root / STATUS_DIR):
            if folder.is_dir() and str(folder) not in config.watch:
                config.watch.append(str(folder))
        # Pages under docs/ come by pull request too: the same link filter, and raw HTML
        # shown as text (so no tag brings its own attributes past the filter).
        config.markdown_extensions += [SafeLinks(), NoRawHtml()]  # type: ignore[list-item]
        if not config.use_directory_urls:
            raise PluginError("credcat needs `use_directory_urls: true` in mkdocs.yml: "
                              "credential and DID document addresses depend on it")
        codes = tuple(self.config.languages)
        languages = Languages(codes, self.config.default_language or (codes or ("en",))[0])
        if wrong := declaration_problems(languages):
            raise PluginError("the credcat plugin's languages in mkdocs.yml: " + "; ".join(wrong))
        catalog, problems = load_catalog(root, self.config.catalog_dir, self.config.keys_dir,
                                         languages)
        for problem in problems:
            if not problem.is_error:
                log.warning(problem.format())
        errors = [p for p in problems if p.is_error]
        if errors:
            listing = "\n".join(p.format() for p in errors)
            raise PluginError(f"the catalog has errors ({summary(problems)}); nothing was "
                              f"built and the previous site is untouched:\n{listing}")
        self.published_keys = frozenset(k.public_key_multibase for k in catalog.keys)
        self._refuse_leaks(root, keys.private_key_leaks(
            root, None, tuple(self.config.key_scan_exclude), tracked=False,
            folders=[catalog_dir, keys_dir, root / STATUS_DIR, Path(config.docs_dir)],
            published=self.published_keys))
        self.catalog = catalog
        self.catalog_dir = catalog_dir
        self.root = root
        self.site = Site.from_config(config.site_url)
        try:
            self.status_documents = published_documents(root, self.site, catalog, strict=True)
        except RecordError as exc:
            raise PluginError(f"{exc}; nothing was built and the previous site is "
                              "untouched") from exc
        self.site_name = config.site_name
        self.changes = feeds.change_dates(
            catalog, feeds.git_dates(root, self.config.catalog_dir), get_build_datetime())
        return config

    @staticmethod
    def _refuse_leaks(root: Path, leaks: list[keys.Leak]) -> None:
        """Stop the build if the shared scanner (the one `credcat check` runs) found a key."""
        if leaks:
            where = "\n".join(f"{os.path.relpath(leak.path, root)}:{leak.line}: private key "
                              "material" for leak in leaks)
            raise PluginError("private key material found; nothing was published. Remove it "
                              "(and from Git history) and treat the key as compromised: "
                              f"`credcat keys revoke`\n{where}")

    # -- generated files ------------------------------------------------------------------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.catalog is not None
        self.specs = {spec.src: spec for spec in self._page_specs(files)}
        for spec in self.specs.values():
            files.append(File.generated(
                config, spec.src, content=_front_matter(spec.title, spec.template),
                inclusion=InclusionLevel.NOT_IN_NAV,
            ))
        for uri, text in self._exports():
            files.append(File.generated(config, uri, content=text))
        # Written from the JSON Schemas at build time, so it never drifts from them.
        if files.get_file_from_path("reference/fields.md") is None:
            files.append(File.generated(config, "reference/fields.md",
                                        content=field_reference_markdown(),
                                        inclusion=InclusionLevel.NOT_IN_NAV))
        for path in sorted(self.catalog_dir.rglob("*")):
            if path.suffix in (".png", ".svg", ".jpg", ".webp") and not path.is_dir():
                uri = path.relative_to(self.catalog_dir).as_posix()
                # Read through the same guard as `check` (plain file, inside the catalog), and
                # published from the bytes read: a file swapped after the check is not copied.
                try:
                    data = read_regular(path, inside=self.catalog_dir, limit=IMAGE_LIMIT)
                except UnsafeFile as exc:
                    raise PluginError(f"{uri}: {exc}; nothing was built") from exc
                files.append(File.generated(config, uri, content=data))
        docs_dir = Path(config.docs_dir)
        for file in files:
            if file.abs_src_path and file.src_dir == config.docs_dir and (
                    outside(Path(file.abs_src_path), docs_dir)
                    or not Path(file.abs_src_path).is_file()):
                raise PluginError(f"{file.src_uri} in {docs_dir.name}/ is a symlink leading "
                                  "outside it or not an ordinary file; replace it with a copy "
                                  "of the file. Nothing was built")
        return files

    def _page_specs(self, files: Files) -> list[PageSpec]:
        catalog = self.catalog
        assert catalog is not None
        specs = []
        if files.get_file_from_path("index.md") is None:
            counts = {"credentials": len(catalog.credentials), "pathways": len(catalog.pathways),
                      "issuers": len(catalog.issuers), "skills": len(catalog.skills),
                      "occupations": len(catalog.occupations)}
            featured = [p for p in catalog.pathways.values() if p.featured] or list(
                catalog.pathways.values())[:3]
            specs.append(PageSpec("index.md", "Home", "home.html",
                                  {"counts": counts, "featured": featured}))
        credentials = sorted(catalog.credentials.values(), key=lambda c: c.name)
        groupings = [(k, n, index_page_path(s, 1)) for k, n, s in GROUPINGS]
        for key, name, slug in GROUPINGS:
            # Retired credentials stay listed, after the active ones of their group.
            pages = _paginate(_group(sorted(credentials, key=lambda c: not c.active), key),
                              INDEX_PAGE_SIZE)
            starts = _group_starts(pages, slug)
            links = [(number, index_page_path(slug, number)) for number in
                     range(1, len(pages) + 1)]
            for number, page_groups in enumerate(pages, start=1):
                title = f"Credentials by {name.lower()}" + (
                    f", page {number} of {len(pages)}" if len(pages) > 1 else "")
                specs.append(PageSpec(index_source_path(slug, number), title,
                                      "credentials.html", {
                    "grouping": key, "groups": page_groups, "group_index": starts,
                    "groupings": groupings, "total": len(credentials),
                    "page_number": number, "page_links": links,
                }))
        for credential in credentials:
            specs.append(PageSpec(source_path(CREDENTIALS, credential.id), credential.name,
                                  "credential.html", {
                                      "credential": credential,
                                      "quality": presentation.quality_at_a_glance(credential),
                                      "ctid": exports.credential_ctid(self.site, credential),
                                      "exports": shards.data_paths(catalog, credential),
                                  }))
        pathways = sorted(catalog.pathways.values(), key=lambda p: p.name)
        specs.append(PageSpec(source_path(PATHWAYS), "Pathways", "pathways.html",
                              {"pathways": pathways}))
        for pathway in pathways:
            specs.append(PageSpec(source_path(PATHWAYS, pathway.id), pathway.name,
                                  "pathway.html", {
                                      "pathway": pathway,
                                      "totals": presentation.pathway_totals(pathway),
                                      "ctdl": shards.data_paths(catalog, pathway)["ctdl"]}))
        issuers = sorted(catalog.issuers.values(), key=lambda i: i.name)
        specs.append(PageSpec(source_path(ISSUERS), "Issuers", "issuers.html",
                              {"issuers": issuers}))
        for issuer in issuers:
            specs.append(PageSpec(source_path(ISSUERS, issuer.id), issuer.name, "issuer.html", {
                "issuer": issuer, "did": self.site.issuer_did(issuer.id),
                "did_document": contract.did_document_path(issuer.id),
                "ctdl": f"{path_of(issuer)}ctdl.json",
                "keys": [contract.key_record(self.site, k) for k in issuer.keys],
            }))
        skills = sorted(catalog.skills.values(), key=lambda s: s.name)
        specs.append(PageSpec(source_path(SKILLS), "Skills", "skills.html", {"skills": skills}))
        for skill in skills:
            specs.append(PageSpec(source_path(SKILLS, skill.id), skill.name, "skill.html",
                                  {"skill": skill}))
        occupations = sorted(catalog.occupations.values(), key=lambda o: o.title)
        specs.append(PageSpec(source_path(OCCUPATIONS), "Occupations", "occupations.html",
                              {"occupations": occupations}))
        for occupation in occupations:
            specs.append(PageSpec(source_path(OCCUPATIONS, occupation.code), occupation.title,
                                  "occupation.html", {"occupation": occupation,
                                                      "onet_url": achievement.onet_url(
                                                          occupation.code)}))
        specs.append(PageSpec(source_path(VERIFY), "Verify a credential", "verifier.html"))
        specs.append(PageSpec(source_path(SEARCH), "Search credentials", "search.html", {
            "facets": facets.facets(catalog), "currencies": facets.currencies(catalog),
            "workload_bounds": facets.WORKLOAD_BOUNDS, "cost_bounds": facets.COST_BOUNDS,
            "priced": facets.priced_counts(catalog), "rates": catalog.exchange_rates,
        }))
        specs.append(PageSpec(source_path(COMPARE), "Compare credentials", "compare.html"))
        return specs

    def _exports(self) -> list[tuple[str, str]]:
        catalog, site = self.catalog, self.site
        assert catalog is not None
        # The whole catalog grows with it: no indentation (a third of its bytes), as the shards.
        out = [("catalog.json", shards.compact_json(exports.catalog_document(site, catalog)))]
        # Records, comparison records and CTDL in shards; the achievement is in the page.
        out.extend(shards.catalog_shards(site, catalog))
        out.append((contract.KEYS_INDEX, _json(did.keys_index(site, catalog))))
        out.append((feeds.FEED_PATH, feeds.atom_feed(site, catalog, self.changes,
                                                     self.site_name)))
        out.append((spreadsheet.CSV_PATH, spreadsheet.catalog_csv(site, catalog)))
        for path, document in self.status_documents.items():
            out.append((path, _json(document)))
        for issuer in catalog.issuers.values():
            out.append((contract.did_document_path(issuer.id),
                        _json(did.did_document(site, issuer))))
            out.append((f"{path_of(issuer)}ctdl.json",
                        _json(exports.ctdl_organization(site, issuer))))
        # The browser verifier canonicalizes with the very same pinned context documents.
        contexts = context_files()
        index = {url: contract.context_path(path.name) for url, path in contexts.items()}
        out.append((contract.PATHS["contexts"], _json(index)))
        for path in contexts.values():
            out.append((contract.context_path(path.name), path.read_text(encoding="utf-8")))
        # The browser verifier runs the checks of the same specification as `credcat verify`.
        out.append(("verifier.json", VERIFIER_SPEC.read_text(encoding="utf-8")))
        for name in SCHEMA_FILES.values():
            out.append((f"schemas/{name}", (SCHEMA_DIR / name).read_text(encoding="utf-8")))
        return out

    # -- rendering ------------------------------------------------------------------------
    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.filters.update({
            "markdown": render_markdown,
            "label": presentation.label,
            "cost_text": presentation.cost_text,
            "duration_text": presentation.duration_text,
            "workload_text": presentation.workload_text,
            "level_text": presentation.level_text,
            "language_name": presentation.language_name,
            "country_name": presentation.country_name,
            "validity_text": presentation.validity_text,
            "path_of": path_of,
        })
        env.globals.update({"catalog": self.catalog, "site_info": self.site,
                            "present": presentation,
                            "csp": CSP_DEFAULT,
                            # The browser modules read catalog ids with the schemas' pattern.
                            "id_pattern": ID_PATTERN,
                            "lastmod": {cid: change.moment.date().isoformat()
                                        for cid, change in self.changes.items()
                                        if change.source != "build"}})
        # Catalog text comes from many contributors: escape it everywhere by default.
        env.autoescape = True
        return env

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return context
        context.update(spec.context)
        credential = spec.context.get("credential")
        if credential is not None:
            # Built per page, not kept for all pages: 100,000 of them would not fit in memory.
            change = self.changes.get(credential.id)
            modified = change.moment.date().isoformat() if change else None
            context["jsonld"] = schema_org.script_json(
                schema_org.credential_description(self.site, credential, modified))
            context["achievement"] = schema_org.script_json(
                achievement.achievement_document(self.site, credential))
            context["canonical"] = self.site.absolute(path_of(credential))
        return context

    # -- after the pages: sitemap size, search index -------------------------------------------
    def on_post_build(self, config: MkDocsConfig) -> None:
        # The sources were scanned before writing; the pages made from them are scanned too,
        # since a key can be assembled from parts no single source file holds.
        self._refuse_leaks(self.root, keys.private_key_leaks(
            self.root, Path(config.site_dir), tracked=False, published=self.published_keys))
        parts = sitemaps.split_sitemap(Path(config.site_dir), self.site)
        if parts:
            log.info(f"sitemap.xml: more than {sitemaps.MAX_URLS:,} addresses, split into "
                     f"{parts} files listed by a sitemap index")
        assert self.catalog is not None
        log.info("search index: "
                 + search_index.build_search_index(self.catalog, Path(config.site_dir)))


def index_page_path(slug: str, number: int) -> str:
    """Credential index page `number` of a grouping: page 1 keeps the short address."""
    if number == 1:
        return f"{CREDENTIALS}/{slug}/" if slug else f"{CREDENTIALS}/"
    # Under by-issuer/ or by-level/: no credential id can take these addresses.
    return f"{CREDENTIALS}/{slug or 'by-issuer'}/page-{number}/"


def index_source_path(slug: str, number: int) -> str:
    if number == 1:
        return f"{CREDENTIALS}/{slug}.md" if slug else source_path(CREDENTIALS)
    return f"{CREDENTIALS}/{slug or 'by-issuer'}/page-{number}.md"


@dataclass
class GroupPart:
    """The part of a group that falls on one index page."""

    title: str
    number: int  # position of the group in the grouping, for stable anchors
    credentials: list[Credential]
    continued: bool  # the group started on an earlier page
    size: int  # the whole group's size


def _paginate(groups: list[tuple[str, list[Credential]]], size: int) -> list[list[GroupPart]]:
    """Split grouped rows into pages of at most `size` rows; a group may span pages."""
    pages: list[list[GroupPart]] = [[]]
    room = size
    for number, (title, members) in enumerate(groups, start=1):
        start = 0
        while start < len(members):
            if room == 0:
                pages.append([])
                room = size
            part = members[start:start + room]
            pages[-1].append(GroupPart(title, number, part, start > 0, len(members)))
            start += len(part)
            room -= len(part)
    return pages


def _group_starts(pages: list[list[GroupPart]], slug: str) -> list[tuple[str, int, str]]:
    """Every group of a grouping, its size, and the page and anchor where it starts."""
    starts = []
    for page_number, parts in enumerate(pages, start=1):
        for part in parts:
            if not part.continued:
                starts.append((part.title, part.size,
                               f"{index_page_path(slug, page_number)}#group-{part.number}"))
    return starts


def _group(credentials: list[Credential], key: str) -> list[tuple[str, list[Credential]]]:
    groups: dict[str, list[Credential]] = {}
    order: dict[str, Any] = {}
    for credential in credentials:
        if key == "issuer":
            name, rank = credential.issuer.name, credential.issuer.name
        elif key == "level":
            name = presentation.level_group(credential.level)
            rank = (credential.level.eqf or 9, name)
        else:
            name = presentation.label(credential.achievement_type)
            rank = name
        groups.setdefault(name, []).append(credential)
        order[name] = rank
    return [(name, groups[name]) for name in sorted(groups, key=lambda n: order[n])]
