"""The MkDocs plugin: catalog YAML in, generated pages and JSON exports out.

The catalog is loaded and checked in `on_config`, before MkDocs cleans `site_dir`, so a catalog
with errors stops the build and leaves the previously built site in place. Generated pages
(`pages.py`) are kept out of the navigation: every page renders the nav, and a nav of 10,000
credentials would make the build quadratic. The few that hand-written pages link to go through
MkDocs; the rest are rendered by `render.py` after MkDocs' own pages, before the site is
scanned for keys and indexed for search.
"""

from __future__ import annotations

import gc
import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime

from site_builder import contract
from site_builder.catalog.loader import SCHEMA_DIR, SCHEMA_FILES, CatalogLoader
from site_builder.catalog.localized import declaration_problems
from site_builder.catalog.model import Catalog, Languages
from site_builder.catalog.problems import summary
from site_builder.catalog.safe_files import IMAGE_LIMIT, UnsafeFile, outside, read_regular
from site_builder.catalog.schema_facts import ID_PATTERN
from site_builder.credentials import did, keys
from site_builder.credentials.contexts import context_files
from site_builder.credentials.status_list import STATUS_DIR, RecordError, published_documents
from site_builder.credentials.verify import SPEC_FILE as VERIFIER_SPEC
from site_builder.site import (
    browser_messages,
    exports,
    feeds,
    incremental,
    interface,
    presentation,
    render,
    scripts,
    search_index,
    serve_csp,
    serve_watch,
    shards,
    sitemaps,
)
from site_builder.site.export_cache import EntryMemo
from site_builder.site.field_reference import field_reference_markdown
from site_builder.site.localize import (
    install_language,
    install_language_filters,
    other_languages,
)
from site_builder.site.minify import minify_html
from site_builder.site.page_cache import PageCache, RecordedDates, digest, value_key
from site_builder.site.pages import (
    PageSpec,
    language_context,
    page_context,
    page_specs,
    path_of,
    url_of,
)
from site_builder.site.safe_markdown import NoRawHtml, SafeLinks, render_markdown
from site_builder.urls import Site

log = logging.getLogger("mkdocs.plugins.credcat")

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


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _without_comments(data: Any) -> Any:
    """A JSON document without its `$comment` members (JSON Schema's keyword for notes)."""
    if isinstance(data, dict):
        return {key: _without_comments(value) for key, value in data.items()
                if key != "$comment"}
    if isinstance(data, list):
        return [_without_comments(value) for value in data]
    return data


class PublishedFile(File):
    """A file the plugin publishes (catalog.json, shards, DID documents...) in MkDocs' file
    list, so pages can link to it: the plugin writes it as soon as it is made, and its text
    is not held for the rest of the build; MkDocs does not copy it."""

    def copy_file(self, dirty: bool = False) -> None:
        return None


def _front_matter(title: str, template: str) -> str:
    # JSON is YAML, and json.dumps escapes whatever a title holds.
    return f"---\ntitle: {json.dumps(title)}\ntemplate: {template}\n---\n"


