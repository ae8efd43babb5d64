"""RDFC-1.0 canonical N-Quads without re-running JSON-LD for credentials shaped like earlier ones.

Why: a catalog signs and verifies many credentials of one shape (same contexts, fields and
types; only names, dates, identifiers and other text differ), and turning each into RDF with
pyld is pure-Python work repeated for every document, most of the time a verification or an
issue took. The JSON-LD algorithms never look inside a string that becomes a literal: the same
position in the same shape always gives a literal with that text and the same datatype or
language. Nor inside an absolute IRI given as an `id`, as long as its prefix (the part before
the first colon) is not a term of the context. So each shape is turned into RDF once, with a
placeholder in every such position (a `Template`), and later documents of that shape only have
their texts and ids put in.

What counts as "the same shape" is deliberately strict: everything but those strings is part
of the key (keys and their order, numbers, booleans, nulls, `@context`, every value under a
keyword or `type`, an `id` that is not an absolute IRI, and the prefix of one that is). A
position is only filled in if pyld, given placeholders, put each literal's placeholder exactly
once into a literal's text (not into an IRI, a datatype, a language or a JSON literal), and
each `id`'s only ever as a whole IRI term; other positions keep their real value in the key.
A template is learnt the second time its shape is met, and checked: the learning document also
goes through the general path, and the template is dropped unless both agree. Filled quads
that coincide are kept once, as pyld's node map keeps equal values once.

Canonicalization itself takes the short road RDFC-1.0 allows when every blank node has a
distinct first-degree hash (identifiers are issued in hash order, with no N-degree hashing),
or when look-alike nodes share no quad with another blank node (then any order within a group
gives the same N-Quads). Anything else, including whatever could poison the N-degree step, and
anything unexpected, goes to the caller's general path, which stays the reference.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pyld.nquads import RDF_LANGSTRING, XSD_STRING, escape, serialize_nquad

# pyld's RDF dataset: graph name ('@default' or an IRI/blank node) -> list of triples.
Dataset = dict[str, list[dict[str, Any]]]
ToDataset = Callable[[dict[str, Any]], Dataset]

_RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"

# An absolute IRI, or a blank node identifier ('_:'), as in expanded JSON-LD (a subset of what
# pyld itself takes as absolute).
ABSOLUTE_IRI = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*|_):\S*")

# Look-alike blank nodes handled here per group; larger groups go to the general path, whose
# work limits decide.
_MAX_INTERCHANGEABLE = 8

# "Not looked at yet", as opposed to None, "looked at: no template".
_UNKNOWN: Any = object()

# First-degree hashes already computed, by blank node label and quads (bounded).
_first_degree: dict[tuple[Any, ...], str] = {}
_FIRST_DEGREE_LIMIT = 4096

# A term of a template quad: N-Quads text, or a slot filled from the document: (slot number,
# what follows the closing quote) for a literal, (slot number, None) for an IRI.
Slot = tuple[int, str | None]
Term = str | Slot
# Subject, predicate, object, graph ('' for the default graph).
TemplateQuad = tuple[Term, str, Term, Term]
Quad = tuple[str, str, str, str]


@dataclass(frozen=True)
class Template:
    """The RDF of one shape, with the positions filled from each document left as slots."""

    quads: tuple[TemplateQuad, ...]


@dataclass
class _Reading:
    """A document read for its shape: the key, and the text and kind of each slot."""

    shape: str
    texts: list[str]
    # Per slot: None for text that may become a literal; for an `id`, the IRI's scheme or
    # prefix (the part before the first colon), which stays in the shape.
    prefixes: list[str | None]


class Templates:
    """Templates by shape, in front of one general path.

    The general path is `to_dataset` (given with each document, as it names the document in
    its errors), turning JSON-LD into pyld's dataset, then `canonical`, turning that into
    N-Quads; both may raise, and their errors reach the caller unchanged. The number of
    templates is bounded, so a stream of differently shaped documents cannot grow memory; it
    only falls back to the general path.
    """

    _LIMIT = 256

    def __init__(self, canonical: Callable[[Dataset], str]) -> None:
        self._canonical = canonical
        # A per-process secret, so no document can contain a placeholder or forge a slot marker.
        self._nonce = secrets.token_hex(12)
        self._placeholders = re.compile(rf"x-credcat-{self._nonce}:(\d+):")
        self._whole = re.compile(rf"[^:]*:x-credcat-{self._nonce}:(\d+):")
        self._marker = f"\x00slot-{self._nonce}"
        self._kept_slots: dict[str, frozenset[int] | None] = {}
        self._templates: dict[tuple[str, tuple[str, ...]], Template | None] = {}
        # Shapes met once: a template is learnt the second time (learning costs two more runs
        # of pyld, wasted on a document checked alone, as `credcat verify` of one file does).
        self._met: set[str] = set()

    def canonicalize(self, document: dict[str, Any], to_dataset: ToDataset) -> bytes:
        """Canonical N-Quads (UTF-8) of `document`, by its template when it has a usable one."""
        try:
            reading = self._read_document(document)
        except (RecursionError, TypeError, ValueError):
            return self._general(document, to_dataset)
        # One lookup each (never "in" then "[]"), so a bound being cleared meanwhile by another
        # thread is a miss, not an error.
        kept = self._kept_slots.get(reading.shape, _UNKNOWN)
        if kept is None:
            return self._general(document, to_dataset)
        if kept is not _UNKNOWN:
            key = (reading.shape, tuple(reading.texts[i] for i in sorted(kept)))
            template = self._templates.get(key, _UNKNOWN)
            if template is not _UNKNOWN:
                fast = None if template is None else _fill_and_canonicalize(template,
                                                                            reading.texts)
                return fast if fast is not None else self._general(document, to_dataset)
        if reading.shape not in self._met:
            if len(self._met) >= self._LIMIT:
                self._met.clear()
            self._met.add(reading.shape)
            return self._general(document, to_dataset)
        return self._learn(document, to_dataset, reading)

    def _general(self, document: dict[str, Any], to_dataset: ToDataset) -> bytes:
        return self._canonical(to_dataset(document)).encode("utf-8")

    def _learn(self, document: dict[str, Any], to_dataset: ToDataset,
               reading: _Reading) -> bytes:
        """Canonicalize by the general path, and keep a template for the shape if one works."""
        expected = self._general(document, to_dataset)
        if len(self._templates) + len(self._kept_slots) >= self._LIMIT:
            self._kept_slots.clear()
            self._templates.clear()
        kept = self._kept_slots.get(reading.shape, _UNKNOWN)
        if kept is _UNKNOWN:
            kept = None
            if '"@index"' not in reading.shape:
                every = frozenset(range(len(reading.texts)))
                found = self._template(document, to_dataset, reading, frozenset())
                kept = None if found is None else every - found[1]
            self._kept_slots[reading.shape] = kept
        if kept is None:
            return expected
        key = (reading.shape, tuple(reading.texts[i] for i in sorted(kept)))
        template = None
        found = self._template(document, to_dataset, reading, kept)
        if found is not None and found[1] == frozenset(range(len(reading.texts))) - kept:
            template = found[0]
            if _fill_and_canonicalize(template, reading.texts) != expected:
                template = None
        self._templates[key] = template
        return expected

    def _template(self, document: dict[str, Any], to_dataset: ToDataset, reading: _Reading,
                  kept: frozenset[int]) -> tuple[Template, frozenset[int]] | None:
        """The document's RDF with every slot not `kept` as a placeholder, and the slots that
        can be filled: a text that is exactly one literal's text, or an `id` whose every use is
        the whole of an IRI term."""
        try:
            dataset = to_dataset(self._with_placeholders(document, reading, kept))
        except Exception:
            return None
        quads: list[TemplateQuad] = []
        seen: dict[int, int] = {}
        as_literal: dict[int, int] = {}
        as_iri: dict[int, int] = {}

        def term(value: dict[str, Any]) -> Term:
            text = _term(value)
            if value["type"] == "IRI" and (whole := self._whole.fullmatch(value["value"])):
                slot = int(whole.group(1))
                as_iri[slot] = as_iri.get(slot, 0) + 1
                return (slot, None)
            if (value["type"] == "literal" and value["datatype"] != _RDF_JSON
                    and (whole := self._whole.fullmatch(value["value"]))):
                slot = int(whole.group(1))
                as_literal[slot] = as_literal.get(slot, 0) + 1
                return (slot, text[text.rindex('"') + 1:])
            return text

        for graph_name, triples in dataset.items():
            graph = None if graph_name == "@default" else graph_name
            graph_value = None if graph is None else {
                "type": "blank node" if graph.startswith("_:") else "IRI", "value": graph}
            for triple in triples:
                for found in self._placeholders.finditer(serialize_nquad(triple, graph)):
                    slot = int(found.group(1))
                    seen[slot] = seen.get(slot, 0) + 1
                quads.append((term(triple["subject"]), _term(triple["predicate"]),
                              term(triple["object"]),
                              "" if graph_value is None else term(graph_value)))
        fillable = frozenset(
            slot for slot in seen
            if (as_literal.get(slot) == seen[slot] == 1
                and reading.prefixes[slot] is None)
            or (as_iri.get(slot) == seen[slot] and reading.prefixes[slot] is not None)
        )
        return Template(tuple(quads)), fillable

    def _read_document(self, document: dict[str, Any]) -> _Reading:
        """The document's shape as text, and the texts of its slots in order."""
        texts: list[str] = []
        prefixes: list[str | None] = []
        marker = self._marker

        def text(value: str, key: str) -> Any:
            if key == "type":
                return value
            if key == "id":
                if value.startswith("_:") or not ABSOLUTE_IRI.fullmatch(value):
                    return value
                prefix = value.partition(":")[0]
                texts.append(value)
                prefixes.append(prefix)
                return {marker: prefix}
            texts.append(value)
            prefixes.append(None)
            return {marker: 0}

        # Strings are handled where they are met, not by a call each: this runs per document.
        def walk(value: Any, key: str) -> Any:
            if isinstance(value, dict):
                return {k: v if k.startswith("@") else text(v, k) if isinstance(v, str)
                        else walk(v, k) for k, v in value.items()}
            if isinstance(value, list):
                return [text(item, key) if isinstance(item, str) else walk(item, key)
                        for item in value]
            return value

        skeleton = walk(document, "@document")
        return _Reading(json.dumps(skeleton, ensure_ascii=False, allow_nan=False), texts,
                        prefixes)

    def _with_placeholders(self, document: dict[str, Any], reading: _Reading,
                           kept: frozenset[int]) -> dict[str, Any]:
        """A copy of `document` with each slot not in `kept` made a placeholder.

        A placeholder keeps the IRI prefix of an `id`, so that a context defining that prefix
        shows in the result (the placeholder would not come out whole, so the slot is kept).
        """
        count = 0

        def walk(value: Any, key: str) -> Any:
            nonlocal count
            if isinstance(value, str):
                if key == "type" or (key == "id" and (
                        value.startswith("_:") or not ABSOLUTE_IRI.fullmatch(value))):
                    return value
                slot, count = count, count + 1
                if slot in kept:
                    return value
                return f"{reading.prefixes[slot] or 'urn'}:x-credcat-{self._nonce}:{slot}:"
            if isinstance(value, dict):
                return {k: v if k.startswith("@") else walk(v, k) for k, v in value.items()}
            if isinstance(value, list):
                return [walk(item, key) for item in value]
            return value

        copy = walk(document, "@document")
        if count != len(reading.texts):
            raise ValueError("the document changed while it was read")
        return copy


