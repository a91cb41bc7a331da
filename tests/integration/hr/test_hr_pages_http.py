"""The HR people list, timelines and event inbox over real HTTP, on SQLite and PostgreSQL.

The app is the one `leerpad serve` builds (flows.serve.build_http_app); the company in it was
made through the real intake, processing and SMTP dispatch (tests/integration/hr/world.py).
"""

from __future__ import annotations

import logging
import re

from sqlmodel import col, select

from models.db import session_scope
from models.inbox import InboxEvent
from models.invite_responses import InviteResponse
from models.people import Person
from tests.integration.hr.conftest import CSRF, client, sign_in
from tests.integration.hr.replies import invite_of, post_reply, signed
from tests.integration.hr.world import BAMBOO_PATH, PERSONAL, REFUSED, WORK, bamboo_record
from tests.integration.hr.world import api_environment as give_api_access
from tests.integration.invite_replies_samples import reply

ROW = re.compile(r'<tr[^>]*>\s*<th scope="row"><a href="/hr/people/(\d+)">([^<]+)</a></th>')


def names(page: str) -> list[str]:
    return [name for _, name in ROW.findall(page)]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class TestSignInNeeded:
    def test_every_page_sends_a_stranger_to_sign_in_and_replay_is_401(self, world):
        with client(world.url) as http:
            for path in ("/hr/people", f"/hr/people/{world.hire_id}", "/hr/inbox",
                         f"/hr/inbox/{world.failed_events[0]}"):  # fmt: skip
                response = http.get(path)
                assert response.status_code == 303, path
                assert response.headers["location"].startswith("/hr/login?next=/hr/")
            posted = http.post(f"/hr/inbox/{world.failed_events[0]}/replay", data={})
        assert posted.status_code == 401

    def test_the_nav_links_every_hr_page(self, hr):
        page = hr.get("/hr").text
        for href in ("/hr", "/hr/people", "/hr/inbox", "/hr/vacancies", "/hr/culture"):
            assert f'href="{href}"' in page
        assert 'href="/hr" aria-current="page"' in page


class TestPeople:
    def test_hires_and_candidates_with_state_next_step_and_failures(self, hr, world):
        page = hr.get("/hr/people")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert names(page.text) == ["Kim Kandidaat", "Sanne Tester1", "Sanne Tester2",
                                    "Sanne Tester3"]  # fmt: skip
        rows = {
            int(pid): text_of(row)
            for pid, row in re.findall(r'href="/hr/people/(\d+)">(.*?)</tr>', page.text, re.S)
        }
        assert "Candidate" in rows[world.candidate_id] and "Active" in rows[world.candidate_id]
        assert "Cancelled" in rows[world.unhired_id]
        assert "first-day 2027-03-04 11:00" in rows[world.hire_id]  # moved a week with her start
        failures = int(re.findall(r"(\d+)\s*$", rows[world.refused_id].strip())[0])
        assert failures >= 5  # every message to her refused with a 550
        assert rows[world.hire_id].strip().endswith(" 0")
        assert "example.org" not in page.text  # names, never addresses

    def test_filters_by_kind_and_state(self, hr):
        assert names(hr.get("/hr/people", params={"kind": "candidate"}).text) == ["Kim Kandidaat"]
        hires = names(hr.get("/hr/people", params={"kind": "hire"}).text)
        assert hires == ["Sanne Tester1", "Sanne Tester2", "Sanne Tester3"]
        assert names(hr.get("/hr/people", params={"state": "cancelled"}).text) == ["Sanne Tester3"]
        both = hr.get("/hr/people", params={"kind": "candidate", "state": "cancelled"})
        assert names(both.text) == [] and "0 found" in both.text
        assert len(names(hr.get("/hr/people", params={"kind": "nonsense"}).text)) == 4

    def test_search_by_name_is_posted_with_csrf_so_names_stay_out_of_urls(self, hr):
        token = CSRF.search(hr.get("/hr/people").text).group(1)
        found = hr.post("/hr/people", data={"csrf_token": token, "q": "tester2"})
        assert found.status_code == 200 and names(found.text) == ["Sanne Tester2"]
        assert 'value="tester2"' in found.text
        wild = hr.post("/hr/people", data={"csrf_token": token, "q": "%"})
        assert names(wild.text) == []  # LIKE wildcards are matched literally
        forged = hr.post("/hr/people", data={"csrf_token": "forged", "q": "tester"})
        assert forged.status_code == 403
        for href in re.findall(r'href="([^"]+)"', found.text):
            assert "Sanne" not in href and "tester" not in href.lower()

    def test_pages_of_one(self, hr, world):
        from models.hr_people import people_page

        with session_scope(world.engine) as session:
            first = people_page(session=session, page=1, size=1)
            last = people_page(session=session, page=99, size=1)
        assert (first.total, first.pages, [r.name for r in first.rows]) == (
            4, 4, ["Kim Kandidaat"],
        )  # fmt: skip
        assert (last.page, [r.name for r in last.rows]) == (4, ["Sanne Tester3"])


