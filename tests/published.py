"""Reading a built site's sharded data the way an outside reader does: from keys.json.

Shards are found by reading every file the `{shard}` template names, not by computing the
shard function, so these helpers do not depend on the code under test
(`contract.shard_of` is tested against FNV-1a's published values instead).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ACHIEVEMENT = re.compile(
    r'<script type="application/ld\+json" id="achievement">(.*?)</script>', re.S)


def keys_index(site: Path) -> dict[str, Any]:
    return json.loads((site / "keys.json").read_text(encoding="utf-8"))


def shard_files(site: Path, name: str) -> list[Path]:
    """Every shard file of a `{shard}` path template of keys.json."""
    keys = keys_index(site)
    files = [site / keys["paths"][name].replace("{shard}", str(n))
             for n in range(keys["shards"][name])]
    # No other file sits next to them, and each holds an object keyed by credential id.
    assert sorted(files) == sorted(files[0].parent.glob("*.json"))
    return files


def sharded(site: Path, name: str) -> dict[str, Any]:
    """Every entry's document of one kind (`credentialRecord`, `compareRecord`,
    `ctdlCredential`, `pathwayRecord`, `ctdlPathway`), by catalog id, from all of its shards."""
    documents: dict[str, Any] = {}
    for path in shard_files(site, name):
        shard = json.loads(path.read_text(encoding="utf-8"))
        assert not documents.keys() & shard.keys(), f"{path}: an entry in two shards"
        documents.update(shard)
    return documents


def page_achievement(site: Path, credential_id: str) -> dict[str, Any]:
    """The Open Badges achievement a credential page carries as JSON-LD."""
    html = (site / "credentials" / credential_id / "index.html").read_text(encoding="utf-8")
    [block] = ACHIEVEMENT.findall(html)
    return json.loads(block)
