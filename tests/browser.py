"""Debian's chromium through Playwright, shared by the browser tests (vacancy page, HR pages,
culture view and report). Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@contextmanager
def chromium_browser() -> Iterator[Any]:
    """A headless chromium; skips when it is absent, unless LEERPAD_REQUIRE_BROWSER=1 makes
    that a failure."""
    if not CHROMIUM.exists():
        reason = (
            f"Debian's chromium is not installed at {CHROMIUM} (apt-get install -y chromium); "
            "set LEERPAD_REQUIRE_BROWSER=1 to make this a failure"
        )
        if os.environ.get("LEERPAD_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
