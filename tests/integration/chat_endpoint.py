"""A loopback HTTPS server that plays Slack's and Teams' webhook endpoints for the chat tests.

It answers as the vendors document: a Slack incoming webhook `200 ok` (or `403 invalid_token`,
`404 no_service`…), Slack's `chat.postMessage` `{"ok": true, "channel": …}` (or
`{"ok": false, "error": …}`), a Power Automate workflow trigger `202 Accepted` with an empty body.
The TLS certificate is issued by a throw-away CA for 127.0.0.1, trusted through
REQUESTS_CA_BUNDLE, so Apprise keeps verifying certificates as it does in production.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Received:
    """One request the fake service got."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict | None


@dataclass
class FakeChatService:
    """Records requests; answers from per-path scripted replies, else the documented success."""

    base_url: str
    ca_file: Path
    received: list[Received] = field(default_factory=list)
    replies: dict[str, deque[tuple[int, bytes]]] = field(default_factory=dict)

    def reply(self, path_prefix: str, status: int, body: bytes | dict = b"") -> None:
        """Answer the next request under `path_prefix` with this status and body."""
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        self.replies.setdefault(path_prefix, deque()).append((status, raw))

    def answer(self, path: str) -> tuple[int, bytes]:
        """The reply for a request path."""
        for prefix, queue in self.replies.items():
            if path.startswith(prefix) and queue:
                return queue.popleft()
        if path.startswith("/services/"):
            return 200, b"ok"
        if path.startswith("/api/chat.postMessage"):
            return 200, json.dumps(
                {"ok": True, "channel": "D0123456789", "ts": "1.000100"}
            ).encode()
        if "/workflows/" in path:
            return 202, b""
        return 404, b"not found"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """Write a CA certificate and a server certificate + key for 127.0.0.1; return their paths."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Leerpad test CA"))
        .issuer_name(_name("Leerpad test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_file, cert_file, key_file


def start_fake_chat_service(folder: Path) -> tuple[FakeChatService, ThreadingHTTPServer]:
    """Start the HTTPS server on a random loopback port; the caller shuts it down."""
    ca_file, cert_file, key_file = make_certificates(folder)
    service: FakeChatService

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            split = urlsplit(self.path)
            service.received.append(
                Received(split.path, parse_qs(split.query), dict(self.headers.items()), body)
            )
            status, payload = service.answer(split.path)
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    service = FakeChatService(base_url=f"https://127.0.0.1:{server.server_port}", ca_file=ca_file)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return service, server
