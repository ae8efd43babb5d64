"""Reading files a pull request may have planted: only regular files, inside the project, small.

A catalog is built in CI from contributions by strangers. A symlink named `images/p.svg`
pointing to `/etc/passwd` or `/proc/self/environ` would otherwise be read and published, a FIFO
would hang the build, and `/dev/zero` would fill memory. So every file credcat reads on a
contributor's behalf goes through `read_regular`: its real path (symlinks resolved) must stay
inside the folder it belongs to, it must be a regular file (checked with `fstat` on the open
descriptor, opened non-blocking so a FIFO cannot stall the open), and it must fit a size limit.

SVG badges are the other way in: an SVG opened directly runs its scripts at the site's origin,
and no page CSP covers it. `svg_problems` refuses, at `credcat check`, any SVG with a script,
an event-handler attribute, `foreignObject`, an external reference, an animation that rewrites
a link or handler (`<set attributeName="href" to="javascript:...">`) or a DTD, parsing it with
the standard library's XML parser hardened by defusedxml (no entity expansion, no external
fetches). Refusing is needed even though pages embed badges with `<img>` (where browsers never
run scripts): the credential page also links to the badge file, and anyone can open its URL.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

YAML_LIMIT = 1_000_000  # bytes; the largest real catalog entry is about 20 KB
IMAGE_LIMIT = 5_000_000
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_URL_REFERENCE = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


class UnsafeFile(Exception):
    """A file credcat refuses to read, with what to do about it."""


def outside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every symlink resolved, lies outside `folder`."""
    # Strings, not Paths: a build asks this twice per catalog file, and building Path objects
    # for both answers took as long as resolving the links.
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return not (real == base or real.startswith(base.rstrip(os.sep) + os.sep))


def read_regular(path: Path, *, inside: Path | None, limit: int) -> bytes:
    """The bytes of `path` if it is a regular file within `inside` and at most `limit` bytes."""
    if inside is not None and outside(path, inside):
        raise UnsafeFile(f"it resolves to {path.resolve()}, outside {inside}: a symlink or "
                         "'..' must not lead out of the project; copy the file in instead")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise UnsafeFile(f"cannot open it: {exc.strerror}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile("it is not a regular file (a FIFO, device, socket or folder); "
                             "replace it with an ordinary file")
        if info.st_size > limit:
            raise UnsafeFile(f"it is {info.st_size:,} bytes, more than the {limit:,} allowed")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnsafeFile(f"it holds more than the {limit:,} bytes allowed")
    return data


def _external(reference: str) -> bool:
    """A reference to anything but a fragment of the same document."""
    return not reference.strip().startswith("#") and reference.strip() != ""


def svg_problems(data: bytes) -> list[str]:
    """Why an SVG could run script or load something when opened; empty if it cannot."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return ["it declares a DTD or entities; remove the <!DOCTYPE ...> part"]
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, SyntaxError, ValueError) as exc:
        return [f"it is not well-formed XML ({exc})"]
    problems: set[str] = set()
    for element in root.iter():
        tag = str(element.tag).rsplit("}", 1)[-1].lower()
        if tag == "script":
            problems.add("it contains a <script> element")
        if tag == "foreignobject":
            problems.add("it contains a <foreignObject> element")
        animated = element.get("attributeName", "").lower()
        if tag in ("set", "animate") and (animated.endswith("href") or animated.startswith("on")):
            problems.add(f"an <{tag}> changes '{animated}', which can turn into a script link")
        style = element.text or "" if tag == "style" else ""
        if "@import" in style or any(_external(m) for m in _URL_REFERENCE.findall(style)):
            problems.add("its <style> loads something from outside the file")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                problems.add(f"it has an event-handler attribute '{local}'")
            elif local == "href" and _external(value):
                problems.add(f"it refers to '{value[:60]}' outside the file")
            elif any(_external(m) for m in _URL_REFERENCE.findall(value)):
                problems.add(f"its '{local}' attribute loads something from outside the file")
    return sorted(problems)
