"""Fixtures for the HR page tests: the served company on SQLite and on PostgreSQL, and sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import drop_schema, postgres_engine, sqlite_engine
from tests.integration.hr.world import PASSWORD, World, world_on
from tests.integration.sources.conftest import api_server  # noqa: F401  (a loopback vendor API)

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[World]:
    """The company, served; once per database."""
    folder = tmp_path_factory.mktemp("hr-world")
    if request.param == "sqlite":
        engine = sqlite_engine(folder)
        with world_on(engine, folder) as found:
            yield found
        engine.dispose()
        return
    if not request.getfixturevalue("postgres_available"):
        pytest.skip("PostgreSQL not reachable (set LEERPAD_TEST_POSTGRES_URL)")
    engine, schema = postgres_engine()
    try:
        with world_on(engine, folder) as found:
            yield found
    finally:
        engine.dispose()
        drop_schema(schema)


def client(url: str, lang: str = "en") -> httpx.Client:
    """An HTTP client that does not follow redirects, speaking `lang`."""
    return httpx.Client(base_url=url, follow_redirects=False, timeout=30,
                        headers={"Accept-Language": lang})  # fmt: skip


def sign_in(http: httpx.Client, next_path: str = "/hr") -> None:
    """Sign in as anna through the login form."""
    page = http.get("/hr/login", params={"next": next_path})
    token = CSRF.search(page.text).group(1)
    fields = {"username": "anna", "password": PASSWORD, "csrf_token": token, "next": next_path}
    response = http.post("/hr/login", data=fields)
    assert response.status_code == 303, response.text


@pytest.fixture
def hr(world: World) -> Iterator[httpx.Client]:
    """A signed-in English-speaking HR client."""
    with client(world.url) as http:
        sign_in(http)
        yield http
