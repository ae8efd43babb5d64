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

A credential is in one language: OB 3.0's JSON Schema takes `name`, `description` and
`criteria.narrative` as plain strings, so VC 2.0's language-tagged values
(https://www.w3.org/TR/vc-data-model-2.0/#language-and-base-direction) would fail the 1EdTech
validator. `Wording` picks each catalog text in the learner's language, falling back to the
default language per field, and the few words credcat adds itself (`LABELS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pycountry

from site_builder.catalog.model import Credential, Issuer, Text
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


# The words credcat itself writes into a credential, per language; codes of the schemas' enums
# become words here too. A language without an entry gets the English words.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "workload": "Notional workload: {hours} hours", "ects": " ({ects} ECTS credits)",
        "level": "Level: {level}", "eqf": "EQF level {eqf} ({label})",
        "eqf-alignment": "EQF level {eqf}", "participation": "Form of participation: {form}",
        "assurance": "Type of quality assurance: {type}", "assured-by": " by {body}",
        "language": "Language: {codes}", "prerequisites": "Prerequisites: {items}",
        "validity": "Valid for {months} months from the award",
        "stacks-into": "Stacks into: {items}", "outcomes": "Learning outcomes:",
        "assessment": "Type of assessment: {methods}.", "threshold": "Pass threshold: {text}",
        "identity": "Identity verification: {how}", "supervised": "supervised",
        "not-supervised": "not supervised", "decimal-point": ".", "weight": " ({percent}%)",
        "then": "; ",
    },
    "fr": {
        "workload": "Charge de travail théorique\u00a0: {hours}\u00a0heures",
        "ects": " ({ects}\u00a0crédits ECTS)", "level": "Niveau\u00a0: {level}",
        "eqf": "niveau {eqf} du CEC ({label})", "eqf-alignment": "Niveau {eqf} du CEC",
        "participation": "Mode de participation\u00a0: {form}",
        "assurance": "Type d'assurance qualité\u00a0: {type}", "assured-by": " par {body}",
        "language": "Langue\u00a0: {codes}", "prerequisites": "Prérequis\u00a0: {items}",
        "validity": "Valable {months}\u00a0mois à compter de l'attribution",
        "stacks-into": "Compte pour\u00a0: {items}",
        "outcomes": "Acquis d'apprentissage\u00a0:",
        "assessment": "Type d'évaluation\u00a0: {methods}.",
        "threshold": "Seuil de réussite\u00a0: {text}",
        "identity": "Vérification de l'identité\u00a0: {how}", "supervised": "surveillée",
        "not-supervised": "non surveillée", "decimal-point": ",",
        "weight": " ({percent}\u00a0%)", "then": "\u00a0; ",
        # Enum codes of the schemas.
        "Introductory": "Initiation", "Intermediate": "Intermédiaire", "Advanced": "Avancé",
        "Expert": "Expert", "online": "en ligne", "in-person": "en présentiel",
        "blended": "hybride", "external-accreditation": "accréditation externe",
        "regulated": "encadrement réglementaire", "internal-review": "examen interne",
        "industry-endorsed": "reconnaissance sectorielle", "written-exam": "examen écrit",
        "online-quiz": "questionnaire en ligne", "practical-task": "tâche pratique",
        "observed-practice": "pratique observée", "portfolio": "portfolio",
        "project": "projet", "case-study": "étude de cas", "oral-exam": "examen oral",
        "simulation": "simulation", "peer-review": "évaluation par les pairs",
        "reflective-journal": "journal réflexif", "presentation": "présentation",
        "none": "aucune", "self-declared": "déclaration sur l'honneur",
        "online-id-check": "pièce d'identité vérifiée en ligne",
        "online-proctored": "surveillance en ligne",
        "in-person-id-check": "pièce d'identité vérifiée sur place",
    },
}


@dataclass
class Wording:
    """The language of one credential's texts.

    `language` None is the catalog's default language, as the site publishes it. Otherwise each
    catalog text is taken in `language`, or in the default language when that field has no
    translation: `fell_back` names those fields, so `credcat issue` can say so.
    """

    language: str | None = None
    fell_back: list[str] = field(default_factory=list)

    def text(self, value: str, where: str) -> str:
        if self.language is None or not isinstance(value, Text):
            return value
        chosen, fell_back = value.in_language(self.language)
        if fell_back and where not in self.fell_back:
            self.fell_back.append(where)
        return chosen

    def label(self, key: str, **values: Any) -> str:
        words = LABELS.get(self.language or "en", LABELS["en"])
        return words.get(key, LABELS["en"].get(key, key)).format(**values)

    def words(self, code: str) -> str:
        """A catalog code such as 'external-accreditation' as words."""
        words = LABELS.get(self.language or "en", {})
        return words.get(code) or _words(code)

    def number(self, value: float) -> str:
        return _number(value).replace(".", self.label("decimal-point"))


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


def issuer_profile(site: Site, issuer: Issuer, wording: Wording | None = None
                   ) -> dict[str, Any]:
    """The OB 3.0 Profile of an issuer: its DID, with the catalog's name and address."""
    return {
        "id": site.issuer_did(issuer.id),
        "type": ["Profile"],
        "name": (wording or Wording()).text(issuer.name, "issuer name"),
        "url": issuer.url,
        "email": issuer.email,
        "address": issuer_address(issuer),
    }


def _words(code: str) -> str:
    """A catalog code such as 'external-accreditation' as words."""
    return code.replace("-", " ")


def _number(value: float) -> str:
    return f"{value:g}"


def _facts(credential: Credential, say: Wording) -> list[str]:
    """Annex I elements without an OB 3.0 field of their own, as Markdown list items."""
    workload = say.label("workload", hours=say.number(credential.workload.hours))
    if credential.workload.ects:
        workload += say.label("ects", ects=say.number(credential.workload.ects))
    level = say.words(credential.level.label)
    if credential.level.eqf:
        level = say.label("eqf", eqf=credential.level.eqf, label=level)
    qa = credential.issuer.quality_assurance
    assurance = (say.text(credential.quality_assurance, "quality_assurance")
                 if credential.quality_assurance else (
                     say.words(qa.type) + (say.label("assured-by", body=qa.body)
                                           if qa.body else "")))
    facts = [workload, say.label("level", level=level),
             say.label("participation", form=say.words(credential.participation)),
             say.label("assurance", type=assurance),
             say.label("language", codes=", ".join(credential.languages))]
    prerequisites = [say.text(c.name, f"name of {c.id}") for c in credential.prerequisites]
    if credential.prerequisites_text:
        prerequisites.append(say.text(credential.prerequisites_text, "prerequisites.text"))
    if prerequisites:
        facts.append(say.label("prerequisites", items="; ".join(prerequisites)))
    if credential.validity_months:
        facts.append(say.label("validity", months=credential.validity_months))
    if credential.stacks_into:
        facts.append(say.label("stacks-into", items=", ".join(
            say.text(c.name, f"name of {c.id}") for c in credential.stacks_into)))
    return [f"- {fact}" for fact in facts]


def _description(credential: Credential, say: Wording) -> str:
    return "\n".join([say.text(credential.summary, "summary"), "", *_facts(credential, say)])


def _criteria(credential: Credential, say: Wording) -> str:
    """How the credential is earned: learning outcomes and assessment (Annex I), in Markdown."""
    evaluation = credential.evaluation
    methods = [say.words(m.type) + (say.label("weight", percent=m.weight_percent)
                                    if m.weight_percent else "") for m in evaluation.methods]
    lines = [say.text(evaluation.narrative, "evaluation.narrative").strip(), "",
             say.label("outcomes"), "",
             *[f"- {say.text(outcome, 'learning_outcomes')}"
               for outcome in credential.learning_outcomes], "",
             say.label("assessment", methods=", ".join(methods)),
             say.label("threshold", text=say.text(evaluation.pass_threshold,
                                                  "evaluation.pass_threshold"))]
    conditions = credential.assessment_conditions
    if conditions:
        supervised = {True: say.label("supervised"), False: say.label("not-supervised"),
                      None: ""}[conditions.supervised]
        lines.append(say.label("identity", how=say.words(conditions.identity_verification)
                               + (say.label("then") + supervised if supervised else "")) + ".")
    return "\n".join(lines)


def _alignments(site: Site, credential: Credential, say: Wording) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for skill in credential.skills:
        skill_name = say.text(skill.name, f"name of skill {skill.id}")
        result.append({
            "type": ["Alignment"],
            "targetName": skill_name,
            "targetUrl": site.absolute(page_path(SKILLS, skill.id)),
            "targetDescription": say.text(skill.description, f"description of skill {skill.id}"),
            "targetType": "ceasn:Competency",
        })
        for alignment in skill.alignments:
            entry = {
                "type": ["Alignment"],
                "targetName": alignment.name or skill_name,
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
            "targetName": say.label("eqf-alignment", eqf=credential.level.eqf),
            "targetUrl": EQF_URL,
            "targetCode": str(credential.level.eqf),
            "targetFramework": EQF_FRAMEWORK,
            "targetType": "ext:EQFLevel",
        })
    for occupation in credential.occupations:
        title = say.text(occupation.title, f"title of occupation {occupation.code}")
        result.append({
            "type": ["Alignment"],
            "targetName": title,
            "targetUrl": onet_url(occupation.code),
            "targetCode": occupation.code,
            "targetFramework": ONET_FRAMEWORK,
            "targetType": "ext:Occupation",
        })
        if occupation.esco:
            result.append({
                "type": ["Alignment"],
                "targetName": title,
                "targetUrl": occupation.esco,
                "targetFramework": "ESCO",
                "targetType": "ext:Occupation",
            })
    return result


def achievement(site: Site, credential: Credential, wording: Wording | None = None
                ) -> dict[str, Any]:
    """OB 3.0 Achievement for a catalog credential (no @context: it is embedded).

    `inLanguage` is the language its texts are in: the language `wording` asks for, else (as
    the site publishes it) the credential's first language of instruction."""
    say = wording or Wording()
    url = credential_url(site, credential)
    result: dict[str, Any] = {
        "id": url,
        "type": ["Achievement"],
        "achievementType": credential.achievement_type,
        "name": say.text(credential.name, "name"),
        "description": _description(credential, say),
        "criteria": {"id": url + "#criteria", "narrative": _criteria(credential, say)},
        "creator": issuer_profile(site, credential.issuer, say),
        "alignment": _alignments(site, credential, say),
        "inLanguage": say.language or credential.languages[0],
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


