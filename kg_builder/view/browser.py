"""Headless Chromium, driven with Selenium: open a page, wait until it is drawn, read its
DOM, take a screenshot.

kg-builder uses it to write PNG pictures of its HTML files (``--png``) and its tests use
it to look at every picture and page as a person would. It needs Chromium and its
driver (Debian: ``apt-get install chromium chromium-driver``; ``make test`` and
``make demo`` install them); ``KG_BUILDER_CHROMIUM`` and ``KG_BUILDER_CHROMEDRIVER`` point
to other copies. Nothing is downloaded: Selenium is given both programs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg_builder.errors import ConfigError

ENV_CHROMIUM = "KG_BUILDER_CHROMIUM"
ENV_CHROMEDRIVER = "KG_BUILDER_CHROMEDRIVER"

#: Flags for a quiet, offline, throw-away browser (a fresh profile each time).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--font-render-hinting=none",
)

_INSTALL_HINT = (
    "install Chromium and its driver (Debian/Ubuntu: apt-get install chromium "
    "chromium-driver), or point {env} to them"
)


def find_chromium() -> tuple[str, str]:
    """The Chromium browser and chromedriver programs.

    Raises:
        ConfigError: either is missing.
    """
    browser = os.environ.get(ENV_CHROMIUM) or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
    )
    driver = os.environ.get(ENV_CHROMEDRIVER) or shutil.which("chromedriver")
    if not browser or not Path(browser).is_file():
        raise ConfigError("Chromium is not installed: " + _INSTALL_HINT.format(env=ENV_CHROMIUM))
    if not driver or not Path(driver).is_file():
        raise ConfigError(
            "chromedriver is not installed: " + _INSTALL_HINT.format(env=ENV_CHROMEDRIVER)
        )
    return browser, driver


def page_url(target: str | Path) -> str:
    """A URL for ``target``: itself if it is one, else the ``file://`` URL of a file."""
    text = str(target)
    if text.startswith(("http://", "https://", "file://")):
        return text
    path = Path(text).resolve()
    if not path.is_file():
        raise ConfigError(f"no page to open at {path}")
    return path.as_uri()


class Browser:
    """A headless Chromium window, closed by ``close()`` or at the end of a ``with``.

    Example:
        >>> with Browser() as browser:                                      # doctest: +SKIP
        ...     browser.open("out/network.html", ready="body[data-ready]")
        ...     browser.screenshot("out/network.png")

    Raises:
        ConfigError: Chromium or chromedriver is missing, or would not start.
    """

    def __init__(self, width: int = 1280, height: int = 900):
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service

        browser, driver = find_chromium()
        self._profile = tempfile.mkdtemp(prefix="kg-builder-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (*FLAGS, f"--user-data-dir={self._profile}", f"--window-size={width},{height}"):
            options.add_argument(flag)
        try:
            self.driver = webdriver.Chrome(options=options, service=Service(executable_path=driver))
        except WebDriverException as exc:
            shutil.rmtree(self._profile, ignore_errors=True)
            raise ConfigError(f"Chromium would not start ({browser}): {exc.msg}") from None
        self.size = (width, height)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Quit the browser and remove its profile."""
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)

    def open(self, target: str | Path, *, ready: str | None = None, timeout: float = 30) -> None:
        """Load a page (a URL or an HTML file) and wait until ``ready`` (a CSS selector)
        matches an element, for pages that draw after they load.

        Raises:
            ConfigError: the page did not get ready within ``timeout`` seconds.
        """
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait

        url = page_url(target)
        self.driver.get(url)
        self._viewport(*self.size)
        if ready:
            try:
                WebDriverWait(self.driver, timeout).until(
                    expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ready))
                )
            except TimeoutException:
                error = self.run("return document.body && document.body.dataset.error")
                raise ConfigError(
                    f"{url} was not drawn within {timeout:g} s" + (f": {error}" if error else "")
                ) from None

    def _viewport(self, width: int, height: int) -> None:
        """Size the window so that the page itself gets ``width`` x ``height`` pixels."""
        inner = self.run("return [window.innerWidth, window.innerHeight]")
        outer = self.driver.get_window_size()
        if inner != [width, height]:
            self.driver.set_window_size(
                width + outer["width"] - inner[0], height + outer["height"] - inner[1]
            )

    def run(self, script: str, *args: Any) -> Any:
        """Run JavaScript in the page; its ``return`` value."""
        return self.driver.execute_script(script, *args)

    def texts(self, selector: str) -> list[str]:
        """The text content of every element that matches the CSS ``selector``."""
        found = self.run(
            "return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent);",
            selector,
        )
        assert isinstance(found, list)  # an array comes back as a list (of str: elements)
        return [str(text) for text in found]

    def screenshot(self, path: str | Path, *, full_height: bool = True, most: int = 4000) -> Path:
        """Save the window as a PNG; with ``full_height`` the window first grows to the
        page's height (at most ``most`` pixels), so the picture shows the whole page.

        Raises:
            ConfigError: the file cannot be written.
        """
        out = Path(path)
        if full_height:
            height = self.run("return document.documentElement.scrollHeight")
            self._viewport(self.size[0], max(self.size[1], min(int(height), most)))
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot write {out}: {exc.strerror or exc}") from None
        if not self.driver.save_screenshot(str(out)):
            raise ConfigError(f"cannot write {out}")
        return out


#: How each kind of kg-builder HTML tells that it has been drawn.
READY = "body[data-ready], #toc, body > main"


def png_path(page: str | Path) -> Path:
    """Where the picture of a page goes by default: beside an HTML file, with ``.png``."""
    text = str(page)
    if text.startswith(("http://", "https://")):
        name = urllib.parse.urlsplit(text).path.strip("/").replace("/", "-") or "index"
        return Path(f"{name}.png")
    path = Path(text.removeprefix("file://"))
    return path.with_suffix(".png")


def screenshots(
    pages: Sequence[str | Path],
    outputs: Sequence[str | Path] | None = None,
    *,
    width: int = 1280,
    height: int = 900,
    ready: str = READY,
    full_height: bool = False,
) -> list[Path]:
    """Open each page in one headless Chromium, wait until it is drawn, save it as PNG.

    Args:
        pages: HTML files or URLs.
        outputs: A PNG path for each page (default: :func:`png_path`).
        width, height: The window, in pixels.
        ready: CSS selector that matches once a page is drawn (kg-builder's own pages set
            ``body[data-ready]`` when their picture is laid out).
        full_height: Grow the window to each page's height (at most 4,000 pixels).

    Example:
        >>> screenshots(["out/network.html"])                               # doctest: +SKIP
        [PosixPath('out/network.png')]

    Raises:
        ConfigError: Chromium is missing, a page was not drawn, or a PNG cannot be written.
    """
    targets = [Path(o) for o in outputs] if outputs else [png_path(p) for p in pages]
    if len(targets) != len(pages):
        raise ConfigError(f"{len(pages)} page(s) but {len(targets)} PNG file(s)")
    with Browser(width, height) as browser:
        for page, target in zip(pages, targets, strict=True):
            browser.open(page, ready=ready)
            browser.screenshot(target, full_height=full_height)
    return targets
