"""A generated catalog project of any size, for measuring and testing the site at scale.

The example catalog holds about thirty credentials; questions such as "does search still load
quickly with 10,000 credentials?" or "how long does a 100,000-credential build take?" need
catalogs that big, with the variety real ones have (many issuers and skills, pathways with
electives, several currencies, levels and languages), and that pass `credcat check` exactly
as a hand-written one must. The same `n` and `seed` always give the same files, so figures
measured on one machine can be reproduced on another.
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's emitter is several times faster: it matters at 100,000 files.
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

SITE_URL = "https://demo.example.org/"


@dataclass(frozen=True)
class _Topic:
    subject: str
    skills: tuple[str, ...]
    occupations: tuple[tuple[str, str], ...]
    industry: str


# Occupation codes and titles are O*NET-SOC 2019 (CC BY 4.0, U.S. Department of Labor/ETA).
_TOPICS = (
    _Topic("Data Analysis", ("Data cleaning", "Descriptive statistics", "SQL queries",
                             "Spreadsheet modelling", "Data visualisation", "Dashboard design",
                             "Data storytelling", "Exploratory analysis"),
           (("15-2051.01", "Business Intelligence Analysts"), ("15-2051.00", "Data Scientists")),
           "Professional, Scientific, and Technical Services"),
    _Topic("Machine Learning", ("Supervised learning", "Model evaluation", "Feature engineering",
                                "Python programming", "Responsible AI", "Prompt design"),
           (("15-2051.00", "Data Scientists"), ("15-1252.00", "Software Developers")),
           "Information"),
    _Topic("Cybersecurity", ("Threat awareness", "Incident response", "Network security",
                             "Identity and access management", "Security auditing",
                             "Phishing prevention", "Risk assessment"),
           (("15-1212.00", "Information Security Analysts"),
            ("15-1244.00", "Network and Computer Systems Administrators")),
           "Information"),
    _Topic("Web Development", ("HTML and CSS", "JavaScript programming", "Web accessibility",
                               "API design", "Version control", "Automated testing"),
           (("15-1254.00", "Web Developers"),
            ("15-1255.00", "Web and Digital Interface Designers")),
           "Information"),
    _Topic("Career Guidance", ("Active listening", "Career conversations",
                               "Labour market information", "Career assessment",
                               "Career development theory", "Ethical practice",
                               "Group facilitation", "Job search coaching"),
           (("21-1012.00", "Educational, Guidance, and Career Counselors and Advisors"),),
           "Educational Services"),
    _Topic("People Leadership", ("Coaching", "Delegation", "Giving feedback",
                                 "Conflict resolution", "Change management",
                                 "Inclusive leadership", "Performance management"),
           (("11-1021.00", "General and Operations Managers"),
            ("11-3121.00", "Human Resources Managers")),
           "Management of Companies and Enterprises"),
    _Topic("Human Resources", ("Recruitment", "Employment law", "Onboarding",
                               "Workforce planning", "Employee relations", "Reward design"),
           (("13-1071.00", "Human Resources Specialists"),
            ("11-3121.00", "Human Resources Managers")),
           "Administrative and Support Services"),
    _Topic("Learning Design", ("Instructional design", "Assessment design",
                               "Facilitation", "E-learning authoring", "Learning evaluation"),
           (("13-1151.00", "Training and Development Specialists"),
            ("25-9031.00", "Instructional Coordinators")),
           "Educational Services"),
    _Topic("Project Management", ("Project planning", "Stakeholder management",
                                  "Agile delivery", "Risk management", "Budget control",
                                  "Scheduling"),
           (("13-1082.00", "Project Management Specialists"),),
           "Construction"),
    _Topic("Digital Marketing", ("Content marketing", "Search engine optimisation",
                                 "Social media marketing", "Marketing analytics",
                                 "Copywriting", "Email campaigns"),
           (("13-1161.00", "Market Research Analysts and Marketing Specialists"),
            ("11-2021.00", "Marketing Managers")),
           "Retail Trade"),
    _Topic("Accounting", ("Bookkeeping", "Financial reporting", "Payroll", "Tax compliance",
                          "Management accounting"),
           (("13-2011.00", "Accountants and Auditors"),
            ("43-3031.00", "Bookkeeping, Accounting, and Auditing Clerks")),
           "Finance and Insurance"),
    _Topic("Customer Service", ("Customer communication", "Complaint handling",
                                "Service recovery", "CRM systems", "Telephone skills"),
           (("43-4051.00", "Customer Service Representatives"),),
           "Retail Trade"),
    _Topic("Healthcare Support", ("Patient care", "Infection control", "Medical terminology",
                                  "Health records", "Safe moving and handling"),
           (("31-1131.00", "Nursing Assistants"), ("29-1141.00", "Registered Nurses")),
           "Health Care and Social Assistance"),
    _Topic("Logistics", ("Warehouse operations", "Inventory control", "Supply chain planning",
                         "Transport safety", "Lean operations"),
           (("11-3071.00", "Transportation, Storage, and Distribution Managers"),
            ("53-7065.00", "Stockers and Order Fillers")),
           "Transportation and Warehousing"),
    _Topic("Green Building", ("Energy auditing", "Heat pump installation",
                              "Solar photovoltaic systems", "Building regulations",
                              "Sustainable materials"),
           (("47-2111.00", "Electricians"),
            ("49-9021.00", "Heating, Air Conditioning, and Refrigeration Mechanics and "
                           "Installers")),
           "Construction"),
    _Topic("Hospitality", ("Food safety", "Team supervision", "Menu costing",
                           "Guest experience", "Allergen management"),
           (("35-1012.00", "First-Line Supervisors of Food Preparation and Serving Workers"),),
           "Accommodation and Food Services"),
    _Topic("Community Work", ("Case management", "Safeguarding", "Motivational interviewing",
                              "Trauma-informed practice", "Community engagement"),
           (("21-1093.00", "Social and Human Service Assistants"),),
           "Health Care and Social Assistance"),
    _Topic("Public Relations", ("Media relations", "Crisis communication",
                                "Speech writing", "Reputation management"),
           (("27-3031.00", "Public Relations Specialists"),),
           "Information"),
)

_ISSUER_KINDS = ("university", "college", "employer", "professional-association",
                 "training-provider", "government", "nonprofit")
_KIND_WORDS = {
    "university": ("University", "University of"), "college": ("College", "College of"),
    "employer": ("Group", ""), "professional-association": ("Institute", "Institute of"),
    "training-provider": ("Academy", ""), "government": ("Skills Agency", ""),
    "nonprofit": ("Foundation", ""),
}
_PLACES = ("Ardmore", "Northbridge", "Riverside", "Harbourline", "Westfield", "Kingsmere",
           "Lakeshore", "Brightwater", "Oakridge", "Stonehaven", "Fairhaven", "Millbrook",
           "Redcliffe", "Ashford", "Glenview", "Silverdale", "Thornbury", "Elmstead",
           "Marlow", "Castlegate", "Highmoor", "Lindenfield", "Copperbay", "Wolverton")
# (country, region or None, currency, languages offered besides English)
_COUNTRIES = (("CA", "Ontario", "CAD", ("fr",)), ("IE", None, "EUR", ("ga",)),
              ("GB", None, "GBP", ()), ("US", "Ohio", "USD", ("es",)),
              ("AU", "Victoria", "AUD", ()), ("NL", None, "EUR", ("nl",)),
              ("DE", None, "EUR", ("de",)), ("FR", None, "EUR", ("fr",)))
_QA = (("external-accreditation", "National Quality Council"),
       ("regulated", "Skills Regulator"), ("internal-review", None),
       ("industry-endorsed", "Industry Skills Partnership"))
_ACHIEVEMENT_TYPES = ("MicroCredential", "MicroCredential", "MicroCredential", "Badge",
                      "Certificate", "Certification", "Course", "CertificateOfCompletion")
_LEVELS = (("Introductory", 3), ("Introductory", 4), ("Intermediate", 5),
           ("Intermediate", 5), ("Advanced", 6), ("Advanced", 7), ("Expert", None),
           ("Introductory", None))
# Names that fit the level, so "Advanced ..." is never an introductory credential.
_NAME_FORMS = {
    "Introductory": ("Foundations of {s}", "{s} Essentials", "Introduction to {s}",
                     "{s} Fundamentals"),
    "Intermediate": ("Applied {s}", "{s} in Practice", "Working with {s}",
                     "{s}: Professional Skills"),
    "Advanced": ("Advanced {s}", "{s} for Team Leads", "Leading {s}"),
    "Expert": ("{s} Masterclass", "Expert Practice in {s}"),
}
_HOURS = (4, 6, 8, 10, 12, 15, 18, 20, 25, 30, 36, 40, 50, 60, 75, 90, 120, 150, 200, 300)
_AMOUNTS = (25, 49, 75, 95, 120, 149, 195, 250, 299, 350, 450, 595, 750, 995, 1200, 1500,
            2400, 3200, 4500, 6000)
_METHODS = ("written-exam", "online-quiz", "practical-task", "observed-practice", "portfolio",
            "project", "case-study", "oral-exam", "simulation", "peer-review",
            "reflective-journal", "presentation")
_ID_CHECKS = ("none", "self-declared", "online-id-check", "online-proctored",
              "in-person-id-check")
_RECOGNISER_KINDS = ("employer", "professional-association", "university", "college",
                     "regulator", "government", "industry-body")
_VERBS = ("Apply", "Explain", "Plan", "Evaluate", "Use", "Demonstrate", "Compare",
          "Design", "Review", "Communicate")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _title(text: str) -> str:
    """'Career conversations' -> 'Career Conversations', keeping 'HTML and CSS' as it is."""
    return " ".join(word if word in ("and", "of", "for", "in") else word[:1].upper() + word[1:]
                    for word in text.split())


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                              width=100), encoding="utf-8")


def _skills(topics: tuple[_Topic, ...]) -> dict[str, dict[str, Any]]:
    skills: dict[str, dict[str, Any]] = {}
    for topic in topics:
        for name in topic.skills:
            skills.setdefault(_slug(name), {
                "id": _slug(name), "name": name,
                "description": f"{name}: what a practitioner in {topic.subject.lower()} "
                               f"needs to do it well at work, and to explain it to others.",
            })
    return skills


def _issuers(rng: random.Random, count: int) -> list[dict[str, Any]]:
    issuers = []
    for index in range(count):
        kind = _ISSUER_KINDS[index % len(_ISSUER_KINDS)]
        place = _PLACES[index % len(_PLACES)]
        suffix, prefix = _KIND_WORDS[kind]
        round_ = index // len(_PLACES)  # keeps names, and so ids, unique
        place_name = place if round_ == 0 else (
            f"{place} {('North', 'South', 'East', 'West')[round_ % 4]}"
            + (f" {round_}" if round_ >= 4 else ""))
        name = f"{prefix} {place_name}" if prefix and rng.random() < 0.5 else (
            f"{place_name} {suffix}")
        country, region, currency, languages = _COUNTRIES[rng.randrange(len(_COUNTRIES))]
        qa_type, body = _QA[rng.randrange(len(_QA))]
        issuer_id = _slug(name)
        quality: dict[str, Any] = {"type": qa_type}
        if body:
            quality["body"] = f"{body} of {country}"
            quality["url"] = f"https://quality.example.org/{issuer_id}"
        quality["description"] = (f"{name}'s credentials are reviewed every "
                                  f"{rng.choice(('two', 'three', 'four'))} years against "
                                  "employer feedback and learner outcomes.")
        data: dict[str, Any] = {
            "name": name, "url": f"https://{issuer_id}.example.org/",
            "email": f"credentials@{issuer_id}.example.org", "kind": kind, "country": country,
        }
        if region:
            data["region"] = region
        data["description"] = (f"{name} is a {kind.replace('-', ' ')} offering short, "
                               "stackable credentials to working adults, designed with "
                               "employers in its region.")
        data["quality_assurance"] = quality
        issuers.append({"id": issuer_id, "data": data, "currency": currency,
                        "languages": languages})
    return issuers


def _credential(rng: random.Random, index: int, issuer: dict[str, Any], topic: _Topic,
                skill_ids: list[str]) -> tuple[str, dict[str, Any]]:
    label, eqf = _LEVELS[rng.randrange(len(_LEVELS))]
    name = rng.choice(_NAME_FORMS[label]).format(s=topic.subject)
    if rng.random() < 0.5:
        name = name.replace(topic.subject, _title(rng.choice(topic.skills)))
    credential_id = f"{_slug(name)[:50].rstrip('-')}-{index:06d}"
    own = [_slug(s) for s in topic.skills]
    chosen = rng.sample(own, k=min(len(own), rng.randint(2, 4)))
    if rng.random() < 0.3:
        extra = rng.choice(skill_ids)
        if extra not in chosen:
            chosen.append(extra)
    hours = rng.choice(_HOURS)
    workload: dict[str, Any] = {"hours": hours}
    if rng.random() < 0.4:
        workload["ects"] = max(0.5, round(hours / 25 * 2) / 2)
    if rng.random() < 0.15:
        cost: dict[str, Any] = {"free": True}
        if rng.random() < 0.5:
            cost["note"] = "Free for residents; funded by the regional skills fund."
    else:
        cost = {"amount": rng.choice(_AMOUNTS), "currency": issuer["currency"]}
        if rng.random() < 0.1:  # some issuers also price in a second currency
            cost["currency"] = rng.choice(("EUR", "USD", "GBP"))
    languages = ["en"]
    if issuer["languages"] and rng.random() < 0.35:
        other = issuer["languages"][0]
        languages = [other] if rng.random() < 0.4 else ["en", other]
    methods = rng.sample(_METHODS, k=rng.randint(1, 3))
    weights = [100] if len(methods) == 1 else (
        [50, 50] if len(methods) == 2 else [40, 30, 30])
    skill_words = ", ".join(s.replace("-", " ") for s in chosen)
    evaluation: dict[str, Any] = {
        "narrative": (f"Learners complete a {methods[0].replace('-', ' ')} on {skill_words}, "
                      f"assessed by a qualified {topic.subject.lower()} assessor against "
                      "published criteria."),
        "methods": [{"type": m, "description": f"A {m.replace('-', ' ')} set in a realistic "
                     "workplace situation.", "weight_percent": w}
                    for m, w in zip(methods, weights, strict=True)],
        "pass_threshold": rng.choice(("60% overall", "Pass on every criterion",
                                      "70% overall and Pass on the practical task")),
        "evidence": [f"{m.replace('-', ' ').capitalize()} submission" for m in methods],
    }
    if rng.random() < 0.5:
        evaluation["rubric"] = {
            "levels": ["Not yet", "Pass", "Merit"],
            "criteria": [{"criterion": s.replace("-", " ").capitalize(),
                          "descriptors": ["Incomplete or inaccurate.", "Accurate and complete.",
                                          "Accurate, complete and well justified."]}
                         for s in chosen[:3]],
        }
    data: dict[str, Any] = {
        "name": name,
        "issuer": issuer["id"],
        "achievement_type": rng.choice(_ACHIEVEMENT_TYPES),
        "summary": f"Build practical {topic.subject.lower()} skills in {skill_words}, "
                   f"assessed through real workplace tasks.",
        "description": (f"A {label.lower()} credential for people working in "
                        f"{topic.industry.lower()} who want to strengthen their "
                        f"{topic.subject.lower()} practice.\n\nIt covers {skill_words}, "
                        "with short weekly activities applied to the learner's own job."),
        "learning_outcomes": [f"{rng.choice(_VERBS)} {s.replace('-', ' ')} in a workplace "
                              "setting." for s in chosen],
        "skills": chosen,
        "evaluation": evaluation,
        "level": {"eqf": eqf, "label": label} if eqf else {"label": label},
        "workload": workload,
        "duration": {"amount": max(1, hours // 10), "unit": "weeks",
                     "self_paced": rng.random() < 0.4},
        "cost": cost,
        "participation": rng.choice(("online", "online", "in-person", "blended")),
        "languages": languages,
        "occupations": [{"onet": code, "title": title}
                        for code, title in topic.occupations[:rng.randint(1, 2)]],
        "industries": [topic.industry],
    }
    if rng.random() < 0.4:
        data["recognition"] = [{
            "name": f"{rng.choice(_PLACES)} {topic.subject} Employers Network",
            "kind": rng.choice(_RECOGNISER_KINDS),
            "note": "Counts toward continuing professional development hours."}]
    if rng.random() < 0.8:
        check = rng.choice(_ID_CHECKS)
        data["assessment_conditions"] = {"identity_verification": check,
                                         "supervised": check.endswith(("proctored", "check"))}
    if rng.random() < 0.3:
        data["validity_months"] = rng.choice((12, 24, 36, 60))
    if rng.random() < 0.2:
        data["ctid"] = "ce-" + str(uuid.UUID(int=rng.getrandbits(128), version=4))
    data["url"] = f"https://{issuer['id']}.example.org/credentials/{credential_id}"
    data["version"] = f"{rng.randint(1, 3)}.{rng.randint(0, 4)}"
    data["status"] = "retired" if rng.random() < 0.05 else "active"
    if rng.random() < 0.9:
        data["updated"] = (f"{rng.choice((2023, 2024, 2025, 2026))}-"
                           f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    data["tags"] = [_slug(topic.subject), label.lower()]
    return credential_id, data


def _pathways(rng: random.Random, credentials: dict[str, dict[str, Any]],
              topics_of: dict[str, _Topic], count: int) -> dict[str, dict[str, Any]]:
    """Pathways from one issuer's active credentials of one topic, with an elective stage."""
    pools: dict[tuple[str, str], list[str]] = {}
    for cid, data in credentials.items():
        if data["status"] == "active":
            pools.setdefault((data["issuer"], topics_of[cid].subject), []).append(cid)
    pathways: dict[str, dict[str, Any]] = {}
    for (issuer_id, subject), members in sorted(pools.items()):
        if len(pathways) >= count:
            break
        while len(members) >= 4 and len(pathways) < count:
            take = members[:rng.randint(4, 7)]
            del members[:len(take)]
            first, *middle, last = take
            elective = middle[:3] if len(middle) >= 2 and rng.random() < 0.8 else []
            core = [c for c in middle if c not in elective]
            stages: list[dict[str, Any]] = [{"name": "Get started", "credentials": [first]}]
            if core:
                stages.append({"name": "Core skills", "credentials": core})
            if elective:
                stages.append({"name": "Choose a specialism",
                               "description": "Pick the option closest to your role.",
                               "require": 1 if len(elective) < 3 or rng.random() < 0.5 else 2,
                               "credentials": elective})
            stages.append({"name": "Capstone", "credentials": [last]})
            for cid in take[:-1]:
                credentials[cid].setdefault("stacks_into", []).append(last)
            occupation = credentials[first]["occupations"][0]
            name = f"{subject} pathway ({credentials[first]['issuer'].replace('-', ' ').title()})"
            pathway_id = (f"{_slug(subject)[:20].rstrip('-')}-{issuer_id[:30].rstrip('-')}-"
                          f"{len(pathways):05d}")
            pathways[pathway_id] = {
                "name": name,
                "description": (f"Stack {len(take)} credentials from one issuer toward a role "
                                f"in {subject.lower()}, finishing with a capstone."),
                "goal": {"occupation": occupation["onet"],
                         "role": f"{occupation['title']} (entry level)"},
                "stages": stages,
                "featured": len(pathways) < 3,
            }
    return pathways


