"""Whatever a file holds, its parser answers with the project's own error, never a traceback.

CSV import (integrations/csv_hires.py), journey YAML (journeys/yamlsource.py + dsl.py), the
employer profile (journeys/profile.py), the vacancy file (front matter + text), the vacancy check
and the vacancy render (HTML with its JSON-LD script element).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from integrations.csv_hires import COLUMNS, CsvFileError, read_hires
from integrations.vacancy.render import render_vacancy
from journeys.catalog import DEFAULTS_DIR, load_employer_profile
from journeys.dsl import parse_journey
from journeys.errors import DefinitionError, DefinitionErrors
from journeys.events import Event
from journeys.profile import parse_profile
from journeys.vacancy.check import check_vacancy
from journeys.vacancy.document import parse_vacancy
from journeys.vacancy.publish import VacancyNotPublishable
from tests.security.conftest import HOSTILE, fuzz, hostile_text

NOW = datetime(2027, 1, 11, 8, 0, tzinfo=UTC)
PROFILE = load_employer_profile(None)
text = st.text(max_size=400)
scalars = (
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats() | st.text(max_size=30)
    | st.sampled_from(["", "09:00", "25:99", "P1D", "-3", "Europe/Amsterdam", "Mars/Olympus",
                       "2027-02-30", "new-hire", "email", "invite", "nl", "*", "~", "&a", "!!str"])
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def mutated(seed: Any) -> st.SearchStrategy[Any]:
    """A strategy keeping the seed's shape while dropping, retyping or replacing parts."""

    @st.composite
    def walk(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
        if draw(st.integers(0, 11)) == 0:
            return draw(values)
        if isinstance(value, dict) and depth < 7:
            return {
                k: draw(walk(v, depth + 1)) for k, v in value.items() if draw(st.integers(0, 9))
            }
        if isinstance(value, list) and depth < 7:
            return [draw(walk(v, depth + 1)) for v in value[:5]]
        return value

    return walk(seed)


def _check_errors(exc: DefinitionErrors, file: str) -> None:
    """Every error names the file and a field, and its line (when given) is a real line."""
    assert exc.errors, "at least one error"
    for error in exc.errors:
        assert isinstance(error, DefinitionError)
        assert error.file == file and error.field and error.message
        assert error.line is None or error.line >= 1
        assert str(error)


def _seed(name: str) -> Any:
    return yaml.safe_load((DEFAULTS_DIR / name).read_text(encoding="utf-8"))


class TestJourneyYaml:
    @fuzz(60)
    @given(source=text | st.sampled_from(HOSTILE))
    def test_any_text(self, source):
        try:
            parse_journey(source, file="j.yaml")
        except DefinitionErrors as exc:
            _check_errors(exc, "j.yaml")

    @fuzz(40)
    @given(
        data=st.sampled_from(["new-hire.yaml", "leader.yaml", "candidate.yaml"]).flatmap(
            lambda name: mutated(_seed(name))
        )
    )
    def test_mutated_default_journeys(self, data):
        try:
            parse_journey(yaml.safe_dump(data, allow_unicode=True), file="j.yaml")
        except DefinitionErrors as exc:
            _check_errors(exc, "j.yaml")

    def test_an_alias_bomb_is_refused_or_parsed_without_expanding(self):
        bomb = (
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + "key: *i\nsteps: *i\n"
        )
        try:
            parse_journey(bomb, file="bomb.yaml")
        except DefinitionErrors as exc:
            _check_errors(exc, "bomb.yaml")


class TestEmployerProfile:
    @fuzz(40)
    @given(source=text)
    def test_any_text(self, source):
        try:
            parse_profile(source, file="org.yaml")
        except DefinitionErrors as exc:
            _check_errors(exc, "org.yaml")

    @fuzz(60)
    @given(data=mutated(_seed("organization.yaml")))
    def test_mutated_default_profile(self, data):
        try:
            parse_profile(yaml.safe_dump(data, allow_unicode=True), file="org.yaml")
        except DefinitionErrors as exc:
            _check_errors(exc, "org.yaml")


csv_cells = st.sampled_from(
    ["", " ", "a@b.org", "@", "x@", "2027-03-01", "2027-02-30", "01/03/2027", "nl", "en", "de",
     "Europe/Amsterdam", "../../etc/passwd", "Mars/Base", "UTC", '"', "a,b", "a;b", "\x00", "\r"]
) | hostile_text  # fmt: skip


@st.composite
def csv_files(draw: st.DrawFn) -> str:
    """A CSV text: a header of known and unknown columns, then rows of awkward cells."""
    header = draw(st.lists(st.sampled_from(COLUMNS) | st.text(max_size=8), max_size=8))
    delimiter = draw(st.sampled_from([",", ";"]))
    rows = draw(st.lists(st.lists(csv_cells, max_size=len(header) + 2), max_size=5))
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)


