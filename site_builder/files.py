"""Writing files so that a crash or an error never leaves half a file behind."""

from __future__ import annotations

import glob
import os
import secrets
from pathlib import Path


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, text: str) -> None:
    write_atomic_bytes(path, text.encode("utf-8"))


class Staging:
    """Files written under temporary names in one folder now, and moved into place later.

    For a run whose workers write many files in parallel (creating a file costs far more than
    renaming one) but which may publish them only once it has recorded them: `write` works in
    any process, `publish` renames, and `discard` removes whatever this run did not publish.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._prefix = f".staged-{os.getpid()}-{secrets.token_hex(6)}-"

    def write(self, name: str, data: bytes) -> str:
        """Write the file `name`'s content; returns its temporary name, for `publish`."""
        temporary = self.folder / (self._prefix + name)
        try:
            temporary.write_bytes(data)
        except FileNotFoundError:  # the folder is made by the first file, as write_atomic does
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
        return temporary.name

    def publish(self, temporary: str, name: str) -> None:
        os.replace(self.folder / temporary, self.folder / name)

    def discard(self) -> None:
        for path in self.folder.glob(glob.escape(self._prefix) + "*"):
            path.unlink(missing_ok=True)