# French for a catalog generated with `languages=("en", "fr")`: what a bilingual catalog
# translates (credential, pathway and issuer texts); skills and occupations stay English, as
# a partly translated catalog's do, so its French pages also show the fallback marker.
_SUBJECTS_FR = {
    "Data Analysis": "analyse de données", "Machine Learning": "apprentissage automatique",
    "Cybersecurity": "cybersécurité", "Web Development": "développement web",
    "Career Guidance": "orientation professionnelle", "People Leadership": "direction d'équipe",
    "Human Resources": "ressources humaines", "Learning Design": "ingénierie pédagogique",
    "Project Management": "gestion de projet", "Digital Marketing": "marketing numérique",
    "Accounting": "comptabilité", "Customer Service": "service à la clientèle",
    "Healthcare Support": "soutien aux soins de santé", "Logistics": "logistique",
    "Green Building": "construction durable", "Hospitality": "hôtellerie-restauration",
    "Community Work": "intervention communautaire", "Public Relations": "relations publiques",
}
_NAME_FORMS_FR = {
    "Foundations of {s}": "Fondements : {s}", "{s} Essentials": "{s} : l'essentiel",
    "Introduction to {s}": "Introduction : {s}", "{s} Fundamentals": "{s} : notions de base",
    "Applied {s}": "Application : {s}", "{s} in Practice": "{s} en pratique",
    "Working with {s}": "Pratique professionnelle : {s}",
    "{s}: Professional Skills": "{s} : compétences professionnelles",
    "Advanced {s}": "{s} : niveau avancé", "{s} for Team Leads": "{s} pour chefs d'équipe",
    "Leading {s}": "Direction : {s}", "{s} Masterclass": "Classe de maître : {s}",
    "Expert Practice in {s}": "Pratique experte : {s}",
}
_LEVELS_FR = {"Introductory": "d'initiation", "Intermediate": "intermédiaire",
              "Advanced": "avancée", "Expert": "d'expert"}


