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

from site_builder.catalog.model import (
    Cost,
    Credential,
    Duration,
    ExchangeRates,
    Level,
    Occupation,
    Pathway,
    Stage,
    Workload,
)
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


# The knowledge column of the European Qualifications Framework's level descriptors (Annex II
# of the Council Recommendation of 22 May 2017, 2017/C 189/03; summarised by Europass at
# https://europass.europa.eu/en/description-eight-eqf-levels). Levels compare across issuers
# and countries; an issuer's own word ("Introductory") does not, so the EQF level leads.
EQF_DESCRIPTORS: dict[int, str] = {
    1: "Basic general knowledge",
    2: "Basic factual knowledge of a field of work or study",
    3: "Knowledge of facts, principles, processes and general concepts in a field of work or "
       "study",
    4: "Factual and theoretical knowledge in broad contexts within a field of work or study",
    5: "Comprehensive, specialised, factual and theoretical knowledge within a field of work or "
       "study, and an awareness of the boundaries of that knowledge",
    6: "Advanced knowledge of a field of work or study, involving a critical understanding of "
       "theories and principles",
    7: "Highly specialised knowledge, some at the forefront of a field of work or study, as the "
       "basis for original thinking or research",
    8: "Knowledge at the most advanced frontier of a field of work or study and at the "
       "interface between fields",
}
NO_FRAMEWORK_LEVEL = "No framework level stated"


def level_text(level: Level) -> str:
    """EQF level first, the issuer's own word second: `EQF 4 · Introductory`."""
    return f"EQF {level.eqf} · {level.label}" if level.eqf else f"{level.label} (no EQF level)"


def level_group(level: Level) -> str:
    """The heading credentials are grouped under: the EQF level and its official descriptor."""
    if not level.eqf:
        return NO_FRAMEWORK_LEVEL
    return f"EQF level {level.eqf}: {EQF_DESCRIPTORS[level.eqf].lower()}"


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


def occupations_toward(credential: Credential) -> list[tuple[Occupation, Pathway | None]]:
    """Occupations a credential leads toward: its own, then the goals of its pathways (with
    the pathway), so a search for a job title finds every credential on the way to it."""
    found: list[tuple[Occupation, Pathway | None]] = [(o, None) for o in credential.occupations]
    for pathway in credential.pathways:
        goal = pathway.goal_occupation
        if goal is not None and all(goal is not o for o, _ in found):
            found.append((goal, pathway))
    return found


def validity_text(months: int | None) -> str:
    if not months:
        return "Does not expire"
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years > 1 else ''}"
    return f"{months} months"


@dataclass(frozen=True)
class QualityItem:
    """One practitioner question answered from the data.

    `status` drives the word and colour: "yes", "partly", "no" (the catalog says so: shown
    neutral, never as a warning) or "not-stated" (the catalog is silent: missing data is not a
    "No"). `how` says in one sentence how the answer is decided.
    """

    question: str
    answer: str
    status: str
    how: str


STATUS_WORDS = {"yes": "Yes", "partly": "Partly", "no": "No", "not-stated": "Not stated"}
_CHECKED_IDENTITY = ("online-id-check", "online-proctored", "in-person-id-check")
_EXTERNAL_QA = ("external-accreditation", "regulated")


