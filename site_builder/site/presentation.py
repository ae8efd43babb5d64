"""Words and figures for people: labels, money, durations and the "quality at a glance" answers.

Templates stay declarative by calling these; the same wording then appears on every page, in
the comparison view and in exports meant for spreadsheets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pycountry

from site_builder.catalog.model import Cost, Credential, Duration, Level, Pathway, Stage, Workload
from site_builder.text import plural

LABELS: dict[str, str] = {
    # participation
    "online": "Online", "in-person": "In person", "blended": "Blended",
    # assessment methods
    "written-exam": "Written exam", "online-quiz": "Online quiz",
    "practical-task": "Practical task", "observed-practice": "Observed practice",
    "portfolio": "Portfolio", "project": "Project", "case-study": "Case study",
    "oral-exam": "Oral exam", "simulation": "Simulation", "peer-review": "Peer review",
    "reflective-journal": "Reflective journal", "presentation": "Presentation",
    # identity verification
    "none": "No identity check", "self-declared": "Self-declared identity",
    "online-id-check": "ID checked online", "online-proctored": "Online proctored",
    "in-person-id-check": "ID checked in person",
    # quality assurance
    "external-accreditation": "External accreditation", "regulated": "Regulated",
    "internal-review": "Internal quality review", "industry-endorsed": "Industry endorsed",
    # issuer and recogniser kinds
    "university": "University", "college": "College", "employer": "Employer",
    "professional-association": "Professional association",
    "training-provider": "Training provider", "government": "Government",
    "nonprofit": "Non-profit", "regulator": "Regulator", "industry-body": "Industry body",
    # achievement types
    "MicroCredential": "Micro-credential", "CertificateOfCompletion": "Certificate of completion",
    "ApprenticeshipCertificate": "Apprenticeship certificate",
    "LearningProgram": "Learning programme",
    # status
    "active": "Active", "retired": "Retired",
}


def label(value: str | None) -> str:
    if value is None:
        return ""
    return LABELS.get(value, value.replace("-", " ").capitalize())


def money(amount: Decimal | float, currency: str | None) -> str:
    return f"{Decimal(str(amount)):,.2f} {currency}"


def cost_text(cost: Cost) -> str:
    return "Free" if cost.free else money(cost.amount or 0, cost.currency)


def duration_text(duration: Duration | None) -> str:
    if duration is None:
        return "Not stated"
    unit = duration.unit if duration.amount != 1 else duration.unit.rstrip("s")
    text = f"{duration.amount:g} {unit}"
    return f"{text}, self-paced" if duration.self_paced else text


def workload_text(workload: Workload) -> str:
    text = f"{workload.hours:g} hours"
    return f"{text} ({workload.ects:g} ECTS)" if workload.ects else text


def level_text(level: Level) -> str:
    return f"{level.label} (EQF {level.eqf})" if level.eqf else level.label


@cache
def language_name(code: str) -> str:
    base, _, region = code.partition("-")
    found = (pycountry.languages.get(alpha_2=base) if len(base) == 2
             else pycountry.languages.get(alpha_3=base))
    name = found.name if found else code
    if region:
        country = pycountry.countries.get(alpha_2=region)
        name = f"{name} ({country.name if country else region})"
    return name


@cache
def country_name(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    return found.name if found else code


def validity_text(months: int | None) -> str:
    if not months:
        return "Does not expire"
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years > 1 else ''}"
    return f"{months} months"


@dataclass(frozen=True)
class QualityItem:
    """One practitioner question answered from the data; `status` drives the icon and colour."""

    question: str
    answer: str
    status: str  # "yes", "partly" or "no"


def quality_at_a_glance(credential: Credential) -> list[QualityItem]:
    """Answers to the questions career practitioners ask of a credential.

    Is the issuer credible, what is validated and how is it assessed, is it recognised, does it
    stack, what does it take (docs/standards.md, "What a micro-credential entry describes").
    """
    issuer = credential.issuer
    qa = issuer.quality_assurance
    external = qa.type in ("external-accreditation", "regulated")
    qa_answer = label(qa.type) + (f" by {qa.body}" if qa.body else "")
    methods = ", ".join(label(m.type).lower() for m in credential.evaluation.methods)
    rubric = " against a published rubric" if credential.evaluation.rubric else ""
    conditions = credential.assessment_conditions
    checked = conditions is not None and conditions.identity_verification not in (
        "none", "self-declared")
    recognisers = ", ".join(r.name for r in credential.recognition)
    stack_targets = [c.name for c in credential.stacks_into] + [p.name for p in
                                                                 credential.pathways]
    transfer = credential.credit_transfer
    items = [
        QualityItem("Is the issuer credible?", f"{issuer.name} ({label(issuer.kind).lower()}): "
                    f"{qa_answer}.", "yes" if external else "partly"),
        QualityItem("Which skills are validated, and how?",
                    f"{plural(len(credential.skills), 'skill')}, assessed by {methods}{rubric}.",
                    "yes" if credential.evaluation.rubric else "partly"),
        QualityItem("Is the learner's identity checked?",
                    label(conditions.identity_verification) if conditions else "Not stated",
                    "yes" if checked else "no"),
        QualityItem("Is it recognised by employers or the industry?",
                    f"Recognised by {recognisers}." if recognisers else "No recognition listed.",
                    "yes" if credential.recognition else "no"),
        QualityItem("Does it stack or transfer?",
                    ("Counts toward " + "; ".join(stack_targets) + "."
                     if stack_targets else "Stands alone.")
                    + (f" {transfer}" if transfer else ""),
                    "yes" if stack_targets or transfer else "no"),
        QualityItem("What does it take in time and money?",
                    f"{workload_text(credential.workload)} over "
                    f"{duration_text(credential.duration).lower()}; {cost_text(credential.cost)}.",
                    "yes"),
    ]
    return items


@dataclass(frozen=True)
class Totals:
    """Least workload and cost to finish a set of stages, taking the lightest electives."""

    hours: float
    costs: dict[str, Decimal]
    credentials: int

    @property
    def cost_text(self) -> str:
        if not self.costs:
            return "Free"
        return " + ".join(money(v, k) for k, v in sorted(self.costs.items()))


def stage_choice(stage: Stage, held: Set[str] = frozenset()) -> list[Credential]:
    """The credentials still to earn for a stage: all of them, or the lightest electives."""
    missing = [c for c in stage.credentials if c.id not in held]
    still_needed = max(0, stage.required - (len(stage.credentials) - len(missing)))
    return sorted(missing, key=lambda c: (c.workload.hours, c.name))[:still_needed]


def totals(stages: list[Stage], held: Set[str] = frozenset()) -> Totals:
    hours = 0.0
    costs: dict[str, Decimal] = defaultdict(Decimal)
    count = 0
    for stage in stages:
        for credential in stage_choice(stage, held):
            count += 1
            hours += credential.workload.hours
            if not credential.cost.free and credential.cost.currency:
                costs[credential.cost.currency] += credential.cost.amount or Decimal(0)
    return Totals(hours, dict(costs), count)


def pathway_totals(pathway: Pathway) -> Totals:
    return totals(pathway.stages)


def stage_rule(stage: Stage) -> str:
    if not stage.elective:
        return "All of" if len(stage.credentials) > 1 else "Required"
    return f"Any {stage.required} of {len(stage.credentials)}"
