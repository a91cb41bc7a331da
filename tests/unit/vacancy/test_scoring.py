"""Score, missing categories and suggestions drawn from the employer's learning offer."""

from __future__ import annotations

from journeys.catalog import load_employer_profile
from journeys.profile import EmployerProfile
from journeys.vacancy import CATEGORIES, WEIGHTS, check_vacancy
from journeys.vacancy.scoring import missing, score

RICH_NL = """\
## Wat bieden wij
- Bij ons staat leren centraal.
- Een persoonlijk ontwikkelplan en een vaste coach.
- Een open feedbackcultuur waarin ook de directie om feedback vraagt.
- Je ontvangt een certificaat voor elke afgeronde training.
- Een opleidingsbudget en studiedagen.
- Onze eigen Academie met trainingen.
- Maandelijkse kennissessies.
- Jaarlijks de verplichte bijscholing BHV.
"""


class TestScore:
    def test_weights_add_up_to_one_hundred_and_cover_every_category(self):
        assert sum(WEIGHTS.values()) == 100
        assert set(WEIGHTS) == set(CATEGORIES)

    def test_nothing_found_scores_zero(self):
        assert score([]) == 0
        assert missing([]) == list(CATEGORIES)

    def test_repeating_a_category_adds_nothing(self):
        assert score(["coaching", "coaching"]) == WEIGHTS["coaching"]

    def test_a_vacancy_with_everything_scores_one_hundred(self):
        report = check_vacancy(RICH_NL)
        assert report.missing == ()
        assert report.score == 100

    def test_a_poor_vacancy_scores_low_and_misses_most(self):
        report = check_vacancy("Wij bieden een goed salaris en een leuk team.")
        assert report.score == 0
        assert len(report.missing) == 9


class TestSuggestions:
    def test_suggestions_use_the_profile_in_dutch(self):
        profile = load_employer_profile(None)
        report = check_vacancy("Wij bieden een goed salaris.", profile=profile)
        text = "\n".join(report.suggestions)
        assert "Noem je leerbudget van €\u00a01.500 per jaar" in text
        assert "8 studie-uren per maand" in text
        assert "Voorbeeld Academy" in text
        assert "6 coachgesprekken van 45 minuten" in text
        assert "lunchsessie" in text

    def test_suggestions_follow_the_vacancy_language(self):
        profile = load_employer_profile(None)
        report = check_vacancy("We offer a good salary and a friendly team.", profile=profile)
        text = "\n".join(report.suggestions)
        assert "Mention your learning budget of €1,500 a year" in text
        assert "Point to Voorbeeld Academy" in text

    def test_one_suggestion_per_missing_category(self):
        report = check_vacancy("We offer a mentor.", profile=load_employer_profile(None))
        assert len(report.suggestions) == len(report.missing) == 8
        assert not any("coaching sessions" in s for s in report.suggestions)

    def test_without_a_profile_suggestions_are_generic(self):
        report = check_vacancy("Wij bieden een goed salaris.")
        assert any("tijd en budget" in s for s in report.suggestions)

    def test_a_profile_without_a_budget_falls_back_to_a_generic_hint(self):
        profile = EmployerProfile(name="Klein BV")
        report = check_vacancy("Wij bieden een goed salaris.", profile=profile)
        assert any("tijd en budget" in s for s in report.suggestions)
        assert any("Klein BV" in s for s in report.suggestions)


class TestReport:
    def test_the_json_has_the_contract_fields_and_gender_coded(self):
        data = check_vacancy("Wij bieden een buddy.").as_dict()
        assert list(data) == [
            "language",
            "score",
            "found",
            "missing",
            "suggestions",
            "gender_coded",
        ]
        assert data["found"] == [
            {"category": "coaching", "evidence": "buddy", "start": 15, "end": 20}
        ]
