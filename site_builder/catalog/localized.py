"""Catalog text in several languages: finding it in a file and checking its language codes.

Every human-readable field of the schemas is `{"$ref": "#/$defs/text"}`: a plain string, in
the catalog's default language, or a mapping of BCP 47 language codes (RFC 5646) to the text
in that language. The schema checks the shape; this module checks what a schema cannot (that
each code is well-formed and declared by the catalog, that no translation is empty) and
turns each value into a `Text`, so the model carries every translation.

Language codes are checked with `langcodes`, which parses BCP 47 against the IANA subtag
registry it ships: a regular expression would accept a well-shaped code that names no
language, such as `xx`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import langcodes

from site_builder.catalog.model import Languages, Text
from site_builder.catalog.schema_facts import resolve

TEXT_REF = "#/$defs/text"
# What `$defs/text` takes: a string, or a mapping of language codes to strings.
TEXT_TYPES = ["string", "object"]

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class TextProblem:
    path: JsonPath
    message: str
    hint: str
    key: bool = False
    severity: str = "error"


def tag_problem(tag: str) -> str | None:
    """Why `tag` is not a language code as a catalog must write it, or None when it is.

    Codes are compared as written, so `fr` and `fra` or `en_US` and `en-US` are not left to
    mean the same language in one file and another: a code is accepted in its standard form.
    """
    if tag in ("True", "False"):
        # yaml_source reads every mapping key as text, YAML 1.1 booleans included.
        return (f"the language code was read as {tag}, not as a code: quote it, e.g. 'no': "
                "YAML reads no, yes, on and off unquoted as true or false")
    if not langcodes.tag_is_valid(tag):
        return f"'{tag}' is not a well-formed BCP 47 language code: use one such as en, fr or fr-CA"
    standard = langcodes.standardize_tag(tag)
    if standard != tag:
        return f"'{tag}' is written '{standard}' in BCP 47: write '{standard}'"
    return None


def declaration_problems(languages: Languages) -> list[str]:
    """What is wrong with a catalog's `languages` and `default_language`, as sentences."""
    problems = [p for code in languages.codes if (p := tag_problem(code))]
    if len(set(languages.codes)) != len(languages.codes):
        problems.append("`languages` lists the same language twice: list each once")
    if languages.default not in languages.codes:
        problems.append(f"the default language '{languages.default}' is not in `languages` "
                        f"({', '.join(languages.codes)}): add it, or choose one of them")
    return problems


@dataclass(frozen=True)
class _Plan:
    """Where the text fields of one kind of file are: read from its schema once, then laid
    over each file, which is much faster than asking the schema about every value."""

    field: dict[str, Any] | None = None  # this value is text; its schema (length limits)
    properties: dict[str, _Plan] = dataclass_field(default_factory=dict)
    extra: _Plan | None = None  # additionalProperties
    items: _Plan | None = None


def _plan(root: dict[str, Any], node: Any) -> _Plan | None:
    """The plan under `node`, or None when no text is below it. The forms of a `oneOf` or
    `anyOf` are merged: in the schemas a field is text in every form that has it."""
    if not isinstance(node, dict):
        return None
    if node.get("$ref") == TEXT_REF:
        return _Plan(field=resolve(root, node))
    node = resolve(root, node)
    properties: dict[str, _Plan] = {}
    extra = items = None
    for form in (node, *node.get("oneOf", ()), *node.get("anyOf", ()), *node.get("allOf", ())):
        form = resolve(root, form)
        for key, sub in form.get("properties", {}).items():
            if key not in properties and (found := _plan(root, sub)) is not None:
                properties[key] = found
        if isinstance(form.get("additionalProperties"), dict):
            extra = extra or _plan(root, form["additionalProperties"])
        items = items or _plan(root, form.get("items"))
    if not properties and extra is None and items is None:
        return None
    return _Plan(None, properties, extra, items)


# The schemas are read once (`schema_facts.schema` is cached), so their ids stay theirs.
_PLANS: dict[int, _Plan | None] = {}


def text_fields(root: dict[str, Any], data: Any) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """Each text value of a schema-valid document of schema `root`, with its field's schema."""
    if id(root) not in _PLANS:
        _PLANS[id(root)] = _plan(root, root)
    plan = _PLANS[id(root)]
    if plan is not None:
        yield from _laid(plan, data, ())


