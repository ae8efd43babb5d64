"""Issuer signing keys: generating, storing, loading, and making sure private halves never leak.

Private keys are PKCS#8 PEM (RFC 8410), the encoding OpenSSL and most tools read, written with
mode 0600 outside any Git work tree. A Multikey secret (`z3u2...`) is accepted too, because the
W3C test vectors and some wallets use it. Only the public half is written into `public_keys/`.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from nacl.signing import SigningKey

from site_builder import multikey
from site_builder.catalog.model import Catalog, PublicKey
from site_builder.catalog.safe_files import UnsafeFile, read_regular
from site_builder.dates import now, parse_moment, xsd
from site_builder.errors import CredcatError, ExitCode
from site_builder.files import write_atomic
from site_builder.urls import Site

ENV_VAR = "CREDCAT_SIGNING_KEY"
KEY_FILE_LIMIT = 65_536  # a PEM key is about 120 bytes; /dev/zero must not be read forever
# RFC 8410: PKCS#8 PrivateKeyInfo for Ed25519, all of it fixed except the 32-byte seed.
_PKCS8_PREFIX = bytes.fromhex("302e020100300506032b657004220420")
_PEM_LABEL = "PRIVATE KEY"
_PEM_BEGIN, _PEM_END = f"-----BEGIN {_PEM_LABEL}-----", f"-----END {_PEM_LABEL}-----"
# What `credcat check` and `credcat build` look for (see `private_key_leaks`). Key material,
# not mentions of it: a PEM block needs a body to count. The PEM body may be written with
# escaped line breaks, as YAML or JSON strings hold it ("\\n", "\\/").
_BODY = rb"(?:[A-Za-z0-9+/=\s]|\\[nr/])"
PRIVATE_KEY_PATTERN = re.compile(
    rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----" + _BODY + rb"{40,}?-----END"
    # A PKCS#8 Ed25519 key without its PEM lines: the fixed DER prefix, base64 or hex.
    + rb"|" + re.escape(base64.b64encode(_PKCS8_PREFIX)[:20]) + _BODY + rb"{20,}"
    + rb"|(?i:" + _PKCS8_PREFIX.hex().encode() + rb")[0-9a-fA-F]{64}"
    # Multikey secret keys (multicodec 0x8026) in base58btc, base64url, base64 and hex multibase.
    + rb"|\bz3u2[1-9A-HJ-NP-Za-km-z]{40,}"
    + rb"|\b[um]gC[YZab][A-Za-z0-9_+/-]{40}"
    + rb"|\bf8026[0-9a-fA-F]{64}"
)
# Each alternative above holds one of these bytes literally (the hex DER prefix in its
# digits-only middle, which no case change alters): data holding none of them cannot match.
# A site is megabytes of HTML and JSON; `in` searches them far faster than the regex, which
# tries every alternative at every position.
_MARKERS = (b"-----BEGIN ", base64.b64encode(_PKCS8_PREFIX)[:20], _PKCS8_PREFIX.hex()[4:19]
            .encode(), b"z3u2", b"gC", b"f8026")
# A bare 32-byte seed looks like any hash, so it counts only when it is the private half of a
# key the catalog publishes: 64 hex digits, or 43 characters of base64 / base64url.
# It is a whole run of the characters below (nothing of them either side), so the runs are
# found with a translated copy of the data and `bytes.find`, not a regex tried at every
# position.
_SEED = re.compile(rb"[0-9a-fA-F]{64}|[A-Za-z0-9_+/-]{43}=?")
_SEED_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/=-")
_RUNS = bytes(ord("a") if byte in _SEED_CHARS else ord(" ") for byte in range(256))
_SHORTEST_SEED = 43
PUBLIC_KEY_SCHEMA_LINE = "# yaml-language-server: $schema={}\n"


class KeyProblem(CredcatError):
    """A key that cannot be used, with a message saying what to do."""


def encode_pem(key: SigningKey) -> str:
    der = _PKCS8_PREFIX + bytes(key)
    body = base64.b64encode(der).decode("ascii")
    return f"{_PEM_BEGIN}\n{body}\n{_PEM_END}\n"


def decode_private_key(text: str) -> SigningKey:
    """A signing key from PKCS#8 PEM or a Multikey secret (`z3u2...`)."""
    text = text.strip()
    if text.startswith("z"):
        try:
            return SigningKey(multikey.decode_secret_key(text))
        except ValueError as exc:
            raise KeyProblem(f"not a usable Multikey secret key: {exc}") from exc
    if _PEM_BEGIN not in text or _PEM_END not in text:
        raise KeyProblem(f"not a private key: expected a PEM block '{_PEM_BEGIN}' (as "
                         "written by `credcat keygen`) or a Multikey secret 'z3u2...'")
    body = text.split(_PEM_BEGIN, 1)[1].split(_PEM_END, 1)[0]
    try:
        der = base64.b64decode("".join(body.split()), validate=True)
    except ValueError as exc:
        raise KeyProblem("the PEM block is not valid base64") from exc
    if len(der) != len(_PKCS8_PREFIX) + 32 or not der.startswith(_PKCS8_PREFIX):
        raise KeyProblem("the PEM key is not an Ed25519 private key (PKCS#8, RFC 8410)")
    return SigningKey(der[len(_PKCS8_PREFIX):])


