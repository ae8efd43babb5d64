"""Machine-readable views of the model: OB 3.0 Achievements, CTDL JSON-LD and catalog.json.

The Achievement built here is the same object `credcat issue` embeds in a signed credential,
so the catalog page, its JSON export and every badge describe a credential identically.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from site_builder.catalog.model import (
    Catalog,
    Credential,
    Issuer,
    Occupation,
    Pathway,
    Skill,
)
from site_builder.contract import credential_url, key_record
from site_builder.credentials.achievement import ONET_FRAMEWORK, ONET_FRAMEWORK_URL, onet_url
from site_builder.dates import xsd
from site_builder.urls import CREDENTIALS, ISSUERS, OCCUPATIONS, PATHWAYS, SKILLS, Site, page_path

CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
def pathway_record(site: Site, pathway: Pathway) -> dict[str, Any]:
    """`pathways/<id>/pathway.json`: stages and members, for progress views in the browser."""
    return {
        "id": pathway.id,
        "name": pathway.name,
        "url": site.absolute(page_path(PATHWAYS, pathway.id)),
        "goal": pathway.goal_role or pathway.name,
        "stages": [{
            "name": stage.name,
            "required": stage.required,
            "credentials": [{
                "id": c.id, "name": c.name, "url": credential_url(site, c),
                "hours": c.workload.hours,
                "cost": None if c.cost.free else {"amount": float(c.cost.amount or 0),
                                                  "currency": c.cost.currency},
            } for c in stage.credentials],
        } for stage in pathway.stages],
    }


# -- CTDL (Credential Engine) ---------------------------------------------------------------

_CTDL_TYPES = {
    "MicroCredential": "ceterms:MicroCredential",
    "Badge": "ceterms:OpenBadge",
    "Certificate": "ceterms:Certificate",
    "Certification": "ceterms:Certification",
    "CertificateOfCompletion": "ceterms:CertificateOfCompletion",
    "ApprenticeshipCertificate": "ceterms:ApprenticeshipCertificate",
    "License": "ceterms:License",
}
_DELIVERY = {
    "online": "deliveryType:OnlineOnly",
    "in-person": "deliveryType:InPersonOnly",
    "blended": "deliveryType:BlendedDelivery",
}


def derived_ctid(url: str) -> str:
    """A stable CTID for entities without one, so re-exports do not churn the registry."""
    return "ce-" + str(uuid.uuid5(uuid.NAMESPACE_URL, url))


def _lang(credential_language: str, text: str) -> dict[str, str]:
    return {credential_language: text}


def _occupation_type(occupation: Occupation, lang: str) -> dict[str, Any]:
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:codedNotation": occupation.code,
        "ceterms:framework": ONET_FRAMEWORK_URL,
        "ceterms:frameworkName": _lang(lang, ONET_FRAMEWORK),
        "ceterms:targetNode": onet_url(occupation.code),
        "ceterms:targetNodeName": _lang(lang, occupation.title),
    }


def ctdl_credential(site: Site, credential: Credential) -> dict[str, Any]:
    url = credential_url(site, credential)
    lang = credential.languages[0]
    result: dict[str, Any] = {
        "@context": CTDL_CONTEXT,
        "@id": url,
        "@type": _CTDL_TYPES.get(credential.achievement_type, "ceterms:Badge"),
        "ceterms:ctid": credential.ctid or derived_ctid(url),
        "ceterms:name": _lang(lang, credential.name),
        "ceterms:description": _lang(lang, credential.summary),
        "ceterms:ownedBy": [site.absolute(page_path(ISSUERS, credential.issuer.id))],
        "ceterms:subjectWebpage": credential.url or url,
        "ceterms:inLanguage": credential.languages,
        "ceterms:credentialStatusType": {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:targetNode": "credentialStat:Active" if credential.active
            else "credentialStat:Deprecated",
        },
        "ceterms:learningDeliveryType": [{
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:targetNode": _DELIVERY[credential.participation],
        }],
        "ceterms:estimatedDuration": [{
            "@type": "ceterms:DurationProfile",
            "ceterms:exactDuration": f"PT{credential.workload.hours:g}H",
        }],
        "ceterms:requires": [{
            "@type": "ceterms:ConditionProfile",
            "ceterms:description": _lang(lang, credential.evaluation.pass_threshold),
            "ceterms:targetCompetency": [{
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:targetNode": site.absolute(page_path(SKILLS, skill.id)),
                "ceterms:targetNodeName": _lang(lang, skill.name),
            } for skill in credential.skills],
        }],
    }
    if not credential.cost.free:
        result["ceterms:estimatedCost"] = [{
            "@type": "ceterms:CostProfile",
            "ceterms:price": float(credential.cost.amount or 0),
            "ceterms:currency": credential.cost.currency,
        }]
    if credential.occupations:
        result["ceterms:occupationType"] = [_occupation_type(o, lang)
                                            for o in credential.occupations]
    if credential.prerequisites or credential.prerequisites_text:
        condition: dict[str, Any] = {"@type": "ceterms:ConditionProfile"}
        if credential.prerequisites_text:
            condition["ceterms:description"] = _lang(lang, credential.prerequisites_text)
        if credential.prerequisites:
            condition["ceterms:targetCredential"] = [credential_url(site, c)
                                                     for c in credential.prerequisites]
        result["ceterms:requires"].append(condition)
    if credential.stacks_into:
        result["ceterms:isPartOf"] = [credential_url(site, c) for c in credential.stacks_into]
    if credential.tags:
        result["ceterms:keyword"] = _lang(lang, ", ".join(credential.tags))
    return result


def ctdl_pathway(site: Site, pathway: Pathway) -> dict[str, Any]:
    """A ceterms:Pathway whose destination is the goal, with one component per credential."""
    url = site.absolute(page_path(PATHWAYS, pathway.id))
    lang = "en"
    destination_id = url + "#destination"
    component_ids: list[str] = []
    graph: list[dict[str, Any]] = []
    stage_ids = [[f"{url}#stage-{s}-{c.id}" for c in stage.credentials]
                 for s, stage in enumerate(pathway.stages)]
    for s, stage in enumerate(pathway.stages):
        following = stage_ids[s + 1] if s + 1 < len(stage_ids) else []
        for credential, component_id in zip(stage.credentials, stage_ids[s], strict=True):
            component_ids.append(component_id)
            component: dict[str, Any] = {
                "@id": component_id,
                "@type": "ceterms:CredentialComponent",
                "ceterms:ctid": derived_ctid(component_id),
                "ceterms:name": _lang(lang, credential.name),
                "ceterms:proxyFor": credential_url(site, credential),
                "ceasn:isChildOf": [destination_id],
            }
            if following:
                component["ceterms:precedes"] = following
            graph.append(component)
    destination: dict[str, Any] = {
        "@id": destination_id,
        "@type": "ceterms:JobComponent",
        "ceterms:ctid": derived_ctid(destination_id),
        "ceterms:name": _lang(lang, pathway.goal_role or pathway.name),
        "ceasn:hasChild": component_ids,
        "ceterms:hasCondition": [{
            "@type": "ceterms:ComponentCondition",
            "ceterms:name": _lang(lang, stage.name),
            "ceterms:requiredNumber": stage.required,
            "ceterms:targetComponent": stage_ids[s],
        } for s, stage in enumerate(pathway.stages)],
    }
    if pathway.goal_occupation:
        destination["ceterms:occupationType"] = [_occupation_type(pathway.goal_occupation, lang)]
    head = {
        "@id": url,
        "@type": "ceterms:Pathway",
        "ceterms:ctid": derived_ctid(url),
        "ceterms:name": _lang(lang, pathway.name),
        "ceterms:description": _lang(lang, pathway.description),
        "ceterms:subjectWebpage": url,
        "ceterms:hasDestinationComponent": [destination_id],
        "ceterms:hasPart": [destination_id, *component_ids],
    }
    return {"@context": CTDL_CONTEXT, "@graph": [head, destination, *graph]}


# -- catalog.json ----------------------------------------------------------------------------

_ENTITIES = (Issuer, Credential, Pathway, Skill, Occupation)
_BACK_REFERENCES = {"credentials", "pathways", "stacked_from", "led_from", "keys", "source"}


def _entity_id(value: Any) -> str:
    return value.code if isinstance(value, Occupation) else value.id


def _plain(value: Any, top: bool = False) -> Any:
    """JSON-ready copy of a model object; references to other entities become their ids."""
    if isinstance(value, _ENTITIES) and not top:
        return _entity_id(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        result = {}
        for item in dataclasses.fields(value):
            if item.name == "source" or (top and item.name in _BACK_REFERENCES):
                continue
            result[item.name] = _plain(getattr(value, item.name))
        if isinstance(value, Credential):
            result["cost"]["free"] = value.cost.free
        return result
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):  # the model's dates are typed; JSON gets their text
        return xsd(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def catalog_document(site: Site, catalog: Catalog) -> dict[str, Any]:
    """The whole catalog, with the URLs a client needs to link back to the pages."""

    def with_url(obj: Any, section: str) -> dict[str, Any]:
        return {**_plain(obj, top=True), "url": site.absolute(page_path(section, _entity_id(obj)))}

    return {
        "site": site.url,
        "issuers": [{**with_url(i, ISSUERS), "did": site.issuer_did(i.id)}
                    for i in catalog.issuers.values()],
        "credentials": [{**with_url(c, CREDENTIALS), "pathways": [p.id for p in c.pathways]}
                        for c in catalog.credentials.values()],
        "pathways": [with_url(p, PATHWAYS) for p in catalog.pathways.values()],
        "skills": [with_url(s, SKILLS) for s in catalog.skills.values()],
        "occupations": [{**with_url(o, OCCUPATIONS),
                         "credentials": [c.id for c in o.credentials]}
                        for o in catalog.occupations.values()],
        "keys": [key_record(site, k) for k in catalog.keys],
    }
