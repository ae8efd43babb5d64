"""Catalog text in several languages: finding it in a file and checking its language codes.

Every human-readable field of the schemas is `{"$ref": "#/$defs/text"}`: a plain string, in
the catalog's default language, or a mapping of BCP 47 language codes (RFC 5646) to the text
in that language. The schema checks the shape; this module checks what a schema cannot (that
each code is well-formed and declared by the catalog, that no translation is empty) and
turns each value into a `Text`, so the model carries every translation.

Language codes are checked with `langcodes`, which parses BCP 47 against the IANA subtag
registry it ships: a regular expression would accept `xx` or `en-ZZ`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import langcodes
from jsonschema import Draft202012Validator

from site_builder.catalog.model import Languages, Text
from site_builder.catalog.schema_facts import resolve

TEXT_REF = "#/$defs/text"

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


# The schemas are read once (`schema_facts.schema` is cached), so their ids stay theirs.
_VALIDATORS: dict[int, Draft202012Validator] = {}


def _fits(root: dict[str, Any], node: dict[str, Any], data: Any) -> bool:
    """Whether `data` is written in this `oneOf` branch; `evolve` keeps the root's resolver,
    so the branch's `$ref`s resolve as in its file."""
    validator = _VALIDATORS.get(id(root))
    if validator is None:
        validator = _VALIDATORS[id(root)] = Draft202012Validator(root)
    return bool(validator.evolve(schema=node).is_valid(data))


def text_fields(root: dict[str, Any], node: Any, data: Any, path: JsonPath = ()
                ) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """Each text value of a schema-valid document, with its field's schema (length limits)."""
    if not isinstance(node, dict):
        return
    if node.get("$ref") == TEXT_REF:
        yield path, resolve(root, node)
        return
    node = resolve(root, node)
    for keyword in ("oneOf", "anyOf"):
        for branch in node.get(keyword, []):
            if _fits(root, branch, data):
                yield from text_fields(root, branch, data, path)
                break
    for branch in node.get("allOf", []):
        yield from text_fields(root, branch, data, path)
    if isinstance(data, dict):
        properties = node.get("properties", {})
        extra = node.get("additionalProperties")
        for key, value in data.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            yield from text_fields(root, sub, value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from text_fields(root, node.get("items"), value, (*path, index))


def _where(path: JsonPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p)
                   for i, p in enumerate(path))


def _length_problem(text: str, field: dict[str, Any]) -> str | None:
    if "minLength" in field and len(text) < field["minLength"]:
        return f"is shorter than {field['minLength']} characters"
    if "maxLength" in field and len(text) > field["maxLength"]:
        return f"is longer than {field['maxLength']} characters"
    return None


def localize(root: dict[str, Any], data: Any, languages: Languages) -> list[TextProblem]:
    """Replace each text value of `data` (schema-valid) by a `Text`; return its problems.

    A declared language missing from a translated field is a warning, not an error: a catalog
    gains a language entry by entry, and until a field is translated its pages and
    credentials show the default language's text, marked as such. A plain string is text in
    the default language alone and is not reported; a mapping promises every language.
    """
    problems: list[TextProblem] = []
    for path, field in list(text_fields(root, root, data)):
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        value = parent[path[-1]]
        if isinstance(value, dict):
            parent[path[-1]] = _translated(path, value, field, languages, problems)
        else:
            parent[path[-1]] = Text(value, {languages.default: value}, languages.default)
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
