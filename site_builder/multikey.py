"""Multikey / multibase encodings for Ed25519 keys and signatures.

Keys and signatures travel inside JSON (DID documents, catalog files, proofs), so they are
written as base58btc multibase strings ('z' prefix). Keys also carry a multicodec header that
says what kind of key they are: W3C Controlled Identifiers 1.0 requires a verifier to refuse
anything but the Ed25519 public-key header, which is what stops a secret key (or a key of
another algorithm) from being mistaken for a public key. Every decoder here therefore checks the
header and the exact length instead of trusting the input.
"""

from __future__ import annotations

import re

import base58

BASE58BTC_PREFIX = "z"
ED25519_PUBLIC_KEY_HEADER = b"\xed\x01"
ED25519_SECRET_KEY_HEADER = b"\x80\x26"
ED25519_KEY_LENGTH = 32
ED25519_SIGNATURE_LENGTH = 64


def _to_multibase(data: bytes) -> str:
    return BASE58BTC_PREFIX + base58.b58encode(data).decode("ascii")


BASE58_ALPHABET = re.compile(r"[1-9A-HJ-NP-Za-km-z]+")
MAX_ENCODED_LENGTH = 128


def _from_multibase(value: object, what: str) -> bytes:
    """Decode a base58btc multibase string, naming `what` in any error a person will read."""
    if not isinstance(value, str):
        raise ValueError(f"The {what} must be a text value, not {type(value).__name__}.")
    if not value.startswith(BASE58BTC_PREFIX):
        raise ValueError(
            f"The {what} is not in the expected format: it must start with 'z' "
            "(base58btc multibase encoding)."
        )
    body = value[len(BASE58BTC_PREFIX) :]
    # Nothing we decode is longer than a 66-byte key header or a 64-byte signature; the cap
    # also keeps base58's quadratic decoding from stalling on a hostile megabyte.
    if len(body) > MAX_ENCODED_LENGTH or not BASE58_ALPHABET.fullmatch(body):
        raise ValueError(
            f"The {what} contains characters that are not allowed in base58btc encoding, "
            "or is far too long."
        )
    try:
        return base58.b58decode(body)
    except ValueError:
        raise ValueError(
            f"The {what} contains characters that are not allowed in base58btc encoding."
        ) from None


def _require_length(data: bytes, expected: int, what: str) -> None:
    if len(data) != expected:
        raise ValueError(f"The {what} must be {expected} bytes long, but it is {len(data)} bytes.")


def _decode_key(value: object, header: bytes, kind: str) -> bytes:
    what = f"{kind} key value"
    data = _from_multibase(value, what)
    if data[: len(header)] != header:
        raise ValueError(
            f"The {what} is not an Ed25519 {kind} key: its type header is "
            f"{data[:2].hex() or 'missing'}, expected {header.hex()}."
        )
    key = data[len(header) :]
    _require_length(key, ED25519_KEY_LENGTH, what)
    return key


def encode_public_key(raw: bytes) -> str:
    """Write a 32-byte Ed25519 public key as a Multikey value (always starts with 'z6Mk')."""
    _require_length(raw, ED25519_KEY_LENGTH, "Ed25519 public key")
    return _to_multibase(ED25519_PUBLIC_KEY_HEADER + raw)


def decode_public_key(value: str) -> bytes:
    """Read a Multikey Ed25519 public key back to its 32 raw bytes, refusing any other key type."""
    return _decode_key(value, ED25519_PUBLIC_KEY_HEADER, "public")


def encode_secret_key(seed: bytes) -> str:
    """Write a 32-byte Ed25519 seed as a Multikey secret key (always starts with 'z3u2')."""
    _require_length(seed, ED25519_KEY_LENGTH, "Ed25519 secret key seed")
    return _to_multibase(ED25519_SECRET_KEY_HEADER + seed)


def decode_secret_key(value: str) -> bytes:
    """Read a Multikey Ed25519 secret key back to its 32-byte seed."""
    return _decode_key(value, ED25519_SECRET_KEY_HEADER, "secret")


def encode_signature(sig: bytes) -> str:
    """Write a 64-byte Ed25519 signature the way Data Integrity `proofValue` expects it."""
    _require_length(sig, ED25519_SIGNATURE_LENGTH, "signature")
    return _to_multibase(sig)


def decode_signature(value: str) -> bytes:
    """Read a `proofValue` back to the 64 signature bytes, refusing any other length."""
    sig = _from_multibase(value, "signature")
    _require_length(sig, ED25519_SIGNATURE_LENGTH, "signature")
    return sig
