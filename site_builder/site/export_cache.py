"""What the published files derive from each catalog entry, kept across `credcat serve` rebuilds.

A `serve` rebuild after one credential edit writes the same exports as a full build, and
most of their work is per entry: the entry's record, comparison record, CTDL graph and
catalog.json item, the search index's words and filters. `EntryMemo` keeps each such value
under (what, language, entry) with the digests of every catalog entry it read while it was
made (recorded at the model classes, as the page cache records a page's reads: so an item
that shows an issuer's name is made again when that issuer changes). A value is reused only
when none of those digests changed; `Digests` hashes each entry once per catalog.

Whole files assembled from such values (a shard of records, say) are kept too, with the
values they were made from: a file whose values are all the very objects it was made from
last time has the same text, which is then not serialized again.

Only `serve` keeps one (`plugin.CredcatPlugin`), from one full build to the next: a one-off
build would record reads for nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from site_builder.catalog.model import Catalog
from site_builder.site.page_cache import Dep, Digests, entity_name, recording, touched

T = TypeVar("T")


class EntryMemo:
    def __init__(self) -> None:
        self._values: dict[tuple[str, str, Dep], tuple[dict[Dep, str | None], Any]] = {}
        self._texts: dict[str, tuple[tuple[Any, ...], str]] = {}
        self._digests: Digests | None = None
        self._states: dict[str, Any] = {}

    def start(self, catalog: Catalog) -> None:
        """Begin writing the exports of `catalog`. Everything else the values are made from
        (the site's address, the theme's messages) is fixed until the next full build, which
        starts a new memo (`plugin.CredcatPlugin.on_config`)."""
        # No dates: a value that reads one is not kept (`value`).
        self._digests = Digests(catalog, {})

    def value(self, what: str, language: str, entry: Any, make: Callable[[], T],
              also: Iterable[Dep] = ()) -> T:
        """`make()`, or what it returned last time if every entry it read, and each of
        `also` (what it reads outside the entries: `Catalog:` for the exchange rates), is
        unchanged."""
        digests = self._digests
        assert digests is not None, "start() first"
        key = (what, language, entity_name(entry))
        kept = self._values.get(key)
        if kept is not None and digests.match(kept[0]):
            return kept[1]
        with recording(), touched() as deps:
            made = make()
        deps.update(also)
        if any(dep.startswith("Date:") for dep in deps):
            self._values.pop(key, None)
        else:
            self._values[key] = ({dep: digests[dep] for dep in deps}, made)
        return made

    def text(self, path: str, parts: Iterable[Any], make: Callable[[], str]) -> str:
        """`make()`, or the text made last time for `path` if it was made from the very same
        `parts` (values from `value`, which are never changed once made)."""
        made_from = tuple(parts)
        kept = self._texts.get(path)
        if kept is not None and len(kept[0]) == len(made_from) and all(
                a is b for a, b in zip(kept[0], made_from, strict=True)):
            return kept[1]
        text = make()
        self._texts[path] = (made_from, text)
        return text

    def state(self, name: str, make: Callable[[], T]) -> T:
        """What the caller keeps under `name` between rebuilds (made by `make` the first
        time): a file assembled from many entries, say, and what it was made from
        (`search_index`). It lasts as long as the memo, until the next full build."""
        if name not in self._states:
            self._states[name] = make()
        return self._states[name]