class TestTimeline:
    def test_the_moved_hire_shows_sent_planned_rescheduled_and_address_kinds(self, hr, world):
        page = hr.get(f"/hr/people/{world.hire_id}")
        assert page.status_code == 200
        html = page.text
        assert "<h1>Sanne Tester1</h1>" in html
        assert '<ol class="timeline"' in html and 'id="today"' in html
        items = re.findall(r'<li class="tl-item tl-(\w+) tl-(past|future)"', html)
        assert {"sent", "planned"} <= {status for status, _ in items}
        past = [when for _, when in items]
        assert past == sorted(past, key=lambda w: w == "future")  # past first, then planned
        text = text_of(html)
        assert "Moved: 2027-02-25 11:00 → 2027-03-04 11:00 (because of employee.updated)" in text
        assert "personal address" in text and "Rescheduled" in text
        assert "Calendar invite" in text and "version 1" in text  # the series was updated
        assert "No answer received yet." in text  # before any reply came in
        assert PERSONAL not in html and WORK not in html and "example.org" not in html

    def test_failed_steps_say_why_without_the_address(self, hr, world):
        html = hr.get(f"/hr/people/{world.refused_id}").text
        assert 'class="tl-item tl-failed' in html
        text = text_of(html)
        assert "Failed" in text and "550 5.1.1 &lt;address&gt;: no such user" in text
        assert REFUSED not in html

    def test_the_unhired_hire_shows_cancelled_steps_and_invites(self, hr, world):
        text = text_of(hr.get(f"/hr/people/{world.unhired_id}").text)
        assert "Cancelled" in text and "Cancellation" in text
        assert re.search(r"Meeting: [\d\- :–]+ · Cancelled", text)

    def test_a_retry_shows_on_the_timeline(self, hr, world):
        texts = [text_of(hr.get(f"/hr/people/{pid}").text)
                 for pid in (world.hire_id, world.refused_id, world.unhired_id)]  # fmt: skip
        assert any(re.search(r"Retried 1×", t) and "Retry: " in t for t in texts)

    def test_dutch_for_a_dutch_browser(self, world):
        with client(world.url, lang="nl-NL") as http:
            sign_in(http)
            html = http.get(f"/hr/people/{world.hire_id}").text
        assert 'lang="nl"' in html and "Vandaag" in html and "Verplaatst" in html
        assert "privéadres" in html

    def test_unknown_erased_and_malformed_ids_are_404(self, hr, world):
        assert hr.get("/hr/people/999999").status_code == 404
        assert hr.get("/hr/people/abc").status_code == 404
        with session_scope(world.engine) as session:
            manager = session.exec(select(Person).where(Person.email == "manager1@example.org"))
            manager_id = manager.one().id
        assert hr.get(f"/hr/people/{manager_id}").status_code == 404  # no journey of their own


