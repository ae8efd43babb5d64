"""Every command, given bad input, answers with a message and an exit code, never a traceback.

Each case runs the real `credcat` in a subprocess on a copy of the example project, after one
edit that breaks something, and checks three things: no Python traceback anywhere in the
output, a line naming the command (or a `path:line:col` problem, or a verdict), and the exit
code the README's exit code table gives for that kind of failure (1: the input is wrong, 2:
the command line is wrong). To cover more inputs, add a `Case` to `CASES`; another corpus can
reuse
`assert_reported_cleanly` on its own runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from site_builder.credentials.keys import encode_pem

from .conftest import ISSUER, Run, copy_project, run_credcat

INVALID, USAGE = 1, 2


def assert_reported_cleanly(result: Run, command: str, code: int) -> None:
    """The contract every failing command keeps (README, "Exit codes")."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == code, (result.returncode, output)
    named = re.search(rf"^credcat( {command})?: ", result.stderr, re.MULTILINE)
    located = re.search(r"^\S+:\d+:\d+: ", result.stdout, re.MULTILINE)  # `check`'s problems
    verdict = command == "verify" and "Not verified" in result.stdout  # a verdict, per file
    assert named or located or verdict, output


def write(relative: str, text: str | bytes) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        target = project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
    return edit


def replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        target = project / relative
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative}: update the test case"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def nothing(project: Path) -> None:
    """The unchanged example project: the bad part is on the command line."""


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    code: int
    prepare: Callable[[Path], None] = nothing


KEY_FILE = f"public_keys/{ISSUER}/vectors-key.yaml"
NOT_YAML = write("mkdocs.yml", "site_name: [unclosed\n")
A_LIST = write("mkdocs.yml", "- just\n- a list\n")
BROKEN_CREDENTIAL = write("catalog/credentials/broken.yaml", "name: [\n")
GARBAGE_KEY = write("garbage.pem", b"\x00\xff not a key")
_write_stranger = write("stranger.pem", encode_pem(SigningKey(bytes(range(32)))))


def STRANGER_KEY(project: Path) -> None:
    _write_stranger(project)
    (project / "stranger.pem").chmod(0o600)  # signing refuses key files others can read


LABEL = "PRIVATE KEY"  # spelt apart so that no scanner takes this file for a leaked key
NOT_PEM = write("wrong.pem", f"-----BEGIN {LABEL}-----\nbm90IGEga2V5\n-----END {LABEL}-----\n")

