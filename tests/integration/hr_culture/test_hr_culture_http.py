"""GET /hr/vacancies and /hr/culture over real HTTP: sign-in required, aggregates only, nl/en."""

from __future__ import annotations

import pytest

from tests.integration.hr_culture.conftest import client, sign_in
from tests.integration.hr_culture.htmlread import outline
from tests.integration.hr_culture.seed import SECRETS

PAGES = ("/hr/vacancies", "/hr/culture", "/hr/vacancies/1/page")


@pytest.mark.parametrize("path", PAGES)
def test_without_signing_in_the_pages_send_you_to_sign_in(site, path):
    with client(site) as http:
        response = http.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/hr/login?next=/hr/")


def test_vacancies_are_listed_best_score_first_with_what_they_miss(site, seeded_db):
    with client(site, **{"accept-language": "en"}) as http:
        sign_in(http)
        response = http.get("/hr/vacancies")
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page = outline(response.text)
    rows = [a["id"] for tag, a in page.tags if tag == "tr" and (a.get("id") or "").startswith("v")]
    assert len(rows) == seeded_db[1].vacancies
    scores = [int(a["value"]) for tag, a in page.tags if tag == "meter"]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert "Budget and time for learning" in response.text  # a category, in English
    links = [a["href"] for tag, a in page.tags if tag == "a" and "/page" in (a.get("href") or "")]
    assert len(links) == seeded_db[1].vacancies


def test_a_vacancy_link_shows_its_published_page_or_why_it_cannot_be(site):
    with client(site) as http:
        sign_in(http)
        listing = outline(http.get("/hr/vacancies").text)
        links = [
            a["href"] for t, a in listing.tags if t == "a" and "/page" in (a.get("href") or "")
        ]
        assert len(links) == 3
        pages = [http.get(link) for link in links]
        missing = http.get("/hr/vacancies/999/page")
    dutch = [p for p in pages if "Leren bij ons" in p.text]  # the complete Dutch vacancy
    assert len(dutch) == 1
    best = dutch[0]
    assert best.status_code == 200
    assert best.headers["cache-control"] == "no-store"
    assert "JobPosting" in best.text and "Leren bij ons" in best.text
    # the plain-text vacancy has no title or location in its file: not publishable yet
    assert sorted(p.status_code for p in pages) == [200, 200, 422]
    untitled = next(p for p in pages if p.status_code == 422)
    assert "cannot be published yet" in untitled.text
    assert untitled.headers["content-type"].startswith("text/plain")
    assert missing.status_code == 404


def test_a_hostile_vacancy_title_is_shown_as_text(site):
    with client(site) as http:
        sign_in(http)
        html = http.get("/hr/vacancies").text
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;alert(" in html
    assert not outline(html).all("script")


def test_the_culture_page_has_eight_practices_with_charts_and_tables(site):
    with client(site, **{"accept-language": "en"}) as http:
        sign_in(http)
        response = http.get("/hr/culture")
    assert response.status_code == 200
    page = outline(response.text)
    sections = [a["id"] for t, a in page.tags if t == "section"]
    assert len(sections) == 8 and sections[0] == "practice-learning_value"
    svgs = [a for t, a in page.tags if t == "svg"]
    assert svgs and all(a["role"] == "img" and a["aria-labelledby"] for a in svgs)
    assert sum(1 for t, _ in page.tags if t == "title") >= len(svgs)  # each chart has a <title>
    assert sum(1 for t, _ in page.tags if t == "desc") == len(svgs)
    assert sum(1 for t, _ in page.tags if t == "table") >= len(svgs)  # and a table alternative
    ids = [a["id"] for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))  # aria-labelledby and the nav's anchors point at one element
    text = " ".join(page.text)
    assert "Leaders' reflection response rate" in text and "Other teams" in text
    assert "Finance" not in text and "Legal" not in text  # too small to stand alone


def test_the_culture_page_speaks_dutch_and_filters_by_team(site):
    with client(site, **{"accept-language": "nl"}) as http:
        sign_in(http)
        response = http.get("/hr/culture", params={"team": "Sales", "months": 6})
    assert response.status_code == 200
    text = " ".join(outline(response.text).text)
    assert "Leiders geven het voorbeeld" in text
    assert "Coachgesprekken gehouden, per maand (Sales)" in text
    assert "jan 2027 – jun 2027" in text


def test_an_unknown_team_shows_all_teams_and_months_are_bounded(site):
    with client(site) as http:
        sign_in(http)
        unknown = http.get("/hr/culture", params={"team": "Legal"})
        too_many = http.get("/hr/culture", params={"months": 100})
    assert unknown.status_code == 200 and "(Legal)" not in unknown.text
    assert too_many.status_code == 422


@pytest.mark.parametrize("path", ("/hr/vacancies", "/hr/culture"))
def test_no_name_or_address_appears(site, path):
    with client(site) as http:
        sign_in(http)
        html = http.get(path).text
    for secret in SECRETS:
        assert secret not in html
