"""Every form and certificate page renders in Dutch and English, accessibly, without scripts."""

from __future__ import annotations

import re

import pytest

from integrations.learning.pages import TITLES, pick_locale, render_page
from integrations.rendering import Renderer
from journeys.catalog import load_employer_profile

PROFILE = load_employer_profile(None)
RENDERER = Renderer()
NAMES = {"hire_name": "Sanne", "leader_name": "Daan", "coach_name": "Fatima"}
CONTEXTS = {
    "goals": NAMES | {"goals": ["Leer SQL"], "shout_out": False, "errors": {}, "saved": True},
    "reflection": NAMES | {"question": "Wat leer jij?", "answer": "", "errors": {}, "saved": False},
    "done": NAMES
    | {
        "item": {"title": "SQLBolt", "url": "https://sqlbolt.com/", "platform": "SQLBolt"},
        "state": "done",
        "progress": {"done": 1, "total": 10},
        "share_url": "https://l.example/forms/share/t",
        "badge_url": "https://l.example/badges/b",
    },
    "share": NAMES
    | {
        "values": {"kind": "", "title": "", "summary": "", "planned_on": ""},
        "errors": {"kind": "Kies er een.", "title": "Te kort."},
        "kinds": [("teach-back", "Korte uitleg"), ("lunch-session", "Lunchsessie")],
        "saved": False,
        "item_title": None,
    },
    "denied": {"reason": "expired"},
    "badge": {
        "holder": "Sanne de Vries",
        "badge": {"name": "Onboarding afgerond", "description": "Negentig dagen.", "criteria": "x"},
        "issued_text": "maandag 31 mei 2027",
        "jwt_url": "https://l.example/badges/b/credential.jwt",
        "json_url": "https://l.example/badges/b/credential.json",
        "key_url": "https://l.example/badges/issuer/jwk",
    },
}


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("name", sorted(TITLES))
def test_renders_accessibly_without_scripts(name, locale):
    response = render_page(RENDERER, name, locale=locale, profile=PROFILE, **CONTEXTS[name])
    html = response.body.decode()
    assert f'<html lang="{locale}">' in html and "<h1>" in html and 'id="main"' in html
    for forbidden in ("<script", "<img", "src=", "<link", "None"):
        assert forbidden not in html, forbidden
    ids = set(re.findall(r'<(?:input|textarea)[^>]* id="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids <= labelled, "every field has a label"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("reason", ["expired", "invalid", "unavailable", "gone"])
def test_every_refusal_says_what_to_do(reason):
    for locale, hint in (("nl", "Wat kun je doen?"), ("en", "What can you do?")):
        html = render_page(RENDERER, "denied", locale=locale, profile=PROFILE, reason=reason).body
        assert hint in html.decode()


def test_the_language_follows_the_person_then_the_browser_then_the_employer():
    assert pick_locale("en", accept_language="nl-NL", profile=PROFILE) == "en"
    assert pick_locale(None, accept_language="de-DE, en;q=0.8", profile=PROFILE) == "en"
    assert pick_locale("fr", accept_language=None, profile=PROFILE) == "nl"
