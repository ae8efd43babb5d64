"""Reading credentials from untrusted bytes, as strictly as the browser verifier reads them.

A signature covers one canonical form of the data (RFC 8785 JSON for eddsa-jcs-2022, RDF for
eddsa-rdfc-2022). RFC 8785 §3.1 requires its input to be I-JSON (RFC 7493): no duplicate
member names, no unpaired surrogates, no numbers beyond IEEE 754 double precision. Text that
breaks those rules can be read differently by two programs (which of two "name" members
counts?), so it is refused here before any check runs, with the same reason codes the
browser's `readJson` (templates/theme/js/verify/json.js) gives:

- https://www.rfc-editor.org/rfc/rfc8785#section-3.1 (JCS input is I-JSON)
- https://www.rfc-editor.org/rfc/rfc7493#section-2 (I-JSON)

One leading byte-order mark is ignored (RFC 8259 §8.1 allows parsers to), a JSON array of
objects is several credentials, and a baked PNG badge must carry exactly one credential (OB
3.0 §5.3.1 "Baking"): with two, which one the image vouches for cannot be told.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from site_builder.credentials import baking

# Integers past 2^53 - 1 lose precision as IEEE 754 doubles (RFC 7493 §2.2): JavaScript and
# Python would then sign and check different numbers.
MAX_SAFE_INTEGER = 2 ** 53 - 1
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


@dataclass(frozen=True)
class Unreadable:
    """Input from which no credential can be read: a reason code of the verifier spec."""

    reason: str
    params: dict[str, Any] = field(default_factory=dict)


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


def _not_json(name: str) -> Any:
    """NaN and Infinity: Python's parser takes them, JSON (and the browser) does not."""
    raise ValueError(f"{name} is not JSON")


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text, counted without parsing it.

    Python's parser recurses and would raise RecursionError on deep input, so the depth is
    measured first: strings are removed (they may contain brackets), then brackets counted.
    """
    depth = deepest = 0
    for char in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _unsafe_integer(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool) and (
                abs(item) > MAX_SAFE_INTEGER):
            return True
    return False


def read_json(text: str, max_depth: int) -> Any:
    """The JSON value of `text`, or an `Unreadable` saying why it is refused."""
    text = text.removeprefix("\ufeff")
    if nesting_depth(text) > max_depth:
        return Unreadable("too-deep", {"limit": max_depth})
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates,
                           parse_constant=_not_json)
    except _Duplicate as exc:
        return Unreadable("duplicate-key", {"key": exc.key})
    except (ValueError, RecursionError):
        return Unreadable("not-a-credential")
    if _unsafe_integer(value):
        return Unreadable("number-out-of-range")
    return value


def read_credentials(data: bytes, max_depth: int) -> list[Any]:
    """Each credential in a file's bytes (.json, baked .png or .svg): a value or `Unreadable`.

    A JSON array whose items are all objects gives one entry per item, as the browser page
    does; any other value is one entry (which the format check then judges).
    """
    if data.startswith(baking.PNG_SIGNATURE):
        try:
            texts = baking.unbake_png_all(data)
        except (baking.BakingError, ValueError):
            return [Unreadable("not-a-credential")]
        if len(texts) != 1:
            return [Unreadable("several-credentials", {"count": len(texts)})
                    if texts else Unreadable("not-a-credential")]
        text = texts[0]
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return [Unreadable("not-a-credential")]
        if text.lstrip("\ufeff \t\r\n")[:1] not in ("{", "[") and "<svg" in text:
            try:
                text = baking.unbake_svg(text)
            except baking.BakingError:
                return [Unreadable("not-a-credential")]
    value = read_json(text, max_depth)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return list(value)
    return [value]
