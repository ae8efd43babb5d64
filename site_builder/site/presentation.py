"""Words and figures for people: labels, money, durations and the "quality at a glance" answers.

Templates stay declarative by calling these; the same wording then appears on every page, in
the comparison view and in exports meant for spreadsheets. Every function that words something
takes the interface language (`interface.py`); exports call them without one, in English.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

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
    text_in,
)
from site_builder.site.interface import (
    N_,
    SOURCE_LANGUAGE,
    format_currency,
    format_date,
    format_number,
    locale,
    translations,
)

LABELS: dict[str, str] = {
    # participation
    "online": N_("Online"), "in-person": N_("In person"), "blended": N_("Blended"),
    # assessment methods
    "written-exam": N_("Written exam"), "online-quiz": N_("Online quiz"),
    "practical-task": N_("Practical task"), "observed-practice": N_("Observed practice"),
    "portfolio": N_("Portfolio"), "project": N_("Project"), "case-study": N_("Case study"),
    "oral-exam": N_("Oral exam"), "simulation": N_("Simulation"), "peer-review": N_("Peer review"),
    "reflective-journal": N_("Reflective journal"), "presentation": N_("Presentation"),
    # identity verification
    "none": N_("No identity check"), "self-declared": N_("Self-declared identity"),
    "online-id-check": N_("ID checked online"), "online-proctored": N_("Online proctored"),
    "in-person-id-check": N_("ID checked in person"),
    # quality assurance
    "external-accreditation": N_("External accreditation"), "regulated": N_("Regulated"),
    "internal-review": N_("Internal quality review"), "industry-endorsed": N_("Industry endorsed"),
    # issuer and recogniser kinds
    "university": N_("University"), "college": N_("College"), "employer": N_("Employer"),
    "professional-association": N_("Professional association"),
    "training-provider": N_("Training provider"), "government": N_("Government"),
    "nonprofit": N_("Non-profit"), "regulator": N_("Regulator"),
    "industry-body": N_("Industry body"),
    # achievement types
    "MicroCredential": N_("Micro-credential"),
    "CertificateOfCompletion": N_("Certificate of completion"),
    "ApprenticeshipCertificate": N_("Apprenticeship certificate"),
    "LearningProgram": N_("Learning programme"),
    "Assessment": N_("Assessment"), "Award": N_("Award"), "Badge": N_("Badge"),
    "Certificate": N_("Certificate"), "Certification": N_("Certification"),
    "Competency": N_("Competency"), "Course": N_("Course"), "License": N_("License"),
    # the issuer's word for a level (beside the EQF level)
    "Introductory": N_("Introductory"), "Intermediate": N_("Intermediate"),
    "Advanced": N_("Advanced"), "Expert": N_("Expert"),
    # status
    "active": N_("Active"), "retired": N_("Retired"),
}


def label(value: str | None, language: str = SOURCE_LANGUAGE) -> str:
    if value is None:
        return ""
    if value in LABELS:
        return translations(language).gettext(LABELS[value])
    return value.replace("-", " ").capitalize()


def money(amount: Decimal | float, currency: str | None,
          language: str = SOURCE_LANGUAGE) -> str:
    return format_currency(language, amount, currency or "")


def cost_text(cost: Cost, language: str = SOURCE_LANGUAGE) -> str:
    if cost.free:
        return translations(language).gettext("Free")
    return money(cost.amount or 0, cost.currency, language)


def plural_count(amount: float) -> int:
    """The count that picks a plural form: a fraction (1.5 weeks) takes the "other" form."""
    return int(amount) if float(amount).is_integer() else 2


def hours_text(hours: float, language: str = SOURCE_LANGUAGE) -> str:
    return translations(language).ngettext("%(amount)s hour", "%(amount)s hours",
                                           plural_count(hours)) % {
        "amount": format_number(language, hours)}


def duration_text(duration: Duration | None, language: str = SOURCE_LANGUAGE) -> str:
    t = translations(language)
    if duration is None:
        return t.gettext("Not stated")
    count, amount = plural_count(duration.amount), format_number(language, duration.amount)
    if duration.unit == "days":
        text = t.ngettext("%(amount)s day", "%(amount)s days", count) % {"amount": amount}
    elif duration.unit == "weeks":
        text = t.ngettext("%(amount)s week", "%(amount)s weeks", count) % {"amount": amount}
    elif duration.unit == "months":
        text = t.ngettext("%(amount)s month", "%(amount)s months", count) % {"amount": amount}
    else:
        text = hours_text(duration.amount, language)
    return t.gettext("%(duration)s, self-paced") % {"duration": text} if (
        duration.self_paced) else text


def workload_text(workload: Workload, language: str = SOURCE_LANGUAGE) -> str:
    text = hours_text(workload.hours, language)
    if not workload.ects:
        return text
    return translations(language).gettext("%(hours)s (%(ects)s ECTS)") % {
        "hours": text, "ects": format_number(language, workload.ects)}


# The knowledge column of the European Qualifications Framework's level descriptors (Annex II
# of the Council Recommendation of 22 May 2017, 2017/C 189/03; summarised by Europass at
# https://europass.europa.eu/en/description-eight-eqf-levels). Levels compare across issuers
# and countries; an issuer's own word ("Introductory") does not, so the EQF level leads.
EQF_DESCRIPTORS: dict[int, str] = {
    1: N_("Basic general knowledge"),
    2: N_("Basic factual knowledge of a field of work or study"),
    3: N_("Knowledge of facts, principles, processes and general concepts in a field of work or "
       "study"),
    4: N_("Factual and theoretical knowledge in broad contexts within a field of work or study"),
    5: N_("Comprehensive, specialised, factual and theoretical knowledge within a field of work or "
       "study, and an awareness of the boundaries of that knowledge"),
    6: N_("Advanced knowledge of a field of work or study, involving a critical understanding of "
       "theories and principles"),
    7: N_("Highly specialised knowledge, some at the forefront of a field of work or study, as the "
       "basis for original thinking or research"),
    8: N_("Knowledge at the most advanced frontier of a field of work or study and at the "
       "interface between fields"),
}
NO_FRAMEWORK_LEVEL = N_("No framework level stated")


def level_text(level: Level, language: str = SOURCE_LANGUAGE) -> str:
    """EQF level first, the issuer's own word second: `EQF 4 · Introductory`."""
    t = translations(language)
    words = {"level": level.eqf, "label": label(level.label, language)}
    if level.eqf:
        return t.gettext("EQF %(level)s · %(label)s") % words
    return t.gettext("%(label)s (no EQF level)") % words


