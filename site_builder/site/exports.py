"""Machine-readable views of the model: CTDL JSON-LD, pathway records and catalog.json with
its parts.

The Open Badges Achievement is shaped in credentials/achievement.py, the one place `credcat
issue` and the credential page both take it from.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterator
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
    Text,
)
from site_builder.contract import credential_url, key_record
from site_builder.credentials.achievement import (
    EQF_FRAMEWORK,
    EQF_URL,
    ONET_FRAMEWORK,
    ONET_FRAMEWORK_URL,
    onet_url,
)
from site_builder.dates import xsd
from site_builder.site import spreadsheet
from site_builder.site.export_cache import EntryMemo
from site_builder.urls import CREDENTIALS, ISSUERS, OCCUPATIONS, PATHWAYS, SKILLS, Site, page_path

CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
def pathway_record(site: Site, pathway: Pathway) -> dict[str, Any]:
    """A pathway's stages and members, for progress views in the browser (by id in its
    `data/pathways/` shard)."""
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
#
# Each CTDL document is the graph the Credential Engine Registry serves at /graph/<ctid> and
# its Assistant API takes to publish (`publishGraph`): the record first, then the blank nodes it
# refers to (a pathway's graph also holds its components). Records refer to each other by
# registry URIs built from CTIDs, so a set of exports can be published as they are, the issuers'
# Organization records first. Which properties each class needs is Credential Engine's rule, read
# from its own published sources: the Registry Assistant's request models and validation code
# (https://github.com/CredentialEngine/Registry_Assistant) and the CTDL schema
# (https://credreg.net/ctdl/terms); tests/fixtures/ctdl/ holds the rules the tests check, with
# their sources. Where the catalog gives no CTID, one is derived from the page address (see
# `derived_ctid`) and the credential page says so.

REGISTRY = "https://credentialengineregistry.org"
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
    "online": ("deliveryType:OnlineOnly", "Online Only"),
    "in-person": ("deliveryType:InPersonOnly", "In Person Only"),
    "blended": ("deliveryType:BlendedDelivery", "Blended Delivery"),
}
# ceterms:OrganizationType and ceterms:AgentSector (https://credreg.net/ctdl/terms) for each
# issuer kind. The catalog does not record the sector, so it follows from the kind; check it
# before publishing an Organization whose sector differs.
_AGENT = {
    "university": ("orgType:Postsecondary", "agentSector:Public"),
    "college": ("orgType:Postsecondary", "agentSector:Public"),
    "employer": ("orgType:Business", "agentSector:PrivateForProfit"),
    "professional-association": ("orgType:ProfessionalAssociation",
                                 "agentSector:PrivateNonProfit"),
    "training-provider": ("orgType:TrainingProvider", "agentSector:PrivateForProfit"),
    "government": ("orgType:Government", "agentSector:Public"),
    "nonprofit": ("orgType:TrainingProvider", "agentSector:PrivateNonProfit"),
}
# Recognition kinds (credential.schema.json) to the CTDL property that states them.
_RECOGNITION = {"regulator": "ceterms:regulatedBy", "government": "ceterms:approvedBy"}
_SCHEMES = {"credentialStat": "CredentialStatus", "lifeCycle": "LifeCycleStatus",
            "deliveryType": "Delivery", "orgType": "OrganizationType",
            "agentSector": "AgentSector"}


def derived_ctid(url: str) -> str:
    """A stable CTID for entities without one, so re-exports do not churn the registry."""
    return "ce-" + str(uuid.uuid5(uuid.NAMESPACE_URL, url))


def credential_ctid(site: Site, credential: Credential) -> str:
    """The CTID the catalog assigns, or one derived from the credential's page address."""
    return credential.ctid or derived_ctid(credential_url(site, credential))


def issuer_ctid(site: Site, issuer: Issuer) -> str:
    return derived_ctid(site.absolute(page_path(ISSUERS, issuer.id)))


def resource_uri(ctid: str) -> str:
    """The registry address of a record, the form every reference between records takes."""
    return f"{REGISTRY}/resources/{ctid}"


def _graph(ctid: str, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"@context": CTDL_CONTEXT, "@id": f"{REGISTRY}/graph/{ctid}", "@graph": nodes}


