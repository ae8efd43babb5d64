"""Where things live on the published site, and the did:web identifiers derived from it.

Credential ids, DID documents and the verifier all have to agree on these paths, so they are
computed in one place from `site_url` (did:web rules: w3c-ccg/did-method-web).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

CREDENTIALS = "credentials"
PATHWAYS = "pathways"
ISSUERS = "issuers"
SKILLS = "skills"
OCCUPATIONS = "occupations"
VERIFY = "verify"
SEARCH = "search"
COMPARE = "compare"
# How each answer of a credential page's "quality at a glance" is decided, once for them all.
QUALITY = "quality"
SEARCH_INDEX = "search-index"
# The sections published once per declared language (`L/credentials/...`): every generated
# page, and the search index, whose words and results are in the page's language. Everything
# else (hand-written pages, assets, JSON documents without interface text) lives at the root.
LANGUAGE_SECTIONS = frozenset({CREDENTIALS, PATHWAYS, ISSUERS, SKILLS, OCCUPATIONS, VERIFY,
                               SEARCH, COMPARE, QUALITY, SEARCH_INDEX})


def page_path(section: str, item_id: str | None = None) -> str:
    """Site-relative directory URL of a generated page, e.g. `credentials/data-literacy/`."""
    return f"{section}/{item_id}/" if item_id else f"{section}/"


def source_path(section: str, item_id: str | None = None) -> str:
    """The generated Markdown file behind `page_path` (directory URLs)."""
    return f"{section}/{item_id}.md" if item_id else f"{section}/index.md"


def language_root(language: str, default: str) -> str:
    """The site-relative folder of a language's pages: the root for the default language,
    `fr/` for French."""
    return "" if language == default else f"{language}/"


def in_language(path: str, language: str, default: str) -> str:
    """A site-relative address in `language`'s tree when it has one there (a generated page,
    a section, the home page, the search index), unchanged otherwise. Query and fragment are
    kept: `credentials/#group-2` -> `fr/credentials/#group-2`."""
    root = language_root(language, default)
    if not root or "://" in path or path.startswith(("/", "#", "?", "mailto:")):
        return path
    bare = path.split("#", 1)[0].split("?", 1)[0]
    if bare in ("", ".", "./") or (bare.endswith("/")
                                    and bare.split("/", 1)[0] in LANGUAGE_SECTIONS):
        return root + (path[2:] if path.startswith("./") else "" if path == "." else path)
    return path


@dataclass(frozen=True)
class Site:
    """The published site's absolute address; `url` always ends with a slash."""

    url: str

    @classmethod
    def from_config(cls, site_url: str | None) -> Site:
        url = (site_url or "http://127.0.0.1:8000/").strip()
        return cls(url if url.endswith("/") else url + "/")

    def absolute(self, path: str) -> str:
        return self.url + path.lstrip("/")

    @property
    def did_prefix(self) -> str:
        """did:web for the site root; issuer DIDs add `:issuers:<id>`."""
        parts = urlsplit(self.url)
        host = quote(parts.netloc, safe="")  # a port's ':' becomes %3A
        segments = [quote(s, safe="") for s in parts.path.split("/") if s]
        return ":".join(["did:web", host, *segments])

    def issuer_did(self, issuer_id: str) -> str:
        return f"{self.did_prefix}:{ISSUERS}:{issuer_id}"

    def issuer_of_did(self, did: str) -> str | None:
        """The issuer id when `did` is one of this site's issuer DIDs, else None."""
        prefix = f"{self.did_prefix}:{ISSUERS}:"
        rest = did.split("#", 1)[0]
        if not rest.startswith(prefix):
            return None
        issuer_id = rest[len(prefix):]
        return issuer_id if issuer_id and ":" not in issuer_id else None


def did_web_to_url(did: str) -> str:
    """https URL of the DID document named by a did:web (fragment ignored)."""
    did = did.split("#", 1)[0]
    if not did.startswith("did:web:"):
        raise ValueError(f"not a did:web identifier: {did}")
    host, *path = did[len("did:web:"):].split(":")
    if not host:
        raise ValueError(f"did:web without a host: {did}")
    base = "https://" + unquote(host)
    return f"{base}/{'/'.join(unquote(p) for p in path)}/did.json" if path else (
        f"{base}/.well-known/did.json"
    )
