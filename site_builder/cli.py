"""`credcat`: check, build, serve and publish a catalog; sign and verify its credentials.

This module only parses the command line and reports: the work is done in the packages, whose
failures are `CredcatError`s carrying their exit code (`site_builder/errors.py`, and the
README's exit code table). `main` prints any failure as one line, never a traceback.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from tqdm import tqdm

from site_builder import contract, files
from site_builder.catalog.model import Catalog
from site_builder.catalog.problems import CatalogError, Problem, summary
from site_builder.credentials import (
    baking,
    issuing,
    keys,
    proofs,
    sharing,
    status_audit,
    status_list,
    verify,
)
from site_builder.credentials.achievement import Wording, achievement
from site_builder.credentials.did import PublishedCatalog
from site_builder.errors import CredcatError, ExitCode
from site_builder.publishing import annotations, git_snapshot, new_entry, scaffold
from site_builder.publishing import diff as catalog_diff
from site_builder.publishing.project import Project

EXIT_OK, EXIT_INVALID, EXIT_USAGE = ExitCode.OK, ExitCode.INVALID, ExitCode.USAGE
PACKAGE = Path(__file__).resolve().parent


def cmd_check(args: argparse.Namespace) -> int:
    project = Project.from_config(args.config_file)
    catalog, problems = project.load()
    if not any(p.is_error for p in problems):
        problems = sorted(problems + status_audit.audit(project.root, project.site, catalog))
    leaks = keys.private_key_leaks(
        project.root, project.site_dir, project.key_scan_exclude,
        folders=project.published_from,
        published=frozenset(k.public_key_multibase for k in catalog.keys))
    leak_problems = [Problem(
        _shown(leak.path, project.root), leak.line, 1, "private key material found: a private "
        "key must never be committed or published", "remove it from the repository (and its "
        "history), rebuild the site, and treat the key as compromised: `credcat keys revoke`")
        for leak in leaks]
    for problem in problems + leak_problems:
        print(problem.format())
    if annotations.running_in_github_actions():
        workspace = annotations.workspace_from_environment()
        for problem in problems + leak_problems:
            print(annotations.workflow_command(problem, project.root, workspace))
    print(summary(problems + leak_problems), file=sys.stderr)
    return EXIT_INVALID if leaks or any(p.is_error for p in problems) else EXIT_OK


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _fail(message: str, code: ExitCode = ExitCode.INVALID,
          details: list[str] | None = None) -> NoReturn:
    """End the command: `main` prints the message and exits with the code."""
    raise CredcatError(message, exit_code=code, details=details)


def _load_catalog(project: Project) -> Catalog:
    """The catalog for commands that need a sound one (signing, verifying, keys)."""
    try:
        return project.require()
    except CatalogError as exc:
        _fail(f"{exc}\nrun `credcat check` for details")


def cmd_keygen(args: argparse.Namespace) -> int:
    project = Project.from_config(args.config_file)
    catalog = _load_catalog(project)
    made = keys.generate(catalog, project.keys_path, project.root, args.issuer,
                         args.key_id, args.out, project.schema_url("public-key"))
    did = project.site.issuer_did(args.issuer)
    print(f"private key: {made.private_path} (mode 0600; keep it secret, back it up offline)")
    print(f"public key:  {_shown(made.public_path, project.root)}  (commit this file)")
    print(f"key id:      {did}#{made.key_id}")
    return EXIT_OK


def cmd_issue(args: argparse.Namespace) -> int:
    project = Project.from_config(args.config_file)
    if bool(args.roster) == bool(args.name or args.email):
        _fail("give either --name and --email, or --roster FILE.csv", EXIT_USAGE)
    if args.roster and args.output:
        _fail("with --roster, use --out-dir (one file per learner)", EXIT_USAGE)
    if args.lang is not None and args.lang not in project.languages.codes:
        _fail(f"--lang {args.lang}: the catalog's languages are "
              f"{', '.join(project.languages.codes)} (mkdocs.yml, credcat plugin `languages`)",
              EXIT_USAGE)
    catalog = _load_catalog(project)
    signing_key = keys.load_signing_key(args.key)
    run = issuing.prepare(catalog, project.site, project.root, args.credential,
                          signing_key, args.cryptosuite, args.suspendable, args.lang)
    if args.lang is not None:
        probe = Wording(args.lang)
        achievement(project.site, run.credential, probe)
        if probe.fell_back:
            print(f"credcat issue: note: no {args.lang} text for {', '.join(probe.fell_back)}: "
                  f"the credential carries the {project.languages.default} text there",
                  file=sys.stderr)
    try:
        learners = (issuing.read_roster(args.roster) if args.roster
                    else [issuing.Learner(args.name, args.email)])
    except issuing.RosterError as exc:
        _fail("the roster has problems; nothing was issued:", details=exc.problems)
    if args.cryptosuite == proofs.JCS:
        print(f"credcat issue: note: {issuing.JCS_TRADEOFF}", file=sys.stderr)
    if args.suspendable:
        print(f"credcat issue: note: {issuing.SUSPENDABLE_TRADEOFF}", file=sys.stderr)
    badge = None
    if args.bake:
        image = run.credential.image
        if image is None:
            _fail(f"'{args.credential}' has no badge image to bake into; add `image:` to its "
                  "catalog entry")
        badge = _Badge.read(project.root / project.catalog_dir / image)
    if not args.roster and not args.out_dir:
        to_file = args.output is not None and str(args.output) != "-"

        def write_one(learner: issuing.Learner, document: dict[str, Any]) -> None:
            text = issuing.credential_json(document)
            files.write_atomic(args.output, text)
            if badge is not None:
                files.write_atomic_bytes(args.output.with_suffix(badge.suffix), badge.bake(text))

        try:
            document = run.issue_all(learners, lambda learner, signed: signed,
                                     write_one if to_file else None)[0]
        except (status_list.StatusError, issuing.IssueError) as exc:
            print(f"credcat issue: {exc}", file=sys.stderr)
            return EXIT_INVALID
        if to_file:
            print(f"wrote {args.output}", file=sys.stderr)
            if badge is not None:
                print(f"wrote {args.output.with_suffix(badge.suffix)}", file=sys.stderr)
        else:
            sys.stdout.write(issuing.credential_json(document))
        print(f"verification link: {issuing.verification_link(project.site, document)}",
              file=sys.stderr)
        return EXIT_OK
    out_dir = args.out_dir or Path(".")
    lines: list[str] = []  # the manifest's, one per learner
    # Each row's files are written where it is signed (in parallel for a long roster) under
    # temporary names, and moved into place only once the run has recorded them.
    staging = files.Staging(out_dir)

    def issued(name: str, learner: issuing.Learner, document: dict[str, Any],
               text: str | None = None) -> _Issued:
        """A row's files (`text`: the credential's, None if an earlier run wrote it) and its
        manifest line."""
        shared = sharing.learner_material(project.site, run.credential, document, learner.name,
                                          certificate=not args.no_certificates)
        staged = []
        if text is not None:
            staged.append((staging.write(name, text.encode("utf-8")), name))
            if badge is not None:
                baked = str(Path(name).with_suffix(badge.suffix))
                staged.append((staging.write(baked, badge.bake(text)), baked))
        certificate = ""
        if shared.certificate is not None:
            certificate = str(Path(name).with_suffix(".certificate.html"))
            staged.append((staging.write(certificate, shared.certificate.encode("utf-8")),
                           certificate))
        return _Issued(tuple(staged), issuing.manifest_line({
            "file": name, "learner": learner.name, "email": learner.email,
            "credential_id": str(document["id"]), "verification_link": shared.link,
            "linkedin_url": shared.linkedin, "certificate": certificate}))

    def render(learner: issuing.Learner, document: dict[str, Any]) -> _Issued:
        return issued(issuing.file_name(args.credential, learner, document), learner, document,
                      run.credential_json(document))

    def write(_learner: issuing.Learner | None, row: _Issued) -> None:
        for temporary, name in row.files:
            staging.publish(temporary, name)
        lines.append(row.line)

    try:
        done = issuing.already_issued(out_dir, args.credential, learners, run.status)
        for learner in learners:
            if (earlier := done.get(learner.email.lower())) is not None:
                name, document = earlier
                write(None, issued(name, learner, document))
        pending = [learner for learner in learners if learner.email.lower() not in done]
        if done:
            print(f"{len(done)} learner(s) already hold this credential in {out_dir} from an "
                  "earlier run and are not issued again", file=sys.stderr)
        if pending:
            with tqdm(total=len(pending), desc="signing", unit="credential", file=sys.stderr,
                      disable=len(pending) < 2) as bar:
                run.issue_all(pending, render, write, progress=bar.update)
    except (status_list.StatusError, issuing.IssueError, sharing.SharingError) as exc:
        print(f"credcat issue: {exc}", file=sys.stderr)
        return EXIT_INVALID
    finally:
        staging.discard()
    manifest = out_dir / "manifest.csv"
    files.write_atomic(manifest, issuing.manifest_header() + "".join(lines))
    print(f"issued {len(lines) - len(done)} credential(s) into {out_dir}; manifest: {manifest}",
          file=sys.stderr)
    return EXIT_OK


@dataclass(frozen=True)
class _Badge:
    """The credential's badge image (PNG bytes or SVG text), read once for a whole roster."""

    suffix: str
    image: bytes | str

    @classmethod
    def read(cls, path: Path) -> _Badge:
        try:
            return cls(path.suffix, path.read_bytes() if path.suffix == ".png"
                       else path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"cannot read the badge image {path}: {exc}", EXIT_USAGE)

    def bake(self, credential_text: str) -> bytes:
        if isinstance(self.image, bytes):
            return baking.bake_png(self.image, credential_text)
        return baking.bake_svg(self.image, credential_text).encode("utf-8")


