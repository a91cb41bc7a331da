"""Open Badges 3.0 credentials as data: achievements, hashed recipients, the credential body."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from journeys.dsl import Localized

CONTEXTS = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)


@dataclass(frozen=True)
class AchievementDef:
    """A milestone worth a badge: its name, description and criteria in both languages."""

    key: str
    name: Localized
    description: Localized
    criteria: Localized


ACHIEVEMENTS: dict[str, AchievementDef] = {
    "playlist": AchievementDef(
        "playlist",
        Localized(nl="Leerplaylist voltooid", en="Learning playlist completed"),
        Localized(
            nl="Heeft de persoonlijke leerplaylist van de onboarding helemaal doorlopen.",
            en="Worked through every item of their personal onboarding learning playlist.",
        ),
        Localized(
            nl="Alle onderdelen van de persoonlijke leerplaylist zijn afgerond.",
            en="Every item of the personal learning playlist was completed.",
        ),
    ),
    "onboarding": AchievementDef(
        "onboarding",
        Localized(nl="Onboarding afgerond", en="Onboarding completed"),
        Localized(
            nl="Heeft de eerste negentig dagen doorlopen: leerdoelen, coaching en kennis delen.",
            en="Completed the first ninety days: learning goals, coaching and knowledge sharing.",
        ),
        Localized(
            nl="Negentig dagen in dienst, met het onboardingprogramma doorlopen.",
            en="Ninety days in the job, with the onboarding programme completed.",
        ),
    ),
}


@dataclass(frozen=True)
class Issuer:
    """The employer as a badge issuer (an OB 3.0 Profile)."""

    id: str
    name: str
    url: str | None = None


def identity_hash(identity: str, salt: str) -> str:
    """OB identity hash: 'sha256$' + hex SHA-256 of the identity followed by the salt."""
    digest = hashlib.sha256((identity.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def iso_z(moment: datetime) -> str:
    """Write an aware moment as an XML Schema dateTime in UTC with a Z."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def open_badge_credential(
    *,
    credential_id: str,
    achievement_id: str,
    issuer: Issuer,
    achievement: AchievementDef,
    locale: str,
    hashed_email: str,
    salt: str,
    valid_from: datetime,
) -> dict[str, Any]:
    """Build an OpenBadgeCredential whose subject is known only by a salted email hash."""
    profile: dict[str, Any] = {"id": issuer.id, "type": ["Profile"], "name": issuer.name}
    if issuer.url:
        profile["url"] = issuer.url
    return {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile,
        "validFrom": iso_z(valid_from),
        "name": achievement.name.get(locale),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": hashed_email,
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Achievement",
                "name": achievement.name.get(locale),
                "description": achievement.description.get(locale),
                "criteria": {"narrative": achievement.criteria.get(locale)},
            },
        },
    }
