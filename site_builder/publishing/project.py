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
from site_builder.catalog.model import Catalog
from site_builder.catalog.problems import Problem
from site_builder.errors import CredcatError
from site_builder.urls import Site


class _IgnoreTagsLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV or !!python/name; none matter here."""


_IgnoreTagsLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    root: Path
    catalog_dir: str = "catalog"
    keys_dir: str = "public_keys"
    site_url: str | None = None
    key_scan_exclude: tuple[str, ...] = ()
    site_dir_name: str = "site"

    @classmethod
    def from_config(cls, config_file: Path) -> Project:
        """Read mkdocs.yml; without one, the folder it would be in with default settings."""
        root = config_file.resolve().parent
        if not config_file.is_file():
            return cls(root)
        try:
            data = yaml.load(config_file.read_text(encoding="utf-8"),
                             Loader=_IgnoreTagsLoader) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{config_file}:{mark.line + 1}:{mark.column + 1}" if mark else str(config_file)
            raise CredcatError(f"{where}: cannot read the site configuration: "
                               f"{getattr(exc, 'problem', None) or exc}; fix mkdocs.yml "
                               "(see the MkDocs configuration reference)") from None
        plugins = data.get("plugins") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(plugins or [], list):
            raise CredcatError(f"{config_file}: expected a mapping of MkDocs settings with "
                               "`plugins:` as a list; fix mkdocs.yml")
        options: dict[str, Any] = {}
        for entry in plugins or []:
            if isinstance(entry, dict) and isinstance(entry.get("credcat"), dict | None) and (
                    "credcat" in entry):
                options = entry["credcat"] or {}
        return cls(root, options.get("catalog_dir", "catalog"),
                   options.get("keys_dir", "public_keys"), data.get("site_url"),
                   tuple(options.get("key_scan_exclude") or ()), data.get("site_dir", "site"))

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
    def keys_path(self) -> Path:
        return self.root / self.keys_dir

    def load(self) -> tuple[Catalog, list[Problem]]:
        return load_catalog(self.root, self.catalog_dir, self.keys_dir)

    def require(self) -> Catalog:
        """The catalog, or CatalogError when it has errors: signing needs a sound catalog."""
        return require_catalog(self.root, self.catalog_dir, self.keys_dir)[0]
