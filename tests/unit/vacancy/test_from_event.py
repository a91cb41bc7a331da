"""A job ad from a `vacancy.published` event: HTML to text, and the vacancy file to store."""

from __future__ import annotations

from integrations.sources.html_text import html_to_text
from journeys.events import VacancyRef
from journeys.vacancy import parse_vacancy
from journeys.vacancy.from_event import vacancy_file


class TestHtmlToText:
    def test_keeps_headings_lists_and_paragraphs(self):
        html = (
            "<h2>Wat bieden wij</h2><ul><li>Een <b>opleidings</b>budget van &euro; 1.500</li>"
            "\n<li>Intervisie</li></ul><p>Solliciteer   nu.</p>"
        )
        assert html_to_text(html) == (
            "## Wat bieden wij\n- Een opleidingsbudget van € 1.500\n- Intervisie\n\nSolliciteer nu."
        )

    def test_drops_scripts_and_styles(self):
        text = html_to_text("<p>Hi</p><script>alert('x')</script><style>p{}</style>")
        assert text == "Hi"

    def test_no_text_is_none(self):
        assert html_to_text("") is None
        assert html_to_text("<p> </p>") is None
        assert html_to_text(None) is None


class TestVacancyFile:
    def test_no_description_gives_nothing_to_store(self):
        assert vacancy_file(VacancyRef(external_id="7", title="Monteur")) is None

    def test_front_matter_from_the_event_survives_awkward_titles(self):
        ref = VacancyRef(
            external_id="7", title="Monteur: elektro --- nacht", department="Service",
            description="Wij bieden een opleidingsbudget.",
        )  # fmt: skip
        parsed = parse_vacancy(vacancy_file(ref) or "")
        assert parsed.meta.title == "Monteur: elektro --- nacht"
        assert parsed.meta.department == "Service" and parsed.meta.external_id == "7"
        assert parsed.text.strip() == "Wij bieden een opleidingsbudget."

    def test_a_stored_vacancy_keeps_its_front_matter_and_gets_the_new_text(self):
        stored = (
            "---\ntitle: Monteur\nexternal_id: '7'\n"
            "salary: {min: 3000, max: 4000, currency: EUR, unit: MONTH}\n---\nOude tekst.\n"
        )
        ref = VacancyRef(external_id="7", title="Andere titel", description="Nieuwe tekst.")
        parsed = parse_vacancy(vacancy_file(ref, stored=stored) or "")
        assert parsed.meta.title == "Monteur" and parsed.meta.salary is not None
        assert parsed.text.strip() == "Nieuwe tekst."
