"""A hire's first 90 days with learning, driven the way the demo does it (FormFiller)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from integrations.learning.scripted import FormFiller, badge_urls_in, latest_link, links_in
from integrations.learning.wiring import LearningDeps
from models.db import session_scope
from models.learning import BadgeAward, KnowledgeShare, PlaylistItem, Reflection
from tests.conftest import AMS
from tests.integration.learning.conftest import DAY_90, dispatch_until, hire, mail_of, mails


def at(month: int, day: int, hour: int = 18) -> datetime:
    return datetime(2027, month, day, hour, 0, tzinfo=AMS)


def test_goals_progress_a_reflection_and_badges_in_ninety_days(lapp):
    filler = FormFiller(LearningDeps.from_settings(lapp.settings, engine=lapp.engine,
                                                   now=lapp.clock.now))  # fmt: skip
    hire(lapp)
    dispatch_until(lapp, at(3, 4))
    outbox = lapp.settings.outbox_dir
    goals = latest_link(outbox, "goals")
    assert goals == links_in(mail_of(lapp, "learning-goals").text, "goals")[0]
    status, page = filler.submit(
        goals, {"goal1": "Zelfstandig een dbt-model bouwen", "shout_out": "yes"}
    )
    assert status == 200 and "Opgeslagen" in page
    dispatch_until(lapp, at(3, 16))
    for key in ("playlist-1", "playlist-2"):
        (done,) = links_in(mail_of(lapp, key).text, "done")
        status, page = filler.submit(done)
        assert status == 200 and "Afgevinkt!" in page
    (share,) = links_in(page, "share")
    assert filler.submit(share, {"kind": "lunch-session", "title": "dbt in 20 minuten"})[0] == 200
    reflection = latest_link(outbox, "reflection")
    assert filler.submit(reflection, {"answer": "Ik leer dit jaar beter delegeren."})[0] == 200
    dispatch_until(lapp, DAY_90)

    sent = [m.step_key for m in mails(lapp)]
    assert [k for k in sent if k.startswith("playlist-")] == [f"playlist-{n}" for n in range(1, 11)]
    assert {"coach-brief", "onboarding-badge", "shout-out-onboarding"} <= set(sent)
    assert "dbt in 20 minuten" in mail_of(lapp, "training-followed").text
    assert "Zelfstandig een dbt-model bouwen" in mail_of(lapp, "coach-brief").text
    with session_scope(lapp.engine) as session:
        (award,) = session.exec(select(BadgeAward)).all()
        done = session.exec(select(PlaylistItem).where(PlaylistItem.status == "completed")).all()
        assert len(session.exec(select(Reflection)).all()) == 1
        assert len(session.exec(select(KnowledgeShare)).all()) == 1
    assert len(done) == 2
    (certificate_url,) = badge_urls_in(mail_of(lapp, "onboarding-badge").text)
    assert certificate_url.endswith(award.uid)
    status, certificate = filler.open(certificate_url)
    assert status == 200 and "Onboarding afgerond" in certificate
    status, token = filler.open(certificate_url + "/credential.jwt")
    assert status == 200 and token.count(".") == 2