def _blank(key: str) -> str:
    return "_:" + str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def _lang(credential_language: str, text: str) -> dict[str, str]:
    """A CTDL language map (https://credreg.net/ctdl/terms, "Language Map"): the catalog's
    text under its language; every translation when the catalog has them (`model.Text`), the
    default language's first."""
    if isinstance(text, Text) and len(text.translations) > 1:
        return {text.language: str(text), **{code: value for code, value
                                             in text.translations.items()
                                             if code != text.language}}
    return {credential_language: text}


def _concept(term: str, name: str, lang: str) -> dict[str, Any]:
    """A CredentialAlignmentObject naming a concept of a CTDL concept scheme."""
    scheme = _SCHEMES[term.split(":", 1)[0]]
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": f"https://credreg.net/ctdl/terms/{scheme}",
        "ceterms:targetNode": term,
        "ceterms:targetNodeName": _lang(lang, name),
    }


def _occupation_types(occupation: Occupation, lang: str) -> list[dict[str, Any]]:
    result = [{
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:codedNotation": occupation.code,
        "ceterms:framework": ONET_FRAMEWORK_URL,
        "ceterms:frameworkName": _lang(lang, ONET_FRAMEWORK),
        "ceterms:targetNode": onet_url(occupation.code),
        "ceterms:targetNodeName": _lang(lang, occupation.title),
    }]
    if occupation.esco:
        result.append({
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:framework": "https://esco.ec.europa.eu/en/classification/occupation_main",
            "ceterms:frameworkName": _lang(lang, "ESCO"),
            "ceterms:targetNode": occupation.esco,
            "ceterms:targetNodeName": _lang(lang, occupation.title),
        })
    return result


def _duration(hours: float) -> str:
    """ISO 8601 duration in whole hours and minutes (the registry's pattern has no fractions)."""
    whole, minutes = divmod(round(hours * 60), 60)
    text = "PT" + (f"{whole}H" if whole else "") + (f"{minutes}M" if minutes else "")
    return text if text != "PT" else "PT0H"


def _organization_node(key: str, name: str, url: str, lang: str,
                       kind: str = "ceterms:CredentialOrganization") -> tuple[str, dict[str, Any]]:
    """A blank node for an organisation that is not in the registry: type, name and webpage."""
    node_id = _blank(key)
    return node_id, {"@id": node_id, "@type": kind, "ceterms:name": _lang(lang, name),
                     "ceterms:subjectWebpage": url}


def _quality_assurance(issuer: Issuer, lang: str) -> tuple[str, dict[str, Any]] | None:
    qa = issuer.quality_assurance
    if qa.type not in ("external-accreditation", "regulated") or not (qa.body and qa.url):
        return None
    return _organization_node(f"qa:{qa.url}", qa.body, qa.url, lang,
                              "ceterms:QACredentialOrganization")


def ctdl_organization(site: Site, issuer: Issuer) -> dict[str, Any]:
    """`issuers/<id>/ctdl.json`: the issuer as a ceterms:CredentialOrganization."""
    lang = "en"
    ctid = issuer_ctid(site, issuer)
    agent_type, sector = _AGENT[issuer.kind]
    record: dict[str, Any] = {
        "@type": "ceterms:CredentialOrganization",
        "@id": resource_uri(ctid),
        "ceterms:ctid": ctid,
        "ceterms:name": _lang(lang, issuer.name),
        "ceterms:description": _lang(lang, issuer.description.strip()),
        "ceterms:subjectWebpage": issuer.url,
        "ceterms:agentType": [_concept(agent_type, agent_type.split(":")[1], lang)],
        "ceterms:agentSectorType": [_concept(sector, sector.split(":")[1], lang)],
        "ceterms:email": [issuer.email],
        "ceterms:lifeCycleStatusType": _concept("lifeCycle:Active", "Active", lang),
    }
    if issuer.logo:
        record["ceterms:image"] = site.absolute(issuer.logo)
    nodes = []
    assurance = _quality_assurance(issuer, lang)
    if assurance:
        record["ceterms:accreditedBy"] = [assurance[0]]
        nodes.append(assurance[1])
    return _graph(ctid, [record, *nodes])


def _condition(description: str, lang: str, **properties: Any) -> dict[str, Any]:
    return {"@type": "ceterms:ConditionProfile", "ceterms:description": _lang(lang, description),
            **properties}