def quality_at_a_glance(credential: Credential) -> list[QualityItem]:
    """Answers to the questions career practitioners ask, from the catalog data only.

    What a credential inherits from its issuer counts: the issuer's quality assurance, and an
    issuer's industry endorsement as recognition. The rules are in the maintainers' guide
    (docs/guides/maintainers.md, "Quality at a glance").
    """
    issuer = credential.issuer
    qa = issuer.quality_assurance
    qa_answer = label(qa.type) + (f" by {qa.body}" if qa.body else "")
    methods = ", ".join(label(m.type).lower() for m in credential.evaluation.methods)
    rubric = credential.evaluation.rubric
    conditions = credential.assessment_conditions
    recognisers = ", ".join(r.name for r in credential.recognition)
    stack_targets = [c.name for c in credential.stacks_into]
    transfer = credential.credit_transfer
    if conditions is None:
        identity = ("The catalog does not say.", "not-stated")
    elif conditions.identity_verification in _CHECKED_IDENTITY:
        identity = (label(conditions.identity_verification) + ".", "yes")
    else:
        identity = (label(conditions.identity_verification) + ".", "no")
    if credential.recognition:
        recognition = (f"Recognised by {recognisers}.", "yes")
    elif qa.type == "industry-endorsed":
        recognition = (f"Through its issuer: {issuer.name} is {label(qa.type).lower()}"
                       + (f" by {qa.body}." if qa.body else "."), "partly")
    else:
        recognition = ("No recognition is listed for this credential or its issuer.",
                       "not-stated")
    if stack_targets or transfer:
        stacking = (("Counts toward " + "; ".join(stack_targets) + "." if stack_targets else "")
                    + (f" {transfer}" if transfer else ""), "yes")
    elif credential.pathways:
        stacking = ("Part of the pathway " + "; ".join(p.name for p in credential.pathways)
                    + ", with no credit stated.", "partly")
    else:
        stacking = ("No stacking or credit transfer is stated.", "not-stated")
    figures = (f"{workload_text(credential.workload)} over "
               f"{duration_text(credential.duration).lower()}; {cost_text(credential.cost)}.")
    return [
        QualityItem("Is the issuer's quality assured by someone else?",
                    f"{issuer.name} ({label(issuer.kind).lower()}): {qa_answer}.",
                    "yes" if qa.type in _EXTERNAL_QA else "partly",
                    "Yes for external accreditation or regulation; Partly for the issuer's own "
                    "review or an industry endorsement. Credentials inherit their issuer's."),
        QualityItem("Are the skills assessed against published criteria?",
                    f"{plural(len(credential.skills), 'skill')}, assessed by {methods}"
                    + (" against a published rubric." if rubric else "."),
                    "yes" if rubric else "partly",
                    "Yes with a rubric (criteria and performance levels); Partly with "
                    "assessment methods and a pass threshold only."),
        QualityItem("Is the learner's identity checked at assessment?", *identity,
                    "Yes when an ID is checked online, in person or by a proctor; No when "
                    "identity is self-declared; Not stated when the catalog is silent."),
        QualityItem("Do employers or the industry recognise it?", *recognition,
                    "Yes when the credential lists who recognises it; Partly when only its "
                    "issuer is industry endorsed; Not stated otherwise."),
        QualityItem("Does it count toward a larger credential or credit?", *stacking,
                    "Yes when it stacks into another credential or carries credit; Partly "
                    "when it is only part of a pathway; Not stated otherwise."),
        QualityItem("Are its time and cost stated?", figures,
                    "yes" if credential.duration is not None else "partly",
                    "Yes when workload, duration and cost are all given; Partly when the "
                    "duration is missing (workload and cost are always required)."),
    ]


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


def parts(credential: Credential) -> list[Credential]:
    """Every credential that stacks into this one, directly or through another part."""
    found: dict[str, Credential] = {}
    todo = list(credential.stacked_from)
    while todo:
        part = todo.pop(0)
        if part.id not in found:
            found[part.id] = part
            todo.extend(part.stacked_from)
    return list(found.values())


def held_with_parts(held: Set[str], credentials: list[Credential]) -> set[str]:
    """Held ids plus the parts of every held credential: holding a certificate means holding
    what stacks into it."""
    result = set(held)
    for credential in credentials:
        if credential.id in held:
            result.update(part.id for part in parts(credential))
    return result


def own_figures(credential: Credential) -> tuple[float, Cost]:
    """Hours and cost a credential adds to a total: its `alone` figures when it has them,
    since its parts are counted on their own."""
    if credential.alone is not None:
        return credential.alone.workload.hours, credential.alone.cost
    return credential.workload.hours, credential.cost


def _needed_parts(stages: list[Stage], held: Set[str]) -> set[str]:
    """Parts the plan must earn anyway: those of a stacked credential still to earn."""
    needed: set[str] = set()
    for stage in stages:
        for credential in stage.credentials:
            if credential.alone is not None and credential.id not in held:
                needed.update(p.id for p in parts(credential) if p.id not in held)
    return needed


def stage_choice(stage: Stage, held: Set[str] = frozenset(),
                 needed: Set[str] = frozenset()) -> list[Credential]:
    """The credentials still to earn for a stage: all of them, or the electives that add
    least (parts a stacked credential needs anyway first, then the lightest)."""
    missing = [c for c in stage.credentials if c.id not in held]
    still_needed = max(0, stage.required - (len(stage.credentials) - len(missing)))
    return sorted(missing, key=lambda c: (c.id not in needed, c.workload.hours,
                                          c.name))[:still_needed]


