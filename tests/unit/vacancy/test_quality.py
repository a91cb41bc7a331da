"""The labelled vacancy texts: the rules meet the target on the tuning part, and the held-out
part guards against regressions (see tests/fixtures/vacancies/LABELLING.md for the history)."""

from __future__ import annotations

import pytest

from bench.vacancy_quality import evaluate


@pytest.fixture(scope="module")
def tuning():
    return evaluate("tuning")


@pytest.fixture(scope="module")
def heldout():
    return evaluate("heldout")


def test_there_are_enough_labelled_texts(tuning, heldout):
    assert tuning.texts + heldout.texts >= 36
    assert heldout.texts >= 20


def test_the_tuning_part_meets_the_target(tuning):
    assert tuning.overall.precision >= 0.9
    assert tuning.overall.recall >= 0.85


def test_the_held_out_part_does_not_regress(heldout):
    # v8's one run gave precision 0.852 and recall 0.657 (LABELLING.md): the rules must not do
    # worse on it. The targets (0.9 / 0.85) are not met on blind text; see BENCHMARKS.md.
    assert heldout.overall.precision >= 0.85
    assert heldout.overall.recall >= 0.65


def test_languages_are_detected_on_every_text(tuning, heldout):
    assert tuning.languages_wrong == heldout.languages_wrong == []