def ctdl_credential(site: Site, credential: Credential) -> dict[str, Any]:
    """A credential's graph document, under its id in its `data/ctdl/` shard."""
    url = credential_url(site, credential)
    lang = credential.languages[0]
    ctid = credential_ctid(site, credential)
    owner = [resource_uri(issuer_ctid(site, credential.issuer))]
    status = ("credentialStat:Active", "Active") if credential.active else (
        "credentialStat:Deprecated", "Deprecated")
    requirement = _condition(
        f"To earn {credential.name}: {credential.evaluation.pass_threshold}", lang,
        **{"ceterms:targetCompetency": [{
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:targetNode": site.absolute(page_path(SKILLS, skill.id)),
            "ceterms:targetNodeName": _lang(lang, skill.name),
        } for skill in credential.skills]})
    if credential.workload.ects:
        requirement["ceterms:creditValue"] = [{
            "@type": "ceterms:ValueProfile", "schema:value": credential.workload.ects,
            "schema:description": _lang(lang, "ECTS credits")}]
        requirement["ceterms:creditUnitTypeDescription"] = _lang(
            lang, "ECTS (European Credit Transfer and Accumulation System)")
    result: dict[str, Any] = {
        "@id": resource_uri(ctid),
        "@type": _CTDL_TYPES.get(credential.achievement_type, "ceterms:Badge"),
        "ceterms:ctid": ctid,
        "ceterms:name": _lang(lang, credential.name),
        "ceterms:description": _lang(lang, credential.summary),
        "ceterms:ownedBy": owner,
        "ceterms:offeredBy": owner,
        "ceterms:subjectWebpage": credential.url or url,
        "ceterms:inLanguage": credential.languages,
        "ceterms:credentialStatusType": _concept(*status, lang),
        "ceterms:learningDeliveryType": [_concept(*_DELIVERY[credential.participation], lang)],
        "ceterms:estimatedDuration": [{
            "@type": "ceterms:DurationProfile",
            "ceterms:exactDuration": _duration(credential.workload.hours),
            "ceterms:description": _lang(lang, "Notional workload"),
        }],
        "ceterms:requires": [requirement],
    }
    nodes: list[dict[str, Any]] = []
    if credential.image:
        result["ceterms:image"] = site.absolute(credential.image)
    if credential.level.eqf:
        result["ceterms:atLevel"] = [{
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:framework": EQF_URL,
            "ceterms:frameworkName": _lang(lang, EQF_FRAMEWORK),
            "ceterms:codedNotation": str(credential.level.eqf),
            "ceterms:targetNodeName": _lang(lang, f"EQF level {credential.level.eqf}"),
        }]
    if credential.validity_months:
        result["ceterms:renewalFrequency"] = f"P{credential.validity_months}M"
    if not credential.cost.free:
        result["ceterms:estimatedCost"] = [{
            "@type": "ceterms:CostProfile",
            "ceterms:description": _lang(lang, credential.cost.note or
                                         f"The cost of earning {credential.name}."),
            "ceterms:costDetails": credential.url or url,
            "ceterms:price": float(credential.cost.amount or 0),
            "ceterms:currency": credential.cost.currency,
        }]
    if credential.occupations:
        result["ceterms:occupationType"] = [
            t for o in credential.occupations for t in _occupation_types(o, lang)]
    if credential.prerequisites or credential.prerequisites_text:
        names = [c.name for c in credential.prerequisites]
        text = credential.prerequisites_text or "Earn first: " + "; ".join(names) + "."
        condition = _condition(text, lang)
        if credential.prerequisites:
            condition["ceterms:targetCredential"] = [
                resource_uri(credential_ctid(site, c)) for c in credential.prerequisites]
        result["ceterms:requires"].append(condition)
    if credential.stacks_into:
        result["ceterms:isPreparationFor"] = [_condition(
            "Counts towards: " + "; ".join(c.name for c in credential.stacks_into) + ".", lang,
            **{"ceterms:targetCredential": [resource_uri(credential_ctid(site, c))
                                            for c in credential.stacks_into]})]
    if credential.tags:
        result["ceterms:keyword"] = {lang: list(credential.tags)}
    assurance = _quality_assurance(credential.issuer, lang)
    if assurance:
        result["ceterms:accreditedBy"] = [assurance[0]]
        nodes.append(assurance[1])
    for recognition in credential.recognition:
        if not recognition.url:
            continue  # the registry needs a webpage for an organisation it does not hold
        node_id, node = _organization_node(f"recognition:{recognition.url}", recognition.name,
                                           recognition.url, lang)
        prop = _RECOGNITION.get(recognition.kind, "ceterms:recognizedBy")
        result.setdefault(prop, []).append(node_id)
        nodes.append(node)
    return _graph(ctid, [result, *nodes])


