"""`credcat new`: a new credential, pathway or issuer file that passes `credcat check` at once.

Copying an old file and editing it is how catalogs collect stale fields. A new entry is built
from the values given (flags, or answers at a terminal), placeholders marked TODO go only
where the schema takes free text, and the file is checked by the real loader, inside a
temporary copy of the catalog, before anything is written. So a typo in an issuer id is
refused with the loader's own message, and the file that lands is one `credcat check` accepts.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from site_builder.catalog.loader import RESERVED_IDS, load_catalog, schema
from site_builder.catalog.localized import text_fields
from site_builder.catalog.model import ENGLISH, Languages
from site_builder.catalog.problems import Problem
from site_builder.catalog.schema_facts import is_id
from site_builder.errors import CredcatError, ExitCode

KINDS = {"credential": "credentials", "pathway": "pathways", "issuer": "issuers"}


class EntryError(CredcatError):
    """The values cannot make a valid entry; the message says which and what to do.

    A usage error: the id or a flag's value is wrong. An entry that exists already is the
    state of the files, not the command line, so it is raised as INVALID.
    """

    exit_code = ExitCode.USAGE


def _enum(kind: str, *path: str) -> list[str]:
    """Allowed values of a field, read from the schema so flags and schema never disagree."""
    node: Any = schema(kind)
    for step in path:
        node = node["items"] if step == "[]" else node["properties"][step]
    return list(node["enum"])


ACHIEVEMENT_TYPES = _enum("credential", "achievement_type")
LEVELS = _enum("credential", "level", "label")
PARTICIPATION = _enum("credential", "participation")
ASSESSMENT_TYPES = _enum("credential", "evaluation", "methods", "[]", "type")
ISSUER_KINDS = _enum("issuer", "kind")
QA_TYPES = _enum("issuer", "quality_assurance", "type")


@dataclass(frozen=True)
class Question:
    """A value `credcat new` needs: the flag that gives it and how to ask for it."""

    dest: str
    flag: str
    prompt: str
    choices: tuple[str, ...] = ()
    many: bool = False


REQUIRED: dict[str, list[Question]] = {
    "credential": [
        Question("name", "--name", "Title of the credential, as printed on the badge"),
        Question("issuer", "--issuer", "Issuer id (a file name in catalog/issuers/)"),
        Question("skill", "--skill", "Skill ids from catalog/skills.yaml, separated by commas",
                 many=True),
        Question("hours", "--hours", "Notional learning hours"),
        Question("cost", "--cost", "Cost to the learner: amount and currency (120 CAD), "
                 "or free"),
        Question("assessment", "--assessment", "Assessment methods, separated by commas",
                 tuple(ASSESSMENT_TYPES), many=True),
    ],
    "pathway": [
        Question("name", "--name", "Name of the pathway"),
        Question("role", "--role", "The role it leads to, in words"),
        Question("stage", "--stage", "First stage as NAME=CREDENTIAL-ID,CREDENTIAL-ID",
                 many=True),
    ],
    "issuer": [
        Question("name", "--name", "Legal or trading name of the awarding body"),
        Question("url", "--url", "Home page (https://...)"),
        Question("email", "--email", "Contact e-mail for questions about credentials"),
        Question("kind", "--kind", "Kind of organisation", tuple(ISSUER_KINDS)),
        Question("country", "--country", "ISO 3166-1 country code, e.g. CA, IE, US"),
        Question("qa_type", "--qa-type", "Kind of quality assurance", tuple(QA_TYPES)),
    ],
}


def missing(kind: str, values: dict[str, Any]) -> list[Question]:
    """Required values not given. A pathway's goal may be a role or an occupation code."""
    questions = [q for q in REQUIRED[kind] if not values.get(q.dest)]
    if kind == "pathway" and values.get("occupation"):
        questions = [q for q in questions if q.dest != "role"]
    return questions


def check_id(kind: str, entry_id: str, root: Path, catalog_dir: str) -> Path:
    """The file the entry goes to, after refusing bad, reserved and taken ids."""
    if not is_id(entry_id):
        raise EntryError(f"'{entry_id}' is not a valid id: use 2 to 63 lowercase letters, "
                         "digits and hyphens, starting with a letter or digit "
                         "(e.g. data-literacy)")
    if entry_id in RESERVED_IDS:
        raise EntryError(f"'{entry_id}' is reserved for the site's own pages; choose another id")
    folder = root / catalog_dir / KINDS[kind]
    for suffix in (".yaml", ".yml"):
        existing = folder / f"{entry_id}{suffix}"
        if existing.exists():
            raise EntryError(f"{existing.relative_to(root).as_posix()} already exists; not "
                             "overwriting it. Edit that file, or choose another id",
                             exit_code=ExitCode.INVALID)
    return folder / f"{entry_id}.yaml"


# -- building the data ------------------------------------------------------------------------
def _todo(what: str) -> str:
    return f"TODO: {what}"


def _cost(text: str) -> dict[str, Any]:
    value = text.strip()
    if value.lower() == "free":
        return {"free": True}
    parts = value.replace(",", "").split()
    if len(parts) == 2:
        amount_text, currency = parts
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", amount_text):
            amount_text, currency = currency, amount_text  # "CAD 120"
        try:
            amount = Decimal(amount_text)
        except InvalidOperation:
            amount = None
        if amount is not None and amount > 0:
            number: int | float = int(amount) if amount == amount.to_integral() else float(amount)
            return {"amount": number, "currency": currency.upper()}
    raise EntryError(f"--cost '{text}' is not a cost: write an amount and an ISO 4217 "
                     "currency code, e.g. --cost '120 CAD', or --cost free")


