"""SMTP delivery: one connection per batch, verified TLS, every reply checked, 4xx retried."""

from __future__ import annotations

import re
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from integrations.mail.message import DeliveryResult, OnResult, OutgoingMessage
from integrations.mail.mime import build_mime

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
# Configuration faults: retrying in seconds cannot help, so the rest of the batch fails at once.
_FATAL = (
    ssl.SSLCertVerificationError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
)


@dataclass(frozen=True, repr=False)
class SmtpSettings:
    """Where and how to connect; build it from LEERPAD_SMTP_URL with `from_url`."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    implicit_tls: bool = False
    timeout: float = 30.0

    def __repr__(self) -> str:
        secret = "'***'" if self.password else "None"
        return (
            f"SmtpSettings(host={self.host!r}, port={self.port}, username={self.username!r}, "
            f"password={secret}, starttls={self.starttls}, implicit_tls={self.implicit_tls}, "
            f"timeout={self.timeout})"
        )

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        """Parse `smtp://user:pass@host:port?starttls=true&timeout=30` or `smtps://…`."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP URL must look like smtp://user:pass@host:port?starttls=true")
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        if unknown := set(options) - {"starttls", "timeout"}:
            raise ValueError(f"unknown SMTP URL option(s): {', '.join(sorted(unknown))}")
        starttls = _flag(options.get("starttls", "false"))
        implicit = parts.scheme == "smtps"
        if starttls and implicit:
            raise ValueError("smtps:// already uses TLS; drop ?starttls=true")
        default_port = 465 if implicit else 587 if starttls else 25
        return cls(
            host=parts.hostname,
            port=parts.port or default_port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            starttls=starttls,
            implicit_tls=implicit,
            timeout=float(options.get("timeout", 30.0)),
        )


def _flag(value: str) -> bool:
    if value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    raise ValueError(f"starttls must be true or false, not {value!r}")


class _Rejected(Exception):
    """A reply other than the one expected (code 0: a network failure)."""

    def __init__(self, code: int, text: str) -> None:
        self.code, self.permanent = code, 500 <= code < 600
        self.detail = f"{code} {text}" if code else text
        super().__init__(self.detail)


class SmtpUnreachable(Exception):
    """The server could not be reached (or trusted) at all; fail the rest of the batch."""


_LEADING_DOT = re.compile(rb"(?m)^\.")


def frame_data(data: bytes) -> bytes:
    """A message as smtplib's data() sends it after DATA: lines starting with a dot get a
    second one, and the end is CRLF "." CRLF. Done by a sender process, for `deliver_data`."""
    framed = _LEADING_DOT.sub(b"..", data)
    if framed[-2:] != b"\r\n":
        framed += b"\r\n"
    return framed + b".\r\n"


def _nothing() -> None:
    pass


_PLAIN_ADDRESS = re.compile(r"[^\s<>()\[\]\\,;:\"@]+@[^\s<>()\[\]\\,;:\"@]+")


def _quoted(address: str) -> str:
    """`smtplib.quoteaddr(address)`: "<address>"; a plain address (every address that
    `Address` lets through) without parsing it first, which is most of the cost."""
    if _PLAIN_ADDRESS.fullmatch(address):
        return f"<{address}>"
    return smtplib.quoteaddr(address)


class _Once:
    """Call a function at most once (none given: do nothing)."""

    def __init__(self, function: Callable[[], None] | None) -> None:
        self._function = function

    def __call__(self) -> None:
        function, self._function = self._function, None
        if function is not None:
            function()


class _HookFailed(Exception):
    """A caller's hook raised `error` in the middle of a transaction."""

    def __init__(self, error: Exception) -> None:
        super().__init__(type(error).__name__)
        self.error = error


def _raising(hook: Callable[[], None]) -> Callable[[], None]:
    """The hook, its exception wrapped in _HookFailed (told apart from the server's)."""

    def call() -> None:
        try:
            hook()
        except Exception as exc:
            raise _HookFailed(exc) from None

    return call


def _check(reply: tuple[int, bytes], *accepted: int) -> None:
    code, text = reply
    if code not in accepted:
        raise _Rejected(code, text.decode("utf-8", "replace"))