CASES = [
    # mkdocs.yml that is not YAML, or not a mapping, for each command that reads it.
    *(Case(f"{' '.join(argv)}-config-not-yaml", argv, INVALID, NOT_YAML) for argv in (
        ("check",), ("keygen", ISSUER), ("issue", "data-storytelling", "--name", "A",
                                         "--email", "a@example.org"),
        ("revoke", "urn:uuid:00000000-0000-4000-8000-000000000000"),
        ("keys", "rotate", ISSUER), ("verify", "x.json"), ("new", "issuer", "someone"))),
    Case("check-config-a-list", ("check",), INVALID, A_LIST),
    Case("build-config-not-yaml", ("build", "-d", "out"), INVALID, NOT_YAML),
    # A catalog file that is not YAML: check reports it, the others refuse to sign.
    Case("check-broken-catalog", ("check",), INVALID, BROKEN_CREDENTIAL),
    Case("build-broken-catalog", ("build", "-d", "out"), INVALID, BROKEN_CREDENTIAL),
    Case("keygen-broken-catalog", ("keygen", ISSUER), INVALID, BROKEN_CREDENTIAL),
    # Keys that are not keys, or are missing.
    Case("issue-garbage-key", ("issue", "data-storytelling", "--key", "garbage.pem",
                               "--name", "A", "--email", "a@example.org"), INVALID, GARBAGE_KEY),
    Case("issue-not-ed25519-key", ("issue", "data-storytelling", "--key", "wrong.pem",
                                   "--name", "A", "--email", "a@example.org"), INVALID, NOT_PEM),
    Case("issue-missing-key", ("issue", "data-storytelling", "--key", "missing.pem",
                               "--name", "A", "--email", "a@example.org"), USAGE),
    Case("issue-no-key", ("issue", "data-storytelling", "--name", "A",
                          "--email", "a@example.org"), USAGE),
    Case("keys-resign-garbage-key", ("keys", "resign", ISSUER, "--key", "garbage.pem"),
         INVALID, GARBAGE_KEY),
    Case("suspend-garbage-key", ("suspend", "urn:uuid:00000000-0000-4000-8000-000000000000",
                                 "--key", "garbage.pem"), USAGE, GARBAGE_KEY),
    # Names on the command line that do not exist.
    Case("issue-unknown-credential", ("issue", "no-such-credential", "--key", "stranger.pem",
                                      "--name", "A", "--email", "a@example.org"), USAGE,
         STRANGER_KEY),
    Case("keygen-unknown-issuer", ("keygen", "nobody"), USAGE),
    Case("keys-rotate-unknown-issuer", ("keys", "rotate", "nobody"), USAGE),
    Case("keys-revoke-unknown-key", ("keys", "revoke", ISSUER, "no-key", "--reason", "x"),
         USAGE),
    Case("reinstate-unknown-credential", ("reinstate", "urn:uuid:nothing"), USAGE),
    Case("diff-unknown-revision", ("diff", "no-such-branch"), USAGE),
    Case("verify-missing-file", ("verify", "missing.json"), USAGE),
    Case("verify-not-a-site", ("verify", "x.json", "--site", "nowhere"), USAGE),
    # Values on the command line that are not what they should be.
    Case("keys-revoke-impossible-date", ("keys", "revoke", ISSUER, "vectors-key", "--reason",
                                         "x", "--since", "2026-02-31"), USAGE),
    Case("keys-revoke-impossible-time", ("keys", "revoke", ISSUER, "vectors-key", "--reason",
                                         "x", "--since", "2026-03-01T25:61:00Z"), USAGE),
    Case("keys-revoke-not-a-date", ("keys", "revoke", ISSUER, "vectors-key", "--reason", "x",
                                    "--since", "last tuesday"), USAGE),
    Case("new-bad-hours", ("new", "credential", "fresh-one", "--name", "Fresh", "--issuer",
                           ISSUER, "--skill", "data-visualisation", "--hours", "lots", "--cost",
                           "free", "--assessment", "project"), USAGE),
    Case("new-bad-id", ("new", "issuer", "Not An Id"), USAGE),
    Case("issue-both-name-and-roster", ("issue", "data-storytelling", "--name", "A",
                                        "--roster", "r.csv"), USAGE),
    Case("init-onto-a-file", ("init", "mkdocs.yml"), INVALID),
    # Files whose content is wrong.
    Case("issue-unpublished-key", ("issue", "data-storytelling", "--key", "stranger.pem",
                                   "--roster", "roster.csv"), INVALID, STRANGER_KEY),
    Case("revoke-file-without-credential", ("revoke", "x.json"), INVALID,
         write("x.json", "[1, 2, 3]")),
    Case("verify-binary-file", ("verify", "x.json"), INVALID, write("x.json", b"\x00\x01\xff")),
    Case("check-impossible-key-date", ("check",), INVALID,
         replace(KEY_FILE, "created: '2026-01-01T00:00:00Z'", "created: '2026-02-31'")),
    Case("check-impossible-key-time", ("check",), INVALID,
         replace(KEY_FILE, "created: '2026-01-01T00:00:00Z'",
                 "created: '2026-01-01T25:61:00Z'")),
    Case("check-impossible-updated-date", ("check",), INVALID,
         replace("catalog/credentials/data-storytelling.yaml", 'updated: "2026-01-12"',
                 'updated: "2026-02-30"')),
    Case("build-impossible-key-date", ("build", "-d", "out"), INVALID,
         replace(KEY_FILE, "created: '2026-01-01T00:00:00Z'", "created: '2026-02-31'")),
]


def test_cases_have_distinct_ids() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.slow  # one subprocess per case: about 30 s on 2 cores
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_reported_without_a_traceback(case: Case, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    case.prepare(project)
    result = run_credcat(*case.argv, cwd=project)
    command = " ".join(case.argv[:2] if case.argv[0] in ("keys", "new") else case.argv[:1])
    assert_reported_cleanly(result, command, case.code)
    if case.argv[0] == "build":
        assert not (project / "out").exists(), "a failed build wrote a site"