def _term(term: dict[str, Any]) -> str:
    """One term in N-Quads form, exactly as pyld's `serialize_nquad` writes it."""
    kind = term["type"]
    if kind == "IRI":
        return "<" + term["value"] + ">"
    if kind == "blank node":
        return term["value"]
    text = '"' + escape(term["value"]) + '"'
    if term["datatype"] == RDF_LANGSTRING:
        return text + ("@" + term["language"] if term.get("language") else "")
    if term["datatype"] != XSD_STRING:
        return text + "^^<" + term["datatype"] + ">"
    return text


def _fill_and_canonicalize(template: Template, texts: list[str]) -> bytes | None:
    """Canonical N-Quads of the template filled with `texts`, or None to use the general path.

    Quads that coincide once filled are kept once, as pyld's node map does with equal values
    and with a node described twice (an issuer that also creates the achievement); the only
    equal values it keeps apart differ in `@index`, and shapes that mention it have no template.
    """
    filled: dict[Quad, None] = {}
    for quad in template.quads:
        s, p, o, g = quad
        if not isinstance(s, str):
            s = "<" + texts[s[0]] + ">"
        if not isinstance(o, str):
            o = "<" + texts[o[0]] + ">" if o[1] is None else (
                '"' + escape(texts[o[0]]) + '"' + o[1])
        if not isinstance(g, str):
            g = "<" + texts[g[0]] + ">"
        filled[(s, p, o, g)] = None
    return canonical_quads(filled)


