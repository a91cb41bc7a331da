"""The rendered vacancy page in headless Chromium (Debian's chromium): it shows, and its JSON-LD
parses from the DOM. A screenshot is kept in test-artifacts/vacancy.png."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from integrations.vacancy import render_vacancy
from journeys.catalog import load_employer_profile
from journeys.vacancy import parse_vacancy
from tests.browser import ARTIFACTS, chromium_browser

ROOT = Path(__file__).resolve().parents[3]
FIXTURE = ROOT / "tests" / "fixtures" / "vacancies" / "render" / "nl-complete.md"


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright (tests/browser.py)."""
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def page_file(tmp_path: Path) -> Path:
    vacancy = parse_vacancy(FIXTURE.read_text(encoding="utf-8"), file=str(FIXTURE))
    html = render_vacancy(vacancy, profile=load_employer_profile(None), today=date(2026, 3, 20))
    path = tmp_path / "vacancy.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_the_page_shows_its_heading_and_learning_section(browser, page_file: Path):
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    page.goto(page_file.as_uri())
    heading = page.locator("h1")
    assert heading.is_visible()
    assert heading.inner_text() == "Verpleegkundige wijkteam"
    learning = page.locator("#learning")
    assert learning.is_visible()
    assert page.locator("#learning-heading").inner_text() == "Leren bij ons"
    assert learning.locator("li").count() >= 6
    assert page.evaluate("document.documentElement.lang") == "nl"
    raw = page.locator('script[type="application/ld+json"]').text_content()
    data = json.loads(raw)
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Verpleegkundige wijkteam"
    assert data["baseSalary"]["value"]["minValue"] == 3400
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "vacancy.png"), full_page=True)
    assert (ARTIFACTS / "vacancy.png").stat().st_size > 10_000
    page.close()