def eqf_descriptor(level: int, language: str = SOURCE_LANGUAGE) -> str:
    return translations(language).gettext(EQF_DESCRIPTORS[level])


def level_group(level: Level, language: str = SOURCE_LANGUAGE) -> str:
    """The heading credentials are grouped under: the EQF level and its official descriptor."""
    t = translations(language)
    if not level.eqf:
        return t.gettext(NO_FRAMEWORK_LEVEL)
    return t.gettext("EQF level %(level)s: %(descriptor)s") % {
        "level": level.eqf, "descriptor": eqf_descriptor(level.eqf, language).lower()}


@cache
def language_name(code: str, language: str = SOURCE_LANGUAGE) -> str:
    """`French (Canada)`, `français (Canada)`: CLDR's names, in the interface language."""
    names = locale(language)
    base, _, region = code.partition("-")
    name = names.languages.get(base, code if not region else base)
    if region:
        name = f"{name} ({names.territories.get(region.upper(), region)})"
    return name


@cache
def country_name(code: str, language: str = SOURCE_LANGUAGE) -> str:
    return locale(language).territories.get(code, code)


def occupations_toward(credential: Credential) -> list[tuple[Occupation, Pathway | None]]:
    """Occupations a credential leads toward: its own, then the goals of its pathways (with
    the pathway), so a search for a job title finds every credential on the way to it."""
    found: list[tuple[Occupation, Pathway | None]] = [(o, None) for o in credential.occupations]
    for pathway in credential.pathways:
        goal = pathway.goal_occupation
        if goal is not None and all(goal is not o for o, _ in found):
            found.append((goal, pathway))
    return found


def key_state(state: str, language: str = SOURCE_LANGUAGE) -> str:
    """A signing key's state, as its issuer's page shows it. In a context of their own: a
    language may word a key's state apart from a credential's (gender, for one)."""
    t = translations(language)
    if state == "active":
        return t.pgettext("signing key", "Active")
    if state == "retired":
        return t.pgettext("signing key", "Retired")
    if state == "revoked":
        return t.pgettext("signing key", "Revoked")
    return state.capitalize()


