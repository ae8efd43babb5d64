"""`credcat serve` rebuilds when a catalog file changes (MkDocs 1.6.1 loses live reload with
click newer than 8.2.1, hence the pin in pyproject.toml; docs/standards.md, "MkDocs")."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

# Runs `credcat serve` and waits for a rebuild: `make test-quick` leaves it out.
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, ready: Callable[[str], bool], timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8", "replace")
                if ready(last):
                    return last
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never became ready; last body: {last[:500]}")


def test_serve_rebuilds_after_a_catalog_edit(project: Path) -> None:
    port = _free_port()
    # A credential whose name is one plain string (bilingual entries write a mapping).
    credential = next(path for path in sorted((project / "catalog" / "credentials").glob("*.yaml"))
                      if re.search(r"^name: \S", path.read_text(encoding="utf-8"), re.M))
    url = f"http://127.0.0.1:{port}/credentials/{credential.stem}/"
    server = subprocess.Popen([sys.executable, "-m", "site_builder.cli", "serve", "-a",
                               f"127.0.0.1:{port}"], cwd=project, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        first = _wait_for(url, lambda body: "<h1" in body)
        assert "Renamed by the live-reload test" not in first
        lines = credential.read_text(encoding="utf-8").splitlines()
        renamed = ["name: Renamed by the live-reload test" if line.startswith("name:")
                   else line for line in lines]
        credential.write_text("\n".join(renamed) + "\n", encoding="utf-8")
        _wait_for(url, lambda body: "Renamed by the live-reload test" in body)
        # The served page carries MkDocs' live-reload script, so browsers refresh by themselves.
        assert "livereload" in _wait_for(url, lambda body: True)
    finally:
        server.terminate()
        server.wait(30)
