"""`credcat check` for status records: index collisions and lists that would not verify.

Two maintainers who issue on different machines each add their own allocations file, so Git
merges them without a conflict; this audit is where a shared index surfaces, with the file and
line of both allocations.
"""

from __future__ import annotations

from pathlib import Path

from site_builder.catalog.model import Catalog
from site_builder.catalog.problems import Problem
from site_builder.credentials.did import PublishedCatalog
from site_builder.credentials.status_list import (
    PURPOSES,
    IssuerStatus,
    RecordError,
    StatusError,
    list_path,
    read_list,
)
from site_builder.credentials.verify import verified_list
from site_builder.urls import Site


def audit(root: Path, site: Site, catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    try:
        published = PublishedCatalog.from_catalog(site, catalog, root)
    except StatusError as exc:  # an allocations file that cannot be read
        return [Problem("status", 1, 1, str(exc), "restore the status records from Git history")]
    for issuer in catalog.issuers.values():
        status = IssuerStatus(root, site, issuer.id)
        try:
            allocations = status.allocations()
        except RecordError as exc:
            problems.append(Problem(exc.source, exc.line, 1, exc.message,
                                    "restore it from Git history; never edit it by hand"))
            continue
        first: dict[int, tuple[str, int, str]] = {}
        for allocation in allocations:
            earlier = first.get(allocation.index)
            if earlier is None:
                first[allocation.index] = (allocation.source, allocation.line,
                                           allocation.credential)
                continue
            problems.append(Problem(
                allocation.source, allocation.line, 1,
                f"status index {allocation.index} of {issuer.id} is also allocated to "
                f"{earlier[2]} at {earlier[0]}:{earlier[1]}",
                "two issuing runs collided: revoke one of the two credentials "
                f"(`credcat revoke {allocation.credential}`) and issue it again"))
        for purpose in PURPOSES:
            path = list_path(issuer.id, purpose)
            if not (root / path).is_file():
                if any(purpose in a.purposes for a in allocations):
                    problems.append(Problem(path, 1, 1, f"the {purpose} list is missing while "
                                            "credentials have been issued",
                                            "restore it from Git history"))
                continue
            try:
                read_list(root / path, path)
            except RecordError as exc:
                problems.append(Problem(exc.source, exc.line, 1, exc.message,
                                        "a status list is written only by credcat"))
                continue
            try:
                bits = verified_list(published, path, purpose, site.issuer_did(issuer.id))
            except StatusError as exc:
                problems.append(Problem(path, 1, 1, f"the {purpose} list would not verify: {exc}",
                                        "re-sign it: revoke, suspend or reinstate with the "
                                        "issuer's active key"))
                continue
            if len(bits) * 8 < len(first):
                problems.append(Problem(path, 1, 1, f"the {purpose} list is shorter than the "
                                        "allocations", "restore it from Git history"))
    return problems
