"""A catalog project on disk: where its catalog, keys and mkdocs.yml are, and its site URL.

Every command (check, keygen, issue, verify) needs the same answers, and they must match what
the MkDocs plugin uses when it builds, so they are read from mkdocs.yml in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from site_builder.catalog.loader import load_catalog, require_catalog
from site_builder.catalog.localized import declaration_problems
from site_builder.catalog.model import ENGLISH, Catalog, Languages
from site_builder.catalog.problems import Problem
from site_builder.errors import CredcatError
from site_builder.urls import Site


class _IgnoreTagsLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV or !!python/name; none matter here."""


_IgnoreTagsLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class ConfigError(CredcatError):
    """mkdocs.yml cannot be read; the message names the file, line and what to do."""


def _read_config(config_file: Path) -> dict[str, Any]:
    try:
        text = config_file.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_IgnoreTagsLoader) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_file}:1: cannot read it ({exc}); save it as UTF-8 "
                          "text") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise ConfigError(f"{config_file}:{where}: YAML syntax error: {exc.problem or exc.context}"
                          "; fix the YAML at this position") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_file}:1: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{config_file}:1: mkdocs.yml must be a mapping of settings "
                          "(`site_name: ...`)")
    return data


@dataclass(frozen=True)
class Project:
    root: Path
    catalog_dir: str = "catalog"
    keys_dir: str = "public_keys"
    site_url: str | None = None
    key_scan_exclude: tuple[str, ...] = ()
    site_dir_name: str = "site"
    docs_dir_name: str = "docs"
    languages: Languages = ENGLISH

    @classmethod
    def from_config(cls, config_file: Path) -> Project:
        """Read mkdocs.yml; without one, the folder it would be in with default settings."""
        root = config_file.resolve().parent
        if not config_file.is_file():
            return cls(root)
        data = _read_config(config_file)
        plugins = data.get("plugins")
        if not isinstance(plugins or [], list):
            raise ConfigError(f"{config_file}:1: `plugins:` must be a list of MkDocs plugins; "
                              "fix mkdocs.yml")
        options: dict[str, Any] = {}
        for entry in plugins or []:
            if isinstance(entry, dict) and isinstance(entry.get("credcat"), dict | None) and (
                    "credcat" in entry):
                options = entry["credcat"] or {}
        return cls(root, options.get("catalog_dir", "catalog"),
                   options.get("keys_dir", "public_keys"), data.get("site_url"),
                   tuple(options.get("key_scan_exclude") or ()), data.get("site_dir", "site"),
                   data.get("docs_dir", "docs"), _languages(config_file, options))

    @property
    def site(self) -> Site:
        return Site.from_config(self.site_url)

    @property
    def site_dir(self) -> Path:
        return self.root / self.site_dir_name

    def schema_url(self, kind: str) -> str:
        """Published schema address, for the `# yaml-language-server` line of new files."""
        return self.site.absolute(f"schemas/{kind}.schema.json")

    @property
    def published_from(self) -> list[Path]:
        """The folders a build publishes from, which the private-key scan reads in full."""
        return [self.root / name for name in (self.catalog_dir, self.keys_dir, "status",
                                              self.docs_dir_name)]

    @property
    def keys_path(self) -> Path:
        return self.root / self.keys_dir

    def load(self) -> tuple[Catalog, list[Problem]]:
        return load_catalog(self.root, self.catalog_dir, self.keys_dir, self.languages)

    def require(self) -> Catalog:
        """The catalog, or CatalogError when it has errors: signing needs a sound catalog."""
        return require_catalog(self.root, self.catalog_dir, self.keys_dir, self.languages)[0]


def _languages(config_file: Path, options: dict[str, Any]) -> Languages:
    """The credcat plugin's `languages` and `default_language`, checked as the build checks
    them (`site/plugin.py`), so `credcat check` refuses what `mkdocs build` would."""
    codes = options.get("languages", list(ENGLISH.codes))
    default = options.get("default_language", codes[0] if isinstance(codes, list) and codes
                          else ENGLISH.default)
    if (not isinstance(codes, list) or not codes
            or not all(isinstance(c, str) for c in codes) or not isinstance(default, str)):
        raise ConfigError(f"{config_file}:1: the credcat plugin's `languages` must be a list "
                          "of language codes (e.g. [en, fr]) and `default_language` one of them")
    languages = Languages(tuple(codes), default)
    if problems := declaration_problems(languages):
        raise ConfigError(f"{config_file}:1: the credcat plugin's languages: "
                          + "; ".join(problems))
    return languages
