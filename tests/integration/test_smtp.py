"""SmtpMailer against a real aiosmtpd server on loopback: batching, replies, retries, TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import smtplib
import socketserver
import ssl
import threading
from email import message_from_bytes, policy

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.mail.message import CalendarPart
from integrations.mail.smtp import SmtpMailer, SmtpSettings, _quoted

from .conftest import RecordingHandler, free_port

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def mailer(port: int, sleeps: list[float], **kwargs) -> SmtpMailer:
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=5, **kwargs.pop("settings", {}))
    return SmtpMailer(settings, retry_delays=(0.01, 0.01), sleep=sleeps.append, **kwargs)


@pytest.fixture
def self_signed(tmp_path):
    """Write a self-signed certificate for 127.0.0.1 and return (cert path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_tls(cert_path, key_path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


class TestBatch:
    def test_delivers_a_batch_over_one_connection(self, smtp_server, make_message):
        handler, port = smtp_server()
        invite = make_message(3, calendar=CalendarPart(ICS, "REQUEST"))
        messages = [make_message(1), make_message(2), invite]
        sleeps: list[float] = []
        results = mailer(port, sleeps).send_batch(messages)
        assert [(r.message_id, r.ok, r.smtp_code) for r in results] == [
            (m.message_id, True, 250) for m in messages
        ]
        assert handler.connections == 1 and sleeps == []
        assert [r.rcpt_tos for r in handler.received] == [
            [f"hire{n}@example.org"] for n in (1, 2, 3)
        ]
        assert {r.mail_from for r in handler.received} == {"journeys@leerpad.example"}
        parsed = [message_from_bytes(r.content, policy=policy.default) for r in handler.received]
        assert [p["Subject"] for p in parsed] == [m.subject for m in messages]
        assert parsed[0].get_body(("plain",)).get_content() == messages[0].text
        assert "Welkom! Bericht 2." in parsed[1].get_body(("html",)).get_content()
        calendar = [p for p in parsed[2].walk() if p.get_content_type() == "text/calendar"]
        assert [c.get_payload(decode=True) for c in calendar] == [ICS]
        assert calendar[0].get_param("method") == "REQUEST"

    def test_a_rejected_message_does_not_stop_the_batch(self, smtp_server, make_message):
        handler, port = smtp_server(
            RecordingHandler(rcpt_reply=lambda a: "550 5.1.1 no such user" if "2@" in a else None)
        )
        results = mailer(port, []).send_batch([make_message(n) for n in (1, 2, 3)])
        assert [(r.ok, r.permanent) for r in results] == [
            (True, False),
            (False, True),
            (True, False),
        ]
        assert handler.connections == 1
        assert [r.rcpt_tos for r in handler.received] == [
            ["hire1@example.org"],
            ["hire3@example.org"],
        ]


class TestReplies:
    def test_retries_a_4xx_reply_and_then_delivers(self, smtp_server, make_message):
        handler, port = smtp_server(RecordingHandler(data_replies=["451 4.3.0 try later"]))
        sleeps: list[float] = []
        (result,) = mailer(port, sleeps).send_batch([make_message()])
        assert result.ok and result.smtp_code == 250
        assert sleeps == [0.01] and handler.data_attempts == 2 and len(handler.received) == 1

    def test_gives_up_on_a_lasting_4xx_as_temporary(self, smtp_server, make_message):
        handler, port = smtp_server(RecordingHandler(data_replies=["451 4.3.0 try later"] * 5))
        sleeps: list[float] = []
        (result,) = mailer(port, sleeps).send_batch([make_message()])
        assert (result.ok, result.permanent, result.smtp_code) == (False, False, 451)
        assert "try later" in result.detail
        assert sleeps == [0.01, 0.01] and handler.data_attempts == 3 and handler.received == []

    def test_returns_a_5xx_as_permanent_without_retry(self, smtp_server, make_message):
        handler, port = smtp_server(RecordingHandler(rcpt_reply=lambda a: "550 5.1.1 no such user"))
        sleeps: list[float] = []
        (result,) = mailer(port, sleeps).send_batch([make_message()])
        assert (result.ok, result.permanent, result.smtp_code) == (False, True, 550)
        assert "no such user" in result.detail
        assert handler.rcpt_attempts == 1 and sleeps == [] and handler.received == []

    def test_server_down_is_a_temporary_failure_for_the_whole_batch(self, make_message):
        sleeps: list[float] = []
        results = mailer(free_port(), sleeps).send_batch([make_message(1), make_message(2)])
        assert [(r.ok, r.permanent) for r in results] == [(False, False), (False, False)]
        assert "connect" in results[0].detail
        assert sleeps == [0.01, 0.01]  # the second message is not retried against a dead server


class TestTls:
    def test_starttls_refuses_a_self_signed_certificate_by_default(
        self, smtp_server, self_signed, make_message
    ):
        handler, port = smtp_server(tls_context=server_tls(*self_signed), require_starttls=True)
        results = mailer(port, [], settings={"starttls": True}).send_batch(
            [make_message(1), make_message(2)]
        )
        assert [(r.ok, r.permanent) for r in results] == [(False, False), (False, False)]
        assert "CERTIFICATE_VERIFY_FAILED" in results[0].detail
        assert handler.received == []

    def test_starttls_delivers_when_the_context_trusts_the_certificate(
        self, smtp_server, self_signed, make_message
    ):
        handler, port = smtp_server(tls_context=server_tls(*self_signed), require_starttls=True)
        trusting = ssl.create_default_context(cafile=str(self_signed[0]))
        results = mailer(port, [], settings={"starttls": True}, ssl_context=trusting).send_batch(
            [make_message(1), make_message(2)]
        )
        assert [r.ok for r in results] == [True, True]
        assert handler.connections == 1

    def test_without_starttls_the_server_refuses(self, smtp_server, self_signed, make_message):
        handler, port = smtp_server(tls_context=server_tls(*self_signed), require_starttls=True)
        (result,) = mailer(port, []).send_batch([make_message()])
        assert not result.ok and result.smtp_code == 530 and handler.received == []

    def test_smtps_uses_implicit_tls(self, smtp_server, self_signed, make_message):
        handler, port = smtp_server(ssl_context=server_tls(*self_signed))
        trusting = ssl.create_default_context(cafile=str(self_signed[0]))
        settings = {"implicit_tls": True}
        (result,) = mailer(port, [], settings=settings, ssl_context=trusting).send_batch(
            [make_message()]
        )
        assert result.ok and len(handler.received) == 1


class TestSettings:
    def test_parses_starttls_url_with_encoded_credentials(self):
        settings = SmtpSettings.from_url(
            "smtp://mail%40corp.nl:p%40ss%3Aw0rd@smtp.corp.nl?starttls=true"
        )
        assert (settings.host, settings.port, settings.starttls, settings.implicit_tls) == (
            "smtp.corp.nl",
            587,
            True,
            False,
        )
        assert (settings.username, settings.password) == ("mail@corp.nl", "p@ss:w0rd")

    @pytest.mark.parametrize(
        ("url", "port", "implicit"),
        [
            ("smtp://relay", 25, False),
            ("smtps://relay", 465, True),
            ("smtp://relay:2525", 2525, False),
        ],
    )
    def test_default_ports(self, url, port, implicit):
        settings = SmtpSettings.from_url(url)
        assert (settings.port, settings.implicit_tls, settings.username) == (port, implicit, None)

    def test_reads_a_timeout(self):
        assert SmtpSettings.from_url("smtp://relay?timeout=2.5").timeout == 2.5

    def test_repr_never_shows_the_password(self):
        settings = SmtpSettings.from_url("smtps://user:s3cr3t-pw@relay")
        assert "s3cr3t-pw" not in repr(settings) and "s3cr3t-pw" not in str(settings)
        assert "***" in repr(settings) and "user" in repr(settings)

    @pytest.mark.parametrize(
        "url",
        ["http://relay", "smtp://", "smtp://relay?starttls=maybe", "smtp://relay?tls=1",
         "smtps://relay?starttls=true", "smtp://relay:99999"],
    )  # fmt: skip
    def test_rejects_bad_urls(self, url):
        with pytest.raises(ValueError):
            SmtpSettings.from_url(url)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.from_regex(r"[a-z0-9.+\-_]{1,20}@[a-z0-9.\-]{1,20}", fullmatch=True),
        st.builds(lambda a, b: f"{a}@{b}", st.text(min_size=1), st.text(min_size=1)),
    )
)
def test_an_address_in_mail_from_and_rcpt_to_is_quoted_as_smtplib_quotes_it(address):
    """MAIL FROM and RCPT TO skip smtplib's address parser for plain addresses; whatever the
    address, the command says what smtplib's mail() and rcpt() would."""
    assert _quoted(address) == smtplib.quoteaddr(address)


