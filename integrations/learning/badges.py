"""Open Badges 3.0 credentials signed as VC-JWTs (JWS compact, EdDSA, the employer's key)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from integrations.learning.jws import public_jwk, sign_compact
from journeys.learning.credential import ACHIEVEMENTS, Issuer, open_badge_credential
from journeys.profile import EmployerProfile
from models.learning import BadgeAward

MEDIA_TYPE = "application/vc+jwt"


@dataclass(frozen=True)
class BadgeSigner:
    """Builds and signs the credential of an award; public_url roots the issuer's ids."""

    key: Ed25519PrivateKey
    profile: EmployerProfile
    public_url: str

    @property
    def issuer(self) -> Issuer:
        """The employer as an OB 3.0 issuer Profile."""
        return Issuer(
            id=f"{self.public_url}/badges/issuer", name=self.profile.name, url=self.profile.website
        )

    def jwk(self) -> dict[str, str]:
        """The public key that verifies every badge, as a JWK."""
        return public_jwk(self.key.public_key())

    def credential(self, award: BadgeAward) -> dict[str, Any]:
        """The OpenBadgeCredential of an award (unsigned JSON-LD)."""
        achievement = ACHIEVEMENTS[award.achievement_key]
        return open_badge_credential(
            credential_id=f"urn:uuid:{uuid.UUID(hex=award.uid)}",
            achievement_id=f"{self.public_url}/badges/achievements/{award.achievement_key}",
            issuer=self.issuer,
            achievement=achievement,
            locale=award.locale,
            hashed_email=award.identity_hash,
            salt=award.identity_salt,
            valid_from=award.issued_at,
        )

    def sign(self, award: BadgeAward) -> str:
        """The credential as a VC-JWT: JOSE header with the public JWK, JWT claims added."""
        credential = self.credential(award)
        claims = {
            **credential,
            "iss": credential["issuer"]["id"],
            "jti": credential["id"],
            "nbf": int(award.issued_at.timestamp()),
        }
        return sign_compact(claims, key=self.key, header={"typ": "JWT", "jwk": self.jwk()})

    def issuer_profile(self) -> dict[str, Any]:
        """The issuer's public Profile, with the verification key."""
        issuer = self.issuer
        profile: dict[str, Any] = {
            "@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": issuer.id,
            "type": ["Profile"],
            "name": issuer.name,
            "publicKeyJwk": self.jwk(),
        }  # fmt: skip
        if issuer.url:
            profile["url"] = issuer.url
        return profile
