"""Language detection by function words."""

from __future__ import annotations

from journeys.vacancy import check_vacancy, detect_language, parse_vacancy


def test_dutch_text():
    assert detect_language("Wij zoeken een collega die graag met mensen werkt.") == "nl"


def test_english_text():
    assert detect_language("We are looking for a colleague who enjoys working with people.") == "en"


def test_no_evidence_falls_back_to_the_default():
    assert detect_language("VCA BHV EHBO", default="en") == "en"


def test_the_front_matter_language_wins_over_detection():
    vacancy = parse_vacancy("---\nlanguage: en\n---\nWij bieden een buddy.", file="a.md")
    assert check_vacancy(vacancy).language == "en"


def test_an_explicit_language_wins_over_everything():
    vacancy = parse_vacancy("---\nlanguage: en\n---\nWij bieden een buddy.", file="a.md")
    assert check_vacancy(vacancy, lang="nl").language == "nl"
