"""`credcat serve` after a catalog edit: the changed pages and files, not MkDocs' full rebuild.

MkDocs answers every change under `serve` with a full build: it empties the site folder,
reads every page again and writes every file. Most of a catalog's site does not change when
one credential file does, and at 10,000 credentials the full build took half a minute. When
only catalog files changed (`catalog/**/*.yaml`, `public_keys/`), this module updates the
site the last build left instead: it loads the catalog with the plugin's `CatalogLoader`
(which parses only the changed files), scans only the changed files for private keys,
renders again only the pages whose inputs changed (the page cache records what each page
read: `page_cache`), the few pages MkDocs renders and the theme's own templates (sitemap,
404), and writes only the published files whose bytes changed. The site is then what a clean
build of the same inputs writes, byte for byte (`tests/test_serve.py`).

It takes the pages, files and search index from the same functions the full build calls
(`pages.page_specs`, `render`, the plugin's exports, `search_index`), so a new kind of page
or file needs no second list here.

Anything it does not update this way makes it hand over to MkDocs' full rebuild, before it
writes anything: a change outside the catalog files (docs/, the theme, mkdocs.yml, status/,
an image), a catalog with errors or a private key (the full build then reports them as it
always has, and leaves the site as it was), a changed set of published keys (every page
would need scanning again), and pages or files appearing or disappearing (hand-written pages
may link to them, and MkDocs resolves those links while it reads every page).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.commands.build import _build_page, _build_theme_template
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from site_builder.catalog.model import Catalog, Languages
from site_builder.credentials import keys
from site_builder.files import write_atomic_bytes
from site_builder.site import render, search_index, sitemaps
from site_builder.site.page_cache import (
    Dep,
    Digests,
    PageCache,
    RecordedDates,
    digest,
    value_key,
)
from site_builder.site.pages import PageSpec, page_specs
from site_builder.urls import language_root

if TYPE_CHECKING:
    from site_builder.site.plugin import CredcatPlugin

log = logging.getLogger("mkdocs.plugins.credcat")

# A file's identity as far as a change goes: inode, size, modification and change times
# (the change time cannot be set back by the editor, as `touch -r` sets the other).
Stamp = tuple[int, int, int, int]


def stamps(folders: Iterable[Path]) -> dict[str, Stamp]:
    """Every file under `folders` (or a file itself), by path."""
    found: dict[str, Stamp] = {}
    for folder in folders:
        if folder.is_file():
            info = folder.stat()
            found[str(folder)] = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            continue
        for dirpath, _dirnames, filenames in os.walk(folder):
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                found[path] = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return found


def _changed(before: dict[str, Stamp], now: dict[str, Stamp]) -> list[Path]:
    """Files added or modified (a deleted file has no bytes left to scan)."""
    return [Path(path) for path, stamp in now.items() if before.get(path) != stamp]


def _digests_under(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): digest(path.read_bytes())
            for path in folder.rglob("*") if path.is_file()}


def _search_digests(site_dir: Path, languages: Languages) -> dict[str, str]:
    """The search index's files, site-relative: the default language's `search-index/` and
    each other declared language's (`fr/search-index/`) -> digest."""
    found: dict[str, str] = {}
    for language in languages.codes:
        index = language_root(language, languages.default) + search_index.SEARCH_DIR
        found.update({f"{index}/{rel}": name
                      for rel, name in _digests_under(site_dir / index).items()})
    return found


@dataclass
class Served:
    """What the last full build of `serve` left, for the rebuilds of catalog edits after it."""

    config: MkDocsConfig
    nav: Navigation
    files: Files
    cache: PageCache
    other_inputs: dict[str, Stamp]  # docs/, theme, mkdocs.yml, status/, catalog images
    catalog_files: dict[str, Stamp]  # catalog/ and public_keys/
    exported: dict[str, str]  # the plugin's published files: site path -> digest
    searched: dict[str, str]  # the search index's files: site-relative path -> digest
    # What each published file and search index file was last written from, by site path
    # (rebuilds only): the same object again needs no digest to tell it is unchanged.
    made: dict[str, str | bytes] = field(default_factory=dict)


