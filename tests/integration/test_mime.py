"""MIME structure, headers, CSS inlining and header-injection safety of built messages."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from subprocess import PIPE

import css_inline
import pytest

from integrations.mail.message import Address, CalendarPart, make_message_id
from integrations.mail.mime import build_mime, inline_css

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def parse(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def compat32_parse(raw: bytes):
    return message_from_bytes(raw, policy=policy.compat32)


def content_types(msg: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in msg.walk()]


class TestPlainMessage:
    def test_is_multipart_alternative_with_text_then_html(self, make_message):
        msg = parse(build_mime(make_message()))
        assert content_types(msg) == ["multipart/alternative", "text/plain", "text/html"]
        text, html = msg.iter_parts()
        assert text.get_content_charset() == "utf-8" and html.get_content_charset() == "utf-8"
        assert text.get_content() == "Hallo Jürgen,\n\nWelkom! Bericht 1.\n"
        assert "Welkom! Bericht 1." in html.get_content()

    def test_sets_message_id_date_from_and_language(self, make_message):
        message = make_message()
        msg = parse(build_mime(message))
        assert msg["Message-ID"] == message.message_id
        assert parsedate_to_datetime(msg["Date"]) == message.date
        assert msg["From"].addresses[0].display_name == "Zoë Çelik (HR)"
        assert msg["From"].addresses[0].addr_spec == "journeys@leerpad.example"
        assert msg["To"].addresses[0].display_name == "Jürgen Öztürk"
        assert msg["Content-Language"] == "nl"
        assert msg["MIME-Version"] == "1.0"

    def test_encodes_non_ascii_headers_per_rfc_2047(self, make_message):
        raw = build_mime(make_message(subject="Welkom Zoë 🎉 " + "lang " * 20))
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert head.isascii() and b"=?utf-8?" in head
        assert parse(raw)["Subject"] == "Welkom Zoë 🎉 " + ("lang " * 20).rstrip()

    def test_folds_long_non_ascii_names_into_valid_encoded_words(self, make_message):
        name = "Zoë Çelik-Öztürk 🎉 " * 6
        raw = build_mime(make_message(sender=Address("hr@leerpad.example", name)))
        folded = compat32_parse(raw)["From"]
        display, addr = parseaddr(folded)
        # policy.default (3.11) keeps the blanks between adjacent encoded words; RFC 2047 does not
        assert str(make_header(decode_header(display))) == name.strip()
        assert addr == "hr@leerpad.example" and folded.isascii()

    def test_uses_crlf_line_ends_only(self, make_message):
        raw = build_mime(make_message(calendar=CalendarPart(ICS, "REQUEST")))
        assert b"\n" not in raw.replace(b"\r\n", b"")

    def test_passes_extra_headers(self, make_message):
        msg = parse(build_mime(make_message(headers=(("Auto-Submitted", "auto-generated"),))))
        assert msg["Auto-Submitted"] == "auto-generated"

    def test_rejects_reserved_or_broken_extra_headers(self, make_message):
        with pytest.raises(ValueError):
            make_message(headers=(("Bcc", "evil@x.org"),))
        with pytest.raises(ValueError):
            make_message(headers=(("X-Note", "a\r\nBcc: evil@x.org"),))

    def test_rejects_a_naive_date(self, make_message):
        with pytest.raises(ValueError, match="timezone-aware"):
            make_message(date=dt.datetime(2027, 3, 15, 9))


class TestInvite:
    @pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
    def test_is_mixed_with_alternative_calendar_and_invite_ics(self, make_message, method):
        msg = parse(build_mime(make_message(calendar=CalendarPart(ICS, method))))
        assert content_types(msg) == [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "text/calendar",
            "application/ics",
        ]
        alternative, attachment = msg.iter_parts()
        calendar = list(alternative.iter_parts())[2]
        assert calendar.get_param("method") == method
        assert calendar.get_content_charset() == "utf-8"
        assert not calendar.is_attachment()
        assert calendar.get_payload(decode=True) == ICS
        assert attachment.get_filename() == "invite.ics"
        assert attachment.get_content_disposition() == "attachment"
        assert attachment.get_param("method") == method
        assert attachment.get_payload(decode=True) == ICS

    def test_keeps_the_top_level_headers(self, make_message):
        message = make_message(calendar=CalendarPart(ICS, "REQUEST"))
        msg = parse(build_mime(message))
        assert msg["Message-ID"] == message.message_id
        assert msg["Content-Language"] == "nl"
        assert [part.get("MIME-Version") for part in msg.walk()][1:] == [None] * 5


@pytest.fixture
def css_server(tmp_path):
    """Serve remote.css from another process (css-inline holds the GIL while it fetches)."""
    (tmp_path / "remote.css").write_text("p { font-weight: bold; }")
    command = [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"]
    proc = subprocess.Popen(
        [*command, "--directory", str(tmp_path)], stdout=PIPE, stderr=PIPE, text=True
    )
    port = re.search(r"port (\d+)", proc.stdout.readline()).group(1)

    def stop_and_count_hits() -> int:
        proc.terminate()
        return proc.communicate(timeout=10)[1].count("GET /remote.css")

    yield f"http://127.0.0.1:{port}/remote.css", stop_and_count_hits
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


class TestCssInlining:
    def test_inlines_style_rules_as_attributes(self, make_message):
        html = parse(build_mime(make_message())).get_body(("html",)).get_content()
        assert '<p style="color: #123456;">' in html
        assert "<style>" not in html

    def test_keeps_media_queries_in_a_style_block(self):
        html = inline_css(
            "<style>p{color:red} @media (max-width:600px){p{color:blue}}</style><p>x</p>"
        )
        assert '<p style="color: red;">' in html
        assert "@media (max-width:600px)" in html

    def test_never_fetches_a_remote_stylesheet(self, css_server, make_message):
        url, stop_and_count_hits = css_server
        page = f'<link rel="stylesheet" href="{url}"><p>hi</p>'
        html = parse(build_mime(make_message(html=page))).get_body(("html",)).get_content()
        assert "<link" not in html and "font-weight" not in html
        control = css_inline.inline(page)  # the library default does fetch it
        assert "font-weight: bold" in control
        assert stop_and_count_hits() == 1


class TestHeaderInjection:
    def test_a_name_with_crlf_adds_no_header(self, make_message):
        evil = "Eve\r\nBcc: evil@x.example\r\nX-Evil: 1"
        message = make_message(
            sender=Address("journeys@leerpad.example", evil),
            to=(Address("hire@example.org", evil),),
            subject="Hi\r\nBcc: evil@x.example",
        )
        msg = parse(build_mime(message))
        assert msg["Bcc"] is None and msg["X-Evil"] is None
        assert [a.addr_spec for a in msg["To"].addresses] == ["hire@example.org"]
        assert [a.addr_spec for a in msg["From"].addresses] == ["journeys@leerpad.example"]
        assert msg["Subject"] == "Hi Bcc: evil@x.example"
        assert b"evil@x.example" not in build_mime(message).split(b"\r\n\r\n", 1)[1]

    def test_strips_control_characters_from_names(self):
        assert Address(" a@b.org ", "  Eve\r\n\x00 \u2028Smith ").name == "Eve Smith"
        assert Address("a@b.org", "\r\n").name is None

    @pytest.mark.parametrize(
        "email",
        ["a@b.org\r\nBcc: e@x.org", "a b@c.org", "no-at-sign", "a@b.org>, e@x.org", "@b.org"],
    )
    def test_rejects_unusable_email_addresses(self, email):
        with pytest.raises(ValueError):
            Address(email)


class TestMessageId:
    def test_is_deterministic_per_key(self):
        first = make_message_id(key="enrollment-7/step-welcome/0", domain="leerpad.example")
        assert first == make_message_id(key="enrollment-7/step-welcome/0", domain="leerpad.example")
        assert first != make_message_id(key="enrollment-7/step-welcome/1", domain="leerpad.example")
        local, domain = first.strip("<>").split("@")
        assert len(local) == 24 and int(local, 16) >= 0 and domain == "leerpad.example"

    def test_rejects_a_bad_domain(self):
        with pytest.raises(ValueError):
            make_message_id(key="k", domain="x.org>\r\nBcc: e@x.org")


def test_loading_apprise_does_not_change_how_bodies_are_encoded(make_message):
    """Apprise's email plugin registers UTF-8 as quoted-printable for the whole process."""
    from email import charset

    import apprise  # noqa: F401
    from apprise.plugins import email as apprise_email  # noqa: F401

    charset.add_charset("utf-8", charset.QP, charset.QP, "utf-8")  # what that plugin does
    try:
        msg = message_from_bytes(build_mime(make_message()), policy=policy.default)
        text = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
        assert text["Content-Transfer-Encoding"] == "base64"
        assert text.get_content() == "Hallo Jürgen,\n\nWelkom! Bericht 1.\n"
    finally:
        charset.add_charset("utf-8", charset.SHORTEST, charset.BASE64, "utf-8")
