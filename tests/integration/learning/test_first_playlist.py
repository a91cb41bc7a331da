"""A new plan's playlist is assembled once per catalog and learner profile, and is the same."""

from __future__ import annotations

from journeys.learning.catalog import load_default_catalog
from journeys.learning.playlist import Learner, refresh_playlist
from models.learning_plans import first_playlist


def test_the_remembered_playlist_equals_a_fresh_one_and_cannot_be_changed_by_a_caller():
    catalog = load_default_catalog()
    nurse = Learner(title="Verpleegkundige", department="Zorg", locale="nl", promises=("coaching",))
    engineer = Learner(title="Data Engineer", department="Data", locale="en")
    for learner in (nurse, engineer, nurse):
        assert first_playlist(catalog, learner, 10) == refresh_playlist(
            catalog, learner, kept=[], size=10
        )
    picks = first_playlist(catalog, nurse, 10)
    picks.clear()
    assert len(first_playlist(catalog, nurse, 10)) == 10
    assert first_playlist(catalog, nurse, 3) == refresh_playlist(catalog, nurse, kept=[], size=3)


def test_another_catalog_object_gets_its_own_playlists():
    first, second = load_default_catalog(), load_default_catalog()
    learner = Learner(title="Data Engineer", department="Data", locale="en")
    assert first_playlist(first, learner, 10) == first_playlist(second, learner, 10)
    fresh = refresh_playlist(second, learner, kept=[], size=10)
    assert first_playlist(second, learner, 10) == fresh