def dataset_quads(dataset: Dataset) -> list[Quad]:
    """pyld's dataset as quads of N-Quads terms, the form `canonical_quads` takes."""
    return [(_term(t["subject"]), _term(t["predicate"]), _term(t["object"]),
             "" if name == "@default" else name if name.startswith("_:") else f"<{name}>")
            for name, triples in dataset.items() for t in triples]


def canonical_quads(quads: Iterable[Quad]) -> bytes | None:
    """RDFC-1.0 canonical N-Quads (SHA-256) of distinct quads, or None when the blank nodes need
    the N-degree step (then the general path, with its work limits, must decide)."""
    # As pyld does: a quad is listed once for each position a blank node takes in it. Only
    # blank node labels start with '_' (IRIs start with '<', literals with '"').
    quads = list(quads)
    mentions: dict[str, list[Quad]] = {}
    for quad in quads:
        s, _p, o, g = quad
        if s[0] == "_":
            mentions.setdefault(s, []).append(quad)
        if o[0] == "_":
            mentions.setdefault(o, []).append(quad)
        if g and g[0] == "_":
            mentions.setdefault(g, []).append(quad)
    try:
        by_hash: dict[str, list[str]] = {}
        for node, listed in mentions.items():
            # A node's first-degree hash is a function of its label and its quads; most nodes
            # of a credential (the achievement's, the issuer's) are the same in every one.
            key = (node, *listed)
            digest = _first_degree.get(key)
            if digest is None:
                lines = sorted(_line(quad, {node: "_:a"}, "_:z") for quad in listed)
                digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
                if len(_first_degree) >= _FIRST_DEGREE_LIMIT:
                    _first_degree.clear()
                _first_degree[key] = digest
            by_hash.setdefault(digest, []).append(node)
        order = _issue_order(by_hash, mentions)
        if order is None:
            return None
        canonical = {node: f"_:c14n{n}" for n, node in enumerate(order)}
        return "".join(sorted(_line(quad, canonical, "") for quad in quads)).encode("utf-8")
    except UnicodeEncodeError:
        return None


