"""The field reference page, written from the JSON Schemas at build time.

The schemas are what `credcat check` and editors enforce, so a reference page copied from them
by hand would drift the first time a field is added. This module walks each schema (following
local `$ref`s, `oneOf` forms, lists and nested mappings) and writes one table per file kind:
field path, whether it is required, the values it takes, and the schema's own description.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from site_builder.catalog.localized import TEXT_REF
from site_builder.catalog.schema_facts import SCHEMA_FILES, pattern_words, resolve, schema

# Order of the sections, with where each kind of file lives.
KINDS = (
    ("issuer", "Issuers", "catalog/issuers/<id>.yaml"),
    ("credential", "Credentials", "catalog/credentials/<id>.yaml"),
    ("pathway", "Pathways", "catalog/pathways/<id>.yaml"),
    ("skills", "Skills", "catalog/skills.yaml"),
    ("exchange-rates", "Exchange rates", "catalog/exchange-rates.yaml"),
    ("public-key", "Public keys", "public_keys/<issuer>/<key-id>.yaml"),
)


@dataclass(frozen=True)
class Row:
    field: str
    required: str
    value: str
    description: str


def _pattern(pattern: str) -> str:
    """A pattern in words (from `schema_facts`); an unknown one is shown as itself."""
    words = pattern_words(pattern)
    return words.text() if words else f"text matching `{pattern}`"


def _number_range(node: dict[str, Any]) -> str:
    bounds = []
    if "exclusiveMinimum" in node:
        bounds.append(f"more than {node['exclusiveMinimum']}")
    if "minimum" in node:
        bounds.append(f"at least {node['minimum']}")
    if "maximum" in node:
        bounds.append(f"at most {node['maximum']}")
    return f" ({', '.join(bounds)})" if bounds else ""


def _code_list(values: Iterable[Any]) -> str:
    return ", ".join(f"`{_literal(v)}`" for v in values)


def _literal(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _length(node: dict[str, Any]) -> str:
    low, high = node.get("minLength"), node.get("maxLength")
    if low and high:
        return f"text, {low} to {high} characters"
    return f"text, at least {low} characters" if low and low > 1 else "text"


def value_text(root: dict[str, Any], node: dict[str, Any]) -> str:
    """What a field takes, in words."""
    if node.get("$ref") == TEXT_REF:
        return (_length(node) + "; in several languages, a mapping of language codes to "
                "text (see Languages above)")
    node = resolve(root, node)
    if "enum" in node:
        return "one of " + _code_list(node["enum"])
    if "const" in node:
        return f"`{_literal(node['const'])}`"
    if "oneOf" in node or "anyOf" in node:
        forms = [resolve(root, f) for f in node.get("oneOf", node.get("anyOf", []))]
        if all(f.get("type") == "object" for f in forms):
            return "either " + ", or ".join(
                "a mapping with " + " and ".join(f"`{r}`" for r in f.get("required", []))
                for f in forms)
        return " or ".join(value_text(root, f) for f in forms)
    kind = node.get("type")
    if kind == "string":
        if "pattern" in node:
            return _pattern(node["pattern"])
        return _length(node)
    if kind in ("number", "integer"):
        return ("a whole number" if kind == "integer" else "a number") + _number_range(node)
    if kind == "boolean":
        return "`true` or `false`"
    if kind == "array":
        items = resolve(root, node.get("items", {}))
        notes = []
        if node.get("minItems"):
            notes.append(f"at least {node['minItems']} item" + "s" * (node["minItems"] > 1))
        if node.get("uniqueItems"):
            notes.append("no repeats")
        shown = "a list" + (f" ({', '.join(notes)})" if notes else "")
        if items.get("type") == "object":
            return shown + " of mappings (fields below)"
        each = value_text(root, node.get("items", {}))
        return shown + f"; each item: {each}" if items else shown
    if kind == "object":
        return "a mapping (fields below)"
    return "see the schema"


def rows(root: dict[str, Any], node: dict[str, Any], prefix: str = "",
         required_note: str = "yes") -> list[Row]:
    """One row per field, depth first, in the schema's order."""
    node = resolve(root, node)
    out: list[Row] = []
    required = set(node.get("required", []))
    for name, written in node.get("properties", {}).items():
        child = resolve(root, written)
        path = f"{prefix}{name}"
        # A text field without a description of its own is not described by `$defs/text`'s.
        described = written if written.get("$ref") == TEXT_REF else child
        out.append(Row(path, required_note if name in required else "no",
                       value_text(root, written), described.get("description", "")))
        out += _nested(root, child, path)
    return out


def _nested(root: dict[str, Any], node: dict[str, Any], path: str) -> list[Row]:
    if node.get("type") == "object":
        return rows(root, node, f"{path}.")
    if node.get("type") == "array":
        items = resolve(root, node.get("items", {}))
        if items.get("type") == "object":
            return rows(root, items, f"{path}[].")
    forms = [resolve(root, f) for f in node.get("oneOf", node.get("anyOf", []))]
    out: list[Row] = []
    seen: set[str] = set()
    for form in forms:
        if form.get("type") != "object":
            continue
        with_fields = " and ".join(f"`{r}`" for r in form.get("required", []))
        for row in rows(root, form, f"{path}.", f"in the form with {with_fields}"):
            if row.field not in seen:
                seen.add(row.field)
                out.append(row)
    return out


def _cell(text: str) -> str:
    """Table cells: one line, no bare pipes (they would split the cell), and `<id>` shown as
    text rather than taken for an HTML tag (code spans keep their characters as they are)."""
    parts = " ".join(text.split()).replace("|", "\\|").split("`")
    for i in range(0, len(parts), 2):
        parts[i] = (parts[i].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("*", "\\*"))
    return "`".join(parts)


def section(kind: str, title: str, where: str) -> str:
    root = schema(kind)
    lines = [f"## {title}", "", f"File: `{where}`. Schema: "
             f"[`{SCHEMA_FILES[kind]}`](../schemas/{SCHEMA_FILES[kind]}).", ""]
    if root.get("description"):
        lines += [_cell(root["description"]), ""]
    lines += ["| Field | Required | Value | What it means |", "| --- | --- | --- | --- |"]
    for row in rows(root, root):
        lines.append(f"| `{row.field}` | {_cell(row.required)} | {_cell(row.value)} | "
                     f"{_cell(row.description)} |")
    return "\n".join(lines) + "\n"


def field_reference_markdown() -> str:
    """The whole page: an introduction, then one table per kind of catalog file."""
    intro = """# Field reference

Every field a catalog file can hold, generated from the JSON Schemas that `credcat check`
and editors use, so this page always matches what the checker accepts. A field marked
required in a nested mapping (such as `evaluation.methods[].type`) is required whenever the
mapping around it is given. `[]` means "each item of the list".

Start each file with the line `# yaml-language-server: $schema=...` (`credcat new` writes it):
editors with the YAML language server then complete and check these fields as you type.

## Languages

A catalog declares the languages of its texts in `mkdocs.yml`, under the `credcat` plugin:
`languages: [en, fr]` and `default_language: en` (without them: English only). Every field
below whose value says "in several languages" is either plain text, in the default
language, or a mapping of BCP 47 language codes to the text in each language:

```yaml
name:
  en: AI Literacy for the Workplace
  fr: Littératie en IA au travail
```

`credcat check` refuses a code that is malformed or not declared, an empty translation and a
mapping without the default language, and warns when a mapping lacks a declared language:
pages and credentials then show the default language's text there.
"""
    return intro + "\n" + "\n".join(section(*kind) for kind in KINDS)
