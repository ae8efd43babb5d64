"""Publishing through pull requests: annotations, `credcat diff`, `credcat new`, `credcat init`,
the workflows, the pre-commit hook, the guides and the generated field reference.

Everything runs the real CLI in a subprocess on real files: Git repositories are made in
`tmp_path`, catalogs are copies of the example project or the minimal fixture, and the
workflows are the YAML files GitHub reads.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from site_builder.catalog.loader import SCHEMA_FILES, schema
from site_builder.cli import _parser
from site_builder.publishing import scaffold
from site_builder.publishing.annotations import escape_data, escape_property
from site_builder.publishing.project import Project
from site_builder.site.field_reference import field_reference_markdown

from .conftest import ISSUER, REPO, active_credential, copy_project, run_credcat

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
WORKFLOWS = REPO / ".github" / "workflows"
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "commit.gpgsign=false", *args],
                          capture_output=True, text=True, env={**os.environ, **GIT_ENV},
                          check=True)
    return done.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} must hold {old!r} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert needle in text, needle
    return text[:text.index(needle)].count("\n") + 1


# -- credcat diff -----------------------------------------------------------------------------
REMOVED = "data-literacy-essentials"  # used by the data-analyst pathway
CHANGED = "sql-for-data-analysis"
ADDED = "advanced-data-storytelling"


@pytest.fixture
def history(tmp_path: Path) -> dict[str, Any]:
    """A catalog repository with two commits: the example catalog (after issuing one
    credential), then a change that adds, removes, edits and retires credentials and revokes
    a key."""
    project = copy_project(tmp_path / "catalog-repo")
    private = tmp_path / "secrets" / "northbridge.pem"
    assert run_credcat("keygen", ISSUER, "--key-id", "test-key", "--out", private,
                       cwd=project).returncode == 0
    retired = active_credential(project)
    issued = run_credcat("issue", retired, "--key", private, "--name", "Ada Learner",
                         "--email", "ada@example.org", "--suspendable", "-o",
                         tmp_path / "ada.json", cwd=project)
    assert issued.returncode == 0, issued.stderr
    git(project, "init", "-q", "-b", "main")
    base = commit_all(project, "base")

    # The issuer suspends the credential, loses the key, revokes it, makes a new one and
    # re-signs the suspension list with it (by lifting the suspension).
    for args in (("suspend", tmp_path / "ada.json", "--key", private, "--reason", "appeal"),
                 ("keys", "revoke", ISSUER, "test-key", "--reason", "laptop stolen"),
                 ("keys", "rotate", ISSUER, "--key-id", "new-key", "--out",
                  tmp_path / "secrets" / "new.pem"),
                 ("reinstate", tmp_path / "ada.json", "--key", tmp_path / "secrets" / "new.pem",
                  "--reason", "appeal upheld")):
        done = run_credcat(*args, cwd=project)
        assert done.returncode == 0, (args, done.stderr)
    credentials = project / "catalog" / "credentials"
    edit(credentials / f"{retired}.yaml", "\nstatus: active", "\nstatus: retired")
    edit(credentials / f"{CHANGED}.yaml", "  hours: 30\n", "  hours: 40\n")
    edit(credentials / f"{CHANGED}.yaml", "cost:\n  amount: 249\n  currency: GBP\n",
         "cost:\n  free: true\n")
    (credentials / f"{ADDED}.yaml").write_text(
        (credentials / "data-storytelling.yaml").read_text(encoding="utf-8").replace(
            "name: Data Storytelling for Decision-Makers", "name: Advanced Data Storytelling"),
        encoding="utf-8")
    (credentials / f"{REMOVED}.yaml").unlink()
    head = commit_all(project, "change")
    return {"project": project, "base": base, "head": head, "retired": retired}


@pytest.mark.slow
def test_diff_summarises_a_change_and_fails_on_a_broken_pathway(
        history: dict[str, Any]) -> None:
    project = history["project"]
    result = run_credcat("diff", history["base"], history["head"], cwd=project)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert out.startswith("## Catalog changes\n")
    sections = {title: body for title, body in re.findall(
        r"^### (.+?)\n(.*?)(?=^### |\Z)", out, flags=re.M | re.S)}

    credentials = sections["Credentials"]
    added = credentials.split("**Added**")[1].split("**Removed**")[0]
    removed = credentials.split("**Removed**")[1].split("**Changed**")[0]
    assert f"`{ADDED}` “Advanced Data Storytelling”" in added
    assert f"`{REMOVED}` “Data Literacy Essentials”" in removed
    changed = credentials.split("**Changed**")[1]
    assert f"- `{CHANGED}`" in changed
    assert "  - workload: 30 → 40 hours" in changed
    assert "  - cost: 249.00 GBP → free" in changed
    assert f"- `{history['retired']}`" in changed
    assert "  - status: active → retired" in changed
    assert "Pathways affected by these changes" in credentials
    assert re.search(rf"`data-analyst` “Data Analyst”: `{CHANGED}` \(workload, cost\)",
                     credentials)

    pathway_file = project / "catalog" / "pathways" / "data-analyst.yaml"
    line = line_of(pathway_file, f"- {REMOVED}")
    errors = sections["Errors"]
    assert (f"credential `{REMOVED}` is removed, but pathway `data-analyst` still uses it "
            f"(`catalog/pathways/data-analyst.yaml:{line}`)") in errors
    assert "does not pass `credcat check`" in errors
    assert f"catalog/pathways/data-analyst.yaml:{line}:" in errors

    warnings = sections["Warnings for reviewers"]
    assert f"key `{ISSUER}/test-key` is revoked" in warnings
    assert "laptop stolen" in warnings
    assert f"credential `{history['retired']}` is retired; 1 issued credential points at it" \
        in warnings
    assert f"`status/{ISSUER}/allocations/" in warnings
    keys = sections["Keys"]
    assert f"`{ISSUER}/test-key`" in keys and "state: active → revoked" in keys
    assert f"- `{ISSUER}/new-key` (active)" in keys.split("**Added**")[1]
    status = sections["Status records"]
    ada = yaml.safe_load((project.parent / "ada.json").read_text())["id"]
    assert f"`{ISSUER}` suspended `{ada}` on its suspension list (“appeal”)" in status
    assert f"`{ISSUER}` reinstated `{ada}` on its suspension list (“appeal upheld”)" in status

    # HEAD_REF defaults to the working tree, which here is the head commit.
    working = run_credcat("diff", history["base"], cwd=project)
    assert working.returncode == 1
    assert "with the working tree." in working.stdout
    head = history["head"]
    assert working.stdout.replace("the working tree", "HEAD") == out.replace(
        f"`{head}` ({head[:7]})", "HEAD")


def _mend_pathways(project: Path) -> None:
    """Take the removed credential out of the pathways that still list it."""
    for pathway in ("data-analyst", "digital-workplace-champion"):
        edit(project / "catalog" / "pathways" / f"{pathway}.yaml", f"      - {REMOVED}\n", "")


@pytest.mark.slow
def test_diff_of_a_sound_change_exits_0(history: dict[str, Any]) -> None:
    project = history["project"]
    _mend_pathways(project)
    result = run_credcat("diff", history["base"], cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "### Errors" not in result.stdout
    assert f"stage “Get started with data”, credentials: removed `{REMOVED}`" in result.stdout

    commit_all(project, "keep the pathways whole")
    same = run_credcat("diff", "HEAD", cwd=project)
    assert same.returncode == 0, same.stdout
    assert "No changes to the catalog, its keys or its status records." in same.stdout


@pytest.mark.slow
def test_diff_lists_validation_errors_at_head(history: dict[str, Any]) -> None:
    project = history["project"]
    target = project / "catalog" / "credentials" / "data-storytelling.yaml"
    edit(target, "participation: in-person", "participation: on-site")
    result = run_credcat("diff", "HEAD", cwd=project)
    assert result.returncode == 1
    line = line_of(target, "participation: on-site")
    assert f"catalog/credentials/data-storytelling.yaml:{line}:16: participation: 'on-site' " \
        "is not allowed" in result.stdout
    assert "not compared because they do not validate" in result.stdout


@pytest.mark.slow
def test_diff_refuses_unknown_revisions_and_folders_outside_git(
        history: dict[str, Any], tmp_path: Path) -> None:
    unknown = run_credcat("diff", "no-such-branch", cwd=history["project"])
    assert unknown.returncode == 2
    assert "unknown revision 'no-such-branch'" in unknown.stderr
    assert "fetch-depth: 0" in unknown.stderr
    outside = copy_project(tmp_path / "not-a-repo")
    result = run_credcat("diff", "main", cwd=outside)
    assert result.returncode == 2
    assert "not in a Git repository" in result.stderr


# -- annotations ------------------------------------------------------------------------------
ANNOTATION = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::"
                        r"(.*)$")


def _broken_minimal(target: Path) -> Path:
    shutil.copytree(MINIMAL, target)
    credentials = target / "catalog" / "credentials"
    edit(credentials / "intro-data.yaml", "issuer: acme-college", "issuer: acme-colege")
    edit(credentials / "spreadsheet-skills.yaml", "achievement_type: MicroCredential",
         "achievement_type: Microcredential")
    edit(credentials / "intro-data.yaml", "    - type: online-quiz\n",
         "    - type: online-quiz\n      weight_percent: 90\n")
    return target


@pytest.mark.slow
def test_github_actions_gets_one_workflow_command_per_problem(tmp_path: Path) -> None:
    project = _broken_minimal(tmp_path / "broken")
    plain = run_credcat("check", cwd=project, env={"GITHUB_ACTIONS": ""})
    assert plain.returncode == 1
    assert "::" not in plain.stdout
    problems = re.findall(r"^(\S+?):(\d+):(\d+): (warning: )?(.*)$", plain.stdout, flags=re.M)
    assert len(problems) == 3

    annotated = run_credcat("check", cwd=project, env={"GITHUB_ACTIONS": "true"})
    assert annotated.returncode == 1
    commands = [ANNOTATION.match(line) for line in annotated.stdout.splitlines()
                if line.startswith("::")]
    assert all(commands) and len(commands) == len(problems)
    assert annotated.stdout.startswith(plain.stdout)  # the plain output is still all there
    for match, (file, line, col, warning, message) in zip(commands, problems, strict=True):
        assert match is not None
        assert match.group(1) == ("warning" if warning else "error")
        assert (match.group(2), match.group(3), match.group(4)) == (file, line, col)
        assert match.group(5) == "credcat check"
        assert match.group(6).startswith(escape_data(message))
        assert "%0Ahint: " in match.group(6)  # the hint travels in the message
    weights = [m for m in commands if m and m.group(1) == "warning"]
    assert weights and "90%25, not 100%25" in weights[0].group(6)


def test_annotations_name_files_from_the_repository_root(tmp_path: Path) -> None:
    workspace = tmp_path / "repo"
    project = _broken_minimal(workspace / "catalogs" / "ours")
    result = run_credcat("check", cwd=project, env={"GITHUB_ACTIONS": "true",
                                                    "GITHUB_WORKSPACE": str(workspace)})
    files = {m.group(2) for line in result.stdout.splitlines()
             if (m := ANNOTATION.match(line))}
    assert files == {"catalogs/ours/catalog/credentials/intro-data.yaml",
                     "catalogs/ours/catalog/credentials/spreadsheet-skills.yaml"}


def test_workflow_command_escaping_follows_github() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"


# -- credcat new ------------------------------------------------------------------------------
@pytest.mark.slow
def test_new_writes_entries_that_pass_check(project: Path) -> None:
    new_credential = run_credcat(
        "new", "credential", "data-ethics-basics", "--name", "Data Ethics Basics",
        "--issuer", "brightpath-digital", "--skill", "data-ethics-privacy", "--hours", "12",
        "--cost", "95 GBP", "--assessment", "case-study,portfolio", "--eqf", "4", cwd=project)
    assert new_credential.returncode == 0, new_credential.stderr
    path = project / "catalog" / "credentials" / "data-ethics-basics.yaml"
    text = path.read_text(encoding="utf-8")
    site = Project.from_config(project / "mkdocs.yml")
    assert text.splitlines()[0] == (f"# yaml-language-server: $schema="
                                    f"{site.schema_url('credential')}")
    data = yaml.safe_load(text)
    assert data["cost"] == {"amount": 95, "currency": "GBP"}
    assert [m["type"] for m in data["evaluation"]["methods"]] == ["case-study", "portfolio"]
    assert data["workload"] == {"hours": 12} and data["level"]["eqf"] == 4

    new_issuer = run_credcat(
        "new", "issuer", "lakeside-institute", "--name", "Lakeside Institute",
        "--url", "https://lakeside.example.org/", "--email", "info@lakeside.example.org",
        "--kind", "training-provider", "--country", "ie", "--qa-type", "internal-review",
        cwd=project)
    assert new_issuer.returncode == 0, new_issuer.stderr
    new_pathway = run_credcat(
        "new", "pathway", "ethical-analyst", "--name", "Ethical Analyst",
        "--role", "Data analyst", "--stage", "Foundations=data-ethics-basics",
        "--stage", "Tools=sql-for-data-analysis,data-storytelling", cwd=project)
    assert new_pathway.returncode == 0, new_pathway.stderr
    pathway = yaml.safe_load((project / "catalog" / "pathways" / "ethical-analyst.yaml")
                             .read_text(encoding="utf-8"))
    # The example catalog declares English and French: each text gets a place for French.
    assert pathway["stages"][1] == {"name": {"en": "Tools", "fr": "TODO: in fr: Tools"},
                                    "credentials": ["sql-for-data-analysis", "data-storytelling"]}

    with_retired = run_credcat(
        "new", "pathway", "old-supervision", "--name", "Old Supervision",
        "--occupation", "11-3121.00", "--stage", "Only=supervisory-skills-essentials",
        cwd=project)
    assert with_retired.returncode == 0, with_retired.stderr
    line = line_of(project / "catalog" / "pathways" / "old-supervision.yaml",
                   "- supervisory-skills-essentials")
    assert (f"catalog/pathways/old-supervision.yaml:{line}:9: warning: credential "
            "'supervisory-skills-essentials' is retired") in with_retired.stderr

    check = run_credcat("check", cwd=project)
    assert check.returncode == 0, check.stdout
    catalog = Project.from_config(project / "mkdocs.yml").require()
    assert catalog.issuers["lakeside-institute"].country == "IE"
    assert [p.id for p in catalog.credentials["data-ethics-basics"].pathways] == [
        "ethical-analyst"]


@pytest.mark.slow
def test_new_refuses_to_overwrite_or_to_write_a_bad_entry(project: Path) -> None:
    existing = project / "catalog" / "credentials" / "data-storytelling.yaml"
    before = existing.read_bytes()
    flags = ["--name", "Data Storytelling Again", "--skill", "data-visualisation",
             "--hours", "10", "--cost", "free", "--assessment", "project"]
    again = run_credcat("new", "credential", "data-storytelling", "--issuer",
                        "brightpath-digital", *flags, cwd=project)
    assert again.returncode == 1
    assert "catalog/credentials/data-storytelling.yaml already exists" in again.stderr
    assert existing.read_bytes() == before

    typo = run_credcat("new", "credential", "fresh-one", "--issuer", "brightpath-digitl",
                       *flags, cwd=project)
    assert typo.returncode == 1
    assert "unknown issuer 'brightpath-digitl'" in typo.stderr
    assert "did you mean 'brightpath-digital'?" in typo.stderr
    assert not (project / "catalog" / "credentials" / "fresh-one.yaml").exists()

    for bad_id in ("Fresh_One", "index"):
        refused = run_credcat("new", "credential", bad_id, "--issuer", "brightpath-digital",
                              *flags, cwd=project)
        assert refused.returncode == 2, bad_id  # a usage error: the id on the command line
    bad_cost = run_credcat("new", "credential", "fresh-one", "--issuer", "brightpath-digital",
                           *flags[:6], "--cost", "a lot", "--assessment", "project", cwd=project)
    assert bad_cost.returncode == 2 and "--cost 'a lot' is not a cost" in bad_cost.stderr
    assert not list((project / "catalog" / "credentials").glob("fresh*"))


def test_new_lists_missing_flags_without_a_terminal(project: Path) -> None:
    result = run_credcat("new", "issuer", "quiet-issuer", "--name", "Quiet Issuer", cwd=project,
                         stdin="")
    assert result.returncode == 2
    for flag in ("--url", "--email", "--kind", "--country", "--qa-type"):
        assert flag in result.stderr
    assert "--name" not in result.stderr.split("Give:")[1]
    assert not (project / "catalog" / "issuers" / "quiet-issuer.yaml").exists()


def test_new_asks_for_missing_values_at_a_terminal(project: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "GITHUB_ACTIONS", "CREDCAT_SIGNING_KEY")}
    leader, follower = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder.cli", "new", "issuer", "asked-issuer",
         "--name", "Asked Issuer", "--url", "https://asked.example.org/",
         "--email", "hello@asked.example.org"],
        cwd=project, stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env, text=True)
    os.close(follower)
    try:
        os.write(leader, b"charity\nnonprofit\nCA\ninternal-review\n")
        _out, err = process.communicate(timeout=120)
    finally:
        os.close(leader)
    assert process.returncode == 0, err
    assert "Kind of organisation [" in err
    assert "'charity' is not one of the choices" in err
    data = yaml.safe_load((project / "catalog" / "issuers" / "asked-issuer.yaml")
                          .read_text(encoding="utf-8"))
    assert data["kind"] == "nonprofit" and data["country"] == "CA"
    assert data["quality_assurance"]["type"] == "internal-review"


# -- credcat init -----------------------------------------------------------------------------
@pytest.mark.slow
def test_init_then_check_then_build(tmp_path: Path) -> None:
    target = tmp_path / "our-catalog"
    made = run_credcat("init", target, "--site-name", "Our Catalog", "--site-url",
                       "https://our.example.org/catalog", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    check = run_credcat("check", cwd=target)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "catalog OK" in check.stderr
    build = run_credcat("build", cwd=target)
    assert build.returncode == 0, build.stderr
    site = target / "site"
    for page in ("", "credentials/example-micro-credential", "pathways/example-pathway",
                 "issuers/example-college", "about", "verify"):
        assert (site / page / "index.html").is_file(), page
    assert "Our Catalog" in (site / "index.html").read_text(encoding="utf-8")
    did = (site / "issuers" / "example-college" / "did.json").read_text(encoding="utf-8")
    assert "did:web:our.example.org:catalog:issuers:example-college" in did

    config = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"] == {"name": "credcat"} and config["plugins"] == ["credcat"]
    assert config["site_url"] == "https://our.example.org/catalog/"
    assert (target / "public_keys").is_dir()
    assert not [p for p in (target / "public_keys").rglob("*.yaml")]
    version = scaffold.credcat_version()
    assert (target / "requirements.txt").read_text() == f"credcat=={version}\n"
    ignored = (target / ".gitignore").read_text().splitlines()
    assert {"site/", "*.pem", "*.key"} <= set(ignored)
    hooks = yaml.safe_load((target / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["rev"] == f"v{version}"
    assert hooks["repos"][0]["hooks"] == [{"id": "credcat-check"}]
    first = (target / "catalog" / "credentials" / "example-micro-credential.yaml").read_text()
    assert first.startswith("# yaml-language-server: $schema=https://our.example.org/catalog/"
                            "schemas/credential.schema.json\n")
    for name, text in scaffold.workflows("pip install -r requirements.txt",
                                         "requirements.txt").items():
        assert (target / ".github" / "workflows" / name).read_text() == text


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    result = run_credcat("init", target, cwd=tmp_path)
    assert result.returncode == 1
    assert "is not empty" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy"]  # no scratch folder left
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_credcat("init", empty, cwd=tmp_path).returncode == 0
    assert (empty / "mkdocs.yml").is_file()


# -- workflows and the pre-commit hook --------------------------------------------------------
def _workflow(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _credcat_commands(text: str) -> list[str]:
    return re.findall(r"\bcredcat ([a-z]+)", text)


def _readme_commands() -> set[str]:
    """Commands the README documents: the first column of its command table."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `credcat")]
    return {name for row in rows for name in _credcat_commands(row)}


