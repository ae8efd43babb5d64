"""One credential as the comparison view shows it, under its id in a `data/compare/` shard.

The comparison page puts two to four credentials side by side. It fetches one small shard per
credential instead of catalog.json (megabytes at 10,000 credentials), and every text in it is
worded by `presentation`, so a column reads exactly like the credential's own page. Links are
site-relative paths, so the same files work on a preview host and on the published site.
"""

from __future__ import annotations

from typing import Any

from site_builder.catalog.model import Credential
from site_builder.site import presentation as p
from site_builder.urls import CREDENTIALS, ISSUERS, PATHWAYS, SKILLS, page_path


def _supervision(credential: Credential) -> str:
    conditions = credential.assessment_conditions
    if conditions is None or conditions.supervised is None:
        return "Not stated"
    return "Supervised" if conditions.supervised else "Not supervised"


def compare_record(credential: Credential) -> dict[str, Any]:
    """What the comparison table shows for one credential.

    The rows answer what practitioners ask of a credential: issuer credibility, skills and how
    they are assessed, recognition, stacking, time and cost (docs/standards.md, "What a
    micro-credential entry describes").
    """
    issuer = credential.issuer
    qa = issuer.quality_assurance
    conditions = credential.assessment_conditions
    methods = credential.evaluation.methods
    return {
        "id": credential.id,
        "name": credential.name,
        "path": page_path(CREDENTIALS, credential.id),
        "status": credential.status,
        "statusText": p.label(credential.status),
        "issuer": {
            "id": issuer.id,
            "name": issuer.name,
            "path": page_path(ISSUERS, issuer.id),
            "kind": p.label(issuer.kind),
            "country": p.country_name(issuer.country),
        },
        "qualityAssurance": {
            "type": qa.type,
            "text": p.label(qa.type) + (f" by {qa.body}" if qa.body else ""),
            "credential": credential.quality_assurance,
        },
        "achievementType": p.label(credential.achievement_type),
        "level": p.level_text(credential.level),
        "workload": {"hours": credential.workload.hours, "ects": credential.workload.ects,
                     "text": p.workload_text(credential.workload)},
        "duration": p.duration_text(credential.duration),
        "cost": {
            "free": credential.cost.free,
            "amount": None if credential.cost.amount is None else float(credential.cost.amount),
            "currency": credential.cost.currency,
            "text": p.cost_text(credential.cost),
            "note": credential.cost.note,
            # A certificate's figures for someone who holds its parts (presentation.own_figures).
            "alone": None if credential.alone is None else (
                f"{p.workload_text(credential.alone.workload)}, "
                f"{p.cost_text(credential.alone.cost)} once its parts are held"),
        },
        "participation": p.label(credential.participation),
        "languages": [p.language_name(code) for code in credential.languages],
        "assessment": [p.label(m.type) + (f" ({m.weight_percent}%)"
                                           if m.weight_percent is not None else "")
                       for m in methods],
        "rubric": credential.evaluation.rubric is not None,
        "passThreshold": credential.evaluation.pass_threshold,
        "identityVerification": (p.label(conditions.identity_verification)
                                 if conditions else "Not stated"),
        "supervision": _supervision(credential),
        "recognition": [f"{r.name} ({p.label(r.kind)})" for r in credential.recognition],
        "stacksInto": [{"name": c.name, "path": page_path(CREDENTIALS, c.id)}
                       for c in credential.stacks_into],
        "pathways": [{"name": pw.name, "path": page_path(PATHWAYS, pw.id)}
                     for pw in credential.pathways],
        "creditTransfer": credential.credit_transfer,
        "validity": p.validity_text(credential.validity_months),
        "skills": [{"id": s.id, "name": s.name, "path": page_path(SKILLS, s.id)}
                   for s in credential.skills],
        "occupations": [{"code": o.code, "title": o.title} for o in credential.occupations],
    }
