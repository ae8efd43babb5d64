"""Site footprint per credential: bytes and files of a built site, divided by its credentials.

Static hosts limit a site's total size and file count (issue 16), so the figure that matters
is the whole site divided by the number of credentials, not one page: shared files (search
index, exports, shards) count too. `parts` says where the bytes go, and `own` adds up the
parts that exist for each credential (its folder, its search fragment, the credential shards),
the figure to compare across layouts whatever else a catalog holds.

    .venv/bin/python bench/footprint.py SITE_DIR [SITE_DIR...]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Shared folders whose files exist per credential (besides credentials/<id>/ itself).
CREDENTIAL_PARTS = ("pagefind/fragment/", "data/records/", "data/compare/", "data/ctdl/")


@dataclass
class Footprint:
    credentials: int
    files: int
    bytes: int
    # part of the site (see `part_of`) -> (files, bytes)
    parts: dict[str, tuple[int, int]] = field(default_factory=dict)
    # The largest file (bytes, site-relative path): hosts limit a file's size too (Cloudflare
    # Pages: 25 MiB, https://developers.cloudflare.com/pages/platform/limits/).
    largest: tuple[int, str] = (0, "")

    @property
    def own(self) -> tuple[float, float]:
        """(KB, files) per credential of the parts that exist for each credential."""
        parts = [v for k, v in self.parts.items() if k.startswith("credentials/<id>/")
                 or k in CREDENTIAL_PARTS]
        return (sum(size for _, size in parts) / self.credentials / 1000,
                sum(files for files, _ in parts) / self.credentials)

    @property
    def files_per_credential(self) -> float:
        return self.files / self.credentials

    @property
    def kb_per_credential(self) -> float:
        return self.bytes / self.credentials / 1000

    def text(self) -> str:
        own_kb, own_files = self.own
        lines = [f"{self.credentials:,} credentials: {self.kb_per_credential:.1f} KB in "
                 f"{self.files_per_credential:.2f} files per credential "
                 f"({self.bytes / 1e6:,.1f} MB in {self.files:,} files); the credential's "
                 f"own parts: {own_kb:.1f} KB in {own_files:.2f} files; largest file "
                 f"{self.largest[1]}, {self.largest[0] / 2**20:,.2f} MiB"]
        for name, (files, size) in sorted(self.parts.items(), key=lambda kv: -kv[1][1]):
            lines.append(f"  {name:36} {size / self.credentials / 1000:7.2f} KB "
                         f"{files / self.credentials:6.3f} files per credential")
        return "\n".join(lines)


def part_of(relative: Path) -> str:
    """A path's part of the site: a credential's own files by name, anything else by folder."""
    parts = relative.parts
    if parts[0] == "credentials" and len(parts) == 3 and not parts[1].startswith("by-"):
        return f"credentials/<id>/{parts[2]}"
    if parts[0] in ("pagefind", "data") and len(parts) > 2:
        return f"{parts[0]}/{parts[1]}/"
    return parts[0] + ("/" if len(parts) > 1 else "")


def credential_count(site: Path) -> int:
    """How many credentials the site publishes, from its catalog.json (the credentials
    themselves are in the parts it lists)."""
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    return catalog["credentialCount"]


def footprint(site: Path) -> Footprint:
    """Measure a built site folder (the output of `credcat build`)."""
    files: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    largest = (0, "")
    for path in site.rglob("*"):
        if path.is_file():
            relative = path.relative_to(site)
            name = part_of(relative)
            size = path.stat().st_size
            files[name] += 1
            sizes[name] += size
            largest = max(largest, (size, relative.as_posix()))
    return Footprint(credential_count(site), sum(files.values()), sum(sizes.values()),
                     {name: (files[name], sizes[name]) for name in files}, largest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for site in args.sites:
        print(f"{site}: {footprint(site).text()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