@dataclass(frozen=True)
class _Issued:
    """A roster row, made where it is signed (in a worker for a long roster)."""

    files: tuple[tuple[str, str], ...]  # (temporary name, name) of each file it writes
    line: str  # its line of the manifest


def cmd_status_change(args: argparse.Namespace) -> int:
    project = Project.from_config(args.config_file)
    catalog = _load_catalog(project)
    target = status_list.locate(project.root, project.site, catalog, args.credential)
    key, method = keys.active_signer(catalog, project.site, target.issuer_id, args.key)
    purpose = status_list.apply(project.root, project.site, target, args.command, key, method,
                                args.reason or "")
    done = {"revoke": "revoked", "suspend": "suspended", "reinstate": "reinstated"}
    print(f"{done[args.command]} {target.credential or args.credential} (index {target.index} "
          f"of {target.issuer_id}'s {purpose} list). Commit status/{target.issuer_id}/ and "
          "publish the site for verifiers to see it.", file=sys.stderr)
    return EXIT_OK


def cmd_keys(args: argparse.Namespace) -> int:
    project = Project.from_config(args.config_file)
    catalog = _load_catalog(project)
    issuer = catalog.issuers.get(args.issuer)
    if issuer is None:
        _fail(f"unknown issuer '{args.issuer}'", EXIT_USAGE)
    schema = project.schema_url("public-key")
    if args.keys_command == "rotate":
        made, retired, when = keys.rotate(catalog, project.keys_path, project.root, issuer.id,
                                          args.key_id, args.out, schema)
        for old in retired:
            print(f"retired {old}: what it signed before {when} still verifies",
                  file=sys.stderr)
        print(f"new key {made.key_id}: private key {made.private_path} (mode 0600); "
              f"commit {_shown(made.public_path, project.root)}", file=sys.stderr)
        return EXIT_OK
    if args.keys_command == "resign":
        key, method = keys.active_signer(catalog, project.site, issuer.id, args.key)
        status_list.IssuerStatus(project.root, project.site, issuer.id).resign(key, method)
        print(f"re-signed the status lists of {issuer.id} with {method.rsplit('#', 1)[-1]}; "
              f"commit status/{issuer.id}/", file=sys.stderr)
        return EXIT_OK
    since = keys.revoke(catalog, project.keys_path, issuer.id, args.key_id, args.since,
                        args.reason, schema)
    print(f"revoked {args.key_id} of {issuer.id} from {since}: credentials it signed after "
          "that, or not recorded under status/ as issued before, no longer verify.",
          file=sys.stderr)
    if not any(k.state == "active" and k.id != args.key_id for k in issuer.keys):
        print(f"{issuer.id} has no active key left: run `credcat keys rotate {issuer.id}`, "
              f"then `credcat keys resign {issuer.id} --key NEW_KEY`.", file=sys.stderr)
    elif status_list.lists_signed_with(project.root, issuer.id, args.key_id):
        print(f"its status lists are signed with {args.key_id}: re-sign them with "
              f"`credcat keys resign {issuer.id} --key ACTIVE_KEY`, or verifiers will report "
              "that revocation cannot be checked.", file=sys.stderr)
    return EXIT_OK


