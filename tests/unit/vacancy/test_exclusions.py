"""The rules' exclusions: learning words in sentences that offer the hire nothing.

Each case is a pattern that produced false findings on the tuning texts (sentences written for
this test, not copied from them), with a positive twin where one keeps the rule honest.
"""

from __future__ import annotations

import pytest

from journeys.vacancy import find_learning
from journeys.vacancy.exclusions import (
    denied_by_next,
    denied_in_clause,
    leader_learning,
    spent_from_budget,
)


def categories(text: str, language: str) -> set[str]:
    return {f.category for f in find_learning(text, language=language)}


class TestDeniedOffers:
    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "We're a small firm, so we can't offer a learning budget or paid courses."),
            ("en", "We don't run courses or pay for certificates here."),
            ("en", "What we offer\n- A training budget is something we don't have, sadly.\n"),
            ("nl", "Wat wij bieden\n- Een opleidingsbudget? Dat kennen we hier niet.\n"),
            ("nl", "Een opleidingsbudget hebben we niet, en cursussen zitten er niet in."),
            ("en", "What we offer\n- A learning budget? Not something we have, sorry.\n"),
        ],
    )
    def test_a_denied_offer_is_no_offer(self, language, text):
        assert categories(text, language) == set()

    @pytest.mark.parametrize(
        ("language", "text", "category"),
        [
            ("en", "We can't promise much, but we pay for courses you choose.", "budget_time"),
            ("nl", "We hebben geen kantoor, maar wel een opleidingsbudget.", "budget_time"),
            ("en", "What about a budget? We offer one: £1,000 for courses.", "budget_time"),
        ],
    )
    def test_a_denial_stops_at_its_clause(self, language, text, category):
        assert category in categories(text, language)

    def test_the_denial_scope_is_the_clause(self):
        assert denied_in_clause("we don't have a formal ")
        assert not denied_in_clause("we don't have an office, but we give you a ")

    def test_only_a_question_is_denied_by_the_next_sentence(self):
        assert denied_by_next("Een opleidingsbudget?", "Dat hebben we niet.")
        assert not denied_by_next("Een opleidingsbudget.", "Dat hebben we niet.")
        assert not denied_by_next("Een opleidingsbudget?", "Jazeker, € 1.000 per jaar.")


class TestLeadersOwnLearning:
    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "Our head of finance completed a leadership course at Cranfield last year."),
            ("en", "Our Operations Director took the same management programme in 2019."),
            ("nl", "Onze directeur rondde vorig jaar de opleiding Lean Six Sigma af."),
            ("nl", "Onze teamleider Anouk volgde in 2020 de leergang leidinggeven."),
        ],
    )
    def test_a_course_a_leader_took_is_not_on_offer(self, language, text):
        assert categories(text, language) == set()

    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "Our site manager still books himself onto the welding courses we run."),
            ("nl", "Onze teamleider zit zelf ook nog elk jaar in de schoolbanken voor een cursus."),
        ],
    )
    def test_a_leader_learning_now_is_the_leaders_example(self, language, text):
        assert categories(text, language) == {"leader_example"}

    def test_past_and_present(self):
        assert leader_learning("Our CEO completed an MBA in 2015.") == "past"
        assert leader_learning("Our CEO still takes a course every year.") == "now"
        assert leader_learning("We offer courses to every new starter.") is None


class TestTrainingForOthers:
    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "You'll also run workshops for PhD students on version control."),
            ("en", "About us\nWe run a youth football academy for local children.\n"),
            ("en", "Harbour Academy Trust runs eight schools across the county."),
            ("nl", "Je geeft twee keer per jaar een workshop privacyrecht aan onze verkopers."),
            ("nl", "Sportschool Fit heeft een Fit Academy: workshops voor leden over voeding."),
            ("nl", "Over ons\nJe geeft zelf de BHV-training aan nieuwe collega's.\n"),
        ],
    )
    def test_training_given_to_others_offers_the_hire_nothing(self, language, text):
        assert categories(text, language) == set()

    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "What we offer\n- Our Sales Academy, with workshops for every new starter\n"),
            ("nl", "Wat wij bieden\n- Onze eigen Academie met trainingen voor jou\n"),
        ],
    )
    def test_an_academy_for_staff_still_counts(self, language, text):
        assert "learning_environment" in categories(text, language)


