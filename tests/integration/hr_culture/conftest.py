"""A seeded SQLite database and the HTTP app with HR sign-in, served on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from integrations.http.app import create_app
from integrations.http.hr_auth import HrDeps
from integrations.http.hr_passwords import HrUsers, hash_password
from integrations.http.hr_session import SessionSigner
from integrations.http.webhooks import WebhookDeps
from integrations.learning.wiring import LearningDeps
from integrations.settings import LeerpadSettings
from tests.conftest import sqlite_engine
from tests.integration.hr_culture.seed import NOW, Seeded, seed
from tests.security.site import serving

KEY = "hr-culture-test-signing-key-0123456789"
PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory) -> Iterator[tuple[object, Seeded]]:
    """A migrated SQLite database with the seeded organisation."""
    eng = sqlite_engine(tmp_path_factory.mktemp("culture"))
    seeded = seed(eng)
    yield eng, seeded
    eng.dispose()


@pytest.fixture(scope="module")
def site(seeded_db) -> Iterator[str]:
    """The app with HR user anna, served on 127.0.0.1; its clock stands at the seed's NOW."""
    eng, _ = seeded_db
    settings = LeerpadSettings(database_url=str(eng.url), signing_key=KEY)
    learning = LearningDeps.from_settings(settings, engine=eng, now=lambda: NOW)
    hr = HrDeps(
        engine=eng, now=lambda: NOW, profile=learning.profile, renderer=learning.renderer,
        users=HrUsers.parse(f"anna:{hash_password(PASSWORD)}"), signer=SessionSigner(KEY, hours=8),
    )  # fmt: skip
    hooks = WebhookDeps(engine=eng, secret_for=lambda s: None, on_stored=lambda i: None,
                        now=lambda: NOW)  # fmt: skip
    with serving(create_app(hooks, learning=learning, hr=hr)) as url:
        yield url


def client(url: str, **headers: str) -> httpx.Client:
    """An HTTP client that keeps cookies and does not follow redirects."""
    return httpx.Client(base_url=url, follow_redirects=False, headers=headers, timeout=30)


def sign_in(http: httpx.Client) -> None:
    """Sign in as anna through the real form (its CSRF token and nonce cookie)."""
    form = http.get("/hr/login")
    token = CSRF.search(form.text).group(1)
    done = http.post("/hr/login", data={"username": "anna", "password": PASSWORD,
                                        "csrf_token": token, "next": "/hr"})  # fmt: skip
    assert done.status_code == 303
