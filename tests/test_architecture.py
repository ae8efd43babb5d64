"""The package's layers, and that the project stands on its own (docs/architecture.md).

Imports flow downward only: a module may import from its own layer or a lower one, never from
a higher one, so the catalog knows nothing of the site, the site nothing of publishing, and
the command line sits on top. The layers are written here by hand, not read from the code.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "site_builder"
# Lowest first. A module not listed here fails the test: place it in a layer on purpose.
LAYERS = [
    {"urls", "dates", "files", "multikey", "text", "errors"},
    {"catalog"},
    {"contract"},
    {"credentials"},
    {"site"},
    {"publishing"},
    {"cli"},
]
# Folders the package publishes as data, or the theme (templates/theme, no Python imports).
NOT_CODE = {"__init__", "theme"}


def layer_of(module: str) -> int:
    """`site_builder.credentials.keys` -> the index of the layer holding `credentials`."""
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else ""
    for index, names in enumerate(LAYERS):
        if head in names:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in this test")


def module_name(path: Path) -> str:
    relative = path.relative_to(REPO).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, name: str) -> list[tuple[int, str]]:
    """Every `site_builder` module the file (module `name`) imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this file's package
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            targets = [name] if node.module else [f"{name}.{a.name}" for a in node.names]
            found += [(node.lineno, target) for target in targets]
    return [(line, name) for line, name in found
            if name == "site_builder" or name.startswith("site_builder.")]


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "theme" not in p.parts)


def test_every_module_is_in_a_layer() -> None:
    heads = {module_name(p).split(".")[1] for p in MODULES if module_name(p) != "site_builder"}
    assert heads - NOT_CODE <= set().union(*LAYERS), heads - set().union(*LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_imports_flow_downward(path: Path) -> None:
    name = module_name(path)
    if name == "site_builder":
        return
    own = layer_of(name)
    upward = [f"{path.relative_to(REPO)}:{line} imports {target}"
              for line, target in imported_modules(path, name)
              if target != "site_builder" and layer_of(target) > own]
    assert not upward, "\n".join(upward)


def test_the_layer_test_sees_upward_imports(tmp_path: Path) -> None:
    """The check itself works: absolute, relative and lazy upward imports are all found."""
    fake = tmp_path / "fake.py"
    fake.write_text("from site_builder.site import plugin\nfrom ..publishing import diff\n"
                    "def later():\n    import site_builder.cli\n", encoding="utf-8")
    found = imported_modules(fake, "site_builder.catalog.fake")
    assert sorted(found) == [(1, "site_builder.site"), (2, "site_builder.publishing"),
                             (4, "site_builder.cli")]
    assert all(layer_of(target) > layer_of("site_builder.catalog.fake") for _, target in found)


# Spelt in two parts so that this test does not itself cite them.
STANDARDS_PAGE = "STANDARDS" + ".md"
SHARED_FOLDER = "../" + "shared/"


def test_no_file_cites_documents_outside_the_repository() -> None:
    """The project stands on its own: facts live in docs/ or docstrings, not in files beside
    the repository (a standards page or a shared folder that only the developers have)."""
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split()
    offenders = []
    for name in tracked:
        path = REPO / name
        if path.suffix not in {".py", ".md", ".js", ".mjs", ".html", ".yml", ".yaml", ".toml",
                               ".json", ".cfg", ".txt"} or name == "tests/test_architecture.py":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        # The theme's own `js/shared/` modules are imported as `../shared/x.js`: those are fine.
        outside = [line for line in text.splitlines() if STANDARDS_PAGE in line or (
            SHARED_FOLDER in line and not line.lstrip().startswith("import "))]
        offenders += [f"{name}: {line.strip()}" for line in outside]
    assert not offenders, "\n".join(offenders)
