"""Vacancy files: plain text or Markdown with YAML front matter; errors name file, line, field."""

from __future__ import annotations

from datetime import date

import pytest

from journeys.errors import DefinitionErrors
from journeys.vacancy import parse_vacancy

FULL = """\
---
title: Wijkverpleegkundige
department: Wijkzorg
location: {city: Deventer, region: Overijssel, country: nl}
remote: hybrid
employment_type: PART_TIME
hours_per_week: 28
salary: {min: 3400, max: 4900, currency: EUR, unit: MONTH}
date_posted: 2026-03-02
valid_through: 2026-04-15
language: nl
external_id: 31
---
De tekst.
"""


class TestParse:
    def test_plain_text_is_all_body(self):
        vacancy = parse_vacancy("Gewoon tekst.\n", file="a.txt")
        assert (vacancy.text, vacancy.meta.title, vacancy.body_line) == ("Gewoon tekst.\n", None, 1)

    def test_front_matter_fills_every_key(self):
        vacancy = parse_vacancy(FULL, file="a.md")
        meta = vacancy.meta
        assert meta.title == "Wijkverpleegkundige"
        assert meta.location.country == "NL"
        assert meta.remote == "hybrid"
        assert meta.salary.min == 3400 and meta.salary.unit == "MONTH"
        assert meta.date_posted == date(2026, 3, 2)
        assert meta.external_id == "31"
        assert vacancy.text == "De tekst.\n"
        assert vacancy.body_line == 14

    def test_remote_true_is_a_boolean(self):
        vacancy = parse_vacancy("---\nremote: true\n---\nx", file="a.md")
        assert vacancy.meta.remote is True

    def test_empty_front_matter_is_fine(self):
        assert parse_vacancy("---\n---\nText", file="a.md").text == "Text"


class TestErrors:
    def _errors(self, source: str) -> list[str]:
        with pytest.raises(DefinitionErrors) as caught:
            parse_vacancy(source, file="v.md")
        return [str(e) for e in caught.value.errors]

    def test_an_unknown_key_names_its_line(self):
        assert self._errors("---\ntitle: X\nsalry: 3\n---\nx") == [
            "v.md:3: salry: Extra inputs are not permitted"
        ]

    def test_a_nested_field_names_its_path_and_line(self):
        (error,) = self._errors("---\ntitle: X\nsalary:\n  min: 5\n  max: 2\n---\nx")
        assert error.startswith("v.md:3: salary:") and "max must not be below min" in error

    def test_a_wrong_unit_is_reported(self):
        (error,) = self._errors("---\nsalary: {min: 1, unit: FORTNIGHT}\n---\nx")
        assert error.startswith("v.md:2: salary.unit:")

    def test_an_unclosed_front_matter_is_reported_on_line_one(self):
        (error,) = self._errors("---\ntitle: X\nno end")
        assert error.startswith("v.md:1: (front matter):")

    def test_a_yaml_syntax_error_has_a_line(self):
        (error,) = self._errors("---\ntitle: [x\n---\nx")
        assert "(syntax)" in error and error.startswith("v.md:")

    def test_a_scalar_front_matter_is_reported(self):
        (error,) = self._errors("---\njust words\n---\nx")
        assert "(front matter)" in error
