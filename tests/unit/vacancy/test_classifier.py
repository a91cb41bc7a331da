"""The sentence classifier next to the rules: provenance and reproducibility of the shipped model,
the JSON it adds, and its behaviour on sentences it never saw (idioms, negation, requirement
lists, mandatory-only training)."""

from __future__ import annotations

import pytest

from bench.train_vacancy_model import RETRAIN, training_sha256
from bench.vacancy_quality import labelled_texts
from journeys.vacancy import check_vacancy, find_learning
from journeys.vacancy.classifier import SentenceModel, default_model, with_model
from journeys.vacancy.features import segments, stem
from journeys.vacancy.train import LabelledText, choose_thresholds, fit, folds, prepare


@pytest.fixture(scope="module")
def model() -> SentenceModel:
    shipped = default_model()
    assert shipped is not None, f"no model file: retrain with `{RETRAIN}`"
    return shipped


def categories(text: str, lang: str) -> dict[str, str]:
    """Category -> source ("rules" or "model") of a check with the shipped model."""
    return {f.category: f.source for f in check_vacancy(text, lang=lang).found}  # type: ignore[arg-type]


class TestProvenance:
    def test_the_model_was_trained_on_the_current_tuning_texts(self, model):
        assert model.training_sha256 == training_sha256(), (
            f"tests/fixtures/vacancies/tuning changed since the model was trained: retrain with "
            f"`{RETRAIN}` and commit journeys/vacancy/vacancy_model.json.gz"
        )

    def test_retraining_reproduces_the_committed_weights(self, model):
        texts = [prepare(t) for t in labelled_texts("tuning")]
        assert fit(texts) == model.weights, f"retrain with `{RETRAIN}`"

    def test_training_is_deterministic_and_depends_on_the_texts(self):
        texts = [prepare(t) for t in labelled_texts("tuning")[:24]]
        first, again = fit(texts, epochs=2), fit(texts, epochs=2)
        assert first == again
        assert fit(texts[:12], epochs=2) != first

    def test_folds_are_stratified_by_language_and_cover_every_text_once(self):
        texts = labelled_texts("tuning")
        split = folds(texts, 5)
        assert sorted(i for fold in split for i in fold) == list(range(len(texts)))
        for fold in split:
            share = sum(texts[i].language == "nl" for i in fold) / len(fold)
            assert 0.3 < share < 0.7


class TestFindings:
    TEXT = (
        "Wat wij bieden\n"
        "- Een ervaren collega neemt je de eerste maanden mee op pad en is je vaste vraagbaak.\n"
    )

    def test_a_model_finding_is_its_whole_sentence_with_source_and_confidence(self, model):
        text = self.TEXT
        found = [f for f in check_vacancy(text, lang="nl").found if f.source == "model"]
        assert found, "the model should add coaching here"
        for finding in found:
            data = finding.as_dict()
            assert text[data["start"] : data["end"]] == data["evidence"]
            assert data["evidence"].startswith("Een ervaren collega")  # the bullet left out
            assert data["source"] == "model"
            assert model.thresholds[finding.category] <= data["confidence"] <= 1.0

    def test_rule_findings_keep_the_contract_fields_only(self):
        data = check_vacancy("Wij bieden een opleidingsbudget.", lang="nl").as_dict()
        assert data["found"]
        for finding in data["found"]:
            assert set(finding) == {"category", "evidence", "start", "end"}

    def test_without_the_model_the_check_is_the_rules_alone(self):
        text = self.TEXT
        rules = {f.category for f in find_learning(text, language="nl")}
        assert {f.category for f in check_vacancy(text, lang="nl", model=None).found} == rules

    def test_the_model_never_adds_what_the_rules_already_found(self, model):
        text = "Wat wij bieden\n- Een vaste buddy en een opleidingsbudget van € 1.500.\n"
        rules = find_learning(text, language="nl")
        added = [
            f
            for f in with_model(text, language="nl", rule_findings=rules, model=model)
            if f.source == "model"
        ]
        assert not {f.category for f in added} & {f.category for f in rules}


def known_miss(reason: str) -> pytest.MarkDecorator:
    """An idiom the shipped model does not reach yet (strict: passing it means update this)."""
    return pytest.mark.xfail(strict=True, reason=reason)


