"""What a pull request changes in a catalog, in words a reviewer reads: `credcat diff`.

A YAML diff shows lines; a reviewer needs to know that a credential's workload went from 20
to 30 hours, that a pathway still lists a credential the change deletes, or that a key was
revoked. Both revisions are loaded with the real loader (the one `credcat check` uses), and
the two validated models are compared, so the summary can never disagree with validation.

Errors (exit 1) are what would break the published catalog: a pathway or credential that
still uses a removed credential, and a catalog that does not validate at the newer revision.
Warnings are what a reviewer must read but may accept.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.catalog.loader import load_catalog
from site_builder.catalog.model import (
    ENGLISH,
    Catalog,
    Credential,
    Issuer,
    Languages,
    Occupation,
    Pathway,
    PublicKey,
    Skill,
    Text,
)
from site_builder.catalog.problems import Problem
from site_builder.catalog.yaml_source import YamlError, load_yaml
from site_builder.credentials import status_audit
from site_builder.credentials.status_list import (
    STATUS_DIR,
    Allocation,
    IssuerStatus,
    lists_signed_with,
)
from site_builder.dates import xsd
from site_builder.site.presentation import (
    duration_text,
    label,
    level_text,
    money,
    validity_text,
    workload_text,
)
from site_builder.text import plural
from site_builder.urls import Site

ARROW = "→"
SHORT_TEXT = 70  # longer prose is reported as "rewritten", not quoted in full


# -- one revision -----------------------------------------------------------------------------
@dataclass
class Revision:
    """A catalog at one revision: the validated model plus what the model leaves out."""

    label: str
    root: Path
    catalog: Catalog
    problems: list[Problem]
    catalog_dir: str
    keys_dir: str
    files: dict[str, set[str]]  # "credentials" -> ids of the files present, valid or not
    allocations: list[Allocation]
    status_changes: list[dict[str, str]]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def text(self, rel: str) -> str:
        try:
            return (self.root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""


def load_revision(label_text: str, root: Path, catalog_dir: str, keys_dir: str,
                  site: Site, languages: Languages = ENGLISH) -> Revision:
    """Load as `credcat check` does: the catalog, then (if it loads) the status records."""
    catalog, problems = load_catalog(root, catalog_dir, keys_dir, languages)
    if not any(p.is_error for p in problems):
        problems = sorted(problems + status_audit.audit(root, site, catalog))
    files = {folder: {p.stem for p in (root / catalog_dir / folder).glob("*.yaml")}
             for folder in ("credentials", "pathways", "issuers")}
    allocations: list[Allocation] = []
    changes: list[dict[str, str]] = []
    status_root = root / STATUS_DIR
    for folder in sorted(p for p in status_root.glob("*") if p.is_dir()):
        # `credcat check` reports malformed allocation files; here they count as none.
        with contextlib.suppress(KeyError, ValueError, OSError):
            allocations += IssuerStatus(root, Site.from_config(None), folder.name).allocations()
        log = folder / "changes.csv"
        if log.is_file():
            with log.open(encoding="utf-8", newline="") as handle:
                changes += [{**row, "issuer": folder.name} for row in csv.DictReader(handle)]
    return Revision(label_text, root, catalog, problems, catalog_dir, keys_dir, files,
                    allocations, changes)


# -- values compared field by field -----------------------------------------------------------
@dataclass(frozen=True)
class Code:
    """An id or code, shown in backticks."""

    value: str


@dataclass(frozen=True)
class Prose:
    """Free text: quoted when short, otherwise only said to be rewritten."""

    text: str
    quote: bool = True


@dataclass(frozen=True)
class Items:
    """A list compared by membership: what was added and removed."""

    values: tuple[str, ...]
    code: bool = False


Value = str | Code | Prose | Items | None


def md(text: str) -> str:
    """Catalog text is untrusted: escape what Markdown (or HTML) would interpret."""
    text = " ".join(str(text).split())
    return re.sub(r"([\\`*_\[\]<>|#~])", r"\\\1", text)


def _shown(value: Value) -> str:
    if value is None:
        return "not set"
    if isinstance(value, Code):
        return f"`{value.value}`"
    if isinstance(value, Prose):
        return f"“{md(value.text)}”"
    if isinstance(value, Items):
        return ", ".join(_item(v, value.code) for v in value.values) or "none"
    return md(value)


def _item(value: str, code: bool) -> str:
    if code:
        return f"`{value}`"
    short = value if len(value) <= SHORT_TEXT else value[:SHORT_TEXT - 1].rstrip() + "…"
    return f"“{md(short)}”"


def _arrow(old: str, new: str) -> str:
    """`20 hours`, `30 hours` -> `20 → 30 hours`: the shared unit is said once."""
    old_head, _, old_rest = old.partition(" ")
    new_head, _, new_rest = new.partition(" ")
    number = re.compile(r"^[0-9][0-9.,]*$")
    if old_rest and old_rest == new_rest and number.match(old_head) and number.match(new_head):
        return f"{old_head} {ARROW} {new_head} {old_rest}"
    return f"{old} {ARROW} {new}"


def describe_change(name: str, old: Value, new: Value) -> str | None:
    """One line in words for a field whose value differs, or None when it does not."""
    if old == new:
        return None
    if isinstance(old, Items) or isinstance(new, Items):
        before = old.values if isinstance(old, Items) else ()
        after = new.values if isinstance(new, Items) else ()
        code = (new if isinstance(new, Items) else old).code  # type: ignore[union-attr]
        added = [v for v in after if v not in before]
        removed = [v for v in before if v not in after]
        parts = []
        if added:
            parts.append("added " + ", ".join(_item(v, code) for v in added))
        if removed:
            parts.append("removed " + ", ".join(_item(v, code) for v in removed))
        if not parts:
            parts.append("reordered")
        return f"{name}: " + "; ".join(parts)
    if isinstance(old, Prose) or isinstance(new, Prose):
        if all(v is None or (v.quote and len(v.text) <= SHORT_TEXT)  # type: ignore[union-attr]
               for v in (old, new)):
            return f"{name}: {_shown(old)} {ARROW} {_shown(new)}"
        if old is None:
            return f"{name}: added"
        if new is None:
            return f"{name}: removed"
        return f"{name}: rewritten"
    return f"{name}: {_arrow(_shown(old), _shown(new))}"


def field_changes(old: dict[str, Value], new: dict[str, Value]) -> list[str]:
    lines = []
    for name in dict.fromkeys([*old, *new]):
        line = describe_change(name, old.get(name), new.get(name))
        if line:
            lines.append(line)
    return lines


# Catalog entries, which a field may refer to: their texts are compared under their own heading.
_ENTRIES = (Catalog, Credential, Issuer, Occupation, Pathway, PublicKey, Skill)


def catalog_texts(value: Any, at: str = "", out: dict[str, Text] | None = None
                  ) -> dict[str, Text]:
    """Every catalog text of an entry by where it is (`name`, `learning outcomes 2`,
    `evaluation rubric criteria 1 criterion`); entries it refers to are left to their own."""
    out = {} if out is None else out
    if isinstance(value, Text):
        out[at] = value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            child = getattr(value, item.name)
            if item.repr and not isinstance(child, _ENTRIES):
                catalog_texts(child, f"{at} {item.name.replace('_', ' ')}".strip(), out)
    elif isinstance(value, list | tuple):
        for number, child in enumerate(value, start=1):
            if not isinstance(child, _ENTRIES):
                catalog_texts(child, f"{at} {number}", out)
    return out


def translation_changes(old: Any, new: Any) -> list[str]:
    """Changes to the translations of an entry's texts (`name in fr: “A” → “B”`). A `Text`
    compares as its default language's string, so the fields above miss a change that only
    touches another language."""
    before, after = catalog_texts(old), catalog_texts(new)
    lines = []
    for where in after.keys() & before.keys():
        codes = (before[where].translations.keys() | after[where].translations.keys()) - {
            after[where].language}
        for code in sorted(codes):
            line = describe_change(f"{where} in {code}",
                                   _prose(before[where].translations.get(code)),
                                   _prose(after[where].translations.get(code)))
            if line:
                lines.append(line)
    return sorted(lines)


def _opt(value: str | None) -> str | None:
    return value if value else None


def _prose(value: str | None, quote: bool = True) -> Prose | None:
    return Prose(value.strip(), quote) if value and value.strip() else None


def credential_fields(c: Credential) -> dict[str, Value]:
    e = c.evaluation
    rubric = None
    if e.rubric:
        rubric = Prose(json.dumps([e.rubric.levels, [[r.criterion, r.descriptors]
                                                      for r in e.rubric.criteria]]), quote=False)
    conditions = c.assessment_conditions
    return {
        "name": c.name,
        "issuer": Code(c.issuer.id),
        "achievement type": label(c.achievement_type),
        "status": c.status,
        "version": c.version,
        "summary": _prose(c.summary),
        "description": _prose(c.description),
        "learning outcomes": Items(tuple(c.learning_outcomes)),
        "skills": Items(tuple(s.id for s in c.skills), code=True),
        "assessment narrative": _prose(e.narrative),
        "assessment methods": Items(tuple(
            label(m.type) + (f" ({m.weight_percent}%)" if m.weight_percent is not None else "")
            for m in e.methods)),
        "pass threshold": _prose(e.pass_threshold),
        "evidence": Items(tuple(e.evidence)),
        "rubric": rubric,
        "grading": _prose(e.grading),
        "level": level_text(c.level),
        "workload": workload_text(c.workload),
        "duration": duration_text(c.duration) if c.duration else None,
        "cost": "free" if c.cost.free else money(c.cost.amount or 0, c.cost.currency),
        "cost note": _prose(c.cost.note),
        "participation": c.participation,
        "languages": Items(tuple(c.languages), code=True),
        "prerequisites": Items(tuple(p.id for p in c.prerequisites), code=True),
        "other entry requirements": _prose(c.prerequisites_text),
        "stacks into": Items(tuple(s.id for s in c.stacks_into), code=True),
        "credit transfer": _prose(c.credit_transfer),
        "occupations": Items(tuple(f"{o.code} {o.title}" for o in c.occupations)),
        "industries": Items(tuple(c.industries)),
        "recognised by": Items(tuple(f"{r.name} ({label(r.kind).lower()})"
                                     for r in c.recognition)),
        "identity verification": label(conditions.identity_verification) if conditions else None,
        "supervised assessment": (None if conditions is None or conditions.supervised is None
                                  else "yes" if conditions.supervised else "no"),
        "quality assurance": _prose(c.quality_assurance),
        "validity": validity_text(c.validity_months),
        "CTID": Code(c.ctid) if c.ctid else None,
        "web page": _opt(c.url),
        "badge image": Code(c.image) if c.image else None,
        "tags": Items(tuple(c.tags), code=True),
        "updated": c.updated.isoformat() if c.updated else None,
    }


def _stage_requirement(credentials: int, required: int) -> str:
    return "all" if required >= credentials else f"{required} of {credentials}"


def pathway_fields(p: Pathway) -> dict[str, Value]:
    return {
        "name": p.name,
        "description": _prose(p.description),
        "goal role": _opt(p.goal_role),
        "goal occupation": Code(p.goal_code) if p.goal_code else None,
        "stages": Items(tuple(s.name for s in p.stages)),
        "leads to": Code(p.leads_to.id) if p.leads_to else None,
        "featured": "yes" if p.featured else "no",
    }


def stage_changes(old: Pathway, new: Pathway) -> list[str]:
    before = {s.name: s for s in old.stages}
    lines = []
    for stage in new.stages:
        earlier = before.get(stage.name)
        if earlier is None:
            continue
        fields = field_changes(
            {"credentials": Items(tuple(c.id for c in earlier.credentials), code=True),
             "required": _stage_requirement(len(earlier.credentials), earlier.required),
             "description": _prose(earlier.description)},
            {"credentials": Items(tuple(c.id for c in stage.credentials), code=True),
             "required": _stage_requirement(len(stage.credentials), stage.required),
             "description": _prose(stage.description)})
        lines += [f"stage “{md(stage.name)}”, {line}" for line in fields]
    return lines


def issuer_fields(i: Issuer) -> dict[str, Value]:
    qa = i.quality_assurance
    return {
        "name": i.name,
        "web site": i.url,
        "e-mail": i.email,
        "kind": label(i.kind).lower(),
        "country": Code(i.country),
        "region": _opt(i.region),
        "description": _prose(i.description),
        "quality assurance": label(qa.type).lower(),
        "quality assurance body": _opt(qa.body),
        "quality assurance page": _opt(qa.url),
        "quality assurance description": _prose(qa.description),
        "logo": Code(i.logo) if i.logo else None,
    }


def skill_fields(s: Skill) -> dict[str, Value]:
    return {
        "name": s.name,
        "description": _prose(s.description),
        "alignments": Items(tuple(" ".join(x for x in (a.framework, a.code or a.name) if x)
                                  for a in s.alignments)),
    }


def key_fields(k: PublicKey) -> dict[str, Value]:
    return {
        "state": k.state,
        "retired": xsd(k.retired) if k.retired else None,
        "revoked from": xsd(k.revoked) if k.revoked else None,
        "revocation reason": _prose(k.revocation_reason),
        "public key": Code(k.public_key_multibase),
    }


# -- the comparison ---------------------------------------------------------------------------
@dataclass
class Entry:
    """One added, removed or changed item, with its changes in words."""

    id: str
    title: str
    details: list[str] = field(default_factory=list)


@dataclass
class Section:
    title: str
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def counts(self, noun: str) -> str | None:
        parts = [f"{len(items)} {what}" for items, what in ((self.added, "added"),
                 (self.removed, "removed"), (self.changed, "changed")) if items]
        if not parts:
            return None
        return f"{noun}: " + ", ".join(parts)


@dataclass
class Report:
    base: str
    head: str
    errors: list[str] = field(default_factory=list)
    head_problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sections: list[tuple[str, Section]] = field(default_factory=list)
    affected: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.head_problems)

    def markdown(self) -> str:
        out = ["## Catalog changes", "", f"Comparing {self.base} with {self.head}.", ""]
        counts = [c for noun, section in self.sections if (c := section.counts(noun))]
        if self.status:
            counts.append(f"status records: {plural(len(self.status), 'change')}")
        if counts:
            out += ["; ".join(counts) + ".", ""]
        if self.errors or self.head_problems:
            out += ["### Errors", ""]
            out += [f"- **Error:** {line}" for line in self.errors]
            if self.head_problems:
                errors = [p for p in self.head_problems if p.is_error]
                out += [f"- **Error:** the catalog at {self.head} does not pass `credcat check` "
                        f"({plural(len(errors), 'error')}); fix these first:", "",
                        "  ```text"]
                out += [f"  {line}" for p in errors for line in p.format().splitlines()]
                out += ["  ```"]
            out.append("")
        if self.warnings:
            out += ["### Warnings for reviewers", ""]
            out += [f"- {line}" for line in self.warnings] + [""]
        for noun, section in self.sections:
            if section.empty:
                continue
            out += [f"### {noun.capitalize()}", ""]
            for heading, entries in (("Added", section.added), ("Removed", section.removed),
                                     ("Changed", section.changed)):
                if not entries:
                    continue
                out += [f"**{heading}**", ""]
                for entry in entries:
                    out.append(f"- `{entry.id}`" + (f" {md(entry.title)}" if entry.title else ""))
                    out += [f"  - {line}" for line in entry.details]
                out.append("")
            if noun == "credentials" and self.affected:
                out += ["**Pathways affected by these changes**", ""]
                out += [f"- {line}" for line in self.affected] + [""]
        if self.status:
            out += ["### Status records", ""] + [f"- {line}" for line in self.status] + [""]
        if self.notes:
            out += ["### Notes", ""] + [f"- {line}" for line in self.notes] + [""]
        if not (counts or self.errors or self.head_problems or self.warnings):
            out += ["No changes to the catalog, its keys or its status records.", ""]
        return "\n".join(out).rstrip("\n") + "\n"


def _compare(section: Section, old: dict[str, Any], new: dict[str, Any],
             fields: Callable[[Any], dict[str, Value]], title: Callable[[Any], str],
             present_at_head: set[str] | None = None,
             extra: Callable[[Any, Any], list[str]] | None = None) -> None:
    """Fill `section`; ids whose files exist at HEAD but did not load are not "removed"."""
    for key in sorted(new.keys() - old.keys()):
        section.added.append(Entry(key, title(new[key])))
    for key in sorted(old.keys() - new.keys()):
        if present_at_head is not None and key in present_at_head:
            continue
        section.removed.append(Entry(key, title(old[key])))
    for key in sorted(old.keys() & new.keys()):
        details = field_changes(fields(old[key]), fields(new[key]))
        details += translation_changes(old[key], new[key])
        if extra:
            details += extra(old[key], new[key])
        if details:
            section.changed.append(Entry(key, title(new[key]), details))


def _quoted_name(name: str) -> str:
    return f"“{name}”"


def compare(base: Revision, head: Revision) -> Report:
    report = Report(base.label, head.label)
    old, new = base.catalog, head.catalog
    credentials = Section("credentials")
    _compare(credentials, old.credentials, new.credentials, credential_fields,
             lambda c: _quoted_name(c.name), head.files["credentials"])
    pathways = Section("pathways")
    _compare(pathways, old.pathways, new.pathways, pathway_fields,
             lambda p: _quoted_name(p.name), head.files["pathways"], stage_changes)
    issuers = Section("issuers")
    _compare(issuers, old.issuers, new.issuers, issuer_fields,
             lambda i: _quoted_name(i.name), head.files["issuers"])
    skills = Section("skills")
    _compare(skills, old.skills, new.skills, skill_fields, lambda s: _quoted_name(s.name),
             {s for s in old.skills} if _skills_unreadable(head) else None)
    keys = Section("keys")
    old_keys = {f"{k.issuer}/{k.id}": k for k in old.keys}
    new_keys = {f"{k.issuer}/{k.id}": k for k in new.keys}
    present_keys = {f"{p.parent.name}/{p.stem}"
                    for p in (head.root / head.keys_dir).glob("*/*.yaml")}
    _compare(keys, old_keys, new_keys, key_fields, lambda k: f"({k.state})", present_keys)
    report.sections = [("credentials", credentials), ("pathways", pathways),
                       ("issuers", issuers), ("skills", skills), ("keys", keys)]

    _removed_credentials_still_used(report, credentials, head)
    report.head_problems = head.errors
    _credential_warnings(report, credentials, base, head)
    _key_warnings(report, keys, old_keys, new_keys, head)
    _new_check_warnings(report, base, head)
    _todo_warnings(report, credentials, pathways, issuers, head=head)
    report.affected = _affected_pathways(credentials, pathways, old, new)
    report.status = _status_changes(base, head)
    unloaded = [f"`{i}`" for kind, ids in head.files.items() for i in sorted(ids)
                if i not in getattr(new, kind)]
    if unloaded:
        report.notes.append("not compared because they do not validate at "
                            f"{head.label}: " + ", ".join(unloaded))
    if base.errors:
        report.notes.append(f"the catalog at {base.label} has {plural(len(base.errors), 'error')} "
                            "itself; entries that did not load there may show as added.")
    return report


def _skills_unreadable(revision: Revision) -> bool:
    return any(p.file.endswith("skills.yaml") and p.is_error for p in revision.problems)


def _references(revision: Revision, folder: str, fields: list[tuple[str, ...]]
                ) -> Iterable[tuple[str, str, int, str]]:
    """(file, id referred to, line, entry id) for each id listed under `fields`' lists.

    Read from the YAML itself: an entry that refers to a missing credential does not load
    into the model, and that entry is exactly the one to report.
    """
    for path in sorted((revision.root / revision.catalog_dir / folder).glob("*.yaml")):
        try:
            doc = load_yaml(path)
        except (YamlError, OSError, UnicodeDecodeError):
            continue
        if not isinstance(doc.data, dict):
            continue
        rel = path.relative_to(revision.root).as_posix()
        for field_path in fields:
            for json_path, value in _walk(doc.data, field_path, ()):
                if isinstance(value, str):
                    yield rel, value, doc.position(json_path).line, path.stem


def _walk(node: Any, field_path: tuple[str, ...], at: tuple[str | int, ...]
          ) -> Iterable[tuple[tuple[str | int, ...], Any]]:
    """Values in the lists `field_path` names; "*" steps into every item of a list."""
    if not field_path:
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield (*at, i), item
        return
    step, rest = field_path[0], field_path[1:]
    if step == "*":
        for i, item in enumerate(node if isinstance(node, list) else []):
            yield from _walk(item, rest, (*at, i))
    elif isinstance(node, dict) and step in node:
        yield from _walk(node[step], rest, (*at, step))


def _removed_credentials_still_used(report: Report, credentials: Section,
                                    head: Revision) -> None:
    removed = {e.id for e in credentials.removed}
    if not removed:
        return
    uses = [("pathway", ref) for ref in _references(
        head, "pathways", [("stages", "*", "credentials")])]
    uses += [("credential", ref) for ref in _references(
        head, "credentials", [("prerequisites", "credentials"), ("stacks_into",)])]
    for what, (rel, target, line, owner) in uses:
        if target in removed:
            report.errors.append(
                f"credential `{target}` is removed, but {what} `{owner}` still uses it "
                f"(`{rel}:{line}`): take it out of the {what}, or keep the credential and "
                "set `status: retired` instead of deleting it")


def _issued(revision: Revision, credential_id: str) -> list[Allocation]:
    return [a for a in revision.allocations if a.achievement == credential_id]


def _point(count: int) -> str:
    return f"{plural(count, 'issued credential')} point" + ("s" if count == 1 else "")


def _where(allocations: list[Allocation]) -> str:
    files = sorted({a.source for a in allocations})
    shown = ", ".join(f"`{f}`" for f in files[:3]) + (" …" if len(files) > 3 else "")
    return shown


def _credential_warnings(report: Report, credentials: Section, base: Revision,
                         head: Revision) -> None:
    old, new = base.catalog.credentials, head.catalog.credentials
    for entry in credentials.removed:
        issued = _issued(head, entry.id) or _issued(base, entry.id)
        if issued:
            report.warnings.append(
                f"credential `{entry.id}` is removed although "
                f"{_point(len(issued))} at it "
                f"({_where(issued)}): their holders' credentials will fail the verifier's "
                "achievement check. Keep it with `status: retired` instead.")
    for entry in credentials.changed:
        before, after = old[entry.id], new[entry.id]
        issued = _issued(head, entry.id)
        if before.status != after.status and after.status == "retired":
            if issued:
                report.warnings.append(
                    f"credential `{entry.id}` is retired; "
                    f"{_point(len(issued))} at it ({_where(issued)}). "
                    "They still verify, and the verifier will say it is no longer awarded; "
                    "tell their holders if that matters to them.")
            else:
                report.warnings.append(f"credential `{entry.id}` is retired: it can no longer "
                                       "be issued.")
        if before.issuer.id != after.issuer.id and issued:
            report.warnings.append(
                f"credential `{entry.id}` moves from issuer `{before.issuer.id}` to "
                f"`{after.issuer.id}`, but {plural(len(issued), 'issued credential')} were "
                f"signed by `{before.issuer.id}`: the verifier will reject them. Create a new "
                "credential for the new issuer instead.")


def _key_warnings(report: Report, keys: Section, old: dict[str, PublicKey],
                  new: dict[str, PublicKey], head: Revision) -> None:
    for entry in keys.removed:
        report.warnings.append(
            f"public key `{entry.id}` is deleted: every credential and status list it signed "
            "stops verifying. Mark it `retired` or `revoked` instead of deleting it.")
    for entry in keys.changed:
        before, after = old[entry.id], new[entry.id]
        if before.public_key_multibase != after.public_key_multibase:
            report.warnings.append(
                f"the key material of `{entry.id}` changed: what the old key signed no longer "
                "verifies. Publish a new key with `credcat keys rotate` instead.")
    for entry in keys.added + keys.changed:
        key = new[entry.id]
        if key.state != "revoked" or (entry.id in old and old[entry.id].state == "revoked"):
            continue
        since = key.revoked
        signed_after = [a for a in head.allocations if a.key == key.id and
                        a.source.startswith(f"{STATUS_DIR}/{key.issuer}/") and
                        a.issued >= since]
        text = (f"key `{entry.id}` is revoked from {md(xsd(since)) if since else '?'} "
                f"(“{md(key.revocation_reason or 'no reason given')}”): credentials it signed "
                "from then on no longer verify")
        if signed_after:
            text += (f"; {plural(len(signed_after), 'credential')} recorded under status/ were "
                     "signed with it after that moment: reissue them with the new key")
        if lists_signed_with(head.root, key.issuer, key.id):
            text += (f". `{key.issuer}`'s status lists are signed with this key: re-sign them "
                     "(revoke, suspend or reinstate with the new active key) so status checks "
                     "keep working")
        report.warnings.append(text + ".")


def _new_check_warnings(report: Report, base: Revision, head: Revision) -> None:
    known = {(p.file, p.message) for p in base.problems}
    for problem in head.problems:
        if not problem.is_error and (problem.file, problem.message) not in known:
            report.warnings.append(f"`credcat check` warns at `{problem.file}:{problem.line}`: "
                                   f"{md(problem.message)}" +
                                   (f" ({md(problem.hint)})" if problem.hint else ""))


def _todo_warnings(report: Report, *sections: Section, head: Revision) -> None:
    models: dict[str, dict[str, Any]] = {
        "credentials": head.catalog.credentials, "pathways": head.catalog.pathways,
        "issuers": head.catalog.issuers}
    for section in sections:
        for entry in section.added + section.changed:
            item = models[section.title].get(entry.id)
            source = getattr(item, "source", "")
            if source and re.search(r"\bTODO\b", head.text(source)):
                report.warnings.append(f"`{source}` still holds TODO text: write the real "
                                       "content before merging.")


def _affected_pathways(credentials: Section, pathways: Section, old: Catalog,
                       new: Catalog) -> list[str]:
    """Pathways (not new, not removed) that use a credential this change edits or retires.

    A pathway that does not load at the newer revision is looked up in the older one.
    """
    skip = {e.id for e in pathways.added + pathways.removed}
    uses: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for entry in credentials.changed:
        fields = ", ".join(dict.fromkeys(line.split(":", 1)[0] for line in entry.details))
        found = {p.id: p for p in old.credentials[entry.id].pathways if p.id not in new.pathways}
        found.update({p.id: p for p in new.credentials[entry.id].pathways})
        for pathway in found.values():
            if pathway.id not in skip:
                names[pathway.id] = pathway.name
                uses.setdefault(pathway.id, []).append(f"`{entry.id}` ({md(fields)})")
    return [f"`{pid}` {md(_quoted_name(names[pid]))}: " + ", ".join(items)
            for pid, items in sorted(uses.items())]


_DONE = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}


def _status_changes(base: Revision, head: Revision) -> list[str]:
    lines = []
    old_allocations = {(a.source, a.index) for a in base.allocations}
    issued: dict[str, int] = {}
    for allocation in head.allocations:
        if (allocation.source, allocation.index) not in old_allocations:
            issuer = allocation.source.split("/")[1] if "/" in allocation.source else "?"
            issued[issuer] = issued.get(issuer, 0) + 1
    for issuer, count in sorted(issued.items()):
        lines.append(f"`{issuer}` issued {plural(count, 'credential')}")
    old_changes = [tuple(sorted(row.items())) for row in base.status_changes]
    for row in head.status_changes:
        if tuple(sorted(row.items())) in old_changes:
            continue
        reason = f" (“{md(row['reason'])}”)" if row.get("reason") else ""
        action = _DONE.get(row.get("action", ""), md(row.get("action") or "changed"))
        lines.append(f"`{row['issuer']}` {action} "
                     f"`{md(row.get('credential') or '#' + row.get('index', '?'))}` "
                     f"on its {md(row.get('purpose', '?'))} list{reason}")
    return lines
