"""Does a built site fit on the static hosts catalogs deploy to? The limits live in
host_limits.yaml, one place with the date they were read and the page each is published on,
so the report and its test read the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

LIMITS_FILE = Path(__file__).with_name("host_limits.yaml")


@dataclass(frozen=True)
class SiteSize:
    """A built site as the hosts count it: bytes, files, every entry (files and folders: GitLab
    counts both) and the largest file (Cloudflare caps each one)."""

    bytes: int
    files: int
    entries: int
    largest_file: int
    largest_path: str = ""  # the largest file's path in the site, to name it when too big


@dataclass(frozen=True)
class HostLimit:
    name: str
    source: str
    quote: str
    max_bytes: int | None = None
    max_files: int | None = None
    max_entries: int | None = None
    max_file_bytes: int | None = None

    def excess(self, site: SiteSize) -> list[str]:
        """Each limit the site goes over, in words; empty when it fits."""
        checks = [
            (site.bytes, self.max_bytes, "site", _bytes),
            (site.files, self.max_files, "files", _count),
            (site.entries, self.max_entries, "files and folders", _count),
            (site.largest_file, self.max_file_bytes, _largest(site), _bytes),
        ]
        return [f"{what} {show(value)} > {show(limit)}" for value, limit, what, show in checks
                if limit is not None and value > limit]


@dataclass(frozen=True)
class HostLimits:
    read: str
    hosts: list[HostLimit]


def load(path: Path = LIMITS_FILE) -> HostLimits:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return HostLimits(str(data["read"]), [HostLimit(**host) for host in data["hosts"]])


def fit_table(sites: dict[int, SiteSize | None], limits: HostLimits) -> list[str]:
    """Markdown: one row per catalog size, one column per host ("yes", or what is over)."""
    lines = [
        "| Credentials | Site | Files (with folders) | Largest file | "
        + " | ".join(host.name for host in limits.hosts) + " |",
        "| --- | --- | --- | --- |" + " --- |" * len(limits.hosts),
    ]
    for size, site in sorted(sites.items()):
        if site is None:
            lines.append(f"| {size:,} | not measured in this report |  |  |"
                         + " |" * len(limits.hosts))
            continue
        verdicts = []
        for host in limits.hosts:
            over = host.excess(site)
            verdicts.append("no: " + "; ".join(over) if over else "yes")
        lines.append(f"| {size:,} | {_bytes(site.bytes)} | {site.files:,} ({site.entries:,}) "
                     f"| {_bytes(site.largest_file)}"
                     + (f" (`{site.largest_path}`)" if site.largest_path else "")
                     + " | " + " | ".join(verdicts) + " |")
    lines += ["", f"Limits read on {limits.read} from each host's page:", ""]
    lines += [f"- {host.name}: {_limits_text(host)} ([source]({host.source}))"
              for host in limits.hosts]
    return lines


def _largest(site: SiteSize) -> str:
    return f"largest file ({site.largest_path})" if site.largest_path else "largest file"


def _limits_text(host: HostLimit) -> str:
    parts = []
    if host.max_bytes is not None:
        parts.append(f"site at most {_bytes(host.max_bytes)}")
    if host.max_files is not None:
        parts.append(f"at most {_count(host.max_files)} files")
    if host.max_entries is not None:
        parts.append(f"at most {_count(host.max_entries)} files and folders")
    if host.max_file_bytes is not None:
        parts.append(f"each file at most {_bytes(host.max_file_bytes)}")
    return ", ".join(parts)


def _count(value: int) -> str:
    return f"{value:,}"


def _bytes(value: int) -> str:
    """Decimal units, as the hosts state their limits (1 GB = 10^9 bytes)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if value >= scale:
            return f"{value / scale:,.2f} {unit}"
    return f"{value:,} B"