SIGNING = ("issue", "keygen", "revoke", "suspend", "reinstate", "keys")


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_workflows_run_the_documented_commands_and_never_sign(name: str) -> None:
    workflow = _workflow(name)
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    runs = " \n".join(step.get("run", "") for step in _steps(workflow))
    used = _credcat_commands(runs)
    documented = _readme_commands()
    assert {"check", "build"} <= set(used) <= documented
    assert "make serve" in (REPO / "README.md").read_text() and "make test" in (
        REPO / "README.md").read_text()
    assert not set(used) & set(SIGNING)
    for forbidden in ("CREDCAT_SIGNING_KEY", "PRIVATE KEY", "private_key", ".pem", "secrets.",
                      "--key"):
        assert forbidden not in text, forbidden
    for step in _steps(workflow):
        assert not any("key" in k.lower() for k in step.get("env", {})), step
        assert not any("key" in str(k).lower() for k in step.get("with", {})), step


def test_pull_request_workflow() -> None:
    workflow = _workflow("pr.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers
    steps = _steps(workflow)
    uses = [s.get("uses", "") for s in steps]
    assert uses[0].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    runs = [s.get("run", "") for s in steps]
    order = [next(i for i, r in enumerate(runs) if r.startswith(c))
             for c in ("pip install .", "credcat check", "credcat build", "credcat diff")]
    assert order == sorted(order)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"].rstrip("/") == "site"
    diff = steps[order[-1]]
    assert diff["run"] == 'credcat diff "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"'
    assert diff["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert diff["if"] == "${{ !cancelled() }}"  # reviewers get the summary even if check fails
    assert workflow["permissions"] == {"contents": "read"}


def test_deploy_workflow_publishes_main_to_pages() -> None:
    workflow = _workflow("deploy.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write",
                                       "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    runs = [s.get("run", "") for s in build["steps"]]
    assert runs.index("credcat build") < runs.index("credcat check") < uses.index(
        "actions/upload-pages-artifact")  # the site that is uploaded was scanned for keys
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_repository_workflows_are_the_ones_init_writes() -> None:
    """One source for both: only the install command differs."""
    expected = scaffold.workflows("pip install .", "pyproject.toml")
    assert sorted(p.name for p in WORKFLOWS.glob("*.yml")) == sorted(expected)
    for name, text in expected.items():
        assert (WORKFLOWS / name).read_text(encoding="utf-8") == text, (
            f"{name} differs from scaffold.workflows(): change both together")


def test_pre_commit_hook_runs_credcat_check_on_catalog_changes() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["credcat-check"]
    hook = hooks[0]
    assert hook["entry"] == "credcat check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("catalog/credentials/a.yaml", "public_keys/x/key-1.yaml",
                 "status/x/revocation.json", "mkdocs.yml"):
        assert files.search(path), path
    for path in ("docs/about.md", "site_builder/cli.py", "tests/catalog/x.yaml"):
        assert not files.search(path), path
    init_config = scaffold.files("X", "https://x.example.org/")[".pre-commit-config.yaml"]
    assert yaml.safe_load(init_config)["repos"][0]["hooks"][0]["id"] == hook["id"]


# -- guides and the field reference -----------------------------------------------------------
GUIDES = ("maintainers", "issuers", "learners")


def test_readme_links_every_guide() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for guide in GUIDES:
        assert f"](docs/guides/{guide}.md)" in readme
        assert (REPO / "docs" / "guides" / f"{guide}.md").is_file()
    assert (REPO / "docs" / "about.md").is_file()


def _command_lines(text: str) -> list[str]:
    """`credcat ...` lines from the guides' code blocks, continuation lines joined."""
    blocks = re.findall(r"```(?:sh)?\n(.*?)```", text, flags=re.S)
    joined = [line for block in blocks for line in block.replace("\\\n", " ").splitlines()]
    return [line.strip() for line in joined if line.strip().startswith("credcat ")]


@pytest.mark.parametrize("guide", GUIDES)
def test_guide_commands_parse_with_the_real_cli(guide: str) -> None:
    """Every command a guide shows in a code block is accepted by credcat's own parser."""
    text = (REPO / "docs" / "guides" / f"{guide}.md").read_text(encoding="utf-8")
    for line in _command_lines(text):
        words = shlex.split(line.split(" >")[0])[1:]
        try:
            _parser().parse_args(words)
        except SystemExit:
            pytest.fail(f"{guide}.md: `{line}` is not a valid credcat command")
    for mention in re.findall(r"`(credcat [^`]+)`", text):
        _check_mention(guide, mention)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    return {name: sub for action in parser._actions
            if isinstance(action, argparse._SubParsersAction)
            for name, sub in action.choices.items()}


def _check_mention(guide: str, mention: str) -> None:
    """Inline mentions name a real command (and subcommand), and only its real options."""
    parser = _parser()
    words = mention.replace("|", " ").split()[1:]
    if words == ["..."]:  # "the commands are `credcat ...`"
        return
    for word in words:
        if word not in _subcommands(parser):
            break
        parser = _subcommands(parser)[word]
    assert parser.prog != "credcat", f"{guide}.md: `{mention}` names no credcat command"
    options = {o for action in parser._actions for o in action.option_strings}
    for word in words:
        flag = word.split("=")[0]
        assert not flag.startswith("-") or flag in options, (
            f"{guide}.md: `{mention}`: {parser.prog} has no option {flag}")


def _schema_fields(node: dict[str, Any], root: dict[str, Any], prefix: str = "") -> list[str]:
    if "$ref" in node:
        target: Any = root
        for step in node["$ref"].removeprefix("#/").split("/"):
            target = target[step]
        node = {**target, **node}
    found = []
    for name, child in node.get("properties", {}).items():
        found.append(prefix + name)
        found += _schema_fields(child, root, f"{prefix}{name}.")
        items = child.get("items")
        if isinstance(items, dict):
            found += _schema_fields(items, root, f"{prefix}{name}[].")
    for form in node.get("oneOf", []):
        found += _schema_fields(form, root, prefix)
    return found


def test_field_reference_lists_every_schema_field() -> None:
    page = field_reference_markdown()
    for kind in SCHEMA_FILES:
        root = schema(kind)
        fields = set(_schema_fields(root, root))
        assert fields, kind
        for name in fields:
            assert f"| `{name}` |" in page, f"{kind}: {name} is missing from the reference"
    html = markdown.markdown(page, extensions=["tables"])
    assert html.count("<table>") == len(SCHEMA_FILES)
    assert "<id>" not in html and "&lt;id&gt;" in html
    rows = html.count("<tr>") - len(SCHEMA_FILES)  # minus the header rows
    assert rows == page.count("\n| `")
    required = re.search(r"\| `cost\.currency` \| ([^|]+) \|", page)
    assert required and "in the form with `amount` and `currency`" in required.group(1)


@pytest.mark.slow
def test_diff_warns_about_status_lists_signed_with_a_revoked_key(
        history: dict[str, Any]) -> None:
    project = history["project"]
    _mend_pathways(project)
    commit_all(project, "keep the pathways whole")
    revoked = run_credcat("keys", "revoke", ISSUER, "new-key", "--reason", "phone lost",
                          cwd=project)
    assert revoked.returncode == 0, revoked.stderr
    result = run_credcat("diff", "HEAD", cwd=project)
    assert result.returncode == 1  # `credcat check` fails too: the list no longer verifies
    assert f"key `{ISSUER}/new-key` is revoked" in result.stdout
    assert f"`{ISSUER}`'s status lists are signed with this key: re-sign them" in result.stdout
    assert (f"status/{ISSUER}/suspension.json:1:1: the suspension list would not verify"
            in result.stdout)
