"""`leerpad dispatch` runs the Prefect flow and delivers what is due exactly once."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from click.testing import CliRunner

from flows.bootstrap import reset
from flows.cli import cli

HIRED = {
    "id": "generic:cli-dispatch-1",
    "type": "candidate.hired",
    "occurred_at": "2027-01-25T13:00:00Z",
    "person": {"external_id": "c9", "email": "c9@example.org", "first_name": "Noor"},
    "employment": {"start_date": "2027-03-01", "manager": {"email": "boss@example.org"}},
}


def test_dispatch_twice_sends_nothing_twice(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("LEERPAD_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("LEERPAD_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.delenv("LEERPAD_SMTP_URL", raising=False)
    reset()
    runner = CliRunner()
    body = tmp_path / "hired.json"
    body.write_text(json.dumps(HIRED), encoding="utf-8")
    monkeypatch.setenv("LEERPAD_SECRET_GENERIC", "s3cret")
    digest = hmac.new(b"s3cret", body.read_bytes(), hashlib.sha256).hexdigest()
    header = f"X-Leerpad-Signature: sha256={digest}"
    ingested = runner.invoke(cli, ["events", "ingest", "generic", str(body), "--header", header])
    assert ingested.exit_code == 0, ingested.output

    args = ["dispatch", "--until", "2027-07-01T00:00:00Z", "--json"]
    first = runner.invoke(cli, args, catch_exceptions=False)
    second = runner.invoke(cli, args, catch_exceptions=False)
    reset()
    files = list((tmp_path / "outbox").glob("*.eml"))
    sent = json.loads(first.stdout)["sent"]
    assert sent == len(files) > 20
    assert json.loads(second.stdout) == {"claimed": 0}
    bad = runner.invoke(cli, ["dispatch", "--until", "next tuesday"])
    assert bad.exit_code == 2 and "ISO-8601" in bad.stderr
