"""Sign-in for the HR pages: users from LEERPAD_HR_USERS, a signed session cookie, CSRF tokens.

`require_hr` is the dependency every HR route uses: without a valid session a GET is sent to
/hr/login?next=…, anything else gets 401. Every POST under /hr also checks a CSRF token
(`check_csrf`). Without users or a signing key the HR pages answer 503: never open access.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from integrations.http.forms import read_form
from integrations.http.hr_passwords import HrUsers, HrUsersError
from integrations.http.hr_session import HrSession, LoginThrottle, Revoked, SessionSigner
from integrations.learning.pages import SECURITY_HEADERS, pick_locale
from integrations.rendering import Renderer
from integrations.settings import LeerpadSettings
from journeys.profile import EmployerProfile

log = logging.getLogger("leerpad.hr")

SESSION_COOKIE = "leerpad_hr"
LOGIN_COOKIE = "leerpad_hr_login"  # the nonce the login form's CSRF token is bound to
TITLES = {
    "login": ("Inloggen voor HR", "HR sign-in"),
    "overview": ("HR-overzicht", "HR overview"),
    "unavailable": ("HR-pagina's staan uit", "HR pages are switched off"),
}
MESSAGES = {
    "failed": ("Naam of wachtwoord klopt niet.", "The name or password is not right."),
    "throttled": (
        "Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.",
        "Too many failed attempts. Try again in fifteen minutes.",
    ),
    "csrf": (
        "Dit formulier was verlopen. Probeer het nog een keer.",
        "This form had expired. Please try again.",
    ),
}


@dataclass(frozen=True)
class HrDeps:
    """What the HR routes use; `problem` says why they are switched off (None: they are on)."""

    engine: Engine
    now: Callable[[], datetime]
    profile: EmployerProfile
    renderer: Renderer
    users: HrUsers
    signer: SessionSigner | None
    secure: bool = False
    problem: str | None = None  # "missing" | "invalid" | "no-key"
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    revoked: Revoked = field(default_factory=Revoked)
    # processes a stored inbox event by id (the webhook's hook); HR's replay uses it
    process_event: Callable[[int], None] | None = None

    @classmethod
    def from_settings(
        cls, settings: LeerpadSettings, *, engine: Engine, now: Callable[[], datetime],
        profile: EmployerProfile, renderer: Renderer,
    ) -> HrDeps:  # fmt: skip
        """Wire from LEERPAD_HR_USERS, LEERPAD_SIGNING_KEY, _HR_SESSION_HOURS and _PUBLIC_URL."""
        problem = None
        try:
            raw = settings.hr_users.get_secret_value() if settings.hr_users else None
            users = HrUsers.parse(raw)
        except HrUsersError as exc:
            log.warning("HR pages are off: %s", exc)
            users, problem = HrUsers(), "invalid"
        key = settings.signing_key.get_secret_value() if settings.signing_key else None
        if problem is None and not users:
            problem = "missing"
        if problem is None and not key:
            problem = "no-key"
        signer = SessionSigner(key, hours=settings.hr_session_hours) if key else None
        return cls(
            engine=engine, now=now, profile=profile, renderer=renderer, users=users,
            signer=signer, secure=settings.public_url.startswith("https://"), problem=problem,
        )  # fmt: skip


@dataclass(frozen=True)
class HrUser:
    """A signed-in HR user: the name and the session it came with."""

    name: str
    session: HrSession = field(repr=False)


class HrDenied(Exception):
    """Raised by `require_hr` and `check_csrf`; the app answers with the response it carries."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def hr_deps(request: Request) -> HrDeps:
    """The HR dependencies `install_hr` put on the app."""
    return request.app.state.hr  # type: ignore[no-any-return]


def locale_of(request: Request, deps: HrDeps) -> str:
    """The browser's language when the employer supports it, else the employer's default."""
    browser = request.headers.get("accept-language")
    return pick_locale(None, accept_language=browser, profile=deps.profile)


