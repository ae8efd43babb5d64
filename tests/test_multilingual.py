"""Multilingual catalogs: text in several languages, checked where it is written.

The held set `tests/multilingual/broken/` is a bilingual (en, fr) overlay on the minimal
fixture with one language mistake per field; its `expected.yaml` lists, by hand, every problem
`credcat check` must print with `path:line:col`, and no other may appear.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
from pathlib import Path

import pytest
import yaml

from site_builder.catalog.loader import load_catalog
from site_builder.catalog.model import Languages, Text
from site_builder.credentials import status_list
from site_builder.credentials.achievement import Wording
from site_builder.credentials.did import did_document
from site_builder.credentials.issuing import Learner, build_credential
from site_builder.publishing.project import ConfigError, Project
from site_builder.site.field_reference import field_reference_markdown
from tests import browser
from tests import test_interop as interop
from tests.browser_thread import (
    BrowserThread,
    browser_thread_fixture,
    on_browser_thread,
    watched_page_fixture,
)
from tests.conftest import copy_project, run_credcat

HERE = Path(__file__).parent
MINIMAL = HERE / "fixtures" / "minimal"
BROKEN = HERE / "multilingual" / "broken"
BILINGUAL = Languages(("en", "fr"), "en")
PROBLEM = re.compile(r"^(?P<at>\S+:\d+:\d+): (?P<warning>warning: )?(?P<message>.+)$")


def _broken_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    shutil.copytree(BROKEN, project, dirs_exist_ok=True)
    (project / "expected.yaml").unlink()
    return project


def test_check_reports_every_language_error_with_its_position(tmp_path: Path) -> None:
    result = run_credcat("check", cwd=_broken_project(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    printed = {}
    for line in output.splitlines():
        if match := PROBLEM.match(line):
            printed[match["at"]] = ("warning" if match["warning"] else "error", match["message"])
    expected = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
    for item in expected:
        assert item["at"] in printed, f"nothing reported at {item['at']}:\n{output}"
        severity, message = printed[item["at"]]
        assert severity == item["severity"], (item, message)
        assert item["says"] in message, (item, message)
    assert set(printed) == {item["at"] for item in expected}, output


def test_a_fully_translated_entry_carries_every_translation_in_the_model(
        tmp_path: Path) -> None:
    catalog, problems = load_catalog(_broken_project(tmp_path), languages=BILINGUAL)
    assert not [p for p in problems if "good-bilingual" in p.file]
    assert catalog.languages == BILINGUAL
    credential = catalog.credentials["good-bilingual"]
    assert credential.name == "Reading Charts"
    assert credential.name.in_language("fr") == ("Lire les graphiques", False)
    rubric = credential.evaluation.rubric
    assert rubric is not None
    assert rubric.levels[1].in_language("fr") == ("Atteint", False)
    assert rubric.criteria[0].descriptors[0].in_language("fr") == ("Lit mal l'échelle", False)
    assert credential.cost.note is not None
    assert credential.cost.note.in_language("fr")[0] == "Gratuit pour les résidents"
    # A plain string is the default language's text; French falls back to it, flagged.
    intro = catalog.credentials["intro-data"]
    assert intro.summary.in_language("fr") == ("Read tables and charts with confidence.", True)
    assert intro.summary.in_language("en") == ("Read tables and charts with confidence.", False)
    assert catalog.skills["data-basics"].name.in_language("fr")[0] == "Notions de base en données"


def test_text_is_a_string_to_existing_code_and_keeps_its_translations() -> None:
    text = Text("Data", {"en": "Data", "fr": "Données"}, "en")
    assert text == "Data" and isinstance(text, str) and f"{text}!" == "Data!"
    assert hash(text) == hash("Data")
    assert dict(text.translations) == {"en": "Data", "fr": "Données"}
    assert text.in_language("de") == ("Data", True)
    copy = pickle.loads(pickle.dumps(text))
    assert copy.in_language("fr") == ("Données", False)
    with pytest.raises(AttributeError):
        text.language = "fr"  # type: ignore[misc]
    with pytest.raises(TypeError):
        text.translations["fr"] = "Autre"  # type: ignore[index]


def test_a_catalog_that_declares_no_languages_is_english_as_before(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    (project / "catalog" / "credentials" / "intro-data.yaml").write_text(
        (MINIMAL / "catalog" / "credentials" / "intro-data.yaml").read_text(encoding="utf-8")
        .replace("name: Introduction to Data", "name:\n  en: Introduction to Data\n"
                 "  fr: Introduction aux données"), encoding="utf-8")
    result = run_credcat("check", cwd=project)
    assert result.returncode == 1
    assert ("catalog/credentials/intro-data.yaml:3:3: name: 'fr' is not a language of this "
            "catalog (en)") in result.stdout + result.stderr


@pytest.mark.parametrize(("declaration", "says"), [
    ("languages: [en, english]", "'english' is not a well-formed BCP 47 language code"),
    ("languages: [en, fr]\n      default_language: de", "the default language 'de' is not in"),
    ("languages: [en, fr, en]", "lists the same language twice"),
    ("languages: en", "must be a list of language codes"),
])
def test_a_wrong_language_declaration_names_mkdocs_yml(tmp_path: Path, declaration: str,
                                                       says: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nplugins:\n  - credcat:\n      " + declaration + "\n",
                      encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(says)) as raised:
        Project.from_config(config)
    assert str(raised.value).startswith(f"{config}:1: ")


def test_the_declaration_defaults_to_the_first_language_listed(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nplugins:\n  - credcat:\n      languages: [fr, en]\n",
                      encoding="utf-8")
    assert Project.from_config(config).languages == Languages(("fr", "en"), "fr")


# -- credentials in the learner's language ----------------------------------------------------
node = interop.node  # the Node fixture of the interop tests (marks these tests `interop`)
BILINGUAL_ISSUER = "riverside-workforce-alliance"


@pytest.fixture
def riverside(tmp_path: Path) -> tuple[Path, Path]:
    """The example project with a fresh key for the issuer whose entries are in French too."""
    project = copy_project(tmp_path / "project")
    # Its committed status lists are signed by the vectors' key; start from credcat's own.
    shutil.rmtree(project / status_list.STATUS_DIR / BILINGUAL_ISSUER, ignore_errors=True)
    private = tmp_path / "secrets" / "riverside.pem"
    made = run_credcat("keygen", BILINGUAL_ISSUER, "--key-id", "lang-key", "--out", private,
                       cwd=project)
    assert made.returncode == 0, made.stderr
    return project, private


def test_a_french_credential_verifies_everywhere(node: str, riverside: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    """`--lang fr`: French texts (from the catalog file), inLanguage fr; credcat, the 1EdTech
    schema, Digital Bazaar and DCC's verifier-core all accept it."""
    project, private = riverside
    path = tmp_path / "fr.json"
    issued = run_credcat("issue", "ai-literacy-for-the-workplace", "--lang", "fr", "--key",
                         private, "--name", "Camille Roy", "--email", "camille@example.org",
                         "-o", path, cwd=project)
    assert issued.returncode == 0, issued.stderr
    assert "note: no fr text" not in issued.stderr  # every field it uses is translated
    signed = json.loads(path.read_text(encoding="utf-8"))
    achievement = signed["credentialSubject"]["achievement"]
    assert signed["name"] == achievement["name"] == "Littératie en IA au travail"
    assert signed["description"].startswith("Comprendre ce que les outils d'IA peuvent faire")
    assert achievement["inLanguage"] == "fr"
    assert signed["issuer"]["name"] == "Alliance Riverside pour l'emploi"
    assert "Charge de travail théorique\u00a0: 8\u00a0heures" in achievement["description"]
    assert "Mode de participation\u00a0: en ligne" in achievement["description"]
    narrative = achievement["criteria"]["narrative"]
    assert narrative.startswith("Les participants répondent à un court questionnaire")
    assert "- Rédiger des instructions (requêtes) claires pour un assistant d'IA" in narrative
    assert ("Type d'évaluation\u00a0: questionnaire en ligne (40\u00a0%), tâche pratique "
            "(60\u00a0%).") in narrative
    assert {a["targetName"] for a in achievement["alignment"]} >= {
        "Littératie en IA", "Usage responsable de l'IA", "Niveau 3 du CEC"}

    verified = run_credcat("verify", path, cwd=project)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert interop.ob_schema_errors(signed) == []
    config = Project.from_config(project / "mkdocs.yml")
    did_path = interop.write_json(tmp_path / "did.json", did_document(
        config.site, config.require().issuers[BILINGUAL_ISSUER]))
    code, report = interop.db_verify(node, path, did_path,
                                     *interop.status_lists(project, config.site))
    assert code == 0, report
    report = interop.dcc_verify(node, path, interop.build_site(project, tmp_path / "site"))
    assert report["ok"], report
    assert [s["valid"] for s in report["schema"]] == [True], report


