"""The template path to RDFC-1.0 N-Quads (site_builder/credentials/rdfc.py) against references.

Two references from outside the code under test: the W3C RDF Dataset Canonicalization test
suite (tests/w3c_rdfc/, see its README) for the canonicalization itself, and pyld's general
path (JSON-LD to RDF, then pyld's URDNA2015 with our work limits) for every document of a
corpus: the shared vectors, the W3C EdDSA vectors and credentials of the example catalog with
hostile learner data. Each corpus document is canonicalized through a template learnt from a
sibling of the same shape, so the filling (not the learning) is what is compared.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pyld.canon import URDNA2015
from pyld.nquads import parse_nquads

from site_builder.credentials import proofs
from site_builder.credentials.contexts import context_files
from site_builder.credentials.issuing import Learner, build_credential
from site_builder.credentials.proofs import RDFC, ProofError, canonicalize
from site_builder.credentials.rdfc import Templates, canonical_quads, dataset_quads
from site_builder.publishing.project import Project

from .conftest import ISSUER, REPO

W3C = REPO / "tests" / "w3c_rdfc"
# Cases of the W3C suite run here: RDFC-1.0 with SHA-256 (the EdDSA suites' hash).
W3C_CASES = [row for row in csv.DictReader((W3C / "manifest.csv").open(encoding="utf-8"))
             if row["rdfc10"] == "TRUE" and not row["hashAlgorithm"]]
# pyld writes literals with only \\ \t \n \r and \" escaped, where RDFC-1.0 also escapes \b,
# \f and the other control characters as \uXXXX; the template path follows pyld, which stays
# the reference for every signature this catalog checks.
PYLD_ESCAPING = {"test060"}


def _w3c_input(case: str) -> dict[str, list[dict[str, Any]]]:
    return parse_nquads((W3C / f"{case}-in.nq").read_text(encoding="utf-8"))


@pytest.mark.parametrize("row", W3C_CASES, ids=[row["test"] for row in W3C_CASES])
def test_w3c_canonicalization_suite(row: dict[str, str]) -> None:
    """The short road's answer, or where it declines, the general path's (what `canonicalize`
    does), is the suite's expected output."""
    case = row["test"]
    got = canonical_quads(dict.fromkeys(dataset_quads(_w3c_input(case))))
    if got is None:
        got = proofs._canonical_nquads(_w3c_input(case)).encode("utf-8")
    expected = (W3C / f"{case}-rdfc10.nq").read_bytes()
    if case in PYLD_ESCAPING:
        expected = URDNA2015().main(_w3c_input(case), {"format": "application/n-quads"}).encode()
    assert got == expected


def test_w3c_suite_is_mostly_taken_by_the_short_road() -> None:
    """Most cases must be canonicalized here, or the suite above would skip its way to green."""
    taken = [row["test"] for row in W3C_CASES
             if canonical_quads(dict.fromkeys(dataset_quads(_w3c_input(row["test"]))))]
    assert len(taken) >= 30, taken


def test_w3c_poison_clique_is_left_to_the_general_path() -> None:
    assert canonical_quads(dict.fromkeys(dataset_quads(_w3c_input("test074")))) is None


# --- the corpus --------------------------------------------------------------------------------


def _unsigned(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "proof"}


def _proof_config(document: dict[str, Any]) -> dict[str, Any] | None:
    proof = document.get("proof")
    if not isinstance(proof, dict) or "@context" not in document:
        return None
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    return {**config, "@context": document["@context"]}


def _json_files() -> Iterator[tuple[str, Any]]:
    for folder in (REPO / "tests" / "vectors", REPO / "tests" / "w3c_vectors"):
        for path in sorted(folder.rglob("*.json")):
            try:
                yield str(path.relative_to(REPO)), json.loads(path.read_text("utf-8-sig"))
            except (ValueError, RecursionError):
                continue


HOSTILE_NAMES = [
    'Ana "Quoted" O\'Neil', "Back\\slash", "Line\nbreak\r\ttab", "nul\x00bell\x07",
    "line\u2028separator\u0085next", "Zoë Ñúñez 李小龍 🎓", "", " ", "_:b0", "<http://x>",
    "urn:uuid:1", "@id", "lone \ud800 surrogate", "x" * 5000,
]


def _map_texts(value: Any, change: Callable[[str], str], key: str = "") -> Any:
    """Every string outside keywords, `type` and `@context` changed (ids keep their prefix)."""
    if isinstance(value, dict):
        return {k: v if k.startswith("@") else _map_texts(v, change, k)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_map_texts(item, change, key) for item in value]
    if isinstance(value, str) and key != "type":
        if key == "id":
            return value + "-sibling" if ":" in value else value
        return change(value)
    return value


def _catalog_credentials() -> Iterator[tuple[str, dict[str, Any]]]:
    project = Project.from_config(REPO / "mkdocs.yml")
    catalog = project.require()
    credential = next(c for c in sorted(catalog.credentials.values(), key=lambda c: c.id)
                      if c.issuer.id == ISSUER and c.active)
    for n, name in enumerate(HOSTILE_NAMES):
        document = build_credential(project.site, credential,
                                    Learner(name, f"learner{n}@example.org"),
                                    datetime(2026, 1, 1, tzinfo=UTC))
        yield f"catalog credential, learner {name[:20]!r}", document
        # The same name everywhere a text goes: look-alike blank nodes, merged values.
        yield f"catalog credential, every text {name[:20]!r}", _map_texts(
            document, lambda _text, name=name: name)
    document = build_credential(project.site, credential, Learner("Ana", "a@example.org"),
                                datetime(2026, 1, 1, tzinfo=UTC))
    for value in ("did:web:other.example", "https://a.example/x", "ob:Thing", "relative/x",
                  "_:b1", "urn:uuid:0b6c0d2e-5f0e-4a0e-9c0a-3b1d8c1f2a7e", "mailto:a@b"):
        yield f"catalog credential, id {value!r}", {**document, "id": value}