def _published(args: argparse.Namespace) -> PublishedCatalog:
    if args.site:
        if re.match(r"^https?://", args.site):
            return PublishedCatalog.from_url(args.site)
        folder = Path(args.site)
        if not (folder / contract.KEYS_INDEX).is_file():
            _fail(f"{folder} is not a built catalog site (no {contract.KEYS_INDEX})", EXIT_USAGE)
        return PublishedCatalog.from_directory(folder)
    project = Project.from_config(args.config_file)
    return PublishedCatalog.from_catalog(project.site, _load_catalog(project), project.root)


def cmd_verify(args: argparse.Namespace) -> int:
    published = _published(args)
    results = []
    for path in args.files:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            _fail(f"cannot read {path}: {exc}", EXIT_USAGE)
        results += verify.verify_bytes(data, published, file=str(path))
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2))
    else:
        for result in results:
            print(verify.text_report(result))
    failed = any(r.verdict == verify.Verdict.NOT_VERIFIED for r in results)
    return EXIT_INVALID if failed else EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    """Load both revisions with the real loader; exit 1 when the change breaks the catalog."""
    project = Project.from_config(args.config_file)
    parts = [project.catalog_dir, project.keys_dir, status_list.STATUS_DIR]
    with tempfile.TemporaryDirectory(prefix="credcat-diff-") as tmp:
        revisions = []
        for name, ref in (("base", args.base), ("head", args.head)):
            if ref is None:
                revisions.append(catalog_diff.load_revision(
                    "the working tree", project.root, project.catalog_dir, project.keys_dir,
                    project.site, project.languages))
                continue
            root, commit = git_snapshot.snapshot(project.root, ref, parts, Path(tmp) / name)
            revisions.append(catalog_diff.load_revision(
                f"`{ref}` ({commit[:7]})", root, project.catalog_dir, project.keys_dir,
                project.site, project.languages))
        report = catalog_diff.compare(*revisions)
    sys.stdout.write(report.markdown())
    if report.failed:
        _fail(f"this change breaks the catalog ({len(report.errors)} broken reference(s), "
              f"{sum(p.is_error for p in report.head_problems)} validation error(s)); see the "
              "Errors section")
    return EXIT_OK


