"""The labelled vacancy texts: the check meets the target on the tuning part, and the held-out
part (blind texts, when there are any) guards against regressions (see
tests/fixtures/vacancies/LABELLING.md for the history)."""

from __future__ import annotations

import pytest

from bench.vacancy_quality import evaluate


@pytest.fixture(scope="module")
def tuning():
    return evaluate("tuning")


@pytest.fixture(scope="module")
def heldout():
    result = evaluate("heldout")
    if not result.texts:
        pytest.skip(
            "heldout/ has no labelled texts yet: v8 was folded into tuning/ (LABELLING.md step "
            "11); the next blind part is measured once when it arrives"
        )
    return result


def test_there_are_enough_labelled_texts(tuning, heldout):
    assert tuning.texts >= 365
    assert heldout.texts >= 48


def test_the_tuning_part_meets_the_target(tuning):
    assert tuning.overall.precision >= 0.9
    assert tuning.overall.recall >= 0.85


def test_the_held_out_part_does_not_regress(heldout):
    # v9 + v10 (48 blind texts), rules and model: 0.870 / 0.789 in their first run, 0.877 / 0.845
    # after 180 more training texts, 0.882 / 0.839 after the rules' exclusions (LABELLING.md 12-14).
    assert heldout.overall.precision >= 0.86
    assert heldout.overall.recall >= 0.83


def test_languages_are_detected_on_every_tuning_text(tuning):
    assert tuning.languages_wrong == []


def test_languages_are_detected_on_every_held_out_text(heldout):
    assert heldout.languages_wrong == []