def _at_least(text: str, fallback: str) -> str:
    """`text` when long enough for the registry's 15-character minimum, else `fallback`."""
    return text if len(text.strip()) >= 15 else fallback


def ctdl_pathway(site: Site, pathway: Pathway) -> dict[str, Any]:
    """A ceterms:Pathway whose destination is the goal, with one component per credential."""
    url = site.absolute(page_path(PATHWAYS, pathway.id))
    lang = "en"
    ctid = derived_ctid(url)
    pathway_uri = resource_uri(ctid)
    destination_uri = resource_uri(derived_ctid(url + "#destination"))
    stage_uris = [[resource_uri(derived_ctid(f"{url}#stage-{s}-{c.id}"))
                   for c in stage.credentials] for s, stage in enumerate(pathway.stages)]
    component_uris = [u for uris in stage_uris for u in uris]
    components: list[dict[str, Any]] = []
    for s, stage in enumerate(pathway.stages):
        following = stage_uris[s + 1] if s + 1 < len(stage_uris) else []
        for credential, component_uri in zip(stage.credentials, stage_uris[s], strict=True):
            credential_type = _CTDL_TYPES.get(credential.achievement_type, "ceterms:Badge")
            component: dict[str, Any] = {
                "@id": component_uri,
                "@type": "ceterms:CredentialComponent",
                "ceterms:ctid": component_uri.rsplit("/", 1)[1],
                "ceterms:name": _lang(lang, credential.name),
                "ceterms:description": _lang(lang, credential.summary),
                "ceterms:credentialType": "https://purl.org/ctdl/terms/"
                                          + credential_type.split(":", 1)[1],
                "ceterms:proxyFor": resource_uri(credential_ctid(site, credential)),
                "ceterms:subjectWebpage": credential_url(site, credential),
                "ceterms:isPartOf": [pathway_uri],
                "ceasn:isChildOf": [destination_uri],
            }
            if following:
                component["ceterms:precedes"] = following
            components.append(component)
    goal = pathway.goal_role or pathway.name
    destination: dict[str, Any] = {
        "@id": destination_uri,
        "@type": "ceterms:JobComponent" if pathway.goal_occupation or pathway.goal_role
        else "ceterms:BasicComponent",
        "ceterms:ctid": destination_uri.rsplit("/", 1)[1],
        "ceterms:name": _lang(lang, goal),
        "ceterms:description": _lang(lang, f"The goal of the pathway '{pathway.name}': {goal}."),
        "ceterms:subjectWebpage": url,
        "ceterms:isPartOf": [pathway_uri],
        "ceterms:isDestinationComponentOf": [pathway_uri],
        "ceasn:hasChild": component_uris,
        "ceterms:hasCondition": [{
            "@type": "ceterms:ComponentCondition",
            "ceterms:name": _lang(lang, stage.name),
            "ceterms:description": _lang(lang, _at_least(
                stage.description or "", f"Earn {stage.required} of the "
                f"{len(stage.credentials)} credentials of the stage '{stage.name}'.")),
            "ceterms:requiredNumber": stage.required,
            "ceterms:targetComponent": stage_uris[s],
        } for s, stage in enumerate(pathway.stages)],
    }
    if pathway.goal_occupation:
        destination["ceterms:occupationType"] = _occupation_types(pathway.goal_occupation, lang)
    owners = list(dict.fromkeys(resource_uri(issuer_ctid(site, c.issuer))
                                for stage in pathway.stages for c in stage.credentials))
    head = {
        "@id": pathway_uri,
        "@type": "ceterms:Pathway",
        "ceterms:ctid": ctid,
        "ceterms:name": _lang(lang, pathway.name),
        "ceterms:description": _lang(lang, pathway.description),
        "ceterms:ownedBy": owners,
        "ceterms:offeredBy": owners,
        "ceterms:subjectWebpage": url,
        "ceterms:lifeCycleStatusType": _concept("lifeCycle:Active", "Active", lang),
        "ceterms:hasDestinationComponent": [destination_uri],
        "ceterms:hasPart": [destination_uri, *component_uris],
    }
    return _graph(ctid, [head, destination, *components])


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


