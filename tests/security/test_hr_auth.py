"""HR pages need authentication: sign-in, session cookie, CSRF, throttle, over real HTTP.

The app of create_app is served by uvicorn on loopback; the database is a migrated SQLite file
with a few journeys, inbox events and deliveries seeded, so /hr shows real counts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from base64 import urlsafe_b64encode
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from integrations.http.app import create_app
from integrations.http.hr_auth import LOGIN_COOKIE, SESSION_COOKIE, HrDeps
from integrations.http.hr_passwords import HrUsers, hash_password
from integrations.http.hr_session import SessionSigner
from integrations.http.webhooks import WebhookDeps
from integrations.learning.wiring import LearningDeps
from integrations.settings import LeerpadSettings
from models.db import session_scope
from models.delivery import Delivery
from models.enrollment import Enrollment, ScheduledStep
from models.hr_overview import hr_overview
from models.inbox import InboxEvent
from models.people import Person
from tests.conftest import drop_schema, postgres_engine, sqlite_engine
from tests.security.site import serving

KEY = "hr-test-signing-key-0123456789abcdef"
PASSWORD = "correct horse battery staple"
NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.at = NOW

    def now(self) -> datetime:
        return self.at


def seed(eng) -> None:
    """Journeys 3 active / 1 cancelled / 2 completed, 2 failed inbox events, and failed
    deliveries: 2 within the last 7 days, 1 older."""
    with session_scope(eng) as session:
        person = Person(source="generic", external_id="p1", email="secret.person@example.org",
                        first_name="Geheimnaam", created_at=NOW)  # fmt: skip
        session.add(person)
        session.flush()
        states = ["active"] * 3 + ["cancelled"] + ["completed"] * 2
        enrollments = [
            Enrollment(
                journey_key="onboarding",
                subject_key=f"employment:{n}",
                status=state,
                person_id=person.id,
                created_at=NOW,
                updated_at=NOW,
            )  # fmt: skip
            for n, state in enumerate(states)
        ]
        session.add_all(enrollments)
        session.flush()
        for n, status in enumerate(["failed", "failed", "processed", "received"]):
            session.add(InboxEvent(dedupe_key=f"k{n}", source="generic", status=status,
                                   payload="{}", received_at=NOW))  # fmt: skip
        step = ScheduledStep(enrollment_id=enrollments[0].id, step_key="welcome", channel="email",
                             recipient_role="hire", template="welcome", due_at=NOW,
                             created_at=NOW, updated_at=NOW)  # fmt: skip
        session.add(step)
        session.flush()
        ages = [("failed", 1), ("failed", 6), ("failed", 8), ("sent", 1)]
        for n, (status, days) in enumerate(ages):
            session.add(Delivery(step_id=step.id, action="send", message_id=f"<m{n}@x>",
                                 channel="email", transport="outbox", status=status,
                                 at=NOW - timedelta(days=days)))  # fmt: skip


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """A migrated SQLite database with the seeded rows."""
    eng = sqlite_engine(tmp_path_factory.mktemp("hr"))
    seed(eng)
    yield eng
    eng.dispose()


def test_the_counts_are_the_same_on_postgresql(postgres_available):
    if not postgres_available:
        pytest.skip("PostgreSQL not reachable (set LEERPAD_TEST_POSTGRES_URL)")
    eng, schema = postgres_engine()
    try:
        seed(eng)
        with session_scope(eng) as session:
            found = hr_overview(session=session, now=NOW)
    finally:
        eng.dispose()
        drop_schema(schema)
    assert found.journeys == {"active": 3, "cancelled": 1, "completed": 2}
    assert (found.inbox_failed, found.deliveries_failed) == (2, 2)


@pytest.fixture(scope="module")
def learning(engine) -> LearningDeps:
    settings = LeerpadSettings(database_url=str(engine.url), signing_key=KEY)
    return LearningDeps.from_settings(settings, engine=engine, now=lambda: NOW)


@pytest.fixture(scope="module")
def users() -> HrUsers:
    return HrUsers.parse(f"anna:{hash_password(PASSWORD)},bob:{hash_password('other pass 123')}")


def hr_deps(engine, learning, users, clock: Clock, **fields) -> HrDeps:
    deps = HrDeps(
        engine=engine, now=clock.now, profile=learning.profile, renderer=learning.renderer,
        users=users, signer=SessionSigner(KEY, hours=8),
    )  # fmt: skip
    return replace(deps, **fields)


def serve(engine, learning, hr: HrDeps | None) -> Iterator[str]:
    webhooks = WebhookDeps(engine=engine, secret_for=lambda s: None, on_stored=lambda i: None,
                           now=learning.now)  # fmt: skip
    with serving(create_app(webhooks, learning=learning, hr=hr)) as url:
        yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def site(engine, learning, users, clock) -> Iterator[str]:
    """A fresh server (and so a fresh throttle) per test."""
    yield from serve(engine, learning, hr_deps(engine, learning, users, clock))


def browser(url: str, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=url, follow_redirects=False, headers=headers, timeout=20)


def login_form(client: httpx.Client, next_path: str = "/hr") -> str:
    """GET the sign-in page; the CSRF token in it (its nonce cookie is now in the client)."""
    page = client.get("/hr/login", params={"next": next_path})
    assert page.status_code == 200
    return CSRF.search(page.text).group(1)


def sign_in(client: httpx.Client, *, user: str = "anna", password: str = PASSWORD,
            next_path: str = "/hr") -> httpx.Response:  # fmt: skip
    token = login_form(client, next_path)
    fields = {"username": user, "password": password, "csrf_token": token, "next": next_path}
    return client.post("/hr/login", data=fields)


def forge(payload: dict, key: str = KEY) -> str:
    """A session cookie as the server makes them, signed with `key`."""
    derived = hmac.new(key.encode(), b"leerpad-hr-session-v1", hashlib.sha256).digest()
    b64 = lambda b: urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    body = b64(json.dumps(payload, separators=(",", ":")).encode())
    mac = b64(hmac.new(derived, f"session\n{body}".encode(), hashlib.sha256).digest())
    return f"{body}.{mac}"


def cookie_header(response: httpx.Response, name: str) -> str:
    found = [v for v in response.headers.get_list("set-cookie") if v.startswith(f"{name}=")]
    assert found, f"no {name} cookie set"
    return found[0]


class TestWithoutSignIn:
    def test_get_hr_redirects_to_sign_in_with_next(self, site):
        with browser(site) as client:
            response = client.get("/hr")
        assert response.status_code == 303
        assert response.headers["location"] == "/hr/login?next=/hr"
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")

    def test_a_post_without_a_session_is_401(self, site):
        with browser(site) as client:
            assert client.post("/hr/logout", data={"csrf_token": "x"}).status_code == 401

    def test_no_users_configured_gives_503_with_how_to_configure(
        self, engine, learning, clock, monkeypatch
    ):
        monkeypatch.delenv("LEERPAD_HR_USERS", raising=False)
        monkeypatch.setenv("LEERPAD_SIGNING_KEY", KEY)
        for url in serve(engine, learning, None):  # wired from the environment, like serve
            with browser(url, **{"Accept-Language": "en"}) as client:
                page, login = client.get("/hr"), client.get("/hr/login")
                posted = client.post("/hr/login", data={"username": "a", "password": "b"})
        assert page.status_code == login.status_code == posted.status_code == 503
        assert "LEERPAD_HR_USERS" in page.text and "leerpad hr hash-password" in page.text
        assert "set-cookie" not in posted.headers

    def test_a_malformed_user_list_also_gives_503(self, engine, learning, monkeypatch):
        monkeypatch.setenv("LEERPAD_HR_USERS", "anna:plaintext-password")
        monkeypatch.setenv("LEERPAD_SIGNING_KEY", KEY)
        for url in serve(engine, learning, None):
            with browser(url) as client:
                page = client.get("/hr")
        assert page.status_code == 503
        assert "plaintext-password" not in page.text


class TestSignIn:
    def test_a_wrong_password_is_401_without_a_session_cookie(self, site):
        with browser(site, **{"Accept-Language": "en"}) as client:
            response = sign_in(client, password="wrong password!")
            unknown = sign_in(client, user="nobody")
        assert response.status_code == unknown.status_code == 401
        assert "The name or password is not right." in response.text
        same = lambda r, name: CSRF.sub("T", r.text.replace(name, "X"))  # noqa: E731
        assert same(response, "anna") == same(unknown, "nobody")  # no user enumeration
        for r in (response, unknown):
            assert not any(
                v.startswith(f"{SESSION_COOKIE}=") for v in r.headers.get_list("set-cookie")
            )

    def test_the_right_password_sets_a_strict_cookie_and_shows_the_counts(self, site):
        with browser(site, **{"Accept-Language": "en-GB,en;q=0.8"}) as client:
            response = sign_in(client)
            assert response.status_code == 303
            assert response.headers["location"] == "/hr"
            flags = cookie_header(response, SESSION_COOKIE).lower()
            assert "httponly" in flags and "samesite=strict" in flags and "path=/hr" in flags
            assert "max-age=28800" in flags and "secure" not in flags  # public URL is http
            page = client.get("/hr")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        assert 'id="journeys-active">3<' in page.text
        assert 'id="journeys-cancelled">1<' in page.text
        assert 'id="journeys-completed">2<' in page.text
        assert 'id="inbox-failed">2<' in page.text
        assert 'id="deliveries-failed">2<' in page.text  # the one of 8 days ago is left out
        assert "HR overview" in page.text
        assert "Geheimnaam" not in page.text and "secret.person" not in page.text

    def test_the_overview_speaks_dutch_to_a_dutch_browser(self, site):
        with browser(site, **{"Accept-Language": "nl-NL,nl;q=0.9"}) as client:
            sign_in(client)
            page = client.get("/hr")
        assert page.status_code == 200 and 'lang="nl"' in page.text
        assert "HR-overzicht" in page.text and "Afgerond" in page.text

    def test_the_cookie_is_secure_when_the_public_url_is_https(
        self, engine, learning, users, clock
    ):
        hr = hr_deps(engine, learning, users, clock, secure=True)
        for url in serve(engine, learning, hr):
            with browser(url) as client:
                token = login_form(client)
                nonce = client.cookies.get(LOGIN_COOKIE)
                response = client.post(
                    "/hr/login", cookies={LOGIN_COOKIE: nonce},
                    data={"username": "anna", "password": PASSWORD, "csrf_token": token},
                )  # fmt: skip
        assert response.status_code == 303
        assert "secure" in cookie_header(response, SESSION_COOKIE).lower()

    def test_settings_from_the_environment_set_secure_and_the_lifetime(self, engine, learning):
        settings = LeerpadSettings(
            database_url=str(engine.url), signing_key=KEY, public_url="https://leer.example.org",
            hr_users=f"anna:{hash_password(PASSWORD)}", hr_session_hours=2,
        )  # fmt: skip
        deps = HrDeps.from_settings(
            settings, engine=engine, now=lambda: NOW, profile=learning.profile,
            renderer=learning.renderer,
        )  # fmt: skip
        assert deps.problem is None and deps.secure and deps.signer.lifetime == 7200
        assert "anna" in deps.users and PASSWORD not in repr(deps)


class TestSessionCookie:
    def refused(self, site, cookie: str) -> None:
        with browser(site) as client:
            client.cookies.set(SESSION_COOKIE, cookie, path="/hr")
            page = client.get("/hr")
            posted = client.post("/hr/logout", data={"csrf_token": "x"})
        assert page.status_code == 303 and page.headers["location"] == "/hr/login?next=/hr"
        assert posted.status_code == 401

    def test_a_genuine_forged_cookie_works_so_the_refusals_below_mean_something(self, site):
        cookie = forge({"u": "anna", "iat": int(NOW.timestamp()), "exp": int(NOW.timestamp())
                        + 3600, "sid": "a" * 32})  # fmt: skip
        with browser(site) as client:
            client.cookies.set(SESSION_COOKIE, cookie, path="/hr")
            assert client.get("/hr").status_code == 200

    def test_a_tampered_cookie_is_refused(self, site):
        with browser(site) as client:
            sign_in(client)
            real = client.cookies.get(SESSION_COOKIE)
        body, mac = real.split(".")
        other = forge({"u": "bob", "iat": 0, "exp": 0, "sid": "x"}).split(".")[0]
        self.refused(site, f"{other}.{mac}")
        self.refused(site, f"{body}.{mac[:-2]}AA")
        self.refused(site, "not-a-cookie")

    def test_an_expired_cookie_is_refused(self, site, clock):
        issued = int((NOW - timedelta(hours=9)).timestamp())
        self.refused(site, forge({"u": "anna", "iat": issued, "exp": issued + 8 * 3600,
                                  "sid": "b" * 32}))  # fmt: skip

    def test_a_session_expires_when_the_clock_passes_its_lifetime(self, site, clock):
        with browser(site) as client:
            sign_in(client)
            assert client.get("/hr").status_code == 200
            clock.at = NOW + timedelta(hours=8, seconds=1)
            assert client.get("/hr").status_code == 303

    def test_a_cookie_longer_than_the_lifetime_is_refused(self, site):
        issued = int(NOW.timestamp()) - 60
        self.refused(site, forge({"u": "anna", "iat": issued, "exp": issued + 30 * 86400,
                                  "sid": "c" * 32}))  # fmt: skip

    def test_a_cookie_signed_with_another_key_is_refused(self, site):
        issued = int(NOW.timestamp())
        payload = {"u": "anna", "iat": issued, "exp": issued + 3600, "sid": "d" * 32}
        self.refused(site, forge(payload, key="another-key-0123456789abcdefghij"))

    def test_a_cookie_of_a_user_no_longer_configured_is_refused(self, site):
        issued = int(NOW.timestamp())
        self.refused(site, forge({"u": "mallory", "iat": issued, "exp": issued + 3600,
                                  "sid": "e" * 32}))  # fmt: skip


class TestLogoutAndCsrf:
    def test_logout_clears_the_cookie_and_the_old_cookie_no_longer_works(self, site):
        with browser(site) as client:
            sign_in(client)
            page = client.get("/hr")
            old = client.cookies.get(SESSION_COOKIE)
            response = client.post("/hr/logout", data={"csrf_token": CSRF.search(page.text)[1]})
            assert response.status_code == 303 and response.headers["location"] == "/hr/login"
            cleared = cookie_header(response, SESSION_COOKIE)
            assert 'leerpad_hr=""' in cleared or "max-age=0" in cleared.lower()
            assert client.get("/hr").status_code == 303
        with browser(site) as replay:
            replay.cookies.set(SESSION_COOKIE, old, path="/hr")
            assert replay.get("/hr").status_code == 303

    @pytest.mark.parametrize("token", [None, "", "wrong-token"])
    def test_logout_without_the_right_csrf_token_is_403(self, site, token):
        with browser(site) as client:
            sign_in(client)
            data = {} if token is None else {"csrf_token": token}
            assert client.post("/hr/logout", data=data).status_code == 403
            assert client.get("/hr").status_code == 200  # still signed in

    def test_the_csrf_token_of_another_session_is_refused(self, site):
        with browser(site) as first, browser(site) as second:
            sign_in(first)
            sign_in(second)
            theirs = CSRF.search(first.get("/hr").text)[1]
            assert second.post("/hr/logout", data={"csrf_token": theirs}).status_code == 403

    @pytest.mark.parametrize("case", ["no-token", "wrong-token", "no-nonce-cookie"])
    def test_sign_in_without_the_right_csrf_token_is_403(self, site, case):
        with browser(site) as client:
            token = login_form(client)
            fields = {"username": "anna", "password": PASSWORD, "csrf_token": token}
            if case == "no-token":
                del fields["csrf_token"]
            elif case == "wrong-token":
                fields["csrf_token"] = token[:-2] + "xx"
            else:
                client.cookies.delete(LOGIN_COOKIE, path="/hr")
            response = client.post("/hr/login", data=fields)
        assert response.status_code == 403
        assert not any(v.startswith(f"{SESSION_COOKIE}=") for v in
                       response.headers.get_list("set-cookie"))  # fmt: skip


class TestThrottleAndRedirects:
    def test_five_failures_then_429_even_with_the_right_password(self, site):
        with browser(site) as client:
            codes = [sign_in(client, password=f"wrong {n}").status_code for n in range(5)]
            blocked = sign_in(client)
            other_user = sign_in(client, user="bob", password="other pass 123")
        assert codes == [401] * 5
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
        assert not any(v.startswith(f"{SESSION_COOKIE}=") for v in
                       blocked.headers.get_list("set-cookie"))  # fmt: skip
        assert other_user.status_code == 303  # the throttle is per IP + user

    def test_the_throttle_lifts_after_fifteen_minutes(self, site, clock):
        with browser(site) as client:
            for n in range(5):
                sign_in(client, password=f"wrong {n}")
            assert sign_in(client).status_code == 429
            clock.at = NOW + timedelta(minutes=15, seconds=1)
            assert sign_in(client).status_code == 303

    @pytest.mark.parametrize(
        "evil",
        ["https://evil.example", "//evil.example/hr", "/\\evil.example", "https:/evil.example",
         "/hr@evil.example", "javascript:alert(1)", "/other", "/hr\r\nSet-Cookie: x=1"],
    )  # fmt: skip
    def test_next_cannot_leave_the_hr_pages(self, site, evil):
        with browser(site) as client:
            response = sign_in(client, next_path=evil)
        assert response.status_code == 303
        assert response.headers["location"] == "/hr"

    def test_next_within_the_hr_pages_is_followed(self, site):
        with browser(site) as client:
            redirect = client.get("/hr", params={"x": "1"})
            assert redirect.headers["location"] == "/hr/login?next=/hr%3Fx%3D1"
            response = sign_in(client, next_path="/hr?x=1")
        assert response.headers["location"] == "/hr?x=1"
