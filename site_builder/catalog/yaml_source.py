"""Safe YAML loading that can tell where every key and value came from.

Maintainers fix errors in the file and line a message names, so the loader keeps a map from
each JSON path (a tuple of keys and indexes) to its position in the source. Those maps cost
more than the data itself (about 30 MiB per 1,000 credentials), and only a problem needs one:
`parse_yaml(text, reread=...)` keeps none, and the document parses the text `reread` gives
again, with marks, the first time a position is asked for.

Aliases (`*name`) let a few lines expand to billions of values (the "billion laughs" attack),
so a file may expand to at most MAX_VALUES values, nested at most MAX_DEPTH deep; libyaml
itself refuses nesting beyond 1,000 levels while parsing. Timestamps are
left as strings: the schemas describe dates as strings, and PyYAML's automatic conversion to
`datetime.date` would make "2024-13-01" a syntax error instead of a schema error with a hint.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from site_builder.errors import CredcatError

JsonPath = tuple[str | int, ...]
MAX_VALUES = 100_000  # the largest real catalog entry holds about 600
MAX_DEPTH = 50  # real entries nest 6 deep


@dataclass(frozen=True)
class Position:
    line: int
    column: int


class YamlError(CredcatError):
    """A file that is not well-formed YAML, with the position PyYAML reported."""

    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass
class YamlDocument:
    """Loaded data plus where each value (and each mapping key) stands in the file."""

    data: Any
    values: dict[JsonPath, Position] = field(default_factory=dict)
    keys: dict[JsonPath, Position] = field(default_factory=dict)
    duplicates: list[tuple[JsonPath, Position]] = field(default_factory=list)
    count: int = 0
    # Set when parsed without marks: gives the text again (None if it can no longer be read).
    reread: Callable[[], str | None] | None = field(default=None, repr=False)

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """Position of `path`, or of its nearest ancestor that has one."""
        if self.reread is not None:
            text, self.reread = self.reread(), None
            if text is not None:
                try:
                    marked = parse_yaml(text)
                except YamlError:
                    marked = YamlDocument(data=None)  # changed since: no positions to give
                self.values, self.keys = marked.values, marked.keys
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Position(1, 1))


# libyaml's parser is several times faster and reports the same positions; large catalogs
# (10,000+ files) spend most of their load time here.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without the timestamp resolver (see module docstring)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_STR = "tag:yaml.org,2002:str"
_SHORT = 40  # characters: ids, codes, field names and labels, not descriptions


def _mark(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _scalar(loader: _Loader, node: yaml.Node) -> Any:
    # Most values are text: taken as is, without the constructor's per-node bookkeeping.
    # Field names, ids and codes repeat in every file: one shared copy each (10,000 files
    # otherwise hold 10,000 copies of "name").
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return sys.intern(node.value) if len(node.value) <= _SHORT else node.value
    return loader.construct_object(node, deep=True)


def _walk(loader: _Loader, node: yaml.Node, path: JsonPath, doc: YamlDocument,
          marks: bool) -> Any:
    doc.count += 1
    if doc.count > MAX_VALUES:
        raise YamlError(f"the file expands to more than {MAX_VALUES:,} values (aliases such as "
                        "*name repeat what they refer to): write the values out", _mark(node))
    if len(path) > MAX_DEPTH:
        raise YamlError(f"values are nested more than {MAX_DEPTH} levels deep", _mark(node))
    if marks:
        doc.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        loader.flatten_mapping(node)
        # flatten_mapping puts merged (`<<: *anchor`) pairs first; explicit keys may override
        # those, so only a repeated explicit key is a duplicate.
        merged = len(node.value) - explicit
        result: dict[Any, Any] = {}
        explicit_keys: set[Any] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            key = _scalar(loader, key_node)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise YamlError("a mapping key must be a plain value", _mark(key_node))
            key = str(key) if not isinstance(key, str) else key
            child = (*path, key)
            if index >= merged:
                if key in explicit_keys:
                    doc.duplicates.append((child, _mark(key_node)))
                explicit_keys.add(key)
            if marks:
                doc.keys[child] = _mark(key_node)
            result[key] = _walk(loader, value_node, child, doc, marks)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, item, (*path, i), doc, marks) for i, item in enumerate(node.value)]
    return _scalar(loader, node)


def _explain(exc: yaml.MarkedYAMLError) -> tuple[str, Position]:
    """PyYAML's error in plain words, placed where the user has to look."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "not valid YAML"
    context = exc.context or ""
    if "flow sequence" in context or "flow mapping" in context:
        # An unclosed bracket is noticed lines later; point at the bracket itself.
        mark = exc.context_mark or mark
        bracket = "[" if "sequence" in context else "{"
        problem = f"this '{bracket}' is never closed"
    elif "'\\t'" in problem:
        problem = "a tab character: YAML indentation must use spaces"
    elif "another document" in problem:
        problem = "the file holds a second document ('---'): keep one entry per file"
    elif "block end" in problem or "mapping values are not allowed" in problem:
        problem = f"the indentation is inconsistent here ({problem})"
    position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
    return f"YAML syntax error: {problem}", position


def parse_yaml(text: str, *, reread: Callable[[], str | None] | None = None) -> YamlDocument:
    """Parse one YAML document; raise YamlError for syntax errors and multi-document files.

    With `reread`, positions are found later, from the text it returns (see the module
    docstring); syntax errors, limits and duplicate keys are placed either way.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        doc = YamlDocument(data=None, reread=reread)
        doc.data = {} if node is None else _walk(loader, node, (), doc, reread is None)
        return doc
    except yaml.MarkedYAMLError as exc:
        raise YamlError(*_explain(exc)) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}", Position(1, 1)) from exc
    finally:
        loader.dispose()


def load_yaml(path: Path) -> YamlDocument:
    return parse_yaml(path.read_text(encoding="utf-8"))