class TestIdioms:
    """Sentences written for this test, in wording the tuning texts do not use. Of the ten,
    the rules find none and the model adds six; the rest document what it does not reach yet
    (its chance for the right category is often the highest of the nine, but under the
    threshold cross-validation chose)."""

    @pytest.mark.parametrize(
        ("lang", "text", "category"),
        [
            pytest.param(
                "nl",
                "Wat wij bieden\n- Een ervaren collega neemt je de eerste maanden mee op pad en "
                "is je vaste vraagbaak.",
                "coaching",
                id="nl-coaching-vraagbaak",
            ),
            pytest.param(
                "en",
                "What we offer\n- Once you're settled in, a seasoned hand on the crew shows you "
                "the ropes and keeps an eye on how you're getting on.",
                "coaching",
                id="en-coaching-ropes",
                marks=known_miss("chance 0.09"),
            ),
            pytest.param(
                "en",
                "What we offer\n- Every Friday afternoon the whole workshop gathers round a bench "
                "to walk through whatever went wrong that week and what we learnt from it.",
                "knowledge_sharing",
                id="en-sharing-friday-bench",
            ),
            pytest.param(
                "en",
                "What we offer\n- Fancy getting your forklift ticket? We'll foot the bill and "
                "give you the day off to sit it.",
                "budget_time",
                id="en-budget-foot-the-bill",
                marks=known_miss("chance 0.42, threshold 0.65"),
            ),
            pytest.param(
                "en",
                "What we offer\n- Each spring you and your supervisor map out where you want to "
                "be in two years and what you'll need to get there.",
                "personal_plan",
                id="en-plan-map-out",
                marks=known_miss("chance 0.75, threshold 0.77 (found before step 15)"),
            ),
            pytest.param(
                "nl",
                "Wat wij bieden\n- Wil je een vakdiploma halen? De rekening is voor ons en je "
                "krijgt er werktijd voor.",
                "budget_time",
                id="nl-budget-rekening",
            ),
            pytest.param(
                "nl",
                "Wat wij bieden\n- Eens per kwartaal laten collega's elkaar zien waar ze mee bezig "
                "zijn en wat ze ervan opstaken.",
                "knowledge_sharing",
                id="nl-sharing-laten-zien",
            ),
            pytest.param(
                "nl",
                "Wat wij bieden\n- Samen met je leidinggevende zet je elk jaar op papier waar je "
                "naartoe wilt groeien.",
                "personal_plan",
                id="nl-plan-op-papier",
            ),
            pytest.param(
                "nl",
                "Wat wij bieden\n- Ook onze directeur zit af en toe gewoon weer in de "
                "schoolbanken.",
                "leader_example",
                id="nl-leader-schoolbanken",
                marks=known_miss("chance 0.75, threshold 0.95"),
            ),
            pytest.param(
                "nl",
                "Wat wij bieden\n- Bij ons sta je nooit stil: wie wil, kan hier alle kanten op.",
                "learning_value",
                id="nl-value-alle-kanten-op",
            ),
        ],
    )
    def test_an_idiom_the_rules_miss_is_found_by_the_model(self, lang, text, category):
        assert category not in {f.category for f in find_learning(text, language=lang)}
        assert categories(text, lang).get(category) == "model"