class TestCsvImport:
    @fuzz(80)
    @given(source=csv_files() | text)
    def test_rows_are_events_or_errors_with_a_line(self, source):
        try:
            rows = list(read_hires(source, now=NOW))
        except CsvFileError as exc:
            assert "header" in str(exc) or "line" in str(exc)
            return
        for row in rows:
            assert row.line >= 1
            assert (row.event is None) != (row.error is None)
            if row.event is not None:
                assert Event.model_validate_json(row.event.to_json()) == row.event


front_matter = st.fixed_dictionaries(
    {},
    optional={
        "title": hostile_text, "department": hostile_text, "location": values, "remote": values,
        "employment_type": values, "hours_per_week": values, "salary": values,
        "date_posted": values, "valid_through": values, "language": values, "external_id": values,
        "unknown": values,
    },
)  # fmt: skip


@st.composite
def vacancy_files(draw: st.DrawFn) -> str:
    """A vacancy file: maybe a front matter block (sometimes broken), then text."""
    body = draw(text | st.sampled_from(HOSTILE))
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return body
    if kind == 1:
        return "---\n" + draw(text) + "\n---\n" + body
    if kind == 2:
        return "---\n" + draw(text)  # never closed
    meta = yaml.safe_dump(draw(front_matter), allow_unicode=True)
    return "---\n" + meta + "---\n" + body


class TestVacancyFile:
    @fuzz(60)
    @given(source=vacancy_files())
    def test_parse_and_check(self, source):
        try:
            vacancy = parse_vacancy(source, file="v.md")
        except DefinitionErrors as exc:
            _check_errors(exc, "v.md")
            return
        report = check_vacancy(vacancy, profile=PROFILE).as_dict()
        assert 0 <= report["score"] <= 100
        json.dumps(report)
        for found in report["found"]:
            assert vacancy.text[found["start"] : found["end"]] == found["evidence"]


class _Scripts(HTMLParser):
    """Collects every <script> element's type and text."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[str | None, str]] = []
        self._open: str | None | bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open = dict(attrs).get("type")
            self.scripts.append((self._open, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = False

    def handle_data(self, data: str) -> None:
        if self._open is not False:
            kind, seen = self.scripts[-1]
            self.scripts[-1] = (kind, seen + data)


class TestVacancyRender:
    @fuzz(40)
    @given(title=hostile_text, body=hostile_text, department=hostile_text)
    @example(title="</script><script>alert(1)</script>", body="<!-- </SCRIPT >", department="&")
    def test_html_has_one_json_ld_script_whose_title_round_trips(self, title, body, department):
        salary = {"min": 4000, "max": 5000, "currency": "EUR", "unit": "MONTH"}
        meta = {"title": title, "department": department, "language": "en",
                "location": {"city": "Utrecht", "country": "NL"}, "salary": salary}  # fmt: skip
        source = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
        try:
            vacancy = parse_vacancy(source, file="v.md")
            page = render_vacancy(vacancy, profile=PROFILE, fmt="html", today=date(2027, 1, 11))
        except (DefinitionErrors, VacancyNotPublishable):
            return
        parser = _Scripts()
        parser.feed(page)
        parser.close()
        assert [kind for kind, _ in parser.scripts] == ["application/ld+json"]
        posting = json.loads(parser.scripts[0][1])
        assert posting["title"] == vacancy.meta.title
        for fmt in ("md", "jsonld"):
            out = render_vacancy(vacancy, profile=PROFILE, fmt=fmt, today=date(2027, 1, 11))
            if fmt == "jsonld":
                assert json.loads(out)["title"] == vacancy.meta.title


def test_the_parsers_also_take_files(tmp_path: Path):
    """Undecodable bytes in a file are a clear error too (through the CLI, see test_cli_inputs)."""
    path = tmp_path / "x.yaml"
    path.write_bytes(b"key: \xff\xfe\x00")
    from journeys.dsl import load_journey

    try:
        load_journey(path)
    except DefinitionErrors as exc:
        _check_errors(exc, str(path))


YAML_TRAPS = [
    "a: 0000-01-01", "a: 2027-02-30", "a: 2027-01-01 25:00:00", "[a]: 1", "{a: 1}: 2",
    "? [a, b]\n: 1", "[" * 5000, "{a: " * 3000, "- " * 3000 + "x", "a: !!binary zz",
    "a: !!python/object/apply:os.system [echo]", "a: &x [*x]", "a: 1e999999", "\ufeffa: 1",
    "key: a\nkey: b", "\x00", "a: \"\\ud800\"",
]  # fmt: skip


@pytest.mark.parametrize("source", YAML_TRAPS)
def test_yaml_traps_are_definition_errors_in_every_yaml_parser(source):
    for parse in (lambda t: parse_journey(t, file="f.yaml"),
                  lambda t: parse_profile(t, file="f.yaml"),
                  lambda t: parse_vacancy("---\n" + t + "\n---\ntext", file="f.yaml")):  # fmt: skip
        try:
            parse(source)
        except DefinitionErrors as exc:
            _check_errors(exc, "f.yaml")
