"""The HR pages in a real browser: Playwright drives Debian's chromium through sign-in, the people
list, one hire's timeline, a replay from the event inbox, and invite replies on the timeline.
Screenshots are kept in test-artifacts/hr-*.png. Without /usr/bin/chromium the test is skipped,
unless LEERPAD_REQUIRE_BROWSER=1 makes that a failure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, chromium_browser
from tests.conftest import sqlite_engine
from tests.integration.hr.replies import invite_of, post_reply
from tests.integration.hr.world import (
    BAMBOO_PATH,
    PASSWORD,
    World,
    api_environment,
    bamboo_record,
    world_on,
)
from tests.integration.invite_replies_samples import reply

CONTRAST = """() => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const back = el => { for (; el; el = el.parentElement) {
    const c = getComputedStyle(el).backgroundColor;
    if (!c.endsWith(", 0)") && c !== "transparent") return c; } return "rgb(255, 255, 255)"; };
  return [...document.querySelectorAll(".badge, .tl-when, .muted, .tl-today, .tl-reason, a")]
    .map(el => { const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(back(el)))];
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); });
}"""


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright (tests/browser.py)."""
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[World]:
    """The company of world.py on SQLite, served."""
    folder = tmp_path_factory.mktemp("hr-browser")
    engine = sqlite_engine(folder)
    with world_on(engine, folder) as found:
        yield found
    engine.dispose()


def shot(page, name: str) -> Path:
    """A full-page screenshot kept as a test artefact."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"hr-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def test_sign_in_people_timeline_and_replay(browser, site, api_server, monkeypatch):
    context = browser.new_context(locale="en-GB", viewport={"width": 1200, "height": 900})
    page = context.new_page()

    page.goto(f"{site.url}/hr/people")  # not signed in: the sign-in form, then back here
    assert page.url.startswith(f"{site.url}/hr/login?next=/hr/people")
    page.get_by_label("User name").fill("anna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/hr/people")
    assert page.locator("h1").inner_text() == "People and their journeys"
    assert page.locator("table.hr-table tbody tr").count() == 4
    assert page.locator('nav.hr-nav a[aria-current="page"]').inner_text() == "People"
    page.keyboard.press("Tab")  # the skip link takes focus first, with a visible outline
    focused = page.evaluate(
        "[document.activeElement.className, getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused == ["skip", "solid"]
    shot(page, "people")

    page.get_by_role("link", name="Sanne Tester1").click()
    page.wait_for_url(f"{site.url}/hr/people/{site.hire_id}")
    assert page.locator("h1").inner_text() == "Sanne Tester1"
    timeline = page.get_by_role("list", name="Steps, past and planned")
    assert timeline.locator("li.tl-item").count() > 10
    assert page.locator("#today").is_visible() and "Today" in page.locator("#today").inner_text()
    sent = page.locator("li.tl-item.tl-sent").first
    assert "Sent" in sent.locator(".tl-badges").inner_text()  # status in words, not colour
    assert page.locator(".badge-rescheduled").first.is_visible()
    assert page.locator(".tl-moves li").first.inner_text().startswith(("Moved", "Retry"))
    ratios = page.evaluate(CONTRAST)
    assert len(ratios) > 20 and min(ratios) >= 4.5  # WCAG AA for every badge, date and link
    shot(page, "timeline")

    page.goto(f"{site.url}/hr/people/{site.unhired_id}")
    assert page.locator(".tl-invite .badge-invite-cancelled").first.is_visible()
    shot(page, "timeline-cancelled")
    page.goto(f"{site.url}/hr/people/{site.refused_id}")
    assert page.locator("li.tl-item.tl-failed").count() >= 5
    shot(page, "timeline-failed")

    page.get_by_role("link", name="Inbox").click()
    page.wait_for_url(f"{site.url}/hr/inbox")
    first_row = page.locator("table.hr-table tbody tr").first
    assert "Failed" in first_row.inner_text()
    shot(page, "inbox")

    target = max(site.failed_events)
    employee = "67891" if target == site.failed_events[1] else "67890"
    api_server.add("GET", BAMBOO_PATH.format(id=employee), bamboo_record(employee))
    api_environment(monkeypatch, api_server.url)  # the administrator gave Leerpad API access
    first_row.get_by_role("link").click()
    page.wait_for_url(f"{site.url}/hr/inbox/{target}")
    assert page.locator("#event-status").inner_text() == "Failed"
    assert "LEERPAD_API_BAMBOOHR" in page.locator("#event-error").inner_text()
    page.get_by_role("button", name="Process again").click()
    page.wait_for_url(f"{site.url}/hr/inbox/{target}?replayed=processed")
    assert "it worked" in page.get_by_role("status").inner_text()
    assert page.locator("#event-status").inner_text() == "Processed"
    assert page.get_by_role("button", name="Process again").count() == 0
    shot(page, "replay")
    context.close()


def test_the_timeline_in_dutch(browser, site):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(f"{site.url}/hr/login?next=/hr/people/{site.hire_id}")
    page.get_by_label("Gebruikersnaam").fill("anna")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{site.url}/hr/people/{site.hire_id}")
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert "Vandaag" in page.locator("#today").inner_text()
    shot(page, "timeline-nl")
    context.close()


def test_a_posted_reply_shows_on_the_timeline(browser, site):
    """An inbound-mail service posts Google's "Accepted" for the hire and Apple's "Tentative"
    for the unhired hire's cancelled series; both timelines say so, in English and Dutch."""
    uid, sequence, address = invite_of(site.engine, site.hire_id, "coaching-series")
    posted = post_reply(site.url, reply("google", uid=uid, address=address, sequence=sequence))
    assert posted.status_code == 202, posted.text
    uid, sequence, address = invite_of(site.engine, site.unhired_id, "coaching-series")
    late = post_reply(site.url, reply("apple", uid=uid, address=address, sequence=sequence))
    assert late.json()["replies"][0]["outcome"] == "late"
    for locale, user, password, button, words in (
        ("en-GB", "User name", "Password", "Sign in", ("The hire", "Accepted")),
        (
            "nl-NL",
            "Gebruikersnaam",
            "Wachtwoord",
            "Inloggen",
            ("De nieuwe collega", "Geaccepteerd"),
        ),
    ):
        context = browser.new_context(locale=locale, viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.goto(f"{site.url}/hr/login?next=/hr/people/{site.hire_id}")
        page.get_by_label(user).fill("anna")
        page.get_by_label(password).fill(PASSWORD)
        page.get_by_role("button", name=button).click()
        page.wait_for_url(f"{site.url}/hr/people/{site.hire_id}")
        answer = page.locator(".tl-answers li").first
        assert answer.is_visible()
        assert answer.inner_text().startswith(f"{words[0]}: {words[1]} · 2027-03-03 10:12")
        assert answer.locator(".badge-sent").inner_text() == words[1]  # a word, colour repeats it
        ratios = page.evaluate(CONTRAST)
        assert min(ratios) >= 4.5
        if locale == "en-GB":
            card = page.locator(".tl-card", has=page.locator(".tl-answers")).first
            card.scroll_into_view_if_needed()
            card.screenshot(path=str(ARTIFACTS / "hr-timeline-replies-card.png"))
            shot(page, "timeline-replies")
            page.goto(f"{site.url}/hr/people/{site.unhired_id}")
            late_answer = page.locator(".tl-answers li").first.inner_text()
            assert "Tentative" in late_answer and "after the cancellation" in late_answer
        context.close()