def validity_text(months: int | None, language: str = SOURCE_LANGUAGE) -> str:
    t = translations(language)
    if not months:
        return t.gettext("Does not expire")
    if months % 12 == 0:
        years = months // 12
        return t.ngettext("%(num)d year", "%(num)d years", years) % {"num": years}
    return t.ngettext("%(num)d month", "%(num)d months", months) % {"num": months}


@dataclass(frozen=True)
class QualityItem:
    """One practitioner question answered from the data.

    `status` drives the word and colour: "yes", "partly", "no" (the catalog says so: shown
    neutral, never as a warning) or "not-stated" (the catalog is silent: missing data is not a
    "No"). `rule` names the entry of `QUALITY_RULES` that says how the answer is decided: the
    rules are the same on every credential page, so they are published once, on the quality
    page, and each answer links to its own.
    """

    question: str
    answer: str
    status: str
    rule: str


STATUS_WORDS = {"yes": N_("Yes"), "partly": N_("Partly"), "no": N_("No"),
                "not-stated": N_("Not stated")}


def status_word(status: str, language: str = SOURCE_LANGUAGE) -> str:
    return translations(language).gettext(STATUS_WORDS[status]) if (
        status in STATUS_WORDS) else status


# Each question of "quality at a glance": its key (the anchor on the quality page), the
# question and how its answer is decided, in the order the credential page asks them.
QUALITY_RULES = (
    ("issuer-assured", N_("Is the issuer's quality assured by someone else?"),
     N_("Yes for external accreditation or regulation; Partly for the issuer's own review or "
        "an industry endorsement. Credentials inherit their issuer's.")),
    ("criteria", N_("Are the skills assessed against published criteria?"),
     N_("Yes with a rubric (criteria and performance levels); Partly with assessment methods "
        "and a pass threshold only.")),
    ("identity", N_("Is the learner's identity checked at assessment?"),
     N_("Yes when an ID is checked online, in person or by a proctor; No when identity is "
        "self-declared; Not stated when the catalog is silent.")),
    ("recognition", N_("Do employers or the industry recognise it?"),
     N_("Yes when the credential lists who recognises it; Partly when only its issuer is "
        "industry endorsed; Not stated otherwise.")),
    ("stacking", N_("Does it count toward a larger credential or credit?"),
     N_("Yes when it stacks into another credential or carries credit; Partly when it is only "
        "part of a pathway; Not stated otherwise.")),
    ("time-and-cost", N_("Are its time and cost stated?"),
     N_("Yes when workload, duration and cost are all given; Partly when the duration is "
        "missing (workload and cost are always required).")),
)


def quality_rules(language: str = SOURCE_LANGUAGE) -> list[tuple[str, str, str]]:
    """`QUALITY_RULES` in a language, for the quality page."""
    _ = translations(language).gettext
    return [(key, _(question), _(how)) for key, question, how in QUALITY_RULES]


_CHECKED_IDENTITY = ("online-id-check", "online-proctored", "in-person-id-check")
_EXTERNAL_QA = ("external-accreditation", "regulated")