@pytest.mark.slow
def test_issue_names_the_fields_that_keep_the_default_language(
        riverside: tuple[Path, Path], tmp_path: Path) -> None:
    """job-search-coaching's O*NET occupation titles exist in English only."""
    project, private = riverside
    path = tmp_path / "fr.json"
    issued = run_credcat("issue", "job-search-coaching", "--lang", "fr", "--key", private,
                         "--name", "Camille Roy", "--email", "camille@example.org", "-o", path,
                         cwd=project)
    assert issued.returncode == 0, issued.stderr
    assert ("note: no fr text for title of occupation 21-1012.00, title of occupation "
            "13-1071.00: the credential carries the en text there") in issued.stderr
    achievement = json.loads(path.read_text(encoding="utf-8"))["credentialSubject"][
        "achievement"]
    assert achievement["name"] == "Accompagnement à la recherche d'emploi"
    assert "Human Resources Specialists" in {a["targetName"] for a in achievement["alignment"]}

    undeclared = run_credcat("issue", "job-search-coaching", "--lang", "de", "--key", private,
                             "--name", "Camille Roy", "--email", "camille@example.org", "-o",
                             tmp_path / "de.json", cwd=project)
    assert undeclared.returncode == 2
    assert "--lang de: the catalog's languages are en, fr" in undeclared.stderr
    assert not (tmp_path / "de.json").exists()