def _input_folders(plugin: CredcatPlugin, config: MkDocsConfig) -> tuple[list[Path], list[Path]]:
    """What the site is made from: (catalog files, everything else a rebuild watches)."""
    catalog = [plugin.catalog_dir, plugin.root / plugin.config.keys_dir]
    others = [Path(config.docs_dir), *(Path(d) for d in config.theme.dirs)]
    if config.config_file_path:
        others.append(Path(config.config_file_path))
    others += [Path(path) for path in config.watch if Path(path) not in catalog]
    return [p for p in catalog if p.exists()], [p for p in others if p.exists()]


def _other_inputs(plugin: CredcatPlugin, config: MkDocsConfig,
                  catalog_files: dict[str, Stamp]) -> dict[str, Stamp]:
    # Images under catalog/ are published as they are, by the full build only.
    images = {path: stamp for path, stamp in catalog_files.items()
              if path.startswith(str(plugin.catalog_dir) + os.sep)
              and not path.endswith(".yaml")}
    return {**stamps(_input_folders(plugin, config)[1]), **images}


def after_full_build(plugin: CredcatPlugin, config: MkDocsConfig, cache: PageCache,
                     exported: dict[str, str]) -> Served:
    """Note what a full build used and wrote, once it has succeeded."""
    assert plugin.nav is not None and plugin.files is not None and plugin.catalog is not None
    # What the build leaves (the model, the kept exports, MkDocs' pages: millions of objects
    # at 10,000 credentials) lives until the next full build: the collector's full passes
    # during rebuilds, seconds each at that size, leave it out. The catalog a rebuild
    # replaces then stays until the next full build (`thaw`).
    gc.freeze()
    catalog_files = stamps(_input_folders(plugin, config)[0])
    return Served(config, plugin.nav, plugin.files, cache,
                  _other_inputs(plugin, config, catalog_files), catalog_files, exported,
                  _search_digests(Path(config.site_dir), plugin.catalog.languages))


def thaw() -> None:
    """Before a full build: what the last one left may go, as any garbage (`after_full_build`),
    and what rebuilds left to do once quiet is the full build's to do."""
    global _generation
    with _rebuilding:
        _generation += 1
        gc.unfreeze()


def _shape(specs: Iterable[PageSpec]) -> list[tuple[str, str, str]]:
    return [(spec.src, spec.title, spec.template) for spec in specs]


# Seconds without another catalog edit before the work a rebuild leaves is done (`rebuild`).
QUIET = 1.0
_generation = 0  # rebuilds and full builds so far: the work left waits for the last one
_paused = False  # the collector was on, and rebuilds turned it off
_rebuilding = threading.Lock()


def rebuild(plugin: CredcatPlugin, served: Served) -> bool:
    """Update the site after catalog edits; False, having written nothing, when only a full
    build can (see the module's docstring).

    Two things wait until no edit has followed for `QUIET` seconds, so that the site shows
    each edit sooner, and are then done in the background: saving the page cache's index
    (its pages are in the site already), and collecting garbage. A rebuild loads the catalog
    anew, millions of objects at 10,000 credentials, and the collector's passes over them
    took seconds of each one; so it is off while rebuilds run, and one collection frees what
    they left (each replaced catalog: its entries refer to each other, which only the
    collector can free) and turns it back on, so memory does not grow edit after edit.
    """
    global _generation
    with _rebuilding:
        _generation += 1
        _pause_collector()
        try:
            done = _rebuild(plugin, served)
        except BaseException:
            _resume_collector()
            raise
        if not done:
            _resume_collector()  # for the full build that follows
            return False
        timer = threading.Timer(QUIET, _when_quiet, args=(_generation, served.cache))
        timer.daemon = True
        timer.start()
        return True


def _pause_collector() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def _resume_collector() -> None:
    global _paused
    if _paused:
        gc.enable()
        _paused = False


def _when_quiet(generation: int, cache: PageCache) -> None:
    if not _rebuilding.acquire(blocking=False):
        return  # a rebuild is running, and this will follow it
    try:
        if generation == _generation:
            cache.save(cache.entries, cache.scanned)
            gc.collect()
            _resume_collector()
    finally:
        _rebuilding.release()


