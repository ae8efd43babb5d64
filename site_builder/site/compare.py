"""One credential as the comparison view shows it, under its id in a `data/compare/` shard.

The comparison page puts two to four credentials side by side. It fetches one small shard per
credential instead of catalog.json (megabytes at 10,000 credentials), and every text in it is
worded by `presentation`, so a column reads exactly like the credential's own page. Links are
site-relative paths, so the same files work on a preview host and on the published site.
"""

from __future__ import annotations

import gettext
from typing import Any

from site_builder.catalog.model import Credential
from site_builder.site import interface
from site_builder.site import presentation as p
from site_builder.site.interface import SOURCE_LANGUAGE
from site_builder.urls import CREDENTIALS, ISSUERS, PATHWAYS, SKILLS, page_path


def _supervision(credential: Credential, t: gettext.NullTranslations) -> str:
    conditions = credential.assessment_conditions
    if conditions is None or conditions.supervised is None:
        return t.gettext("Not stated")
    return t.gettext("Supervised") if conditions.supervised else t.gettext("Not supervised")


def compare_record(credential: Credential, language: str = SOURCE_LANGUAGE) -> dict[str, Any]:
    """What the comparison table shows for one credential, our words in `language` (its
    catalog text is resolved with the rest of the record, `localize.resolved`).

    The rows answer what practitioners ask of a credential: issuer credibility, skills and how
    they are assessed, recognition, stacking, time and cost (docs/standards.md, "What a
    micro-credential entry describes").
    """
    t = interface.translations(language)
    issuer = credential.issuer
    qa = issuer.quality_assurance
    conditions = credential.assessment_conditions
    methods = credential.evaluation.methods
    return {
        "id": credential.id,
        "name": credential.name,
        "path": page_path(CREDENTIALS, credential.id),
        "status": credential.status,
        "statusText": p.label(credential.status, language),
        "issuer": {
            "id": issuer.id,
            "name": issuer.name,
            "path": page_path(ISSUERS, issuer.id),
            "kind": p.label(issuer.kind, language),
            "country": p.country_name(issuer.country, language),
        },
        "qualityAssurance": {
            "type": qa.type,
            "text": t.gettext("%(type)s by %(body)s") % {"type": p.label(qa.type, language),
                                                         "body": qa.body}
            if qa.body else p.label(qa.type, language),
            "credential": credential.quality_assurance,
        },
        "achievementType": p.label(credential.achievement_type, language),
        "level": p.level_text(credential.level, language),
        "workload": {"hours": credential.workload.hours, "ects": credential.workload.ects,
                     "text": p.workload_text(credential.workload, language)},
        "duration": p.duration_text(credential.duration, language),
        "cost": {
            "free": credential.cost.free,
            "amount": None if credential.cost.amount is None else float(credential.cost.amount),
            "currency": credential.cost.currency,
            "text": p.cost_text(credential.cost, language),
            "note": credential.cost.note,
            # A certificate's figures for someone who holds its parts (presentation.own_figures).
            # The page's message for it, without the separator it starts with there.
            "alone": None if credential.alone is None else (
                t.gettext("; %(workload)s, %(cost)s once its parts are held") % {
                    "workload": p.workload_text(credential.alone.workload, language),
                    "cost": p.cost_text(credential.alone.cost, language)}).lstrip("; "),
        },
        "participation": p.label(credential.participation, language),
        "languages": [p.language_name(code, language) for code in credential.languages],
        "assessment": [p.label(m.type, language) + (f" ({m.weight_percent}%)"
                                           if m.weight_percent is not None else "")
                       for m in methods],
        "rubric": credential.evaluation.rubric is not None,
        "passThreshold": credential.evaluation.pass_threshold,
        "identityVerification": (p.label(conditions.identity_verification, language)
                                 if conditions else t.gettext("Not stated")),
        "supervision": _supervision(credential, t),
        "recognition": [f"{r.name} ({p.label(r.kind, language)})"
                        for r in credential.recognition],
        "stacksInto": [{"name": c.name, "path": page_path(CREDENTIALS, c.id)}
                       for c in credential.stacks_into],
        "pathways": [{"name": pw.name, "path": page_path(PATHWAYS, pw.id)}
                     for pw in credential.pathways],
        "creditTransfer": credential.credit_transfer,
        "validity": p.validity_text(credential.validity_months, language),
        "skills": [{"id": s.id, "name": s.name, "path": page_path(SKILLS, s.id)}
                   for s in credential.skills],
        "occupations": [{"code": o.code, "title": o.title} for o in credential.occupations],
    }
