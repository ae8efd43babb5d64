"""`credcat serve` keeps every page's Content Security Policy, allowing only live reload.

MkDocs' development server (mkdocs 1.6, pinned below 2 in pyproject.toml) appends an inline
`<script>` to every HTML page it serves, which `script-src 'self'` blocks. Dropping the CSP
while serving would let a `javascript:` link or an injected handler in a pull request run on
a reviewer's machine, so instead each served page's CSP gets the SHA-256 hash of exactly the
script injected into it (CSP Level 3 hash sources,
https://www.w3.org/TR/CSP3/#grammardef-hash-source). The script holds a per-request id, so
the hash is computed per response, after MkDocs has injected it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any

from mkdocs.livereload import LiveReloadServer

# The CSP meta element's script-src, its quotes written as is or as HTML character references.
SCRIPT_SRC = re.compile(rb"script-src (?P<q>'|&#39;|&#x27;)self(?P=q)")


def allow_script(page: bytes, script: bytes) -> bytes:
    """`page` with its CSP's script-src allowing `script` (an inline script's exact text)."""
    digest = base64.b64encode(hashlib.sha256(script).digest())
    return SCRIPT_SRC.sub(lambda m: m.group() + b" " + m["q"] + b"sha256-" + digest + m["q"],
                          page, count=1)


def _with_hash(inject: Callable[[Any, bytes, int], bytes]) -> Callable[[Any, bytes, int], bytes]:
    def injected(server: Any, content: bytes, epoch: int) -> bytes:
        page = inject(server, content, epoch)
        # MkDocs inserts its script as the last <script> before </body>.
        start = page.rfind(b"<script>") + len(b"<script>")
        return allow_script(page, page[start:page.index(b"</script>", start)])

    injected.credcat_csp = True  # type: ignore[attr-defined]
    return injected


def install() -> None:
    """Make the live-reload server add its script's hash to each page's CSP (idempotent)."""
    current = LiveReloadServer._inject_js_into_html
    if not getattr(current, "credcat_csp", False):
        LiveReloadServer._inject_js_into_html = _with_hash(current)  # type: ignore[method-assign]
