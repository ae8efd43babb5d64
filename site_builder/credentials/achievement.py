"""The Open Badges 3.0 shapes of a catalog credential: its Achievement and its issuer's Profile.

`credcat issue` embeds the Achievement in every signed credential and the site publishes the same
object as `achievement.json`, so the catalog page, its JSON export and every badge describe a
credential identically. OB 3.0 data model: https://www.imsglobal.org/spec/ob/v3p0/
"""

from __future__ import annotations

from typing import Any

from site_builder.catalog.model import Credential, Issuer
from site_builder.contract import credential_url
from site_builder.urls import SKILLS, Site, page_path

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ONET_FRAMEWORK = "O*NET-SOC 2019"
ONET_FRAMEWORK_URL = "https://www.onetcenter.org/taxonomy/2019/list.html"


def onet_url(code: str) -> str:
    return f"https://www.onetonline.org/link/summary/{code}"


def issuer_profile(site: Site, issuer: Issuer) -> dict[str, Any]:
    """The OB 3.0 Profile of an issuer: its DID, with the catalog's name and address."""
    return {
        "id": site.issuer_did(issuer.id),
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }


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
        "description": credential.summary,
        "criteria": {"id": url + "#criteria", "narrative": credential.evaluation.narrative},
        "creator": issuer_profile(site, credential.issuer),
        "alignment": _alignments(site, credential),
        "inLanguage": credential.languages[0],
        "version": credential.version,
    }
    if credential.workload.ects:
        result["creditsAvailable"] = credential.workload.ects
    if credential.tags:
        result["tag"] = credential.tags
    if credential.image:
        result["image"] = {"id": site.absolute(credential.image), "type": "Image"}
    return result


def achievement_document(site: Site, credential: Credential) -> dict[str, Any]:
    """The Achievement as a standalone JSON-LD file (`achievement.json`)."""
    return {"@context": OB_CONTEXT, **achievement(site, credential)}


