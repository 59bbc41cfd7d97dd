"""A headless Chromium for the tests that look at pages as a reader's browser does.

Debian's `chromium` and `chromium-driver` packages (/usr/bin/chromium and
/usr/bin/chromedriver), driven by selenium (the test extra). Without them the tests
that need a browser skip, saying what to install; where CI installs everything
(conftest.py, PURECLOUD_TEST_REQUIRE_EVERYTHING=1) that skip is a failure.

Every request the page makes is recorded (Chrome's performance log), and no request
can leave the machine: every host name but the loopback ones resolves to nothing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import pytest

#: Where the window is as wide as the narrower laptop screens.
WIDTH, HEIGHT = 1280, 900

MISSING = "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def browser_paths() -> tuple[str, str] | None:
    """(chromium, chromedriver), or None when either is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium is None or driver is None:
        return None
    return chromium, driver


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium window of WIDTH x HEIGHT; skips when it is not installed."""
    paths = browser_paths()
    if paths is None:
        pytest.skip(MISSING)
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium (the test extra)")
    binary, driver_path = paths
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={WIDTH},{HEIGHT}",
        # Nothing leaves the machine, whatever a page asks for: other hosts do not resolve.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.set_window_size(WIDTH, HEIGHT)
        yield driver
    finally:
        driver.quit()


def requested_urls(driver: Any) -> list[str]:
    """Every URL the pages asked for since the last call (documents, scripts, fetches)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def leaves_the_machine(url: str) -> bool:
    """Whether a request for `url` would go to another host."""
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about", "chrome", "devtools"):
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS
