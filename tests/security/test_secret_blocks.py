"""Webhook secrets from Prefect Secret blocks (real Prefect: the test harness's API).

`leerpad serve` reads LEERPAD_SECRET_<SOURCE> first; with a Prefect API configured and no such
variable, it reads the Secret block `leerpad-secret-<source>`.
"""

from __future__ import annotations

import os

import httpx
import pytest

from tests.security import site

BLOCK_SECRET = "block-held-webhook-secret-0123456789"


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory):
    """A temporary Prefect API with the generic source's secret in a Secret block."""
    os.environ.setdefault("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.blocks.system import Secret
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    import flows.serve

    with prefect_test_harness(server_startup_timeout=120):
        Secret(value=BLOCK_SECRET).save("leerpad-secret-generic", overwrite=True)
        patch = pytest.MonkeyPatch()
        patch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))
        for source in site.SOURCES:
            patch.delenv(f"LEERPAD_SECRET_{source.upper()}", raising=False)
        flows.serve._BLOCK_SECRETS.clear()
        yield
        flows.serve._BLOCK_SECRETS.clear()
        patch.undo()


def test_a_secret_block_is_used_when_the_environment_has_none(prefect_api, monkeypatch):
    from flows.serve import block_name, secret_for

    assert block_name("greenhouse_onboarding") == "leerpad-secret-greenhouse-onboarding"
    assert secret_for("generic") == BLOCK_SECRET
    assert secret_for("lever") is None, "no block, no variable: no secret"
    assert secret_for("../admin") is None, "only known sources are looked up"
    monkeypatch.setenv("LEERPAD_SECRET_GENERIC", "from-the-environment-first")
    assert secret_for("generic") == "from-the-environment-first"


def test_over_http_the_block_secret_verifies_webhooks(prefect_api, tmp_path):
    from flows.bootstrap import reset
    from flows.serve import build_http_app

    app = site.build(tmp_path, hires=0)
    body = b'{"id": "generic:block-1", "type": "candidate.applied",'
    body += b' "occurred_at": "2027-01-25T13:00:00Z", "person": {"external_id": "p-block"}}'
    with site.serving(build_http_app(app)) as url:
        good = httpx.post(f"{url}/webhooks/generic", content=body,
                          headers=site.signed(body, BLOCK_SECRET))  # fmt: skip
        bad = httpx.post(f"{url}/webhooks/generic", content=body, headers=site.signed(body))
    reset()
    assert good.status_code == 202, good.text
    assert bad.status_code == 401
