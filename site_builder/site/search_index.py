"""The site's search index: small JSON files, written from the catalog model, sharded so that a
search downloads only the parts it needs.

Why not Pagefind any more (measured with `bench/browse.py`, docs/benchmarks.md): every Pagefind
search loads its WebAssembly and loader (95 KiB gzip, before any data) and its page list, one
entry per page (62 KiB at 10,000 credentials, about 620 KiB at 100,000), whole; so a first
result cannot cost less than about 160 KiB at 10,000 credentials or 700 KiB at 100,000, and
splitting the index by a facet does not help a search without that facet, which must load every
part's page list. Here nothing grows with the catalog except the files a search names:

- `meta.json`: how many credentials, how many of them are active (active ones are numbered
  first, so "active first" and "hide retired" need no data), the sizes below;
- `words/<first letters>_.json`: for each word starting with those three letters (four or more
  where three would make a big file), the credentials that contain it: a search fetches one
  file per word typed (or, for a short word that begins many, the files under it);
- `filters/<hash of facet=value>.json`: the credentials with that filter value (one file per
  value ticked);
- `docs/<n>.json`: what a result shows, for a block of consecutive credentials.

Credential lists are sorted numbers stored as gaps, which gzip (as every static host serves
JSON) shrinks to a few bits each. Words are matched by prefix, every word must match, and a
word in the name, skills or occupations ranks above one in the description (see `words`).
The browser side is `templates/theme/js/search/engine.js`; both sides split text into words
with `words` and name filter files with `filter_file`, and `tests/test_search_index.py` holds
them to the same answers.
"""

from __future__ import annotations

import bisect
import json
import re
import shutil
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.catalog.model import Catalog, Credential, ExchangeRates, text_in
from site_builder.site import facets, presentation
from site_builder.site.export_cache import EntryMemo
from site_builder.site.localize import other_languages, resolved
from site_builder.urls import SEARCH_INDEX, language_root

SEARCH_DIR = SEARCH_INDEX
FORMAT = 1
# A word file holds every indexed word that starts with these many letters (shorter words
# have files of their own): short enough that a typed word names one file, long enough that
# no file holds much of the catalog.
PREFIX = 3
# A word file bigger than this once gzipped is split by one more letter (`con` into `conf`,
# `conv`, ...; `con` itself keeps a file of its own).
SHARD_BYTES = 24 * 1024
# Results shown per block file: a screen of 10 results fetches at most 10 small files.
BLOCK = 16
# A word's two lists: credentials with it in their name, skills or occupations ("what it is
# for", ranked higher), and those with it only elsewhere.
KEY, TEXT = 0, 1

# A word: letters and digits, with inner dots, hyphens and apostrophes kept (15-2051.01,
# data-driven, learner's). Same as WORD in engine.js: `[^\W_]` is Python's `[\p{L}\p{N}]`.
_WORD = re.compile(r"[^\W_]+(?:[.\-'\u2019][^\W_]+)*")
_JOINERS = re.compile(r"[.\-'\u2019]")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


