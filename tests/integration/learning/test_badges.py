"""Badges: awarded at day 90, a certificate page, a VC-JWT that verifies with the public key."""

from __future__ import annotations

import hashlib
from datetime import datetime

import httpx
import pytest
from sqlmodel import select

from integrations.learning.jws import JwsError, key_from_jwk, verify_compact
from models.db import session_scope
from models.learning import BadgeAward
from tests.conftest import AMS
from tests.integration.learning.conftest import DAY_90, dispatch_until, hire, link, mail_of
from tests.unit.learning.ob3 import problems


def day_90_badge(lapp) -> BadgeAward:
    """Award the onboarding badge as the day-90 step does, without dispatching 90 days."""
    from models.employment import Employment
    from models.learning_plans import default_sources, ensure_plan
    from models.learning_progress import ensure_award

    hire(lapp)
    now = lapp.clock.now()
    with session_scope(lapp.engine) as session:
        employment = session.exec(select(Employment)).one()
        plan = ensure_plan(
            session=session, employment=employment, sources=default_sources(), now=now
        )
        award, _ = ensure_award(session=session, plan=plan, achievement_key="onboarding", now=now)
    return award


class TestOnboardingBadge:
    def test_the_certificate_page_shows_holder_badge_and_download(self, lapp, server):
        award = day_90_badge(lapp)
        page = httpx.get(f"{server}/badges/{award.uid}")
        assert page.status_code == 200 and '<html lang="nl">' in page.text
        assert "Sanne Tester1" in page.text and "Onboarding afgerond" in page.text
        assert "credential.jwt" in page.text and "<script" not in page.text

    def test_the_vc_jwt_verifies_with_the_issuers_public_key(self, lapp, server, badge_key):
        award = day_90_badge(lapp)
        token = httpx.get(f"{server}/badges/{award.uid}/credential.jwt")
        assert token.headers["content-type"].startswith("application/vc+jwt")
        published = key_from_jwk(httpx.get(f"{server}/badges/issuer/jwk").json())
        header, claims = verify_compact(token.text, key=published)
        verify_compact(token.text, key=badge_key.public_key())
        assert header["alg"] == "EdDSA" and header["typ"] == "JWT"
        assert header["jwk"] == httpx.get(f"{server}/badges/issuer/jwk").json()
        assert problems(claims) == []
        assert claims["iss"] == claims["issuer"]["id"] == f"{server}/badges/issuer"
        assert claims["jti"] == claims["id"] and claims["nbf"] == int(award.issued_at.timestamp())
        assert httpx.get(f"{server}/badges/{award.uid}/credential.jwt").text == token.text

    def test_the_recipient_is_a_salted_hash_of_the_email(self, lapp, server):
        award = day_90_badge(lapp)
        claims = httpx.get(f"{server}/badges/{award.uid}/credential.json").json()
        (identity,) = claims["credentialSubject"]["identifier"]
        digest = hashlib.sha256(f"hire1@example.org{identity['salt']}".encode()).hexdigest()
        assert identity["identityHash"] == f"sha256${digest}" and identity["hashed"] is True
        assert "hire1@example.org" not in str(claims) and "Sanne" not in str(claims)

    def test_a_changed_byte_breaks_the_signature(self, lapp, server):
        award = day_90_badge(lapp)
        token = httpx.get(f"{server}/badges/{award.uid}/credential.jwt").text
        head, body, signature = token.split(".")
        key = key_from_jwk(httpx.get(f"{server}/badges/issuer/jwk").json())
        tampered = body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")
        with pytest.raises(JwsError):
            verify_compact(f"{head}.{tampered}.{signature}", key=key)

    def test_an_unknown_badge_is_a_friendly_not_found(self, lapp, server):
        response = httpx.get(f"{server}/badges/{'0' * 32}")
        assert response.status_code == 410 and "bestaat niet meer" in response.text

    def test_the_issuer_profile_and_the_achievement_are_published(self, lapp, server):
        profile = httpx.get(f"{server}/badges/issuer").json()
        assert profile["type"] == ["Profile"] and profile["publicKeyJwk"]["crv"] == "Ed25519"
        achievement = httpx.get(f"{server}/badges/achievements/onboarding").json()
        assert achievement["type"] == ["Achievement"] and achievement["criteria"]["narrative"]


def test_day_90_awards_the_badge_emails_it_and_tells_the_team_when_agreed(lapp, server):
    hire(lapp)
    dispatch_until(lapp, datetime(2027, 3, 4, 15, 0, tzinfo=AMS))
    goals = link(mail_of(lapp, "learning-goals").text, "goals")
    httpx.post(goals, data={"goal1": "Zelf een dashboard bouwen", "shout_out": "yes"})
    dispatch_until(lapp, DAY_90)
    with session_scope(lapp.engine) as session:
        (award,) = session.exec(select(BadgeAward)).all()
    assert award.achievement_key == "onboarding"
    message = mail_of(lapp, "onboarding-badge")
    assert f"{server}/badges/{award.uid}" in message.text and "Open Badge 3.0" in message.text
    shout = mail_of(lapp, "shout-out-onboarding")
    assert "manager1@example.org" in shout.to and "Onboarding afgerond" in shout.text
    assert "dashboard" not in shout.text