class TestHooks:
    """`meanwhile` and `settle` (the sender process records the message before while the server
    answers, and waits for that record before any data of the next message goes out)."""

    def _deliver(self, port, make_message, **hooks):
        return self._deliver_with(mailer(port, []), make_message, **hooks)

    def _deliver_with(self, mail: SmtpMailer, make_message, **hooks):
        from integrations.mail.mime import build_mime
        from integrations.mail.smtp import frame_data

        message = make_message()
        data = frame_data(build_mime(message))
        recipients = [a.email for a in message.to]
        return mail.deliver_data(
            message.message_id, message.sender.email, recipients, data, framed=True, **hooks
        )

    def test_settle_runs_once_after_meanwhile_and_before_the_data(self, smtp_server, make_message):
        handler, port = smtp_server(RecordingHandler(data_replies=["451 4.3.0 try later"]))
        calls: list[tuple[str, int, int]] = []

        def note(name: str):  # what the server had when the hook ran
            return lambda: calls.append((name, handler.rcpt_attempts, handler.data_attempts))

        hooks = {"meanwhile": note("meanwhile"), "settle": note("settle")}
        result = self._deliver(port, make_message, **hooks)
        assert result.ok and handler.data_attempts == 2 and len(handler.received) == 1
        # once each, across the retry: meanwhile before RCPT TO, settle after it, before the data
        assert calls == [("meanwhile", 0, 0), ("settle", 1, 0)]

    def test_a_failing_settle_sends_no_data(self, smtp_server, make_message):
        handler, port = smtp_server()

        def refuse() -> None:
            raise RuntimeError("the ledger refused the message before")

        with pytest.raises(RuntimeError, match="ledger refused"):
            self._deliver(port, make_message, settle=refuse)
        assert handler.received == [] and handler.data_attempts == 0

    def test_settle_runs_when_the_message_is_refused_before_its_data(
        self, smtp_server, make_message
    ):
        handler, port = smtp_server(RecordingHandler(rcpt_reply=lambda a: "550 5.1.1 no such user"))
        calls: list[str] = []
        result = self._deliver(port, make_message, settle=lambda: calls.append("settle"))
        assert result.permanent and calls == ["settle"] and handler.received == []


