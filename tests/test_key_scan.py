"""The private-key scanner finds every encoding it promises, at its line, in pages of noise.

The scanner reads the whole built site, so it skips data with cheap byte searches before its
regular expressions; these cases hold it to finding the same keys as before it did.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from site_builder.credentials.keys import find_private_keys
from tests.conftest import run_credcat

SEED = bytes(range(1, 33))
# RFC 8410, section 10.3: an Ed25519 PrivateKeyInfo is this prefix and the 32-byte seed.
DER = bytes.fromhex("302e020100300506032b657004220420") + SEED
PEM = ("-----BEGIN PRIVATE KEY-----\n" + base64.b64encode(DER).decode()
       + "\n-----END PRIVATE KEY-----\n")
# The Multikey of the public half (multicodec ed25519-pub 0xed01, base58btc), written out by
# hand from the W3C Controlled Identifiers spec rather than with credcat's encoder.
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58(data: bytes) -> str:
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


PUBLIC = "z" + _base58(b"\xed\x01" + bytes(SigningKey(SEED).verify_key))
SECRET = b"\x80\x26" + SEED  # multicodec ed25519-priv
# A page's worth of HTML with hashes, ids and long paths, none of them key material.
NOISE = ("<p>Practitioners plan, run and evaluate the work &mdash; see "
         "<a href=\"../../credentials/data-literacy-for-public-sector-analysts/\">it</a>.</p>\n"
         "<script src=\"../js/app.js?h=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c"
         "15b0f00a08\"></script><img alt=\"gC\" src=\"data:image/png;base64,iVBORw0KGgoAAAAN"
         "SUhEUgAAAAEAAAABCAYA"
         "AAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\">\n") * 200

FOUND = {
    "pem": PEM,
    "pem-other-label": PEM.replace("PRIVATE KEY", "ED25519 PRIVATE KEY"),
    "pem-json-escaped": json.dumps(PEM)[1:-1],
    "pem-body-only": PEM.splitlines()[1],
    "der-hex": DER.hex(),
    "der-hex-upper": DER.hex().upper(),
    "multikey-base58btc": "z" + _base58(SECRET),
    "multikey-base64url": "u" + base64.urlsafe_b64encode(SECRET).decode().rstrip("="),
    "multikey-base64": "m" + base64.b64encode(SECRET).decode().rstrip("="),
    "multikey-hex": "f" + SECRET.hex(),
    "seed-hex": SEED.hex(),
    "seed-base64url": base64.urlsafe_b64encode(SEED).decode().rstrip("="),
    "seed-base64-padded": base64.b64encode(SEED).decode(),
}


@pytest.mark.parametrize("name", FOUND)
def test_each_encoding_is_found_at_its_line(name: str) -> None:
    lines = NOISE.count("\n")
    data = f"{NOISE}before {FOUND[name]} after\n{NOISE}".encode()
    assert find_private_keys(data, frozenset({PUBLIC})) == lines + 1


def test_noise_alone_is_clean() -> None:
    assert find_private_keys(NOISE.encode(), frozenset({PUBLIC})) is None


@pytest.mark.parametrize("text", [
    "x" + SEED.hex(),  # a longer run of hash characters: some other value, not the seed
    SEED.hex() + "0",
    "/" + base64.urlsafe_b64encode(SEED).decode().rstrip("="),
    "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----",  # a mention, no body
], ids=["hex-prefixed", "hex-suffixed", "base64url-in-a-path", "pem-without-body"])
def test_not_key_material(text: str) -> None:
    assert find_private_keys(f"{NOISE}{text}\n".encode(), frozenset({PUBLIC})) is None


def test_bare_seed_counts_only_for_a_published_key() -> None:
    data = f"{NOISE}{SEED.hex()}\n".encode()
    assert find_private_keys(data) is None
    assert find_private_keys(data, frozenset({"z6MkotherKeyNotThisOne"})) is None


def test_a_key_in_the_rendered_pages_stops_the_build(project: Path) -> None:
    """No source file holds the key: a theme override writes it into every credential page,
    which the build renders on several cores and scans as each page is written."""
    overrides = project / "overrides"
    overrides.mkdir()
    secret = FOUND["multikey-base58btc"]
    (overrides / "credential.html").write_text(
        "<!doctype html>\n<title>{{ page.title }}</title>\n<p>" + secret + "</p>\n",
        encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("theme:\n  name: credcat\n",
                                   "theme:\n  name: credcat\n  custom_dir: overrides\n"),
                      encoding="utf-8")
    credential = sorted((project / "catalog" / "credentials").glob("*.yaml"))[0].stem
    result = run_credcat("build", "-d", "site", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"credentials/{credential}/index.html:3: private key material" in result.stderr
    assert not (project / "site").exists(), "a failed build must publish nothing"
