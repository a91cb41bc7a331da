"""Secrets come from the environment (or Prefect Secret blocks), and never reach a log or a repr.

- the app of `leerpad serve`, run by uvicorn with every logger at DEBUG, receives signed and
  badly signed webhooks from several vendors: no secret and no signature value in any log line;
- settings and dependency objects show no secret in their repr;
- the tracked files of the repository hold nothing that looks like a real secret or key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import subprocess
from pathlib import Path

import httpx
import pytest
import yaml
from pydantic import SecretStr

from integrations.learning.lrs import LrsClient
from integrations.learning.wiring import XapiAuth
from integrations.settings import LeerpadSettings
from integrations.sources.settings import ApiCredentials
from tests.security import site

ROOT = Path(__file__).resolve().parents[2]


def _hex(body: bytes, secret: str = site.SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliveries(body: bytes) -> list[tuple[str, dict[str, str], list[str]]]:
    """(source, headers, the values that must never be logged) for good and bad signatures."""
    good, bad = _hex(body), _hex(body, "not-the-secret-at-all")
    hibob = base64.b64encode(hmac.new(site.SECRET.encode(), body, hashlib.sha512).digest()).decode()
    return [
        ("generic", {"X-Leerpad-Signature": f"sha256={good}"}, [good]),
        ("generic", {"X-Leerpad-Signature": f"sha256={bad}"}, [bad]),
        ("greenhouse", {"Signature": f"sha256 {good}"}, [good]),
        ("greenhouse", {"Signature": f"sha256 {bad}"}, [bad]),
        ("recruitee", {"X-Recruitee-Signature": bad}, [bad]),
        ("workable", {"X-Workable-Signature": good}, [good]),
        ("hibob", {"Bob-Signature": hibob}, [hibob]),
        ("personio", {"Authorization": site.SECRET}, []),  # Personio sends the secret itself
        ("personio", {"Authorization": "Bearer wrong-shared-123"}, ["wrong-shared-123"]),
    ]  # fmt: skip


def test_webhook_secrets_and_signatures_never_reach_a_log_line(
    tmp_path, monkeypatch, caplog, capfd
):
    from flows.bootstrap import reset
    from flows.serve import build_http_app

    for source in site.SOURCES:
        monkeypatch.setenv(f"LEERPAD_SECRET_{source.upper()}", site.SECRET)
    monkeypatch.setenv("LEERPAD_XAPI_TOKEN", site.XAPI_TOKEN)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    caplog.set_level(logging.DEBUG)
    app = site.build(tmp_path, hires=1)
    body = (
        b'{"id": "generic:log-1", "type": "candidate.hired", "occurred_at": "2027-01-25T13:00:00Z",'
        b' "person": {"external_id": "p-log", "email": "log@example.org"},'
        b' "employment": {"start_date": "2027-03-01"}}'
    )
    forbidden = [site.SECRET, site.XAPI_TOKEN]
    statuses = []
    with site.serving(build_http_app(app), log_level="debug") as url:
        for source, headers, values in deliveries(body):
            forbidden += values
            answer = httpx.post(f"{url}/webhooks/{source}", content=body, headers=headers)
            statuses.append(answer.status_code)
        bearer = {"Authorization": f"Bearer {site.XAPI_TOKEN}x"}
        statuses.append(
            httpx.post(f"{url}/xapi/statements", content=b"{}", headers=bearer).status_code
        )
    reset()
    assert 202 in statuses and 401 in statuses, statuses
    out, err = capfd.readouterr()
    logged = "\n".join([out, err, caplog.text] + [r.getMessage() for r in caplog.records])
    assert "POST /webhooks/generic" in logged or "webhooks" in logged, "the logs were captured"
    for value in forbidden:
        assert value not in logged, f"a secret or signature was logged: {value[:12]}…"


def test_settings_and_clients_keep_secrets_out_of_their_repr(monkeypatch):
    values = {
        "LEERPAD_SMTP_URL": "smtp://user:smtp-password-123@mail.example.org:587",
        "LEERPAD_SIGNING_KEY": "signing-key-value-0123456789",
        "LEERPAD_BADGE_KEY": "badge-key-value-0123456789",
        "LEERPAD_XAPI_TOKEN": "xapi-token-value-0123456789",
        "LEERPAD_XAPI_PASSWORD": "xapi-password-value-0123",
        "LEERPAD_LRS_PASSWORD": "lrs-password-value-0123",
        "LEERPAD_LRS_TOKEN": "lrs-token-value-0123456789",
        "LEERPAD_CHAT_SLACK_URL": "slack://xoxb-slack-token-value",
        "LEERPAD_API_LEVER_TOKEN": "lever-api-token-value-0123",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings = LeerpadSettings()
    assert settings.signing_key.get_secret_value() == values["LEERPAD_SIGNING_KEY"]
    credentials = ApiCredentials.for_source("lever")
    assert credentials.token.get_secret_value() == values["LEERPAD_API_LEVER_TOKEN"]
    xapi = XapiAuth(
        token="xapi-token-value-0123456789", username="u", password="xapi-password-value-0123"
    )
    lrs = LrsClient(
        endpoint="https://lrs.example/xAPI/", username="u",
        password="lrs-password-value-0123", token="lrs-token-value-0123456789",
    )  # fmt: skip
    shown = " ".join(
        [repr(settings), str(settings), repr(credentials), repr(xapi), repr(lrs),
         settings.model_dump_json(), str(settings.model_dump())]
    )  # fmt: skip
    for value in values.values():
        assert value not in shown and value.split("://")[-1] not in shown, value


def test_settings_read_secrets_from_the_environment_only(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("LEERPAD_SIGNING_KEY", "LEERPAD_SMTP_URL", "LEERPAD_XAPI_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert LeerpadSettings().signing_key is None
    monkeypatch.setenv("LEERPAD_SIGNING_KEY", "from-the-environment-0123")
    assert LeerpadSettings().signing_key == SecretStr("from-the-environment-0123")
    for field in ("smtp_url", "signing_key", "badge_key", "xapi_token", "xapi_password",
                  "lrs_password", "lrs_token", "chat_slack_url", "chat_teams_url"):  # fmt: skip
        assert LeerpadSettings.model_fields[field].default is None, f"{field} has a default"

    from flows.serve import secret_for

    monkeypatch.delenv("PREFECT_API_URL", raising=False)  # no Secret blocks (test_secret_blocks)
    monkeypatch.setenv("LEERPAD_SECRET_GREENHOUSE", "gh-secret-from-env")
    monkeypatch.delenv("LEERPAD_SECRET_LEVER", raising=False)
    assert secret_for("greenhouse") == "gh-secret-from-env"
    assert secret_for("lever") is None


def test_prefect_yaml_takes_every_secret_from_a_secret_block():
    """Deployments get LEERPAD_* secrets as {{ prefect.blocks.secret.* }} references only."""
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    found = []

    def walk(node, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for item in node:
                walk(item, key)
        elif isinstance(node, str) and re.search(
            r"SECRET|KEY|TOKEN|PASSWORD|SMTP_URL|DATABASE_URL", key
        ):
            found.append((key, node))

    walk(config)
    assert found, "prefect.yaml passes its secrets to the workers"
    for key, value in found:
        assert re.fullmatch(r"\{\{ *prefect\.blocks\.secret\.[a-z0-9-]+ *\}\}", value), key


# Secret-looking values in tracked files. Fixtures under tests/fixtures/webhooks are vendors'
# documented sample payloads (their tokens and signatures are published examples, see VENDORS.md).
HIGH_CONFIDENCE = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}|xox[abposr]-[0-9A-Za-z-]{10,}"
    r"|gh[pousr]_[0-9A-Za-z]{36}|sk_live_[0-9A-Za-z]{20,}|AIza[0-9A-Za-z_-]{35}"
    r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"
    r"|hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"
)
URL_CREDENTIALS = re.compile(r"[a-z+]+://[^/\s:@'\"]+:[^/\s:@'\"]{6,}@")  # outside tests/
ASSIGNED = re.compile(
    r"(?i)(secret|passw(?:or)?d|token|api[_-]?key|signing[_-]?key|private[_-]?key)\w*\"?\s*[:=]\s*"
    r"[\"']([^\"'\s]{12,})[\"']"
)
OBVIOUSLY_FAKE = re.compile(r"(?i)test|example|sample|another|bench|dummy|fake|not-the|wrong")
# Inside tests/, values named after what they stand for ("reliability-secret", "xapi-token…",
# "xoxb-1234-1234-…") are test values; a real credential pasted into a test would not read so.
TEST_VALUE = re.compile(
    r"(?i)1234|reliab|secur|block|xapi|lrs|lever|signing|slack|chat|private key|(\w)\1{5}"
)
DOCUMENTED_SAMPLES = {"HeBVky2bccvvkcXPimH8c"}  # SmartRecruiters' documented signature example
ALLOWED_HITS = {  # a test that checks a generated key is printed
    ("tests/integration/learning/test_cli_and_erasure.py", "-----BEGIN PRIVATE KEY-----"),
}


def tracked_files() -> list[str]:
    """The repository's tracked files (read-only git)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_no_tracked_file_looks_like_it_holds_a_real_secret():
    problems = []
    for name in tracked_files():
        path = ROOT / name
        if re.search(r"(^|/)\.env$|\.(pem|key|p12|pfx)$|id_rsa|id_ed25519", name):
            problems.append(f"{name}: a secret file is tracked")
            continue
        if not path.is_file() or name.startswith("tests/fixtures/webhooks/"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        hits = [m.group(0) for m in HIGH_CONFIDENCE.finditer(text)]
        if not name.startswith("tests/"):
            hits += [m.group(0) for m in URL_CREDENTIALS.finditer(text)]
        in_tests = name.startswith("tests/")
        for hit in hits:
            if (name, hit) in ALLOWED_HITS or re.search(r":(pass|password|secret|x{3,})@", hit):
                continue
            if in_tests and (TEST_VALUE.search(hit) or hit.startswith("-----BEGIN")):
                continue  # the scan's own probes and generated test keys
            problems.append(f"{name}: {hit[:16]}…")
        for match in ASSIGNED.finditer(text):
            value = match.group(2)
            if OBVIOUSLY_FAKE.search(value) or value in DOCUMENTED_SAMPLES or "{" in value:
                continue
            if in_tests and TEST_VALUE.search(value):
                continue
            problems.append(f"{name}: {match.group(1)} = {value[:6]}…")
    assert not problems, "\n".join(problems)


def test_the_scan_finds_what_it_is_meant_to_find():
    assert HIGH_CONFIDENCE.search("key = 'AKIA" + "ABCDEFGHIJKLMNOP'")
    assert URL_CREDENTIALS.search("smtp://mailer:" + "hunter2hunter2@mail.example.org")
    assert ASSIGNED.search('WEBHOOK_SECRET = "' + "q8Zr2LmN4pX7vK1w" + '"')
    assert not OBVIOUSLY_FAKE.search("q8Zr2LmN4pX7vK1w")
    assert not TEST_VALUE.search("q8Zr2LmN4pX7vK1w")
    assert not TEST_VALUE.search("xoxb-" + "2894172391-5512930814-Zq8rLmN4pX7vK1wY")
