"""The generated pages: one per credential, pathway, issuer, skill and occupation, the
credential index pages, and the few pages the theme needs (home, search, compare, verify).

Page generation reads only the validated model; rendering (`render.py`) and the MkDocs plugin
both take their page list and per-page context from here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from site_builder import contract
from site_builder.catalog.model import (
    Catalog,
    Credential,
    Issuer,
    Languages,
    Occupation,
    Pathway,
    Skill,
    text_in,
)
from site_builder.credentials import achievement
from site_builder.site import (
    exports,
    facets,
    feeds,
    interface,
    presentation,
    schema_org,
    shards,
)
from site_builder.site.localize import other_languages, own_name, resolved
from site_builder.urls import (
    COMPARE,
    CREDENTIALS,
    ISSUERS,
    OCCUPATIONS,
    PATHWAYS,
    QUALITY,
    SEARCH,
    SKILLS,
    VERIFY,
    Site,
    in_language,
    language_root,
    page_path,
    source_path,
)


def N_(message: str) -> str:
    """Marks a message for `pybabel extract` (a default keyword) where it is translated later,
    in the page's language."""
    return message


# Key, name, address and page title of each way the credential index pages group credentials.
GROUPINGS = (("issuer", N_("Issuer"), "", N_("Credentials by issuer")),
             ("level", N_("Level"), "by-level", N_("Credentials by level")),
             ("type", N_("Type"), "by-type", N_("Credentials by type")))
# Rows per credential index page (about 100 KB of HTML): at 10,000 credentials a single page
# per grouping would be 4.6 MB, too much for a visitor browsing without JavaScript.
INDEX_PAGE_SIZE = 200
# Sections whose pages other pages may link to by their Markdown source (`../verify/index.md`
# in a guide): these stay in MkDocs' page list. Every other generated page (one per catalog
# entry, index pages after the first) is rendered by `render.py`.
_LINKED_SOURCES = ("index.md",)


@dataclass(slots=True)
class PageSpec:
    """A generated page: its source file, template and the model objects it shows. Slotted:
    a build holds one per page, 100,000 and more, for its whole length."""

    src: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    language: str = "en"
    # The source of the same page in the default language (`fr/credentials/x.md` ->
    # `credentials/x.md`): the language switcher and `hreflang` lead between them.
    entry: str = ""

    @property
    def in_mkdocs(self) -> bool:
        """Whether MkDocs renders the page itself: the home page, section index pages and
        single pages of the default language, which hand-written pages link to by their
        Markdown source. Pages in other languages are rendered by `render.py`."""
        return self.src == self.entry and (
            self.src.count("/") == 0 or self.src.endswith(_LINKED_SOURCES))


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


def page_context(spec: PageSpec, site: Site, changes: dict[str, feeds.Change],
                 languages: Languages) -> dict[str, Any]:
    """A page's template variables: its spec's, and those worked out from the catalog entry
    it shows. These are built per page, when the page is rendered, rather than kept for all
    pages (100,000 of them would not fit in memory), and not at all for a page the cache
    holds: what they read of the catalog is recorded with the rest of the page's reads."""
    context = dict(spec.context)
    context.update(language_context(languages, spec.language, url_of(spec.entry)))
    if (pathway := spec.context.get("pathway")) is not None:
        context["totals"] = presentation.pathway_totals(pathway)
    if (issuer := spec.context.get("issuer")) is not None:
        context["keys"] = [contract.key_record(site, k) for k in issuer.keys]
    credential = spec.context.get("credential")
    if credential is not None:
        context["quality"] = presentation.quality_at_a_glance(credential, spec.language)
        context["ctid"] = exports.credential_ctid(site, credential)
        change = changes.get(credential.id)
        modified = change.moment.date().isoformat() if change else None
        # One entity (`@id`), described in the page's language at the page's address.
        description = schema_org.credential_description(site, credential, modified)
        if spec.language != languages.default:
            description = {**resolved(description, spec.language),
                           "url": site.absolute(url_of(spec.src))}
        context["jsonld"] = schema_org.script_json(description)
        # The Open Badges Achievement whose id is this page's address (contract.PATHS).
        context["achievement"] = schema_org.script_json(
            achievement.achievement_document(site, credential))
        context["canonical"] = site.absolute(url_of(spec.src))
    return context