# Static hosts refuse large files: Cloudflare Pages takes at most 25 MiB per file. The
# credentials' part of catalog.json passed that at about 10,000 credentials (265 MB at
# 100,000), so they are published in parts of at most PART_BYTES each, listed in catalog.json
# as a sitemap index lists sitemaps.
CATALOG_PATH = "catalog.json"
CATALOG_PART = "data/catalog/{part}.json"
CATALOG_CSV_PART = "data/catalog/{part}.csv"
PART_BYTES = 10_000_000


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _with_url(site: Site, obj: Any, section: str) -> dict[str, Any]:
    return {**_plain(obj, top=True), "url": site.absolute(page_path(section, _entity_id(obj)))}


def catalog_credential(site: Site, credential: Credential) -> dict[str, Any]:
    """A credential as the catalog's JSON publishes it, with the URL of its page."""
    return {**_with_url(site, credential, CREDENTIALS),
            "pathways": [p.id for p in credential.pathways]}


def catalog_files(site: Site, catalog: Catalog, part_bytes: int = PART_BYTES,
                  memo: EntryMemo | None = None) -> Iterator[tuple[str, str]]:
    """catalog.json, its credential parts of at most `part_bytes` each, and the spreadsheet:
    catalog.csv with every credential while it fits within `part_bytes`, else a CSV per part
    (each with its header row, so each opens on its own) that catalog.csv lists. Under
    `credcat serve`, `memo` keeps each credential's entry and row across rebuilds."""
    credentials = list(catalog.credentials.values())

    def entry(credential: Credential) -> str:
        if memo is None:
            return _compact(catalog_credential(site, credential))
        return memo.value("catalog.json:credentials", "", credential,
                          lambda: _compact(catalog_credential(site, credential)))

    def row(at: Site, credential: Credential) -> list[str]:
        if memo is None:
            return spreadsheet.credential_row(at, credential)
        return memo.value("catalog.csv", "", credential,
                          lambda: spreadsheet.credential_row(at, credential))

    # A part is its entries, a comma after each but the last, and its envelope. Parts are
    # made and handed on one at a time (a full build writes each before the next is made):
    # together they are a quarter of a gigabyte at 100,000 credentials.
    budget = part_bytes - len(f'{{"part":{len(credentials)},"credentials":[]}}\n')
    parts: list[range] = []
    listed = []
    members: list[str] = []
    start = total = 0

    def part(members: list[str], start: int) -> tuple[str, str]:
        number = len(parts)
        parts.append(range(start, start + len(members)))
        path = CATALOG_PART.format(part=number)
        listed.append({"url": site.absolute(path), "credentials": len(members)})
        return path, f'{{"part":{number},"credentials":[{",".join(members)}]}}\n'

    for position, credential in enumerate(credentials):
        text = entry(credential)
        size = len(text.encode()) + 1
        if members and total + size > budget:
            yield part(members, start)
            members, start, total = [], position, 0
        members.append(text)
        total += size
    if members or not parts:
        yield part(members, start)
    del members
    whole = spreadsheet.catalog_csv(site, catalog, row)
    if len(whole.encode()) <= part_bytes:
        yield spreadsheet.CSV_PATH, whole
        sheets = [site.absolute(spreadsheet.CSV_PATH)]
    else:
        del whole
        # catalog.csv stays, every page links to it: it lists the parts, as sitemap.xml
        # becomes a sitemap index when the site outgrows one sitemap.
        sheets = []
        for number, members_of in enumerate(parts):
            path = CATALOG_CSV_PART.format(part=number)
            yield path, spreadsheet.credentials_csv(
                site, (credentials[i] for i in members_of), row)
            sheets.append(site.absolute(path))
        yield spreadsheet.CSV_PATH, spreadsheet.parts_csv(
            [(url, len(members_of)) for url, members_of in zip(sheets, parts, strict=True)])
    index = {
        "site": site.url,
        "credentialCount": len(credentials),
        "credentialParts": listed,
        "spreadsheets": sheets,
        "issuers": [{**_with_url(site, i, ISSUERS), "did": site.issuer_did(i.id)}
                    for i in catalog.issuers.values()],
        "pathways": [_with_url(site, p, PATHWAYS) for p in catalog.pathways.values()],
        "skills": [_with_url(site, s, SKILLS) for s in catalog.skills.values()],
        "occupations": [{**_with_url(site, o, OCCUPATIONS),
                         "credentials": [c.id for c in o.credentials]}
                        for o in catalog.occupations.values()],
        "keys": [key_record(site, k) for k in catalog.keys],
    }
    yield CATALOG_PATH, _compact(index) + "\n"
