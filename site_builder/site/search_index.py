"""The site's search index: Pagefind run over the credential pages the build just wrote.

Why Pagefind (PyPI `pagefind[bin]`, which ships the binary): it splits the index into small
compressed chunks by word, plus one filter file per facet and one fragment per page, so a
browser fetches only the chunks for the words typed, the filters used and the results shown:
a few hundred kilobytes at 10,000 credentials, where MkDocs' built-in search sends one index of
about 12 MB. It stems words, ranks titles above body text, and filters and sorts in the
browser from data attributes the credential template writes (see `facets`).

Why the command line rather than Pagefind's Python API: that API's client polls for each
reply every 0.1 s, ten records a second, which is 17 minutes at 10,000 credentials; the
command line reads the pages on all cores in seconds.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from logging import Logger
from pathlib import Path

from site_builder.errors import CredcatError

SEARCH_DIR = "pagefind"
# Only credential pages carry `data-pagefind-body`; reading no other file saves time.
PAGE_GLOB = "credentials/*/index.html"
TIMEOUT_SECONDS = 3600


class SearchIndexError(CredcatError):
    """Pagefind is missing or failed; the message says what to do."""


def pagefind_binary() -> Path | None:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, the `pagefind_bin` wheel, or the PATH."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        return Path(configured)
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found = __import__(module).get_executable()
        except (ImportError, FileNotFoundError):
            continue
        return Path(found)
    on_path = shutil.which("pagefind")
    return Path(on_path) if on_path else None


_PR_SET_PDEATHSIG = 1  # prctl(2) option, from <linux/prctl.h>


def _end_with_parent() -> None:
    """In the child, before Pagefind starts: be killed when the build process dies.

    Linux's prctl(PR_SET_PDEATHSIG) (https://man7.org/linux/man-pages/man2/prctl.2.html): a
    build killed with SIGKILL cannot clean up after itself, so the kernel ends Pagefind, which
    would otherwise keep writing into a staging folder nobody will use.
    """
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def build_search_index(site_dir: Path, language: str = "en") -> str:
    """Write `site_dir/pagefind/`; return Pagefind's one-line summary of what it indexed.

    One language for the whole index: the catalog's text is in the site's language, whatever
    languages a credential is taught in (those are a filter), and Pagefind would otherwise
    split the index by each page's `lang` and search only one part.
    """
    binary = pagefind_binary()
    if binary is None:
        raise SearchIndexError("Pagefind is not installed, so the site has no search index: "
                               "install it with `pip install 'pagefind[bin]'`")
    command = [str(binary), "--site", str(site_dir), "--output-subdir", SEARCH_DIR,
               "--glob", PAGE_GLOB, "--force-language", language]
    try:
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS, check=False,
                              preexec_fn=_end_with_parent if sys.platform == "linux" else None)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind did not run: {exc}") from exc
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind failed (exit {done.returncode}):\n{output.strip()}")
    counts = dict((name, int(n)) for n, name in re.findall(
        r"Indexed (\d+) (pages|words|filters|sorts)", output))
    return ", ".join(f"{n:,} {name}" for name, n in counts.items()) or output.strip()


_background: threading.Thread | None = None


def index_in_background(site_dir: Path, log: Logger) -> None:
    """For `credcat serve`'s rebuilds: run Pagefind in a thread, so the rebuilt page reloads
    without waiting for the index. One run at a time (`wait_for_background`)."""
    global _background
    wait_for_background()

    def run() -> None:
        try:
            log.info(f"search index: {build_search_index(site_dir)}")
        except SearchIndexError as exc:
            log.warning(f"{exc}; search will say it is unavailable")

    _background = threading.Thread(target=run, name="pagefind", daemon=True)
    _background.start()


def wait_for_background() -> None:
    """Wait for the Pagefind run `index_in_background` started, if any."""
    global _background
    if _background is not None:
        _background.join()
        _background = None