def _interactive() -> bool:
    """Ask only a person at a terminal; CI must fail fast on a missing flag, never hang."""
    return sys.stdin.isatty() and not os.environ.get("CI") and not (
        annotations.running_in_github_actions())


def _ask(question: new_entry.Question) -> str | list[str] | None:
    choices = f" [{', '.join(question.choices)}]" if question.choices else ""
    for _attempt in range(3):
        sys.stderr.write(f"{question.prompt}{choices}: ")
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            return None
        answer = line.strip()
        given = [a.strip() for a in answer.split(",")] if question.many else [answer]
        wrong = [a for a in given if question.choices and a not in question.choices]
        if answer and not wrong:
            return [answer] if question.many else answer
        if wrong:
            print(f"  '{wrong[0]}' is not one of the choices", file=sys.stderr)
    return None


def cmd_new(args: argparse.Namespace) -> int:
    """Build the entry, check it with the real loader in a scratch copy, then write it."""
    project = Project.from_config(args.config_file)
    kind = args.entry_kind
    target = new_entry.check_id(kind, args.id, project.root, project.catalog_dir)
    values = vars(args)
    if new_entry.missing(kind, values) and _interactive():
        for question in new_entry.missing(kind, values):
            values[question.dest] = _ask(question)
    absent = new_entry.missing(kind, values)
    if absent:
        _fail("missing required values; nothing was written. Give:", EXIT_USAGE, [
            f"{q.flag:<13} {q.prompt}"
            + (f" (one of: {', '.join(q.choices)})" if q.choices else "") for q in absent])
    try:
        data = new_entry.in_languages(kind, new_entry.BUILDERS[kind](values),
                                      project.languages)
    except new_entry.EntryError as exc:
        _fail(f"{exc}; nothing was written", exc.exit_code)
    text = new_entry.render(kind, data, project.schema_url(kind))
    rel = _shown(target, project.root)
    problems = new_entry.problems_in_new_file(project.root, project.catalog_dir,
                                              project.keys_dir, target, text,
                                              project.languages)
    errors = [p for p in problems if p.is_error]
    if errors:
        _fail(f"{rel} was not written; it would have these problems:", details=[
            p.message + (f"\n    hint: {p.hint}" if p.hint else "") for p in errors])
    if target.exists():  # written by someone else meanwhile
        _fail(f"{rel} already exists; not overwriting it")
    files.write_atomic(target, text)
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    todo = "replace the TODO text, then run" if "TODO" in text else "run"
    print(f"wrote {rel}: {todo} `credcat check`.", file=sys.stderr)
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    try:
        scaffold.init(args.dir, args.site_name, args.site_url)
    except (scaffold.ScaffoldError, OSError) as exc:
        _fail(f"{exc}; nothing was written")
    print(f"created a catalog in {args.dir}. Next:\n  cd {args.dir}\n  credcat check && "
          "credcat serve\nthen replace the example issuer, credential and pathway with your "
          "own, and set site_url in mkdocs.yml to where the site will be published.",
          file=sys.stderr)
    return EXIT_OK


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def cmd_demo_catalog(args: argparse.Namespace) -> int:
    from site_builder.catalog.demo import write_demo_catalog

    languages = tuple(code.strip() for code in args.languages.split(","))
    if languages not in (("en",), ("en", "fr")):
        print(f"--languages {args.languages}: a demo catalog is in English (en) or in "
              "English and French (en,fr)", file=sys.stderr)
        return EXIT_USAGE
    out = write_demo_catalog(args.n, args.out_dir, seed=args.seed, languages=languages)
    print(f"wrote {args.n:,} credentials to {out}; build with "
          f"`credcat build -f {out / 'mkdocs.yml'}`", file=sys.stderr)
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a fresh folder beside the target and swap it in only when the build worked."""
    from mkdocs.commands.build import build

    _configure_logging(args.verbose)
    config_file = args.config_file
    if not config_file.is_file():
        _fail(f"{config_file} not found; run in the catalog's folder or pass -f", EXIT_USAGE)
    Project.from_config(config_file)  # mkdocs.yml's syntax errors, with file and line
    try:
        probe = load_config(str(config_file))
    except MkDocsException as exc:
        _fail(f"{config_file}: {exc}")
    target = Path(args.site_dir or probe.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-{os.getpid()}-",
                                    dir=target.parent))
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=args.strict)
        build(config)
        _world_readable(staging)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        _fail(f"build failed; {target} was left as it was.\n{exc}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, target)
    print(f"built {target}", file=sys.stderr)
    return EXIT_OK


def _world_readable(folder: Path) -> None:
    """0755 folders, 0644 files: mkdtemp makes the root 0700, which a web server cannot read."""
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


_RENAME_EXCHANGE = 2  # renameat2(2) flag, from <linux/fs.h>
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False if not here.

    https://man7.org/linux/man-pages/man2/rename.2.html: at no moment is either name missing,
    so a web server never sees the site gone.
    """
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                     _RENAME_EXCHANGE) == 0


