"""The theme's modules as the site publishes them: minified (site/scripts.py), still the same
modules. The browser tests run the published modules; these check every module, including
the ones no browser test loads, against what the source itself declares and against Node's
own parser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder.site import scripts

from .conftest import REPO

THEME_JS = REPO / "templates" / "theme" / "js"
MODULES = sorted(path for path in THEME_JS.rglob("*.js") if "vendor" not in path.parts)
EXPORTED = re.compile(r"^export (?:async )?(?:function|const|class|let) (\w+)", re.M)
# The modules' own imports (static and dynamic): relative paths to .js files.
IMPORTED = re.compile(r"""\b(?:from|import\()\s*['"](\.{1,2}/[\w./-]+\.js)['"]""")


def published(path: Path) -> str:
    return scripts.minified(path.read_text(encoding="utf-8"))


def test_every_theme_module_is_published_smaller() -> None:
    assert len(MODULES) > 30
    for path in MODULES:
        source = path.read_text(encoding="utf-8")
        text = published(path)
        assert len(text) < len(source), path
        assert "/**" not in text, f"{path}: a comment is left"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(THEME_JS).as_posix())
def test_a_published_module_keeps_its_exports_and_imports(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    text = published(path)
    for name in EXPORTED.findall(source):
        assert re.search(rf"export (?:async )?(?:function|const|class|let) ?{name}\b", text), (
            f"{path}: export {name} is lost")
    assert set(IMPORTED.findall(text)) == set(IMPORTED.findall(source)), path


def test_a_syntax_error_is_refused_not_published() -> None:
    with pytest.raises(scripts.ScriptError):
        scripts.minified("export const broken = ;\n")


@pytest.mark.interop
def test_node_parses_every_published_module(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed (make test installs it for the interop tests)"
    for path in MODULES:
        target = tmp_path / path.relative_to(THEME_JS).with_suffix(".mjs")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(published(path), encoding="utf-8")
        done = subprocess.run([node, "--check", str(target)], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, f"{path}: {done.stderr}"


STATIC_IMPORT = re.compile(r"""^import\s[^;]*?from\s*['"](\.{1,2}/[\w./-]+\.js)['"]""", re.M | re.S)
PRELOADED = re.compile(r"'((?:verify|shared)/[\w-]+)'")


def static_imports(entry: Path) -> set[Path]:
    """The modules a module loads before it runs: its static imports, and theirs."""
    found: set[Path] = set()
    todo = [entry.resolve()]
    while todo:
        module = todo.pop()
        if module in found:
            continue
        found.add(module)
        for name in STATIC_IMPORT.findall(module.read_text(encoding="utf-8")):
            todo.append((module.parent / name).resolve())
    return found


def test_the_verify_page_preloads_exactly_the_modules_its_script_imports() -> None:
    template = (REPO / "templates" / "theme" / "verifier.html").read_text(encoding="utf-8")
    listed = template.split("{%- for module in", 1)[1].split("%}", 1)[0]
    preloaded = {(THEME_JS / f"{name}.js").resolve() for name in PRELOADED.findall(listed)}
    needed = static_imports(THEME_JS / "verify" / "main.js")
    assert THEME_JS / "verify" / "share.js" not in needed  # imported when first needed
    assert preloaded == needed
