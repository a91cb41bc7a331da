"""Certificates: GET /badges/{uid} (page), its VC-JWT and JSON, the issuer and its key."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from integrations.context import date_text
from integrations.learning.badges import MEDIA_TYPE
from integrations.learning.certificates import achievement_json, load_certificate
from integrations.learning.pages import SECURITY_HEADERS, denied, pick_locale, render_page
from integrations.learning.wiring import LearningDeps
from journeys.learning.credential import ACHIEVEMENTS
from models.db import session_scope


def badges_router(deps: LearningDeps) -> APIRouter:
    """The public badge pages, bound to their dependencies."""
    router = APIRouter(prefix="/badges")

    def not_set() -> JSONResponse:
        return JSONResponse({"error": "no badge key; set LEERPAD_BADGE_KEY"}, status_code=404)

    @router.get("/issuer")
    def issuer() -> Response:
        """The issuer Profile, with the public key that verifies its badges."""
        if deps.badges is None:
            return not_set()
        return JSONResponse(deps.badges.issuer_profile())

    @router.get("/issuer/jwk")
    def jwk() -> Response:
        """The issuer's public key as a JWK (Ed25519)."""
        return JSONResponse(deps.badges.jwk()) if deps.badges else not_set()

    @router.get("/achievements/{key}")
    def achievement(key: str, lang: str = "en") -> Response:
        """An Achievement a credential refers to."""
        found = achievement_json(key, public_url=deps.links.public_url, locale=lang)
        return JSONResponse(found) if found else JSONResponse({}, status_code=404)

    @router.get("/{uid}")
    def certificate(uid: str, request: Request) -> Response:
        """The certificate page: holder, badge, issuer, and the signed credential to download."""
        browser = request.headers.get("accept-language")
        with session_scope(deps.engine) as session:
            found = load_certificate(session, uid=uid, signer=deps.badges)
            if found is None:
                locale = pick_locale(None, accept_language=browser, profile=deps.profile)
                return denied(deps.renderer, reason="gone", locale=locale, profile=deps.profile)
        award = found.award
        locale = pick_locale(award.locale, accept_language=None, profile=deps.profile)
        badge = ACHIEVEMENTS[award.achievement_key]
        base = f"{deps.links.public_url}/badges"
        return render_page(
            deps.renderer, "badge", locale=locale, profile=deps.profile, holder=found.holder,
            badge={"name": badge.name.get(locale), "description": badge.description.get(locale),
                   "criteria": badge.criteria.get(locale)},
            issued_text=date_text(award.issued_at.date(), locale),
            jwt_url=f"{base}/{uid}/credential.jwt" if found.jwt else None,
            json_url=f"{base}/{uid}/credential.json", key_url=f"{base}/issuer/jwk",
        )  # fmt: skip

    @router.get("/{uid}/credential.jwt")
    def credential_jwt(uid: str) -> Response:
        """The OpenBadgeCredential as a VC-JWT, to keep in a wallet."""
        with session_scope(deps.engine) as session:
            found = load_certificate(session, uid=uid, signer=deps.badges)
        if found is None or found.jwt is None:
            return Response(status_code=404)
        headers = {"Content-Disposition": f'attachment; filename="badge-{uid}.jwt"'}
        return Response(found.jwt, media_type=MEDIA_TYPE, headers=SECURITY_HEADERS | headers)

    @router.get("/{uid}/credential.json")
    def credential_json(uid: str) -> Response:
        """The credential's contents (unsigned JSON-LD), for reading."""
        with session_scope(deps.engine) as session:
            found = load_certificate(session, uid=uid, signer=deps.badges)
        if found is None or deps.badges is None:
            return Response(status_code=404)
        body = json.dumps(deps.badges.credential(found.award), ensure_ascii=False, indent=2)
        return Response(body, media_type="application/json", headers=SECURITY_HEADERS)

    return router