def public_multibase(key: SigningKey) -> str:
    return multikey.encode_public_key(bytes(key.verify_key))


def load_signing_key(path: Path | None) -> SigningKey:
    """From `--key PATH`, else from the CREDCAT_SIGNING_KEY environment variable."""
    if path is not None:
        try:
            data = read_regular(path, inside=None, limit=KEY_FILE_LIMIT)
            mode = path.stat().st_mode
            text = data.decode("ascii")
        except UnsafeFile as exc:  # missing, or not a regular file: the command line is wrong
            raise KeyProblem(f"cannot use the key file {path}: {exc}",
                             exit_code=ExitCode.USAGE) from exc
        except OSError as exc:
            raise KeyProblem(f"cannot read the key file {path}: {exc}",
                             exit_code=ExitCode.USAGE) from exc
        except UnicodeDecodeError:
            raise KeyProblem(f"{path} is not a key file: a PEM key is ASCII text starting "
                             f"with '{_PEM_BEGIN}'") from None
        if mode & 0o077:
            raise KeyProblem(f"the key file {path} can be read by other users (mode "
                             f"{stat.S_IMODE(mode):04o}); a private key must be yours alone: "
                             f"run `chmod 600 {path}` and treat the key as exposed if others "
                             "could log in to this machine")
        return decode_private_key(text)
    value = os.environ.get(ENV_VAR)
    if value:
        return decode_private_key(value)
    raise KeyProblem(f"no signing key: pass --key PATH or set {ENV_VAR} to the key's PEM text",
                     exit_code=ExitCode.USAGE)


