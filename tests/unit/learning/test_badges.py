"""Open Badges 3.0 credentials as VC-JWTs, signed and verified with Ed25519 (cryptography)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from integrations.learning.badges import BadgeSigner
from integrations.learning.jws import (
    JwsError,
    key_from_jwk,
    load_private_key,
    private_key_pem,
    sign_compact,
    verify_compact,
)
from journeys.catalog import load_employer_profile
from journeys.learning.credential import identity_hash
from models.learning import BadgeAward
from tests.unit.learning.ob3 import problems

KEY = Ed25519PrivateKey.generate()
AWARD = BadgeAward(
    uid="0123456789abcdef0123456789abcdef", plan_id=1, achievement_key="playlist",
    identity_salt="c2FsdA", identity_hash=identity_hash("Sanne@Example.org", "c2FsdA"),
    locale="en", issued_at=datetime(2027, 4, 30, 10, 0, tzinfo=UTC),
)  # fmt: skip
SIGNER = BadgeSigner(KEY, load_employer_profile(None), "https://leerpad.voorbeeld.example")


class TestCredential:
    def test_has_every_required_open_badges_3_field(self):
        credential = SIGNER.credential(AWARD)
        assert problems(credential) == []
        assert credential["id"] == "urn:uuid:01234567-89ab-cdef-0123-456789abcdef"
        assert credential["validFrom"] == "2027-04-30T10:00:00Z"
        assert credential["credentialSubject"]["achievement"]["name"] == (
            "Learning playlist completed"
        )

    def test_the_identity_hash_is_sha256_of_the_lowercased_email_and_salt(self):
        import hashlib

        digest = hashlib.sha256(b"sanne@example.orgc2FsdA").hexdigest()
        assert AWARD.identity_hash == f"sha256${digest}"

    def test_the_vc_jwt_verifies_and_carries_the_jwt_claims(self):
        token = SIGNER.sign(AWARD)
        header, claims = verify_compact(token, key=KEY.public_key())
        assert header == {"alg": "EdDSA", "typ": "JWT", "jwk": SIGNER.jwk()}
        assert key_from_jwk(header["jwk"]).public_bytes_raw() == KEY.public_key().public_bytes_raw()
        assert claims["iss"] == "https://leerpad.voorbeeld.example/badges/issuer"
        assert claims["nbf"] == 1809079200 and claims["jti"] == claims["id"]
        assert problems(claims) == []
        assert SIGNER.sign(AWARD) == token  # Ed25519 is deterministic

    def test_another_key_or_algorithm_does_not_verify(self):
        token = SIGNER.sign(AWARD)
        with pytest.raises(JwsError):
            verify_compact(token, key=Ed25519PrivateKey.generate().public_key())
        body = sign_compact({"a": 1}, key=KEY, header={}).split(".")[1]
        head = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
        with pytest.raises(JwsError, match="alg"):
            verify_compact(f"{head}.{body}.", key=KEY.public_key())


class TestKeys:
    def test_a_key_loads_from_a_pem_file_pem_text_or_base64(self, tmp_path: Path):
        pem = private_key_pem(KEY)
        path = tmp_path / "key.pem"
        path.write_text(pem, encoding="utf-8")
        raw = KEY.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )  # fmt: skip
        der = KEY.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )  # fmt: skip
        for value in (str(path), pem, base64.b64encode(pem.encode()).decode(),
                      base64.b64encode(raw).decode(), base64.b64encode(der).decode()):  # fmt: skip
            loaded = load_private_key(value)
            assert loaded.public_key().public_bytes_raw() == KEY.public_key().public_bytes_raw()

    def test_anything_else_is_a_clear_error(self):
        with pytest.raises(JwsError, match="LEERPAD_BADGE_KEY"):
            load_private_key("not a key")
