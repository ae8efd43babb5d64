"""Pinned JSON-LD context documents and a document loader that never touches the network.

An eddsa-rdfc-2022 signature covers the RDF statements a credential expands to, and what a
credential expands to depends on the context documents its `@context` names. Whoever can change
a context a verifier fetches can change what a valid signature appears to say (context
substitution, w3c/vc-data-integrity#272). So the catalog ships exact copies of the contexts it
accepts, serves only those, and refuses every other URL: a credential that needs anything else
cannot be verified here, which is the safe failure. The same files are copied into the built
site so the in-browser verifier canonicalizes against the very same bytes.

Provenance and SHA-256 of every file: `contexts/README.md`.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from site_builder.errors import CredcatError

CONTEXTS_DIR = Path(__file__).with_name("contexts")

# URL -> bundled file. Matching is exact: no scheme, case or trailing-slash leniency, because a
# "near" URL is a different document as far as the issuer's signature is concerned.
_FILES: dict[str, str] = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.json",
    "https://www.w3.org/ns/did/v1": "did-v1.json",
    "https://w3id.org/security/multikey/v1": "multikey-v1.json",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.json",
    "https://w3id.org/citizenship/v4rc1": "citizenship-v4rc1.json",
}

CONTEXT_URLS: tuple[str, ...] = tuple(_FILES)


class UnknownContextError(CredcatError, LookupError):
    """A document named a JSON-LD context this catalog does not ship; nothing was fetched."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(
            f"The JSON-LD context {url!r} is not one of the contexts this catalog ships, so it "
            "was not loaded (contexts are never fetched from the network)."
        )


def context_files() -> dict[str, Path]:
    """Map each bundled context URL to its file, so the site build can publish the same bytes."""
    return {url: CONTEXTS_DIR / name for url, name in _FILES.items()}


@functools.cache
def _text(url: str) -> str:
    name = _FILES.get(url)
    if name is None:
        raise UnknownContextError(url)
    return (CONTEXTS_DIR / name).read_text(encoding="utf-8")


def load_context(url: str) -> dict[str, Any]:
    """Return a fresh parse of the bundled context, so no caller can alter another's copy."""
    return json.loads(_text(url))


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld `documentLoader` that answers only from the bundled files.

    `options` is accepted because pyld passes it; nothing in it can widen what is served.
    """
    return {"contextUrl": None, "documentUrl": url, "document": load_context(url)}
