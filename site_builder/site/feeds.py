"""`feed.xml`: an Atom feed of the credentials most recently added or changed.

Practitioners and aggregators subscribe to hear about new and revised credentials without
re-reading the catalog. When did a credential change? In order of trust:

1. its `updated:` field: the maintainer's own statement of the last substantive change;
2. otherwise the date of the last Git commit that touched its file (one `git log` for the
   whole catalog, not one per file: a catalog may hold 100,000 files);
3. otherwise the build date (`SOURCE_DATE_EPOCH` when set, so reproducible builds stay so).

Each entry says which of the three its date came from.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from site_builder.catalog.model import Catalog, Credential
from site_builder.contract import credential_url
from site_builder.dates import xsd
from site_builder.urls import Site

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
FEED_SIZE = 50


@dataclass(frozen=True)
class Change:
    moment: datetime
    source: str  # "catalog", "git" or "build"


def git_dates(root: Path, folder: str) -> dict[str, datetime]:
    """Last commit date of every file under `folder` (paths relative to `root`).

    Empty when `root` is not in a Git work tree or Git is missing: the feed then falls back
    to the build date, which is the honest answer for files Git does not know.
    """
    try:
        done = subprocess.run(
            ["git", "log", "--relative", "--format=%x00%cI", "--name-only", "--", folder],
            cwd=root, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    dates: dict[str, datetime] = {}
    current: datetime | None = None
    for line in done.stdout.splitlines():
        if line.startswith("\x00"):
            current = datetime.fromisoformat(line[1:]).astimezone(UTC)
        elif line and current is not None:
            dates.setdefault(line, current)  # newest commit first
    return dates


def change_dates(catalog: Catalog, git: dict[str, datetime],
                 built: datetime) -> dict[str, Change]:
    """When each credential last changed, and where that date came from."""
    changes = {}
    for credential in catalog.credentials.values():
        if credential.updated:
            changes[credential.id] = Change(
                datetime.combine(credential.updated, datetime.min.time(), UTC), "catalog")
        elif credential.source in git:
            changes[credential.id] = Change(git[credential.source], "git")
        else:
            changes[credential.id] = Change(built.astimezone(UTC), "build")
    return changes


def _entry(feed: ET.Element, site: Site, credential: Credential, change: Change) -> None:
    entry = ET.SubElement(feed, "entry")
    url = credential_url(site, credential)
    ET.SubElement(entry, "id").text = url
    ET.SubElement(entry, "title").text = credential.name
    ET.SubElement(entry, "link", href=url, rel="alternate", type="text/html")
    ET.SubElement(entry, "updated").text = xsd(change.moment)
    author = ET.SubElement(entry, "author")
    ET.SubElement(author, "name").text = credential.issuer.name
    ET.SubElement(author, "uri").text = credential.issuer.url
    ET.SubElement(entry, "category", term=credential.achievement_type)
    if not credential.active:
        ET.SubElement(entry, "category", term="retired")
    dated = {"catalog": "date from the catalog's updated field",
             "git": "date of the last commit to the catalog file",
             "build": "date of the build (no other date known)"}[change.source]
    ET.SubElement(entry, "summary", type="text").text = (
        f"{credential.summary} ({credential.issuer.name}; version {credential.version}; "
        f"{dated}.)")


def atom_feed(site: Site, catalog: Catalog, changes: dict[str, Change], title: str,
              size: int = FEED_SIZE) -> str:
    """The `size` most recently changed credentials, newest first, as Atom 1.0 (RFC 4287)."""
    feed = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(feed, "id").text = site.absolute(FEED_PATH)
    ET.SubElement(feed, "title").text = f"{title}: new and changed credentials"
    ET.SubElement(feed, "link", href=site.absolute(FEED_PATH), rel="self",
                  type="application/atom+xml")
    ET.SubElement(feed, "link", href=site.url, rel="alternate", type="text/html")
    newest = sorted(catalog.credentials.values(),
                    key=lambda c: (changes[c.id].moment, c.id), reverse=True)[:size]
    updated = changes[newest[0].id].moment if newest else datetime(1970, 1, 1, tzinfo=UTC)
    ET.SubElement(feed, "updated").text = xsd(updated)
    ET.SubElement(feed, "generator").text = "credcat"
    for credential in newest:
        _entry(feed, site, credential, changes[credential.id])
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        feed, encoding="unicode") + "\n"
