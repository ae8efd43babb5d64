"""Headless Chromium on a thread of its own, for test modules that share a pytest worker.

Playwright's sync API allows one running instance per thread: a second session-scoped
`chromium` fixture in the same worker (pytest-xdist mixes modules) fails with "using
Playwright Sync API inside the asyncio loop". A fixture defined in two modules is two
fixtures, so `tests/browser.py`'s `chromium`, re-exported by several modules, collides.
Here each module's browser lives on its own thread, and a test's body runs on that thread
with `@on_browser_thread`, so it coexists with any other Playwright in the process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, WatchedPage, watch

T = TypeVar("T")


class BrowserThread:
    """One Playwright and one Chromium, used only from one thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._playwright: Any = None
        self.browser: Any = self.run(self._start)

    def _start(self) -> Any:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        return self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return self._pool.submit(function, *args, **kwargs).result()

    def close(self) -> None:
        def stop() -> None:
            self.browser.close()
            self._playwright.stop()

        self.run(stop)
        self._pool.shutdown()


def browser_thread_fixture() -> Iterator[BrowserThread]:
    import shutil
    from pathlib import Path

    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (run `make browser`)")
    thread = BrowserThread()
    yield thread
    thread.close()


def watched_page_fixture(browser_thread: BrowserThread) -> Iterator[WatchedPage]:
    """A fresh context (cold cache) and page on the browser's thread, activity recorded."""

    def open_page() -> tuple[Any, WatchedPage]:
        context = browser_thread.browser.new_context()
        page = context.new_page()
        page.set_default_timeout(20_000)
        return context, watch(page)

    context, watched = browser_thread.run(open_page)
    yield watched
    browser_thread.run(context.close)


def on_browser_thread(test: Callable[..., None]) -> Callable[..., None]:
    """Run a test's body on the thread of its `browser_thread` fixture (which it must take)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        kwargs["browser_thread"].run(test, *args, **kwargs)

    return run