class SmtpMailer:
    """Deliver batches over one SMTP connection; results tell retryable from permanent failures."""

    transport = "smtp"

    def __init__(
        self,
        settings: SmtpSettings,
        *,
        retry_delays: Sequence[float] = (2, 10, 30),
        ssl_context: ssl.SSLContext | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings, self.retry_delays, self.sleep = settings, tuple(retry_delays), sleep
        # a mailer another process can rebuild from settings and retry_delays alone
        self.rebuildable = ssl_context is None and sleep is time.sleep
        self.ssl_context = ssl_context or ssl.create_default_context()
        self._smtp: smtplib.SMTP | None = None

    def send_batch(
        self, messages: Sequence[OutgoingMessage], on_result: OnResult | None = None
    ) -> list[DeliveryResult]:
        """Deliver each message over one connection and return one result per message, in order.

        `on_result` is called with each result as soon as it is known, before the next message
        goes out, so the caller can record it durably; an exception from it stops the batch.
        """
        results: list[DeliveryResult] = []

        def done(result: DeliveryResult) -> None:
            results.append(result)
            if on_result is not None:
                on_result(result)

        try:
            for message in messages:
                done(self._deliver(message))
        except SmtpUnreachable as exc:
            for message in messages[len(results) :]:
                done(DeliveryResult(message.message_id, ok=False, detail=str(exc)))
        finally:
            self.close()
        return results

    def _deliver(self, message: OutgoingMessage) -> DeliveryResult:
        recipients = [a.email for a in message.to]
        data = build_mime(message)
        return self.deliver_data(message.message_id, message.sender.email, recipients, data)

    def deliver_data(
        self,
        message_id: str,
        sender: str,
        recipients: Sequence[str],
        data: bytes,
        meanwhile: Callable[[], None] | None = None,
        *,
        framed: bool = False,
        while_answered: Callable[[], None] | None = None,
        settle: Callable[[], None] | None = None,
    ) -> DeliveryResult:
        """Deliver one message already built into MIME over this mailer's connection (opened
        on first use, kept open until `close`), retrying 4xx replies and lost connections.

        `meanwhile` runs exactly once, before any of this message's data is sent: while the
        server answers MAIL FROM when it can (the caller records the previous message then),
        else first; an exception from it stops the delivery and propagates. `framed`: `data`
        comes from `frame_data` (dot-stuffed and ended, as smtplib's data() would send it).
        `while_answered` (framed data only) runs while the server takes the message in, after
        its last byte and before the reply is read (each time the data goes out); it must not
        raise. `settle` runs exactly once, after `meanwhile` and before any of this message's data
        goes out: the caller waits there for what `meanwhile` started (an exception from it
        stops the delivery and propagates). Raises SmtpUnreachable when the server cannot be
        reached or trusted at all.
        """
        once, settled = _Once(meanwhile), _Once(settle)

        def first() -> None:
            once()
            settled()

        answered = while_answered or _nothing
        try:
            return self._deliver_data(
                message_id, sender, recipients, data, (once, first), framed, answered
            )
        finally:
            first()  # not yet run if no data went out (connection refused, say)

    def _deliver_data(
        self,
        message_id: str,
        sender: str,
        recipients: Sequence[str],
        data: bytes,
        once: tuple[Callable[[], None], Callable[[], None]],
        framed: bool,
        answered: Callable[[], None],
    ) -> DeliveryResult:
        failure, connect_failed = _Rejected(0, ""), False
        for attempt, delay in enumerate((0.0, *self.retry_delays)):
            if attempt:
                self.sleep(delay)
            try:
                smtp, connect_failed = self._connect(), False
                self._transaction(smtp, sender, recipients, data, once, framed, answered)
                return DeliveryResult(message_id, ok=True, smtp_code=250)
            except _HookFailed as failed:  # the caller's: not retried, whatever its type
                self.abort()  # mid-transaction: the server drops the unfinished message
                error = failed.error
                raise error from error.__cause__
            except _FATAL as exc:
                raise SmtpUnreachable(f"SMTP setup failed (not retried): {exc}") from exc
            except _Rejected as exc:
                failure = exc
                if exc.permanent:
                    self._reset()
                    break
                self._reset(drop=exc.code == 421)  # 421: the server is closing the connection
            except (OSError, smtplib.SMTPException) as exc:
                connect_failed = self._smtp is None
                stage = "cannot connect" if connect_failed else "connection lost"
                failure = _Rejected(0, f"{stage}: {exc!r}")
                self.close()
        if connect_failed:
            raise SmtpUnreachable(failure.detail)
        return DeliveryResult(
            message_id,
            ok=False,
            permanent=failure.permanent,
            detail=failure.detail,
            smtp_code=failure.code or None,
        )

    def _transaction(
        self,
        smtp: smtplib.SMTP,
        sender: str,
        recipients: Sequence[str],
        data: bytes,
        hooks: tuple[Callable[[], None], Callable[[], None]] = (_nothing, _nothing),
        framed: bool = False,
        answered: Callable[[], None] = lambda: None,
    ) -> None:
        # before MAIL FROM's reply; before the data goes out; after it (a failure: not retried)
        meanwhile, settle, answered = (_raising(hook) for hook in (*hooks, answered))
        options = [] if all(e.isascii() for e in (sender, *recipients)) else ["SMTPUTF8"]
        if options and not smtp.has_extn("smtputf8"):
            raise _Rejected(553, "non-ASCII address but the server lacks SMTPUTF8")
        if options:
            meanwhile()
            _check(smtp.mail(sender, options), 250)
        else:  # smtp.mail() without options, with `meanwhile` while the server answers
            smtp.putcmd("mail", f"FROM:{_quoted(sender)}")
            meanwhile()
            _check(smtp.getreply(), 250)
        for address in recipients:  # smtp.rcpt(), with the address quoted as above
            smtp.putcmd("rcpt", f"TO:{_quoted(address)}")
            _check(smtp.getreply(), 250, 251)
        if framed:  # smtp.data() with the body framed beforehand (in another process)
            code, reply = smtp.docmd("data")
            if code != 354:
                raise _Rejected(code, reply.decode("utf-8", "replace"))
            settle()
            smtp.send(data)
            answered()
            _check(smtp.getreply(), 250)
            return
        settle()
        try:
            _check(smtp.data(data), 250)
        except smtplib.SMTPDataError as exc:  # DATA itself refused (not 354)
            raise _Rejected(exc.smtp_code, exc.smtp_error.decode("utf-8", "replace")) from exc

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        s, context = self.settings, self.ssl_context
        if s.implicit_tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password or "")
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def _reset(self, *, drop: bool = False) -> None:
        if self._smtp is not None and not drop:
            try:
                self._smtp.rset()
                return
            except (OSError, smtplib.SMTPException):
                pass
        self.close()

    def abort(self) -> None:
        """Close the connection without QUIT, if one is open. In the middle of a transaction
        (after DATA's 354) a QUIT would be read as a line of the message and its reply waited
        for until the timeout; a server drops a message whose connection closes unfinished."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            smtp.close()

    def close(self) -> None:
        """Say QUIT and close the connection, if one is open."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
