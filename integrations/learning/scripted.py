"""Fill in the learning forms in-process, as a hire or leader would in a browser (the demo).

The links come from the sent emails; requests go through the real routes (token checks, form
validation, 303 redirects) on an in-process ASGI client, so the demo shows what people see.
"""

from __future__ import annotations

import asyncio
import email
import re
from email import policy
from pathlib import Path

import httpx
from fastapi import FastAPI

from integrations.http.badges import badges_router
from integrations.http.forms import forms_router
from integrations.learning.wiring import LearningDeps


def links_in(text: str, purpose: str) -> list[str]:
    """Every signed link of one purpose (goals, done, share, reflection) in a text."""
    return re.findall(rf"https?://\S+?/forms/{purpose}/[A-Za-z0-9_.-]+", text)


def badge_urls_in(text: str) -> list[str]:
    """Every certificate page URL in a text."""
    return re.findall(r"https?://\S+?/badges/[0-9a-f]{32}", text)


def latest_link(outbox: Path, purpose: str) -> str | None:
    """The link of a purpose in the most recent .eml of an outbox folder that has one."""
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        found = links_in(email_text(path), purpose)
        if found:
            return found[0]
    return None


def email_text(path: Path) -> str:
    """The plain-text part of an .eml file."""
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(("plain",))
    return body.get_content() if body is not None else ""


class FormFiller:
    """Open and submit form links against the app's own routes, without a network."""

    def __init__(self, deps: LearningDeps) -> None:
        self.app = FastAPI()
        self.app.include_router(forms_router(deps))
        self.app.include_router(badges_router(deps))
        self.public_url = deps.links.public_url

    def _send(self, method: str, url: str, data: dict[str, str] | None) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url=self.public_url, follow_redirects=True
            ) as client:
                return await client.request(method, url.removeprefix(self.public_url), data=data)

        return asyncio.run(go())

    def open(self, url: str) -> tuple[int, str]:
        """GET a page; returns (status, html)."""
        response = self._send("GET", url, None)
        return response.status_code, response.text

    def submit(self, url: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        """POST a form and follow the redirect; returns (final status, html)."""
        response = self._send("POST", url, data or {})
        return response.status_code, response.text
