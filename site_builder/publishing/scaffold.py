"""`credcat init`: a catalog in its own repository, with credcat as a pinned dependency.

The folder it writes passes `credcat check` and `credcat build` as it is, so a new catalog
starts green and every later failure is about the maintainers' own change. Its workflows are
the same two this repository runs (the text comes from `workflows()` here, and a test keeps
`.github/workflows/` in step); they differ only in how credcat is installed.

Everything is written into a scratch folder beside the target and moved into place at the end,
so a failure never leaves half a catalog behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from site_builder.catalog.loader import load_catalog
from site_builder.errors import CredcatError
from site_builder.publishing.new_entry import render
from site_builder.publishing.project import Project

# Where the credcat source (with its .pre-commit-hooks.yaml) is published.
CREDCAT_REPOSITORY = "https://github.com/credcat/credcat"
DEFAULT_SITE_URL = "https://credentials.example.org/"

ACTIONS = {
    "checkout": "actions/checkout@v4",
    "setup-python": "actions/setup-python@v5",
    "upload-artifact": "actions/upload-artifact@v4",
    "configure-pages": "actions/configure-pages@v5",
    "upload-pages-artifact": "actions/upload-pages-artifact@v4",
    "deploy-pages": "actions/deploy-pages@v4",
}


class ScaffoldError(CredcatError):
    """The target cannot take a new catalog; the message says why."""


def credcat_version() -> str:
    try:
        return metadata.version("credcat")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def _setup_steps(install: str, dependency_file: str) -> str:
    return f"""      - uses: {ACTIONS["setup-python"]}
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: {dependency_file}
      - name: Install credcat
        run: {install}
"""


def workflows(install: str, dependency_file: str) -> dict[str, str]:
    """`.github/workflows/` files: `install` is the shell command that installs credcat."""
    setup = _setup_steps(install, dependency_file)
    pr = f"""# Every pull request: problems show as annotations on the changed lines, the built site
# is attached to the run as an artifact, and the job summary says in words what the change
# does to the catalog. Nothing here signs: issuers sign on their own machines and commit the
# signed status lists under status/ (see the issuers' guide), so no private key is needed.
name: Check pull request

on:
  pull_request:

permissions:
  contents: read

concurrency:
  group: pr-${{{{ github.event.pull_request.number }}}}
  cancel-in-progress: true

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: {ACTIONS["checkout"]}
        with:
          fetch-depth: 0  # credcat diff reads the base branch's history
{setup}      - name: Check the catalog
        run: credcat check  # GITHUB_ACTIONS=true: problems become annotations
      - name: Build the site
        run: credcat build
      - name: Upload the built site
        uses: {ACTIONS["upload-artifact"]}
        with:
          name: site
          path: site/
      - name: Summarise the catalog changes for reviewers
        if: ${{{{ !cancelled() }}}}
        env:
          BASE_REF: ${{{{ github.base_ref }}}}
        run: credcat diff "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"
"""
    deploy = f"""# Every push to main publishes the site on GitHub Pages (Settings > Pages > Source:
