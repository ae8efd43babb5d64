"""The catalog as plain data: what rendering, exports, signing and verifying read.

Objects are built once from validated YAML (see `catalog.py`) and never re-read it, so every
consumer sees the same cross-linked, checked view. Back-references (which pathways use a
credential, which credentials an issuer awards) are filled in by the loader, not computed
again by each template. Every class but `Catalog` uses `__slots__` (there are one or more of
each per credential): no dictionary per object, which large catalogs feel in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from typing import Any


class Text(str):
    """Human-readable catalog text with its translations.

    A `str` whose value is the default language's text, so every template, export and signer
    that reads a name or a description as a string keeps working unchanged; pages and
    credentials in another language ask `in_language`. Immutable, like the `str` it extends.

    A `str` subclass cannot have slots of its own, so an instance with attributes carries a
    dictionary (about 340 bytes, twice the text itself). A catalog holds tens of texts per
    entry, most of them untranslated: those are instances of a slotless subclass per language
    (`_untranslated`), the language a class attribute, and cost no more than a `str`. Only a
    translated text (`_Translated`) keeps its language and translations on the instance.
    """

    __slots__ = ()
    language: str  # on the class of an untranslated text, on the instance of a translated one
    _others: Mapping[str, str] | None = None  # None: no translation, the usual case

    def __new__(cls, value: str, translations: Mapping[str, str] | None = None,
                language: str = "en") -> Text:
        if not translations or (len(translations) == 1
                                and translations.get(language, None) == value):
            return str.__new__(_untranslated(language), value)
        text = str.__new__(_Translated, value)
        object.__setattr__(text, "_others", MappingProxyType(dict(translations)))
        object.__setattr__(text, "language", language)
        return text

    @property
    def translations(self) -> Mapping[str, str]:
        if self._others is None:
            return MappingProxyType({self.language: str(self)})
        return self._others

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Text is immutable: cannot set {name}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (str(self), dict(self.translations), self.language))

    def in_language(self, language: str) -> tuple[str, bool]:
        """The text in `language`, and True when it is the default language's text instead
        (a page or credential says so rather than passing one language off as another)."""
        if language in self.translations:
            return self.translations[language], False
        return str(self), language != self.language


class _Translated(Text):
    """A text with translations: language and translations on the instance (`Text`)."""


@cache
def _untranslated(language: str) -> type[Text]:
    """The class of untranslated text in `language`: its instances are plain strings in
    memory. Named `Text` too, as it is one."""
    return type("Text", (Text,), {"__slots__": (), "language": language,
                                  "__module__": __name__, "__qualname__": "Text"})


def text_in(value: Any, language: str) -> Any:
    """`value` in `language` where it is catalog text (the default language's text where the
    catalog has no translation: pages mark that around whole fields, not inside a sentence);
    anything else unchanged."""
    return value.in_language(language)[0] if isinstance(value, Text) else value


@dataclass(slots=True)
class QualityAssurance:
    type: str
    description: str
    body: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Issuer:
    id: str
    name: str
    url: str
    email: str
    kind: str
    country: str
    description: str
    quality_assurance: QualityAssurance
    region: str | None = None
    logo: str | None = None
    source: str = ""
    # For learners' "Add to LinkedIn profile" links (credentials/sharing.py).
    linkedin_organization_id: str | None = None
    credentials: list[Credential] = field(default_factory=list, repr=False)
    keys: list[PublicKey] = field(default_factory=list, repr=False)


@dataclass(slots=True)
class Alignment:
    framework: str
    url: str
    code: str | None = None
    name: str | None = None


@dataclass(slots=True)
class Skill:
    id: str
    name: str
    description: str
    alignments: list[Alignment] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list, repr=False)


@dataclass(slots=True)
class AssessmentMethod:
    type: str
    description: str | None = None
    weight_percent: int | None = None


@dataclass(slots=True)
class RubricCriterion:
    criterion: str
    descriptors: list[str]


@dataclass(slots=True)
class Rubric:
    levels: list[str]
    criteria: list[RubricCriterion]


@dataclass(slots=True)
class Evaluation:
    narrative: str
    methods: list[AssessmentMethod]
    pass_threshold: str
    evidence: list[str]
    rubric: Rubric | None = None
    grading: str | None = None


@dataclass(slots=True)
class Level:
    label: str
    eqf: int | None = None


@dataclass(slots=True)
class Workload:
    hours: float
    ects: float | None = None


@dataclass(slots=True)
class Duration:
    amount: float
    unit: str
    self_paced: bool = False


@dataclass(slots=True)
class Cost:
    """Price to the learner; `amount` is None when the credential is free."""

    amount: Decimal | None
    currency: str | None
    note: str | None = None

    @property
    def free(self) -> bool:
        return self.amount is None


@dataclass(slots=True)
class Alone:
    """What a stacked credential costs and takes for someone who holds all its parts.

    Its `cost` and `workload` then mean "with every part"; totals count these figures plus each
    part once (see `site_builder/site/presentation.py`, `totals`).
    """

    cost: Cost
    workload: Workload
    note: str | None = None


@dataclass(slots=True)
class Occupation:
    code: str
    title: str
    esco: str | None = None
    # Job titles people search by (e.g. "BI analyst"), merged from every credential naming it.
    alternate_titles: list[str] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list, repr=False)
    pathways: list[Pathway] = field(default_factory=list, repr=False)


@dataclass(slots=True)
class Recognition:
    name: str
    kind: str
    url: str | None = None
    note: str | None = None


@dataclass(slots=True)
class AssessmentConditions:
    identity_verification: str
    supervised: bool | None = None
    note: str | None = None


@dataclass(slots=True)
class Credential:
    id: str
    name: str
    issuer: Issuer
    achievement_type: str
    summary: str
    description: str
    learning_outcomes: list[str]
    skills: list[Skill]
    evaluation: Evaluation
    level: Level
    workload: Workload
    cost: Cost
    participation: str
    languages: list[str]
    status: str
    version: str
    duration: Duration | None = None
    alone: Alone | None = None
    replaced_by: Credential | None = field(default=None, repr=False)
    prerequisites: list[Credential] = field(default_factory=list, repr=False)
    prerequisites_text: str | None = None
    stacks_into: list[Credential] = field(default_factory=list, repr=False)
    credit_transfer: str | None = None
    occupations: list[Occupation] = field(default_factory=list, repr=False)
    industries: list[str] = field(default_factory=list)
    recognition: list[Recognition] = field(default_factory=list)
    assessment_conditions: AssessmentConditions | None = None
    quality_assurance: str | None = None
    validity_months: int | None = None
    ctid: str | None = None
    url: str | None = None
    updated: date | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    source: str = ""
    pathways: list[Pathway] = field(default_factory=list, repr=False)
    stacked_from: list[Credential] = field(default_factory=list, repr=False)

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(slots=True)
class Stage:
    name: str
    credentials: list[Credential]
    required: int
    description: str | None = None

    @property
    def elective(self) -> bool:
        return self.required < len(self.credentials)


@dataclass(slots=True)
class Pathway:
    id: str
    name: str
    description: str
    stages: list[Stage]
    goal_role: str | None = None
    goal_occupation: Occupation | None = None
    goal_code: str | None = None
    leads_to: Pathway | None = field(default=None, repr=False)
    featured: bool = False
    source: str = ""
    led_from: list[Pathway] = field(default_factory=list, repr=False)


class KeyState(StrEnum):
    """A key's lifecycle: active signs; retired no longer signs, but what it signed before
    `retired` verifies; revoked is distrusted from `revoked` on. A StrEnum, so JSON and
    comparisons with the plain words are unchanged."""

    ACTIVE = "active"
    RETIRED = "retired"
    REVOKED = "revoked"


@dataclass(slots=True)
class PublicKey:
    """A published issuer key. Dates are parsed by the loader (aware, UTC when unzoned)."""

    issuer: str
    id: str
    public_key_multibase: str
    created: datetime
    state: KeyState = KeyState.ACTIVE
    retired: datetime | None = None
    revoked: datetime | None = None
    revocation_reason: str | None = None
    source: str = ""


@dataclass(slots=True)
class ExchangeRates:
    """Reference rates from `catalog/exchange-rates.yaml`: units of each currency per one unit
    of `base` (the base itself is 1). Used only for approximate, dated comparisons."""

    date: str
    source: str
    base: str
    rates: dict[str, Decimal]
    url: str | None = None

    def rate(self, currency: str) -> Decimal | None:
        return Decimal(1) if currency == self.base else self.rates.get(currency)


@dataclass(frozen=True)
class Languages:
    """The languages a catalog writes its texts in, as its mkdocs.yml declares them
    (`languages`, `default_language` of the credcat plugin); one, English, unless declared.
    A plain string in a catalog file is text in `default`."""

    codes: tuple[str, ...] = ("en",)
    default: str = "en"


# What a catalog that declares no languages is written in.
ENGLISH = Languages()


@dataclass
class Catalog:
    issuers: dict[str, Issuer]
    credentials: dict[str, Credential]
    pathways: dict[str, Pathway]
    skills: dict[str, Skill]
    occupations: dict[str, Occupation]
    keys: list[PublicKey] = field(default_factory=list)
    exchange_rates: ExchangeRates | None = None
    # The languages its texts are in, as declared (pages per language read them here).
    languages: Languages = ENGLISH

