"""How credentials are classified for browsing: the search facets, their values and ranges.

The search index (filters written into each credential page), the search page's options and
the tests all need the same answer to "which issuer, level or cost range is this credential
in?", so it is computed here, once, from the model. Filter values are stable keys (ids, codes,
range names) rather than labels, so a shared search address keeps working when a name changes.

Ranges. Search filters match exact values, so workload and cost are put in ranges whose
bounds the search page offers: choosing "from 10 to 40 hours" selects the ranges 10-20 and
20-40, which is exactly `10 <= hours < 40`. Costs are compared in one currency, chosen by
the visitor. The build fetches no live rates (they change daily and would need the network):
when the catalog declares reference rates (`catalog/exchange-rates.yaml`, dated), a priced
credential is also given the range of its converted price in every currency of those rates,
so "under 500 EUR" finds a credential priced in GBP; the search page says so, with the rates'
date. Without rates, a price counts only in its own currency and the search page names how
many credentials it could not compare. A free credential counts as costing 0 in every
currency, so it is included when a range starts at 0, whatever the currency.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from site_builder.catalog.model import (
    Catalog,
    Cost,
    Credential,
    ExchangeRates,
    Level,
    Occupation,
    text_in,
)
from site_builder.site.interface import N_, SOURCE_LANGUAGE, translations
from site_builder.site.presentation import (
    convert,
    eqf_descriptor,
    label,
    language_name,
)

WORKLOAD_BOUNDS: tuple[int, ...] = (0, 5, 10, 20, 40, 80, 160, 320)
COST_BOUNDS: tuple[int, ...] = (0, 50, 100, 250, 500, 1000, 2500, 5000)
FREE = "free"

# (filter key, heading on the search page); URL parameters use the same keys.
FACETS: tuple[tuple[str, str], ...] = (
    ("issuer", N_("Issuer")),
    ("kind", N_("Issuer kind")),
    ("type", N_("Achievement type")),
    ("level", N_("Level")),
    ("skill", N_("Skill")),
    ("occupation", N_("Occupation")),
    ("participation", N_("Form of participation")),
    ("language", N_("Language")),
)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    key: str
    name: str
    options: list[Option]


def range_name(bounds: tuple[int, ...], value: float | Decimal) -> str:
    """The range `lo-hi` (or `lo+` for the last) with `lo <= value < hi`."""
    for low, high in pairwise(bounds):
        if low <= value < high:
            return f"{low}-{high}"
    return f"{bounds[-1]}+"


def workload_range(hours: float) -> str:
    return range_name(WORKLOAD_BOUNDS, hours)


def cost_range(cost: Cost) -> str:
    """`free`, or the currency and the range of the amount, e.g. `EUR:100-250`."""
    if cost.free or cost.amount is None:
        return FREE
    return f"{cost.currency}:{range_name(COST_BOUNDS, cost.amount)}"


def cost_ranges(cost: Cost, rates: ExchangeRates | None) -> list[str]:
    """The price's own range, then its converted range in every other currency of the rates."""
    own = cost_range(cost)
    if own == FREE or rates is None or cost.amount is None or cost.currency is None:
        return [own]
    ranges = [own]
    for target in [rates.base, *sorted(rates.rates)]:
        converted = convert(cost.amount, cost.currency, target, rates)
        if target != cost.currency and converted is not None:
            ranges.append(f"{target}:{range_name(COST_BOUNDS, converted)}")
    return ranges


def occupation_codes(credential: Credential) -> list[str]:
    """Occupations a credential leads toward: its own, and the goals of its pathways."""
    codes = [o.code for o in credential.occupations]
    for pathway in credential.pathways:
        if pathway.goal_occupation and pathway.goal_occupation.code not in codes:
            codes.append(pathway.goal_occupation.code)
    return codes


def level_value(level: Level) -> str:
    """EQF levels compare across issuers, so they are the facet; labels only without one."""
    return f"eqf-{level.eqf}" if level.eqf else level.label.lower()