class _LineServer(socketserver.ThreadingTCPServer):
    """A loopback SMTP server that records every line and holds any message's data: it answers
    the commands, never the end of the data (what a client sends after DATA stays visible)."""

    daemon_threads = allow_reuse_address = True

    def __init__(self) -> None:
        self.lines: list[bytes] = []
        self.closed = threading.Event()
        super().__init__(("127.0.0.1", 0), _LineHandler)


class _LineHandler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: _LineServer = self.server  # type: ignore[assignment]
        self.wfile.write(b"220 lines ESMTP\r\n")
        in_data = False
        for line in self.rfile:
            server.lines.append(line.rstrip(b"\r\n"))
            verb = line[:4].upper()
            if in_data:
                continue  # a message's data: no reply until its end, which never comes here
            if verb == b"EHLO":
                self.wfile.write(b"250-lines\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                break
            else:
                self.wfile.write(b"250 ok\r\n")
        server.closed.set()


def test_a_hook_failing_after_data_drops_the_connection_without_quit(make_message):
    """After DATA's 354 a QUIT would be read as a line of the message and its reply waited for
    until the timeout: a failed settle (the record of the message before refused) closes the
    connection instead, and the server drops the unfinished message."""
    server = _LineServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        mail = SmtpMailer(SmtpSettings(host="127.0.0.1", port=port, timeout=60))

        def refuse() -> None:
            raise RuntimeError("the ledger refused the message before")

        with pytest.raises(RuntimeError, match="ledger refused"):
            TestHooks()._deliver_with(mail, make_message, settle=refuse)
        mail.close()  # what the sender process does next: nothing left to say QUIT on
        assert server.closed.wait(30)
        verbs = [line.upper() for line in server.lines]
        after_data = server.lines[verbs.index(b"DATA") + 1 :]
        assert after_data == []  # no QUIT (nor anything else) inside the message
    finally:
        server.shutdown()
        server.server_close()
