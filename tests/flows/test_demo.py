"""`leerpad demo` end to end: preboarding to her personal address, week 2 to her work address."""

from __future__ import annotations

import email
from datetime import datetime, timedelta
from email import policy
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console

from flows.demo_addresses import hire_messages
from flows.demo_story import AMS, MOVED_START, PERSONAL_EMAIL, WORK_EMAIL

PREBOARDING = ("welcome", "learning-offer", "think-about-goals", "first-day")


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the demo in a private folder (its SQLite file lands in the working directory)."""
    from flows.bootstrap import reset
    from flows.demo import run_demo

    monkeypatch.chdir(tmp_path)
    for name in ("LEERPAD_SMTP_URL", "LEERPAD_DATABASE_URL", "LEERPAD_JOURNEYS_DIR"):
        monkeypatch.delenv(name, raising=False)
    printed = StringIO()
    app = run_demo(out_dir="out", lang="en", console=Console(file=printed, width=400))
    yield app, tmp_path / "out", printed.getvalue()
    reset()


def test_the_demo_hire_gets_preboarding_at_home_and_week_two_at_work(demo):
    app, out, printed = demo
    messages, switch = hire_messages(app)
    assert switch == datetime(2027, 3, 8, 0, 0, tzinfo=AMS)  # the moved start date, a Monday
    assert MOVED_START == switch.date()
    by_step = {m.step_key: m for m in messages if m.action == "send"}
    for key in PREBOARDING:
        assert (by_step[key].kind, by_step[key].address) == ("personal", PERSONAL_EMAIL), key
    # after the switch, invites sent to her personal calendar are cancelled there (moved to work)
    moved = [m for m in messages if m.action == "cancel" and m.at >= switch]
    assert moved and all((m.kind, m.address) == ("personal", PERSONAL_EMAIL) for m in moved)
    own = [m for m in messages if m not in moved]
    week_two = [m for m in own if switch + timedelta(days=7) <= m.at < switch + timedelta(14)]
    assert week_two and all((m.kind, m.address) == ("work", WORK_EMAIL) for m in week_two)
    assert all((m.kind == "work") == (m.at >= switch) for m in own)

    eml = {}
    for path in out.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        eml[message["X-Leerpad-Step"]] = {a.addr_spec for a in message["To"].addresses}
    to_hire = [to for to in eml.values() if {PERSONAL_EMAIL, WORK_EMAIL} & to]
    assert any(PERSONAL_EMAIL in to for to in to_hire) and any(WORK_EMAIL in to for to in to_hire)
    assert not any({PERSONAL_EMAIL, WORK_EMAIL} <= to for to in to_hire)

    assert f"personal: {PERSONAL_EMAIL}" in printed and f"work: {WORK_EMAIL}" in printed
    assert "before her first working day, Monday 8 March 2027" in printed
    assert f"and {len(moved)} invite(s) taken out of her personal calendar" in printed