def _rebuild(plugin: CredcatPlugin, served: Served) -> bool:
    started = time.perf_counter()
    config = served.config
    catalog_files = stamps(_input_folders(plugin, config)[0])
    if _other_inputs(plugin, config, catalog_files) != served.other_inputs:
        return _full("a file outside the catalog's YAML and public_keys/ changed")
    if catalog_files == served.catalog_files:
        return True  # nothing the site is made from changed (an editor's own files, say)
    assert plugin.loader is not None and plugin.catalog is not None
    catalog, problems = plugin.loader[1].load()
    if any(problem.is_error for problem in problems):
        return _full("the catalog has errors")
    published = frozenset(k.public_key_multibase for k in catalog.keys)
    if published != plugin.published_keys:
        return _full("the published keys changed: every page is scanned again")
    exclude = tuple(plugin.config.key_scan_exclude)
    changed = [path for path in _changed(served.catalog_files, catalog_files)
               if not (path.is_relative_to(plugin.root) and
                       path.relative_to(plugin.root).as_posix().startswith(exclude))]
    if keys.scan_for_private_keys(changed, published):
        return _full("private key material")
    with_home = "index.md" in plugin.specs
    specs = page_specs(catalog, plugin.site, with_home=with_home)
    in_mkdocs = [spec for spec in specs if spec.in_mkdocs]
    rendered = [spec for spec in specs if not spec.in_mkdocs]
    if (_shape(in_mkdocs) != _shape(plugin.specs.values())
            or {s.src for s in rendered} != {s.src for s in plugin.rendered}):
        return _full("pages were added or removed")
    edited = _edited(plugin, served.catalog_files, catalog_files, catalog)
    if edited is not None:  # the entries no edit reached keep their digests
        Digests(plugin.catalog, {}).carry(catalog, edited)
    # Past here, a False leaves the plugin holding the new catalog: the full build that
    # follows adopts it again, or fails and leaves no `Served` behind.
    try:
        plugin.adopt(catalog)
    except PluginError:
        return _full("a status list does not fit the catalog")
    exports = plugin._exports()  # the same list the full build publishes
    if sorted(uri for uri, _ in exports) != sorted(served.exported):
        return _full("published files were added or removed")
    for problem in problems:
        log.warning(problem.format())
    served.catalog_files = catalog_files
    written = _write(plugin, served, specs, exports)
    log.info(f"catalog change: {written} files written in "
             f"{time.perf_counter() - started:.2f} s, without a full rebuild")
    return True


def _edited(plugin: CredcatPlugin, before: dict[str, Stamp], now: dict[str, Stamp],
            catalog: Catalog) -> set[Dep] | None:
    """The catalog entries made from the files that changed (an issuer for its keys, every
    skill for skills.yaml), or None when a changed file is not one of an entry's own."""
    assert plugin.catalog is not None
    if before.keys() - now.keys():
        return None
    edited: set[Dep] = set()
    keys_dir = plugin.root / plugin.config.keys_dir
    for path in _changed(before, now):
        if path.is_relative_to(keys_dir):
            edited.add(f"Issuer:{path.relative_to(keys_dir).parts[0]}")
            continue
        if not path.is_relative_to(plugin.catalog_dir):
            return None
        parts = path.relative_to(plugin.catalog_dir).parts
        if parts == ("skills.yaml",):
            edited.update(f"Skill:{sid}" for sid in (*plugin.catalog.skills, *catalog.skills))
        elif parts == ("exchange-rates.yaml",):
            continue  # only the catalog's own digest holds the rates, and it is made anew
        elif len(parts) == 2 and parts[0] in _ENTRY_FOLDERS and parts[1].endswith(".yaml"):
            edited.add(f"{_ENTRY_FOLDERS[parts[0]]}:{parts[1][:-len('.yaml')]}")
        else:
            return None
    return edited


# The folders of `catalog/` holding one entry per file, and the kind of entry.
_ENTRY_FOLDERS = {"credentials": "Credential", "issuers": "Issuer", "pathways": "Pathway"}


def _full(reason: str) -> bool:
    log.info(f"full rebuild: {reason}")
    return False


