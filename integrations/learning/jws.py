"""JWS compact serialisation with EdDSA (Ed25519), done directly with `cryptography`."""

from __future__ import annotations

import base64
import binascii
import json
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from integrations.errors import IntegrationError


class JwsError(IntegrationError):
    """A key or a JWS that cannot be used."""


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """Decode base64url without padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_private_key(value: str) -> Ed25519PrivateKey:
    """Read LEERPAD_BADGE_KEY: a PEM file path, PEM text, or base64 of PEM, DER or 32 raw bytes."""
    text = value.strip()
    path = Path(text)
    if len(text) < 4096 and "\n" not in text and path.is_file():
        text = path.read_text(encoding="utf-8").strip()
    try:
        if text.startswith("-----BEGIN"):
            data = text.encode("ascii")
        else:
            data = base64.b64decode(text, validate=True)
        if len(data) == 32:
            return Ed25519PrivateKey.from_private_bytes(data)
        if data.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = serialization.load_der_private_key(data, password=None)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise JwsError("LEERPAD_BADGE_KEY is not an Ed25519 key (PEM path or base64)") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise JwsError("LEERPAD_BADGE_KEY must be an Ed25519 key")
    return key


def private_key_pem(key: Ed25519PrivateKey) -> str:
    """Write a private key as PKCS#8 PEM (for `leerpad learning badge-key`)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    """The public key as a JWK (RFC 8037): kty OKP, crv Ed25519."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}


def key_from_jwk(jwk: dict[str, Any]) -> Ed25519PublicKey:
    """Read an OKP/Ed25519 JWK."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise JwsError("only OKP Ed25519 keys are supported")
    return Ed25519PublicKey.from_public_bytes(unb64url(str(jwk["x"])))


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign_compact(payload: dict[str, Any], *, key: Ed25519PrivateKey, header: dict[str, Any]) -> str:
    """Sign a JSON payload: BASE64URL(header).BASE64URL(payload).BASE64URL(signature)."""
    protected = {"alg": "EdDSA", **header}
    signing_input = f"{b64url(_json(protected))}.{b64url(_json(payload))}"
    return f"{signing_input}.{b64url(key.sign(signing_input.encode('ascii')))}"


def verify_compact(token: str, *, key: Ed25519PublicKey) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify an EdDSA JWS and return (header, payload).

    Raises:
        JwsError: malformed, another algorithm, or a signature that does not verify.
    """
    try:
        head, body, signature = token.split(".")
        header = json.loads(unb64url(head))
        payload = json.loads(unb64url(body))
        if header.get("alg") != "EdDSA":
            raise JwsError(f"unexpected alg {header.get('alg')!r}")
        key.verify(unb64url(signature), f"{head}.{body}".encode("ascii"))
    except InvalidSignature as exc:
        raise JwsError("signature does not verify") from exc
    except (ValueError, binascii.Error) as exc:
        raise JwsError("malformed JWS") from exc
    return header, payload
