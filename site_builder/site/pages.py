"""The generated pages: one per credential, pathway, issuer, skill and occupation, the
credential index pages, and the few pages the theme needs (home, search, compare, verify).

Page generation reads only the validated model; rendering (`render.py`) and the MkDocs plugin
both take their page list and per-page context from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from site_builder import contract
from site_builder.catalog.model import (
    Catalog,
    Credential,
    Issuer,
    Occupation,
    Pathway,
    Skill,
)
from site_builder.credentials import achievement
from site_builder.site import exports, facets, feeds, presentation, schema_org, shards
from site_builder.urls import (
    CREDENTIALS,
    ISSUERS,
    OCCUPATIONS,
    PATHWAYS,
    SKILLS,
    VERIFY,
    Site,
    page_path,
    source_path,
)

GROUPINGS = (("issuer", "Issuer", ""), ("level", "Level", "by-level"),
             ("type", "Type", "by-type"))
# Rows per credential index page (about 100 KB of HTML): at 10,000 credentials a single page
# per grouping would be 4.6 MB, too much for a visitor browsing without JavaScript.
INDEX_PAGE_SIZE = 200
SEARCH = "search"
COMPARE = "compare"
# Sections whose pages other pages may link to by their Markdown source (`../verify/index.md`
# in a guide): these stay in MkDocs' page list. Every other generated page (one per catalog
# entry, index pages after the first) is rendered by `render.py`.
_LINKED_SOURCES = ("index.md",)


@dataclass
class PageSpec:
    """A generated page: its source file, template and the model objects it shows."""

    src: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def in_mkdocs(self) -> bool:
        """Whether MkDocs renders the page itself: the home page, section index pages and
        single pages, which hand-written pages link to by their Markdown source."""
        return self.src.count("/") == 0 or self.src.endswith(_LINKED_SOURCES)


def path_of(item: Any) -> str:
    """Site-relative URL of a model object's page."""
    if isinstance(item, Credential):
        return page_path(CREDENTIALS, item.id)
    if isinstance(item, Pathway):
        return page_path(PATHWAYS, item.id)
    if isinstance(item, Issuer):
        return page_path(ISSUERS, item.id)
    if isinstance(item, Skill):
        return page_path(SKILLS, item.id)
    if isinstance(item, Occupation):
        return page_path(OCCUPATIONS, item.code)
    raise TypeError(f"no page for {type(item).__name__}")


def page_context(spec: PageSpec, site: Site,
                 changes: dict[str, feeds.Change]) -> dict[str, Any]:
    """A page's template variables: its spec's, and those worked out from the catalog entry
    it shows. These are built per page, when the page is rendered, rather than kept for all
    pages (100,000 of them would not fit in memory), and not at all for a page the cache
    holds: what they read of the catalog is recorded with the rest of the page's reads."""
    context = dict(spec.context)
    if (pathway := spec.context.get("pathway")) is not None:
        context["totals"] = presentation.pathway_totals(pathway)
    if (issuer := spec.context.get("issuer")) is not None:
        context["keys"] = [contract.key_record(site, k) for k in issuer.keys]
    credential = spec.context.get("credential")
    if credential is not None:
        context["quality"] = presentation.quality_at_a_glance(credential)
        context["ctid"] = exports.credential_ctid(site, credential)
        change = changes.get(credential.id)
        modified = change.moment.date().isoformat() if change else None
        context["jsonld"] = schema_org.script_json(
            schema_org.credential_description(site, credential, modified))
        # The Open Badges Achievement whose id is this page's address (contract.PATHS).
        context["achievement"] = schema_org.script_json(
            achievement.achievement_document(site, credential))
        context["canonical"] = site.absolute(path_of(credential))
    return context


