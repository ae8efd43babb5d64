"""`credcat serve` notices catalog edits as the system reports them, not by polling alone.

MkDocs' development server (mkdocs 1.6) finds changes by polling: every half second it lists
and stats every file it watches. That is cheap for a docs folder; a catalog of 10,000
credentials took 0.12 s a poll here, a quarter of a core while nothing changes, and during a
rebuild the polls competed with it for the interpreter, adding about a second to each one;
an edit also waited up to half a second to be seen.

So the catalog folders (`catalog/`, `public_keys/`, `status/`) are watched with the
system's own notifications (watchdog's `Observer`: inotify on Linux, FSEvents on macOS,
ReadDirectoryChangesW on Windows), which report an edit at once and cost nothing while
idle. Some filesystems never send them (network shares, some container and WSL mounts), so
the folders are also polled, every `FALLBACK_POLL` seconds. A report that finds a file in
the state already reported, by a notification or the poll, is dropped (`_Fresh`), so one
save does not rebuild the site (and reload the browser) twice. Anything else MkDocs watches
is polled as before. If notifications cannot be set up (a watch limit reached), the folder
is polled at MkDocs' own rate.

The server's `observer` is replaced by one that hands each watch to the right observer; MkDocs
schedules, starts and stops it through the same five methods of watchdog's observer API.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_OPENED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

# Seconds between the polls that catch what a filesystem does not report.
FALLBACK_POLL = 2.0

# A file's state as far as an edit goes; None once it is gone.
State = tuple[int, int, int, int] | None


def _state(path: str) -> State:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _paths(event: FileSystemEvent) -> list[str]:
    found = [os.fsdecode(event.src_path)]
    if event.dest_path:
        found.append(os.fsdecode(event.dest_path))
    return found


class _Reported:
    """The state each file was in when it was last reported, shared by the two handlers of
    one watch."""

    def __init__(self) -> None:
        self.states: dict[str, State] = {}
        self.lock = threading.Lock()


# Notifications of a file being read, which polling never reports: the rebuild itself reads
# the files it was told changed, and each read would ask for another rebuild.
_READS = frozenset({EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE})


class _Fresh(FileSystemEventHandler):
    """Passes on an event only if it shows a file in a state not reported before.

    One save can be reported several times: by the poll as well as by notifications, and by
    several notifications (truncated, written, closed). MkDocs rebuilds once for reports that
    come within a tenth of a second of each other, but the poll's come up to `FALLBACK_POLL`
    later and a busy machine can delay a notification past that, so each would rebuild the
    site and reload the browser again. A report after which the file is in the state already
    reported brings nothing to rebuild: whoever reported that state first was told after the
    file reached it, and the rebuild reads the file later still.
    """

    def __init__(self, handler: FileSystemEventHandler, reported: _Reported) -> None:
        self.handler, self.reported = handler, reported

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in _READS:
            return
        with self.reported.lock:
            fresh = False
            for path in _paths(event):
                now = _state(path)
                if self.reported.states.get(path, ...) != now:
                    self.reported.states[path] = now
                    fresh = True
        if fresh:
            self.handler.dispatch(event)


class Observers:
    """Watches under `folders` by notification and a slow poll; any other by `polling`."""

    def __init__(self, polling: BaseObserver, folders: list[Path],
                 notifying: type[BaseObserver] = Observer,
                 fallback_poll: float = FALLBACK_POLL) -> None:
        self.polling = polling
        self.folders = [os.path.abspath(folder) for folder in folders]
        self.notifying = notifying()
        self.fallback = PollingObserver(timeout=fallback_poll)
        self.owners: dict[ObservedWatch, list[tuple[BaseObserver, ObservedWatch]]] = {}

    def _ours(self, path: str) -> bool:
        path = os.path.abspath(path)
        return any(path == folder or path.startswith(folder + os.sep) for folder in self.folders)

    def schedule(self, handler: FileSystemEventHandler, path: str, *,
                 recursive: bool = False) -> ObservedWatch:
        if self._ours(path):
            reported = _Reported()
            try:
                notified = self.notifying.schedule(_Fresh(handler, reported), path,
                                                   recursive=recursive)
            except OSError:
                pass  # no notifications here (a watch limit): MkDocs' polling instead
            else:
                polled = self.fallback.schedule(_Fresh(handler, reported), path,
                                                recursive=recursive)
                self.owners[notified] = [(self.notifying, notified), (self.fallback, polled)]
                return notified
        watch = self.polling.schedule(handler, path, recursive=recursive)
        self.owners[watch] = [(self.polling, watch)]
        return watch

    def unschedule(self, watch: ObservedWatch) -> None:
        for observer, own in self.owners.pop(watch, []):
            observer.unschedule(own)

    def _all(self) -> list[BaseObserver]:
        return [self.polling, self.notifying, self.fallback]

    def start(self) -> None:
        for observer in self._all():
            observer.start()

    def stop(self) -> None:
        for observer in self._all():
            if observer.is_alive():
                observer.stop()

    def join(self, timeout: float | None = None) -> None:
        for observer in self._all():
            if observer.is_alive():
                observer.join(timeout)


def install(server: LiveReloadServer, folders: list[Path], **options: Any) -> None:
    """Watch `folders` (which the server has not been asked to watch yet) by notification."""
    server.observer = Observers(server.observer, folders, **options)