def _name_fr(name: str, topic: _Topic) -> str:
    for form, french in _NAME_FORMS_FR.items():
        head, _, tail = form.partition("{s}")
        if name.startswith(head) and name.endswith(tail):
            subject = name[len(head):len(name) - len(tail)]
            if subject == topic.subject:
                subject = _SUBJECTS_FR[subject]
            french = french.format(s=subject)
            return french[:1].upper() + french[1:]
    return name


def _translate_credential(data: dict[str, Any], topic: _Topic) -> None:
    """Give a generated credential's texts a French version beside the English."""
    subject = _SUBJECTS_FR[topic.subject]
    skills = ", ".join(s.replace("-", " ") for s in data["skills"])
    level = _LEVELS_FR[data["level"]["label"]]
    french = {
        "name": _name_fr(data["name"], topic),
        "summary": f"Des compétences pratiques en {subject} ({skills}), évaluées par des "
                   "tâches réelles en milieu de travail.",
        "description": (f"Une certification {level} pour les personnes qui veulent renforcer "
                        f"leur pratique en {subject}.\n\nElle couvre {skills}, avec de courtes "
                        "activités hebdomadaires appliquées au propre emploi de la personne."),
    }
    for field, text in french.items():
        data[field] = {"en": data[field], "fr": text}
    data["learning_outcomes"] = [
        {"en": outcome, "fr": f"Mettre en œuvre {skill.replace('-', ' ')} dans un contexte "
                              "de travail."}
        for outcome, skill in zip(data["learning_outcomes"], data["skills"], strict=True)]


