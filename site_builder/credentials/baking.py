"""Baked badges: a signed credential carried inside its badge image (OB 3.0 §Baked Badge).

PNG: one uncompressed `iTXt` chunk with keyword `openbadgecredential` whose text is the
credential JSON. SVG: an `xmlns:openbadges` attribute on the root and an
`<openbadges:credential>` element right after it, holding the JSON in CDATA. Readers take the
first such chunk or element only, as the specification says.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from typing import Any

from site_builder.errors import CredcatError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadgecredential"
SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)
_SVG_CREDENTIAL = re.compile(
    r"<openbadges:credential\b[^>]*>\s*<!\[CDATA\[(.*?)\]\]>\s*</openbadges:credential>",
    re.DOTALL)


class BakingError(CredcatError, ValueError):
    """An image that cannot carry, or does not carry, a credential."""


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG image")
    chunks, offset = [], len(PNG_SIGNATURE)
    while offset + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if len(body) != length:
            raise BakingError("the PNG image is truncated")
        chunks.append((kind, body))
        offset += 12 + length
        if kind == b"IEND":
            break
    return chunks


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def _is_credential_chunk(kind: bytes, body: bytes) -> bool:
    return kind == b"iTXt" and body.split(b"\0", 1)[0] == KEYWORD


def bake_png(image: bytes, credential_json: str) -> bytes:
    """The image with exactly one credential chunk (an existing one is replaced)."""
    # keyword, NUL, compression flag 0, method 0, empty language tag and translated keyword.
    text = KEYWORD + b"\0\0\0\0\0" + credential_json.encode("utf-8")
    out = bytearray(PNG_SIGNATURE)
    for kind, body in _chunks(image):
        if _is_credential_chunk(kind, body):
            continue
        if kind == b"IEND":
            out += _chunk(b"iTXt", text)
        out += _chunk(kind, body)
    return bytes(out)


def unbake_png(image: bytes) -> str:
    found = unbake_png_all(image)
    if not found:
        raise BakingError("this PNG image carries no credential")
    return found[0]


def unbake_png_all(image: bytes) -> list[str]:
    """The text of every credential chunk, so a verifier can refuse an image with two."""
    texts = []
    for kind, body in _chunks(image):
        if _is_credential_chunk(kind, body):
            rest = body[len(KEYWORD) + 1:]
            if len(rest) < 2 or rest[0] != 0:
                raise BakingError("the badge's credential chunk is compressed, which OB 3.0 "
                                  "forbids")
            language_end = rest.index(b"\0", 2)
            translated_end = rest.index(b"\0", language_end + 1)
            texts.append(rest[translated_end + 1:].decode("utf-8"))
    return texts


def bake_svg(image: str, credential_json: str) -> str:
    """The SVG with the credential element right after the root tag (an old one replaced)."""
    image = _SVG_CREDENTIAL.sub("", image, count=1)
    root = _SVG_ROOT.search(image)
    if root is None:
        raise BakingError("not an SVG image: no <svg> element")
    tag = root.group(0)
    if "xmlns:openbadges" not in tag:
        tag = tag[:-1].rstrip("/") + f' xmlns:openbadges="{SVG_NAMESPACE}">'
    # '>' never appears in JSON outside strings, so escaping it keeps "]]>" out of the CDATA.
    safe = credential_json.replace(">", "\\u003e")
    element = f"<openbadges:credential><![CDATA[{safe}]]></openbadges:credential>"
    return image[:root.start()] + tag + element + image[root.end():]


def unbake_svg(image: str) -> str:
    found = _SVG_CREDENTIAL.search(image)
    if found is None:
        raise BakingError("this SVG image carries no credential")
    return found.group(1)


def extract(data: bytes) -> Any:
    """The credential (parsed JSON) from a .json, baked .png or baked .svg file's bytes."""
    if data.startswith(PNG_SIGNATURE):
        return json.loads(unbake_png(data))
    text = data.decode("utf-8-sig")
    if text.lstrip()[:1] in ("{", "["):
        return json.loads(text)
    if "<svg" in text:
        return json.loads(unbake_svg(text))
    return json.loads(text)
