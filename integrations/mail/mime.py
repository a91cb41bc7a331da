"""Build the MIME form of an OutgoingMessage.

`emails` builds every message: headers (Message-ID, Date, From, To, Subject with RFC 2047
encoding, Content-Language), the UTF-8 text and HTML parts and the invite.ics attachment.
It always nests ``multipart/mixed > multipart/related > multipart/alternative``, so
`build_mime_tree` then drops the wrappers we do not want, giving

- a plain message: ``multipart/alternative`` [text/plain, text/html];
- an invite: ``multipart/mixed`` [``multipart/alternative`` [text/plain, text/html,
  ``text/calendar; method=…``], ``application/ics; method=…`` attachment invite.ics],

the structure iMIP (RFC 6047) and CalConnect recommend. `build_mime` writes messages whose
headers are plain directly in that same form (`integrations.mail.wire`). CSS is inlined with
css-inline, remote stylesheets are never fetched and ``@media`` rules stay in a ``<style>`` block.
"""

from __future__ import annotations

from email import charset as email_charset
from email.header import Header
from email.message import Message
from email.utils import format_datetime

import css_inline
import emails
from emails.utils import SafeMIMEText

from integrations.mail.message import Address, CalendarPart, OutgoingMessage
from integrations.mail.wire import wire_bytes

_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True)
_CRLF = "\r\n"


def inline_css(html: str) -> str:
    """Return html with its <style> rules inlined; remote stylesheets are dropped, not fetched."""
    return _INLINER.inline(html)


def _literal(value: str | None, header: str = "To") -> str | None:
    """Text that looks like an RFC 2047 encoded word ('=?…?=') is itself encoded, so a reader
    shows it literally instead of decoding a name or subject into hidden CR/LF or other text."""
    if value and "=?" in value:
        words = Header(value, "utf-8", header_name=header).encode(splitchars=" ")
        return " ".join(words.split())  # one line of encoded words: the header is folded later
    return value


def _pair(address: Address) -> tuple[str | None, str]:
    return (_literal(address.name), address.email)


def _utf8_bodies_in_base64() -> None:
    """Put the stdlib's UTF-8 body encoding back to its default (base64, CRLF-safe).

    The registry is process-wide and Apprise's email plugin, loaded with the chat senders,
    switches UTF-8 to quoted-printable; a dispatcher that sends chat and mail would otherwise
    change its MIME halfway through a batch."""
    email_charset.add_charset("utf-8", email_charset.SHORTEST, email_charset.BASE64, "utf-8")


def build_email(message: OutgoingMessage) -> emails.Message:
    """Return the `emails.Message` for message (with the invite.ics attachment for invites)."""
    _utf8_bodies_in_base64()
    mail = emails.html(
        html=inline_css(message.html),
        text=message.text,
        subject=_literal(message.subject, "Subject"),
        mail_from=_pair(message.sender),
        mail_to=[_pair(a) for a in message.to],
        message_id=message.message_id,
        # emails formats a datetime with mktime(), which ignores tzinfo: pass the header text.
        date=format_datetime(message.date),
        headers={"Content-Language": message.locale, **dict(message.headers)},
    )
    if message.calendar is not None:
        mail.attach(filename="invite.ics", data=message.calendar.ics, mime_type="application/ics")
    return mail


def _calendar_part(calendar: CalendarPart) -> Message:
    part = SafeMIMEText(calendar.ics.decode("utf-8"), "calendar", "utf-8")
    part.replace_header("Content-Type", f'text/calendar; method={calendar.method}; charset="utf-8"')
    return part


def build_mime_tree(message: OutgoingMessage) -> Message:
    """Return the message as a stdlib (compat32) Message tree in the structure described above."""
    root = build_email(message).build_message()
    related, *attachments = root.get_payload()
    alternative = related.get_payload(0)
    if message.calendar is None:
        root.set_type("multipart/alternative")
        root.set_payload(alternative.get_payload())
    else:
        alternative.attach(_calendar_part(message.calendar))
        for attachment in attachments:
            attachment.set_param("method", message.calendar.method)
        root.set_payload([alternative, *attachments])
    for part in root.walk():
        if part is not root:
            del part["MIME-Version"]
    return root


def build_mime(message: OutgoingMessage) -> bytes:
    """Return the message as bytes with CRLF line ends, ready for SMTP DATA or an .eml file.

    Messages with plain headers are written directly (`wire`, the same message, milliseconds
    cheaper); the rest are built by `emails` (`build_mime_tree`).
    """
    fast = wire_bytes(message, inline_css(message.html))
    return fast if fast is not None else build_mime_tree(message).as_bytes(linesep=_CRLF)