class CredcatPlugin(BasePlugin[CredcatConfig]):
    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.site = Site.from_config(None)
        self.specs: dict[str, PageSpec] = {}  # the pages MkDocs renders
        self.rendered: list[PageSpec] = []  # the pages render.py renders
        self.rendered_files: list[render.RenderedFile] = []
        self.listed: list[render.Listed] = []
        self.nav: Navigation | None = None
        self.files: Files | None = None
        self.env = Environment()
        self.serving = False
        self.loader: tuple[tuple[Path, str, str, Languages], CatalogLoader] | None = None
        self.lastmod = RecordedDates()
        self.changes: dict[str, feeds.Change] = {}
        self.site_name = ""
        self.status_documents: dict[str, Any] = {}
        self.published_keys: frozenset[str] = frozenset()
        # `serve` only: what the last full build left for rebuilding catalog edits alone.
        self.served: incremental.Served | None = None
        # The catalog's folders: `serve` watches them by notification (`serve_watch`).
        self.watched: list[Path] = []
        self.exported: dict[str, str] = {}  # published file -> digest of its bytes
        # `serve` only: what the exports and the search index derive from each entry.
        self.memo: EntryMemo | None = None
        # Files the plugin wrote before MkDocs' pages, scanned for keys from the bytes written.
        self.written: set[Path] = set()
        self.leaks: list[keys.Leak] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` injects an inline live-reload script: pages keep their CSP, and the
        # server adds that one script's hash to it (see serve_csp).
        self.serving = command == "serve"
        if command == "serve":
            serve_csp.install()
            self.memo = EntryMemo()

    # -- loading --------------------------------------------------------------------------
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.served = None  # a full build: the site it leaves is the next one's start
        if self.memo is not None:  # made anew from the inputs of this build (theme, site_url)
            self.memo = EntryMemo()
        root = Path(config.config_file_path or ".").resolve().parent
        catalog_dir, keys_dir = root / self.config.catalog_dir, root / self.config.keys_dir
        self.watched = [folder for folder in (catalog_dir, keys_dir, root / STATUS_DIR)
                        if folder.is_dir()]
        for folder in self.watched:
            if str(folder) not in config.watch:
                config.watch.append(str(folder))
        # Pages under docs/ come by pull request too: the same link filter, and raw HTML
        # shown as text (so no tag brings its own attributes past the filter).
        config.markdown_extensions += [SafeLinks(), NoRawHtml()]  # type: ignore[list-item]
        if not config.use_directory_urls:
            raise PluginError("credcat needs `use_directory_urls: true` in mkdocs.yml: "
                              "credential and DID document addresses depend on it")
        interface.reload()
        codes = tuple(self.config.languages)
        languages = Languages(codes, self.config.default_language or (codes or ("en",))[0])
        if wrong := declaration_problems(languages):
            raise PluginError("the credcat plugin's languages in mkdocs.yml: " + "; ".join(wrong))
        # One loader for the life of the plugin (MkDocs keeps this instance across `serve`
        # rebuilds): a rebuild re-reads only the catalog files that changed.
        wanted = (root, self.config.catalog_dir, self.config.keys_dir, languages)
        if self.loader is None or self.loader[0] != wanted:
            self.loader = (wanted, CatalogLoader(*wanted))
        catalog, problems = self.loader[1].load()
        if not self.serving:
            # What the loader keeps of each file (its parsed YAML) is for the next rebuild
            # under `serve`; a build has none, and at 100,000 credentials it is gigabytes.
            self.loader = None
        for problem in problems:
            if not problem.is_error:
                log.warning(problem.format())
        errors = [p for p in problems if p.is_error]
        if errors:
            listing = "\n".join(p.format() for p in errors)
            raise PluginError(f"the catalog has errors ({summary(problems)}); nothing was "
                              f"built and the previous site is untouched:\n{listing}")
        published = frozenset(k.public_key_multibase for k in catalog.keys)
        self._refuse_leaks(root, keys.private_key_leaks(
            root, None, tuple(self.config.key_scan_exclude), tracked=False,
            folders=[catalog_dir, keys_dir, root / STATUS_DIR, Path(config.docs_dir)],
            published=published))
        self.catalog_dir = catalog_dir
        self.root = root
        self.site = Site.from_config(config.site_url)
        self.site_name = config.site_name
        self.adopt(catalog)
        if not self.serving:
            # The model lives as long as the build and none of it becomes garbage: frozen,
            # it is left out of the collector's full passes, each of which would walk all
            # of it (a quarter of a second each at 10,000 credentials, and longer as the
            # catalog grows). `serve` decides for itself (`incremental.after_full_build`).
            gc.freeze()
        return config

    def adopt(self, catalog: Catalog) -> None:
        """Make `catalog` the one the pages and files are written from (a full build, or a
        `serve` rebuild of catalog edits: `incremental`); its sources were scanned for keys."""
        try:
            status_documents = published_documents(self.root, self.site, catalog, strict=True)
        except RecordError as exc:
            raise PluginError(f"{exc}; nothing was built and the previous site is "
                              "untouched") from exc
        self.catalog, self.status_documents = catalog, status_documents
        self.published_keys = frozenset(k.public_key_multibase for k in catalog.keys)
        self.changes = feeds.change_dates(
            catalog, feeds.git_dates(self.root, self.config.catalog_dir), get_build_datetime())

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
        self._refuse_language_folders(files, config)
        specs = page_specs(self.catalog, self.site,
                           with_home=files.get_file_from_path("index.md") is None)
        self.specs = {spec.src: spec for spec in specs if spec.in_mkdocs}
        self.rendered = [spec for spec in specs if not spec.in_mkdocs]
        self.rendered_files = [render.rendered_file(spec.src, config) for spec in self.rendered]
        for file in self.rendered_files:
            files.append(file)
        for spec in self.specs.values():
            files.append(File.generated(
                config, spec.src, content=_front_matter(spec.title, spec.template),
                inclusion=InclusionLevel.NOT_IN_NAV,
            ))
        self._publish(files, config)
        self._browser_messages(files, config)
        try:
            scripts.minify_theme_scripts(files, config)
        except scripts.ScriptError as exc:
            raise PluginError(f"{exc}; nothing was built") from exc
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

    def _publish(self, files: Files, config: MkDocsConfig) -> None:
        """Write each published file into the site as it is made (MkDocs has emptied the
        folder by now), scanning the bytes written, so no more than one is held at a time:
        catalog.json alone is a quarter of a gigabyte at 100,000 credentials."""
        self.exported, self.written, self.leaks = {}, set(), []
        for uri, text in self._published_files():
            self._write_published(files, config, uri, text.encode("utf-8"))
            del text  # before the next one is made

    def _write_published(self, files: Files, config: MkDocsConfig, uri: str,
                         data: bytes) -> None:
        if self.serving:
            self.exported[uri] = digest(data)
        if (same := files.get_file_from_path(uri)) is not None:
            files.remove(same)  # a file of that name in docs/: the published one wins, as before
        file = PublishedFile(uri, None, config.site_dir, config.use_directory_urls,
                             inclusion=InclusionLevel.NOT_IN_NAV)
        dest = Path(file.abs_dest_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        self.written.add(dest)
        if (line := keys.find_private_keys(data, self.published_keys)) is not None:
            self.leaks.append(keys.Leak(dest, line))
        files.append(file)

    def _browser_messages(self, files: Files, config: MkDocsConfig) -> None:
        """The browser's message catalogue of each declared language (js/shared/i18n.js)."""
        assert self.catalog is not None
        for path in browser_messages.missing(self.catalog.languages.codes):
            log.warning(f"{path} does not exist: the scripts of that language's pages show "
                        "English (docs/guides/languages.md, \"Adding an interface language\")")
        try:
            published = browser_messages.published_files(self.catalog.languages.codes)
        except browser_messages.CatalogueError as exc:
            raise PluginError(f"{exc}; nothing was built") from exc
        for uri, text in published:
            files.append(File.generated(config, uri, content=text))

    def _refuse_language_folders(self, files: Files, config: MkDocsConfig) -> None:
        """Each other declared language's pages are published under its code (`fr/`): a
        hand-written page there would be overwritten by them, or overwrite one."""
        assert self.catalog is not None
        folders = [f"{code}/" for code in other_languages(self.catalog.languages)]
        clashing = sorted(f.src_uri for f in files if f.src_uri.startswith(tuple(folders)))
        if clashing:
            raise PluginError(
                f"{Path(config.docs_dir).name}/{clashing[0]}: the folder "
                f"{clashing[0].split('/')[0]}/ holds the pages the site publishes in that "
                "declared language (mkdocs.yml, credcat `languages`); move the hand-written "
                "pages elsewhere. Nothing was built")

    def _exports(self) -> list[tuple[str, str]]:
        return list(self._published_files())

    def _published_files(self) -> Iterator[tuple[str, str]]:
        """Each published file and its text, made one after the other: a full build writes
        each before making the next."""
        catalog, site, memo = self.catalog, self.site, self.memo
        assert catalog is not None
        if memo is not None:
            memo.start(catalog)
        # catalog.json, its parts and the spreadsheet, each file within the hosts' limit.
        yield from exports.catalog_files(site, catalog, memo=memo)
        # Records, comparison records and CTDL in shards; the achievement is in the page.
        yield from shards.catalog_shards(site, catalog, memo)
        yield contract.KEYS_INDEX, _json(did.keys_index(site, catalog))
        yield feeds.FEED_PATH, feeds.atom_feed(site, catalog, self.changes, self.site_name)
        for path, document in self.status_documents.items():
            yield path, _json(document)
        for issuer in catalog.issuers.values():
            yield contract.did_document_path(issuer.id), _json(did.did_document(site, issuer))
            yield (f"{path_of(issuer)}ctdl.json",
                   _json(exports.ctdl_organization(site, issuer)))
        # The browser verifier canonicalizes with the very same pinned context documents.
        contexts = context_files()
        index = {url: contract.context_path(path.name) for url, path in contexts.items()}
        yield contract.PATHS["contexts"], _json(index)
        for path in contexts.values():
            yield contract.context_path(path.name), path.read_text(encoding="utf-8")
        # The browser verifier runs the checks of the same specification as `credcat verify`,
        # read on every cold load of /verify/: published compact, its `$comment`s (notes for
        # the people who edit it) left in the repository.
        spec = json.loads(VERIFIER_SPEC.read_text(encoding="utf-8"))
        yield "verifier.json", shards.compact_json(_without_comments(spec))
        for name in SCHEMA_FILES.values():
            yield f"schemas/{name}", (SCHEMA_DIR / name).read_text(encoding="utf-8")

    # -- rendering ------------------------------------------------------------------------
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        self.files, self.env = files, env
        # Interface strings go through gettext (`{% trans %}`, `_()`); a `{% trans %}` block's
        # line breaks and indentation are not part of its message.
        env.add_extension("jinja2.ext.i18n")
        env.policies["ext.i18n.trimmed"] = True
        assert self.catalog is not None
        interface.install(env, self.catalog.languages.default)
        # Made here, before MkDocs writes the sitemap, which lists them (`generated_pages`).
        self.listed = [render.Listed(file, config.site_url) for file in self.rendered_files]
        self.lastmod = RecordedDates(
            (cid, change.moment.date().isoformat()) for cid, change in self.changes.items()
            if change.source != "build")
        env.filters.update({
            "markdown": render_markdown,
            "label": interface.localized(presentation.label),
            "cost_text": interface.localized(presentation.cost_text),
            "duration_text": interface.localized(presentation.duration_text),
            "workload_text": interface.localized(presentation.workload_text),
            "hours_text": interface.localized(presentation.hours_text),
            "level_text": interface.localized(presentation.level_text),
            "language_name": interface.localized(presentation.language_name),
            "country_name": interface.localized(presentation.country_name),
            "validity_text": interface.localized(presentation.validity_text),
            "path_of": path_of,
            **interface.filters(),
        })
        env.globals.update({"catalog": self.catalog, "site_info": self.site,
                            "present": presentation,
                            "generated_pages": self.listed,
                            "csp": CSP_DEFAULT,
                            # The browser modules read catalog ids with the schemas' pattern.
                            "id_pattern": ID_PATTERN,
                            "lastmod": self.lastmod})
        # Catalog text and links in each page's language (pages.language_context).
        install_language_filters(env, self.catalog.languages)
        # Catalog text comes from many contributors: escape it everywhere by default.
        env.autoescape = True
        return env

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        assert self.catalog is not None
        spec = self.specs.get(page.file.src_uri)
        if spec is None:  # a hand-written page: in the default language only
            context.update(language_context(self.catalog.languages,
                                            self.catalog.languages.default, None))
        else:
            context.update(page_context(spec, self.site, self.changes, self.catalog.languages))
        install_language(self.env, context["page_language"])
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """MkDocs' own pages are published minified, as the generated ones (`render`)."""
        return minify_html(output)

    def on_post_template(self, output_content: str, template_name: str,
                         config: MkDocsConfig) -> str:
        """And the theme's own pages (404.html), not its sitemap."""
        return minify_html(output_content) if template_name.endswith(".html") else (
            output_content)

    def _sitemap_languages(self, site_dir: Path) -> None:
        """Tell search engines which generated pages are versions of each other."""
        assert self.catalog is not None
        groups: dict[str, dict[str, str]] = {}
        for spec in [*self.specs.values(), *self.rendered]:
            groups.setdefault(spec.entry, {})[spec.language] = url_of(spec.src)
        versions = {path: group for group in groups.values() if len(group) > 1
                    for path in group.values()}
        sitemaps.add_language_versions(site_dir, self.site, versions,
                                       self.catalog.languages.default)

    # -- after MkDocs' pages: generated pages, key scan, sitemap size, search index -------------
    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.catalog is not None and self.nav is not None and self.files is not None
        # MkDocs' own choice of pages: `serve` shows drafts, `build` leaves them out.
        doc_files = self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve
                                                   if self.serving else
                                                   InclusionLevel.is_included)
        site_dir = Path(config.site_dir)
        cache = PageCache(self.root)
        job = render.Job(self.rendered, self.rendered_files, [], config, self.nav, doc_files,
                         self.env, self.site, self.catalog, self.changes, self.lastmod, cache,
                         self.published_keys, frozen=not self.serving)
        outcome = render.render_pages(
            job, render.build_key(config, self.nav, doc_files, self.catalog))
        log.info(f"generated pages: {outcome.rendered:,} rendered, {len(outcome.reused):,} "
                 "unchanged and copied from the cache")
        # The sources were scanned before writing; the files made from them are scanned too,
        # since a key can be assembled from parts no single source file holds: the published
        # files and rendered pages from the bytes written, every other file of the site read
        # back. A page the cache holds was scanned when it was stored, if against the same
        # published keys.
        published = value_key(sorted(self.published_keys))
        known = self.written | set(outcome.written)
        if cache.scanned == published:
            known.update(outcome.reused)
        self._refuse_leaks(self.root, sorted(
            self.leaks + outcome.leaks + keys.scan_for_private_keys(
                [p for p in site_dir.rglob("*") if p not in known and p.is_file()],
                self.published_keys), key=lambda leak: (str(leak.path), leak.line)))
        cache.save(outcome.entries, published)
        self._sitemap_languages(site_dir)
        parts = sitemaps.split_sitemap(site_dir, self.site)
        if parts:
            log.info(f"sitemap.xml: more than {sitemaps.MAX_URLS:,} addresses, split into "
                     f"{parts} files listed by a sitemap index")
        log.info("search index: " + search_index.build_search_index(self.catalog, site_dir,
                                                                      self.memo))
        if self.serving:
            self.served = incremental.after_full_build(self, config, cache, self.exported)

    # -- serve: catalog edits without MkDocs' full rebuild ------------------------------------
    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig,
                 builder: Callable[[], None]) -> LiveReloadServer:
        def rebuild() -> None:
            try:
                if self.served is not None and incremental.rebuild(self, self.served):
                    return
            except PluginError as exc:
                self.served = None
                log.error(str(exc))  # as MkDocs reports a plugin's error in a full build
                raise Abort("Aborted with a BuildError!") from exc
            except BaseException:
                self.served = None
                raise
            incremental.thaw()
            builder()

        server.builder = rebuild
        serve_watch.install(server, self.watched)
        return server
