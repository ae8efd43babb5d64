"""The search index files, read back as engine.js reads them, against the catalog model.

The browser side (engine.js) is exercised on the built example site by tests/test_browse.py
and tests/test_practitioner.py; here the files themselves, without a browser.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from site_builder.catalog.model import Catalog, Languages
from site_builder.publishing.project import Project
from site_builder.site import search_index
from site_builder.site.search_index import filter_file, fnv1a, words

from .conftest import REPO


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Project.from_config(REPO / "mkdocs.yml").require()


@pytest.fixture(scope="module")
def index(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    search_index.build_search_index(catalog, site)
    return site / search_index.SEARCH_DIR


def _numbers(gaps: list[int]) -> list[int]:
    out, at = [], 0
    for gap in gaps:
        at += gap
        out.append(at)
    return out


def _ids(index: Path) -> list[str]:
    """Credential ids by number, from the result blocks."""
    blocks = sorted((index / "docs").iterdir(), key=lambda p: int(p.stem))
    return [record["id"] for block in blocks for record in json.loads(block.read_text())]


def test_fnv1a_gives_the_reference_values() -> None:
    # From the FNV reference test suite (http://www.isthe.com/chongo/tech/comp/fnv/).
    assert fnv1a("") == "811c9dc5"
    assert fnv1a("a") == "e40c292c"
    assert fnv1a("foobar") == "bf9cf968"
    assert filter_file("level", "eqf-5") == fnv1a("level=eqf-5")


def test_words_keep_codes_and_hyphenated_words_whole_and_by_part() -> None:
    assert words("SQL for Data-Driven teams (O*NET-SOC 15-2051.01), learner\u2019s café") == {
        "sql", "for", "datadriven", "data", "driven", "teams", "o", "netsoc", "net", "soc",
        "15205101", "15", "2051", "01", "learners", "learner", "s", "cafe"}
    assert words("snake_case") == {"snake", "case"}


def test_words_are_found_with_or_without_accents() -> None:
    # Written by hand: what a visitor types without accents must meet the catalog's words.
    assert words("Québec, ÉCOLE naïve, compétences, Straße, ﬁle") == {
        "quebec", "ecole", "naive", "competences", "straße", "file"}


def test_credentials_are_numbered_active_first(catalog: Catalog, index: Path) -> None:
    meta = json.loads((index / "meta.json").read_text())
    ids = _ids(index)
    assert sorted(ids) == sorted(catalog.credentials)
    assert meta["count"] == len(ids)
    active = [c.id for c in catalog.credentials.values() if c.active]
    assert 0 < len(active) < len(ids), "the example catalog has a retired credential"
    assert meta["active"] == len(active) and set(ids[:len(active)]) == set(active)


def test_filter_files_hold_exactly_the_credentials_with_the_value(
        catalog: Catalog, index: Path) -> None:
    ids = _ids(index)
    levels = {f"eqf-{c.level.eqf}" for c in catalog.credentials.values() if c.level.eqf}
    assert len(levels) > 1
    for level in levels:
        listed = json.loads((index / "filters" / f"{filter_file('level', level)}.json")
                            .read_text())
        assert {ids[n] for n in _numbers(listed)} == {
            c.id for c in catalog.credentials.values() if c.level.eqf
            and f"eqf-{c.level.eqf}" == level}
    # Retired or not is the numbering: no status files.
    assert not (index / "filters" / f"{filter_file('status', 'active')}.json").exists()


def test_each_word_of_a_name_ranks_the_credential_by_its_name(
        catalog: Catalog, index: Path) -> None:
    ids = _ids(index)
    for credential in catalog.credentials.values():
        for word in re.findall(r"[a-z0-9]+", credential.name.lower()):
            shard = json.loads((index / "words" / f"{word[:3]}_.json").read_text())
            in_key, in_text = (_numbers(gaps) for gaps in shard[word])
            assert ids.index(credential.id) in in_key, (credential.id, word)
            assert ids.index(credential.id) not in in_text
    assert not (index / "words" / "zqx_.json").exists()


def test_a_big_word_file_is_split_by_one_more_letter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "too_big", lambda group: len(group) > 2)
    entries = {w: [[1], []] for w in (
        "con", "conv", "conversation", "conversations", "cont", "cat")}
    files, split = search_index.shards(entries)
    assert split == {"con": ["cont", "conv"], "conv": ["conve"]}
    assert {prefix: set(group) for prefix, group in files.items()} == {
        "con": {"con"}, "conv": {"conv"}, "conve": {"conversation", "conversations"},
        "cont": {"cont"}, "cat": {"cat"}}


def test_only_a_file_too_big_once_gzipped_is_split() -> None:
    # Every credential has these words: 100,000 numbers, each one more than the last.
    dense = {"activities": [[1] * 100_000, []], "active": [[], [1] * 100_000]}
    assert not search_index.too_big(dense)
    rng = random.Random(2026)
    scattered = {f"act{n}": [[rng.randint(1, 1000) for _ in range(5_000)], []]
                 for n in range(9)}
    assert search_index.too_big(scattered)


def _edited(tmp_path: Path, name: str, edits: dict[str, tuple[str, str]],
            languages: Languages) -> Catalog:
    """The example catalog, copied to `tmp_path/name` with text replaced in some files."""
    import shutil

    from site_builder.catalog.loader import load_catalog

    project = tmp_path / name
    shutil.copytree(REPO / "catalog", project / "catalog")
    shutil.copytree(REPO / "public_keys", project / "public_keys")
    for rel, (old, new) in edits.items():
        path = project / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    catalog, problems = load_catalog(project, languages=languages)
    assert not [p for p in problems if p.is_error], problems
    return catalog


def test_an_index_updated_after_edits_equals_one_made_anew(catalog: Catalog,
                                                           tmp_path: Path) -> None:
    """`serve` changes only the lists and files an edit reaches (`_Kept`): after edits that
    bring words no credential had, take the last use of others, and move a credential from
    one filter value to another, every file equals the one a fresh index writes."""
    from site_builder.site.export_cache import EntryMemo

    first = _edited(tmp_path, "first", {}, catalog.languages)
    then = _edited(tmp_path, "then", {
        "catalog/credentials/career-conversations-foundations.yaml":
            ("\nname: ", "\nname: Zyxwvut Qwertyuiop "),
        "catalog/credentials/job-search-coaching.yaml":
            ("\nparticipation: online", "\nparticipation: in-person"),
    }, catalog.languages)
    memo = EntryMemo()
    memo.start(first)
    search_index.index_files(first, memo)
    memo.start(then)
    updated = search_index.index_files(then, memo)
    fresh = EntryMemo()
    fresh.start(then)
    made_anew = search_index.index_files(then, fresh)
    assert sorted(updated) == sorted(made_anew)
    assert [rel for rel in made_anew if updated[rel] != made_anew[rel]] == []
    assert any("zyx" in rel for rel in updated), "the new words have no file"
    memo.start(first)  # and back: the words and the file of their letters go again
    back = search_index.index_files(first, memo)
    fresh = EntryMemo()
    fresh.start(first)
    assert back == search_index.index_files(first, fresh)
    assert not any("zyx" in rel for rel in back)