def fold(text: str) -> str:
    """Lowercased, with accents and other marks taken off (`Québec` -> `quebec`): visitors
    type words with and without them, and catalogs in French or Spanish are full of them.
    The same as `fold` in engine.js: NFKD, then no character of category Mn."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def words(text: str) -> set[str]:
    """The words of a text as the index stores them: folded (`fold`); a word with inner
    punctuation both whole, without the punctuation (`15205101`), and by its parts."""
    found = set(_WORD.findall(fold(text)))
    for word in [w for w in found if not w.isalnum()]:
        found.discard(word)
        found.add(_JOINERS.sub("", word))
        found.update(_JOINERS.split(word))
    return found


def shard_file(prefix: str) -> str:
    """A word file's name: the words' first letters, then `_`, since Windows cannot write a
    file named after a device (`con.json`, `aux.json`), and "continue" begins with "con"."""
    return f"{prefix}_.json"


Group = dict[str, list[list[int]]]


def too_big(group: Group) -> bool:
    """Whether a word file would be over SHARD_BYTES as a host serves it (gzip; zlib's
    deflate at the same level is within a few bytes)."""
    text = json.dumps(group, ensure_ascii=False, separators=(",", ":")).encode()
    return len(text) > SHARD_BYTES and len(zlib.compress(text, 6)) > SHARD_BYTES


def shards(entries: Group) -> tuple[dict[str, Group], dict[str, list[str]]]:
    """Words grouped by first letters; and each prefix split because its group was too big,
    with the longer prefixes it was split into. A word no longer than a split prefix stays in
    that prefix's file; engine.js follows the split prefixes to a typed word's file, or, for
    a word that is a split prefix itself, reads every file under it."""
    pending: dict[str, Group] = {}
    for word, entry in entries.items():
        pending.setdefault(word[:PREFIX], {})[word] = entry
    done: dict[str, Group] = {}
    split: dict[str, list[str]] = {}
    while pending:
        prefix, group = pending.popitem()
        longer = {w: e for w, e in group.items() if len(w) > len(prefix)}
        if not longer or not too_big(group):
            done[prefix] = group
            continue
        if len(longer) < len(group):
            done[prefix] = {w: e for w, e in group.items() if len(w) <= len(prefix)}
        for word, entry in longer.items():
            pending.setdefault(word[:len(prefix) + 1], {})[word] = entry
        split[prefix] = sorted({w[:len(prefix) + 1] for w in longer})
    return done, dict(sorted(split.items()))


def fnv1a(text: str) -> str:
    """FNV-1a, 32 bits, of the text in UTF-8, as 8 hex digits: a hash a few lines of browser
    code compute the same (http://www.isthe.com/chongo/tech/comp/fnv/)."""
    digest = 0x811C9DC5
    for byte in text.encode():
        digest = ((digest ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{digest:08x}"


def filter_file(key: str, value: str) -> str:
    """The file name of a filter value, safe whatever the value holds."""
    return fnv1a(f"{key}={value}")


def gaps(numbers: Iterable[int]) -> list[int]:
    """Sorted numbers as the first and then the differences: small numbers, which gzip well."""
    out: list[int] = []
    previous = 0
    for number in numbers:
        out.append(number - previous)
        previous = number
    return out


def key_text(credential: Credential, language: str | None = None) -> str:
    """What the credential is for: its name, skills and the occupations it leads toward, in
    `language` (the default language's text where a field has no translation, as the page
    in that language shows it)."""
    parts = [credential.name, *(s.name for s in credential.skills)]
    for occupation, _ in presentation.occupations_toward(credential):
        parts += [occupation.title, occupation.code, *occupation.alternate_titles]
    return "\n".join(_in(parts, language))


def body_text(credential: Credential, language: str | None = None) -> str:
    """Everything else the page says about what is learned and assessed. Markdown link
    targets are not shown on the page, so they are not searched either."""
    parts = [credential.issuer.name, credential.summary, credential.description,
             *credential.learning_outcomes, credential.evaluation.narrative,
             *(via.name for _, via in presentation.occupations_toward(credential) if via)]
    return _LINK_TARGET.sub("]", "\n".join(_in(parts, language)))


def _in(texts: list[str], language: str | None) -> list[str]:
    return texts if language is None else [text_in(text, language) for text in texts]


def result_record(credential: Credential, language: str | None = None) -> dict[str, str]:
    """What one result shows, already worded as the credential page words it: in `language`,
    catalog text and our own words alike (None: the catalog's text as written, English words)."""
    words = {"language": language} if language is not None else {}
    record = {
        "id": credential.id,
        "title": credential.name,
        "issuer": credential.issuer.name,
        "type": presentation.label(credential.achievement_type, **words),
        "level": presentation.level_text(credential.level, **words),
        "workload": presentation.workload_text(credential.workload, **words),
        "cost": presentation.cost_text(credential.cost, **words),
        "participation": presentation.label(credential.participation, **words),
        "status": credential.status,
        "summary": credential.summary,
    }
    if not credential.cost.free and credential.cost.amount is not None:
        record["price"] = f"{credential.cost.amount} {credential.cost.currency}"
    return record if language is None else resolved(record, language)


@dataclass(frozen=True)
class _Entry:
    """What the index takes from one credential in one language."""

    key: frozenset[str]  # words of what it is for
    text: frozenset[str]  # words found only elsewhere
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # filter values, status left out
    result: dict[str, str] | None  # kept only under `serve`: a build writes it and lets go


def _entry(credential: Credential, rates: ExchangeRates | None, language: str,
           kept: bool) -> _Entry:
    key = words(key_text(credential, language))
    # Credentials are numbered active first: status needs no list.
    filters = tuple((name, tuple(dict.fromkeys(values))) for name, values
                    in facets.credential_filters(credential, rates).items() if name != "status")
    return _Entry(frozenset(key), frozenset(words(body_text(credential, language)) - key),
                  filters, result_record(credential, language) if kept else None)


@dataclass
class _Index:
    # word -> (credentials with it in KEY text, credentials with it only in TEXT), each list
    # in ascending order
    words: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)
    filters: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def add(self, number: int, entry: _Entry) -> None:
        for group, found in ((KEY, entry.key), (TEXT, entry.text)):
            for word in found:
                lists = self.words.get(word)
                if lists is None:
                    lists = self.words[word] = ([], [])
                lists[group].append(number)
        for name, values in entry.filters:
            for value in values:
                self.filters.setdefault((name, value), []).append(number)

    def replace(self, number: int, old: _Entry, new: _Entry) -> tuple[set[str],
                                                                       set[tuple[str, str]]]:
        """Credential `number` now gives `new` where it gave `old`: the words and filter
        values whose lists changed."""
        words: set[str] = set()
        for group, before, after in ((KEY, old.key, new.key), (TEXT, old.text, new.text)):
            for word in before - after:
                lists = self.words[word]
                lists[group].remove(number)
                if not lists[KEY] and not lists[TEXT]:
                    del self.words[word]
            for word in after - before:
                bisect.insort(self.words.setdefault(word, ([], []))[group], number)
            words |= before ^ after
        pairs_before, pairs_after = _pairs(old), _pairs(new)
        for pair in pairs_before - pairs_after:
            self.filters[pair].remove(number)
            if not self.filters[pair]:
                del self.filters[pair]
        for pair in pairs_after - pairs_before:
            bisect.insort(self.filters.setdefault(pair, []), number)
        return words, pairs_before ^ pairs_after


def _pairs(entry: _Entry) -> set[tuple[str, str]]:
    return {(name, value) for name, values in entry.filters for value in values}


@dataclass
class _Kept:
    """One language's index as the last `serve` rebuild left it, and its files: an edit
    changes the lists of a few words, and only the files holding those are made again."""

    ids: list[str]
    entries: list[_Entry]
    index: _Index
    # first PREFIX letters -> the word files of the words starting so, and their splits
    words: dict[str, tuple[dict[str, bytes], dict[str, list[str]]]] = field(default_factory=dict)
    filters: dict[tuple[str, str], tuple[str, bytes]] = field(default_factory=dict)
    filter_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    docs: dict[int, bytes] = field(default_factory=dict)


def ordered(catalog: Catalog) -> list[Credential]:
    """Active credentials first, then retired ones, each in id order: the order results
    come in when no words rank them."""
    return sorted(catalog.credentials.values(), key=lambda c: (not c.active, c.id))


def _json(data: object) -> bytes:
    # Keys sorted: words come from sets, whose order changes from run to run, and the same
    # catalog must give the same files (the page cache's tests compare builds byte for byte).
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


def build_search_index(catalog: Catalog, site_dir: Path, memo: EntryMemo | None = None) -> str:
    """Write `site_dir/search-index/`, and `site_dir/<code>/search-index/` for each other
    declared language (its words and results in that language, `urls.LANGUAGE_SECTIONS`);
    return a one-line summary of what the default language's holds. Under `serve`, what each
    credential gives is kept in `memo` for the rebuilds (`index_files`)."""
    languages = catalog.languages
    summary = ""
    for language in (*other_languages(languages), languages.default):
        files, summary = _files(catalog, language, memo)
        out = site_dir / language_root(language, languages.default) / SEARCH_DIR
        if out.exists():
            shutil.rmtree(out)
        for folder in ("words", "filters", "docs"):
            (out / folder).mkdir(parents=True)
        for rel, data in files.items():
            (out / rel).write_bytes(data)
    return summary


def index_files(catalog: Catalog, memo: EntryMemo) -> dict[str, bytes]:
    """Every file of every language's index, by site-relative path, as `build_search_index`
    writes them; what each credential gives is kept in `memo` (`credcat serve`)."""
    languages = catalog.languages
    found: dict[str, bytes] = {}
    for language in languages.codes:
        folder = language_root(language, languages.default) + SEARCH_DIR
        files, _ = _files(catalog, language, memo)
        found.update({f"{folder}/{rel}": data for rel, data in files.items()})
    return found


def _files(catalog: Catalog, language: str, memo: EntryMemo | None) -> tuple[dict[str, bytes],
                                                                              str]:
    credentials = ordered(catalog)
    rates = catalog.exchange_rates
    ids = [c.id for c in credentials]
    if memo is None:
        # A build: each credential's words go into the lists as they are found and are let
        # go, rather than held for every credential at once (at 100,000 credentials, their
        # sets were some 700 MiB at the end of the build, its peak).
        now = _Kept(ids, [], _Index())
        for number, credential in enumerate(credentials):
            now.index.add(number, _entry(credential, rates, language, False))
        prefixes, pairs = None, set(now.index.filters)
        blocks = set(range(-(-len(credentials) // BLOCK)))
        return _output(now, credentials, language, None, prefixes, pairs, blocks)
    # the rates are the catalog's, in its digest
    entries = [memo.value("search", language, c,
                          lambda c=c: _entry(c, rates, language, True), ("Catalog:",))
               for c in credentials]
    kept = memo.state(f"search:{language}", dict)
    before: _Kept | None = kept.get("index")
    if before is not None and before.ids == ids:
        now = before
        words: set[str] = set()
        pairs = set()
        changed = [n for n, (old, new) in enumerate(zip(before.entries, entries, strict=True))
                   if old is not new]
        for number in changed:
            more_words, more_pairs = now.index.replace(number, before.entries[number],
                                                       entries[number])
            words |= more_words
            pairs |= more_pairs
        now.entries = entries
        prefixes = {word[:PREFIX] for word in words}
        blocks = {number // BLOCK for number in changed}
    else:
        now = _Kept(ids, entries, _Index())
        for number, entry in enumerate(entries):
            now.index.add(number, entry)
        prefixes, pairs = None, set(now.index.filters)
        blocks = set(range(-(-len(credentials) // BLOCK)))
    kept["index"] = now
    return _output(now, credentials, language, entries, prefixes, pairs, blocks)


def _output(now: _Kept, credentials: list[Credential], language: str,
            entries: list[_Entry] | None, prefixes: set[str] | None,
            pairs: set[tuple[str, str]], blocks: set[int]) -> tuple[dict[str, bytes], str]:
    """The index's files, made again where `prefixes`, `pairs` and `blocks` say; result
    records come from `entries` when they were kept (`serve`), made here otherwise."""
    _write_words(now, prefixes)
    _write_filters(now, pairs)
    for block in blocks:
        start = block * BLOCK
        now.docs[block] = _json(
            [result_record(c, language) if entries is None else entries[n].result
             for n, c in enumerate(credentials[start:start + BLOCK], start=start)])
    out: dict[str, bytes] = {}
    split: dict[str, list[str]] = {}
    for files, splits in now.words.values():
        out.update(files)
        split.update(splits)
    out.update(dict(now.filters.values()))
    out.update({f"docs/{block}.json": data for block, data in now.docs.items()})
    active = sum(1 for c in credentials if c.active)
    out["meta.json"] = _json({"format": FORMAT, "count": len(credentials), "active": active,
                              "prefix": PREFIX, "split": dict(sorted(split.items())),
                              "block": BLOCK})
    word_files = sum(len(files) for files, _ in now.words.values())
    return out, (f"{len(credentials):,} credentials, {len(now.index.words):,} words in "
                 f"{word_files:,} files, {len(now.index.filters):,} filter values")


def _write_words(now: _Kept, prefixes: set[str] | None) -> None:
    """The word files of the words starting with each of `prefixes` (None: every word),
    made again from the lists (`shards` splits each prefix's group on its own)."""
    groups: dict[str, dict[str, list[list[int]]]] = {}
    for word, (in_key, in_text) in now.index.words.items():
        if prefixes is None or word[:PREFIX] in prefixes:
            groups.setdefault(word[:PREFIX], {})[word] = [gaps(in_key), gaps(in_text)]
    for prefix in prefixes if prefixes is not None else list(groups):
        if prefix not in groups:
            now.words.pop(prefix, None)  # no word starts so any more
            continue
        files, split = shards(groups[prefix])
        now.words[prefix] = ({f"words/{shard_file(p)}": _json(group)
                              for p, group in files.items()}, split)


def _write_filters(now: _Kept, pairs: set[tuple[str, str]]) -> None:
    """The files of the filter values in `pairs`, made again from the lists."""
    for pair in pairs:
        numbers = now.index.filters.get(pair)
        name = filter_file(*pair)
        if numbers is None:  # no credential has the value any more
            del now.filters[pair], now.filter_names[name]
            continue
        if now.filter_names.setdefault(name, pair) != pair:
            raise ValueError(f"search index: filters {now.filter_names[name]} and {pair} "
                             f"share the file name {name}")
        now.filters[pair] = (f"filters/{name}.json", _json(gaps(numbers)))
