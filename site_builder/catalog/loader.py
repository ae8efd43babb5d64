"""Load `catalog/` and `public_keys/` into the model, reporting every problem with its position.

Validation runs in two passes so one run reports everything: each file against its JSON Schema
(files that fail are left out of the model, which keeps one typo from cascading into dozens
of "unknown id" messages), then the references between files.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from typing import Any

import jsonschema_rs
import pycountry
from jsonschema import Draft202012Validator, ValidationError, validators

from site_builder import multikey
from site_builder.catalog.localized import TEXT_TYPES, inlined, localize
from site_builder.catalog.model import (
    ENGLISH,
    Alignment,
    Alone,
    AssessmentConditions,
    AssessmentMethod,
    Catalog,
    Cost,
    Credential,
    Duration,
    Evaluation,
    ExchangeRates,
    Issuer,
    KeyState,
    Languages,
    Level,
    Occupation,
    Pathway,
    PublicKey,
    QualityAssurance,
    Recognition,
    Rubric,
    RubricCriterion,
    Skill,
    Stage,
    Text,
    Workload,
)
from site_builder.catalog.problems import CatalogError, Problem
from site_builder.catalog.safe_files import (
    IMAGE_LIMIT,
    YAML_LIMIT,
    UnsafeFile,
    outside,
    read_regular,
    svg_problems,
)

# SCHEMA_DIR and SCHEMA_FILES are re-exported: the site and `credcat new` import them from here.
from site_builder.catalog.schema_facts import SCHEMA_DIR as SCHEMA_DIR
from site_builder.catalog.schema_facts import SCHEMA_FILES as SCHEMA_FILES
from site_builder.catalog.schema_facts import is_id, pattern_words, schema, subschema
from site_builder.catalog.yaml_source import (
    JsonPath,
    YamlDocument,
    YamlError,
    parse_yaml,
)
from site_builder.dates import MOMENT_FORMS, parse_day, parse_moment, xsd
from site_builder.text import plural

# Generated index pages live beside the entries (credentials/by-level/ ...).
RESERVED_IDS = frozenset({"index", "by-issuer", "by-level", "by-type"})


# JSON Schema counts 1.0 as an integer and NaN or infinity as numbers
# (https://json-schema.org/draft/2020-12/json-schema-core#section-6.3); the catalog does not:
# `require: 1.0` is a count written wrongly, and NaN or Infinity make the exported JSON
# invalid (RFC 8259 section 6 has no such values), so browsers cannot read it.
_STRICT_TYPES = Draft202012Validator.TYPE_CHECKER.redefine_many({
    "integer": lambda _checker, value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda _checker, value: ((isinstance(value, int) and not isinstance(value, bool))
                                       or (isinstance(value, float) and math.isfinite(value))),
})
_StrictValidator = validators.extend(Draft202012Validator, type_checker=_STRICT_TYPES)
# Beyond 2**53 a browser's JSON.parse no longer reads a number exactly (ECMA-262 Number).
LARGEST_NUMBER = 2**53
# C0 and C1 controls except tab and newline, DEL, the Unicode line and paragraph separators,
# surrogates and non-characters: invisible in a page, and they make feed.xml not well-formed
# (XML 1.0 section 2.2 allows none of them).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
                      "\ufffe\uffff]")


@cache
def _validator(kind: str) -> Draft202012Validator:
    return _StrictValidator(inlined(schema(kind)))  # type: ignore[no-any-return]


class _WholeNumber:
    """jsonschema-rs keyword: 1.0 is not an integer here either (see `_STRICT_TYPES`)."""

    def __init__(self, _parent: Any, _value: Any, _path: Any) -> None:
        pass

    def validate(self, instance: Any) -> None:
        if isinstance(instance, float):
            raise ValueError("a float is not a whole number")


def _strict_integers(node: Any) -> Any:
    """The schema with every `integer` type also refusing floats, as `_StrictValidator` does."""
    if isinstance(node, list):
        return [_strict_integers(item) for item in node]
    if not isinstance(node, dict):
        return node
    copied = {key: _strict_integers(value) for key, value in node.items()}
    types = node.get("type")
    types = [types] if isinstance(types, str) else types
    if isinstance(types, list) and "integer" in types and "number" not in types:
        copied["credcatWholeNumber"] = True
    return copied


@cache
def _compiled(kind: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(_strict_integers(inlined(schema(kind))),
                                       keywords={"credcatWholeNumber": _WholeNumber})


def _plain_json(data: Any) -> bool:
    """Whether `data` is plain JSON that the compiled validator reads as `_StrictValidator`
    does, holding nothing `_hostile_values` reports (one quick pass for the common case).

    jsonschema-rs reads tuples as arrays and cannot hold NaN, and its regexes treat a few
    control characters as text where Python's do not; any of that, and any type JSON has not,
    goes to jsonschema.
    """
    kind = type(data)
    if kind is str:
        return _CONTROL.search(data) is None
    if kind is bool or data is None:
        return True
    if kind is dict:
        return all(type(key) is str and _CONTROL.search(key) is None and _plain_json(value)
                   for key, value in data.items())
    if kind is list:
        return all(_plain_json(value) for value in data)
    if kind is int:
        return abs(data) <= LARGEST_NUMBER
    return kind is float and math.isfinite(data) and abs(data) <= LARGEST_NUMBER


def _schema_errors(kind: str, data: Any, *, plain: bool) -> list[ValidationError]:
    """jsonschema's errors for `data`, sorted by path; a compiled validator answers first.

    jsonschema takes about 1 ms per credential, most of a large catalog's load; the compiled
    validator (jsonschema-rs, about 40 times faster) only says whether a file is valid, so a
    file it rejects, or that it might read differently (`_plain_json`), gets jsonschema's
    messages. tests/test_fast_validation.py holds the two to the same verdicts.
    """
    if plain:
        try:
            if _compiled(kind).is_valid(data):
                return []
        except ValueError:  # a value it cannot convert: jsonschema decides
            pass
    return sorted(_validator(kind).iter_errors(data), key=lambda e: list(e.path))


def _hostile_values(data: Any, path: JsonPath = ()) -> Iterable[tuple[JsonPath, str, str]]:
    """Values no schema keyword catches: control characters in text, numbers too large."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _hostile_values(key, (*path, key))
            yield from _hostile_values(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _hostile_values(value, (*path, index))
    elif isinstance(data, str) and (found := _CONTROL.findall(data)):
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
        yield (path, f"{_field_name(path)} holds the control character(s) {codes}",
               "remove them: text fields take printable characters, tabs and line breaks only")
    elif ((isinstance(data, int) and not isinstance(data, bool))
          or (isinstance(data, float) and math.isfinite(data))) and abs(data) > LARGEST_NUMBER:
        yield (path, f"{_field_name(path)}: {str(data)[:20]}... is too large",
               f"numbers must be at most {LARGEST_NUMBER:,}")


def _reread(path: Path, root: Path) -> str | None:
    """The file's text again, for positions; None if it is gone or no longer readable."""
    try:
        return read_regular(path, inside=root, limit=YAML_LIMIT).decode("utf-8")
    except (UnsafeFile, OSError, UnicodeDecodeError):
        return None


@dataclass
class Source:
    """One YAML file: where it is (as shown to the user) and what it holds."""

    rel: str
    kind: str
    doc: YamlDocument
    valid: bool = True

    @property
    def id(self) -> str:
        return Path(self.rel).stem


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def report(
        self,
        source: Source | str,
        path: JsonPath,
        message: str,
        hint: str = "",
        *,
        key: bool = False,
        severity: str = "error",
    ) -> None:
        if isinstance(source, Source):
            pos = source.doc.position(path, key=key)
            self.problems.append(
                Problem(source.rel, pos.line, pos.column, message, hint, severity)
            )
        else:
            self.problems.append(Problem(source, 1, 1, message, hint, severity))


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _field_name(path: Iterable[str | int]) -> str:
    parts = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else part)
    return "".join(parts) or "the file"