def render(
    deps: HrDeps, request: Request, name: str, *, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render pages/hr/<locale>/<name>.html.j2 with strict security headers."""
    locale = locale_of(request, deps)
    nl, en = TITLES[name]
    html = deps.renderer.env.get_template(f"pages/hr/{locale}/{name}.html.j2").render(
        lang=locale, title=nl if locale == "nl" else en, org_name=deps.profile.name, **context
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def unavailable(deps: HrDeps, request: Request) -> HTMLResponse:
    """503 with how to configure HR users (the pages are never open without them)."""
    return render(deps, request, "unavailable", status=503, reason=deps.problem or "missing")


def safe_next(value: str | None) -> str:
    """A relative path under /hr to go to after sign-in; anything else becomes /hr."""
    if not value or len(value) > 500 or not value.isascii() or not value.isprintable():
        return "/hr"
    if "\\" in value or not value.startswith("/hr") or value.startswith("//"):
        return "/hr"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not (parts.path == "/hr" or parts.path.startswith("/hr/")):
        return "/hr"
    return value


def current_session(request: Request, deps: HrDeps) -> HrSession | None:
    """The valid, not logged-out session of a configured user, from the cookie."""
    if deps.signer is None:
        return None
    session = deps.signer.verify(request.cookies.get(SESSION_COOKIE), now=deps.now())
    if session is None or session in deps.revoked or session.user not in deps.users:
        return None
    return session


def require_hr(request: Request) -> HrUser:
    """The signed-in HR user; else 303 to the sign-in page (GET, HEAD), 401, or 503 when off."""
    deps = hr_deps(request)
    if deps.problem is not None:
        raise HrDenied(unavailable(deps, request))
    session = current_session(request, deps)
    if session is None:
        if request.method in ("GET", "HEAD"):
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            target = f"/hr/login?next={quote(safe_next(here), safe='/')}"
            raise HrDenied(RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS))
        raise HrDenied(Response("sign in at /hr/login first", status_code=401))
    return HrUser(name=session.user, session=session)


async def check_csrf(request: Request, user: HrUser) -> dict[str, str]:
    """The posted form of a signed-in user when its CSRF token is right; else 403 (or 413)."""
    deps = hr_deps(request)
    form = await read_form(request)
    if form is None:
        raise HrDenied(Response("form too large", status_code=413))
    assert deps.signer is not None  # require_hr refused the request otherwise
    if not deps.signer.same(form.get("csrf_token"), deps.signer.csrf_for_session(user.session)):
        raise HrDenied(Response("the form's CSRF token is missing or wrong", status_code=403))
    return form


def set_cookie(deps: HrDeps, response: Response, name: str, value: str, max_age: int) -> None:
    """An HttpOnly, SameSite=Strict cookie for /hr; Secure when the public URL is https."""
    response.set_cookie(
        name, value, max_age=max_age, path="/hr", secure=deps.secure, httponly=True,
        samesite="strict",
    )  # fmt: skip


def clear_cookie(deps: HrDeps, response: Response, name: str) -> None:
    """Tell the browser to forget a cookie."""
    response.delete_cookie(name, path="/hr", secure=deps.secure, httponly=True, samesite="strict")


def login_page(
    deps: HrDeps, request: Request, *, status: int = 200, message: str | None = None,
    username: str = "", next_path: str = "/hr",
) -> HTMLResponse:  # fmt: skip
    """The sign-in form with a fresh login nonce cookie and the CSRF token bound to it."""
    assert deps.signer is not None
    nonce = secrets.token_urlsafe(24)
    locale = locale_of(request, deps)
    text = MESSAGES[message][0 if locale == "nl" else 1] if message else ""
    response = render(
        deps, request, "login", status=status, message=text, username=username,
        next=next_path, csrf_token=deps.signer.csrf_for_login(nonce),
    )  # fmt: skip
    set_cookie(deps, response, LOGIN_COOKIE, nonce, max_age=3600)
    return response


def login_router() -> APIRouter:
    """GET/POST /hr/login and POST /hr/logout."""
    router = APIRouter(prefix="/hr", include_in_schema=False)

    @router.get("/login")
    def login_get(request: Request, next: str = "/hr") -> Response:  # noqa: A002
        """The sign-in form (straight on when already signed in)."""
        deps = hr_deps(request)
        if deps.problem is not None:
            return unavailable(deps, request)
        target = safe_next(next)
        if current_session(request, deps) is not None:
            return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)
        return login_page(deps, request, next_path=target)

    @router.post("/login")
    async def login_post(request: Request) -> Response:
        """Check name and password; on success set the session cookie and go to `next`."""
        deps = hr_deps(request)
        if deps.problem is not None or deps.signer is None:
            return unavailable(deps, request)
        form = await read_form(request)
        if form is None:
            return Response("form too large", status_code=413)
        target = safe_next(form.get("next"))
        username = form.get("username", "").strip()[:64]
        nonce = request.cookies.get(LOGIN_COOKIE, "")
        expected = deps.signer.csrf_for_login(nonce)
        if not nonce or not deps.signer.same(form.get("csrf_token"), expected):
            return login_page(
                deps, request, status=403, message="csrf", username=username, next_path=target
            )
        client = request.client.host if request.client else "?"
        now = deps.now()
        wait = deps.throttle.retry_after(client=client, user=username, now=now)
        if wait:
            log.warning("HR sign-in throttled after repeated failures")
            page = login_page(
                deps, request, status=429, message="throttled", username=username,
                next_path=target,
            )  # fmt: skip
            page.headers["Retry-After"] = str(wait)
            return page
        password = form.get("password", "")
        if not await run_in_threadpool(deps.users.check, username, password):
            deps.throttle.failed(client=client, user=username, now=now)
            log.info("HR sign-in failed")
            return login_page(
                deps, request, status=401, message="failed", username=username, next_path=target
            )
        deps.throttle.succeeded(client=client, user=username)
        cookie, session = deps.signer.issue(username, now=now)
        log.info("HR sign-in succeeded")  # no user name: log lines carry no personal data
        response = RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)
        set_cookie(deps, response, SESSION_COOKIE, cookie, max_age=deps.signer.lifetime)
        clear_cookie(deps, response, LOGIN_COOKIE)
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        """End the session (CSRF-checked) and go back to the sign-in page."""
        deps = hr_deps(request)
        user = require_hr(request)
        await check_csrf(request, user)
        deps.revoked.add(user.session, now=deps.now())
        response = RedirectResponse("/hr/login", status_code=303, headers=SECURITY_HEADERS)
        clear_cookie(deps, response, SESSION_COOKIE)
        return response

    return router
