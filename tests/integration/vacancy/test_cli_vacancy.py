"""`leerpad vacancy check | render` through click: output, JSON shape and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli_vacancy import vacancy
from journeys.catalog import DEFAULTS_DIR

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vacancies"
RICH = FIXTURES / "tuning" / "nl-zorg-wijkverpleegkundige.md"


@pytest.fixture(autouse=True)
def default_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the shipped employer profile whatever the environment says."""
    monkeypatch.setenv("LEERPAD_ORGANIZATION", str(DEFAULTS_DIR / "organization.yaml"))


def run(*args: str):
    return CliRunner().invoke(vacancy, list(args))


class TestCheck:
    def test_json_is_the_contract_plus_gender_coded(self):
        result = run("check", str(RICH), "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert list(data) == [
            "language",
            "score",
            "found",
            "missing",
            "suggestions",
            "gender_coded",
        ]
        assert data["language"] == "nl" and 0 <= data["score"] <= 100
        for finding in data["found"]:
            # the contract's four fields always; a model finding adds its source and confidence
            contract = {"category", "evidence", "start", "end"}
            assert contract <= set(finding)
            assert set(finding) - contract <= {"source", "confidence"}
        assert {"budget_time", "obligations"} <= {f["category"] for f in data["found"]}
        assert all(isinstance(s, str) for s in data["suggestions"])
        assert set(data["gender_coded"]) == {"leaning", "masculine", "feminine", "advice", "source"}

    def test_offsets_in_the_json_point_into_the_text_below_the_front_matter(self):
        data = json.loads(run("check", str(RICH), "--json").output)
        body = RICH.read_text(encoding="utf-8").split("---\n", 2)[2]
        for finding in data["found"]:
            assert body[finding["start"] : finding["end"]] == finding["evidence"]

    def test_the_terminal_report_shows_score_findings_and_advice(self):
        result = run("check", str(RICH))
        assert result.exit_code == 0, result.output
        for words in (
            "Score",
            "Gevonden",
            "opleidingsbudget",
            "Ontbreekt",
            "Suggesties",
            "Gendergecodeerde woorden",
            "stressbestendig",
        ):
            assert words in result.output

    def test_lang_overrides_detection(self):
        result = run("check", str(RICH), "--lang", "en", "--json")
        assert json.loads(result.output)["language"] == "en"

    def test_a_plain_text_file_works(self):
        path = FIXTURES / "tuning" / "en-hospitality-kitchen-porter.txt"
        result = run("check", str(path), "--json")
        assert result.exit_code == 0
        assert json.loads(result.output)["language"] == "en"

    def test_a_missing_file_exits_2_with_one_clear_line(self, tmp_path: Path):
        result = run("check", str(tmp_path / "nope.md"))
        assert result.exit_code == 2
        assert "no such file" in result.output

    def test_a_folder_exits_2(self, tmp_path: Path):
        assert run("check", str(tmp_path)).exit_code == 2

    def test_bad_front_matter_exits_2_naming_line_and_field(self, tmp_path: Path):
        path = tmp_path / "bad.md"
        path.write_text("---\ntitle: X\nsalary: {min: 5, max: 2}\n---\ntext", encoding="utf-8")
        result = run("check", str(path))
        assert result.exit_code == 2
        assert f"{path}:3: salary" in result.output

    def test_a_file_that_is_not_utf8_exits_2(self, tmp_path: Path):
        path = tmp_path / "latin1.txt"
        path.write_bytes("Wij bieden één buddy".encode("latin-1"))
        result = run("check", str(path))
        assert result.exit_code == 2 and "UTF-8" in result.output


class TestRender:
    def test_html_to_stdout(self):
        result = run("render", str(FIXTURES / "render" / "nl-complete.md"))
        assert result.exit_code == 0, result.output
        assert result.output.startswith("<!doctype html>")
        assert "Leren bij ons" in result.output

    def test_jsonld(self):
        result = run("render", str(FIXTURES / "render" / "en-remote.md"), "--format", "jsonld")
        assert result.exit_code == 0
        assert json.loads(result.output)["@type"] == "JobPosting"

    def test_markdown_in_english_to_a_file(self, tmp_path: Path):
        out = tmp_path / "v.md"
        result = run(
            "render",
            str(FIXTURES / "render" / "nl-complete.md"),
            "--format",
            "md",
            "--lang",
            "en",
            "--out",
            str(out),
        )
        assert result.exit_code == 0
        assert "## How you learn here" in out.read_text(encoding="utf-8")

    def test_a_dutch_vacancy_without_salary_exits_2(self):
        result = run("render", str(FIXTURES / "render" / "nl-no-salary.md"))
        assert result.exit_code == 2
        assert "must state its pay" in result.output

    def test_a_vacancy_without_title_exits_2(self):
        result = run("render", str(FIXTURES / "render" / "no-title.md"))
        assert result.exit_code == 2
        assert "title" in result.output

    def test_a_missing_file_exits_2(self, tmp_path: Path):
        assert run("render", str(tmp_path / "nope.md")).exit_code == 2

    def test_a_broken_employer_profile_exits_2(self, tmp_path: Path, monkeypatch):
        profile = tmp_path / "org.yaml"
        profile.write_text("name: X\ntimezone: Mars/Olympus\n", encoding="utf-8")
        monkeypatch.setenv("LEERPAD_ORGANIZATION", str(profile))
        result = run("render", str(FIXTURES / "render" / "nl-complete.md"))
        assert result.exit_code == 2 and "employer profile" in result.output


def test_help_imports_neither_prefect_nor_sqlalchemy():
    import subprocess
    import sys

    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom flows.cli_vacancy import vacancy\n"
        "for args in (['--help'], ['check', '--help'], ['render', '--help']):\n"
        "    assert CliRunner().invoke(vacancy, args).exit_code == 0\n"
        "print('prefect' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