def _describe(error: ValidationError, root: dict[str, Any]) -> tuple[JsonPath, str, str, bool]:
    """Plain-words message, hint, and whether to point at the key rather than the value."""
    path: JsonPath = tuple(error.absolute_path)
    where = _field_name(path)
    sub = subschema(root, error.absolute_schema_path)
    desc = sub.get("description", "")
    validator = error.validator
    if validator in ("oneOf", "anyOf") and error.context:
        # Explain the branch the user was evidently writing: the one that got furthest.
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(path):
            return _describe(deepest, root)
    if validator == "required":
        missing = error.message.split("'")[1]
        prop = sub.get("properties", {}).get(missing, {})
        hint = f"add `{missing}:`" + (f" ({prop['description']})" if "description" in prop else "")
        return path, f"{where} is missing the required field '{missing}'", hint, True
    if validator == "additionalProperties":
        allowed = sub.get("properties", {})
        extras = [k for k in error.instance if k not in allowed]
        name = extras[0] if extras else "?"
        hint = _suggest(name, allowed) or "allowed fields: " + ", ".join(allowed)
        return (*path, name), f"unknown field '{name}' in {where}", hint, True
    if validator == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        suggestion = _suggest(str(error.instance), [str(v) for v in error.validator_value])
        hint = suggestion or f"use one of: {options}"
        return path, f"{where}: '{error.instance}' is not allowed", hint, False
    if validator == "pattern":
        words = pattern_words(error.validator_value)
        hint = words.hint() if words else desc
        return path, f"{where}: '{error.instance}' is not a valid value", hint, False
    if validator == "type":
        expected = {"array": "a list", "object": "a mapping of fields", "string": "text",
                    "number": "a number", "integer": "a whole number", "boolean": "true or false"}
        wanted = error.validator_value
        if wanted == TEXT_TYPES:  # text, in one language or a mapping of several: say "text"
            wanted = "string"
        names = [expected.get(t, t) for t in ([wanted] if isinstance(wanted, str) else wanted)]
        hint = desc or f"write {' or '.join(names)} here"
        if isinstance(error.instance, float) and not math.isfinite(error.instance):
            return (path, f"{where} must be a finite number, not {error.instance}",
                    "NaN and infinity cannot be published in JSON: write a number", False)
        if wanted == "integer" and isinstance(error.instance, float):
            hint = f"write it without a decimal point: `{path[-1]}: {int(error.instance)}`" if (
                error.instance.is_integer()) else hint
        if wanted == "string" and isinstance(error.instance, int | float):
            hint = f'put it in quotes so it stays text: `{path[-1]}: "{error.instance}"`'
        elif wanted == "string" and error.instance is None:
            hint = "the value is empty: write the text after the colon"
        return path, f"{where} must be {' or '.join(names)}", hint, False
    if validator in ("oneOf", "anyOf"):
        hint = desc or "see the schema for the allowed forms"
        return path, f"{where} does not match any allowed form", hint, False
    if validator == "const":
        value = json.dumps(error.validator_value)
        return path, f"{where} must be {value}", desc or f"write {value} or remove it", False
    if validator == "uniqueItems":
        return path, f"{where} lists the same item twice", "remove the duplicate", False
    if validator in ("minItems", "minLength", "minProperties"):
        unit = {"minItems": "item", "minLength": "character", "minProperties": "field"}
        needed = plural(error.validator_value, unit[validator])
        hint = f"give at least {needed}" + (f" ({desc})" if desc else "")
        return path, f"{where} is too short or empty", hint, False
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return path, f"{where}: {error.message}", desc or "use a value in the allowed range", False
    return path, f"{where}: {error.message}", desc or "see the field in the schema", False


