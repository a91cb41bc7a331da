"""Gender-coded wording: whole-word stems (Gaucher, Friesen & Kay 2011) and Dutch word lists."""

from __future__ import annotations

import pytest

from journeys.vacancy import gender_coding


def words(text: str, language: str = "en") -> tuple[list[str], list[str]]:
    coding = gender_coding(text, language=language)
    return [w.word for w in coding.masculine], [w.word for w in coding.feminine]


class TestEnglishStems:
    def test_responsibilities_is_not_respon(self):
        assert words("Your responsibilities include reporting.") == ([], [])

    def test_responsive_is_respon(self):
        assert words("A responsive team.") == ([], ["responsive"])

    @pytest.mark.parametrize("text", ["competent", "competence", "encourage", "analog"])
    def test_unrelated_words_that_share_a_prefix_do_not_count(self, text):
        assert words(f"We value {text} people.") == ([], [])

    def test_stems_match_their_inflections(self):
        masculine, _ = words("Competitive, ambitious, leadership and decisive analytical minds.")
        assert masculine == ["Competitive", "ambitious", "leadership", "decisive", "analytical"]

    def test_feminine_stems(self):
        _, feminine = words("A supportive, committed and empathetic team that works together.")
        assert feminine == ["supportive", "committed", "empathetic", "together"]

    def test_depending_on_and_kind_of_are_not_coded(self):
        assert words("Depending on the kind of project.") == ([], [])


class TestDutchWords:
    def test_masculine_and_feminine_words_with_inflections(self):
        masculine, feminine = words(
            "Je bent resultaatgericht, stressbestendig en een ambitieuze, assertieve collega "
            "die zorgvuldig, betrokken en communicatief is en graag samenwerkt.",
            "nl",
        )
        assert masculine == ["resultaatgericht", "stressbestendig", "ambitieuze", "assertieve"]
        assert feminine == ["zorgvuldig", "betrokken", "communicatief", "samenwerkt"]

    def test_zelfstandig_inside_a_compound_phrase_still_counts(self):
        masculine, _ = words("Zelfstandig werkend kok.", "nl")
        assert masculine == ["Zelfstandig"]


class TestAdvice:
    def test_a_masculine_leaning_text_gets_advice_in_its_language(self):
        coding = gender_coding("Je bent resultaatgericht en daadkrachtig.", language="nl")
        assert coding.leaning == "masculine"
        assert "resultaatgericht" in coding.advice and "mannelijk" in coding.advice

    def test_a_balanced_text_is_neutral(self):
        coding = gender_coding("An ambitious and supportive team.", language="en")
        assert coding.leaning == "neutral"

    def test_offsets_point_at_the_word(self):
        text = "We want decisive people."
        (word,) = gender_coding(text, language="en").masculine
        assert text[word.start : word.end] == "decisive"

    def test_the_json_section(self):
        data = gender_coding("Competitive pay.", language="en").as_dict()
        assert data["leaning"] == "masculine"
        assert data["masculine"][0] == {
            "word": "Competitive",
            "stem": "compet*",
            "start": 0,
            "end": 11,
        }
        assert "Gaucher" in data["source"]
