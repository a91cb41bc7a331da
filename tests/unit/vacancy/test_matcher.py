"""The matcher: whole words, inflections, compounds, exclusions, offsets that hit the evidence."""

from __future__ import annotations

import pytest

from journeys.vacancy import find_learning


def categories(text: str, language: str) -> set[str]:
    return {f.category for f in find_learning(text, language=language)}


class TestOffsets:
    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("## Wat bieden wij\n- Een opleidingsbudget van € 1.500\n- Elke week intervisie", "nl"),
            ("What we offer\n- A mentor and a yearly learning budget\n- Tech talks", "en"),
            ("Je behaalt binnen 6 maanden je VCA-certificaat. Wij betalen de cursus.", "nl"),
        ],
    )
    def test_every_finding_points_at_its_evidence(self, text, language):
        found = find_learning(text, language=language)
        assert found
        for finding in found:
            assert text[finding.start : finding.end] == finding.evidence

    def test_offsets_count_from_the_start_of_the_text(self):
        text = "Intro.\n\nWe offer a mentor."
        (finding,) = find_learning(text, language="en")
        assert (finding.category, finding.start) == ("coaching", text.index("mentor"))

    def test_findings_come_in_text_order(self):
        found = find_learning("Een buddy. Een opleidingsbudget. Intervisie.", language="nl")
        assert [f.start for f in found] == sorted(f.start for f in found)


class TestWordBoundaries:
    @pytest.mark.parametrize(
        "text",
        [
            "Your responsibilities include planning.",
            "Coachella tickets for everyone.",
            "Support Worker – Learning Disabilities.",
            "Software development and business development across Europe.",
            "We share an office with a design studio.",
            "You manage the department budget of two million euros.",
        ],
    )
    def test_english_lookalikes_are_not_matches(self, text):
        assert categories(text, "en") == set()

    @pytest.mark.parametrize(
        "text",
        [
            "Je werkt aan gebiedsontwikkeling en productontwikkeling.",
            "Je bent verantwoordelijk voor het budget van de afdeling.",
            "Reiskosten worden vergoed.",
            "Je combineert het werk met je studie.",
        ],
    )
    def test_dutch_lookalikes_are_not_matches(self, text):
        assert categories(text, "nl") == set()


class TestInflectionsAndCompounds:
    @pytest.mark.parametrize(
        ("text", "category"),
        [
            ("Wij bieden een opleidingsbudget.", "budget_time"),
            ("Wij bieden een ontwikkelbudget.", "budget_time"),
            ("Wij bieden een leerbudget.", "budget_time"),
            ("Wij bieden jaarlijks vijf studiedagen.", "budget_time"),
            ("Ruime opleidingsmogelijkheden.", "learning_environment"),
            ("Ruime opleidings- en ontwikkelmogelijkheden.", "learning_environment"),
            ("Een persoonlijk ontwikkelplan.", "personal_plan"),
            ("Je stelt leerdoelen op.", "personal_plan"),
            ("Een vaste loopbaancoach.", "coaching"),
            ("Een inwerkbuddy en een koppelmaatje.", "coaching"),
            ("Maandelijkse kennissessies.", "knowledge_sharing"),
            ("Tweewekelijkse intervisie.", "knowledge_sharing"),
            ("Een open feedbackcultuur.", "leader_example"),
        ],
    )
    def test_dutch_compounds(self, text, category):
        assert category in categories(text, "nl")

    @pytest.mark.parametrize(
        ("text", "category"),
        [
            ("We offer mentoring.", "coaching"),
            ("Two mentors guide new starters.", "coaching"),
            ("Weekly coaching sessions.", "coaching"),
            ("A personal development plan.", "personal_plan"),
            ("Paid study leave.", "budget_time"),
            ("Access to online courses.", "learning_environment"),
            ("Engineers share knowledge in guilds.", "knowledge_sharing"),
        ],
    )
    def test_english_inflections(self, text, category):
        assert category in categories(text, "en")

    def test_a_compound_is_one_piece_of_evidence(self):
        (finding,) = find_learning("Wij bieden een opleidingsbudget.", language="nl")
        assert finding.evidence == "opleidingsbudget"


