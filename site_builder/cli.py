"""`credcat`: check, build and serve a catalog (and, in later modules, sign and verify).

Exit codes follow the Unix convention CI relies on: 0 success, 1 the input is wrong (catalog
errors, a credential that does not verify), 2 a usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .catalog import load_catalog
from .problems import summary

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _plugin_options(config_file: Path) -> tuple[Path, str, str]:
    """Catalog root and folders as mkdocs.yml configures the plugin (defaults without it)."""
    if not config_file.is_file():
        return config_file.parent, "catalog", "public_keys"
    import yaml

    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_IgnoreTagsLoader) or {}
    options: dict[str, str] = {}
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and "credcat" in entry:
            options = entry["credcat"] or {}
    return (config_file.parent, options.get("catalog_dir", "catalog"),
            options.get("keys_dir", "public_keys"))


def _ignore_tags() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may hold tags such as !ENV or !!python/name; they don't matter here.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return Loader


_IgnoreTagsLoader = _ignore_tags()


def cmd_check(args: argparse.Namespace) -> int:
    root, catalog_dir, keys_dir = _plugin_options(args.config_file)
    _catalog, problems = load_catalog(root, catalog_dir, keys_dir)
    for problem in problems:
        print(problem.format())
    print(summary(problems), file=sys.stderr)
    return EXIT_INVALID if any(p.is_error for p in problems) else EXIT_OK


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a fresh folder beside the target and swap it in only when the build worked."""
    from mkdocs.commands.build import build

    _configure_logging(args.verbose)
    config_file = args.config_file
    if not config_file.is_file():
        print(f"credcat: {config_file} not found; run in the catalog's folder or pass -f",
              file=sys.stderr)
        return EXIT_USAGE
    probe = load_config(str(config_file))
    target = Path(args.site_dir or probe.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=args.strict)
        build(config)
    except (MkDocsException, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"credcat: build failed; {target} was left as it was.\n{exc}", file=sys.stderr)
        return EXIT_INVALID
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, target)
    print(f"built {target}", file=sys.stderr)
    return EXIT_OK


def _swap_in(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    _configure_logging(True)
    try:
        serve(str(args.config_file), livereload=True, dev_addr=args.dev_addr)
    except MkDocsException as exc:
        print(f"credcat: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="credcat", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], int],
                help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                       help="the catalog's mkdocs.yml (default: ./mkdocs.yml)")
        p.set_defaults(handler=handler)
        return p

    command("check", cmd_check, "validate the catalog; print every problem as path:line:col")
    p = command("build", cmd_build, "check the catalog and build the site")
    p.add_argument("-d", "--site-dir", help="output folder (default: mkdocs.yml's site_dir)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("-v", "--verbose", action="store_true")
    p = command("serve", cmd_serve, "build, serve and rebuild when a catalog file changes")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address:port")
    for register in _EXTRA_COMMANDS:
        register(sub, command)
    return parser


# Later modules (keys, issuing, verifying) add their subcommands here.
_EXTRA_COMMANDS: list[Callable[..., None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
