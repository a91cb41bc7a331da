"""Badge awards as pages and files: the credential signed once, then kept as issued."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from integrations.learning.badges import BadgeSigner
from journeys.learning.credential import ACHIEVEMENTS
from models.learning import BadgeAward, LearningPlan
from models.people import Person


@dataclass(frozen=True)
class Certificate:
    """An award with its holder's name and its signed credential (None without a badge key)."""

    award: BadgeAward
    holder: str
    jwt: str | None


def load_certificate(
    session: Session, *, uid: str, signer: BadgeSigner | None
) -> Certificate | None:
    """Find an award by its public uid; sign and keep its VC-JWT on first use."""
    award = session.exec(select(BadgeAward).where(BadgeAward.uid == uid)).first()
    if award is None:
        return None
    plan = session.get(LearningPlan, award.plan_id)
    person = session.get(Person, plan.person_id) if plan else None
    if person is None or person.erased_at is not None:
        return None
    if award.credential_jwt is None and signer is not None:
        award.credential_jwt = signer.sign(award)
    holder = " ".join(p for p in (person.first_name, person.last_name) if p) or "—"
    return Certificate(award=award, holder=holder, jwt=award.credential_jwt)


def achievement_json(key: str, *, public_url: str, locale: str) -> dict[str, object] | None:
    """An Achievement as JSON, for the id a credential points to."""
    found = ACHIEVEMENTS.get(key)
    if found is None:
        return None
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"{public_url}/badges/achievements/{key}",
        "type": ["Achievement"],
        "achievementType": "Achievement",
        "name": found.name.get(locale),
        "description": found.description.get(locale),
        "criteria": {"narrative": found.criteria.get(locale)},
    }  # fmt: skip
