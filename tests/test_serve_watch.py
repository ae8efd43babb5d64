"""`credcat serve` hears of catalog edits from the system at once, and from a slow poll where
the system sends nothing, without rebuilding twice for one edit (`site/serve_watch.py`).
Real observers on real files: inotify here, watchdog's polling for the fallback."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from site_builder.site.serve_watch import Observers


class Heard(FileSystemEventHandler):
    """What MkDocs' own handler would be told: file events only count (it ignores folders)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            with self.lock:
                self.events.append((event.event_type, str(event.src_path)))

    def wait(self, count: int, timeout: float) -> list[tuple[str, str]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.events) >= count:
                    return list(self.events)
            time.sleep(0.02)
        return list(self.events)


def _never_notifying() -> PollingObserver:
    """A filesystem that sends no notifications: an observer that never looks."""
    return PollingObserver(timeout=3600)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    (folder / "credentials").mkdir(parents=True)
    (folder / "credentials" / "a.yaml").write_text("name: A\n", encoding="utf-8")
    return folder


@contextmanager
def _watching(observers: Observers, folder: Path) -> Iterator[Heard]:
    heard = Heard()
    observers.schedule(heard, str(folder), recursive=True)
    observers.start()
    time.sleep(0.3)  # the observers' first look at the folder
    try:
        yield heard
    finally:
        observers.stop()
        observers.join(5)


def _save(path: Path, text: str, *, pause: float = 0.0) -> None:
    """One write into the file as it is (no truncation, so one new state), closed after
    `pause` seconds: the write and the close are two notifications."""
    handle = os.open(path, os.O_WRONLY)
    try:
        os.write(handle, text.encode())
        time.sleep(pause)
    finally:
        os.close(handle)


def test_an_edit_is_heard_at_once_and_once(catalog: Path) -> None:
    observers = Observers(PollingObserver(timeout=0.5), [catalog], fallback_poll=0.2)
    with _watching(observers, catalog) as heard:
        started = time.monotonic()
        _save(catalog / "credentials" / "a.yaml", "name: B\n")
        assert heard.wait(1, 5), "the edit was never heard"
        assert time.monotonic() - started < 0.2, "heard only by polling"
        (catalog / "credentials" / "a.yaml").read_text(encoding="utf-8")  # a rebuild reads it
        time.sleep(1.0)  # five fallback polls
        assert heard.events == [("modified", str(catalog / "credentials" / "a.yaml"))]


def test_a_save_reported_again_later_is_heard_once(catalog: Path) -> None:
    """Closed half a second after the write (longer than MkDocs waits to gather reports):
    the close notification finds the file as the write's did, so it is not passed on."""
    observers = Observers(PollingObserver(timeout=0.5), [catalog], fallback_poll=0.2)
    with _watching(observers, catalog) as heard:
        _save(catalog / "credentials" / "a.yaml", "name: B\n", pause=0.5)
        time.sleep(1.0)
        assert heard.events == [("modified", str(catalog / "credentials" / "a.yaml"))]


def test_where_the_system_sends_nothing_the_poll_hears_each_edit(catalog: Path) -> None:
    observers = Observers(PollingObserver(timeout=0.5), [catalog],
                          notifying=_never_notifying, fallback_poll=0.2)
    with _watching(observers, catalog) as heard:
        (catalog / "credentials" / "a.yaml").write_text("name: B\n", encoding="utf-8")
        assert heard.wait(1, 5) == [("modified", str(catalog / "credentials" / "a.yaml"))]
        (catalog / "credentials" / "b.yaml").write_text("name: C\n", encoding="utf-8")
        assert ("created", str(catalog / "credentials" / "b.yaml")) in heard.wait(2, 5)


def test_other_folders_stay_with_mkdocs_polling(tmp_path: Path, catalog: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    polling = PollingObserver(timeout=0.2)
    observers = Observers(polling, [catalog], notifying=_never_notifying, fallback_poll=3600)
    with _watching(observers, docs) as heard:
        (docs / "index.md").write_text("# Home\n", encoding="utf-8")
        assert heard.wait(1, 5) == [("created", str(docs / "index.md"))]
        assert polling.emitters, "the docs folder was not given to MkDocs' observer"
