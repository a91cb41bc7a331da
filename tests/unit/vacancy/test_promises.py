"""Learning promises and publishability: what a vacancy may be rendered with."""

from __future__ import annotations

import pytest

from journeys.catalog import load_employer_profile
from journeys.vacancy import check_vacancy, parse_vacancy
from journeys.vacancy.promises import learning_obligations, learning_promises
from journeys.vacancy.publish import VacancyNotPublishable, ensure_publishable

TEXT = """\
## Wat bieden wij
- Een opleidingsbudget en intervisie.
- Een vaste buddy.
- Jaarlijks de verplichte bijscholing BHV.
"""


def test_promises_list_the_profile_offer_then_each_vacancy_sentence_once():
    check = check_vacancy(TEXT)
    promises = learning_promises(
        check=check, text=TEXT, profile=load_employer_profile(None), language="nl"
    )
    employer = [p.text for p in promises if p.source == "employer"]
    own = [(p.text, p.categories) for p in promises if p.source == "vacancy"]
    assert employer[0] == "Leerbudget van €\u00a01.500 per jaar"
    assert own == [
        ("Een opleidingsbudget en intervisie.", ("budget_time", "knowledge_sharing")),
        ("Een vaste buddy.", ("coaching",)),
    ]


def test_obligations_are_kept_apart_in_the_vacancy_words():
    check = check_vacancy(TEXT)
    assert learning_obligations(check=check, text=TEXT) == [
        "Jaarlijks de verplichte bijscholing BHV."
    ]


def test_a_promise_is_json_ready():
    check = check_vacancy("Wij bieden een buddy.")
    (promise,) = learning_promises(
        check=check, text="Wij bieden een buddy.", profile=None, language="en"
    )
    assert promise.as_dict() == {
        "category": "coaching",
        "label": "Coaching and mentoring",
        "text": "Wij bieden een buddy.",
        "source": "vacancy",
        "categories": ("coaching",),
    }


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("---\nlocation: {city: A, country: GB}\n---\nx", "title"),
        ("---\ntitle: T\nlocation: {city: A, country: NL}\n---\nx", "must state its pay"),
        ("---\ntitle: T\n---\nx", "say where the job is"),
    ],
)
def test_a_vacancy_that_cannot_be_published_says_why(source, problem):
    with pytest.raises(VacancyNotPublishable, match=problem):
        ensure_publishable(parse_vacancy(source, file="v.md"))


def test_a_remote_job_needs_no_location():
    ensure_publishable(parse_vacancy("---\ntitle: T\nremote: true\n---\nx", file="v.md"))
