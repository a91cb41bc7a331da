"""Open Badges 3.0 required fields (OB 3.0 §B data model), checked by hand for the tests."""

from __future__ import annotations

import re
from typing import Any

VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
URI = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$")


def problems(credential: dict[str, Any]) -> list[str]:
    """Every required OpenBadgeCredential field that is missing or malformed."""
    found: list[str] = []

    def need(ok: bool, what: str) -> None:
        if not ok:
            found.append(what)

    context = credential.get("@context", [])
    need(context[:2] == [VC2, OB3], "@context starts with VC 2.0 and OB 3.0")
    need(bool(URI.match(str(credential.get("id", "")))), "id is a URI")
    types = credential.get("type", [])
    need("VerifiableCredential" in types, "type has VerifiableCredential")
    need("OpenBadgeCredential" in types or "AchievementCredential" in types, "type OBC")
    issuer = credential.get("issuer", {})
    need(bool(URI.match(str(issuer.get("id", "")))), "issuer.id is a URI")
    need("Profile" in issuer.get("type", []), "issuer.type has Profile")
    need(bool(issuer.get("name")), "issuer.name")
    need(bool(DATETIME.match(str(credential.get("validFrom", "")))), "validFrom is a dateTime")
    need(bool(credential.get("name")), "name")
    subject = credential.get("credentialSubject", {})
    need("AchievementSubject" in subject.get("type", []), "credentialSubject.type")
    identifiers = subject.get("identifier", [])
    need(bool(subject.get("id") or identifiers), "credentialSubject.id or identifier")
    for identity in identifiers:
        need(identity.get("type") == "IdentityObject", "identifier.type IdentityObject")
        need(isinstance(identity.get("hashed"), bool), "identifier.hashed")
        need(bool(identity.get("identityHash")), "identifier.identityHash")
        need(bool(identity.get("identityType")), "identifier.identityType")
    achievement = subject.get("achievement", {})
    need(bool(URI.match(str(achievement.get("id", "")))), "achievement.id is a URI")
    need("Achievement" in achievement.get("type", []), "achievement.type has Achievement")
    need(bool(achievement.get("name")), "achievement.name")
    need(bool(achievement.get("description")), "achievement.description")
    criteria = achievement.get("criteria", {})
    need(bool(criteria.get("narrative") or criteria.get("id")), "achievement.criteria")
    return found
