"""The MkDocs plugin: catalog YAML in, generated pages and JSON exports out.

The catalog is loaded and checked in `on_config`, before MkDocs cleans `site_dir`, so a catalog
with errors stops the build and leaves the previously built site in place. Pages are generated
files kept out of the navigation: every page renders the nav, and a nav of 10,000 credentials
would make the build quadratic.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown as markdown_lib
from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import did, exports, presentation
from .catalog import SCHEMA_DIR, SCHEMA_FILES, load_catalog
from .contexts import context_files
from .model import Catalog, Credential, Issuer, Occupation, Pathway, Skill
from .pathway_svg import pathway_svg
from .problems import summary
from .status_list import STATUS_DIR, published_documents
from .urls import (
    CREDENTIALS,
    ISSUERS,
    OCCUPATIONS,
    PATHWAYS,
    SKILLS,
    VERIFY,
    Site,
    did_document_path,
    page_path,
    source_path,
)

log = logging.getLogger("mkdocs.plugins.credcat")

GROUPINGS = (("issuer", "Issuer", ""), ("level", "Level", "by-level"),
             ("type", "Type", "by-type"))


class CredcatConfig(base.Config):
    catalog_dir = c.Type(str, default="catalog")
    keys_dir = c.Type(str, default="public_keys")
    # Repository paths holding published test keys, which `credcat check` does not flag.
    key_scan_exclude = c.ListOfItems(c.Type(str), default=[])


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


def render_markdown(text: str | None) -> Markup:
    """Catalog Markdown as HTML, with raw HTML escaped so a contribution cannot add markup."""
    if not text:
        return Markup("")
    md = markdown_lib.Markdown(extensions=["tables", "sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return Markup(md.convert(text))


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

    # -- loading --------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        catalog_dir, keys_dir = root / self.config.catalog_dir, root / self.config.keys_dir
        for folder in (catalog_dir, keys_dir, root / STATUS_DIR):
            if folder.is_dir() and str(folder) not in config.watch:
                config.watch.append(str(folder))
        if not config.use_directory_urls:
            raise PluginError("credcat needs `use_directory_urls: true` in mkdocs.yml: "
                              "credential and DID document addresses depend on it")
        catalog, problems = load_catalog(root, self.config.catalog_dir, self.config.keys_dir)
        for problem in problems:
            if not problem.is_error:
                log.warning(problem.format())
        errors = [p for p in problems if p.is_error]
        if errors:
            listing = "\n".join(p.format() for p in errors)
            raise PluginError(f"the catalog has errors ({summary(problems)}); nothing was "
                              f"built and the previous site is untouched:\n{listing}")
        self.catalog = catalog
        self.catalog_dir = catalog_dir
        self.root = root
        self.site = Site.from_config(config.site_url)
        return config

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
        for path in sorted(self.catalog_dir.rglob("*")):
            if path.is_file() and path.suffix in (".png", ".svg", ".jpg", ".webp"):
                uri = path.relative_to(self.catalog_dir).as_posix()
                files.append(File.generated(config, uri, abs_src_path=str(path)))
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
        for key, name, slug in GROUPINGS:
            src = f"{CREDENTIALS}/{slug}.md" if slug else source_path(CREDENTIALS)
            specs.append(PageSpec(src, f"Credentials by {name.lower()}", "credentials.html", {
                "grouping": key, "groups": _group(credentials, key),
                "groupings": [(k, n, f"{CREDENTIALS}/{s}/" if s else f"{CREDENTIALS}/")
                              for k, n, s in GROUPINGS],
            }))
        for credential in credentials:
            specs.append(PageSpec(source_path(CREDENTIALS, credential.id), credential.name,
                                  "credential.html", {
                                      "credential": credential,
                                      "quality": presentation.quality_at_a_glance(credential),
                                      "exports": {
                                          "achievement": f"{path_of(credential)}achievement.json",
                                          "ctdl": f"{path_of(credential)}ctdl.json"},
                                  }))
        pathways = sorted(catalog.pathways.values(), key=lambda p: p.name)
        specs.append(PageSpec(source_path(PATHWAYS), "Pathways", "pathways.html",
                              {"pathways": pathways}))
        for pathway in pathways:
            specs.append(PageSpec(source_path(PATHWAYS, pathway.id), pathway.name,
                                  "pathway.html", {
                                      "pathway": pathway,
                                      "totals": presentation.pathway_totals(pathway),
                                      "ctdl": f"{path_of(pathway)}ctdl.json"}))
        issuers = sorted(catalog.issuers.values(), key=lambda i: i.name)
        specs.append(PageSpec(source_path(ISSUERS), "Issuers", "issuers.html",
                              {"issuers": issuers}))
        for issuer in issuers:
            specs.append(PageSpec(source_path(ISSUERS, issuer.id), issuer.name, "issuer.html", {
                "issuer": issuer, "did": self.site.issuer_did(issuer.id),
                "did_document": did_document_path(issuer.id),
                "keys": [exports.key_record(self.site, k) for k in issuer.keys],
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
                                                      "onet_url": exports.onet_url(
                                                          occupation.code)}))
        specs.append(PageSpec(source_path(VERIFY), "Verify a credential", "verifier.html"))
        return specs

    def _exports(self) -> list[tuple[str, str]]:
        catalog, site = self.catalog, self.site
        assert catalog is not None
        out = [("catalog.json", _json(exports.catalog_document(site, catalog)))]
        for credential in catalog.credentials.values():
            base_uri = path_of(credential)
            out.append((f"{base_uri}achievement.json",
                        _json(exports.achievement_document(site, credential))))
            out.append((f"{base_uri}ctdl.json", _json(exports.ctdl_credential(site, credential))))
            out.append((f"{base_uri}record.json",
                        _json(exports.credential_record(site, credential))))
        for pathway in catalog.pathways.values():
            out.append((f"{path_of(pathway)}ctdl.json",
                        _json(exports.ctdl_pathway(site, pathway))))
            out.append((f"{path_of(pathway)}pathway.json",
                        _json(exports.pathway_record(site, pathway))))
        out.append(("keys.json", _json(did.keys_index(site, catalog))))
        for path, document in published_documents(self.root, site, catalog).items():
            out.append((path, _json(document)))
        for issuer in catalog.issuers.values():
            out.append((did_document_path(issuer.id), _json(did.did_document(site, issuer))))
        # The browser verifier canonicalizes with the very same pinned context documents.
        contexts = context_files()
        out.append(("contexts/index.json", _json({url: f"contexts/{path.name}"
                                                  for url, path in contexts.items()})))
        for path in contexts.values():
            out.append((f"contexts/{path.name}", path.read_text(encoding="utf-8")))
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
                            "present": presentation})
        return env

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return context
        context.update(spec.context)
        pathway = spec.context.get("pathway")
        if pathway is not None:
            link: Callable[[Credential], str] = lambda c: get_relative_url(  # noqa: E731
                path_of(c), page.url)
            context["diagram"] = Markup(pathway_svg(pathway, link))
        return context


def _group(credentials: list[Credential], key: str) -> list[tuple[str, list[Credential]]]:
    groups: dict[str, list[Credential]] = {}
    order: dict[str, Any] = {}
    for credential in credentials:
        if key == "issuer":
            name, rank = credential.issuer.name, credential.issuer.name
        elif key == "level":
            name = presentation.level_text(credential.level)
            rank = (credential.level.eqf or 0, name)
        else:
            name = presentation.label(credential.achievement_type)
            rank = name
        groups.setdefault(name, []).append(credential)
        order[name] = rank
    return [(name, groups[name]) for name in sorted(groups, key=lambda n: order[n])]