def _swap_in(staging: Path, target: Path) -> None:
    """Put the new build in place; the old site is kept aside until the new one is in.

    Where an atomic exchange is not available, a crash between the two renames leaves the old
    site as `.<name>-old-<pid>`, which `_recover` puts back at the next build.
    """
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old site
        return
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _alive(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return int(pid) != os.getpid()


def _recover(target: Path) -> None:
    """Undo what a killed build left beside the site: restore a site moved aside, and remove
    staging folders of builds that no longer run (named `.<name>-build-<pid>-...`)."""
    olds = sorted(target.parent.glob(f".{target.name}-old-*"), key=lambda p: p.stat().st_mtime)
    if not target.exists() and olds:
        olds.pop().rename(target)
    for stale in [*olds, *target.parent.glob(f".{target.name}-build-*")]:
        pid = stale.name.rsplit("-old-", 1)[-1] if "-old-" in stale.name else (
            stale.name.removeprefix(f".{target.name}-build-").split("-", 1)[0])
        if not _alive(pid):
            shutil.rmtree(stale, ignore_errors=True)


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    _configure_logging(True)
    try:
        serve(str(args.config_file), livereload=True, dev_addr=args.dev_addr)
    except MkDocsException as exc:
        _fail(str(exc))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="credcat", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], int],
                help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                       help="the catalog's mkdocs.yml (default: ./mkdocs.yml)")
        p.set_defaults(handler=handler)
        return p

    command("check", cmd_check, "validate the catalog; print every problem as path:line:col")
    p = command("build", cmd_build, "check the catalog and build the site")
    p.add_argument("-d", "--site-dir", help="output folder (default: mkdocs.yml's site_dir)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("-v", "--verbose", action="store_true")
    p = command("serve", cmd_serve, "build, serve and rebuild when a catalog file changes")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address:port")
    p = command("keygen", cmd_keygen, "make an Ed25519 key pair for an issuer")
    p.add_argument("issuer", help="issuer id (a file name in catalog/issuers/)")
    p.add_argument("--key-id", help="key id (default: the next free key-N)")
    p.add_argument("--out", type=Path, help="where to write the private key (PEM, mode 0600); "
                   "default: a per-user folder outside any repository")
    p = command("issue", cmd_issue, "sign an Open Badges 3.0 credential for learners")
    p.add_argument("credential", help="credential id (a file name in catalog/credentials/)")
    p.add_argument("--key", type=Path, help=f"private key file (or set {keys.ENV_VAR})")
    p.add_argument("--name", help="the learner's name")
    p.add_argument("--email", help="the learner's e-mail (published only as a salted hash)")
    p.add_argument("--roster", type=Path, help="CSV with 'name' and 'email' columns")
    p.add_argument("-o", "--output", type=Path, help="file for one credential (default stdout)")
    p.add_argument("--out-dir", type=Path, help="folder for one file per learner + manifest")
    p.add_argument("--cryptosuite", default=proofs.CRYPTOSUITES[0], choices=proofs.CRYPTOSUITES,
                   help=f"proof cryptosuite (default {proofs.CRYPTOSUITES[0]}); with "
                   f"{proofs.JCS}, 1EdTech's validator and DCC's verifier (VerifierPlus, "
                   "Learner Credential Wallet) cannot verify the credentials")
    p.add_argument("--suspendable", action="store_true",
                   help="add a suspension entry next to the revocation entry, so `credcat "
                   "suspend` can act on these credentials; they then fail 1EdTech's OB 3.0 "
                   "schema (one credentialStatus) and only credcat's verifier reads the "
                   "suspension")
    p.add_argument("--bake", action="store_true", help="also bake each credential into the "
                   "credential's badge image (PNG or SVG) beside the JSON file")
    p.add_argument("--no-certificates", action="store_true",
                   help="with --roster: write no printable certificate per learner (the "
                   "manifest keeps each verification and LinkedIn link); drawing each "
                   "certificate's QR code is most of the time a large roster takes")
    p.add_argument("--lang", help="language of the credential's texts, one the catalog declares "
                   "(default: the catalog's default language); a field not translated into it "
                   "keeps the default language's text, and the command says which")
    for name, text in (("revoke", "revoke a credential (final)"),
                       ("suspend", "suspend a credential until it is reinstated"),
                       ("reinstate", "lift a suspension")):
        p = command(name, cmd_status_change, f"{text}; re-signs the issuer's status list")
        p.add_argument("credential", help="the credential's file (.json, .png, .svg) or its id "
                       "(urn:uuid:...)")
        p.add_argument("--key", type=Path, help=f"the issuer's active private key (or set "
                       f"{keys.ENV_VAR})")
        p.add_argument("--reason", help="why, for the record in status/<issuer>/changes.csv")
    p = command("keys", cmd_keys, "rotate or revoke an issuer's keys, re-sign its status lists")
    key_commands = p.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    rotate = key_commands.add_parser("rotate", help="make a new key and retire the active one")
    rotate.add_argument("issuer")
    rotate.add_argument("--key-id", help="id of the new key (default: the next free key-N)")
    rotate.add_argument("--out", type=Path, help="where to write the new private key")
    revoke = key_commands.add_parser("revoke", help="revoke a compromised key")
    revoke.add_argument("issuer")
    revoke.add_argument("key_id")
    revoke.add_argument("--reason", required=True, help="what happened, e.g. 'laptop stolen'")
    revoke.add_argument("--since", help="from when the key is untrusted (YYYY-MM-DD or a "
                        "date-time; default now)")
    resign = key_commands.add_parser("resign", help="re-sign the issuer's status lists with "
                                     "its active key (after a key was revoked)")
    resign.add_argument("issuer")
    resign.add_argument("--key", type=Path, help=f"the issuer's active private key (or set "
                        f"{keys.ENV_VAR})")
    p = command("diff", cmd_diff, "summarise in Markdown what changed in the catalog between "
                "two Git revisions, for a pull request (exit 1 if the change breaks it)")
    p.add_argument("base", metavar="BASE_REF", help="the revision to compare with, e.g. "
                   "origin/main")
    p.add_argument("head", metavar="HEAD_REF", nargs="?",
                   help="the changed revision (default: the working tree, uncommitted edits "
                   "included)")
    p = command("new", cmd_new, "write a new credential, pathway or issuer file that passes "
                "`credcat check`, from flags (asks at a terminal for what is missing)")
    kinds = p.add_subparsers(dest="entry_kind", required=True, metavar="KIND")

    def kind_parser(name: str, text: str) -> argparse.ArgumentParser:
        k = kinds.add_parser(name, help=text, description=text)
        k.add_argument("id", help=f"the new {name}'s id: its file name without .yaml "
                       "(lowercase letters, digits, hyphens)")
        k.add_argument("-f", "--config-file", type=Path, default=argparse.SUPPRESS,
                       help="the catalog's mkdocs.yml (default: ./mkdocs.yml)")
        return k

    k = kind_parser("credential", "a new credential in catalog/credentials/")
    k.add_argument("--name", help="title, as printed on the badge")
    k.add_argument("--issuer", help="issuer id (a file name in catalog/issuers/)")
    k.add_argument("--skill", action="append", help="skill id from catalog/skills.yaml "
                   "(repeat, or separate with commas)")
    k.add_argument("--hours", help="notional learning hours")
    k.add_argument("--cost", help="'AMOUNT CURRENCY' (e.g. '120 CAD') or 'free'")
    k.add_argument("--assessment", action="append", metavar="METHOD",
                   help="assessment method (repeat, or separate with commas): "
                   + ", ".join(new_entry.ASSESSMENT_TYPES))
    k.add_argument("--summary", help="one or two sentences (default: a TODO to replace)")
    k.add_argument("--type", choices=new_entry.ACHIEVEMENT_TYPES, default="MicroCredential",
                   metavar="TYPE", help="Open Badges achievement type (default: "
                   "MicroCredential): " + ", ".join(new_entry.ACHIEVEMENT_TYPES))
    k.add_argument("--level", choices=new_entry.LEVELS, default="Introductory",
                   help="plain-language level (default: Introductory)")
    k.add_argument("--eqf", type=int, choices=range(1, 9), metavar="1-8",
                   help="European Qualifications Framework level")
    k.add_argument("--participation", choices=new_entry.PARTICIPATION, default="online",
                   help="form of participation (default: online)")
    k.add_argument("--language", action="append", help="language code such as en or fr-CA "
                   "(repeat; default: en)")
    k.add_argument("--version", default="1.0", help="version of the requirements (default 1.0)")
    k = kind_parser("pathway", "a new pathway in catalog/pathways/")
    k.add_argument("--name", help="name of the pathway")
    k.add_argument("--role", help="the role it leads to, in words")
    k.add_argument("--occupation", help="O*NET-SOC code of the goal occupation, e.g. "
                   "15-2051.01 (a role or an occupation is required)")
    k.add_argument("--stage", action="append", metavar="NAME=ID,ID",
                   help="a stage and its credential ids, in order (repeat for each stage)")
    k.add_argument("--description", help="who it is for (default: a TODO to replace)")
    k = kind_parser("issuer", "a new issuer in catalog/issuers/")
    k.add_argument("--name", help="legal or trading name")
    k.add_argument("--url", help="home page, https://...")
    k.add_argument("--email", help="contact e-mail for questions about credentials")
    k.add_argument("--kind", choices=new_entry.ISSUER_KINDS, help="kind of organisation")
    k.add_argument("--country", help="ISO 3166-1 alpha-2 code, e.g. CA")
    k.add_argument("--region", help="region, state or province")
    k.add_argument("--qa-type", choices=new_entry.QA_TYPES, help="kind of quality assurance")
    k.add_argument("--qa-body", help="accrediting or reviewing body")
    k.add_argument("--qa-url", help="where the accreditation or QA policy can be checked")
    k.add_argument("--description", help="who the issuer is (default: a TODO to replace)")
    text = ("create a catalog repository in a new folder: example catalog, mkdocs.yml, "
            "GitHub workflows, pre-commit hook; credcat is a pinned dependency")
    p = sub.add_parser("init", help=text, description=text)
    p.add_argument("dir", type=Path, metavar="DIR", help="a new or empty folder")
    p.add_argument("--site-name", default="Micro-credential Catalog",
                   help="the site's title (default: %(default)s)")
    p.add_argument("--site-url", default=scaffold.DEFAULT_SITE_URL,
                   help="where the site will be published; issuer DIDs derive from it "
                   "(default: %(default)s, a placeholder)")
    p.set_defaults(handler=cmd_init)
    text = "write a generated catalog project of N credentials (to measure builds at scale)"
    p = sub.add_parser("demo-catalog", help=text, description=text)
    p.add_argument("n", type=int, metavar="N")
    p.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--languages", default="en",
                   help="en, or en,fr for a bilingual catalog (default: %(default)s)")
    p.set_defaults(handler=cmd_demo_catalog)
    p = command("verify", cmd_verify, "verify credentials against this catalog's keys")
    p.add_argument("files", nargs="+", help="credential files: .json, or baked .png / .svg")
    p.add_argument("--site", help="a built site folder or a site URL (default: this catalog)")
    p.add_argument("--json", action="store_true", help="machine-readable results")
    return parser