def _laid(plan: _Plan, data: Any, path: JsonPath) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    if isinstance(data, dict):
        children: Iterator[tuple[Any, Any, _Plan | None]] = (
            (key, value, plan.properties.get(key, plan.extra)) for key, value in data.items())
    elif isinstance(data, list):
        children = ((index, value, plan.items) for index, value in enumerate(data))
    else:
        return
    for key, value, sub in children:
        if sub is None:
            continue
        if sub.field is not None:
            yield (*path, key), sub.field
        else:
            yield from _laid(sub, value, (*path, key))


def inlined(root: dict[str, Any]) -> dict[str, Any]:
    """`root` with each `$ref` to `$defs/text` written out in place, for validation: a file
    holds dozens of text fields, and resolving each reference costs more than checking it."""
    text = root.get("$defs", {}).get("text")

    def copy(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("$ref") == TEXT_REF and text is not None:
                return {**text, **{k: v for k, v in node.items() if k != "$ref"}}
            return {key: copy(value) for key, value in node.items()}
        if isinstance(node, list):
            return [copy(value) for value in node]
        return node

    return copy(root)  # type: ignore[no-any-return]


def _where(path: JsonPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p)
                   for i, p in enumerate(path))


def _length_problem(text: str, field: dict[str, Any]) -> str | None:
    if "minLength" in field and len(text) < field["minLength"]:
        return f"is shorter than {field['minLength']} characters"
    if "maxLength" in field and len(text) > field["maxLength"]:
        return f"is longer than {field['maxLength']} characters"
    return None


def localize(root: dict[str, Any], data: Any, languages: Languages,
             shared: dict[str, Text] | None = None) -> list[TextProblem]:
    """Replace each text value of `data` (schema-valid) by a `Text`; return its problems.

    A declared language missing from a translated field is a warning, not an error: a catalog
    gains a language entry by entry, and until a field is translated its pages and
    credentials show the default language's text, marked as such. A plain string is text in
    the default language alone and is not reported; a mapping promises every language.

    Untranslated texts equal to one in `shared` are that one (a `Text` is immutable): entries
    repeat many texts word for word (rubric levels, evidence, assessment methods), and each
    copy would cost its own object for as long as the model lives. `shared` is filled in as
    it goes; every text in it is untranslated and in `languages.default`.
    """
    problems: list[TextProblem] = []
    for path, field in list(text_fields(root, data)):
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        value = parent[path[-1]]
        if isinstance(value, dict):
            parent[path[-1]] = _translated(path, value, field, languages, problems)
        elif shared is None:
            parent[path[-1]] = Text(value, None, languages.default)
        elif (text := shared.get(value)) is not None:
            parent[path[-1]] = text
        else:
            parent[path[-1]] = shared[value] = Text(value, None, languages.default)
    return problems


def _translated(path: JsonPath, value: dict[Any, str], field: dict[str, Any],
                languages: Languages, problems: list[TextProblem]) -> Text:
    where = _where(path)
    kept: dict[str, str] = {}
    for code, text in value.items():
        at = (*path, code)
        if wrong := tag_problem(code):
            message, _, hint = wrong.partition(": ")
            problems.append(TextProblem(at, f"{where}: {message}", hint, key=True))
            continue
        if code not in languages.codes:
            close = difflib.get_close_matches(code, languages.codes, n=1, cutoff=0.75)
            hint = (f"did you mean '{close[0]}'? " if close else "") + (
                "declare it in mkdocs.yml (plugins: credcat: languages:) or remove this "
                "translation")
            problems.append(TextProblem(at, f"{where}: '{code}' is not a language of this "
                                        f"catalog ({', '.join(languages.codes)})", hint, key=True))
            continue
        if not text.strip():
            problems.append(TextProblem(at, f"{where}.{code} is empty", "write the text, or "
                                        "remove the line: a missing translation shows the "
                                        f"{languages.default} text instead"))
            continue
        if length := _length_problem(text, field):
            problems.append(TextProblem(at, f"{where}.{code} {length}",
                                        "the limit is the same in every language"))
        kept[code] = text
    if languages.default not in value:
        problems.append(TextProblem(path, f"{where} has no text in the default language "
                                    f"'{languages.default}'", f"add `{languages.default}: ...`:"
                                    " every other language falls back to it", key=True))
    else:
        missing = [code for code in languages.codes if code not in value]
        if missing:
            problems.append(TextProblem(
                path, f"{where} has no {', '.join(missing)} text", "add "
                + ", ".join(f"`{code}: ...`" for code in missing) + f"; until then the "
                f"{languages.default} text is shown, marked as untranslated", key=True,
                severity="warning"))
    default = kept.get(languages.default) or next(iter(kept.values()), "")
    return Text(default, kept or {languages.default: default}, languages.default)