def _translate_pathway(data: dict[str, Any]) -> None:
    stages_fr = {"Get started": "Pour commencer", "Core skills": "Compétences de base",
                 "Choose a specialism": "Choisir une spécialité", "Capstone": "Projet final"}
    data["name"] = {"en": data["name"], "fr": "Parcours : " + data["name"].replace(
        " pathway (", " (")}
    data["description"] = {"en": data["description"], "fr": (
        "Cumulez les certifications d'un même établissement vers un emploi, jusqu'à un "
        "projet final.")}
    for stage in data["stages"]:
        stage["name"] = {"en": stage["name"], "fr": stages_fr[stage["name"]]}
        if "description" in stage:
            stage["description"] = {"en": stage["description"],
                                    "fr": "Choisissez l'option la plus proche de votre rôle."}


def write_demo_catalog(n: int, out_dir: Path, seed: int = 2026,
                       languages: tuple[str, ...] = ("en",)) -> Path:
    """Write a valid catalog project of `n` credentials into `out_dir` and return it.

    Build it with `mkdocs build -f OUT_DIR/mkdocs.yml`. The same `n` and `seed` always
    produce the same files. `languages` ("en", or "en" and "fr") declares the catalog's
    languages; with French, every credential and pathway carries French texts too.
    """
    if languages not in (("en",), ("en", "fr")):
        raise ValueError("a demo catalog is in English, or in English and French (en,fr)")
    if n < 1:
        raise ValueError("a demo catalog needs at least one credential")
    rng = random.Random(f"credcat-demo:{seed}")
    out_dir = Path(out_dir)
    catalog = out_dir / "catalog"
    for folder in ("issuers", "credentials", "pathways"):
        (catalog / folder).mkdir(parents=True, exist_ok=True)
    (out_dir / "public_keys").mkdir(parents=True, exist_ok=True)
    (out_dir / "docs").mkdir(parents=True, exist_ok=True)

    skills = _skills(_TOPICS)
    skill_ids = sorted(skills)
    issuers = _issuers(rng, max(4, min(400, n // 150)))
    credentials: dict[str, dict[str, Any]] = {}
    topics_of: dict[str, _Topic] = {}
    for index in range(n):
        issuer = issuers[rng.randrange(len(issuers))]
        topic = _TOPICS[rng.randrange(len(_TOPICS))]
        cid, data = _credential(rng, index, issuer, topic, skill_ids)
        credentials[cid] = data
        topics_of[cid] = topic
    pathways = _pathways(rng, credentials, topics_of, max(1, n // 25))
    if "fr" in languages:  # after every random choice: the same seed, the same catalog
        for cid, data in credentials.items():
            _translate_credential(data, topics_of[cid])
        for data in pathways.values():
            _translate_pathway(data)

    for issuer in issuers:
        _dump(catalog / "issuers" / f"{issuer['id']}.yaml", issuer["data"])
    for cid, data in credentials.items():
        _dump(catalog / "credentials" / f"{cid}.yaml", data)
    for pid, data in pathways.items():
        _dump(catalog / "pathways" / f"{pid}.yaml", data)
    _dump(catalog / "skills.yaml", {"skills": [skills[s] for s in skill_ids]})
    (out_dir / "docs" / "about.md").write_text(
        f"# About this catalog\n\nA generated demonstration catalog of {n:,} credentials "
        f"(seed {seed}). Every organisation and credential in it is fictional.\n",
        encoding="utf-8")
    (out_dir / "mkdocs.yml").write_text(
        f"site_name: Demo catalog ({n:,} credentials)\n"
        "site_description: A generated catalog for measuring credcat at scale.\n"
        f"site_url: {SITE_URL}\n"
        "docs_dir: docs\n"
        "use_directory_urls: true\n"
        "theme:\n  name: credcat\n"
        "plugins:\n  - credcat:\n      catalog_dir: catalog\n      keys_dir: public_keys\n"
        + (f"      languages: [{', '.join(languages)}]\n      default_language: en\n"
           if len(languages) > 1 else ""),
        encoding="utf-8")
    return out_dir