def _write(plugin: CredcatPlugin, served: Served, specs: list[PageSpec],
           exports: list[tuple[str, str]]) -> int:
    """Write what changed; the number of files written."""
    assert plugin.catalog is not None and plugin.env is not None
    config, nav, files = served.config, served.nav, served.files
    site_dir = Path(config.site_dir)
    plugin.specs = {spec.src: spec for spec in specs if spec.in_mkdocs}
    new_rendered = [spec for spec in specs if not spec.in_mkdocs]
    # In the order of the specs (a renamed entry moves in it).
    kept = {file.src_uri: file for file in plugin.rendered_files}
    rendered_files = [kept[spec.src] for spec in new_rendered]
    plugin.rendered, plugin.rendered_files = new_rendered, rendered_files
    plugin.listed = [render.Listed(file, config.site_url) for file in rendered_files]
    plugin.lastmod = RecordedDates(
        (cid, change.moment.date().isoformat()) for cid, change in plugin.changes.items()
        if change.source != "build")
    plugin.env.globals.update({"catalog": plugin.catalog, "generated_pages": plugin.listed,
                               "lastmod": plugin.lastmod})
    inclusion = (InclusionLevel.is_in_serve if plugin.serving else InclusionLevel.is_included)
    doc_files = files.documentation_pages(inclusion=inclusion)
    written: list[Path] = []

    # Generated pages whose inputs changed: the page cache knows what each one read.
    cache = served.cache
    build_key = render.build_key(config, nav, doc_files, plugin.catalog)
    digests = Digests(plugin.catalog, plugin.lastmod)
    stale = [index for index, spec in enumerate(new_rendered)
             if not cache.current(spec.src, digest(f"{build_key}\0"
                                                   f"{render.page_key(spec, plugin.changes)}"
                                                   .encode()), digests)]
    job = render.Job([new_rendered[i] for i in stale], [rendered_files[i] for i in stale], [],
                     config,
                     nav, doc_files, plugin.env, plugin.site, plugin.catalog, plugin.changes,
                     plugin.lastmod, cache)
    outcome = render.render_pages(job, build_key)
    reused = set(outcome.reused)
    written += [Path(rendered_files[i].abs_dest_path) for i in stale
                if Path(rendered_files[i].abs_dest_path) not in reused]
    entries = {spec.src: cache.entries[spec.src] for spec in new_rendered
               if spec.src not in outcome.entries}
    entries.update(outcome.entries)

    # The pages MkDocs renders (home, section indexes) and the theme's templates: few, and
    # the sitemap lists every page with its date.
    for spec in plugin.specs.values():
        file = files.get_file_from_path(spec.src)
        assert file is not None and file.page is not None
        _build_page(file.page, config, doc_files, nav, plugin.env)
        written.append(Path(file.abs_dest_path))
    for stale_part in site_dir.glob("sitemap-*.xml"):
        stale_part.unlink()
    for template in config.theme.static_templates:
        _build_theme_template(template, plugin.env, files, config, nav)
        written.append(site_dir / template)
    plugin._sitemap_languages(site_dir)  # the same steps, in the same order, as a full build
    sitemaps.split_sitemap(site_dir, plugin.site)
    written += list(site_dir.glob("sitemap*"))

    written += _sync_exports(site_dir, served, exports)
    written += _sync_search_index(plugin, served, site_dir)

    plugin._refuse_leaks(plugin.root, keys.scan_for_private_keys(sorted(set(written)),
                                                                 plugin.published_keys))
    cache.hold(entries, value_key(sorted(plugin.published_keys)))  # saved once quiet
    log.info(f"generated pages: {outcome.rendered:,} rendered, "
             f"{len(new_rendered) - outcome.rendered:,} unchanged")
    return len(set(written))


def _sync_exports(site_dir: Path, served: Served, exports: list[tuple[str, str]]) -> list[Path]:
    written = []
    for uri, text in exports:
        if served.made.get(uri) is text:
            continue  # the very text written last time (the memo's: `export_cache`)
        served.made[uri] = text
        data = text.encode("utf-8")
        name = digest(data)
        if served.exported.get(uri) != name:
            path = site_dir / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            served.exported[uri] = name
            written.append(path)
    return written


def _sync_search_index(plugin: CredcatPlugin, served: Served, site_dir: Path) -> list[Path]:
    """Make the index in memory (each credential's part kept in the plugin's memo), then
    write only the files whose bytes changed and remove those no longer made."""
    assert plugin.catalog is not None and plugin.memo is not None
    written = []
    now = {rel: (data, served.searched[rel] if served.made.get(rel) is data else digest(data))
           for rel, data in search_index.index_files(plugin.catalog, plugin.memo).items()}
    for rel, (data, name) in now.items():
        served.made[rel] = data
        if served.searched.get(rel) != name:
            path = site_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic_bytes(path, data)
            written.append(path)
    for rel in served.searched.keys() - now.keys():
        (site_dir / rel).unlink(missing_ok=True)
    served.searched = {rel: name for rel, (_, name) in now.items()}
    return written
