"""The rejection email states the retention periods the employer profile configures."""

from __future__ import annotations

import email
from datetime import datetime, timedelta
from email import policy
from pathlib import Path

import pytest
import yaml

from flows.simulation import run_until
from journeys.catalog import DEFAULTS_DIR
from tests.conftest import AMS
from tests.factories import make_event
from tests.privacy.helpers import dispatcher, ingest

REJECTED = datetime(2027, 1, 20, 10, 0, tzinfo=AMS)


@pytest.fixture
def profile_app(engine, tmp_path, start_clock):
    """The app with an employer profile that keeps data 6 weeks, or 18 months with consent."""
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings

    data = yaml.safe_load((DEFAULTS_DIR / "organization.yaml").read_text(encoding="utf-8"))
    data["retention"] = {"candidate_weeks": 6, "consent_months": 18, "employee_months": 3}
    organization = tmp_path / "organization.yaml"
    organization.write_text(yaml.safe_dump(data), encoding="utf-8")
    settings = LeerpadSettings(
        database_url=str(engine.url), outbox_dir=tmp_path / "outbox", smtp_url=None,
        organization=organization,
    )  # fmt: skip
    yield bootstrap(settings=settings, clock=start_clock, engine=engine)
    reset()


@pytest.mark.parametrize(("locale", "weeks"), [("nl", "6 weken"), ("en", "6 weeks")])
def test_the_rejection_email_states_the_configured_periods(profile_app, locale, weeks):
    overrides = {"locale": locale}
    ingest(profile_app, make_event("candidate.applied", at=REJECTED, person_overrides=overrides))
    later = REJECTED + timedelta(minutes=5)
    ingest(profile_app, make_event("candidate.rejected", at=later, person_overrides=overrides))
    run_until(profile_app, REJECTED + timedelta(days=7), dispatch=dispatcher(profile_app))
    outbox = Path(profile_app.settings.outbox_dir)
    texts = [
        email.message_from_bytes(f.read_bytes(), policy=policy.default)
        .get_body(("plain",))
        .get_content()
        for f in sorted(outbox.glob("*.eml"))
    ]
    assert len(texts) == 2 and all(weeks in t for t in texts)  # applied and rejected
    assert any("18 " in t for t in texts)  # months with consent
    assert not any(weeks.replace("6", "4") in t for t in texts)
    assert profile_app.composer.profile.retention.policy().candidate_weeks == 6