class TestObligations:
    @pytest.mark.parametrize(
        "text",
        [
            "Je behaalt binnen 6 maanden je VCA-certificaat.",
            "Jaarlijks volg je de verplichte bijscholing BHV.",
            "Wat wij bieden\n- Je houdt je BIG-registratie bij via onze scholingen.",
            "De training agressiehantering is verplicht voor alle nieuwe medewerkers.",
        ],
    )
    def test_dutch_obligations_after_hiring(self, text):
        assert "obligations" in categories(text, "nl")

    @pytest.mark.parametrize(
        "text",
        [
            "All staff complete mandatory annual compliance training.",
            "You must obtain your SIA licence within three months.",
            "What we offer\n- You keep your BIG registration up to date with our courses.",
        ],
    )
    def test_english_obligations_after_hiring(self, text):
        assert "obligations" in categories(text, "en")

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("Een hbo-diploma is vereist.", "nl"),
            ("Wat vragen wij\n- Hbo-diploma verplicht\n- VCA is verplicht", "nl"),
            ("Je bent in het bezit van een BHV-certificaat.", "nl"),
            ("You have a bachelor's degree.", "en"),
            ("A bachelor's degree is required.", "en"),
            ("Requirements\n- Valid forklift certificate (mandatory)", "en"),
        ],
    )
    def test_a_degree_or_certificate_needed_to_apply_is_not_an_obligation(self, text, language):
        assert "obligations" not in categories(text, language)

    def test_a_mandatory_course_is_not_also_a_learning_environment(self):
        found = categories("Wat bieden wij\n- De verplichte scholingen volg je bij ons.", "nl")
        assert "obligations" in found
        assert "learning_environment" not in found


class TestOtherExclusions:
    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("Je begeleidt cliënten bij hun dagelijkse bezigheden.", "nl"),
            ("Je bent mentor van een tweede klas.", "nl"),
            ("You coach your team and develop talent.", "en"),
            ("Handle customer feedback and support tickets.", "en"),
            ("You deliver training to customers.", "en"),
            ("We train machine learning models on training data.", "en"),
        ],
    )
    def test_duties_towards_others_are_not_offers(self, text, language):
        assert categories(text, language) == set()

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("Wat vragen wij\n- Je bent leergierig en staat open voor feedback", "nl"),
            ("Requirements\n- You are comfortable mentoring other engineers", "en"),
            ("Requirements\n- Experience with coaching teams", "en"),
        ],
    )
    def test_candidate_traits_in_the_requirements_are_not_offers(self, text, language):
        assert categories(text, language) == set()

    def test_the_same_words_count_in_the_offer(self):
        text = "Wat vragen wij\n- Ervaring met coaching\n\nWat bieden wij\n- Een coach"
        (finding,) = find_learning(text, language="nl")
        assert (finding.category, finding.start) == ("coaching", text.rindex("coach"))


class TestNegation:
    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("Wat bieden wij\n- Helaas geen opleidingsbudget", "nl"),
            ("What we offer\n- There is no training budget", "en"),
            ("We offer a good salary, without a mentor or coach.", "en"),
        ],
    )
    def test_a_denied_offer_does_not_count(self, text, language):
        assert categories(text, language) == set()

    def test_not_only_is_no_negation(self):
        text = "What we offer\n- Not only a learning budget but also a mentor"
        assert categories(text, "en") == {"budget_time", "coaching"}


class TestBorrowedEnglish:
    def test_dutch_texts_count_english_phrases(self):
        text = "Wat bieden wij\n- Elke vrijdag een lunch & learn met het hele team"
        assert "knowledge_sharing" in categories(text, "nl")

    def test_single_english_words_in_dutch_are_judged_by_the_dutch_rules(self):
        assert categories("Je bent mentor van een tweede klas.", "nl") == set()


