"""`leerpad hires import`: good rows enrolled, bad rows named by line, re-import changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from flows.bootstrap import reset
from flows.cli import cli
from integrations.csv_hires import CsvFileError, read_hires
from models.db import make_engine, session_scope
from models.employment import Employment
from models.enrollment import Enrollment
from models.people import Person

NOW = datetime(2027, 1, 25, 12, 0, tzinfo=UTC)
CSV = """\
email;first_name;last_name;start_date;locale;timezone;title;department;manager_email;coach_email;personal_email;shoe_size
noor@example.org;Noor;Bakker;2027-03-01;nl;Europe/Amsterdam;Verpleegkundige;Zorg;boss@example.org;coach@example.org;noor@home.example;42
bad-email;X;Y;2027-03-01;nl;;;;;;;
li@example.org;Li;Wei;2027-04-01;en;Asia/Shanghai;Engineer;Tech;boss@example.org;;;
sam@example.org;Sam;;1 april;en;;;;;;;
"""


class TestReadHires:
    def test_rows_become_events_and_bad_rows_name_their_line(self):
        rows = list(read_hires(CSV, now=NOW))
        assert [(r.line, r.error is None) for r in rows] == [
            (2, True),
            (3, False),
            (4, True),
            (5, False),
        ]
        assert "email 'bad-email'" in rows[1].error
        assert "start_date '1 april' is not YYYY-MM-DD" in rows[3].error
        noor = rows[0].event
        assert noor.source == "csv" and noor.type == "employee.created"
        assert noor.person.personal_email == "noor@home.example"
        assert noor.employment.coach.email == "coach@example.org"
        assert (
            noor.person.last_name == "Bakker" and rows[2].event.person.timezone == "Asia/Shanghai"
        )

    def test_a_comma_separated_file_with_a_bom_reads_too(self):
        text = "email,start_date\nA@Example.org,2027-03-01\n"
        [row] = list(read_hires(text, now=NOW))
        assert row.event.person.email == "a@example.org"

    def test_a_missing_required_column_is_refused_for_the_whole_file(self):
        with pytest.raises(CsvFileError, match="missing: start_date"):
            list(read_hires("email,first_name\na@example.org,A\n", now=NOW))

    def test_the_same_row_gives_the_same_event_id(self):
        first = [r.event.id for r in read_hires(CSV, now=NOW) if r.event]
        again = [r.event.id for r in read_hires(CSV, now=NOW) if r.event]
        assert first == again


def test_import_enrols_good_rows_and_a_reimport_changes_nothing(tmp_path: Path, monkeypatch):
    db = tmp_path / "hires.db"
    monkeypatch.setenv("LEERPAD_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("LEERPAD_OUTBOX_DIR", str(tmp_path / "outbox"))
    reset()
    file = tmp_path / "hires.csv"
    file.write_text("\ufeff" + CSV, encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(cli, ["hires", "import", str(file), "--json"])
    second = runner.invoke(cli, ["hires", "import", str(file), "--json"])
    reset()
    assert first.exit_code == 2 and second.exit_code == 2
    assert "line 3" in first.stderr or '"line": 3' in first.stdout
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert (one["imported"], one["unchanged"]) == (2, 0)
    assert (two["imported"], two["unchanged"]) == (0, 2)
    assert [e["line"] for e in one["errors"]] == [3, 5]
    engine = make_engine(f"sqlite:///{db}")
    with session_scope(engine) as session:
        employments = session.exec(select(Employment)).all()
        enrollments = session.exec(select(Enrollment)).all()
        coach = session.get(Person, employments[0].coach_id)
    assert len(employments) == 2
    assert sorted(e.journey_key for e in enrollments) == [
        "leader",
        "leader",
        "new-hire",
        "new-hire",
    ]
    assert coach.email == "coach@example.org"
