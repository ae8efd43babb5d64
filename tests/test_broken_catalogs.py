"""A corpus of broken catalogs: each fault must be reported at the file, line and column of
the faulty text, in words a maintainer understands, with a hint.

Every case copies `tests/fixtures/minimal` (a small valid project), applies one edit and runs
the validator. Expected positions are computed from the edited text, so the cases survive
small changes to the fixture; an edit whose target text is missing fails loudly instead of
silently testing nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from site_builder.catalog.loader import load_catalog
from site_builder.catalog.problems import Problem
from site_builder.catalog.yaml_source import load_yaml
from site_builder.publishing.project import Project

from .conftest import REPO, run_credcat

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
SCHEMAS = REPO / "site_builder" / "catalog" / "schemas"

CRED = "catalog/credentials/"
ISSUER = "catalog/issuers/"
PATHWAY = "catalog/pathways/"
SKILLS = "catalog/skills.yaml"


# -- edits ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Replace:
    """Replace `old`, which must occur exactly once, with `new`."""

    file: str
    old: str
    new: str

    def apply(self, root: Path) -> None:
        path = root / self.file
        text = path.read_text(encoding="utf-8")
        assert text.count(self.old) == 1, f"{self.file} must hold {self.old!r} exactly once"
        path.write_text(text.replace(self.old, self.new), encoding="utf-8")


@dataclass(frozen=True)
class Append:
    file: str
    text: str

    def apply(self, root: Path) -> None:
        path = root / self.file
        assert path.is_file(), self.file
        path.write_text(path.read_text(encoding="utf-8") + self.text, encoding="utf-8")


@dataclass(frozen=True)
class Write:
    file: str
    data: str | bytes

    def apply(self, root: Path) -> None:
        path = root / self.file
        if isinstance(self.data, bytes):
            path.write_bytes(self.data)
        else:
            path.write_text(self.data, encoding="utf-8")


@dataclass(frozen=True)
class Delete:
    file: str

    def apply(self, root: Path) -> None:
        (root / self.file).unlink()


@dataclass(frozen=True)
class Rename:
    file: str
    to: str

    def apply(self, root: Path) -> None:
        (root / self.file).rename(root / self.to)


Edit = Replace | Append | Write | Delete | Rename


def locate(text: str, at: str, point: str | None = None, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of `point` inside the `nth` occurrence of `at` in `text`."""
    index = -1
    for _ in range(nth):
        index = text.find(at, index + 1)
        assert index >= 0, f"{at!r} (occurrence {nth}) not found in the edited file"
    if point is not None:
        assert point in at, f"{point!r} is not part of {at!r}"
        index += at.index(point)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