class TestMandatoryAndRequirements:
    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "You'll complete a forklift course before operating alone."),
            ("en", "Within six months you'll complete the dysphagia training."),
            ("nl", "Binnen je eerste halfjaar rond je onze interne cursus brandveiligheid af."),
            ("nl", "Voor je zelfstandig mag werken, rond je de interne training monstername af."),
        ],
    )
    def test_a_mandatory_training_alone_is_an_obligation(self, language, text):
        assert categories(text, language) == {"obligations"}

    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "We'll get back to you within two working days."),
            ("en", "In your first month you'll sit down with your manager to plan the year."),
            ("nl", "Hij vertelt eerlijk wat hij zelf anders had moeten doen."),
            ("nl", "Voor elke module die je afrondt, verdien je punten."),
        ],
    )
    def test_a_deadline_that_is_no_training_is_no_obligation(self, language, text):
        assert "obligations" not in categories(text, language)

    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "- Experience mentoring junior engineers\n- Comfortable coaching others\n"),
            ("nl", "Je eerste week draai je mee, zodat je je collega's leert kennen."),
        ],
    )
    def test_traits_and_getting_to_know_people_are_no_offer(self, language, text):
        assert categories(text, language) == set()


class TestNamesAndIdioms:
    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "What we offer\n- Free parking (of course)\n"),
            ("en", "What we offer\n- We pick up the tab for course fees.\n"),
            ("en", "You'll be signed off by our Training Manager and training instructors."),
            ("en", "We put you forward for a City & Guilds qualification."),
        ],
    )
    def test_idioms_and_names_are_no_course(self, language, text):
        found = categories(text, language)
        assert "learning_environment" not in found
        assert "knowledge_sharing" not in found

    def test_a_career_development_plan_is_a_plan_not_a_value(self):
        found = categories("You'll write an individual career development plan.", "en")
        assert found == {"personal_plan"}


class TestBudgetLists:
    """Money or time to spend on learning is budget_time, also when it lists what it may be
    spent on; the courses in that list are no learning_environment (LABELLING.md, "What counts",
    step 15). Training the organisation itself provides still is."""

    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "Perks\n- £2,000 a year and four days for workshops, courses and books\n"),
            ("en", "What we offer\n- A learning allowance to spend on conferences or courses\n"),
            ("en", "Perks\n- Ten percent of your time for reading and courses of your choice\n"),
            ("nl", "Wat wij bieden\n- Een ontwikkelbudget van € 1.800 voor cursussen en boeken\n"),
            ("nl", "Wij bieden\n- € 500 per jaar om te besteden aan een training of congres\n"),
            ("nl", "Wat wij bieden\n- Wil je een cursus lassen volgen, dan betalen wij die.\n"),
        ],
    )
    def test_what_a_budget_may_buy_is_budget_only(self, language, text):
        found = categories(text, language)
        assert "learning_environment" not in found
        assert "budget_time" in found

    @pytest.mark.parametrize(
        ("language", "text"),
        [
            ("en", "What we offer\n- A €1,500 budget, and our Academy runs courses on sales\n"),
            ("en", "What we offer\n- Funding for your Level 3 Diploma in Adult Care\n"),
            ("nl", "Wij bieden\n- Een budget en toegang tot onze leeromgeving met trainingen\n"),
            ("nl", "Wat wij bieden\n- Op studiedagen volgt het hele team een training van ons\n"),
        ],
    )
    def test_training_the_organisation_provides_still_counts(self, language, text):
        assert "learning_environment" in categories(text, language)

    def test_the_list_must_follow_the_budget(self):
        sentence = "A €1,000 budget for courses and books"
        start = sentence.index("courses")
        assert spent_from_budget(sentence, start, start + len("courses"))
        sentence = "In-house courses and a €1,000 budget for books"
        start = sentence.index("courses")
        assert not spent_from_budget(sentence, start, start + len("courses"))