def url_of(src: str) -> str:
    """The site-relative address MkDocs gives a page source (`credentials/x.md` ->
    `credentials/x/`, `index.md` -> ``)."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def language_context(languages: Languages, language: str, entry: str | None
                     ) -> dict[str, Any]:
    """What `base.html` needs to say a page's language and lead to the others:
    `page_language`, `language_root` (the language's folder, site-relative) and
    `language_versions`, each declared language with its own name, the address of this page
    in it (`entry`, a default-language address) or, for a page that exists only in the default
    language (`entry` None: a hand-written page), that language's home, and whether that
    address is this page's version in that language (what `hreflang` alternates list)."""
    versions = []
    if len(languages.codes) > 1:
        for code in languages.codes:
            path = in_language(entry if entry is not None else "", code, languages.default)
            versions.append({"code": code, "name": own_name(code), "same": entry is not None,
                             "default": code == languages.default, "path": path})
    return {"page_language": language,
            "language_root": language_root(language, languages.default),
            "language_versions": versions}


def page_specs(catalog: Catalog, site: Site, with_home: bool) -> list[PageSpec]:
    """Every generated page, in the order MkDocs lists them: the default language's at the
    root, then each other declared language's under its own folder (`fr/`), home included."""
    languages = catalog.languages
    specs = _specs_in(catalog, site, languages.default, with_home)
    for language in other_languages(languages):
        specs += _specs_in(catalog, site, language, with_home=True)
    return specs


def _specs_in(catalog: Catalog, site: Site, language: str, with_home: bool) -> list[PageSpec]:
    """The generated pages of one language."""
    _ = interface.translations(language).gettext
    root = language_root(language, catalog.languages.default)

    def spec(src: str, title: str, template: str, context: dict[str, Any] | None = None
             ) -> PageSpec:
        return PageSpec(root + src, text_in(title, language), template, context or {},
                        language, src)

    def by_name(entries: Iterable[Any], name: str = "name") -> list[Any]:
        return sorted(entries, key=lambda e: text_in(getattr(e, name), language))

    specs = []
    if with_home:
        counts = {"credentials": len(catalog.credentials), "pathways": len(catalog.pathways),
                  "issuers": len(catalog.issuers), "skills": len(catalog.skills),
                  "occupations": len(catalog.occupations)}
        featured = [p for p in catalog.pathways.values() if p.featured] or list(
            catalog.pathways.values())[:3]
        specs.append(spec("index.md", _("Home"), "home.html",
                          {"counts": counts, "featured": featured}))
    credentials = by_name(catalog.credentials.values())
    groupings = [(k, _(n), index_page_path(s, 1)) for k, n, s, _t in GROUPINGS]
    for key, _name, slug, title in GROUPINGS:
        # Retired credentials stay listed, after the active ones of their group.
        pages = _paginate(_group(sorted(credentials, key=lambda c: not c.active), key,
                                 language), INDEX_PAGE_SIZE)
        starts = _group_starts(pages, slug)
        for number, page_groups in enumerate(pages, start=1):
            links = [(n, index_page_path(slug, n) if n else None)
                     for n in pager_numbers(number, len(pages))]
            specs.append(spec(index_source_path(slug, number), _(title) + (
                _(", page %(number)s of %(count)s") % {"number": number, "count": len(pages)}
                if len(pages) > 1 else ""), "credentials.html", {
                "grouping": key, "groups": page_groups, "group_index": starts,
                "groupings": groupings, "total": len(credentials),
                "page_number": number, "page_count": len(pages), "page_links": links,
                "previous_page": index_page_path(slug, number - 1) if number > 1 else None,
                "next_page": index_page_path(slug, number + 1) if number < len(pages) else None,
            }))
    counts = contract.shard_counts(catalog)
    for credential in credentials:
        specs.append(spec(source_path(CREDENTIALS, credential.id), credential.name,
                          "credential.html", {
                              "credential": credential,
                              # A few hundred shard files for every credential: one
                              # copy of each path, not one per page (held all build long).
                              "exports": {kind: sys.intern(path) for kind, path in
                                          shards.data_paths(counts, credential).items()},
                          }))
    pathways = by_name(catalog.pathways.values())
    specs.append(spec(source_path(PATHWAYS), _("Pathways"), "pathways.html",
                      {"pathways": pathways}))
    for pathway in pathways:
        specs.append(spec(source_path(PATHWAYS, pathway.id), pathway.name,
                          "pathway.html", {
                              "pathway": pathway,
                              "ctdl": shards.data_paths(counts, pathway)["ctdl"]}))
    issuers = by_name(catalog.issuers.values())
    specs.append(spec(source_path(ISSUERS), _("Issuers"), "issuers.html",
                      {"issuers": issuers}))
    for issuer in issuers:
        specs.append(spec(source_path(ISSUERS, issuer.id), issuer.name, "issuer.html", {
            "issuer": issuer, "did": site.issuer_did(issuer.id),
            "did_document": contract.did_document_path(issuer.id),
            "ctdl": f"{path_of(issuer)}ctdl.json",
        }))
    skills = by_name(catalog.skills.values())
    specs.append(spec(source_path(SKILLS), _("Skills"), "skills.html", {"skills": skills}))
    for skill in skills:
        specs.append(spec(source_path(SKILLS, skill.id), skill.name, "skill.html",
                          {"skill": skill}))
    occupations = by_name(catalog.occupations.values(), "title")
    specs.append(spec(source_path(OCCUPATIONS), _("Occupations"), "occupations.html",
                      {"occupations": occupations}))
    for occupation in occupations:
        specs.append(spec(source_path(OCCUPATIONS, occupation.code), occupation.title,
                          "occupation.html", {"occupation": occupation,
                                              "onet_url": achievement.onet_url(
                                                  occupation.code)}))
    # Pages whose address holds what the visitor looks at: the language switcher takes its
    # query and fragment along (js/shared/language-switcher.js).
    state = {"address_holds_state": True}
    specs.append(spec(source_path(VERIFY), _("Verify a credential"), "verifier.html", state))
    specs.append(spec(source_path(SEARCH), _("Search credentials"), "search.html", {
        "facets": facets.facets(catalog, language), "currencies": facets.currencies(catalog),
        "workload_bounds": facets.WORKLOAD_BOUNDS, "cost_bounds": facets.COST_BOUNDS,
        "priced": facets.priced_counts(catalog), "rates": catalog.exchange_rates, **state,
    }))
    specs.append(spec(source_path(COMPARE), _("Compare credentials"), "compare.html", state))
    specs.append(spec(source_path(QUALITY), _("How quality at a glance is decided"),
                      "quality.html", {"rules": presentation.quality_rules(language)}))
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


def pager_numbers(current: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager shows: the first, the last, and `around` either side of
    `current`, with None where numbers are left out (shown as an ellipsis); a gap of a single
    number shows the number instead. At 100,000 credentials a grouping has 500 pages: listing
    every number on each of them made a pager of 1,000 links, on a phone screens of them, and
    a hundred megabytes of the site."""
    shown = sorted({1, count, *range(max(1, current - around), min(count, current + around) + 1)})
    numbers: list[int | None] = []
    previous = 0
    for number in shown:
        if number - previous == 2:
            numbers.append(number - 1)
        elif number - previous > 2:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


def _group_starts(pages: list[list[GroupPart]], slug: str) -> list[tuple[str, int, str]]:
    """Every group of a grouping, its size, and the page and anchor where it starts."""
    starts = []
    for page_number, parts in enumerate(pages, start=1):
        for part in parts:
            if not part.continued:
                starts.append((part.title, part.size,
                               f"{index_page_path(slug, page_number)}#group-{part.number}"))
    return starts


def _group(credentials: list[Credential], key: str,
           language: str) -> list[tuple[str, list[Credential]]]:
    groups: dict[str, list[Credential]] = {}
    order: dict[str, Any] = {}
    for credential in credentials:
        if key == "issuer":
            name = rank = text_in(credential.issuer.name, language)
        elif key == "level":
            name = presentation.level_group(credential.level, language)
            rank = (credential.level.eqf or 9, name)
        else:
            name = presentation.label(credential.achievement_type, language)
            rank = name
        groups.setdefault(name, []).append(credential)
        order[name] = rank
    return [(name, groups[name]) for name in sorted(groups, key=lambda n: order[n])]