class TestTraps:
    @pytest.mark.parametrize(
        ("lang", "text"),
        [
            ("en", "What we offer\n- A training budget is something we don't have, sadly.\n"),
            ("nl", "Wat wij bieden\n- Een opleidingsbudget hebben we helaas niet.\n"),
            ("nl", "Wat wij bieden\n- Een opleidingsbudget? Dat kennen we hier niet.\n"),
            ("en", "What we offer\n- There is no training budget in this role.\n"),
        ],
    )
    def test_a_denied_budget_is_no_budget(self, lang, text):
        assert "budget_time" not in categories(text, lang)

    @pytest.mark.parametrize(
        ("lang", "text"),
        [
            (
                "nl",
                "Wat we vragen\n- Je hebt je VCA-diploma en een heftruckcertificaat.\n"
                "- Je bent leergierig en coachbaar.\n",
            ),
            (
                "en",
                "What we ask\n- You hold a valid first-aid certificate.\n"
                "- You are eager to learn and open to feedback.\n",
            ),
        ],
    )
    def test_a_requirements_list_offers_nothing(self, lang, text):
        assert categories(text, lang) == {}

    @pytest.mark.parametrize(
        ("lang", "text"),
        [
            (
                "en",
                "All staff must complete the mandatory food hygiene training within their "
                "first month.",
            ),
            ("nl", "Je volgt binnen drie maanden de verplichte BHV-training."),
        ],
    )
    def test_a_mandatory_training_alone_is_an_obligation_not_an_offer(self, lang, text):
        assert categories(text, lang) == {"obligations": "rules"}

    @pytest.mark.parametrize(
        ("lang", "text"),
        [
            ("en", "About us\nOur head chef recently finished a wine course in Bordeaux.\n"),
            ("nl", "Over ons\nJe geeft zelf de BHV-training aan nieuwe collega's.\n"),
            ("en", "About us\nWe run a youth football academy for local children on Saturdays.\n"),
        ],
    )
    def test_courses_for_others_and_sports_academies_offer_the_hire_nothing(self, lang, text):
        assert not set(categories(text, lang)) - {"obligations"}


class TestTrainingPieces:
    def test_stemming_strips_one_ending_and_keeps_short_words(self):
        assert stem("trainingen") == "train"
        assert stem("coaching") == "coach"
        assert stem("leer") == "leer"

    def test_segment_features_know_heading_section_negation_and_rule_hits(self):
        text = "Wat wij bieden\n- Geen opleidingsbudget, wel een buddy.\n"
        spans = [(f.category, f.start, f.end) for f in find_learning(text, language="nl")]
        (segment,) = segments(text, language="nl", rule_spans=spans)
        features = set(segment.features)
        assert {"sec:offer", "h:bied", "neg", "lang:nl", "r:coaching"} <= features
        assert {"c:<opl", "c:budg", "w:buddy"} <= features  # compounds get letter grams
        assert "c:budd" not in features  # short words do not

    def test_thresholds_keep_the_additions_precise_on_the_given_texts(self):
        def text(name: str, categories: set[str]):
            return prepare(LabelledText(name, "Wij bieden koffie.", "nl", frozenset(categories)))

        texts = [text("a", {"coaching"}), text("b", set()), text("c", {"coaching"})]
        chances = [{"coaching": 0.8}, {"coaching": 0.7}, {"coaching": 0.6}]
        thresholds = choose_thresholds(texts, chances, range(3))
        assert thresholds["coaching"] == 0.8  # 0.7 would add a wrong one
        assert thresholds["budget_time"] >= 0.9  # no evidence: stay out of the way


class TestReadersEvidence:
    """A labeller's quoted evidence makes its sentence a positive, even where no rule fires."""

    TEXT = (
        "Wat wij bieden\n- Ingrid, die alle klappen van de zweep kent, wijst je de weg.\n"
        "- Een fiets van de zaak.\n"
    )

    def labelled(self, evidence: dict[str, tuple[str, ...]]) -> LabelledText:
        return LabelledText("x.txt", self.TEXT, "nl", frozenset(evidence), evidence)

    def test_a_quote_marks_the_segment_it_sits_in_and_no_other(self):
        prepared = prepare(self.labelled({"coaching": ("wijst je de weg",)}))
        assert [("coaching" in m) for m in prepared.marked] == [True, False]
        assert not any("coaching" in f for f in prepared.flagged)  # the rules miss the idiom

    def test_the_marked_sentence_is_learnt_as_a_positive(self):
        quoted = prepare(self.labelled({"coaching": ("wijst je de weg",)}))
        negative = prepare(LabelledText("y.txt", "Wat wij bieden\n- Koffie.\n", "nl", frozenset()))
        weights = fit([quoted, negative], epochs=5)["coaching"]
        assert weights.get("w:zweep", 0.0) > 0  # a word only the quoted sentence has

    def test_a_quote_missing_from_the_text_names_file_and_category(self):
        with pytest.raises(ValueError, match=r"x\.txt: coaching evidence not in the text"):
            prepare(self.labelled({"coaching": ("een vaste buddy",)}))
