"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

The browser is the system's (`XINFANG_CHROMIUM`, default /usr/bin/chromium; scripts/test.sh
installs Debian's `chromium` through scripts/ensure-chromium.sh), never one downloaded by
`playwright install`. Without a browser the e2e tests are skipped, with the reason; under CI
(`CI=true`) they fail instead.

Screenshots go to test-output/<run>/screenshots/ when XINFANG_DATA_DIR is test-output/<run>/var
(as scripts/test.sh sets it), else to test-output/screenshots/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

# Launched as root on CI and in containers: Chromium's sandbox refuses to run there. The rest
# keeps the browser from calling out on its own (updates, sync, QUIC probes): the test machine's
# network refuses every outside connection, and the tests check that the page makes none.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1366, "height": 768}
LOCALE = "zh-CN"
TIMEOUT_MS = 10_000

REPO = Path(__file__).resolve().parents[2]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium_path() -> str:
    return os.environ.get("XINFANG_CHROMIUM") or "/usr/bin/chromium"


def screenshot_dir() -> Path:
    data_dir = os.environ.get("XINFANG_DATA_DIR")
    base = Path(data_dir).resolve().parent if data_dir else REPO / "test-output"
    folder = base / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _no_browser(reason: str) -> NoReturn:
    # scripts/test.sh passes on what scripts/ensure-chromium.sh found wrong: the root cause.
    reason = os.environ.get("XINFANG_CHROMIUM_PROBLEM") or reason
    if in_ci():
        pytest.fail(f"CI=true and the e2e tests have no browser: {reason}", pytrace=False)
    pytest.skip(f"no browser for the e2e tests: {reason}; run scripts/ensure-chromium.sh")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        _no_browser(f"{path} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed (make venv)")

    # The sync Playwright API runs an asyncio event loop in this thread for as long as it is
    # started. Django then takes the test code's ORM calls (fixtures, register(), the flush after
    # a transactional test) for calls from async code and refuses them with
    # SynchronousOnlyOperation. They are plain synchronous calls between browser steps: allow
    # them while the browser runs. The live server answers in its own threads, untouched.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=path, headless=True, args=CHROMIUM_ARGS
            )
        except Exception as exc:
            _no_browser(f"{path} did not start: {exc}")
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _file_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_")


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh context (no cookies) and page: 1366×768, zh-CN. A screenshot of the last screen
    is saved as <test name>.png when the test ends, pass or fail."""
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    try:
        if not page.is_closed():
            page.screenshot(path=screenshot_dir() / f"{_file_name(request.node.name)}.png")
    finally:
        context.close()


@pytest.fixture
def screenshot(page: Any, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """screenshot("step") saves the page as <test name>-step.png and returns the path."""

    def take(step: str) -> Path:
        path = screenshot_dir() / f"{_file_name(request.node.name)}-{_file_name(step)}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