def _number(flag: str, text: str) -> int | float:
    try:
        value = Decimal(str(text))
    except InvalidOperation:
        raise EntryError(f"{flag} '{text}' is not a number") from None
    return int(value) if value == value.to_integral() else float(value)


def _split(values: list[str] | None) -> list[str]:
    """Repeated flags and comma-separated answers alike become one list."""
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def credential_data(values: dict[str, Any]) -> dict[str, Any]:
    level: dict[str, Any] = {"label": values.get("level") or "Introductory"}
    if values.get("eqf"):
        level["eqf"] = int(values["eqf"])
    return {
        "name": values["name"],
        "issuer": values["issuer"],
        "achievement_type": values.get("type") or "MicroCredential",
        "summary": values.get("summary") or _todo("one or two sentences for lists and "
                                                  "link previews."),
        "description": _todo("what the credential is and who it is for, in Markdown."),
        "learning_outcomes": [_todo("what a holder can do, one outcome per item.")],
        "skills": _split(values["skill"]),
        "evaluation": {
            "narrative": _todo("how learners are assessed and what they must show."),
            "methods": [{"type": t} for t in _split(values["assessment"])],
            "pass_threshold": _todo("what a learner must reach to earn it."),
            "evidence": [_todo("what the learner submits.")],
        },
        "level": level,
        "workload": {"hours": _number("--hours", values["hours"])},
        "cost": _cost(values["cost"]),
        "participation": values.get("participation") or "online",
        "languages": _split(values.get("language")) or ["en"],
        "version": values.get("version") or "1.0",
        "status": "active",
    }


def _stage(text: str) -> dict[str, Any]:
    name, sep, ids = text.partition("=")
    credentials = _split([ids])
    if not sep or not name.strip() or not credentials:
        raise EntryError(f"--stage '{text}' is not a stage: write NAME=CREDENTIAL-ID,"
                         "CREDENTIAL-ID, e.g. --stage 'Get started=data-literacy-essentials'")
    return {"name": name.strip(), "credentials": credentials}


def pathway_data(values: dict[str, Any]) -> dict[str, Any]:
    goal = {key: values[key] for key in ("occupation", "role") if values.get(key)}
    return {
        "name": values["name"],
        "description": values.get("description") or _todo(
            "who the pathway is for and where it leads, in Markdown."),
        "goal": goal,
        "stages": [_stage(text) for text in values["stage"]],
    }


def issuer_data(values: dict[str, Any]) -> dict[str, Any]:
    qa: dict[str, Any] = {"type": values["qa_type"]}
    if values.get("qa_body"):
        qa["body"] = values["qa_body"]
    if values.get("qa_url"):
        qa["url"] = values["qa_url"]
    qa["description"] = _todo("how the issuer's credentials are quality assured.")
    data: dict[str, Any] = {
        "name": values["name"],
        "url": values["url"],
        "email": values["email"],
        "kind": values["kind"],
        "country": str(values["country"]).upper(),
    }
    if values.get("region"):
        data["region"] = values["region"]
    data["description"] = values.get("description") or _todo("who the issuer is, in Markdown.")
    data["quality_assurance"] = qa
    return data


BUILDERS = {"credential": credential_data, "pathway": pathway_data, "issuer": issuer_data}


def in_languages(kind: str, data: dict[str, Any], languages: Languages) -> dict[str, Any]:
    """In a catalog of several languages, each text field as a mapping: the text given, in
    the default language, and a TODO for each other language, where the translation goes."""
    if len(languages.codes) < 2:
        return data
    for path, _field in list(text_fields(schema(kind), data)):
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        text = parent[path[-1]]
        parent[path[-1]] = {code: text if code == languages.default else
                            _todo(f"in {code}: {text}") for code in languages.codes}
    return data


# -- writing ----------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """Block style throughout; lists indented and multi-line text as `|` blocks, the way the
    example catalog is written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render(kind: str, data: dict[str, Any], schema_url: str) -> str:
    """The file's text: the schema line first, so editors complete and check the fields."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96,
                     default_flow_style=False)
    return f"# yaml-language-server: $schema={schema_url}\n{body}"


def problems_in_new_file(root: Path, catalog_dir: str, keys_dir: str, target: Path,
                         text: str, languages: Languages = ENGLISH) -> list[Problem]:
    """What the real loader says about the new file, read beside a copy of the catalog.

    Only YAML is copied (images are not needed to check references), and only the new file's
    problems are returned, errors and warnings: the rest of the catalog is not this command's
    business.
    """
    catalog_root = root / catalog_dir
    rel = target.relative_to(root).as_posix()
    with tempfile.TemporaryDirectory(prefix="credcat-new-") as tmp:
        copy = Path(tmp)
        if catalog_root.is_dir():
            shutil.copytree(catalog_root, copy / catalog_dir,
                            ignore=lambda folder, names: [
                                n for n in names if not (Path(folder, n).is_dir()
                                                         or n.endswith((".yaml", ".yml")))])
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        (copy / rel).write_text(text, encoding="utf-8")
        _catalog, problems = load_catalog(copy, catalog_dir, keys_dir, languages)
    return [p for p in problems if p.file == rel]
