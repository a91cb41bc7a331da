"""The playlist: assembled for the hire, one item per slot about twice a week, progress kept."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
from sqlmodel import select

from models.db import session_scope
from models.enrollment import ScheduledStep
from models.learning import BadgeAward, KnowledgeShare, LearningPlan, PlaylistItem
from tests.conftest import AMS
from tests.integration.learning.conftest import dispatch_until, hire, link, mail_of, mails

WEEK_4 = datetime(2027, 3, 26, 18, 0, tzinfo=AMS)


def items(lapp) -> list[PlaylistItem]:
    with session_scope(lapp.engine) as session:
        return list(session.exec(select(PlaylistItem).order_by(PlaylistItem.position)).all())


def slot_mails(lapp):
    return [m for m in mails(lapp) if m.step_key.startswith("playlist-")]


class TestDelivery:
    def test_each_slot_sends_the_next_item_with_one_question_and_a_done_link(self, lapp):
        hire(lapp)
        dispatch_until(lapp, WEEK_4)
        sent = slot_mails(lapp)
        playlist = items(lapp)
        assert len(playlist) == 10 and [m.step_key for m in sent] == [
            f"playlist-{n}" for n in range(1, 6)
        ]
        for n, message in enumerate(sent, start=1):
            assert playlist[n - 1].title in message.text
            assert playlist[n - 1].question_nl in message.text
            assert f"nummer {n} van 10" in message.text
            assert "/forms/done/" in message.text
        days = [m.message["Date"].datetime.astimezone(AMS).date() for m in sent]
        assert all((b - a).days >= 2 for a, b in zip(days, days[1:], strict=False))
        overview = mail_of(lapp, "playlist")
        assert all(item.title in overview.text for item in playlist)

    def test_an_item_done_early_is_not_sent_and_a_slot_with_nothing_left_is_skipped(
        self, lapp, server
    ):
        hire(lapp)
        dispatch_until(lapp, datetime(2027, 3, 11, 11, 0, tzinfo=AMS))  # playlist-1 sent
        first = link(mail_of(lapp, "playlist-1").text, "done")
        assert httpx.post(first).status_code == 303
        with session_scope(lapp.engine) as session:
            rows = session.exec(select(PlaylistItem).order_by(PlaylistItem.position)).all()
            for row in rows[2:]:
                row.status, row.completed_via = "completed", "xapi"  # done in the LMS
        dispatch_until(lapp, datetime(2027, 4, 30, 18, 0, tzinfo=AMS))
        assert [m.step_key for m in slot_mails(lapp)] == ["playlist-1", "playlist-2"]
        with session_scope(lapp.engine) as session:
            slots = session.exec(
                select(ScheduledStep).where(ScheduledStep.template == "new-hire/playlist-item")
            ).all()
        assert {s.step_key: s.status for s in slots}["playlist-3"] == "skipped"

    def test_a_moved_start_date_moves_the_playlist_slots(self, lapp):
        from flows.processing import process_stored_event, store
        from tests.factories import make_event

        hire(lapp)
        with session_scope(lapp.engine) as session:
            before = {s.step_key: s.due_at for s in session.exec(select(ScheduledStep)).all()}
        moved = make_event("employee.updated", at=datetime(2027, 2, 1, 9, 0, tzinfo=AMS),
                           start=date(2027, 3, 8))  # fmt: skip
        lapp.clock.advance_to(moved.occurred_at)
        inbox_id, _ = store(app=lapp, event=moved, now=lapp.clock.now())
        process_stored_event(app=lapp, inbox_id=inbox_id, now=lapp.clock.now())
        with session_scope(lapp.engine) as session:
            after = {s.step_key: s.due_at for s in session.exec(select(ScheduledStep)).all()}
        for n in range(1, 11):  # a week later, or more across Easter Monday; still at 10:00
            old, new = (x[f"playlist-{n}"].astimezone(AMS) for x in (before, after))
            assert timedelta(days=7) <= new - old < timedelta(days=9) and new.hour == 10


class TestDoneAndShare:
    def test_a_get_never_ticks_off_a_post_does_and_the_page_invites_sharing(self, lapp, server):
        hire(lapp)
        dispatch_until(lapp, datetime(2027, 3, 11, 11, 0, tzinfo=AMS))
        url = link(mail_of(lapp, "playlist-1").text, "done")
        page = httpx.get(url)
        assert page.status_code == 200 and "Ja, afvinken" in page.text
        assert items(lapp)[0].status == "planned"
        done = httpx.post(url, follow_redirects=True)
        assert "Afgevinkt!" in done.text and "1 van de 10" in done.text
        assert items(lapp)[0].status == "completed" and items(lapp)[0].completed_via == "link"
        assert "al afgevinkt" in httpx.get(url).text
        share = link(done.text.replace("&amp;", "&"), "share")
        form = {"kind": "lunch-session", "title": "Wat ik leerde over groei", "summary": "Kort."}
        assert httpx.post(share, data=form).status_code == 303
        with session_scope(lapp.engine) as session:
            (recorded,) = session.exec(select(KnowledgeShare)).all()
        assert recorded.playlist_item_id == items(lapp)[0].id and recorded.kind == "lunch-session"
        bad = httpx.post(share, data={"kind": "gossip", "title": "x", "planned_on": "2020-01-01"})
        assert bad.status_code == 400 and bad.text.count('class="error"') == 3

    def test_shares_are_recognised_in_the_leaders_next_message(self, lapp, server):
        hire(lapp)
        dispatch_until(lapp, datetime(2027, 3, 23, 11, 0, tzinfo=AMS))  # knowledge-sharing-1
        share = link(mail_of(lapp, "knowledge-sharing-1").text, "share")
        httpx.post(share, data={"kind": "teach-back", "title": "Git branches aan mijn buddy"})
        dispatch_until(lapp, datetime(2027, 3, 30, 18, 0, tzinfo=AMS))
        leader = mail_of(lapp, "training-followed")
        assert "Git branches aan mijn buddy" in leader.text
        assert "Korte uitleg aan een collega" in leader.text
        dispatch_until(lapp, datetime(2027, 4, 14, 18, 0, tzinfo=AMS))
        assert "Git branches" not in mail_of(lapp, "ask-for-feedback").text  # only new ones

    def test_finishing_the_playlist_awards_a_badge_and_tells_the_team_when_agreed(
        self, lapp, server
    ):
        hire(lapp)
        dispatch_until(lapp, datetime(2027, 3, 11, 11, 0, tzinfo=AMS))
        goals = link(mail_of(lapp, "learning-goals").text, "goals")
        httpx.post(goals, data={"goal1": "Beter presenteren voor groepen", "shout_out": "yes"})
        first = link(mail_of(lapp, "playlist-1").text, "done")
        with session_scope(lapp.engine) as session:
            for row in session.exec(select(PlaylistItem)).all():
                if row.step_id is None:
                    row.status = "completed"
        page = httpx.post(first, follow_redirects=True)
        assert "Je playlist is af" in page.text and "/badges/" in page.text
        with session_scope(lapp.engine) as session:
            (award,) = session.exec(select(BadgeAward)).all()
            plan = session.exec(select(LearningPlan)).one()
        assert award.achievement_key == "playlist" and plan.completed_at is not None
        dispatch_until(lapp, datetime(2027, 3, 11, 18, 0, tzinfo=AMS))
        congrats = mail_of(lapp, "playlist-badge")
        assert f"/badges/{award.uid}" in congrats.text and "hire1@example.org" in congrats.to
        shout = mail_of(lapp, "shout-out-playlist")
        assert "manager1@example.org" in shout.to and "Leerplaylist voltooid" in shout.text
        assert "Beter presenteren" not in shout.text  # the team hears of the badge, not the goals