def level_label(value: str, language: str = SOURCE_LANGUAGE) -> str:
    t = translations(language)
    if value.startswith("eqf-"):
        return t.gettext("EQF %(level)s: %(descriptor)s") % {
            "level": value[4:], "descriptor": eqf_descriptor(int(value[4:]), language)}
    return t.gettext("%(label)s (no EQF level)") % {"label": label(value.capitalize(), language)}


def language_value(code: str) -> str:
    """`fr-CA` and `fr` are both French to someone looking for a course in French."""
    return code.split("-", 1)[0]


def credential_filters(credential: Credential,
                       rates: ExchangeRates | None = None) -> dict[str, list[str]]:
    """Every filter value of a credential, keyed like FACETS plus cost, workload and status."""
    return {
        "issuer": [credential.issuer.id],
        "kind": [credential.issuer.kind],
        "type": [credential.achievement_type],
        "level": [level_value(credential.level)],
        "skill": [s.id for s in credential.skills],
        "occupation": occupation_codes(credential),
        "participation": [credential.participation],
        "language": sorted({language_value(code) for code in credential.languages}),
        "cost": cost_ranges(credential.cost, rates),
        "workload": [workload_range(credential.workload.hours)],
        "status": [credential.status],
    }


def _options(counts: Counter[str], labels: dict[str, str],
             order: Iterable[str] | None = None) -> list[Option]:
    keys = list(order) if order is not None else sorted(counts, key=lambda v: (
        labels.get(v, v).lower(), v))
    return [Option(v, labels.get(v, v), counts[v]) for v in keys if counts[v]]


def facets(catalog: Catalog, language: str = SOURCE_LANGUAGE) -> list[Facet]:
    """The options the search page offers for each facet, with how many credentials have each,
    labelled in `language`."""
    counts: dict[str, Counter[str]] = {key: Counter() for key, _ in FACETS}
    for credential in catalog.credentials.values():
        for key, values in credential_filters(credential).items():
            if key in counts:
                counts[key].update(values)
    labels: dict[str, dict[str, str]] = {
        "issuer": {i.id: text_in(i.name, language) for i in catalog.issuers.values()},
        "kind": {v: label(v, language) for v in counts["kind"]},
        "type": {v: label(v, language) for v in counts["type"]},
        "level": {v: level_label(v, language) for v in counts["level"]},
        "skill": {s.id: text_in(s.name, language) for s in catalog.skills.values()},
        # Alternate titles in the label, so "Find in list" finds "BI analyst" too.
        "occupation": {o.code: _occupation_label(o, language)
                       for o in catalog.occupations.values()},
        "participation": {v: label(v, language) for v in counts["participation"]},
        "language": {v: language_name(v, language) for v in counts["language"]},
    }
    level_order = sorted(counts["level"], key=lambda v: (not v.startswith("eqf-"), v))
    name_in = translations(language).gettext
    return [Facet(key, name_in(name), _options(counts[key], labels[key],
                                               level_order if key == "level" else None))
            for key, name in FACETS]


def _occupation_label(occupation: Occupation, language: str) -> str:
    text = f"{text_in(occupation.title, language)} ({occupation.code})"
    if not occupation.alternate_titles:
        return text
    also = ", ".join(text_in(t, language) for t in occupation.alternate_titles)
    return translations(language).gettext("%(occupation)s, also %(titles)s") % {
        "occupation": text, "titles": also}


def currencies(catalog: Catalog) -> list[Option]:
    """Currencies the cost filter offers, with how many priced credentials each can compare:
    those priced in it, plus with reference rates those convertible to it. Most first."""
    rates = catalog.exchange_rates
    priced = [c.cost for c in catalog.credentials.values() if not c.cost.free and c.cost.currency]
    codes = {cost.currency for cost in priced if cost.currency}
    if rates is not None:
        codes |= {rates.base, *rates.rates}
    counts = Counter({code: sum(
        1 for cost in priced if cost.amount is not None and cost.currency
        and convert(cost.amount, cost.currency, code, rates) is not None) for code in codes})
    return [Option(code, code, count) for code, count in
            sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def priced_counts(catalog: Catalog) -> dict[str, int]:
    """How many credentials are priced in each currency (the search page names those it could
    not compare without rates)."""
    return dict(Counter(c.cost.currency for c in catalog.credentials.values()
                        if not c.cost.free and c.cost.currency))