class TestInbox:
    def test_failures_first_with_source_type_status_and_reason(self, hr, world):
        page = hr.get("/hr/inbox")
        assert page.status_code == 200
        ids = [int(i) for i in re.findall(r'href="/hr/inbox/(\d+)">#', page.text)]
        failed = sorted(world.failed_events, reverse=True)
        assert ids[: len(failed)] == failed  # failed first (newest first among them)
        text = text_of(page.text)
        assert "bamboohr" in text and "Failed" in text and "LEERPAD_API_BAMBOOHR" in text
        only = hr.get("/hr/inbox", params={"status": "failed"}).text
        assert sorted(int(i) for i in re.findall(r'href="/hr/inbox/(\d+)">#', only)) == sorted(
            world.failed_events
        )

    def test_one_event_shows_its_payload_to_hr_only(self, hr, world):
        with session_scope(world.engine) as session:
            hired = session.exec(
                select(InboxEvent).where(InboxEvent.event_type == "candidate.hired")
            ).first()
        page = hr.get(f"/hr/inbox/{hired.id}")
        assert page.status_code == 200 and "hire1@example.org" not in page.url.path
        assert "candidate.hired" in page.text and "Sanne" in page.text  # the payload, for HR
        assert "Process again" not in page.text  # processed: nothing to replay
        with client(world.url) as stranger:
            assert stranger.get(f"/hr/inbox/{hired.id}").status_code == 303
        assert hr.get("/hr/inbox/999999").status_code == 404


class TestReplay:
    def event(self, world, inbox_id: int) -> InboxEvent:
        with session_scope(world.engine) as session:
            return session.get(InboxEvent, inbox_id)

    def test_without_the_right_csrf_token_it_is_403_and_nothing_runs(self, hr, world):
        target = world.failed_events[0]
        before = self.event(world, target)
        for data in ({}, {"csrf_token": ""}, {"csrf_token": "not-the-token"}):
            assert hr.post(f"/hr/inbox/{target}/replay", data=data).status_code == 403
        after = self.event(world, target)
        assert (after.status, after.attempts) == ("failed", before.attempts)

    def test_a_replay_that_fails_again_says_so_and_keeps_the_reason(self, hr, world, caplog):
        target = world.failed_events[0]
        before = self.event(world, target).attempts
        token = CSRF.search(hr.get(f"/hr/inbox/{target}").text).group(1)
        with caplog.at_level(logging.INFO, logger="leerpad.hr.audit"):
            response = hr.post(f"/hr/inbox/{target}/replay", data={"csrf_token": token})
        assert response.status_code == 303
        assert response.headers["location"] == f"/hr/inbox/{target}?replayed=failed"
        page = hr.get(response.headers["location"]).text
        assert "it failed again" in page and "LEERPAD_API_BAMBOOHR" in page
        after = self.event(world, target)
        assert (after.status, after.attempts) == ("failed", before + 1)
        audit = [r.getMessage() for r in caplog.records if r.name == "leerpad.hr.audit"]
        assert audit == [f"HR action replay on inbox event {target}: failed"]
        assert "anna" not in audit[0]

    def test_a_replay_after_the_cause_is_fixed_processes_the_event(
        self, hr, world, api_server, monkeypatch
    ):
        target = world.failed_events[1]
        api_server.add("GET", BAMBOO_PATH.format(id="67891"), bamboo_record("67891"))
        give_api_access(monkeypatch, api_server.url)
        token = CSRF.search(hr.get(f"/hr/inbox/{target}").text).group(1)
        response = hr.post(f"/hr/inbox/{target}/replay", data={"csrf_token": token})
        assert response.headers["location"] == f"/hr/inbox/{target}?replayed=processed"
        page = hr.get(response.headers["location"]).text
        assert "it worked" in page and "Process again" not in page
        assert self.event(world, target).status == "processed"
        assert "Noor Bamboo67891" in hr.get("/hr/people").text  # the hire it brought in
        again = hr.post(f"/hr/inbox/{target}/replay", data={"csrf_token": token})
        assert again.headers["location"] == f"/hr/inbox/{target}?replayed=refused"

    def test_an_unknown_event_is_404(self, hr):
        token = CSRF.search(hr.get("/hr/inbox").text).group(1)
        assert hr.post("/hr/inbox/999999/replay", data={"csrf_token": token}).status_code == 404