def plan(stages: list[Stage], held: Set[str] = frozenset()) -> list[list[Credential]]:
    """What remains to earn, stage by stage: the one stacking rule of the catalog.

    1. Holding a credential counts every credential that stacks into it as held.
    2. A stacked credential with `alone` figures needs its parts: a part neither held nor
       chosen in any stage is added to the stage of the credential it stacks into.
    3. Every credential is counted once, a stacked one with its `alone` figures (see
       `own_figures`), so a certificate's price never adds its parts a second time.
    """
    held = held_with_parts(held, [c for stage in stages for c in stage.credentials])
    needed = _needed_parts(stages, held)
    choices = [stage_choice(stage, held, needed) for stage in stages]
    chosen = {c.id for choice in choices for c in choice}
    for choice in choices:
        for credential in list(choice):
            if credential.alone is None:
                continue
            for part in parts(credential):
                if part.id not in held and part.id not in chosen:
                    choice.append(part)
                    chosen.add(part.id)
    return choices


def certificates_in(pathway: Pathway) -> list[Credential]:
    """Credentials of the pathway that others of it stack into (usually its certificate)."""
    members = [c for stage in pathway.stages for c in stage.credentials]
    targets = {t.id for m in members for t in m.stacks_into}
    return [c for c in members if c.id in targets]


def counts_toward(credential: Credential, certificates: list[Credential]) -> list[Credential]:
    """Which of the pathway's certificates a credential stacks into."""
    ids = {t.id for t in credential.stacks_into}
    return [c for c in certificates if c.id in ids]


def plan_entry(credential: Credential, with_parts: bool = True) -> dict[str, object]:
    """What the browser planner (js/plan/totals.js) needs of a credential to apply `plan`."""
    hours, cost = own_figures(credential)
    entry: dict[str, object] = {
        "id": credential.id, "name": credential.name, "hours": credential.workload.hours,
        "ownHours": hours, "amount": None if cost.free else str(cost.amount),
        "currency": cost.currency, "stacked": credential.alone is not None,
    }
    if with_parts:
        entry["parts"] = [plan_entry(part, with_parts=False) for part in parts(credential)]
    return entry


def totals(stages: list[Stage], held: Set[str] = frozenset()) -> Totals:
    hours = 0.0
    costs: dict[str, Decimal] = defaultdict(Decimal)
    count = 0
    for choice in plan(stages, held):
        for credential in choice:
            count += 1
            own_hours, cost = own_figures(credential)
            hours += own_hours
            if not cost.free and cost.currency:
                costs[cost.currency] += cost.amount or Decimal(0)
    return Totals(hours, dict(costs), count)


def convert(amount: Decimal, currency: str, target: str,
            rates: ExchangeRates | None) -> Decimal | None:
    """`amount` in `target` at the reference rates, or None when a rate is missing."""
    if currency == target:
        return amount
    if rates is None:
        return None
    source_rate, target_rate = rates.rate(currency), rates.rate(target)
    if source_rate is None or target_rate is None:
        return None
    return amount / source_rate * target_rate


def approximate_total(costs: dict[str, Decimal], target: str,
                      rates: ExchangeRates | None) -> Decimal | None:
    """The sum of costs in several currencies, converted to `target`; None if any cannot be.
    Only ever shown as approximate, beside the exact per-currency amounts and the rates' date."""
    total = Decimal(0)
    for currency, amount in costs.items():
        converted = convert(amount, currency, target, rates)
        if converted is None:
            return None
        total += converted
    return total


def approximate_text(costs: dict[str, Decimal], rates: ExchangeRates | None) -> str:
    """`about 1,234 EUR at the reference rates of 2026-01-02`, or "" when it would add
    nothing (one currency) or cannot be worked out (no rates)."""
    if rates is None or len(costs) < 2:
        return ""
    total = approximate_total(costs, rates.base, rates)
    if total is None:
        return ""
    return f"about {total:,.0f} {rates.base} at the reference rates of {rates.date}"


def rates_record(rates: ExchangeRates) -> dict[str, object]:
    """The rates as the browser reads them (planner, search): decimal strings, base 1."""
    return {"base": rates.base, "date": rates.date, "source": rates.source,
            "rates": {rates.base: "1", **{k: str(v) for k, v in sorted(rates.rates.items())}}}


def pathway_totals(pathway: Pathway) -> Totals:
    return totals(pathway.stages)


def stage_rule(stage: Stage) -> str:
    if not stage.elective:
        return "All of" if len(stage.credentials) > 1 else "Required"
    return f"Any {stage.required} of {len(stage.credentials)}"