# -- the field reference and `credcat new` ------------------------------------------------------
def test_the_field_reference_says_which_fields_take_several_languages() -> None:
    page = field_reference_markdown()
    assert "## Languages" in page
    assert ("| `summary` | yes | text, 10 to 300 characters; in several languages, a mapping "
            "of language codes to text (see Languages above) |") in page
    assert "| `stages[].name` | yes | text; in several languages" in page
    # Codes and the languages of instruction are not translated.
    assert "| `issuer` | yes | an id: lowercase letters" in page
    assert "| `languages` | yes | a list (at least 1 item, no repeats); each item: a language " \
        "code, e.g. en or fr-CA |" in page


def test_new_writes_each_text_in_every_declared_language(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - credcat\n", "  - credcat:\n      languages: [en, fr]\n"), encoding="utf-8")
    made = run_credcat("new", "pathway", "data-first-steps", "--name", "Data First Steps",
                       "--role", "Data helper", "--stage", "Start=intro-data", cwd=project)
    assert made.returncode == 0, made.stderr
    written = yaml.safe_load((project / "catalog" / "pathways" / "data-first-steps.yaml")
                             .read_text(encoding="utf-8"))
    assert written["name"] == {"en": "Data First Steps", "fr": "TODO: in fr: Data First Steps"}
    assert written["stages"][0]["name"] == {"en": "Start", "fr": "TODO: in fr: Start"}
    assert set(written["description"]) == {"en", "fr"}
    checked = run_credcat("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# -- the verify page ----------------------------------------------------------------------------
# The shared site fixtures (tests/browser.py), and Chromium on a thread of this module's own
# (tests/browser_thread.py explains why), made visible to pytest in this module.
keyed_site = browser.keyed_site
keyed_server = browser.keyed_server
browser_thread = pytest.fixture(scope="module")(browser_thread_fixture)
watched_page = pytest.fixture(watched_page_fixture)


@on_browser_thread
def test_the_verify_page_verifies_a_french_credential(
        browser_thread: BrowserThread, watched_page: browser.WatchedPage,
        keyed_server: browser.SiteServer, keyed_site: browser.KeyedSite) -> None:
    project = Project.from_config(keyed_site.project / "mkdocs.yml")
    document = build_credential(
        project.site, project.require().credentials["ai-literacy-for-the-workplace"],
        Learner("Camille Roy", "camille@example.org"), browser.ISSUED, salt="5a1ted5a1ted",
        wording=Wording("fr"))
    document["credentialStatus"] = keyed_site.status_entries(document)
    signed = keyed_site.sign(document)
    page = watched_page.page
    page.goto(keyed_server.url + "verify/")
    page.wait_for_selector("#verifier[data-ready='true']", state="attached")
    page.fill("#credential-input", json.dumps(signed, ensure_ascii=False))
    page.click("#verify-button")
    page.wait_for_function("() => { const r = document.getElementById('results'); "
                           "return !r.hasAttribute('aria-busy') && r.querySelector('h2'); }")
    assert page.inner_text("#verify-status") == "Verified."
    text = page.inner_text("#results")
    assert "Littératie en IA au travail" in text and "Camille Roy" in text
    watched_page.assert_clean(keyed_server.origin)
