"""`catalog.csv`: one row per credential, the columns a spreadsheet user filters and sorts.

Career services and funders shortlist credentials in Excel or LibreOffice, not in JSON. Texts
use `presentation`'s wording; numbers stay numbers so they sort. Catalog text is contributed
by many people, and a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is run as
a formula by spreadsheet programs (OWASP "CSV injection"): such cells get a leading `'`, which
the programs show as text. The file starts with a UTF-8 byte-order mark, without which Excel
reads UTF-8 as a legacy code page and garbles names such as "Québec".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

from site_builder.catalog.model import Catalog, Credential
from site_builder.contract import credential_url
from site_builder.site import presentation as p
from site_builder.text import defuse
from site_builder.urls import Site

CSV_PATH = "catalog.csv"

COLUMNS = (
    "id", "name", "url", "status", "issuer", "issuer_kind", "issuer_country",
    "quality_assurance", "achievement_type", "level", "eqf_level", "workload_hours", "ects",
    "duration", "cost", "cost_amount", "cost_currency", "participation", "languages",
    "skills", "occupation_codes", "occupations", "assessment_methods", "identity_verification",
    "recognised_by", "stacks_into", "pathways", "credit_transfer", "valid_for", "version",
    "updated", "summary",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _join(items: Iterable[str]) -> str:
    return "; ".join(items)


def credential_row(site: Site, credential: Credential) -> list[Any]:
    issuer = credential.issuer
    qa = issuer.quality_assurance
    conditions = credential.assessment_conditions
    cost = credential.cost
    row = [
        credential.id, credential.name, credential_url(site, credential),
        p.label(credential.status), issuer.name, p.label(issuer.kind),
        p.country_name(issuer.country), p.label(qa.type) + (f" by {qa.body}" if qa.body else ""),
        p.label(credential.achievement_type), credential.level.label,
        credential.level.eqf or "", _number(credential.workload.hours),
        _number(credential.workload.ects), p.duration_text(credential.duration),
        p.cost_text(cost), "0" if cost.free else f"{cost.amount}", cost.currency or "",
        p.label(credential.participation),
        _join(p.language_name(code) for code in credential.languages),
        _join(s.name for s in credential.skills),
        _join(o.code for o in credential.occupations),
        _join(o.title for o in credential.occupations),
        _join(p.label(m.type) for m in credential.evaluation.methods),
        p.label(conditions.identity_verification) if conditions else "Not stated",
        _join(r.name for r in credential.recognition),
        _join(c.name for c in credential.stacks_into),
        _join(pw.name for pw in credential.pathways),
        credential.credit_transfer or "",
        p.validity_text(credential.validity_months), credential.version,
        credential.updated.isoformat() if credential.updated else "", credential.summary,
    ]
    return [defuse(cell) for cell in row]


def catalog_csv(site: Site, catalog: Catalog,
                row: Callable[[Site, Credential], list[str]] = credential_row) -> str:
    """The whole catalog, sorted by name, as RFC 4180 CSV with a header row (`row`: how
    a credential's row is made; `credcat serve` keeps them across rebuilds)."""
    return credentials_csv(site, sorted(catalog.credentials.values(),
                                        key=lambda c: (c.name, c.id)), row)


def credentials_csv(site: Site, credentials: Iterable[Credential],
                    row: Callable[[Site, Credential], list[str]] = credential_row) -> str:
    """Some credentials, in the order given, as RFC 4180 CSV with a header row (a part of a
    catalog too large for one file: `exports.catalog_files`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for credential in credentials:
        writer.writerow(row(site, credential))
    return "\ufeff" + out.getvalue()


PARTS_COLUMNS = ("part", "url", "credentials")


def parts_csv(parts: list[tuple[str, int]]) -> str:
    """catalog.csv of a catalog too large for one file: a row per part (its address and
    how many credentials it holds), so the address every page links to still leads to them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PARTS_COLUMNS)
    for number, (url, count) in enumerate(parts):
        writer.writerow([number, url, count])
    return "\ufeff" + out.getvalue()