# GitHub Actions). Set site_url in mkdocs.yml to the published address first: issuer DIDs
# and credential ids are derived from it. The site is built from what is committed; status
# lists are published exactly as issuers signed and committed them. No key is used here.
name: Deploy site

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: {ACTIONS["checkout"]}
{setup}      - name: Build the site
        run: credcat build
      - name: Check the catalog and the built site for private keys
        run: credcat check
      - uses: {ACTIONS["configure-pages"]}
      - uses: {ACTIONS["upload-pages-artifact"]}
        with:
          path: site/

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: {ACTIONS["deploy-pages"]}
"""
    return {"pr.yml": pr, "deploy.yml": deploy}


# -- the example catalog ----------------------------------------------------------------------
ISSUER_ID = "example-college"
CREDENTIAL_ID = "example-micro-credential"
PATHWAY_ID = "example-pathway"

EXAMPLE_ISSUER: dict[str, Any] = {
    "name": "Example College",
    "url": "https://college.example.org/",
    "email": "credentials@college.example.org",
    "kind": "college",
    "country": "CA",
    "description": "Example College is a fictional issuer. Replace this file with your own "
                   "organisation: who you are, whom you serve, and how your credentials are "
                   "designed.\n",
    "quality_assurance": {
        "type": "internal-review",
        "description": "Each credential is approved by the college's academic committee and "
                       "reviewed every three years with employer advisers.",
    },
}

EXAMPLE_CREDENTIAL: dict[str, Any] = {
    "name": "Example Micro-credential in Career Conversations",
    "issuer": ISSUER_ID,
    "achievement_type": "MicroCredential",
    "summary": "Run a structured one-to-one career conversation that ends with agreed, "
               "realistic next steps.",
    "description": "A fictional example entry: copy it (or run `credcat new credential`) to "
                   "describe your own credentials.\n\nLearners practise contracting, "
                   "exploring goals and agreeing next steps in short recorded sessions.\n",
    "learning_outcomes": [
        "Open a career conversation by agreeing its purpose and limits with the client.",
        "Summarise the client's situation and goals accurately.",
        "Agree two or three realistic next steps before the conversation ends.",
    ],
    "skills": ["career-conversations", "active-listening"],
    "evaluation": {
        "narrative": "Learners submit a recorded practice conversation and a short reflection, "
                     "assessed by a qualified practitioner against the rubric.",
        "methods": [
            {"type": "observed-practice", "description": "Recorded practice conversation.",
             "weight_percent": 70},
            {"type": "reflective-journal", "description": "500-word reflection.",
             "weight_percent": 30},
        ],
        "rubric": {
            "levels": ["Not yet", "Pass"],
            "criteria": [
                {"criterion": "Structure",
                 "descriptors": ["No clear opening or close.",
                                 "Purpose agreed; conversation ends with next steps."]},
                {"criterion": "Listening",
                 "descriptors": ["Misses or misstates what the client says.",
                                 "Summarises the client's situation accurately."]},
            ],
        },
        "pass_threshold": "Pass on every rubric criterion.",
        "evidence": ["Recorded practice conversation", "Written reflection"],
    },
    "level": {"label": "Introductory", "eqf": 4},
    "workload": {"hours": 20},
    "duration": {"amount": 4, "unit": "weeks"},
    "cost": {"amount": 150, "currency": "CAD"},
    "participation": "online",
    "languages": ["en"],
    "occupations": [{"onet": "21-1012.00",
                     "title": "Educational, Guidance, and Career Counselors and Advisors"}],
    "assessment_conditions": {"identity_verification": "online-id-check", "supervised": False},
    "version": "1.0",
    "status": "active",
}

EXAMPLE_PATHWAY: dict[str, Any] = {
    "name": "Example Pathway: Career Adviser",
    "description": "A fictional example pathway. Pathways order credentials into stages "
                   "toward a role; add your own credentials to the stages.\n",
    "goal": {"occupation": "21-1012.00", "role": "Career adviser"},
    "stages": [{"name": "Foundations", "credentials": [CREDENTIAL_ID]}],
}

EXAMPLE_SKILLS = """\
# yaml-language-server: $schema={schema}
# The skills your credentials validate; credentials refer to these ids.
skills:
  - id: career-conversations
    name: Structured career conversations
    description: >-
      Running a purposeful one-to-one career conversation: contracting, exploring the
      client's situation and goals, and agreeing realistic next steps.
  - id: active-listening
    name: Active listening
    description: >-
      Giving full attention to what a client is saying, reflecting and summarising to check
      understanding, and asking follow-up questions at the right moment.
    alignments:
      - framework: O*NET
        code: 2.A.1.b
        name: Active Listening
        url: https://www.onetonline.org/find/descriptor/result/2.A.1.b
"""


def _mkdocs_yml(site_name: str, site_url: str) -> str:
    name = yaml.safe_dump(site_name, default_style='"', width=1000).strip()
    return f"""site_name: {name}
# Where the site is published. Issuer DIDs (did:web) and credential ids are derived from it:
# set it before anyone issues a credential, and do not change it afterwards.
site_url: {site_url}
docs_dir: docs
use_directory_urls: true
theme:
  name: credcat
plugins:
  - credcat
"""


ABOUT = """\
# About this catalog

This catalog describes micro-credentials: what each one validates, how learners are
assessed, what it costs and how credentials stack toward a role.

Every credential in the catalog can be awarded as a signed Open Badges 3.0 credential. Anyone
can check one on the [verification page](../verify/), in the browser, with no account.
"""

GITIGNORE = """\
# The built site: GitHub Actions builds and publishes it.
site/
# Pages of the last build, reused when unchanged.
.cache/
.venv/
__pycache__/
# Private keys never belong in the repository: `credcat keygen` keeps them in your home folder.
*.pem
*.key
private_keys/
"""


def _pre_commit_config(version: str) -> str:
    return f"""# After `pre-commit install`, `credcat check` runs before every commit that touches