# -- cases ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One fault.

    `at` is text in the edited `file` where the problem must be reported (its start, or the
    start of `point` within it); None means the whole file, reported at 1:1. `words` must all
    appear in the message, `hint_words` in the hint. `column=False` skips the column check for
    syntax errors, where the column is the YAML parser's choice.
    """

    id: str
    edits: tuple[Edit, ...]
    file: str
    at: str | None
    words: tuple[str, ...]
    point: str | None = None
    nth: int = 1
    hint_words: tuple[str, ...] = ()
    column: bool = True
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())

    def expected_position(self, root: Path) -> tuple[int, int]:
        if self.at is None:
            return 1, 1
        text = (root / self.file).read_text(encoding="utf-8")
        return locate(text, self.at, self.point, self.nth)


def case(id: str, edits: Edit | Iterable[Edit], file: str, at: str | None,
         *words: str, **options: object) -> Case:
    edit_tuple = (edits,) if isinstance(edits, Replace | Append | Write | Delete | Rename) \
        else tuple(edits)
    return Case(id, edit_tuple, file, at, words, **options)  # type: ignore[arg-type]


INTRO = CRED + "intro-data.yaml"
SHEETS = CRED + "spreadsheet-skills.yaml"
CERT = CRED + "data-certificate.yaml"
LISTEN = CRED + "listening-skills.yaml"
ACME = ISSUER + "acme-college.yaml"
GUILD = ISSUER + "data-guild.yaml"
STARTER = PATHWAY + "data-starter.yaml"
ANALYST = PATHWAY + "data-analyst.yaml"
INTRO_PREREQ = "prerequisites:\n  credentials:\n    - {}\nstatus: active"

CASES: list[Case] = [
    # -- YAML syntax ------------------------------------------------------------------------
    case("yaml-bad-indentation",
         Replace(INTRO, "level:\n  label: Introductory",
                 "level:\n  eqf: 3\n   label: Introductory"),
         INTRO, "   label: Introductory", "YAML syntax error", column=False,
         hint_words=("YAML syntax",)),
    case("yaml-tab-indentation",
         Replace(INTRO, "  label: Introductory", "\tlabel: Introductory"),
         INTRO, "\tlabel", "YAML syntax error"),
    case("yaml-unclosed-bracket",
         Replace(INTRO, "skills:\n  - data-basics\n", "skills: [data-basics\n"),
         INTRO, "skills: [data-basics", "YAML syntax error", column=False),
    case("yaml-two-documents", Append(INTRO, "---\nname: Again\n"),
         INTRO, "---\nname: Again", "YAML syntax error", "second document"),
    case("yaml-duplicate-key", Append(INTRO, "name: Second name\n"),
         INTRO, "name: Second name", "'name' appears twice", hint_words=("duplicate",)),
    case("yaml-duplicate-key-nested",
         Replace(SHEETS, "  label: Intermediate\n", "  label: Intermediate\n  eqf: 5\n"),
         SHEETS, "eqf: 5", "'level.eqf' appears twice"),
    case("yaml-duplicate-key-three-times",
         Replace(INTRO, "status: active\n", "name: Two\nstatus: active\nname: Three\n"),
         INTRO, "name: Two", "'name' appears twice"),
    case("not-utf8", Write(INTRO, "name: Caf\xe9 data\n".encode("latin-1")),
         INTRO, None, "cannot read the file", hint_words=("UTF-8",)),
    case("file-is-a-list", Write(INTRO, "- name: Intro\n- issuer: acme-college\n"),
         INTRO, None, "must be a mapping"),
    # -- schema: fields ---------------------------------------------------------------------
    case("missing-required-field",
         Replace(INTRO, "summary: Read tables and charts with confidence.\n", ""),
         INTRO, None, "missing the required field 'summary'", hint_words=("add `summary:`",)),
    case("missing-required-nested-field", Replace(SHEETS, "  label: Intermediate\n", ""),
         SHEETS, "level:", "level is missing the required field 'label'",
         hint_words=("add `label:`",)),
    case("missing-skill-description",
         Replace(SKILLS, "    description: Presenting findings from data to a non-specialist "
                 "audience.\n", ""),
         SKILLS, "id: data-reporting", "skills[2] is missing the required field 'description'"),
    case("unknown-field-typo", Replace(INTRO, "summary:", "sumary:"),
         INTRO, "sumary:", "unknown field 'sumary'", hint_words=("did you mean 'summary'?",)),
    case("unknown-field-nested-typo",
         Replace(ACME, "  description: Courses", "  descripton: Courses"),
         ACME, "descripton:", "unknown field 'descripton'", "quality_assurance",
         hint_words=("did you mean 'description'?",)),
    case("wrong-type-string-for-list",
         Replace(INTRO, "learning_outcomes:\n  - Read a table", "learning_outcomes: Read a table"),
         INTRO, "learning_outcomes: Read a table", "learning_outcomes must be a list",
         point="Read"),
    case("wrong-type-text-for-number", Replace(INTRO, "hours: 6", "hours: six"),
         INTRO, "hours: six", "workload.hours must be a number", point="six"),
    case("wrong-type-unquoted-version", Replace(CERT, 'version: "2.0"', "version: 2.0"),
         CERT, "version: 2.0", "version must be text", point="2.0"),
    case("empty-value", Replace(INTRO, " Read tables and charts with confidence.", ""),
         INTRO, "summary:\n", "summary must be text", point="\n"),
    case("enum-participation-remote",
         Replace(INTRO, "participation: online", "participation: remote"),
         INTRO, "participation: remote", "participation", "'remote' is not allowed",
         point="remote", hint_words=("online", "in-person", "blended")),
    case("enum-wrong-case", Replace(INTRO, "achievement_type: Badge", "achievement_type: badge"),
         INTRO, "achievement_type: badge", "'badge' is not allowed", point="badge",
         hint_words=("did you mean 'Badge'?",)),
    case("eqf-out-of-range", Replace(CERT, "eqf: 5", "eqf: 9"),
         CERT, "eqf: 9", "level.eqf", "8", point="9"),
    case("stage-with-no-credentials",
         Replace(ANALYST, "credentials:\n      - data-certificate", "credentials: []"),
         ANALYST, "credentials: []", "stages[1].credentials is too short or empty", point="[]"),
    case("require-zero", Replace(STARTER, "require: 1", "require: 0"),
         STARTER, "require: 0", "stages[1].require", point="0", hint_words=("all",)),
    # -- schema: formats --------------------------------------------------------------------
    case("onet-malformed", Replace(SHEETS, "onet: 43-9021.00", "onet: 43-9021"),
         SHEETS, "onet: 43-9021", "occupations[0].onet", "'43-9021' is not a valid value",
         point="43", hint_words=("O*NET-SOC", "21-1012.00")),
    case("ctid-malformed", Replace(SHEETS, "ctid: ce-0a1b", "ctid: 0a1b"),
         SHEETS, "ctid: 0a1b", "ctid", "not a valid value", point="0a1b",
         hint_words=("CTID", "ce-")),
    case("currency-not-iso-4217", Replace(SHEETS, "currency: CAD", "currency: XYZ"),
         SHEETS, "currency: XYZ", "'XYZ' is not an ISO 4217 currency", point="XYZ"),
    case("currency-lowercase", Replace(SHEETS, "currency: CAD", "currency: cad"),
         SHEETS, "currency: cad", "cost.currency", "'cad' is not a valid value", point="cad",
         hint_words=("ISO 4217",)),
    case("url-without-scheme",
         Replace(SHEETS, "url: https://acme.example.org/courses/spreadsheets",
                 "url: www.example.org"),
         SHEETS, "url: www.example.org", "'www.example.org' is not a valid value",
         point="www", hint_words=("https://",)),
    case("issuer-url-without-scheme",
         Replace(ACME, "url: https://acme.example.org/", "url: acme.example.org"),
         ACME, "url: acme.example.org", "url", "not a valid value", point="acme",
         hint_words=("https://",)),
    case("email-malformed",
         Replace(ACME, "email: credentials@acme.example.org", "email: credentials.acme.org"),
         ACME, "email: credentials.acme.org", "email", "not a valid value", point="credentials",
         hint_words=("e-mail",)),
    case("country-not-iso-3166", Replace(ACME, "country: CA", "country: XX"),
         ACME, "country: XX", "'XX' is not an ISO 3166-1 country", point="XX"),
    case("language-unknown", Replace(INTRO, "languages:\n  - en", "languages:\n  - xx"),
         INTRO, "- xx", "'xx' is not a known language code", point="xx"),
    case("image-missing", Append(INTRO, "image: images/intro.png\n"),
         INTRO, "image: images/intro.png", "image 'images/intro.png' does not exist",
         point="images"),
    case("rubric-descriptors-do-not-match-levels",
         Replace(SHEETS, "          - Errors remain in the table.\n", ""),
         SHEETS, "- The table is clean", "criterion 'Cleaning'", "1 descriptor for 2 levels",
         hint_words=("one descriptor per performance level",)),
    # -- references -------------------------------------------------------------------------
    case("unknown-issuer", Replace(INTRO, "issuer: acme-college", "issuer: acme-colege"),
         INTRO, "acme-colege", "unknown issuer 'acme-colege'",
         hint_words=("did you mean 'acme-college'?",)),
    case("unknown-skill", Replace(INTRO, "  - data-basics", "  - data-basix"),
         INTRO, "data-basix", "unknown skill 'data-basix'",
         hint_words=("did you mean 'data-basics'?",)),
    case("unknown-prerequisite", Replace(SHEETS, "    - intro-data", "    - intro-dta"),
         SHEETS, "intro-dta", "unknown credential 'intro-dta'",
         hint_words=("did you mean 'intro-data'?",)),
    case("unknown-stacks-into",
         Replace(SHEETS, "stacks_into:\n  - data-certificate", "stacks_into:\n  - data-cert"),
         SHEETS, "data-cert\n", "unknown credential 'data-cert'"),
    case("unknown-credential-in-stage",
         Replace(ANALYST, "      - data-certificate", "      - data-certificat"),
         ANALYST, "data-certificat", "unknown credential 'data-certificat'",
         hint_words=("did you mean 'data-certificate'?",)),
    case("unknown-leads-to", Replace(STARTER, "leads_to: data-analyst", "leads_to: analyst"),
         STARTER, "leads_to: analyst", "unknown pathway 'analyst'", point="analyst"),
    case("duplicate-skill-id",
         Append(SKILLS, "  - id: spreadsheets\n    name: Spreadsheets again\n"
                        "    description: The same skill a second time.\n"),
         SKILLS, "id: spreadsheets", "duplicate skill id 'spreadsheets'", point="spreadsheets",
         nth=2),
    case("skills-file-missing", Delete(SKILLS), SKILLS, None, "skills.yaml is missing"),
    # -- files and ids ----------------------------------------------------------------------
    case("id-does-not-match-file-name", Replace(GUILD, "id: data-guild", "id: the-data-guild"),
         GUILD, "id: the-data-guild", "id 'the-data-guild' does not match the file name "
         "'data-guild.yaml'", point="the-data-guild"),
    case("yml-extension", Rename(LISTEN, CRED + "listening-skills.yml"),
         CRED + "listening-skills.yml", None, "catalog files end in .yaml",
         hint_words=("listening-skills.yaml",)),
    case("file-name-with-space-and-capitals", Rename(LISTEN, CRED + "Listening Skills.yaml"),
         CRED + "Listening Skills.yaml", None, "'Listening Skills' is not a valid id"),
    case("file-name-with-capitals", Rename(ANALYST, PATHWAY + "DataAnalyst.yaml"),
         PATHWAY + "DataAnalyst.yaml", None, "'DataAnalyst' is not a valid id"),
    # -- pathways, stacking, cycles ---------------------------------------------------------
    case("stage-requires-more-than-listed", Replace(STARTER, "require: 1", "require: 3"),
         STARTER, "require: 3", "stage 'Choose one' requires 3", "lists only 2", point="3"),
    case("prerequisite-cycle",
         Replace(INTRO, "status: active", INTRO_PREREQ.format("spreadsheet-skills")),
         INTRO, "- spreadsheet-skills", "these credentials require each other",
         "intro-data -> spreadsheet-skills -> intro-data"),
    case("prerequisite-is-itself",
         Replace(INTRO, "status: active", INTRO_PREREQ.format("intro-data")),
         INTRO, "- intro-data", "lists the credential itself", point="intro-data"),
    case("stacks-into-cycle",
         Replace(CERT, "status: active", "stacks_into:\n  - spreadsheet-skills\nstatus: active"),
         CERT, "- spreadsheet-skills", "these credentials stack into each other",
         "data-certificate -> spreadsheet-skills -> data-certificate"),
    case("stacks-into-itself",
         Replace(SHEETS, "  - data-certificate\n",
                 "  - data-certificate\n  - spreadsheet-skills\n"),
         SHEETS, "- spreadsheet-skills", "stacks_into lists the credential itself",
         point="spreadsheet-skills"),
    case("leads-to-cycle", Append(ANALYST, "leads_to: data-starter\n"),
         ANALYST, "leads_to: data-starter", "these pathways lead into each other",
         "data-analyst -> data-starter -> data-analyst", point="data-starter"),
    case("leads-to-itself", Append(ANALYST, "leads_to: data-analyst\n"),
         ANALYST, "leads_to: data-analyst", "the pathway leads to itself",
         point="data-analyst"),
]


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def listing(problems: list[Problem]) -> str:
    return "\n".join(p.format() for p in problems) or "(no problems)"


def check_reported(root: Path, problems: list[Problem], expected: Case) -> None:
    line, column = expected.expected_position(root)
    about = [p for p in problems
             if p.file == expected.file and all(w in p.message for w in expected.words)]
    assert about, f"no problem in {expected.file} with {expected.words}:\n{listing(problems)}"
    at_line = [p for p in about if p.line == line and (not expected.column or p.column == column)]
    assert at_line, (f"expected {expected.file}:{line}:{column if expected.column else '*'}, "
                     f"got:\n{listing(about)}")
    problem = at_line[0]
    assert problem.severity == "error", problem.format()
    assert problem.hint.strip(), f"no hint: {problem.format()}"
    for word in expected.hint_words:
        assert word in problem.hint, problem.format()


# -- tests ------------------------------------------------------------------------------------
def test_minimal_fixture_is_valid_and_complete() -> None:
    catalog, problems = load_catalog(FIXTURE)
    assert problems == [], listing(problems)
    assert len(catalog.issuers) == 2
    assert len(catalog.skills) == 4
    assert len(catalog.credentials) == 4
    assert len(catalog.pathways) == 2
    sheets = catalog.credentials["spreadsheet-skills"]
    assert [c.id for c in sheets.prerequisites] == ["intro-data"]
    assert [c.id for c in sheets.stacks_into] == ["data-certificate"]
    retired = catalog.credentials["listening-skills"]
    assert not retired.active and retired.pathways == []
    starter, analyst = catalog.pathways["data-starter"], catalog.pathways["data-analyst"]
    assert starter.leads_to is analyst
    assert any(s.elective and s.required == 1 and len(s.credentials) == 2
               for s in starter.stages)


def test_every_case_is_distinct() -> None:
    assert len(CASES) >= 18
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({(c.edits, c.words) for c in CASES}) == len(CASES)


@pytest.mark.parametrize(
    "broken", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_fault_is_reported_where_it_is(tmp_path: Path, broken: Case) -> None:
    root = copy_fixture(tmp_path)
    for edit in broken.edits:
        edit.apply(root)
    _catalog, problems = load_catalog(root)
    check_reported(root, problems, broken)


# A file that fails its schema is left out of the model. Files that refer to it must not then
# be told the id is unknown: the id exists, its file has an error of its own.
CASCADES = [
    pytest.param(Replace(ACME, "email: credentials@", "email: credentials-at-"), ACME,
                 id="issuer-with-schema-error"),
    pytest.param(Replace(SKILLS, "name: Data basics", "name: D"), SKILLS,
                 id="skills-with-schema-error"),
    pytest.param(Replace(INTRO, "participation: online", "participation: remote"), INTRO,
                 id="credential-with-schema-error"),
    pytest.param(Replace(ANALYST, "      - data-certificate", "      - data-certificat"), ANALYST,
                 id="pathway-with-bad-reference"),
]


@pytest.mark.parametrize(("edit", "only_file"), CASCADES)
def test_one_broken_file_does_not_cascade(tmp_path: Path, edit: Replace, only_file: str) -> None:
    root = copy_fixture(tmp_path)
    edit.apply(root)
    _catalog, problems = load_catalog(root)
    assert any(p.file == only_file for p in problems), listing(problems)
    elsewhere = [p for p in problems if p.file != only_file]
    assert elsewhere == [], listing(elsewhere)


# Faults that leave their file in the model, so they do not hide one another.
SEVERAL = ["unknown-skill", "currency-not-iso-4217", "country-not-iso-3166",
           "unknown-credential-in-stage", "duplicate-skill-id", "stage-requires-more-than-listed",
           "yml-extension"]


def cases_named(names: list[str]) -> list[Case]:
    table = {c.id: c for c in CASES}
    return [table[name] for name in names]


def test_faults_in_several_files_are_all_reported_sorted(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    chosen = cases_named(SEVERAL)
    assert len({c.file for c in chosen}) == len(chosen)
    for broken in chosen:
        for edit in broken.edits:
            edit.apply(root)
    _catalog, problems = load_catalog(root)
    for broken in chosen:
        check_reported(root, problems, broken)
    files = [p.file for p in problems]
    assert files == sorted(files)
    assert problems == sorted(problems, key=lambda p: (p.file, p.line, p.column))


PROBLEM_LINE = re.compile(r"^catalog/.+\.yaml:\d+:\d+: .+$")
CLI_FAULTS = ["unknown-skill", "currency-not-iso-4217", "stage-requires-more-than-listed"]


def test_check_cli_prints_each_problem_as_path_line_column(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    chosen = cases_named(CLI_FAULTS)
    for broken in chosen:
        for edit in broken.edits:
            edit.apply(root)
    done = run_credcat("check", "-f", root / "mkdocs.yml", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    problem_lines = [line for line in lines if not line.startswith("    hint: ")]
    assert problem_lines, done.stdout + done.stderr
    for line in problem_lines:
        assert PROBLEM_LINE.match(line), line
    assert len(problem_lines) == len(chosen), done.stdout
    for broken in chosen:
        line, column = broken.expected_position(root)
        prefix = f"{broken.file}:{line}:{column}: "
        assert any(p.startswith(prefix) and all(w in p for w in broken.words)
                   for p in problem_lines), f"{prefix}{broken.words} not in:\n{done.stdout}"
    assert sum(line.startswith("    hint: ") for line in lines) == len(chosen)


def test_check_cli_accepts_the_valid_fixture(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    done = run_credcat("check", "-f", root / "mkdocs.yml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def _break_catalog(root: Path) -> None:
    Replace(INTRO, "issuer: acme-college", "issuer: acme-colege").apply(root)


def _run_mkdocs(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def _build(tool: str, root: Path, site: Path) -> tuple[int, str]:
    if tool == "credcat":
        done = run_credcat("build", "-f", root / "mkdocs.yml", "-d", site, cwd=root)
        return done.returncode, done.stdout + done.stderr
    ran = _run_mkdocs("build", "-f", root / "mkdocs.yml", "-d", site, cwd=root)
    return ran.returncode, ran.stdout + ran.stderr


@pytest.mark.slow
@pytest.mark.parametrize("tool", ["credcat", "mkdocs"])
def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path, tool: str) -> None:
    root = copy_fixture(tmp_path)
    site = tmp_path / "out" / "site"
    code, output = _build(tool, root, site)
    assert code == 0, f"the valid fixture does not build:\n{output[-3000:]}"
    index = site / "index.html"
    assert index.is_file(), output
    old_index = index.read_bytes()
    (site / "marker.txt").write_text("from the previous build\n", encoding="utf-8")

    _break_catalog(root)
    code, output = _build(tool, root, site)

    assert code == 1, output
    assert "acme-colege" in output
    assert (site / "marker.txt").read_text(encoding="utf-8") == "from the previous build\n"
    assert index.read_bytes() == old_index
    leftovers = sorted(p.name for p in site.parent.iterdir() if p.name != site.name)
    assert leftovers == [], leftovers


# -- the example catalog ----------------------------------------------------------------------
EXAMPLE = REPO / "catalog"
KINDS = {
    "issuer": sorted((EXAMPLE / "issuers").glob("*")),
    "credential": sorted((EXAMPLE / "credentials").glob("*")),
    "pathway": sorted((EXAMPLE / "pathways").glob("*")),
    "skills": [EXAMPLE / "skills.yaml"],
    "public-key": sorted((REPO / "public_keys").glob("*/*")),
}
EXAMPLE_FILES = [(kind, path) for kind, paths in KINDS.items() for path in paths]


def _schema_validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    _schema_validator(kind)


@pytest.mark.parametrize("kind", ["issuer", "credential", "pathway", "skills"])
def test_example_catalog_has_files_of_each_kind(kind: str) -> None:
    assert [p for p in KINDS[kind] if p.is_file()], f"the example catalog has no {kind} file"


@pytest.mark.parametrize(
    ("kind", "path"),
    [pytest.param(k, p, id=p.relative_to(REPO).as_posix()) for k, p in EXAMPLE_FILES])
def test_schema_accepts_example_file(kind: str, path: Path) -> None:
    assert path.suffix == ".yaml", f"{path.name}: catalog files end in .yaml"
    data = load_yaml(path).data
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '(file)'}: {e.message}"
              for e in _schema_validator(kind).iter_errors(data)]
    assert errors == [], "\n".join(errors)


def test_example_catalog_loads_without_errors() -> None:
    catalog, problems = Project.from_config(REPO / "mkdocs.yml").load()  # its languages
    errors = [p for p in problems if p.is_error]
    assert errors == [], listing(errors)
    assert catalog.credentials and catalog.issuers and catalog.skills