@dataclass(frozen=True)
class _Read:
    """What reading one file found, kept for the next load while its bytes stay the same."""

    digest: bytes  # of the schema, the declared languages and the file's bytes
    source: Source | None
    problems: tuple[Problem, ...]
    # The file as it stood when read (inode, size, modification and change times), and
    # what else `digest` covers: while both are the same, the file is not read again.
    stamp: tuple[int, int, int, int] | None = None
    context: bytes = b""


def _stamp(path: Path) -> tuple[int, int, int, int] | None:
    """A plain file's identity as far as a change goes, without following a link; None for
    anything else, which is then read (and refused) as before."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


@cache
def _schema_digest(kind: str) -> bytes:
    return hashlib.sha256(json.dumps(schema(kind), sort_keys=True).encode()).digest()


class _Loader(_Checker):
    def __init__(self, root: Path, catalog_dir: str, keys_dir: str,
                 files: dict[str, _Read], languages: Languages) -> None:
        super().__init__()
        self.files = files
        self.seen: set[str] = set()
        self.root = root
        self.languages = languages
        self.catalog_dir = root / catalog_dir
        self.keys_dir = root / keys_dir
        # Ids of entries whose files exist but have errors of their own: references to them
        # are not reported again (one typo must not become dozens of "unknown id" messages).
        self.broken: dict[str, set[str]] = {"issuer": set(), "credential": set(),
                                            "pathway": set(), "skill": set()}
        self.skills_unreadable = False
        # This load's untranslated texts, one object for equal ones (`localize`).
        self.texts: dict[str, Text] = {}

    # -- pass 1: files -----------------------------------------------------------------
    def _rel(self, path: Path) -> str:
        # By string: every catalog file's name is made once per load, and `relative_to`'s
        # parsing was most of a rebuild's loading time at 10,000 files.
        text, root = os.fspath(path), os.fspath(self.root) + os.sep
        if os.sep == "/" and text.startswith(root):
            return text[len(root):]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def read(self, path: Path, kind: str) -> Source | None:
        rel = self._rel(path)
        context = _schema_digest(kind) + repr(self.languages).encode()
        stamp = _stamp(path)
        earlier = self.files.get(rel)
        if (earlier is not None and stamp is not None and earlier.stamp == stamp
                and earlier.context == context):
            # Unchanged since it was read and checked (a link put in its place has an inode
            # of its own): `credcat serve` rebuilds without reading every file again.
            self.seen.add(rel)
            self.problems.extend(earlier.problems)
            return earlier.source
        try:
            raw = read_regular(path, inside=self.root, limit=YAML_LIMIT)
        except UnsafeFile as exc:
            self.report(rel, (), f"not read: {exc}", "catalog files must be plain files in "
                        "the repository")
            return None
        except OSError as exc:
            self.report(rel, (), f"cannot read the file: {exc}", "save it as UTF-8 text")
            return None
        digest = hashlib.sha256(context + raw).digest()
        self.seen.add(rel)
        if earlier is not None and earlier.digest == digest:
            self.problems.extend(earlier.problems)
            self.files[rel] = _Read(digest, earlier.source, earlier.problems, stamp, context)
            return earlier.source
        start = len(self.problems)
        source = self.parse(path, rel, kind, raw)
        self.files[rel] = _Read(digest, source, tuple(self.problems[start:]), stamp, context)
        return source

    def parse(self, path: Path, rel: str, kind: str, raw: bytes) -> Source | None:
        """One file's own checks: YAML, its schema, values no schema catches."""
        try:
            text = raw.decode("utf-8")
            doc = parse_yaml(text, reread=partial(_reread, path, self.root))
        except YamlError as exc:
            line, col = exc.position.line, exc.position.column
            self.problems.append(
                Problem(rel, line, col, exc.message, "fix the YAML syntax at this position")
            )
            return None
        except UnicodeDecodeError as exc:
            self.report(rel, (), f"cannot read the file: {exc}", "save it as UTF-8 text")
            return None
        source = Source(rel, kind, doc)
        for path_, pos in doc.duplicates:
            self.problems.append(Problem(
                rel, pos.line, pos.column, f"'{_field_name(path_)}' appears twice",
                "YAML keeps only the last one: remove or merge the duplicate"))
        if not isinstance(doc.data, dict):
            self.report(source, (), "the file must be a mapping of fields",
                        "start each line with `field: value`")
            return None
        plain = _plain_json(doc.data)
        hostile = [] if plain else list(_hostile_values(doc.data))
        errors = _schema_errors(kind, doc.data, plain=plain)
        described = [_describe(error, _validator(kind).schema) for error in errors]
        for path_, message, hint, key in _without_typo_echoes(described):
            self.report(source, path_, message, hint, key=key)
        for path_, message, hint in hostile:
            self.report(source, path_, message, hint)
        source.valid = not errors and not hostile
        if source.valid:
            for problem in localize(schema(kind), doc.data, self.languages, self.texts):
                self.report(source, problem.path, problem.message, problem.hint,
                            key=problem.key, severity=problem.severity)
        return source

    def entity_files(self, folder: str, kind: str) -> dict[str, Source]:
        found: dict[str, Source] = {}
        directory = self.catalog_dir / folder
        if not directory.is_dir():
            return found
        with os.scandir(directory) as listing:  # file types without a call per file
            entries = sorted((entry.name, entry) for entry in listing
                             if not entry.name.startswith(".") and not entry.is_dir())
        for _name, entry in entries:
            path = Path(entry.path)
            rel = self._rel(path)
            if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml":
                self.report(rel, (), f"'{path.name}' is not read: catalog files end in .yaml",
                            f"rename it to {path.stem}.yaml")
                continue
            if path.suffix != ".yaml":
                continue
            if path.stem in RESERVED_IDS:
                self.report(rel, (), f"'{path.stem}' is reserved for the site's own pages",
                            "choose another file name for this entry")
                continue
            if not is_id(path.stem):
                self.report(rel, (), f"file name '{path.stem}' is not a valid id",
                            "use lowercase letters, digits and hyphens, e.g. data-literacy.yaml")
                continue
            source = self.read(path, kind)
            if source is None or not source.valid:
                self.broken[kind].add(path.stem)
                continue
            declared = source.doc.data.get("id")
            if declared is not None and declared != path.stem:
                self.report(source, ("id",), f"id '{declared}' does not match the file name "
                            f"'{path.name}'", f"rename the file to {declared}.yaml or set "
                            f"`id: {path.stem}`")
                self.broken[kind].add(path.stem)
                continue
            found[path.stem] = source
        return found

    # -- pass 2: model and references ---------------------------------------------------
    def build(self) -> Catalog:
        if not self.catalog_dir.is_dir():
            self.report(self._rel(self.catalog_dir), (), "the catalog folder does not exist",
                        "run credcat in the folder that holds catalog/, or create it")
        self.check_tree()
        issuer_sources = self.entity_files("issuers", "issuer")
        credential_sources = self.entity_files("credentials", "credential")
        pathway_sources = self.entity_files("pathways", "pathway")
        skills = self.load_skills()
        issuers = {i: self.make_issuer(s) for i, s in issuer_sources.items()}
        for iid, source in issuer_sources.items():
            self.check_country(source, issuers[iid])
        occupations: dict[str, Occupation] = {}
        credentials: dict[str, Credential] = {}
        for cid, source in credential_sources.items():
            credential = self.make_credential(source, issuers, skills, occupations)
            if credential:
                credentials[cid] = credential
            else:
                self.broken["credential"].add(cid)
        for cid, source in credential_sources.items():
            if cid in credentials:
                self.link_credential(source, credentials[cid], credentials)
        for cid, source in credential_sources.items():
            if cid in credentials:
                self.check_alone(source, credentials[cid])
        self.check_cycles(credentials, credential_sources, "these credentials require each "
                          "other", lambda c: c.prerequisites, ("prerequisites", "credentials"))
        self.check_cycles(credentials, credential_sources, "these credentials stack into each "
                          "other", lambda c: c.stacks_into, ("stacks_into",))
        pathways = {}
        for pid, source in pathway_sources.items():
            pathway = self.make_pathway(source, credentials, occupations)
            if pathway:
                pathways[pid] = pathway
            else:
                self.broken["pathway"].add(pid)
        for pid, source in pathway_sources.items():
            target = source.doc.data.get("leads_to")
            if pid in pathways and target:
                if target == pid:
                    self.report(source, ("leads_to",), "the pathway leads to itself",
                                "name another pathway or remove `leads_to`")
                    continue
                other = self._ref(source, ("leads_to",), target, pathways, "pathway",
                                  "catalog/pathways/")
                if other:
                    pathways[pid].leads_to = other
                    other.led_from.append(pathways[pid])
        self.check_cycles(pathways, pathway_sources, "these pathways lead into each other",
                          lambda p: [p.leads_to] if p.leads_to else [], ("leads_to",))
        keys = self.load_keys(issuers)
        for skill in skills.values():
            skill.credentials.sort(key=lambda c: c.name)
        return Catalog(issuers, credentials, pathways, skills, dict(sorted(occupations.items())),
                       keys, self.load_exchange_rates(credentials), self.languages)

    def load_exchange_rates(self, credentials: dict[str, Credential]) -> ExchangeRates | None:
        """The optional reference rates; every currency a price uses should have one."""
        path = self.catalog_dir / "exchange-rates.yaml"
        if not path.is_file():
            return None
        source = self.read(path, "exchange-rates")
        if source is None or not source.valid:
            return None
        data = source.doc.data
        for code in (data["base"], *data["rates"]):
            if pycountry.currencies.get(alpha_3=code) is None:
                where = ("base",) if code == data["base"] else ("rates", code)
                self.report(source, where, f"'{code}' is not an ISO 4217 currency",
                            "use a code such as USD, EUR, CAD", key=where[0] == "rates")
        rates = ExchangeRates(data["date"], data["source"], data["base"],
                              {k: Decimal(str(v)) for k, v in data["rates"].items()},
                              data.get("url"))
        priced = {c.cost.currency for c in credentials.values() if c.cost.currency}
        missing = sorted(code for code in priced if rates.rate(code) is None)
        if missing:
            self.report(source, ("rates",), f"no rate for {', '.join(missing)}, which "
                        "credentials are priced in", "add a rate for each, or the cost filter "
                        "cannot compare those credentials", severity="warning")
        return rates

    def check_tree(self) -> None:
        """Every file under the catalog folder is plain, stays inside it, and runs nothing.

        The build publishes the catalog's images whether an entry names them or not, so a
        symlink to /etc/passwd, a FIFO or a scripted SVG anywhere in the folder is an error.
        """
        self._check_folder(self.catalog_dir)

    def _check_folder(self, folder: Path) -> None:
        # Folders are entered only when they are real ones (never through a symlink), so an
        # entry that is not itself a symlink lies inside the catalog folder: only symlinks
        # need their real path worked out, which took a second at 10,000 files, on every
        # `serve` rebuild. The listing's file types need no further call to the system.
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return  # a folder that vanished or cannot be listed holds nothing to publish
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                self._check_folder(Path(entry.path))
                continue
            path = Path(entry.path)
            if entry.is_symlink() and outside(path, self.catalog_dir):
                rel = self._rel(path)
                self.report(rel, (), f"'{rel}' leads to {path.resolve()}, outside the "
                            "catalog folder", "replace the symlink with a copy of the file "
                            "(or remove it): nothing outside the catalog is published")
            elif not (entry.is_file() or entry.is_dir()):
                rel = self._rel(path)
                self.report(rel, (), f"'{rel}' is not a regular file (a FIFO, device or "
                            "socket)", "remove it: the catalog holds only ordinary files")
            elif path.suffix.lower() == ".svg":
                rel = self._rel(path)
                try:
                    data = read_regular(path, inside=self.catalog_dir, limit=IMAGE_LIMIT)
                except UnsafeFile as exc:
                    self.report(rel, (), f"'{rel}' is not used: {exc}")
                    continue
                for problem in svg_problems(data):
                    self.report(rel, (), f"this SVG could run script or load content when "
                                f"opened: {problem}", "export the badge again as a plain "
                                "SVG (shapes, text, gradients) or as PNG")

    def load_skills(self) -> dict[str, Skill]:
        path = self.catalog_dir / "skills.yaml"
        if not path.is_file():
            self.skills_unreadable = True
            if self.catalog_dir.is_dir():
                misnamed = path.with_suffix(".yml")
                hint = (f"rename {misnamed.name} to skills.yaml" if misnamed.is_file() else
                        "create it with a `skills:` list; credentials refer to its ids")
                self.report(self._rel(path), (), f"{self._rel(path)} is missing", hint)
            return {}
        source = self.read(path, "skills")
        if source is None or not source.valid:
            self.skills_unreadable = True
            return {}
        skills: dict[str, Skill] = {}
        for index, item in enumerate(source.doc.data["skills"]):
            if item["id"] in skills:
                self.report(source, ("skills", index, "id"), f"duplicate skill id '{item['id']}'",
                            "each skill id must be unique; rename or merge the two")
                continue
            skills[item["id"]] = Skill(
                id=item["id"], name=item["name"], description=item["description"],
                alignments=[Alignment(**a) for a in item.get("alignments", [])],
            )
        return skills

    def make_issuer(self, source: Source) -> Issuer:
        data = source.doc.data
        return Issuer(
            id=source.id, name=data["name"], url=data["url"], email=data["email"],
            kind=data["kind"], country=data["country"], region=data.get("region"),
            description=data["description"],
            quality_assurance=QualityAssurance(**data["quality_assurance"]),
            logo=data.get("logo"), source=source.rel,
            linkedin_organization_id=data.get("linkedin_organization_id"),
        )

    def check_country(self, source: Source, issuer: Issuer) -> None:
        if pycountry.countries.get(alpha_2=issuer.country) is None:
            self.report(source, ("country",), f"'{issuer.country}' is not an ISO 3166-1 country",
                        "use a two-letter code such as CA, IE, US, AU, GB")
        self.check_image(source, "logo", issuer.logo)

    def check_image(self, source: Source, field_name: str, value: str | None) -> None:
        """The image must be a plain file in the catalog folder (check_tree checks SVGs)."""
        if not value:
            return
        path = self.catalog_dir / value
        if outside(path, self.catalog_dir):
            self.report(source, (field_name,), f"image '{value}' leads outside the catalog "
                        "folder", "copy the image into catalog/images/ and give that path; "
                        "symlinks and '..' must stay inside the catalog")
            return
        if not path.exists():
            self.report(source, (field_name,), f"image '{value}' does not exist",
                        "give a path relative to the catalog folder, e.g. images/badge.svg")
            return
        if not path.is_file():
            self.report(source, (field_name,), f"image '{value}' is not an ordinary file",
                        "give an image file in catalog/images/")

    def _ref(self, source: Source, path: JsonPath, value: str, table: dict[str, Any],
             what: str, folder: str) -> Any | None:
        if value in table:
            return table[value]
        if value in self.broken[what] or (what == "skill" and self.skills_unreadable):
            return None  # that file's own errors are reported already
        hint = _suggest(value, table) or f"use an id from {folder}"
        self.report(source, path, f"unknown {what} '{value}'", hint)
        return None

    def make_credential(self, source: Source, issuers: dict[str, Issuer],
                        skills: dict[str, Skill], occupations: dict[str, Occupation],
                        ) -> Credential | None:
        data = source.doc.data
        issuer = self._ref(source, ("issuer",), data["issuer"], issuers, "issuer",
                           "catalog/issuers/")
        skill_list = []
        for i, sid in enumerate(data["skills"]):
            skill = self._ref(source, ("skills", i), sid, skills, "skill", "catalog/skills.yaml")
            if skill:
                skill_list.append(skill)
        cost = data["cost"]
        for where, priced in (("cost",), cost), (("alone", "cost"), data.get("alone", {}).get(
                "cost", {})):
            if "currency" in priced and pycountry.currencies.get(
                    alpha_3=priced["currency"]) is None:
                self.report(source, (*where, "currency"),
                            f"'{priced['currency']}' is not an ISO 4217 currency",
                            _suggest(priced["currency"], [c.alpha_3 for c in pycountry.currencies])
                            or "use a code such as USD, EUR, CAD")
        for i, lang in enumerate(data["languages"]):
            base = lang.split("-")[0]
            known = (pycountry.languages.get(alpha_2=base) if len(base) == 2
                     else pycountry.languages.get(alpha_3=base))
            if known is None:
                self.report(source, ("languages", i), f"'{lang}' is not a known language code",
                            "use a BCP 47 code such as en, fr or fr-CA")
        evaluation = self.make_evaluation(source, data["evaluation"])
        self.check_image(source, "image", data.get("image"))
        updated = None
        if data.get("updated") is not None:
            try:
                updated = parse_day(data["updated"])
            except ValueError as exc:
                self.report(source, ("updated",), f"updated: {exc}",
                            "write the day the requirements last changed, as YYYY-MM-DD")
                return None
        if issuer is None:
            return None
        occupation_list = []
        for item in data.get("occupations", []):
            occupation = occupations.setdefault(
                item["onet"], Occupation(item["onet"], item["title"], item.get("esco"))
            )
            for title in item.get("alternate_titles", []):
                if title not in occupation.alternate_titles:
                    occupation.alternate_titles.append(title)
            occupation_list.append(occupation)
        alone = data.get("alone")
        credential = Credential(
            id=source.id, name=data["name"], issuer=issuer,
            achievement_type=data["achievement_type"], summary=data["summary"],
            description=data["description"], learning_outcomes=data["learning_outcomes"],
            skills=skill_list, evaluation=evaluation, level=Level(**data["level"]),
            workload=Workload(**data["workload"]),
            cost=_cost(cost),
            alone=Alone(_cost(alone["cost"]), Workload(**alone["workload"]), alone.get("note"))
            if alone else None,
            participation=data["participation"], languages=data["languages"],
            status=data["status"], version=data["version"],
            duration=Duration(**data["duration"]) if "duration" in data else None,
            prerequisites_text=data.get("prerequisites", {}).get("text"),
            credit_transfer=data.get("credit_transfer"), occupations=occupation_list,
            industries=data.get("industries", []),
            recognition=[Recognition(**r) for r in data.get("recognition", [])],
            assessment_conditions=(AssessmentConditions(**data["assessment_conditions"])
                                   if "assessment_conditions" in data else None),
            quality_assurance=data.get("quality_assurance"),
            validity_months=data.get("validity_months"), ctid=data.get("ctid"),
            url=data.get("url"), updated=updated, tags=data.get("tags", []),
            image=data.get("image"), source=source.rel,
        )
        issuer.credentials.append(credential)
        for skill in skill_list:
            skill.credentials.append(credential)
        for occupation in occupation_list:
            occupation.credentials.append(credential)
        return credential

    def make_evaluation(self, source: Source, data: dict[str, Any]) -> Evaluation:
        rubric = None
        if "rubric" in data:
            levels = data["rubric"]["levels"]
            criteria = []
            for i, item in enumerate(data["rubric"]["criteria"]):
                if len(item["descriptors"]) != len(levels):
                    self.report(source, ("evaluation", "rubric", "criteria", i, "descriptors"),
                                f"criterion '{item['criterion']}' has "
                                f"{plural(len(item['descriptors']), 'descriptor')} for "
                                f"{plural(len(levels), 'level')}",
                                "give one descriptor per performance level, in the same order")
                criteria.append(RubricCriterion(item["criterion"], item["descriptors"]))
            rubric = Rubric(levels, criteria)
        methods = [AssessmentMethod(**m) for m in data["methods"]]
        weights = [m.weight_percent for m in methods]
        if all(w is not None for w in weights) and sum(weights) != 100:  # type: ignore[arg-type]
            self.report(source, ("evaluation", "methods"),
                        f"assessment weights add up to {sum(weights)}%, not 100%",  # type: ignore[arg-type]
                        "make the weight_percent values sum to 100", severity="warning")
        return Evaluation(data["narrative"], methods, data["pass_threshold"], data["evidence"],
                          rubric, data.get("grading"))

    def link_credential(self, source: Source, credential: Credential,
                        credentials: dict[str, Credential]) -> None:
        data = source.doc.data
        for field_path, target in (
            (("prerequisites", "credentials"), credential.prerequisites),
            (("stacks_into",), credential.stacks_into),
        ):
            node: Any = data
            for part in field_path:
                node = node.get(part, {}) if isinstance(node, dict) else {}
            for i, ref in enumerate(node or []):
                if ref == credential.id:
                    self.report(source, (*field_path, i), f"{_field_name(field_path)} lists "
                                "the credential itself", "remove it")
                    continue
                other = self._ref(source, (*field_path, i), ref, credentials, "credential",
                                  "catalog/credentials/")
                if other:
                    target.append(other)
        for other in credential.stacks_into:
            other.stacked_from.append(credential)
        replacement = data.get("replaced_by")
        if replacement is not None:
            if credential.active:
                self.report(source, ("replaced_by",), "an active credential has a replacement",
                            "set `status: retired`, or remove `replaced_by`")
            elif replacement == credential.id:
                self.report(source, ("replaced_by",), "the credential replaces itself",
                            "name the credential that takes its place")
            else:
                credential.replaced_by = self._ref(source, ("replaced_by",), replacement,
                                                   credentials, "credential",
                                                   "catalog/credentials/")

    def check_alone(self, source: Source, credential: Credential) -> None:
        """`alone` only means something for a credential others stack into."""
        alone = credential.alone
        if alone is None:
            return
        if not credential.stacked_from:
            self.report(source, ("alone",), "`alone` is given but no credential stacks into "
                        f"'{credential.id}'", "add this id to the parts' `stacks_into`, or "
                        "remove `alone`")
        if alone.workload.hours > credential.workload.hours:
            self.report(source, ("alone", "workload", "hours"), "the workload alone is more "
                        "than the workload with all parts", "`workload` counts every part; "
                        "`alone.workload` only what remains once the parts are held")
        if (alone.cost.currency == credential.cost.currency and alone.cost.amount is not None
                and (credential.cost.amount is None or alone.cost.amount > credential.cost.amount)):
            self.report(source, ("alone", "cost", "amount"), "the cost alone is more than the "
                        "cost with all parts", "`cost` counts every part; `alone.cost` only "
                        "what remains once the parts are held")

    def make_pathway(self, source: Source, credentials: dict[str, Credential],
                     occupations: dict[str, Occupation]) -> Pathway | None:
        data = source.doc.data
        stages = []
        ok = True
        for s, stage in enumerate(data["stages"]):
            members = []
            for i, ref in enumerate(stage["credentials"]):
                credential = self._ref(source, ("stages", s, "credentials", i), ref, credentials,
                                       "credential", "catalog/credentials/")
                if credential is None:
                    ok = False
                    continue
                if not credential.active:
                    self.report(source, ("stages", s, "credentials", i),
                                f"credential '{ref}' is retired",
                                "learners can no longer earn it; replace it in this stage",
                                severity="warning")
                members.append(credential)
            require = stage.get("require", "all")
            count = len(stage["credentials"])
            required = count if require == "all" else require
            if required > count:
                self.report(source, ("stages", s, "require"), f"stage '{stage['name']}' "
                            f"requires {required} credentials but lists only {count}",
                            f"lower `require` to at most {count} or list more credentials")
                ok = False
            stages.append(Stage(stage["name"], members, min(required, len(members)),
                                stage.get("description")))
        goal = data["goal"]
        code = goal.get("occupation")
        if code and code not in occupations:
            self.report(source, ("goal", "occupation"), f"no credential in the catalog names "
                        f"the occupation {code}", "add the occupation to a credential of this "
                        "pathway, so its title is known", severity="warning")
        if not ok:
            return None
        pathway = Pathway(
            id=source.id, name=data["name"], description=data["description"], stages=stages,
            goal_role=goal.get("role"), goal_occupation=occupations.get(code) if code else None,
            goal_code=code, featured=data.get("featured", False), source=source.rel,
        )
        seen: set[str] = set()
        for stage in stages:
            for credential in stage.credentials:
                if credential.id not in seen:
                    seen.add(credential.id)
                    credential.pathways.append(pathway)
        if pathway.goal_occupation:
            pathway.goal_occupation.pathways.append(pathway)
        return pathway

    def check_cycles(self, items: dict[str, Any], sources: dict[str, Source], what: str,
                     edges: Callable[[Any], list[Any]], field_path: JsonPath) -> None:
        """Report each cycle once, at the first member in file order."""
        state: dict[str, int] = {}
        reported: set[frozenset[str]] = set()

        def visit(node: Any, trail: list[str]) -> None:
            state[node.id] = 1
            trail.append(node.id)
            for nxt in edges(node):
                if state.get(nxt.id) == 1:
                    cycle = trail[trail.index(nxt.id):]
                    members = frozenset(cycle)
                    if members not in reported:
                        reported.add(members)
                        first = cycle.index(min(cycle))
                        ring = [*cycle[first:], *cycle[:first]]
                        self.report(sources[ring[0]], field_path,
                                    f"{what}: {' -> '.join([*ring, ring[0]])}",
                                    "remove one of these links so the chain ends")
                elif nxt.id not in state:
                    visit(nxt, trail)
            trail.pop()
            state[node.id] = 2

        for item in items.values():
            if item.id not in state:
                visit(item, [])

    def load_keys(self, issuers: dict[str, Issuer]) -> list[PublicKey]:
        keys: list[PublicKey] = []
        if not self.keys_dir.is_dir():
            return keys
        seen: dict[str, str] = {}
        for folder in sorted(p for p in self.keys_dir.iterdir() if p.is_dir()):
            for path in sorted(folder.glob("*.y*ml")):
                source = self.read(path, "public-key")
                if source is None or not source.valid:
                    continue
                data = source.doc.data
                if folder.name not in issuers:
                    self.report(source, (), f"keys for unknown issuer '{folder.name}'",
                                _suggest(folder.name, issuers) or
                                "name the folder after an issuer id in catalog/issuers/")
                    continue
                try:
                    multikey.decode_public_key(data["publicKeyMultibase"])
                except ValueError as exc:
                    self.report(source, ("publicKeyMultibase",), f"the key does not decode: {exc}",
                                "copy the publicKeyMultibase written by `credcat keygen`")
                    continue
                other = seen.get(data["publicKeyMultibase"])
                if other:
                    self.report(source, ("publicKeyMultibase",),
                                f"the same public key is already published in {other}",
                                "each key belongs to one issuer and one key id")
                    continue
                seen[data["publicKeyMultibase"]] = source.rel
                moments = self.key_dates(source)
                if moments is None:
                    continue
                key = PublicKey(
                    issuer=folder.name, id=path.stem,
                    public_key_multibase=data["publicKeyMultibase"], created=moments["created"],
                    state=KeyState(data["state"]), retired=moments.get("retired"),
                    revoked=moments.get("revoked"),
                    revocation_reason=data.get("revocation_reason"), source=source.rel,
                )
                if self.check_key_state(source, key):
                    keys.append(key)
                    issuers[folder.name].keys.append(key)
        return keys

    def key_dates(self, source: Source) -> dict[str, datetime] | None:
        """The key's dates parsed, or None once each impossible one is reported where it is."""
        moments: dict[str, datetime] = {}
        sound = True
        for name in ("created", "retired", "revoked"):
            value = source.doc.data.get(name)
            if value is None:
                continue
            try:
                moments[name] = parse_moment(value)
            except ValueError as exc:
                self.report(source, (name,), f"{name}: {exc}", f"write {MOMENT_FORMS}")
                sound = False
        return moments if sound else None

    def check_key_state(self, source: Source, key: PublicKey) -> bool:
        needs = {"retired": "retired", "revoked": "revoked"}.get(key.state)
        if needs and getattr(key, needs) is None:
            self.report(source, ("state",), f"a {key.state} key needs the date `{needs}:`",
                        f"add `{needs}: YYYY-MM-DD`")
            return False
        if key.state == "revoked" and not key.revocation_reason:
            self.report(source, ("state",), "a revoked key needs a `revocation_reason:`",
                        "say why, e.g. 'laptop lost'")
            return False
        for field_name in ("retired", "revoked"):
            value = getattr(key, field_name)
            if value and value < key.created:
                self.report(source, (field_name,), f"the key is {field_name} before it was "
                            f"created ({xsd(key.created)})", f"correct the `{field_name}` date")
                return False
        if key.state == "active" and (key.retired or key.revoked):
            field_name = "retired" if key.retired else "revoked"
            self.report(source, (field_name,), f"an active key has a `{field_name}` date",
                        f"set `state: {field_name}` or remove the date")
            return False
        return True


