"""MkDocs hook for the plain baseline site (`bench/run.py`): the credcat theme's English
interface without the credcat plugin.

The theme's templates speak through gettext (`_()`, `{% trans %}`) and a few of the plugin's
filters, which the plugin installs in `on_env`. The baseline measures MkDocs building plain
pages with the same theme, so it gets the same English environment and nothing else: no
catalog, no generated pages, no exports.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from site_builder.catalog.model import ENGLISH
from site_builder.site import interface


def on_env(env: Environment, **_: Any) -> Environment:
    env.add_extension("jinja2.ext.i18n")
    interface.install(env, ENGLISH.default)
    env.filters.update(interface.filters())
    env.filters["root_url"] = env.filters["url"]  # as the plugin does for one language
    return env
