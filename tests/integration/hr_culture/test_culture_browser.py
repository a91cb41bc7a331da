"""The culture and vacancies pages, signed in, and report.html from disk, in headless Chromium
(Debian's chromium through Playwright): the SVG charts have a size, the tables are there.
Screenshots: test-artifacts/hr-culture.png, hr-vacancies.png and report.png."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from flows.cli import cli
from journeys.clock import SimulatedClock
from tests.browser import ARTIFACTS, chromium_browser
from tests.integration.hr_culture.conftest import PASSWORD
from tests.integration.hr_culture.seed import NOW, SECRETS


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright (tests/browser.py)."""
    with chromium_browser() as chromium:
        yield chromium


def charts_have_a_size(page) -> int:
    """Every chart and at least one bar in it are drawn with a size; returns how many charts."""
    charts = page.locator("svg.chart")
    count = charts.count()
    assert count > 0
    for n in range(count):
        box = charts.nth(n).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 40
    bars = page.locator("svg.chart rect.bar")
    drawn = [bars.nth(n).bounding_box() for n in range(bars.count())]
    assert any(b and b["width"] > 0 and b["height"] > 0 for b in drawn)
    return count


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert (ARTIFACTS / name).stat().st_size > 10_000


def test_signed_in_hr_sees_the_culture_and_the_vacancies(browser, site):
    context = browser.new_context(locale="en-GB", viewport={"width": 1100, "height": 1400})
    page = context.new_page()
    page.goto(f"{site}/hr/culture")
    assert "/hr/login" in page.url  # not signed in yet
    page.fill("#username", "anna")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}/hr/culture")  # sign-in leads back to the page asked for
    assert page.locator("h1").inner_text() == "Learning culture"
    assert page.locator("section.practice").count() == 8
    assert charts_have_a_size(page) >= 16
    # a chart is an image with its title as accessible name, for screen readers too
    named = page.get_by_role("img", name="Coaching sessions held, per month (All teams)")
    assert named.count() == 1 and named.is_visible()
    page.locator("details").first.locator("summary").click()
    assert page.locator("details").first.locator("table").first.is_visible()
    page.select_option("#team", "Data")
    page.click("form.team-filter button")
    page.wait_for_url("**/hr/culture?team=Data")
    assert "(Data)" in page.locator("#series-coaching_sessions svg title").first.text_content()
    page.goto(f"{site}/hr/culture")
    shot(page, "hr-culture.png")
    page.goto(f"{site}/hr/vacancies")
    assert page.locator("table.vacancies tbody tr").count() == 3
    assert page.locator("meter").first.is_visible()
    shot(page, "hr-vacancies.png")
    text = page.content()
    assert not any(s in text for s in SECRETS)
    context.close()


def test_report_html_opens_from_disk_with_its_charts(browser, seeded_db, tmp_path):
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings

    eng, _ = seeded_db
    settings = LeerpadSettings(database_url=str(eng.url), outbox_dir=tmp_path, smtp_url=None)
    bootstrap(settings=settings, clock=SimulatedClock(NOW), engine=eng)
    try:
        out = tmp_path / "report.html"
        result = CliRunner().invoke(cli, ["report", "--out", str(out), "--lang", "en"])
        assert result.exit_code == 0, result.output
    finally:
        reset()
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    assert requests == [out.as_uri()]  # nothing else is loaded
    assert page.locator("h1").inner_text().endswith("HR report")
    assert charts_have_a_size(page) >= 16
    assert page.locator("#journeys-active").inner_text() == "32"
    shot(page, "report.png")
    context.close()
