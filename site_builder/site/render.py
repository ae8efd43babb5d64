"""Render the generated pages outside MkDocs' per-page pipeline.

A generated page has no Markdown: going through MkDocs' pipeline would cost it a Markdown
converter, the page events and a front-matter stub, for nothing. Like MkDocs' own search
plugin and mkdocs-material's blog plugin, the plugin lets MkDocs build the hand-written pages
and renders its own with the same Jinja environment, the same template context
(`mkdocs.commands.build.get_context`) and the same templates, so each page comes out as
MkDocs would have written it. Plugins' page events do not run for these pages.

Unchanged pages are copied from the cache (`page_cache`); the others are rendered on every
core in forked processes when there are enough of them to pay for the processes, each page
written as soon as it is rendered, so memory does not grow with the catalog.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import distributions
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from jinja2 import Environment
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_datetime

from site_builder.catalog.model import Catalog
from site_builder.credentials import keys
from site_builder.site import feeds
from site_builder.site.localize import install_language
from site_builder.site.minify import minify_html
from site_builder.site.page_cache import (
    Digests,
    Entry,
    PageCache,
    digest,
    touched,
    tree_digest,
    value_key,
)
from site_builder.site.page_cache import recording as recording_reads
from site_builder.site.pages import PageSpec, page_context
from site_builder.urls import Site

# Below this many pages to render, starting processes costs more than it saves.
PARALLEL_FROM = 64
CHUNK = 32


class RenderedFile(File):
    """A page of ours in MkDocs' file list: a link from a hand-written page to its source
    (`../credentials/data-literacy.md`) resolves to its address as before, but MkDocs
    neither renders it nor copies it: `render_pages` writes it."""

    def is_documentation_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        return None


def rendered_file(src: str, config: MkDocsConfig) -> RenderedFile:
    # The address MkDocs gives a Markdown page (`credentials/x.md` -> `credentials/x/`).
    dest_uri = File(src, None, config.site_dir, config.use_directory_urls).dest_uri
    return RenderedFile(src, None, config.site_dir, config.use_directory_urls,
                        dest_uri=dest_uri, inclusion=InclusionLevel.NOT_IN_NAV)


# Every generated page's table of contents: empty, and never changed once made.
_NO_TOC = get_toc([])


class Listed:
    """What the sitemap reads of a generated page, as MkDocs' `Page` has it (`canonical_url`,
    `abs_url`, `is_link`, `file`), made when the sitemap asks.

    The pages themselves are made one at a time as they are rendered (`make_page`), in the
    process rendering them. A `Page` for each generated page, held all build long, with its
    addresses and `meta`, was about a kilobyte a page (9.5 MiB at 10,000 credentials, by
    tracemalloc), and each process that rendered pages wrote to all of them (`page.active`),
    so each ended up with its own copy."""

    __slots__ = ("_base", "file")
    is_link = False

    def __init__(self, file: File, site_url: str | None) -> None:
        self.file = file
        self._base = site_url

    @property
    def canonical_url(self) -> str | None:
        if not self._base:
            return None
        return urljoin(self._base if self._base.endswith("/") else self._base + "/",
                       self.file.url)

    @property
    def abs_url(self) -> str | None:
        canonical = self.canonical_url
        return urlsplit(canonical).path if canonical else None


def make_page(spec: PageSpec, file: File, config: MkDocsConfig) -> Page:
    """A page as MkDocs' pipeline leaves it for a front-matter-only source: the title and
    template in `meta`, no content, an empty table of contents (one for all pages: it never
    changes)."""
    page = Page(spec.title, file, config)
    page.markdown = ""
    page.meta = {"title": spec.title, "template": spec.template}
    page.content = ""
    page.toc = _NO_TOC
    return page


@dataclass
class Job:
    """What rendering a page needs; forked workers inherit it."""

    specs: list[PageSpec]
    files: list[RenderedFile]  # each spec's file
    keys: list[str]  # filled in by render_pages
    config: MkDocsConfig
    nav: Navigation
    doc_files: Sequence[File]
    env: Environment
    site: Site
    catalog: Catalog
    changes: dict[str, feeds.Change]
    dates: dict[str, str]  # the env's `lastmod`, which records what each page reads
    cache: PageCache
    # The catalog's public keys, for the key scan of each page as it is written.
    published: frozenset[str] = frozenset()
    # The caller froze what it holds for the rest of the process (`gc.freeze`, a `build`):
    # rendering leaves it frozen rather than handing it back to the collector.
    frozen: bool = False


@dataclass
class Done:
    """What a batch of pages left: their cache entries, the files written and the private
    key material found in them (each page is scanned from the bytes written, so the site
    needs no second reading)."""

    entries: list[tuple[str, Entry]]
    written: list[Path]
    leaks: list[keys.Leak]


_job: Job | None = None
# The chunks of pages to render, and the number of the next one nobody has taken yet
# (a `multiprocessing.Value`, shared by the build and its workers).
_chunks: list[list[int]] = []
_next: Any = None


def page_key(spec: PageSpec, changes: dict[str, feeds.Change]) -> str:
    """What a page is made from besides the catalog entries it reads."""
    credential = spec.context.get("credential")
    change = changes.get(credential.id) if credential is not None else None
    return value_key(spec.src, spec.title, spec.template, spec.context, spec.language,
                     spec.entry, change.moment.date() if change else None)


def _render(job: Job, indices: Iterable[int]) -> Done:
    digests = Digests(job.catalog, job.dates)
    # Read before recording: the declared languages are in the build's key (mkdocs.yml), and
    # a read of the catalog itself would make every page depend on its whole list of entries.
    languages = job.catalog.languages
    done = Done([], [], [])
    with recording_reads():
        for index in indices:
            spec, file = job.specs[index], job.files[index]
            page = make_page(spec, file, job.config)
            try:
                with touched() as deps:
                    context = get_context(job.nav, job.doc_files, job.config, page)
                    context.update(page_context(spec, job.site, job.changes, languages))
                    install_language(job.env, spec.language)
                    page.active = True
                    output = job.env.get_template(spec.template).render(context)
            finally:
                file.page = None  # the page goes once rendered (see `Listed`)
            content = ""
            if output.strip():  # as MkDocs: an empty page is not written
                data = minify_html(output).encode("utf-8", errors="xmlcharrefreplace")
                dest = Path(file.abs_dest_path)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
                content = job.cache.store_content(data)
                done.written.append(dest)
                if (line := keys.find_private_keys(data, job.published)) is not None:
                    done.leaks.append(keys.Leak(dest, line))
            # Each page names some twenty entries and their digests, the same few thousand
            # strings over and over: one copy each, kept until the cache is saved.
            done.entries.append((spec.src, Entry(job.keys[index], {
                sys.intern(dep): sys.intern(digests[dep] or "") for dep in sorted(deps)},
                content)))
    return done


def _claim() -> list[int] | None:
    """The next chunk of pages nobody has taken, or None when all are taken."""
    with _next.get_lock():
        number = _next.value
        _next.value = number + 1
    return _chunks[number] if number < len(_chunks) else None


def _claimed(between: Callable[[], None]) -> Iterator[int]:
    """The build's own share: chunk after chunk, as long as any is left, calling `between`
    after each."""
    while (chunk := _claim()) is not None:
        yield from chunk
        between()


def _render_next(_task: int) -> Done:
    """In a worker: the next chunk nobody has taken (nothing once all are)."""
    assert _job is not None
    chunk = _claim()
    return _render(_job, chunk) if chunk is not None else Done([], [], [])


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@dataclass
class Outcome:
    rendered: int
    entries: dict[str, Entry]  # the cache's new index, saved by the caller
    reused: list[Path]  # pages copied from the cache
    written: list[Path]  # pages rendered and written, scanned for keys as they were
    leaks: list[keys.Leak]  # private key material found in them

    def add(self, done: Done, *, from_worker: bool = False) -> None:
        for src, entry in done.entries:
            if from_worker:  # its strings arrive as copies of their own (see `_render`)
                entry.deps = {sys.intern(dep): sys.intern(value)
                              for dep, value in entry.deps.items()}
            self.entries[src] = entry
        self.written += done.written
        self.leaks += done.leaks


def render_pages(job: Job, build_key: str) -> Outcome:
    """Write every page of `job`: copied from the cache when its inputs are unchanged,
    rendered otherwise."""
    global _job, _chunks, _next
    digests = Digests(job.catalog, job.dates)
    entries: dict[str, Entry] = {}
    reused: list[Path] = []
    misses = []
    for index, (spec, file) in enumerate(zip(job.specs, job.files, strict=True)):
        job.keys.append(digest(f"{build_key}\0{page_key(spec, job.changes)}".encode()))
        cached = job.cache.lookup(spec.src, job.keys[index], digests)
        if cached is None:
            misses.append(index)
            continue
        entry = job.cache.entries[spec.src]
        dest = Path(file.abs_dest_path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, dest)
        entries[spec.src] = entry
        reused.append(dest)
    cores = _cores()
    outcome = Outcome(len(misses), entries, reused, [], [])
    if len(misses) < PARALLEL_FROM or cores < 2:
        outcome.add(_render(job, misses))
        return outcome
    context = multiprocessing.get_context("fork")
    _job, _next = job, context.Value("i", 0)
    _chunks = [misses[start:start + CHUNK] for start in range(0, len(misses), CHUNK)]
    # fork: the workers share the loaded catalog and the compiled templates. Frozen, the
    # parent's objects are left out of the workers' garbage collections, which would
    # otherwise write to every one of them and so copy every page they sit on. With the
    # collector paused (`serve` rebuilds: `incremental.rebuild`) the workers collect
    # nothing either, and the objects an earlier freeze holds must stay frozen.
    freeze = gc.isenabled()
    if freeze:
        gc.freeze()
    try:
        # The build renders a share itself rather than wait: a page reads much of the
        # catalog, so each worker ends up with its own copy of the pages the catalog sits
        # on, and one worker fewer is one copy fewer (a catalog of 10,000 credentials is
        # about 150 MiB of them). Each process takes the next chunk nobody has taken when it
        # is ready for one: pages differ in cost (a skill's page lists thousands of
        # credentials at 100,000), and a share fixed beforehand left one process waiting
        # for the other at the end.
        with context.Pool(cores - 1) as pool:
            pending = pool.imap_unordered(_render_next, range(len(_chunks)))

            def take_finished() -> None:
                # What the workers finished is taken in as it comes, not left in the pool's
                # queue until the end, where at 100,000 credentials their cache entries,
                # each string a copy of its own, were half a gigabyte.
                while True:
                    try:
                        outcome.add(pending.next(timeout=0), from_worker=True)
                    except (multiprocessing.TimeoutError, StopIteration):
                        return

            outcome.add(_render(job, _claimed(take_finished)))
            for done in pending:
                outcome.add(done, from_worker=True)
    finally:
        if freeze and not job.frozen:
            gc.unfreeze()
        _job, _chunks, _next = None, [], None
    return outcome


# The settings a theme shows or links with; the rest of mkdocs.yml is in the key as bytes.
_CONFIG_SHOWN = ("site_name", "site_url", "site_description", "site_author", "copyright",
                 "repo_url", "repo_name", "edit_uri", "edit_uri_template", "use_directory_urls",
                 "extra", "extra_css", "extra_javascript")


def build_key(config: MkDocsConfig, nav: Navigation, doc_files: Sequence[File],
              catalog: Catalog) -> str:
    """What every page is made from, apart from its own inputs and the entries it reads.

    The date is the build's day: the footer shows the day the catalog was built, and a page
    built on another day is not reused.
    """
    return value_key(
        *_running_code(),
        tree_digest(*(Path(folder) for folder in config.theme.dirs)),
        digest(Path(config.config_file_path).read_bytes()) if config.config_file_path else "",
        # As the build sees them: `mkdocs serve` replaces site_url with its own address.
        [repr(config.get(name)) for name in _CONFIG_SHOWN],
        _nav_form(nav.items), nav.homepage.url if nav.homepage else None,
        [(f.src_uri, f.page.title if f.page else None) for f in doc_files],
        get_build_datetime().date(), repr(catalog.exchange_rates))


@cache
def _running_code() -> tuple[list[str], str]:
    """The installed packages and credcat's own code, read once per process: a process runs
    the code it imported, whatever changes on disk later, and reading every package's
    metadata again cost a tenth of a `credcat serve` rebuild at 1,000 credentials."""
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())
    return installed, tree_digest(Path(__file__).resolve().parents[1])


def _nav_form(items: Sequence[Any]) -> list[Any]:
    return [(type(item).__name__, item.title, getattr(item, "url", None),
             _nav_form(item.children or [])) for item in items]
