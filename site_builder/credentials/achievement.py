"""The Open Badges 3.0 shapes of a catalog credential: its Achievement and its issuer's Profile.

`credcat issue` embeds the Achievement in every signed credential and the site publishes the same
object as JSON-LD in the credential's page (its `id`), so the page, its JSON-LD and every badge
describe a credential identically. OB 3.0 data model: https://www.imsglobal.org/spec/ob/v3p0/

The elements the EU Council Recommendation on micro-credentials (2022/C 243/02, Annex I,
https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32022H0627(02)) asks every
micro-credential to carry travel inside the credential, each in a field OB 3.0 defines and its
pinned context (contexts/ob-v3p0-context-3.0.3.json) maps: the issuer's country in the Profile's
`address`, the EQF level as an `alignment`, ECTS credits in `creditsAvailable`, the learning
outcomes and assessment in `criteria.narrative`, workload, participation, quality assurance,
prerequisites and language in `description`. No context of our own is added: verifiers that meet
an unknown context refuse to load the credential. docs/guides/issuers.md has the mapping table.
"""

from __future__ import annotations

from typing import Any

import pycountry

from site_builder.catalog.model import Credential, Issuer
from site_builder.contract import credential_url
from site_builder.urls import SKILLS, Site, page_path

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ONET_FRAMEWORK = "O*NET-SOC 2019"
ONET_FRAMEWORK_URL = "https://www.onetcenter.org/taxonomy/2019/list.html"
EQF_FRAMEWORK = "European Qualifications Framework"
EQF_URL = "https://europass.europa.eu/en/description-eight-eqf-levels"


def onet_url(code: str) -> str:
    return f"https://www.onetonline.org/link/summary/{code}"


def issuer_address(issuer: Issuer) -> dict[str, Any]:
    """OB 3.0 Address with the issuer's country (Annex I: country of the issuer) and region."""
    address: dict[str, Any] = {"type": ["Address"], "addressCountryCode": issuer.country}
    country = pycountry.countries.get(alpha_2=issuer.country)
    if country is not None:
        address["addressCountry"] = country.name
    if issuer.region:
        address["addressRegion"] = issuer.region
    return address


def issuer_profile(site: Site, issuer: Issuer) -> dict[str, Any]:
    """The OB 3.0 Profile of an issuer: its DID, with the catalog's name and address."""
    return {
        "id": site.issuer_did(issuer.id),
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "address": issuer_address(issuer),
    }


def _words(code: str) -> str:
    """A catalog code such as 'external-accreditation' as words."""
    return code.replace("-", " ")


def _number(value: float) -> str:
    return f"{value:g}"


def _facts(credential: Credential) -> list[str]:
    """Annex I elements without an OB 3.0 field of their own, as Markdown list items."""
    workload = f"{_number(credential.workload.hours)} hours"
    if credential.workload.ects:
        workload += f" ({_number(credential.workload.ects)} ECTS credits)"
    level = credential.level.label
    if credential.level.eqf:
        level = f"EQF level {credential.level.eqf} ({level})"
    qa = credential.issuer.quality_assurance
    assurance = credential.quality_assurance or (
        _words(qa.type) + (f" by {qa.body}" if qa.body else ""))
    facts = [f"Notional workload: {workload}", f"Level: {level}",
             f"Form of participation: {_words(credential.participation)}",
             f"Type of quality assurance: {assurance}",
             "Language: " + ", ".join(credential.languages)]
    prerequisites = [c.name for c in credential.prerequisites]
    if credential.prerequisites_text:
        prerequisites.append(credential.prerequisites_text)
    if prerequisites:
        facts.append("Prerequisites: " + "; ".join(prerequisites))
    if credential.validity_months:
        facts.append(f"Valid for {credential.validity_months} months from the award")
    if credential.stacks_into:
        facts.append("Stacks into: " + ", ".join(c.name for c in credential.stacks_into))
    return [f"- {fact}" for fact in facts]


def _description(credential: Credential) -> str:
    return "\n".join([credential.summary, "", *_facts(credential)])


def _criteria(credential: Credential) -> str:
    """How the credential is earned: learning outcomes and assessment (Annex I), in Markdown."""
    evaluation = credential.evaluation
    methods = [_words(m.type) + (f" ({m.weight_percent}%)" if m.weight_percent else "")
               for m in evaluation.methods]
    lines = [evaluation.narrative.strip(), "", "Learning outcomes:", "",
             *[f"- {outcome}" for outcome in credential.learning_outcomes], "",
             "Type of assessment: " + ", ".join(methods) + ".",
             f"Pass threshold: {evaluation.pass_threshold}"]
    conditions = credential.assessment_conditions
    if conditions:
        supervised = {True: "supervised", False: "not supervised", None: ""}[conditions.supervised]
        lines.append("Identity verification: " + _words(conditions.identity_verification)
                     + (f"; {supervised}" if supervised else "") + ".")
    return "\n".join(lines)


def _alignments(site: Site, credential: Credential) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for skill in credential.skills:
        result.append({
            "type": ["Alignment"],
            "targetName": skill.name,
            "targetUrl": site.absolute(page_path(SKILLS, skill.id)),
            "targetDescription": skill.description,
            "targetType": "ceasn:Competency",
        })
        for alignment in skill.alignments:
            entry = {
                "type": ["Alignment"],
                "targetName": alignment.name or skill.name,
                "targetUrl": alignment.url,
                "targetFramework": alignment.framework,
                "targetType": "ceasn:Competency",
            }
            if alignment.code:
                entry["targetCode"] = alignment.code
            result.append(entry)
    if credential.level.eqf:
        result.append({
            "type": ["Alignment"],
            "targetName": f"EQF level {credential.level.eqf}",
            "targetUrl": EQF_URL,
            "targetCode": str(credential.level.eqf),
            "targetFramework": EQF_FRAMEWORK,
            "targetType": "ext:EQFLevel",
        })
    for occupation in credential.occupations:
        result.append({
            "type": ["Alignment"],
            "targetName": occupation.title,
            "targetUrl": onet_url(occupation.code),
            "targetCode": occupation.code,
            "targetFramework": ONET_FRAMEWORK,
            "targetType": "ext:Occupation",
        })
        if occupation.esco:
            result.append({
                "type": ["Alignment"],
                "targetName": occupation.title,
                "targetUrl": occupation.esco,
                "targetFramework": "ESCO",
                "targetType": "ext:Occupation",
            })
    return result


def achievement(site: Site, credential: Credential) -> dict[str, Any]:
    """OB 3.0 Achievement for a catalog credential (no @context: it is embedded)."""
    url = credential_url(site, credential)
    result: dict[str, Any] = {
        "id": url,
        "type": ["Achievement"],
        "achievementType": credential.achievement_type,
        "name": credential.name,
        "description": _description(credential),
        "criteria": {"id": url + "#criteria", "narrative": _criteria(credential)},
        "creator": issuer_profile(site, credential.issuer),
        "alignment": _alignments(site, credential),
        "inLanguage": credential.languages[0],
        "version": credential.version,
    }
    if credential.workload.ects:
        # OB 3.0 gives creditsAvailable no unit; the description says they are ECTS credits.
        result["creditsAvailable"] = credential.workload.ects
    if credential.tags:
        result["tag"] = credential.tags
    if credential.image:
        result["image"] = {"id": site.absolute(credential.image), "type": "Image"}
    return result


def achievement_document(site: Site, credential: Credential) -> dict[str, Any]:
    """The Achievement as a standalone JSON-LD document (in the credential page)."""
    return {"@context": OB_CONTEXT, **achievement(site, credential)}


