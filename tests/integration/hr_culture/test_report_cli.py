"""`leerpad report`: one self-contained HTML file and the same aggregates as JSON; no names."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import cli
from journeys.clock import SimulatedClock
from tests.conftest import sqlite_engine
from tests.integration.hr_culture.htmlread import outline
from tests.integration.hr_culture.seed import NOW, SECRETS, TEAMS, seed

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def wired(tmp_path):
    """The app wired on a seeded SQLite file with its clock at the seed's NOW."""
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings

    eng = sqlite_engine(tmp_path)
    seeded = seed(eng)
    settings = LeerpadSettings(database_url=str(eng.url), outbox_dir=tmp_path / "outbox",
                               smtp_url=None)  # fmt: skip
    bootstrap(settings=settings, clock=SimulatedClock(NOW), engine=eng)
    yield seeded
    reset()


def run(*args: str):
    return CliRunner().invoke(cli, ["report", *args])


def test_the_report_is_one_valid_self_contained_file(wired, tmp_path):
    out = tmp_path / "report.html"
    result = run("--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "report: wrote" in result.stderr
    html = out.read_text(encoding="utf-8")
    page = outline(html)
    assert page.doctype and page.doctype.lower() == "doctype html"
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert not [a for a in page.all("a") if not (a.get("href") or "").startswith("#")]
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert len(page.all("section")) == 3 + 8  # journeys, vacancies, culture; eight practices
    assert len(page.all("svg")) >= 16 and len(page.all("desc")) == len(page.all("svg"))
    assert len([a for a in page.all("tr") if (a.get("id") or "").startswith("vacancy-")]) == 3
    assert "Coaching sessions held" in page.plain and "Other teams" in page.plain
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    labelled = [a["aria-labelledby"] for a in page.all("svg")]
    assert all(part in ids for refs in labelled for part in (refs or "").split())


def test_the_report_holds_no_names_or_addresses(wired, tmp_path):
    out = tmp_path / "report.html"
    assert run("--out", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in html
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", html)  # no email address at all
    for small in ("Finance", "Legal"):  # teams under five people never stand alone
        assert small not in html


def test_json_gives_the_same_aggregates(wired, tmp_path):
    result = run("--json", "--months", "6")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overview"]["journeys"]["active"] == 2 * sum(TEAMS.values())
    assert len(data["culture"]["months"]) == 6 and data["culture"]["months"][-1] == "2027-06"
    practices = {p["key"]: p for p in data["culture"]["practices"]}
    assert len(practices) == 8
    badges = next(s for s in practices["recognition"]["series"] if s["key"] == "badges_issued")
    assert badges["total"] == wired.badges
    assert set(badges["by_group"]) == {"Data", "Sales", "*other*"}
    assert [v["score"] for v in data["vacancies"]] == sorted(
        (v["score"] for v in data["vacancies"]), reverse=True
    )
    assert not any(s in result.stdout for s in SECRETS)


def test_the_report_speaks_dutch_by_default(wired, tmp_path):
    out = tmp_path / "rapport.html"
    assert run("--out", str(out)).exit_code == 0
    page = outline(out.read_text(encoding="utf-8"))
    assert page.all("html")[0]["lang"] == "nl"
    assert "Coachgesprekken gehouden" in page.plain and "Overige teams" in page.plain


def test_without_out_or_json_it_says_what_to_do(wired):
    result = run()
    assert result.exit_code == 2
    assert "--out report.html" in result.stderr


def test_an_unwritable_out_is_a_usage_error(wired, tmp_path):
    result = run("--out", str(tmp_path / "missing" / "report.html"))
    assert result.exit_code == 2
    assert "pick another --out" in result.stderr


def test_the_command_runs_without_prefect(tmp_path):
    """A fresh interpreter runs the report on an empty database and never imports prefect."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from flows.cli_report import report\n"
        "r = CliRunner().invoke(report, ['--json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('prefect' in sys.modules)\n"
    )
    env = os.environ | {"PYTHONPATH": str(ROOT),
                        "LEERPAD_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
