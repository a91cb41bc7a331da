"""The demo's learning moments: goals set, a reflection answered, items done, a share, a badge."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from pydantic import SecretStr
from rich.console import Console

from flows.bootstrap import App
from flows.demo_story import AMS

GOALS = {
    "nl": {"goal1": "Zelfstandig een dbt-model bouwen en testen", "goal2": "Leren presenteren"},
    "en": {"goal1": "Build and test a dbt model on my own", "goal2": "Learn to present my work"},
}
REFLECTION = {
    "nl": "Dit kwartaal leer ik beter delegeren; ik vraag Sanne na elke 1-op-1 om feedback.",
    "en": "This quarter I am learning to delegate; I ask Sanne for feedback after every 1:1.",
}
SHARE = {"nl": "dbt in 20 minuten", "en": "dbt in 20 minutes"}


def demo_secrets() -> dict[str, SecretStr]:
    """A fresh signing key and Ed25519 badge key for this run only (nothing stored in the repo)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from integrations.learning.jws import private_key_pem

    pem = private_key_pem(Ed25519PrivateKey.generate())
    return {
        "signing_key": SecretStr(secrets.token_urlsafe(32)),
        "badge_key": SecretStr(base64.b64encode(pem.encode()).decode()),
    }


def play_learning(
    *, app: App, out: Path, lang: str, run_until: Callable[[datetime], None], console: Console
) -> None:
    """Act as the hire and the leader on the links in their emails, through the real routes."""
    from integrations.learning.scripted import FormFiller, latest_link, links_in
    from integrations.learning.wiring import LearningDeps

    deps = LearningDeps.from_settings(
        app.settings, engine=app.engine, now=app.clock.now, profile=app.rules.profile
    )
    filler = FormFiller(deps)

    def submit(purpose: str, data: dict[str, str] | None = None) -> str:
        link = latest_link(out, purpose)
        if link is None:
            raise RuntimeError(f"no {purpose} link in the outbox")
        status, page = filler.submit(link, data)
        if status != 200:
            raise RuntimeError(f"the {purpose} form answered {status}")
        return page

    run_until(datetime(2027, 3, 11, 15, 0, tzinfo=AMS))
    submit("goals", {**GOALS[lang], "shout_out": "yes"})
    console.print("  2027-03-11 15:00 the new hire set two learning goals (form link)")
    run_until(datetime(2027, 3, 15, 15, 0, tzinfo=AMS))
    submit("reflection", {"answer": REFLECTION[lang]})
    console.print("  2027-03-15 15:00 the leader answered a reflection prompt (private)")
    run_until(datetime(2027, 3, 18, 11, 0, tzinfo=AMS))
    page = submit("done")
    share = links_in(page, "share")
    if share:
        filler.submit(share[0], {"kind": "lunch-session", "title": SHARE[lang]})
    console.print(
        "  2027-03-18 11:00 a playlist item done, and a lunch session offered to share it"
    )
    run_until(datetime(2027, 3, 23, 11, 0, tzinfo=AMS))
    submit("done")
    console.print("  2027-03-23 11:00 a second playlist item done")


def save_badge(*, app: App, out: Path, console: Console) -> None:
    """Fetch the day-90 certificate's VC-JWT from its page and keep it beside the emails."""
    from integrations.learning.scripted import FormFiller, badge_urls_in, email_text
    from integrations.learning.wiring import LearningDeps

    urls = [u for p in sorted(out.glob("*.eml")) for u in badge_urls_in(email_text(p))]
    if not urls:
        console.print("  no badge certificate link found")
        return
    deps = LearningDeps.from_settings(
        app.settings, engine=app.engine, now=app.clock.now, profile=app.rules.profile
    )
    status, token = FormFiller(deps).open(urls[-1] + "/credential.jwt")
    if status == 200:
        (out / "onboarding-badge.jwt").write_text(token, encoding="utf-8")
        console.print(
            f"  Open Badges 3.0 credential (VC-JWT, Ed25519): {out / 'onboarding-badge.jwt'}"
        )


def learning_summary(app: App) -> dict[str, int]:
    """Aggregate learning counts (what HR may see), no individual answers."""
    from models.db import session_scope
    from models.learning_queries import learning_totals

    with session_scope(app.engine) as session:
        return learning_totals(session=session)
