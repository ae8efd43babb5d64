"""schema.org descriptions of credential pages, for search engines and link previews.

A search engine reads `EducationalOccupationalCredential` JSON-LD from a
`<script type="application/ld+json">` element: a data block the browser never runs, so the
pages' Content Security Policy allows it. It is built from the model like every other export,
and serialised so that no value can close the element early.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from site_builder.catalog.model import Credential
from site_builder.contract import credential_url
from site_builder.credentials.achievement import ONET_FRAMEWORK, onet_url
from site_builder.site import presentation as p
from site_builder.urls import ISSUERS, SKILLS, Site, page_path


def credential_description(site: Site, credential: Credential,
                           modified: str | None = None) -> dict[str, Any]:
    """The credential as a schema.org EducationalOccupationalCredential."""
    url = credential_url(site, credential)
    issuer = credential.issuer
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "@id": url,
        "url": url,
        "name": credential.name,
        "description": credential.summary,
        "credentialCategory": {"@type": "DefinedTerm", "termCode": credential.achievement_type,
                               "name": p.label(credential.achievement_type)},
        "educationalLevel": p.level_text(credential.level),
        "provider": {"@type": "Organization", "name": issuer.name, "url": issuer.url,
                     "sameAs": site.absolute(page_path(ISSUERS, issuer.id)),
                     "address": {"@type": "PostalAddress", "addressCountry": issuer.country}},
        "competencyRequired": [{"@type": "DefinedTerm", "name": s.name,
                                "url": site.absolute(page_path(SKILLS, s.id))}
                               for s in credential.skills],
        "inLanguage": credential.languages,
        "timeRequired": f"PT{credential.workload.hours:g}H",
        "offers": {"@type": "Offer", "category": "Fees",
                   "price": "0" if credential.cost.free else f"{credential.cost.amount}",
                   **({} if credential.cost.free else
                      {"priceCurrency": credential.cost.currency})},
    }
    if credential.recognition:
        data["recognizedBy"] = [{"@type": "Organization", "name": r.name,
                                 **({"url": r.url} if r.url else {})}
                                for r in credential.recognition]
    if credential.occupations:
        data["about"] = [{"@type": "DefinedTerm", "name": o.title, "termCode": o.code,
                          "inDefinedTermSet": ONET_FRAMEWORK, "url": onet_url(o.code)}
                         for o in credential.occupations]
    if credential.validity_months:
        data["validFor"] = f"P{credential.validity_months}M"
    if modified:
        data["dateModified"] = modified
    if credential.tags:
        data["keywords"] = ", ".join(credential.tags)
    if credential.image:
        data["image"] = site.absolute(credential.image)
    return data


def script_json(data: Any) -> Markup:
    """JSON safe inside `<script type="application/ld+json">`: `<`, `>` and `&` escaped, so a
    value holding `</script>` or `<!--` cannot end the element or change how it is parsed."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