def git_work_tree(path: Path) -> Path | None:
    """The Git work tree containing `path` (which need not exist yet), if any."""
    probe = path.resolve()
    for folder in [probe, *probe.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def default_key_dir() -> Path:
    """Per-user folder for private keys (XDG data directory), outside any repository."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "credcat" / "keys"


def write_private_key(path: Path, key: SigningKey, *, project_root: Path) -> None:
    """Write with mode 0600 from the first byte; refuse places Git (or the site) could pick up."""
    tree = git_work_tree(path.parent if not path.exists() else path)
    resolved = path.resolve()
    if tree is not None:
        raise KeyProblem(f"refusing to write a private key inside the Git work tree {tree}: it "
                        "could be committed and published. Choose a path outside it "
                        f"(the default is {default_key_dir()}).", exit_code=ExitCode.USAGE)
    if resolved.is_relative_to(project_root.resolve()):
        raise KeyProblem(f"refusing to write a private key inside the catalog folder "
                        f"{project_root}: it could be published with the site",
                         exit_code=ExitCode.USAGE)
    if path.exists():
        raise KeyProblem(f"{path} already exists; not overwriting a key")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, encode_pem(key).encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)


def next_key_id(keys_dir: Path, issuer_id: str) -> str:
    used = {p.stem for p in (keys_dir / issuer_id).glob("*.yaml")}
    n = 1
    while f"key-{n}" in used:
        n += 1
    return f"key-{n}"


def public_key_yaml(multibase: str, created: str, schema_ref: str, state: str = "active",
                    **dates: str) -> str:
    """The public key file; `dates` are the lifecycle fields (retired, revoked, reason)."""
    text = (PUBLIC_KEY_SCHEMA_LINE.format(schema_ref)
            + f"publicKeyMultibase: {multibase}\ncreated: '{created}'\nstate: {state}\n")
    for name, value in dates.items():
        text += f"{name}: {json.dumps(value)}\n"
    return text


def change_state(path: Path, state: str, schema_ref: str, **dates: str) -> None:
    """Rewrite a public key file with a new lifecycle state; the key itself never changes."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("state") == "revoked":
        raise KeyProblem(f"{path.name} is already revoked; a revoked key stays revoked")
    if state == "retired" and data.get("state") == "retired":
        raise KeyProblem(f"{path.name} is already retired")
    write_atomic(path, public_key_yaml(data["publicKeyMultibase"], str(data["created"]),
                                       schema_ref, state, **dates))


@dataclass(frozen=True)
class GeneratedKey:
    key_id: str
    private_path: Path
    public_path: Path
    public_key_multibase: str


def generate(catalog: Catalog, keys_dir: Path, project_root: Path, issuer_id: str,
             key_id: str | None, out: Path | None, schema_ref: str) -> GeneratedKey:
    if issuer_id not in catalog.issuers:
        known = ", ".join(sorted(catalog.issuers))
        raise KeyProblem(f"unknown issuer '{issuer_id}'; issuers in this catalog: {known}",
                         exit_code=ExitCode.USAGE)
    key_id = key_id or next_key_id(keys_dir, issuer_id)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", key_id):
        raise KeyProblem(f"key id '{key_id}' must be lowercase letters, digits and hyphens",
                         exit_code=ExitCode.USAGE)
    public_path = keys_dir / issuer_id / f"{key_id}.yaml"
    if public_path.exists():
        raise KeyProblem(f"{public_path} already exists; choose another --key-id")
    private_path = out or default_key_dir() / f"{issuer_id}-{key_id}.pem"
    key = SigningKey.generate()
    write_private_key(private_path, key, project_root=project_root)
    multibase = public_multibase(key)
    created = xsd(now())
    write_atomic(public_path, public_key_yaml(multibase, created, schema_ref))
    return GeneratedKey(key_id, private_path, public_path, multibase)


def find_published(catalog: Catalog, key: SigningKey, issuer_id: str) -> PublicKey | None:
    """The published record of `key` for that issuer, if the catalog publishes it."""
    multibase = public_multibase(key)
    return next((k for k in catalog.keys
                 if k.issuer == issuer_id and k.public_key_multibase == multibase), None)


def active_signer(catalog: Catalog, site: Site, issuer_id: str,
                  key_path: Path | None) -> tuple[SigningKey, str]:
    """The signing key and its verification method, if it is the issuer's active key.

    Status lists are signed only with the active key: a verifier trusts a list signed by a
    retired key only for what it signed before retirement, so a list re-signed with one would
    not be trusted.
    """
    key = load_signing_key(key_path)
    published = find_published(catalog, key, issuer_id)
    if published is None:
        raise KeyProblem(f"this key is not published for {issuer_id} in public_keys/")
    if published.state != "active":
        raise KeyProblem(f"key '{published.id}' is {published.state}; sign with the "
                         "issuer's active key")
    return key, f"{site.issuer_did(issuer_id)}#{published.id}"


def rotate(catalog: Catalog, keys_dir: Path, project_root: Path, issuer_id: str,
           key_id: str | None, out: Path | None, schema_ref: str) -> tuple[GeneratedKey, list[str],
                                                                         str]:
    """Make a new active key and retire the old ones from now.

    Returns the new key, the ids retired and the moment they were retired: what the retired
    keys signed before that moment still verifies.
    """
    made = generate(catalog, keys_dir, project_root, issuer_id, key_id, out, schema_ref)
    when = xsd(now())
    retired = []
    for old in catalog.issuers[issuer_id].keys:
        if old.state == "active":
            change_state(keys_dir / issuer_id / f"{old.id}.yaml", "retired", schema_ref,
                         retired=when)
            retired.append(old.id)
    return made, retired, when


def revoke(catalog: Catalog, keys_dir: Path, issuer_id: str, key_id: str, since: str | None,
           reason: str, schema_ref: str) -> str:
    """Mark a key revoked from `since` (default now) and return that moment as written.

    `since` may not precede the key's creation: nothing was signed with it before, so such a
    date can only be a typo. The creation date itself distrusts everything the key signed.
    """
    path = keys_dir / issuer_id / f"{key_id}.yaml"
    if issuer_id not in catalog.issuers or not path.is_file():
        raise KeyProblem(f"{issuer_id} has no key '{key_id}'", exit_code=ExitCode.USAGE)
    since = since or xsd(now())
    created = next(k.created for k in catalog.issuers[issuer_id].keys if k.id == key_id)
    try:
        too_early = parse_moment(since) < created
    except ValueError as exc:
        raise KeyProblem(f"--since: {exc}", exit_code=ExitCode.USAGE) from None
    if too_early:
        raise KeyProblem(f"--since {since} is before the key was created ({xsd(created)}); "
                         "give the day the compromise may have begun, or the creation date to "
                         "distrust everything it signed", exit_code=ExitCode.USAGE)
    change_state(path, "revoked", schema_ref, revoked=since, revocation_reason=reason)
    return since


# -- leak detection ---------------------------------------------------------------------------

def _tracked_files(root: Path) -> list[Path] | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True,
                             check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [root / name for name in out.decode("utf-8", "replace").split("\0") if name]


@dataclass(frozen=True)
class Leak:
    """Private key material found at a file and line."""

    path: Path
    line: int


def _seed(candidate: bytes) -> bytes | None:
    text = candidate.decode("ascii")
    try:
        raw = (bytes.fromhex(text) if len(text) == 64 else
               base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_").rstrip("=")
                                        + "="))
    except ValueError:
        return None
    return raw if len(raw) == 32 else None