def quality_at_a_glance(credential: Credential,
                        language: str = SOURCE_LANGUAGE) -> list[QualityItem]:
    """Answers to the questions career practitioners ask, from the catalog data only.

    What a credential inherits from its issuer counts: the issuer's quality assurance, and an
    issuer's industry endorsement as recognition. The rules are in the maintainers' guide
    (docs/guides/maintainers.md, "Quality at a glance").
    """
    t = translations(language)
    _ = t.gettext
    issuer = credential.issuer
    issuer_name = text_in(issuer.name, language)
    qa = issuer.quality_assurance
    qa_type = label(qa.type, language)
    qa_body = text_in(qa.body or "", language)
    qa_answer = _("%(type)s by %(body)s") % {"type": qa_type, "body": qa_body} if (
        qa_body) else qa_type
    methods = ", ".join(label(m.type, language).lower() for m in credential.evaluation.methods)
    rubric = credential.evaluation.rubric
    conditions = credential.assessment_conditions
    recognisers = ", ".join(text_in(r.name, language) for r in credential.recognition)
    stack_targets = [text_in(c.name, language) for c in credential.stacks_into]
    transfer = text_in(credential.credit_transfer or "", language)
    if conditions is None:
        identity = (_("The catalog does not say."), "not-stated")
    else:
        checked = conditions.identity_verification in _CHECKED_IDENTITY
        identity = (label(conditions.identity_verification, language) + ".",
                    "yes" if checked else "no")
    if credential.recognition:
        recognition = (_("Recognised by %(recognisers)s.") % {"recognisers": recognisers}, "yes")
    elif qa.type == "industry-endorsed":
        words = {"issuer": issuer_name, "type": qa_type.lower(), "body": qa_body}
        recognition = ((_("Through its issuer: %(issuer)s is %(type)s by %(body)s.") if qa_body
                        else _("Through its issuer: %(issuer)s is %(type)s.")) % words, "partly")
    else:
        recognition = (_("No recognition is listed for this credential or its issuer."),
                       "not-stated")
    if stack_targets or transfer:
        toward = _("Counts toward %(targets)s.") % {"targets": "; ".join(stack_targets)} if (
            stack_targets) else ""
        stacking = (toward + (f" {transfer}" if transfer else ""), "yes")
    elif credential.pathways:
        names = "; ".join(text_in(p.name, language) for p in credential.pathways)
        stacking = (t.ngettext("Part of the pathway %(pathways)s, with no credit stated.",
                               "Part of the pathways %(pathways)s, with no credit stated.",
                               len(credential.pathways)) % {"pathways": names}, "partly")
    else:
        stacking = (_("No stacking or credit transfer is stated."), "not-stated")
    figures = _("%(workload)s over %(duration)s; %(cost)s.") % {
        "workload": workload_text(credential.workload, language),
        "duration": duration_text(credential.duration, language).lower(),
        "cost": cost_text(credential.cost, language)}
    skills = t.ngettext("%(num)d skill", "%(num)d skills", len(credential.skills)) % {
        "num": len(credential.skills)}
    assessed = (_("%(skills)s, assessed by %(methods)s against a published rubric.") if rubric
                else _("%(skills)s, assessed by %(methods)s.")) % {
        "skills": skills, "methods": methods}
    answers = [
        (_("%(issuer)s (%(kind)s): %(assurance)s.") % {
            "issuer": issuer_name, "kind": label(issuer.kind, language).lower(),
            "assurance": qa_answer}, "yes" if qa.type in _EXTERNAL_QA else "partly"),
        (assessed, "yes" if rubric else "partly"),
        identity,
        recognition,
        stacking,
        (figures, "yes" if credential.duration is not None else "partly"),
    ]
    return [QualityItem(_(question), answer, status, key) for (key, question, _how), (
        answer, status) in zip(QUALITY_RULES, answers, strict=True)]


@dataclass(frozen=True)
class Totals:
    """Least workload and cost to finish a set of stages, taking the lightest electives."""

    hours: float
    costs: dict[str, Decimal]
    credentials: int

    @property
    def cost_text(self) -> str:
        return self.cost_in(SOURCE_LANGUAGE)

    def cost_in(self, language: str) -> str:
        if not self.costs:
            return translations(language).gettext("Free")
        return " + ".join(money(v, k, language) for k, v in sorted(self.costs.items()))


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


def approximate_text(costs: dict[str, Decimal], rates: ExchangeRates | None,
                     language: str = SOURCE_LANGUAGE) -> str:
    """`about 1,234 EUR at the reference rates of 2026-01-02`, or "" when it would add
    nothing (one currency) or cannot be worked out (no rates)."""
    if rates is None or len(costs) < 2:
        return ""
    total = approximate_total(costs, rates.base, rates)
    if total is None:
        return ""
    return translations(language).gettext(
        "about %(amount)s %(currency)s at the reference rates of %(date)s") % {
        "amount": format_number(language, total, 0), "currency": rates.base,
        "date": format_date(language, rates.date)}


def rates_record(rates: ExchangeRates) -> dict[str, object]:
    """The rates as the browser reads them (planner, search): decimal strings, base 1."""
    return {"base": rates.base, "date": rates.date, "source": rates.source,
            "rates": {rates.base: "1", **{k: str(v) for k, v in sorted(rates.rates.items())}}}


def pathway_totals(pathway: Pathway) -> Totals:
    return totals(pathway.stages)


def stage_rule(stage: Stage, language: str = SOURCE_LANGUAGE) -> str:
    t = translations(language)
    if not stage.elective:
        return t.gettext("All of") if len(stage.credentials) > 1 else t.gettext("Required")
    return t.gettext("Any %(required)s of %(count)s") % {
        "required": stage.required, "count": len(stage.credentials)}