def corpus() -> Iterator[tuple[str, dict[str, Any]]]:
    for name, value in _json_files():
        if isinstance(value, dict):
            yield name, _unsigned(value)
            config = _proof_config(value)
            if config is not None:
                yield f"{name} (proof)", config
    yield from _catalog_credentials()


CORPUS = list(corpus())


_NUMBERS = itertools.count()
SIBLINGS: dict[str, Callable[[str], str]] = {
    # Every text changed, each differently: look-alikes of the document are told apart here.
    "numbered texts": lambda text: f"{text} #{next(_NUMBERS)}",
    "other texts": lambda text: f"other {text[::-1]}",
    # Only prose changed, as between two learners' credentials; IRIs, dates and terms stay.
    "other prose": lambda text: f"{text} (other)" if " " in text else text,
}


def _general(document: dict[str, Any]) -> bytes | str:
    try:
        dataset = proofs._to_dataset(document, "credential")
        return proofs._canonical_nquads(dataset).encode("utf-8")
    except Exception as err:
        return f"error: {type(err).__name__}"


@pytest.mark.parametrize("sibling", [
    "numbered texts",
    pytest.param("other texts", marks=pytest.mark.slow),
    pytest.param("other prose", marks=pytest.mark.slow),
])
@pytest.mark.parametrize(("name", "document"), CORPUS, ids=[name for name, _ in CORPUS])
def test_template_path_equals_the_general_path(name: str, document: dict[str, Any],
                                               sibling: str) -> None:
    templates = Templates(proofs._canonical_nquads)
    learner = _map_texts(document, SIBLINGS[sibling])
    for _time in range(2):  # a shape is learnt the second time it is met
        with contextlib.suppress(Exception):
            templates.canonicalize(learner, lambda d: proofs._to_dataset(d, "credential"))
    try:
        got: bytes | str = templates.canonicalize(
            document, lambda d: proofs._to_dataset(d, "credential"))
    except Exception as err:
        got = f"error: {type(err).__name__}"
    assert got == _general(document)


def test_the_template_path_is_taken_for_most_of_the_corpus() -> None:
    """Counted by whether pyld runs at all; without this the test above could pass vacuously."""
    taken = 0
    for _name, document in CORPUS:
        templates = Templates(proofs._canonical_nquads)
        calls = []

        def to_dataset(d: dict[str, Any], calls: list[int] = calls) -> Any:
            calls.append(1)
            return proofs._to_dataset(d, "credential")

        sibling = _map_texts(document, SIBLINGS["other prose"])
        try:
            templates.canonicalize(sibling, to_dataset)
            templates.canonicalize(sibling, to_dataset)
        except Exception:
            continue
        calls.clear()
        try:
            templates.canonicalize(document, to_dataset)
        except Exception:
            continue
        taken += not calls
    assert taken >= len(CORPUS) // 2, (taken, len(CORPUS))


def test_a_credential_and_its_siblings_share_one_template() -> None:
    """The shape of an issued credential, with the learner, dates and the credential's own id
    changing, is learnt once, when met a second time: the next credentials never reach pyld."""
    templates = Templates(proofs._canonical_nquads)
    calls = []

    def to_dataset(d: dict[str, Any]) -> Any:
        calls.append(1)
        return proofs._to_dataset(d, "credential")

    documents = [document for name, document in CORPUS if name.startswith(
        "catalog credential, learner") and "surrogate" not in name]
    templates.canonicalize(documents[0], to_dataset)
    templates.canonicalize(documents[1], to_dataset)
    learnt = len(calls)
    assert learnt == 4  # met once (1 run of pyld), then learnt (the document and two templates)
    for document in documents[2:]:
        assert templates.canonicalize(document, to_dataset) == _general(document)
    assert len(calls) == learnt


def test_lone_surrogate_still_refused_through_a_template() -> None:
    documents = [document for name, document in CORPUS if name.startswith(
        "catalog credential, learner")]
    canonicalize(documents[0], RDFC)
    canonicalize(documents[1], RDFC)  # the shape is learnt now
    surrogate = next(d for n, d in CORPUS if "surrogate" in n and "learner" in n)
    with pytest.raises(ProofError, match="canonical form"):
        canonicalize(surrogate, RDFC)


def test_bundled_contexts_define_no_index_containers() -> None:
    """Equal values are merged when a template is filled; pyld keeps them apart only when they
    differ in @index, and shapes naming @index get no template. A bundled context that used
    an @index container would bring that case in unseen."""
    for path in context_files().values():
        assert "@index" not in path.read_text(encoding="utf-8"), path.name


def test_process_context_cache_is_not_reached_by_a_documents_own_context() -> None:
    """A document's inline context cannot change what the next document expands to."""
    plain = next(document for name, document in CORPUS if name.startswith(
        "catalog credential, learner"))
    expected = canonicalize(plain, RDFC)
    hostile = {**plain, "@context": [*plain["@context"], {"name": "https://evil.example/name"}]}
    with contextlib.suppress(ProofError):
        canonicalize(hostile, RDFC)
    assert canonicalize(plain, RDFC) == expected