def find_private_keys(data: bytes, published: frozenset[str] = frozenset()) -> int | None:
    """The 1-based line of the first private key in `data`, or None.

    `published` holds the catalog's public keys (Multikey) for recognising bare seeds.
    """
    match = (PRIVATE_KEY_PATTERN.search(data) if any(m in data for m in _MARKERS)
             else None)
    start = match.start() if match is not None else None
    if start is None and published:
        start = next((at for at, run in _seed_runs(data) if (seed := _seed(run))
                      and _public_of_seed(seed) in published), None)
    return None if start is None else data.count(b"\n", 0, start) + 1


def _seed_runs(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Where each whole run of seed characters that is written like a seed starts, and it."""
    runs = data.translate(_RUNS)
    at = 0
    while (at := runs.find(b"a" * _SHORTEST_SEED, at)) != -1:
        end = runs.find(b" ", at + _SHORTEST_SEED)
        end = len(data) if end == -1 else end
        if _SEED.fullmatch(data, at, end):
            yield at, data[at:end]
        at = end


@functools.lru_cache(maxsize=4096)
def _public_of_seed(seed: bytes) -> str:
    """Cached: the same hash-like tokens (asset digests, ids) recur on every page of a site,
    and each would otherwise cost a scalar multiplication."""
    return public_multibase(SigningKey(seed))


def scan_for_private_keys(paths: list[Path],
                          published: frozenset[str] = frozenset()) -> list[Leak]:
    found = []
    for path in paths:
        try:
            if not path.is_file() or path.is_symlink():
                continue
            line = find_private_keys(path.read_bytes(), published)
        except OSError:
            continue
        if line is not None:
            found.append(Leak(path, line))
    return found


def _files_under(folders: list[Path]) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in sorted(folder.rglob("*"))]


def private_key_leaks(root: Path, site_dir: Path | None, exclude: tuple[str, ...] = (),
                      *, folders: list[Path] | None = None, tracked: bool = True,
                      published: frozenset[str] = frozenset()) -> list[Leak]:
    """Files that hold private key material: the one scanner `check` and `build` share.

    It reads the files Git tracks (when `tracked`), every file in `folders` (the catalog,
    public_keys/, status/ and docs/, tracked or not, since the build publishes from them) and
    the built site in `site_dir`. `exclude` lists repository paths (prefixes) that hold
    published test keys, such as the W3C test vectors; the built site is always scanned in
    full. Recognised: PEM blocks (also with escaped line breaks), headerless PKCS#8 bodies
    (base64 or hex), Multikey secrets in any multibase, and bare seeds of published keys.
    """
    candidates = _tracked_files(root) or [] if tracked else []
    candidates += _files_under(folders or [])
    paths = list(dict.fromkeys(
        p for p in candidates
        if not (p.is_relative_to(root) and p.relative_to(root).as_posix().startswith(exclude))))
    if site_dir is not None and site_dir.is_dir():
        paths += [p for p in site_dir.rglob("*") if p.is_file()]
    return scan_for_private_keys(paths, published)
