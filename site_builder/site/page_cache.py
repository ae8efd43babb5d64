"""The rendered-page cache: an unchanged page is copied from the last build, not rendered.

A page is reused only when everything it was made from is unchanged:

- the build as a whole (`build_key`): credcat's own code, the versions of MkDocs, Jinja and
  Markdown, every theme file, `mkdocs.yml`, the navigation, the build date the footer shows
  and the dates the sitemap and feeds use;
- the page's own inputs (`page_key`): its template, title and context values, with each
  catalog entry in them named by kind and id;
- every catalog entry the page read while it was rendered (`recording`), each by a digest of
  its own content (`Digests`). Reads are recorded at the model classes themselves, so what a
  template, a filter or a helper function reads all counts, however deep it goes.

The cache lives in `.cache/credcat/` beside `mkdocs.yml` (ignored by Git). Every file is
written whole or not at all (`files.write_atomic_bytes`); page contents are stored under
their own hash, and the index that points at them is replaced last, so a crash leaves either
the old cache or the new one. A cache folder that is a link leading out of the project is not
used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from site_builder.catalog.model import (
    Catalog,
    Credential,
    Issuer,
    Occupation,
    Pathway,
    Skill,
    Text,
)
from site_builder.catalog.safe_files import outside
from site_builder.files import write_atomic_bytes

CACHE_DIR = Path(".cache") / "credcat"
# Bumped when the cache's layout changes: an older index is then ignored, not misread.
FORMAT = 2
ENTITIES: tuple[type, ...] = (Catalog, Credential, Issuer, Occupation, Pathway, Skill)
Dep = str  # "Kind:id", e.g. "Credential:data-literacy"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def entity_name(obj: Any) -> Dep:
    if isinstance(obj, Catalog):
        return "Catalog:"
    if isinstance(obj, Occupation):
        return f"Occupation:{obj.code}"
    return f"{type(obj).__name__}:{obj.id}"


# The exact types most context values have, answered before the general tests below (a
# `serve` rebuild encodes every page's context, 240,000 values at 10,000 credentials).
_PLAIN = frozenset({str, int, bool, float, type(None)})
_ENTITY_TYPES = frozenset(ENTITIES)


def _encode(value: Any, out: list[str]) -> None:
    """A stable text form of a context value: catalog entries by name, the rest in full."""
    kind = type(value)
    if kind in _PLAIN:
        out.append(repr(value))
    elif kind in _ENTITY_TYPES or isinstance(value, ENTITIES):
        out.append(f"<{entity_name(value)}>")
    elif (kind is not dict and dataclasses.is_dataclass(value)
          and not isinstance(value, type)):
        out.append(f"{type(value).__name__}(")
        for f in dataclasses.fields(value):
            out.append(f"{f.name}=")
            _encode(getattr(value, f.name), out)
            out.append(",")
        out.append(")")
    elif isinstance(value, dict):
        out.append("{")
        for key, item in value.items():
            _encode(key, out)
            out.append(":")
            _encode(item, out)
            out.append(",")
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for item in value:
            _encode(item, out)
            out.append(",")
        out.append("]")
    elif isinstance(value, Text):  # its str is the default language's text only
        out.append(f"Text({value!r},{sorted(value.translations.items())!r})")
    elif value is None or isinstance(value, str | int | float | bool | Decimal | Enum):
        out.append(repr(value))
    elif hasattr(value, "isoformat"):
        out.append(value.isoformat())
    else:
        # Anything else has no stable form known here: a page holding it is never reused.
        raise TypeError(f"no stable form for {type(value).__name__}")


def value_key(*values: Any) -> str:
    out: list[str] = []
    for value in values:
        _encode(value, out)
        out.append("\n")
    return digest("".join(out).encode("utf-8"))


class RecordedDates(dict[str, str]):
    """Dates by catalog id (the sitemap's `lastmod`) whose reads a page's key records: a
    page that reads one date depends on that date only, one that lists them on all."""

    def get(self, key: str, default: Any = None) -> Any:
        _note(f"Date:{key}")
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        _note(f"Date:{key}")
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        _note(f"Date:{key}")
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        _note("Date:*")
        return super().__iter__()

    def __len__(self) -> int:
        _note("Date:*")
        return super().__len__()

    def keys(self) -> Any:
        _note("Date:*")
        return super().keys()

    def values(self) -> Any:
        _note("Date:*")
        return super().values()

    def items(self) -> Any:
        _note("Date:*")
        return super().items()


class Digests:
    """The current content digest of each catalog entry, computed once per catalog on demand.

    An entry's digest covers its fields in full (`repr` of a model dataclass leaves out the
    back-references and an issuer's keys; catalog text is shown with its translations), the
    names of the entries its back-references hold, in order, and its keys in full.

    The digests of one catalog object's entries are shared by every `Digests` made for it:
    a build or a `serve` rebuild looks pages up, renders the stale ones, records what they
    read and keeps exports (`export_cache`), and each step would otherwise hash every entry
    again. The model is read-only once loaded, so a digest stays right for the life of its
    catalog. Dates are this object's own.

    Each digest also notes the entries it read (those shown inside the entry's `repr`, those
    its references name), so that a `serve` rebuild hashes again only the entries an edit can
    have changed (`carry`).
    """

    _shared: tuple[weakref.ref[Catalog], dict[Dep, str | None],
                   dict[Dep, frozenset[Dep]]] | None = None

    def __init__(self, catalog: Catalog, dates: dict[str, str]) -> None:
        self.catalog = catalog
        self.dates = dict.copy(dates)  # not through RecordedDates, which notes reads
        self._dated: dict[Dep, str | None] = {}
        shared = Digests._shared
        if shared is None or shared[0]() is not catalog:
            shared = Digests._shared = (weakref.ref(catalog), {}, {})
        self._known, self._reads = shared[1], shared[2]

    def __getitem__(self, name: Dep) -> str | None:
        known = self._dated if name.startswith("Date:") else self._known
        if name not in known:
            known[name] = self._compute(name)
        return known[name]

    def match(self, recorded: Mapping[Dep, str | None]) -> bool:
        """Whether every entry named in `recorded` still has the digest recorded for it."""
        # Compared as dict views first, without a call per entry: a `serve` rebuild checks
        # every page and every kept export, 600,000 digests at 10,000 credentials. A digest
        # not worked out yet (or a date's) is then worked out and compared the slow way.
        return recorded.items() <= self._known.items() or all(
            self[dep] == value for dep, value in recorded.items())

    def carry(self, catalog: Catalog, edited: set[Dep]) -> Digests:
        """The digests of `catalog`, this one's catalog after the entries named in `edited`
        were edited (their files, or the files they are made from, changed), taking this
        one's digests for the entries no edit reached.

        An entry's digest can change only if the entry was edited, if an entry it read
        changed, or if a changed entry now names it (a credential that names another
        issuer joins that issuer's list): each of those is hashed again, and so on from
        every digest that did change. Every other digest is this one's.
        """
        new = Digests(catalog, self.dates)
        readers: dict[Dep, set[Dep]] = {}
        for name, reads in self._reads.items():
            for read in reads:
                readers.setdefault(read, set()).add(name)
        pending, seen = list(edited), set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            if new[name] != self._known.get(name, "") or name in edited:
                pending += readers.get(name, ())
                pending += new._reads.get(name, ())
                pending += self._reads.get(name, ())
        for name, value in self._known.items():
            if name not in seen and name in self._reads:
                new._known[name] = value
                new._reads[name] = self._reads[name]
        return new

    def _compute(self, name: Dep) -> str | None:
        kind, _, key = name.partition(":")
        catalog = self.catalog
        if kind == "Date":
            return value_key(self.dates if key == "*" else self.dates.get(key))
        if kind == "Catalog":
            rates = catalog.exchange_rates
            return value_key([list(catalog.issuers), list(catalog.credentials),
                              list(catalog.pathways), list(catalog.skills),
                              list(catalog.occupations)], repr(catalog.keys), repr(rates))
        table: dict[str, Any] = {"Credential": catalog.credentials, "Issuer": catalog.issuers,
                                 "Pathway": catalog.pathways, "Skill": catalog.skills,
                                 "Occupation": catalog.occupations}.get(kind, {})
        obj = table.get(key)
        if obj is None:
            return None
        # Back-references name catalog entries; other fields left out of repr (an issuer's
        # keys) are values, kept whole.
        back = [[entity_name(item) if isinstance(item, ENTITIES) else repr(item)
                 for item in _as_list(getattr(obj, f.name))]
                for f in dataclasses.fields(obj) if not f.repr]
        reads: set[Dep] = set()
        with _translations_shown(), _reprs_noted(reads):
            text = repr(obj)
        reads.update(entity_name(item) for f in dataclasses.fields(obj) if not f.repr
                     for item in _as_list(getattr(obj, f.name)) if isinstance(item, ENTITIES))
        reads.discard(name)
        self._reads[name] = frozenset(reads)
        return digest(f"{text}\n{back!r}".encode())


def _text_repr(text: Text) -> str:
    return f"Text({str.__repr__(text)},{sorted(text.translations.items())!r})"


@contextmanager
def _reprs_noted(into: set[Dep]) -> Iterator[None]:
    """While open, the `repr` of a catalog entry notes the entry's name in `into`."""
    originals = {cls: cls.__dict__["__repr__"] for cls in ENTITIES if cls is not Catalog}

    def noted(original: Any) -> Any:
        def __repr__(self: Any) -> str:
            into.add(entity_name(self))
            return str(original(self))
        return __repr__

    for cls, original in originals.items():
        cls.__repr__ = noted(original)  # type: ignore[method-assign]
    try:
        yield
    finally:
        for cls, original in originals.items():
            cls.__repr__ = original  # type: ignore[method-assign]


@contextmanager
def _translations_shown() -> Iterator[None]:
    """`repr` shows a `Text` as its default-language string, so a change to a translation
    alone would go unseen; while open, it shows every translation. (One `repr` of the entry
    is several times faster than walking its fields for translations in Python.)"""
    Text.__repr__ = _text_repr  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        del Text.__repr__


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# -- recording what a render reads ------------------------------------------------------------

_touched: dict[int, Any] | None = None
_noted: set[Dep] = set()


def _note(name: Dep) -> None:
    if _touched is not None:
        _noted.add(name)


def _recording_getattribute(self: Any, name: str) -> Any:
    if _touched is not None:
        _touched[id(self)] = self
    return object.__getattribute__(self, name)


@contextmanager
def recording() -> Iterator[None]:
    """While open, every attribute read on a catalog entry is noted (see `touched`)."""
    for cls in ENTITIES:
        cls.__getattribute__ = _recording_getattribute  # type: ignore[method-assign]
    try:
        yield
    finally:
        for cls in ENTITIES:
            del cls.__getattribute__


@contextmanager
def touched() -> Iterator[set[Dep]]:
    """The names of the catalog entries read inside the block, filled in when it ends."""
    global _touched
    names: set[Dep] = set()
    _touched = {}
    _noted.clear()
    try:
        yield names
    finally:
        seen, _touched = _touched, None
        names.update(entity_name(obj) for obj in seen.values())
        names.update(_noted)


# -- the store --------------------------------------------------------------------------------

@dataclasses.dataclass
class Entry:
    key: str  # build_key and page_key together
    deps: dict[Dep, str]
    content: str  # digest of the page's bytes, also its file name under objects/


class PageCache:
    """Pages of the last build, by source path; `entries` is replaced by `hold` and `save`."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR
        # Never follow a link out of the project: the cache would then be read from, and
        # written to, a place nobody reviewed.
        self.usable = not any(path.exists() and outside(path, root) for path in (
            self.folder, self.objects, self.folder / "index.json"))
        self.entries: dict[str, Entry] = {}
        # The public keys the stored pages were scanned for private keys with (a digest):
        # a page stored then and unchanged since need not be scanned again.
        self.scanned = ""
        if self.usable:
            self._load()

    @property
    def objects(self) -> Path:
        return self.folder / "objects"

    def _load(self) -> None:
        try:
            data = json.loads((self.folder / "index.json").read_bytes())
            if data.get("format") != FORMAT:
                return
            self.entries = {src: Entry(e["key"], e["deps"], e["content"])
                            for src, e in data["pages"].items()}
            self.scanned = str(data["scanned"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.entries, self.scanned = {}, ""

    def current(self, src: str, key: str, digests: Digests) -> bool:
        """Whether the page for `src` was last made from the same inputs as now (a `serve`
        rebuild keeps such a page where the site has it)."""
        entry = self.entries.get(src)
        return (entry is not None and bool(entry.content) and entry.key == key
                and digests.match(entry.deps))

    def lookup(self, src: str, key: str, digests: Digests) -> Path | None:
        """The cached page for `src`, if it was made from the same inputs as now."""
        if not self.current(src, key, digests):
            return None
        path = self.objects / self.entries[src].content
        return path if path.is_file() and not path.is_symlink() else None

    def store_content(self, data: bytes) -> str:
        name = digest(data)
        path = self.objects / name
        if self.usable and not path.exists():
            try:
                write_atomic_bytes(path, data)
            except OSError:
                # A cache that cannot be written (a read-only checkout) only costs time.
                self.usable = False
        return name

    def hold(self, entries: dict[str, Entry], scanned: str) -> None:
        """Replace the index in memory only; `save` writes it.

        Called once the pages were scanned for private keys with `scanned` and none was found.
        Until it is saved, the index on disk is an older one, which names only page contents
        still kept (those are removed only once an index that no longer names them is saved).
        """
        self.entries, self.scanned = entries, scanned

    def save(self, entries: dict[str, Entry], scanned: str) -> None:
        """Replace the index, then drop page contents no entry names any more (see `hold`)."""
        self.hold(entries, scanned)
        if not self.usable:
            return
        try:
            self._save()
        except OSError:
            self.usable = False

    def _save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        pages = {src: {"key": entry.key, "deps": entry.deps, "content": entry.content}
                 for src, entry in self.entries.items()}
        index = {"format": FORMAT, "scanned": self.scanned, "pages": pages}
        write_atomic_bytes(self.folder / "index.json", json.dumps(index).encode("utf-8"))
        keep = {entry.content for entry in self.entries.values()}
        if self.objects.is_dir():
            for path in self.objects.iterdir():
                if path.name not in keep:
                    path.unlink(missing_ok=True)


def tree_digest(*folders: Path) -> str:
    """One digest of every file under `folders`: names and bytes."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                path = Path(dirpath, name)
                h.update(f"{path.relative_to(folder).as_posix()}\0".encode())
                h.update(digest(path.read_bytes()).encode())
    return h.hexdigest()
