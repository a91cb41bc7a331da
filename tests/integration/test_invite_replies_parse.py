"""Reading iTIP REPLYs out of reply mails as Google Calendar, Outlook/Exchange and Apple write."""

from __future__ import annotations

import base64
import quopri
from datetime import UTC, datetime

import pytest

from integrations.invite_replies.parse import (
    NoReply,
    replies_in_calendar,
    replies_in_message,
    split_messages,
)
from tests.integration.invite_replies_samples import STYLES, ics_reply, reply

UID, ADDRESS = "3f2a9c@leerpad.acme.example", "Sanne.Jansen@Voorbeeld.example"
ANSWER = {"google": "ACCEPTED", "outlook": "DECLINED", "apple": "TENTATIVE"}
STAMP = {
    "google": datetime(2027, 3, 3, 9, 12, 40, tzinfo=UTC),
    "outlook": datetime(2027, 3, 3, 10, 31, 7, tzinfo=UTC),
    "apple": datetime(2027, 3, 3, 10, 2, 19, tzinfo=UTC),
}


@pytest.mark.parametrize("style", STYLES)
def test_each_client_s_reply_gives_uid_sequence_attendee_answer_and_stamp(style):
    (found,) = replies_in_message(reply(style, uid=UID, address=ADDRESS, sequence=3))
    assert (found.uid, found.sequence, found.attendee, found.partstat, found.dtstamp) == (
        UID, 3, "sanne.jansen@voorbeeld.example", ANSWER[style], STAMP[style],
    )  # fmt: skip
    assert found.occurrence is None


def test_google_s_inline_part_and_its_attachment_count_once():
    raw = reply("google", uid=UID, address=ADDRESS)
    assert raw.count(b"Content-Type: text/calendar") == 1 and b"invite.ics" in raw
    assert len(replies_in_message(raw)) == 1


def test_a_bare_ics_and_a_quoted_printable_application_ics_attachment():
    ics = ics_reply(uid=UID, address=ADDRESS, sequence=2)
    assert replies_in_message(ics)[0].partstat == "TENTATIVE"
    mail = (
        b"From: x@y.example\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
        b'Content-Type: application/ics; name="reply.ics"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        + quopri.encodestring(ics.replace(b"TENTATIVE", b"ACCEPTED"))
        + b"\r\n--b--\r\n"
    )
    assert [r.partstat for r in replies_in_message(mail)] == ["ACCEPTED"]


def test_delegated_and_one_occurrence_of_a_series():
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        "BEGIN:VEVENT\r\nUID:u1\r\nSEQUENCE:1\r\nDTSTAMP:20270303T090000Z\r\n"
        "RECURRENCE-ID;TZID=Europe/Amsterdam:20270322T140000\r\n"
        'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:b@x.example":mailto:a@x.example\r\n'
        "COMMENT:Mijn collega neemt het over\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (found,) = replies_in_calendar(ics)
    assert (found.partstat, found.attendee) == ("DELEGATED", "a@x.example")
    assert found.occurrence == datetime(2027, 3, 22, 13, 0, tzinfo=UTC)


def test_with_several_answering_attendees_the_sender_s_is_kept():
    ics = ics_reply(uid=UID, address="a@x.example").replace(
        b"ORGANIZER", b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:other@x.example\r\nORGANIZER"
    )
    assert len(replies_in_calendar(ics)) == 2
    assert [r.attendee for r in replies_in_calendar(ics, sender="a@x.example")] == ["a@x.example"]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "no calendar part"),
        (b"\xff\xfe\x00garbage" * 50, "no calendar part"),
        (b"From: a@b\r\nSubject: Re: invite\r\n\r\nThanks, see you!\r\n", "no calendar part"),
        (b"BEGIN:VCALENDAR\r\nthis is not ical\r\n", "could not be read"),
        (b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "METHOD:REQUEST, not a REPLY"),
        (b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n", "no event with a UID"),
        (
            b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:u\r\n"
            b"ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:a@b.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "no event with a UID and an answering ATTENDEE",
        ),
        (
            b"Content-Type: text/calendar\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.b64encode(b"\x00\x01 not a calendar"),
            "could not be read",
        ),
    ],
)
def test_junk_is_refused_with_a_clear_reason(raw, reason):
    with pytest.raises(NoReply, match=reason):
        replies_in_message(raw)


def test_an_mbox_is_split_into_its_messages_and_from_quoting_undone():
    google = reply("google", uid=UID, address=ADDRESS)
    outlook = reply("outlook", uid=UID, address=ADDRESS).replace(
        b"Helaas kan ik niet", b">From now on, helaas kan ik niet"
    )
    box = (
        b"From MAILER-DAEMON Wed Mar  3 10:00:00 2027\n" + google + b"\n"
        b"From someone@example.com Wed Mar  3 11:00:00 2027\n" + outlook + b"\n"
    )
    messages = split_messages(box)
    assert len(messages) == 2 and b"\nFrom now on" in messages[1]
    assert [replies_in_message(m)[0].partstat for m in messages] == ["ACCEPTED", "DECLINED"]
    assert split_messages(google) == [google]
