"""Debian's headless Chromium driven by Playwright, for the site's browser tests: each tab records what a person
would call broken (console errors, uncaught errors, dialogs) and every request that would leave the machine."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium():
    """One browser for a test module; a missing Chromium is a failure, not a skip."""
    if not Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make system-deps) to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class Tab:
    """A page in the browser that may load only from `local` (the test server's origin, or file: for a static copy)."""

    def __init__(self, browser, local: tuple[str, ...], width: int = 1500, height: int = 1000):
        self.local = local
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.problems: list[str] = []
        self.left: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.route("**/*", self._guard)

    def _guard(self, route):
        url = route.request.url
        if url.startswith(self.local) or url.startswith("data:"):
            route.continue_()
        else:
            self.left.append(url)
            route.abort()

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        return self.page

    def js(self, expression: str, argument=None):
        return self.page.evaluate(expression, argument)

    def shot(self, path: Path, full_page: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=full_page)

    def close(self):
        self.page.close()
