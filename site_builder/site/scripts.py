"""The theme's browser modules, published minified.

The source in `templates/theme/js/` stays readable and commented (there is no build step for
our own code); the site gets each module with its comments, whitespace and local names
removed, because the verify page's first load is counted in bytes (issue 16) and the comments
are about half of them. tdewolff/minify (Go, through its Python binding) parses the modules as
ECMAScript 2020+ (import/export, top-level await, `import.meta`, regular expressions with
look-behind), so it cannot break them the way a regular-expression minifier can; it keeps
every exported and top-level name, which other modules and the page import.

The third-party bundles in `js/vendor/` are published as they are: they are minified already.

The minifier runs in the build's own process only, while MkDocs gathers the files, before
`render` forks its workers: a Go runtime does not survive in a forked child, so a worker must
never call it (`site/minify.py` says what that cost when it was tried for pages).
"""

from __future__ import annotations

from functools import cache

import minify
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

SCRIPTS = "js/"
VENDOR = "js/vendor/"


class ScriptError(ValueError):
    """A theme module the minifier cannot parse: a syntax error in the source."""


@cache
def minified(source: str) -> str:
    """One ES module, minified; cached, since a `serve` rebuild publishes the same theme."""
    try:
        return minify.string("application/javascript", source)
    except minify.MinifyError as exc:
        raise ScriptError(str(exc)) from exc


def is_theme_module(file: File, config: MkDocsConfig) -> bool:
    """One of the theme's own modules (a docs folder's script is the site author's)."""
    uri = file.src_uri
    return (file.generated_by is None and file.src_dir in config.theme.dirs
            and uri.startswith(SCRIPTS) and uri.endswith(".js") and not uri.startswith(VENDOR))


def minify_theme_scripts(files: Files, config: MkDocsConfig) -> None:
    """Replace each of the theme's own modules in `files` with its minified text."""
    for file in [file for file in files if is_theme_module(file, config)]:
        source = file.content_string
        try:
            text = minified(source)
        except ScriptError as exc:
            raise ScriptError(f"{file.abs_src_path}: {exc}; fix the JavaScript (npx biome "
                              "lint reads it too)") from exc
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=text))