# catalog/, public_keys/, status/ or mkdocs.yml.
repos:
  - repo: {CREDCAT_REPOSITORY}
    rev: v{version}
    hooks:
      - id: credcat-check
"""


def _readme(site_name: str) -> str:
    return f"""# {site_name}

A micro-credential catalog published with [credcat]({CREDCAT_REPOSITORY}): the catalog is
YAML under `catalog/`, every change is a pull request, and GitHub Actions checks it, shows
reviewers what it changes, and publishes the site to GitHub Pages when it is merged.

## Set up

With Python 3.11 or later:

```sh
python3 -m venv .venv
.venv/bin/pip install -r requirements.txt
.venv/bin/credcat serve      # the site at http://127.0.0.1:8000, rebuilt on every edit
.venv/bin/pre-commit install # optional: `pip install pre-commit` first
```

## Everyday commands

| command | what it does |
| --- | --- |
| `credcat check` | validates the catalog; prints every problem as `path:line:column` with a hint |
| `credcat build` | checks, then builds the site into `site/` |
| `credcat new credential ID --name ...` | writes an entry that passes `credcat check` |
| `credcat diff origin/main` | says in words what your branch changes in the catalog |
| `credcat keygen ISSUER` | makes an issuer's key pair; the private key stays outside |

`credcat new` also writes pathways and issuers. Run any command with `--help` for its
options.

## Publish

1. Push this folder to a new GitHub repository.
2. In Settings > Pages, choose "GitHub Actions" as the source.
3. Set `site_url` in `mkdocs.yml` to the published address (for example
   `https://OWNER.github.io/REPOSITORY/`) before issuing any credential.

`.github/workflows/pr.yml` checks every pull request; `.github/workflows/deploy.yml` publishes
`main`. Neither ever sees a private key: issuers sign on their own machines and commit the
signed status lists under `status/`.

## What is here

| path | what it holds |
| --- | --- |
| `catalog/` | `issuers/`, `credentials/`, `pathways/` (a YAML file each) and `skills.yaml` |
| `public_keys/` | issuers' public keys, written by `credcat keygen` |
| `docs/` | your own pages, published with the catalog |
| `requirements.txt` | the credcat version this catalog is built with |

The example issuer, credential and pathway are fictional: replace them with your own.
"""


def files(site_name: str, site_url: str) -> dict[str, str]:
    """Every file of a new catalog repository, by path."""
    project = Project(Path("."), site_url=site_url)
    version = credcat_version()
    out = {
        "mkdocs.yml": _mkdocs_yml(site_name, site_url),
        "requirements.txt": f"credcat=={version}\n",
        "README.md": _readme(site_name),
        ".gitignore": GITIGNORE,
        ".pre-commit-config.yaml": _pre_commit_config(version),
        "docs/about.md": ABOUT,
        "public_keys/.gitkeep": "",
        "catalog/skills.yaml": EXAMPLE_SKILLS.format(schema=project.schema_url("skills")),
        f"catalog/issuers/{ISSUER_ID}.yaml": render(
            "issuer", EXAMPLE_ISSUER, project.schema_url("issuer")),
        f"catalog/credentials/{CREDENTIAL_ID}.yaml": render(
            "credential", EXAMPLE_CREDENTIAL, project.schema_url("credential")),
        f"catalog/pathways/{PATHWAY_ID}.yaml": render(
            "pathway", EXAMPLE_PATHWAY, project.schema_url("pathway")),
    }
    for name, text in workflows("pip install -r requirements.txt", "requirements.txt").items():
        out[f".github/workflows/{name}"] = text
    return out


def init(target: Path, site_name: str, site_url: str) -> None:
    """Write a new catalog repository into `target`, which must be missing or empty."""
    if not site_url.startswith(("https://", "http://")):
        raise ScaffoldError(f"--site-url '{site_url}' must start with https://")
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise ScaffoldError(f"{target} is not empty; give a new or empty folder")
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-init-", dir=parent))
    try:
        for rel, text in files(site_name, site_url).items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        _catalog, problems = load_catalog(staging)
        if problems:  # the templates are ours: this is a bug in credcat, not user input
            raise ScaffoldError("the example catalog does not validate: "
                                + "; ".join(p.format() for p in problems))
        os.chmod(staging, 0o777 & ~_umask())
        if target.is_dir():
            target.rmdir()  # empty, checked above; rename needs the name free
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
