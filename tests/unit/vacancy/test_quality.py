"""The labelled vacancy texts: the check meets the target on the tuning part, and the held-out
part (blind texts, when there are any) guards against regressions (see
tests/fixtures/vacancies/LABELLING.md for the history).

Between blind parts `heldout/` is empty (a labels.yaml holding `{}` and no texts); the held-out
tests then check that state instead of skipping, and guard the next part as soon as it lands."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.vacancy_quality import FIXTURES, Result, evaluate

HELDOUT = FIXTURES / "heldout"
TUNING_TEXTS = 413  # v1-v10 and t1-t6 (LABELLING.md step 15)
HELDOUT_TEXTS = 48  # v11 + v12, written blind (LABELLING.md step 16)
HELDOUT_PRECISION = 0.9  # the target, met by v11 + v12 in their one run: 0.925 / 0.871
HELDOUT_RECALL = 0.85


@pytest.fixture(scope="module")
def tuning() -> Result:
    return evaluate("tuning")


@pytest.fixture(scope="module")
def heldout() -> Result:
    return evaluate("heldout")


def assert_heldout_is_empty_between_parts(tuning: Result) -> None:
    """The state between blind parts: `{}` labels, no texts, the folded parts in tuning/."""
    labels = HELDOUT / "labels.yaml"
    assert yaml.safe_load(labels.read_text(encoding="utf-8")) == {}, (
        "heldout/labels.yaml must hold `{}` when heldout/ has no labelled texts"
    )
    stray = sorted(p.name for p in Path(HELDOUT).iterdir() if p.name != "labels.yaml")
    assert stray == [], f"texts in heldout/ without labels: {stray}"
    assert tuning.texts >= TUNING_TEXTS


def test_there_are_enough_labelled_texts(tuning, heldout):
    assert tuning.texts >= TUNING_TEXTS
    if not heldout.texts:
        assert_heldout_is_empty_between_parts(tuning)
    else:
        assert heldout.texts >= HELDOUT_TEXTS


def test_the_tuning_part_meets_the_target(tuning):
    assert tuning.overall.precision >= 0.9
    assert tuning.overall.recall >= 0.85


def test_the_held_out_part_meets_the_target(tuning, heldout):
    # v9 + v10 (48 blind texts), rules and model: 0.870 / 0.789 in their first run, 0.877 / 0.845
    # after 180 more training texts, 0.882 / 0.839 after the rules' exclusions (LABELLING.md
    # 12-14); folded into tuning/ at step 15. v11 + v12 (48 blind texts, step 16): 0.925 / 0.871
    # in their one run. Between blind parts the same guard waits for the next one.
    if not heldout.texts:
        assert_heldout_is_empty_between_parts(tuning)
        return
    assert heldout.overall.precision >= HELDOUT_PRECISION
    assert heldout.overall.recall >= HELDOUT_RECALL


def test_languages_are_detected_on_every_tuning_text(tuning):
    assert tuning.languages_wrong == []


def test_languages_are_detected_on_every_held_out_text(tuning, heldout):
    if not heldout.texts:
        assert_heldout_is_empty_between_parts(tuning)
    assert heldout.languages_wrong == []