class TestMandatoryTraining:
    def test_a_mandatory_training_alone_is_an_obligation_only(self):
        text = (
            "We offer\n- Food hygiene Level 2 training, which all kitchen staff must complete"
            " in their first month"
        )
        assert categories(text, "en") == {"obligations"}

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            (
                "We offer\n- Safety training, which all staff must complete in their first week;"
                " we run it in-house",
                "en",
            ),
            ("Wat bieden wij\n- Binnen een jaar haal je je VCA; wij regelen de opleiding", "nl"),
        ],
    )
    def test_a_mandatory_training_the_employer_gives_is_also_on_offer(self, text, language):
        assert {"obligations", "learning_environment"} <= categories(text, language)

    def test_we_hold_a_session_is_not_a_prerequisite(self):
        text = "We\n- Hold a monthly cupping where the whole team tastes and discusses coffees"
        assert categories(text, "en") == {"knowledge_sharing"}


class TestSections:
    def test_a_heading_promises_nothing(self):
        text = "Training requirements\n- A valid forklift licence, required to apply"
        assert categories(text, "en") == set()

    @pytest.mark.parametrize(
        ("text", "language"),
        [
            ("Mandatory\n- You'll refresh your high-voltage safety training every two years", "en"),
            ("Verplichtingen\n- De BHV-training herhaal je elk jaar", "nl"),
        ],
    )
    def test_a_training_under_a_mandatory_heading_is_an_obligation(self, text, language):
        assert categories(text, language) == {"obligations"}

    def test_leaders_sharing_their_mistakes_is_leader_example_not_knowledge_sharing(self):
        text = "What we offer\n- Our site leadership openly shares lessons from their own mistakes"
        assert categories(text, "en") == {"leader_example"}

    def test_a_bookkeeping_duty_is_no_obligation(self):
        text = "Wat ga je doen?\nJe houdt de gewasregistratie bij op de tablet."
        assert categories(text, "nl") == set()


class TestMoreWording:
    def test_an_offer_denied_after_the_fact_does_not_count(self):
        text = "Wat bieden wij\n- Een vast opleidingsbudget hebben we niet. Wel een eigen academie."
        assert categories(text, "nl") == {"learning_environment"}

    def test_a_pay_band_is_not_a_learning_budget_but_a_reward(self):
        text = (
            "Benefits\n- Every module you complete earns you an internal qualification and moves"
            " you up a pay band"
        )
        assert "budget_time" not in categories(text, "en")
        assert "recognition" in categories(text, "en")

    def test_you_guide_an_intern_is_a_duty(self):
        text = "Wat bieden wij\n- Daarnaast begeleid je af en toe een stagiair"
        assert "coaching" not in categories(text, "nl")

    @pytest.mark.parametrize(
        ("text", "language", "category"),
        [
            ("Perks\n- Our post-mortems are blameless", "en", "leader_example"),
            ("Perks\n- Every other Friday is Show & Tell for the whole studio", "en",
             "knowledge_sharing"),
            ("Wat bieden wij\n- Wie wil, groeit door naar allround operator", "nl",
             "learning_value"),
            ("Dit krijg je\n- De oprichters vertellen zelf als eerste wat er misging", "nl",
             "leader_example"),
        ],
    )  # fmt: skip
    def test_indirect_wording(self, text, language, category):
        assert category in categories(text, language)


class TestIdioms:
    @pytest.mark.parametrize(
        ("text", "language", "category"),
        [
            ("What you get\n- Our senior editors take assistants under their wing", "en",
             "coaching"),
            ("The good stuff\n- We'd always rather promote someone we know than hire from outside",
             "en", "learning_value"),
            ("Wat wij jou bieden\n- Er staat elk jaar een pot geld klaar voor je ontwikkeling",
             "nl", "budget_time"),
            ("Wat wij jou bieden\n- De wijkconsulenten leggen hun lastigste situaties aan elkaar"
             " voor", "nl", "knowledge_sharing"),
            ("Goed om te weten\n- Je legt binnen je eerste drie maanden de lasserskwalificatie af",
             "nl", "obligations"),
        ],
    )  # fmt: skip
    def test_idiomatic_offers(self, text, language, category):
        assert category in categories(text, language)

    def test_an_academy_award_is_no_academy(self):
        text = "We offer\n- One of our docs picked up an Academy Award nomination"
        assert "learning_environment" not in categories(text, "en")

    def test_a_founder_on_a_course_is_an_example_not_a_course_offer(self):
        text = "What you get\n- Our founder still books herself on grading courses every year"
        assert categories(text, "en") == {"leader_example"}