def page_specs(catalog: Catalog, site: Site, with_home: bool) -> list[PageSpec]:
    """Every generated page, in the order MkDocs lists them."""
    specs = []
    if with_home:
        counts = {"credentials": len(catalog.credentials), "pathways": len(catalog.pathways),
                  "issuers": len(catalog.issuers), "skills": len(catalog.skills),
                  "occupations": len(catalog.occupations)}
        featured = [p for p in catalog.pathways.values() if p.featured] or list(
            catalog.pathways.values())[:3]
        specs.append(PageSpec("index.md", "Home", "home.html",
                              {"counts": counts, "featured": featured}))
    credentials = sorted(catalog.credentials.values(), key=lambda c: c.name)
    groupings = [(k, n, index_page_path(s, 1)) for k, n, s in GROUPINGS]
    for key, name, slug in GROUPINGS:
        # Retired credentials stay listed, after the active ones of their group.
        pages = _paginate(_group(sorted(credentials, key=lambda c: not c.active), key),
                          INDEX_PAGE_SIZE)
        starts = _group_starts(pages, slug)
        links = [(number, index_page_path(slug, number)) for number in
                 range(1, len(pages) + 1)]
        for number, page_groups in enumerate(pages, start=1):
            title = f"Credentials by {name.lower()}" + (
                f", page {number} of {len(pages)}" if len(pages) > 1 else "")
            specs.append(PageSpec(index_source_path(slug, number), title,
                                  "credentials.html", {
                "grouping": key, "groups": page_groups, "group_index": starts,
                "groupings": groupings, "total": len(credentials),
                "page_number": number, "page_links": links,
            }))
    for credential in credentials:
        specs.append(PageSpec(source_path(CREDENTIALS, credential.id), credential.name,
                              "credential.html", {
                                  "credential": credential,
                                  "exports": shards.data_paths(catalog, credential),
                              }))
    pathways = sorted(catalog.pathways.values(), key=lambda p: p.name)
    specs.append(PageSpec(source_path(PATHWAYS), "Pathways", "pathways.html",
                          {"pathways": pathways}))
    for pathway in pathways:
        specs.append(PageSpec(source_path(PATHWAYS, pathway.id), pathway.name,
                              "pathway.html", {
                                  "pathway": pathway,
                                  "ctdl": shards.data_paths(catalog, pathway)["ctdl"]}))
    issuers = sorted(catalog.issuers.values(), key=lambda i: i.name)
    specs.append(PageSpec(source_path(ISSUERS), "Issuers", "issuers.html",
                          {"issuers": issuers}))
    for issuer in issuers:
        specs.append(PageSpec(source_path(ISSUERS, issuer.id), issuer.name, "issuer.html", {
            "issuer": issuer, "did": site.issuer_did(issuer.id),
            "did_document": contract.did_document_path(issuer.id),
            "ctdl": f"{path_of(issuer)}ctdl.json",
        }))
    skills = sorted(catalog.skills.values(), key=lambda s: s.name)
    specs.append(PageSpec(source_path(SKILLS), "Skills", "skills.html", {"skills": skills}))
    for skill in skills:
        specs.append(PageSpec(source_path(SKILLS, skill.id), skill.name, "skill.html",
                              {"skill": skill}))
    occupations = sorted(catalog.occupations.values(), key=lambda o: o.title)
    specs.append(PageSpec(source_path(OCCUPATIONS), "Occupations", "occupations.html",
                          {"occupations": occupations}))
    for occupation in occupations:
        specs.append(PageSpec(source_path(OCCUPATIONS, occupation.code), occupation.title,
                              "occupation.html", {"occupation": occupation,
                                                  "onet_url": achievement.onet_url(
                                                      occupation.code)}))
    specs.append(PageSpec(source_path(VERIFY), "Verify a credential", "verifier.html"))
    specs.append(PageSpec(source_path(SEARCH), "Search credentials", "search.html", {
        "facets": facets.facets(catalog), "currencies": facets.currencies(catalog),
        "workload_bounds": facets.WORKLOAD_BOUNDS, "cost_bounds": facets.COST_BOUNDS,
        "priced": facets.priced_counts(catalog), "rates": catalog.exchange_rates,
    }))
    specs.append(PageSpec(source_path(COMPARE), "Compare credentials", "compare.html"))
    return specs


def index_page_path(slug: str, number: int) -> str:
    """Credential index page `number` of a grouping: page 1 keeps the short address."""
    if number == 1:
        return f"{CREDENTIALS}/{slug}/" if slug else f"{CREDENTIALS}/"
    # Under by-issuer/ or by-level/: no credential id can take these addresses.
    return f"{CREDENTIALS}/{slug or 'by-issuer'}/page-{number}/"


def index_source_path(slug: str, number: int) -> str:
    if number == 1:
        return f"{CREDENTIALS}/{slug}.md" if slug else source_path(CREDENTIALS)
    return f"{CREDENTIALS}/{slug or 'by-issuer'}/page-{number}.md"


@dataclass
class GroupPart:
    """The part of a group that falls on one index page."""

    title: str
    number: int  # position of the group in the grouping, for stable anchors
    credentials: list[Credential]
    continued: bool  # the group started on an earlier page
    size: int  # the whole group's size


def _paginate(groups: list[tuple[str, list[Credential]]], size: int) -> list[list[GroupPart]]:
    """Split grouped rows into pages of at most `size` rows; a group may span pages."""
    pages: list[list[GroupPart]] = [[]]
    room = size
    for number, (title, members) in enumerate(groups, start=1):
        start = 0
        while start < len(members):
            if room == 0:
                pages.append([])
                room = size
            part = members[start:start + room]
            pages[-1].append(GroupPart(title, number, part, start > 0, len(members)))
            start += len(part)
            room -= len(part)
    return pages


def _group_starts(pages: list[list[GroupPart]], slug: str) -> list[tuple[str, int, str]]:
    """Every group of a grouping, its size, and the page and anchor where it starts."""
    starts = []
    for page_number, parts in enumerate(pages, start=1):
        for part in parts:
            if not part.continued:
                starts.append((part.title, part.size,
                               f"{index_page_path(slug, page_number)}#group-{part.number}"))
    return starts


def _group(credentials: list[Credential], key: str) -> list[tuple[str, list[Credential]]]:
    groups: dict[str, list[Credential]] = {}
    order: dict[str, Any] = {}
    for credential in credentials:
        if key == "issuer":
            name, rank = credential.issuer.name, credential.issuer.name
        elif key == "level":
            name = presentation.level_group(credential.level)
            rank = (credential.level.eqf or 9, name)
        else:
            name = presentation.label(credential.achievement_type)
            rank = name
        groups.setdefault(name, []).append(credential)
        order[name] = rank
    return [(name, groups[name]) for name in sorted(groups, key=lambda n: order[n])]
