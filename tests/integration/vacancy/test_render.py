"""Rendering a vacancy: an accessible HTML page, Markdown, and JobPosting JSON-LD."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from integrations.vacancy import render_vacancy
from journeys.catalog import load_employer_profile
from journeys.vacancy import parse_vacancy
from journeys.vacancy.publish import VacancyNotPublishable
from tests.integration.vacancy.htmlcheck import read_page

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vacancies" / "render"
TODAY = date(2026, 3, 20)


@pytest.fixture(scope="module")
def profile():
    return load_employer_profile(None)


def render(name: str, profile, **options) -> str:
    path = FIXTURES / name
    vacancy = parse_vacancy(path.read_text(encoding="utf-8"), file=str(path))
    return render_vacancy(vacancy, profile=profile, today=TODAY, **options)


def jsonld_of(html: str) -> dict:
    (script,) = [text for attrs, text in read_page(html).scripts if attrs.get("type")]
    return json.loads(script)


class TestHtmlPage:
    def test_the_page_is_complete_and_well_formed(self, profile):
        page = read_page(render("nl-complete.md", profile))
        assert page.doctype == "doctype html"
        assert page.lang == "nl"
        assert page.title == "Verpleegkundige wijkteam · Voorbeeld BV"
        assert [h for h in page.headings if h[0] == "h1"] == [("h1", "Verpleegkundige wijkteam")]
        assert {"main", "header", "footer", "dl"} <= set(page.tags)
        assert "content" in page.ids and "learning" in page.ids

    def test_headings_never_skip_a_level(self, profile):
        levels = [int(tag[1]) for tag, _ in read_page(render("nl-complete.md", profile)).headings]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))

    def test_the_learning_section_joins_the_profile_and_the_vacancy(self, profile):
        html = render("nl-complete.md", profile)
        page = read_page(html)
        assert ("h2", "Leren bij ons") in page.headings
        items = page.learning_items
        assert "Budget en tijd om te leren: Leerbudget van € 1.500 per jaar" in items
        assert "Een persoonlijk opleidingsbudget van € 1.200 per jaar" in items
        assert "Je houdt je BIG-registratie bij via onze verplichte scholingen" in items

    def test_the_vacancy_text_is_rendered_from_markdown(self, profile):
        page = read_page(render("nl-complete.md", profile))
        assert ("h3", "Wat bieden wij") in page.headings
        assert "ul" in page.tags

    def test_facts_are_written_for_people(self, profile):
        html = render("nl-complete.md", profile)
        assert "€\u00a03.400 – €\u00a04.900 per maand" in html
        assert "28 uur per week" in html and "15 april 2026" in html

    def test_english_page_language_for_a_dutch_text(self, profile):
        html = render("nl-complete.md", profile, lang="en")
        page = read_page(html)
        assert page.lang == "en"
        assert ("h2", "How you learn here") in page.headings
        assert '<div lang="nl">' in html


class TestEscaping:
    def test_script_in_title_and_text_is_shown_as_text(self, profile):
        html = render("xss.md", profile)
        page = read_page(html)
        assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/ld+json"]
        assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in html
        assert "&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;" in html
        assert "<img" not in html
        assert not any(href.startswith("javascript:") for href in page.hrefs)

    def test_the_json_ld_cannot_close_its_script_element(self, profile):
        html = render("xss.md", profile)
        (script,) = [text for attrs, text in read_page(html).scripts]
        assert "</" not in script and "<!--" not in script
        data = json.loads(script)
        assert data["title"] == 'Engineer <script>alert("title")</script>'


class TestJsonLd:
    def test_required_and_recommended_properties_with_their_types(self, profile):
        data = json.loads(render("nl-complete.md", profile, fmt="jsonld"))
        assert data["@context"] == "https://schema.org" and data["@type"] == "JobPosting"
        assert data["title"] == "Verpleegkundige wijkteam"
        assert "<li>Een vaste buddy in je eerste maanden</li>" in data["description"]
        assert data["datePosted"] == "2026-03-02"
        assert data["validThrough"] == "2026-04-15"
        assert data["employmentType"] == "PART_TIME"
        assert data["hiringOrganization"] == {
            "@type": "Organization",
            "name": "Voorbeeld BV",
            "sameAs": "https://www.voorbeeld.example",
            "url": "https://www.voorbeeld.example",
        }
        assert data["jobLocation"] == {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Zwolle",
                "addressRegion": "Overijssel",
                "addressCountry": "NL",
            },
        }
        assert data["baseSalary"] == {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {
                "@type": "QuantitativeValue",
                "unitText": "MONTH",
                "minValue": 3400,
                "maxValue": 4900,
            },
        }
        assert data["identifier"] == {
            "@type": "PropertyValue",
            "name": "Voorbeeld BV",
            "value": "WZ-2026-031",
        }
        assert "Leerbudget van €\u00a01.500 per jaar." in data["jobBenefits"]
        assert "Elke maand intervisie met collega's." in data["jobBenefits"]

    def test_a_remote_job_is_telecommute_with_a_country(self, profile):
        data = json.loads(render("en-remote.md", profile, fmt="jsonld"))
        assert data["jobLocationType"] == "TELECOMMUTE"
        assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "NL"}
        assert "jobLocation" not in data
        assert data["employmentType"] == ["FULL_TIME", "CONTRACTOR"]

    def test_date_posted_defaults_to_today(self, profile):
        data = json.loads(render("xss.md", profile, fmt="jsonld"))
        assert data["datePosted"] == TODAY.isoformat()

    def test_the_page_embeds_the_same_json_ld(self, profile):
        html_data = jsonld_of(render("nl-complete.md", profile))
        assert html_data == json.loads(render("nl-complete.md", profile, fmt="jsonld"))


class TestRefusals:
    def test_a_dutch_vacancy_without_salary_is_refused(self, profile):
        with pytest.raises(VacancyNotPublishable, match="must state its pay"):
            render("nl-no-salary.md", profile)

    def test_a_vacancy_without_title_is_refused(self, profile):
        with pytest.raises(VacancyNotPublishable, match="title"):
            render("no-title.md", profile, fmt="md")


class TestMarkdown:
    @pytest.mark.parametrize(
        ("name", "heading"),
        [("nl-complete.md", "## Leren bij ons"), ("en-remote.md", "## How you learn here")],
    )
    def test_markdown_has_the_title_text_and_learning_section(self, profile, name, heading):
        text = render(name, profile, fmt="md")
        assert text.startswith("# ")
        assert heading in text
        assert "None" not in text
        assert not re.search(r"^# ", text[2:], re.MULTILINE), "only the title is a level-1 heading"

    def test_a_sparse_vacancy_renders_in_both_languages(self, profile, tmp_path):
        path = tmp_path / "sparse.md"
        path.write_text("---\ntitle: T\nremote: true\n---\nJust text.\n", encoding="utf-8")
        vacancy = parse_vacancy(path.read_text(encoding="utf-8"), file=str(path))
        for lang in ("nl", "en"):
            for fmt in ("html", "md"):
                out = render_vacancy(vacancy, profile=profile, fmt=fmt, lang=lang, today=TODAY)
                assert "None" not in out