def _prog(args: argparse.Namespace) -> str:
    """`credcat keys revoke`, `credcat new issuer`, ...: the command as the user typed it."""
    words = ["credcat", args.command]
    words += [w for w in (getattr(args, "keys_command", None),
                          getattr(args, "entry_kind", None)) if w]
    return " ".join(words)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure ends as one message and an exit code, not a traceback."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except CredcatError as exc:
        print(f"{_prog(args)}: {exc}", file=sys.stderr)
        for detail in exc.details:
            print(f"  {detail}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{_prog(args)}: interrupted; files are written whole or not at all",
              file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:  # the last line of defence: a bug, reported without a traceback
        place = ""  # the deepest frame in credcat's own code, to make the report useful
        where = exc.__traceback__
        while where is not None:
            code = Path(where.tb_frame.f_code.co_filename)
            if PACKAGE in code.parents:
                place = f" at {code.relative_to(PACKAGE.parent)}:{where.tb_lineno}"
            where = where.tb_next
        print(f"{_prog(args)}: unexpected error {type(exc).__name__}{place}: {exc}. This is a "
              "bug in credcat: please report it to its maintainers with the command you ran "
              "and this line", file=sys.stderr)
        return ExitCode.INTERNAL


if __name__ == "__main__":
    sys.exit(main())
