"""The learning catalog: the starter catalog, YAML and CSV files, errors with lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from integrations.learning.catalog_files import load_catalog_file, parse_csv_catalog
from journeys.errors import DefinitionErrors
from journeys.learning.catalog import load_default_catalog, parse_catalog

CSV = (
    "id,title,url,minutes,language,platform,kind,roles,skills,levels,question_nl,question_en\n"
    "sql-1,SQL in een middag,https://example.org/sql,240,nl,Academy,course,"
    "data-engineer;data-analyst,sql,beginner;intermediate,Wat ga je morgen proberen?,"
    "What will you try tomorrow?\n"
    "buddy-coffee,Koffie met je buddy,,15,nl,Zelf doen,practice,all,teamwork,,,\n"
)


class TestStarterCatalog:
    def test_has_real_items_in_both_languages_for_several_roles(self):
        catalog = load_default_catalog()
        assert len(catalog.items) >= 30
        assert {i.language for i in catalog.items} == {"nl", "en"}
        roles = {r for i in catalog.items for r in i.roles}
        assert {"all", "data-engineer", "data-analyst", "software-engineer"} <= roles
        assert all(i.url is None or i.url.startswith("https://") for i in catalog.items)
        assert all(i.url for i in catalog.items if i.kind != "practice")

    def test_is_not_mistaken_for_a_journey(self):
        from journeys.catalog import load_catalog

        assert "catalog" not in load_catalog().journeys


class TestFiles:
    def test_csv_rows_become_items_with_tags_and_questions(self, tmp_path: Path):
        path = tmp_path / "catalog.csv"
        path.write_text(CSV, encoding="utf-8")
        catalog = load_catalog_file(path)
        sql = catalog.get("sql-1")
        assert sql is not None and sql.roles == ("data-engineer", "data-analyst")
        assert sql.levels == ("beginner", "intermediate") and sql.skills == ("sql",)
        assert sql.question is not None and sql.question.en == "What will you try tomorrow?"
        coffee = catalog.get("buddy-coffee")
        assert coffee is not None and coffee.url is None and coffee.levels == ()

    def test_a_bad_csv_row_names_its_line_and_field(self):
        bad = CSV + "x,Te kort,,0,de,Academy,course,all,,,,\n"
        with pytest.raises(DefinitionErrors) as caught:
            parse_csv_catalog(bad, file="c.csv")
        fields = {(e.line, e.field) for e in caught.value.errors}
        assert {(4, "minutes"), (4, "language")} <= fields

    def test_a_csv_without_a_header_is_refused(self):
        with pytest.raises(DefinitionErrors, match="header row"):
            parse_csv_catalog("sql-1,SQL\n", file="c.csv")

    def test_yaml_errors_name_the_line(self):
        text = "items:\n  - id: ok-item\n    title: Fine\n    minutes: 5\n    language: fr\n"
        with pytest.raises(DefinitionErrors) as caught:
            parse_catalog(text, file="c.yaml")
        errors = {(e.line, e.field) for e in caught.value.errors}
        assert (5, "items[0].language") in errors and (2, "items[0].platform") in errors

    def test_duplicate_ids_are_refused(self):
        item = "  - {id: a, title: Abc, minutes: 5, language: nl, platform: X}\n"
        with pytest.raises(DefinitionErrors, match="used twice"):
            parse_catalog("items:\n" + item + item, file="c.yaml")

    def test_no_file_means_the_starter_catalog(self):
        assert load_catalog_file(None) == load_default_catalog()
