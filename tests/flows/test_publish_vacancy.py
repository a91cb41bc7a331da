"""`leerpad vacancy publish`: store the vacancy and its promises, then the publish-vacancy flow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from flows.cli_vacancy import vacancy
from journeys.catalog import DEFAULTS_DIR
from models.db import session_scope
from models.recruitment import Vacancy
from models.vacancy_store import promises_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "vacancies" / "render"


@pytest.fixture(autouse=True)
def default_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the shipped employer profile whatever the environment says."""
    monkeypatch.setenv("LEERPAD_ORGANIZATION", str(DEFAULTS_DIR / "organization.yaml"))


def run(*args: str):
    return CliRunner().invoke(vacancy, list(args))


def test_publish_stores_the_vacancy_and_its_promises_and_writes_html_and_jsonld(app, tmp_path):
    out = tmp_path / "site"
    result = run("publish", str(FIXTURES / "nl-complete.md"), "--out", str(out))
    assert result.exit_code == 0, result.output
    html, jsonld = out / "generic-WZ-2026-031.html", out / "generic-WZ-2026-031.jsonld"
    assert f"wrote {html}" in result.output and f"wrote {jsonld}" in result.output
    with session_scope(app.engine) as session:
        (row,) = session.exec(select(Vacancy)).all()
        stored = promises_of(session=session, vacancy_id=row.id)
    assert (row.source, row.external_id, row.title) == (
        "generic",
        "WZ-2026-031",
        "Verpleegkundige wijkteam",
    )
    assert row.language == "nl" and row.score and "opleidingsbudget" in row.text
    assert {p.kind for p in stored} == {"promise", "obligation"}
    page = html.read_text(encoding="utf-8")
    assert "Verpleegkundige wijkteam" in page and "Leren bij ons" in page
    posting = json.loads(jsonld.read_text(encoding="utf-8"))
    assert posting["@type"] == "JobPosting" and posting["title"] == "Verpleegkundige wijkteam"

    again = run("publish", str(FIXTURES / "nl-complete.md"), "--out", str(out), "--lang", "en")
    assert again.exit_code == 0, again.output
    assert "How you learn here" in html.read_text(encoding="utf-8")
    with session_scope(app.engine) as session:
        assert len(session.exec(select(Vacancy)).all()) == 1
        assert len(promises_of(session=session, vacancy_id=row.id)) == len(stored)


def test_publish_needs_an_external_id(app, tmp_path):
    result = run("publish", str(FIXTURES / "en-remote.md"), "--out", str(tmp_path / "site"))
    assert result.exit_code == 2
    assert "external_id" in result.output
    assert not (tmp_path / "site").exists()


def test_publish_refuses_an_unpublishable_vacancy(app, tmp_path):
    result = run("publish", str(FIXTURES / "nl-no-salary.md"), "--out", str(tmp_path / "site"))
    assert result.exit_code == 2
    assert "salary" in result.output
    with session_scope(app.engine) as session:
        assert session.exec(select(Vacancy)).all() == []