def _without_typo_echoes(described: list[tuple[JsonPath, str, str, bool]]
                         ) -> list[tuple[JsonPath, str, str, bool]]:
    """Drop "missing field x" when the same mapping has a misspelt x (one typo, one message)."""
    typos = {(path[:-1], str(path[-1])) for path, message, _h, _k in described
             if message.startswith("unknown field")}
    kept = []
    for entry in described:
        path, message, _hint, _key = entry
        if message.startswith(f"{_field_name(path)} is missing the required field"):
            missing = message.rsplit("'", 2)[-2]
            if any(parent == path and difflib.get_close_matches(missing, [name], cutoff=0.75)
                   for parent, name in typos):
                continue
        kept.append(entry)
    return kept


def _cost(data: dict[str, Any]) -> Cost:
    return Cost(amount=None if data.get("free") else Decimal(str(data["amount"])),
                currency=data.get("currency"), note=data.get("note"))


class CatalogLoader:
    """Loads one project's catalog as often as asked, parsing and validating only what changed.

    `credcat serve` rebuilds after every edit; keep one CatalogLoader for the life of the
    process and call `load()` on each rebuild. A file whose bytes (and schema, and the
    catalog's declared languages) are those of the last load is not parsed or validated
    again, and its own problems are given again as found; the checks between files, the
    references and the model are made anew each time, so `load()` returns what `load_catalog`
    would. The model shares lists with the kept files: treat it as read-only, as every
    consumer already does.

    `languages` is the catalog's declaration from mkdocs.yml, passed in so that the catalog
    layer never reads the site's configuration.
    """

    def __init__(self, root: Path, catalog_dir: str = "catalog",
                 keys_dir: str = "public_keys", languages: Languages = ENGLISH) -> None:
        self.root, self.catalog_dir, self.keys_dir = root, catalog_dir, keys_dir
        self.languages = languages
        self._files: dict[str, _Read] = {}

    def load(self) -> tuple[Catalog, list[Problem]]:
        """Load what can be loaded and return it with every problem found, sorted by file."""
        loader = _Loader(self.root, self.catalog_dir, self.keys_dir, self._files,
                         self.languages)
        catalog = loader.build()
        for rel in self._files.keys() - loader.seen:  # deleted or no longer read
            del self._files[rel]
        return catalog, sorted(loader.problems)


def load_catalog(root: Path, catalog_dir: str = "catalog", keys_dir: str = "public_keys",
                 languages: Languages = ENGLISH) -> tuple[Catalog, list[Problem]]:
    """Load what can be loaded and return it with every problem found, sorted by file."""
    return CatalogLoader(root, catalog_dir, keys_dir, languages).load()


def require_catalog(root: Path, catalog_dir: str = "catalog", keys_dir: str = "public_keys",
                    languages: Languages = ENGLISH) -> tuple[Catalog, list[Problem]]:
    """Like `load_catalog`, but raise CatalogError when any problem is an error."""
    catalog, problems = load_catalog(root, catalog_dir, keys_dir, languages)
    if any(p.is_error for p in problems):
        raise CatalogError(problems)
    return catalog, problems