def _issue_order(by_hash: dict[str, list[str]],
                 mentions: dict[str, list[Quad]]) -> list[str] | None:
    """Blank nodes in the order RDFC-1.0 issues canonical identifiers, or None if it needs more.

    Nodes with a unique first-degree hash come first, in hash order. Look-alike nodes (a shared
    hash) come next, group by group in hash order, which is all the N-degree step decides when
    none of them shares a quad with another blank node: each group is then interchangeable (any
    order gives the same N-Quads), the case of an issuer's address written out twice. Anything
    else, including a dataset built to make the N-degree step explode, is left to the general
    path, which has the work limits.
    """
    unique = [nodes[0] for _digest, nodes in sorted(by_hash.items()) if len(nodes) == 1]
    alike = [nodes for _digest, nodes in sorted(by_hash.items()) if len(nodes) > 1]
    for nodes in alike:
        if len(nodes) > _MAX_INTERCHANGEABLE:
            return None
        for node in nodes:
            for quad in mentions[node]:
                if any(term.startswith("_:") and term != node
                       for term in (quad[0], quad[2], quad[3])):
                    return None
    return unique + [node for nodes in alike for node in nodes]


def _line(quad: Quad, labels: dict[str, str], other: str) -> str:
    """The quad as an N-Quads line, each blank node relabelled by `labels` or else `other`."""
    s, p, o, g = quad
    if s[0] == "_":
        s = labels.get(s, other)
    if o[0] == "_":
        o = labels.get(o, other)
    if not g:
        return f"{s} {p} {o} .\n"
    if g[0] == "_":
        g = labels.get(g, other)
    return f"{s} {p} {o} {g} .\n"