class TestInviteReplies:
    """Replies posted to /webhooks/mail-replies as an inbound-mail service does, then shown."""

    def test_a_bad_or_missing_signature_is_401_and_nothing_is_stored(self, world):
        uid, sequence, address = invite_of(world.engine, world.hire_id, "coaching-series")
        raw = reply("google", uid=uid, address=address, sequence=sequence)
        unsigned = post_reply(world.url, raw, {"Content-Type": "message/rfc822"})
        wrong = post_reply(world.url, raw, signed(raw, secret="not-the-secret"))
        changed = post_reply(world.url, raw + b" ", signed(raw))
        assert [r.status_code for r in (unsigned, wrong, changed)] == [401, 401, 401]
        assert "LEERPAD_SECRET_MAIL_REPLIES" in unsigned.json()["error"]
        as_json = post_reply(world.url, raw, signed(raw) | {"Content-Type": "application/json"})
        assert as_json.status_code == 415 and "message/rfc822" in as_json.json()["error"]
        with session_scope(world.engine) as session:
            assert session.exec(select(InviteResponse)).all() == []

    def test_an_old_decline_then_an_accept_show_the_accept_and_the_hire_s_addresses_stay_out(
        self, hr, world
    ):
        uid, sequence, address = invite_of(world.engine, world.hire_id, "coaching-series")
        assert sequence == 1  # the series was updated when the start date moved
        stale = post_reply(world.url, reply("outlook", uid=uid, address=address, sequence=0))
        assert stale.status_code == 202
        assert [(r["outcome"], r["partstat"]) for r in stale.json()["replies"]] == [
            ("stale", "DECLINED")
        ]
        accepted = post_reply(world.url, reply("google", uid=uid, address=address.upper(),
                                               sequence=sequence))  # fmt: skip
        assert accepted.status_code == 202
        (outcome,) = accepted.json()["replies"]
        assert (outcome["outcome"], outcome["role"], outcome["person_id"]) == (
            "matched", "new_hire", world.hire_id,
        )  # fmt: skip
        assert address not in accepted.text and address not in stale.text
        again = post_reply(world.url, reply("google", uid=uid, address=address, sequence=sequence))
        assert again.status_code == 202 and again.json()["replies"][0]["outcome"] == "duplicate"
        text = text_of(hr.get(f"/hr/people/{world.hire_id}").text)
        assert "The hire: Accepted · 2027-03-03 10:12" in text, text
        assert "Declined" not in text  # an answer to an older version does not hide the new one

    def test_a_reply_after_the_cancellation_is_late_and_said_so(self, hr, world):
        uid, sequence, address = invite_of(world.engine, world.unhired_id, "coaching-series")
        response = post_reply(world.url, reply("apple", uid=uid, address=address,
                                               sequence=sequence))  # fmt: skip
        assert response.status_code == 202
        assert response.json()["replies"][0]["outcome"] == "late"
        text = text_of(hr.get(f"/hr/people/{world.unhired_id}").text)
        assert "The hire: Tentative" in text and "after the cancellation" in text

    def test_replies_that_match_nothing_are_422_with_a_reason_and_kept(self, hr, world):
        uid, sequence, address = invite_of(world.engine, world.hire_id, "coaching-series")
        cases = {
            "unknown UID": reply("outlook", uid="not-ours@example.com", address=address),
            "not invited": reply(
                "apple", uid=uid, address="someone@else.example", sequence=sequence
            ),  # fmt: skip
            "no reply": b"From: a@b.example\r\nSubject: thanks!\r\n\r\nSee you then.\r\n",
        }
        answers = {name: post_reply(world.url, raw) for name, raw in cases.items()}
        assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(cases, 422)
        assert "not one of Leerpad's calendar events" in answers["unknown UID"].json()["error"]
        assert "not an address calendar event" in answers["not invited"].json()["error"]
        assert "no calendar part" in answers["no reply"].json()["error"]
        assert "someone@else.example" not in answers["not invited"].text
        kept = {r.json()["replies"][0]["inbox_id"] for r in answers.values()}
        with session_scope(world.engine) as session:
            rows = session.exec(select(InboxEvent).where(col(InboxEvent.id).in_(kept))).all()
        assert {(r.source, r.status, r.event_type) for r in rows} == {
            ("mail_replies", "rejected", "invite.reply")
        }
        assert len(rows) == 3 and all(r.raw_body for r in rows)  # kept as it came, to inspect
        shown = hr.get(f"/hr/inbox/{min(kept)}")  # HR can look at a refused reply
        assert shown.status_code == 200 and "not one of Leerpad" in shown.text

    def test_the_dutch_timeline_says_geaccepteerd(self, world):
        with client(world.url, "nl-NL") as http:
            sign_in(http)
            text = text_of(http.get(f"/hr/people/{world.hire_id}").text)
        assert "De nieuwe collega: Geaccepteerd" in text
