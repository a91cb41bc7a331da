"""Train the sentence classifier on labelled vacancy texts, and cross-validate it by text.

Labels are per text (language and the set of categories), so segment labels are derived:

- a segment of a text that has category C, in which the rules found C, is a positive for C;
- a segment that holds a reader's quoted evidence for C (labels.yaml `evidence:`, where a
  labeller gave it) is a positive for C, whether or not the rules found C there;
- every segment of a text without C is a negative for C;
- the other segments of a text with C are left out for C (the rules fit the tuning texts nearly
  perfectly, so an unflagged segment of a positive text is most likely about something else,
  but it may be the idiom the rules missed);
- a text with C in which the rules found no C at all (they missed its wording) gives one
  positive: after a first fit, its segment the model rates highest for C (multiple-instance
  learning), and the category is fitted again with it.

Each category gets a logistic regression trained by plain SGD with L2 decay, in a fixed order
drawn from a seeded generator: the same texts and seed give the same weights, bit for bit. The
rules' own hit for C ("r:C") takes part in training C and is zeroed afterwards: it soaks up what
the rules already explain, so the wording features learn the rest, and the shipped model judges
a sentence on its wording alone. (Leaving "r:C" out of training altogether was cross-validated
too: the same 5 right additions, 2 wrong ones more.) Hits of other categories stay features
("r:obligations" argues against a course offer).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from journeys.vacancy.classifier import SentenceModel, best_segments, score_segments
from journeys.vacancy.features import segments
from journeys.vacancy.language import Language
from journeys.vacancy.matcher import CATEGORIES, Finding, find_learning

SEED = 20261127
EPOCHS = 15
LEARNING_RATE = 1.0
L2 = 1e-3
MAX_POSITIVE_WEIGHT = 10.0
PRUNE_BELOW = 0.1  # weights closer to zero are dropped from the shipped file
THRESHOLD_FLOOR = 0.5  # the model never adds a category on a chance below this
TARGET_PRECISION = 0.9  # of the model's additions, on texts it was not trained on
FALLBACK_THRESHOLD = 0.9  # a category with no evidence in cross-validation


@dataclass(frozen=True)
class LabelledText:
    """One labelled vacancy text (the body below any front matter)."""

    name: str
    text: str
    language: Language
    categories: frozenset[str]
    evidence: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # category -> quotes


@dataclass(frozen=True)
class Prepared:
    """A labelled text with its rule findings and its segments' features."""

    item: LabelledText
    rules: tuple[Finding, ...]
    features: tuple[tuple[str, ...], ...]
    flagged: tuple[frozenset[str], ...]  # per segment: the categories the rules found in it
    marked: tuple[frozenset[str], ...] = ()  # per segment: categories a reader's quote marks

    @property
    def rule_categories(self) -> frozenset[str]:
        """The categories the rules found anywhere in the text."""
        return frozenset(f.category for f in self.rules)


def prepare(item: LabelledText) -> Prepared:
    """Run the rules on a text and describe its segments."""
    found = tuple(find_learning(item.text, language=item.language))
    spans = [(f.category, f.start, f.end) for f in found]
    parts = segments(item.text, language=item.language, rule_spans=spans)
    flagged = tuple(
        frozenset(c for c, start, _ in spans if p.sentence.start <= start < p.sentence.end)
        for p in parts
    )
    quoted = evidence_spans(item)
    marked = tuple(
        frozenset(c for c, a, b in quoted if a < p.sentence.end and p.sentence.start < b)
        for p in parts
    )
    return Prepared(item, found, tuple(p.features for p in parts), flagged, marked)


def evidence_spans(item: LabelledText) -> list[tuple[str, int, int]]:
    """(category, start, end) of each quoted evidence in the text; a quote must occur verbatim
    (a missing one is an error in labels.yaml, named with its file and category)."""
    out = []
    for category, quotes in item.evidence.items():
        if category not in CATEGORIES:
            raise ValueError(f"{item.name}: evidence for unknown category {category!r}")
        for quote in quotes:
            start = item.text.find(quote)
            if start < 0:
                raise ValueError(f"{item.name}: {category} evidence not in the text: {quote!r}")
            out.append((category, start, start + len(quote)))
    return out


def fingerprint(files: Iterable[tuple[str, bytes]]) -> str:
    """The sha256 of training files (name and bytes, in name order): the model's provenance."""
    digest = hashlib.sha256()
    for name, data in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def fit(
    texts: Sequence[Prepared], *, seed: int = SEED, epochs: int = EPOCHS
) -> dict[str, dict[str, float]]:
    """Per-category weights (pruned, rounded) learnt from the texts' segments."""
    vocabulary: dict[str, int] = {}
    rows: list[tuple[list[int], float, int, frozenset[str]]] = []
    for number, text in enumerate(texts):
        marked = text.marked or tuple(frozenset() for _ in text.flagged)
        for features, flagged, quoted in zip(text.features, text.flagged, marked, strict=True):
            ids = [vocabulary.setdefault(f, len(vocabulary)) for f in features]
            rows.append((ids, 1.0 / math.sqrt(len(ids)), number, flagged | quoted))
    names = sorted(vocabulary, key=vocabulary.__getitem__)
    out: dict[str, dict[str, float]] = {}
    for category in CATEGORIES:
        examples = _examples(rows, texts, category)
        weights = _sgd(examples, len(vocabulary), random.Random(f"{seed}:{category}"), epochs)
        if hidden := _hidden_positives(rows, texts, category, weights):
            examples += [(ids, value, 1.0, _positive_weight(examples)) for ids, value in hidden]
            rng = random.Random(f"{seed}:{category}:hidden")
            weights = _sgd(examples, len(vocabulary), rng, epochs)
        own = vocabulary.get(f"r:{category}")
        if own is not None:
            weights[own] = 0.0
        out[category] = {
            names[i]: round(w, 3) for i, w in enumerate(weights) if abs(w) >= PRUNE_BELOW
        }
    return out


def _positive_weight(examples: list[tuple[list[int], float, float, float]]) -> float:
    """The weight the examples give a positive."""
    return max((w for _, _, y, w in examples if y), default=1.0)


def _hidden_positives(
    rows: list[tuple[list[int], float, int, frozenset[str]]],
    texts: Sequence[Prepared],
    category: str,
    weights: list[float],
) -> list[tuple[list[int], float]]:
    """Per text with the category where the rules flagged no segment of it: the segment the
    first fit rates highest."""
    best: dict[int, tuple[float, list[int], float]] = {}
    flagged = {number for _, _, number, f in rows if category in f}
    for ids, value, number, _ in rows:
        if number in flagged or category not in texts[number].item.categories:
            continue
        z = value * sum(weights[i] for i in ids)
        if number not in best or z > best[number][0]:
            best[number] = (z, ids, value)
    return [(ids, value) for _, ids, value in (best[n] for n in sorted(best))]


def _examples(
    rows: list[tuple[list[int], float, int, frozenset[str]]],
    texts: Sequence[Prepared],
    category: str,
) -> list[tuple[list[int], float, float, float]]:
    """(feature ids, value, label, weight) for one category; positives weighed up to balance."""
    chosen: list[tuple[list[int], float, float]] = []
    for ids, value, number, flagged in rows:
        if category not in texts[number].item.categories:
            chosen.append((ids, value, 0.0))
        elif category in flagged:
            chosen.append((ids, value, 1.0))
    positives = sum(1 for *_, y in chosen if y) or 1
    negatives = len(chosen) - positives or 1
    up = min(MAX_POSITIVE_WEIGHT, math.sqrt(negatives / positives))
    return [(ids, value, y, up if y else 1.0) for ids, value, y in chosen]


def _sgd(
    examples: list[tuple[list[int], float, float, float]],
    size: int,
    rng: random.Random,
    epochs: int,
) -> list[float]:
    weights = [0.0] * size
    order = list(range(len(examples)))
    for epoch in range(epochs):
        rng.shuffle(order)
        rate = LEARNING_RATE / (1.0 + epoch)
        decay = 1.0 - rate * L2
        for index in order:
            ids, value, y, weight = examples[index]
            z = value * sum(weights[i] for i in ids)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            step = rate * weight * (p - y) * value
            for i in ids:
                weights[i] = weights[i] * decay - step
    return weights


def folds(texts: Sequence[LabelledText], k: int, *, seed: int = SEED) -> list[list[int]]:
    """Split text indices into k folds, stratified by language, in a seeded order."""
    rng = random.Random(seed)
    out: list[list[int]] = [[] for _ in range(k)]
    at = 0
    for language in sorted({t.language for t in texts}):
        members = sorted((i for i, t in enumerate(texts) if t.language == language),
                         key=lambda i: texts[i].name)  # fmt: skip
        rng.shuffle(members)
        for i in members:
            out[at % k].append(i)
            at += 1
    return [sorted(fold) for fold in out]


def best_chances(text: Prepared, model: SentenceModel) -> tuple[dict[str, float], dict[str, float]]:
    """The model's highest chance per category over a text's segments, and over the segments
    in which the rules found that category."""
    scored = score_segments(
        text.item.text, language=text.item.language, rule_findings=text.rules, model=model
    )
    flagged: dict[str, float] = {}
    for item, categories in zip(scored, text.flagged, strict=True):
        for c in categories:
            flagged[c] = max(flagged.get(c, 0.0), item.chances[c])
    return {c: s.chances[c] for c, s in best_segments(scored).items()}, flagged


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold chances per text (best segment; best rule-flagged segment), and the folds."""

    folds: list[list[int]]
    chances: list[dict[str, float]]
    flagged: list[dict[str, float]]


def cross_validate(
    texts: Sequence[Prepared],
    k: int = 5,
    *,
    seed: int = SEED,
    progress: Callable[[int], None] | None = None,
) -> CrossValidation:
    """Train on k-1 folds, score the left-out fold; every text is scored by a model that never
    saw it."""
    split = folds([t.item for t in texts], k, seed=seed)
    chances: list[dict[str, float]] = [{} for _ in texts]
    flagged: list[dict[str, float]] = [{} for _ in texts]
    for number, fold in enumerate(split):
        left_out = set(fold)
        train = [t for i, t in enumerate(texts) if i not in left_out]
        model = SentenceModel(fit(train, seed=seed), thresholds={})
        for i in fold:
            chances[i], flagged[i] = best_chances(texts[i], model)
        if progress:
            progress(number + 1)
    return CrossValidation(split, chances, flagged)


def choose_thresholds(
    texts: Sequence[Prepared],
    chances: Sequence[dict[str, float]],
    indices: Iterable[int],
    *,
    target: float = TARGET_PRECISION,
) -> dict[str, float]:
    """Per category, the lowest chance at which the model's additions (texts where the rules did
    not find the category) keep precision ≥ target on the given texts' out-of-fold chances.
    Without any right addition the threshold sits above every wrong one."""
    chosen = list(indices)
    out: dict[str, float] = {}
    for category in CATEGORIES:
        candidates = sorted(
            (
                (chances[i].get(category, 0.0), category in texts[i].item.categories)
                for i in chosen
                if category not in texts[i].rule_categories
            ),
            reverse=True,
        )
        threshold, tp, fp = None, 0, 0
        for chance, right in candidates:
            if chance < THRESHOLD_FLOOR:
                break
            tp, fp = tp + right, fp + (not right)
            if right and tp / (tp + fp) >= target:
                threshold = chance
        if threshold is None:
            wrong = [c for c, right in candidates if not right]
            threshold = max(FALLBACK_THRESHOLD, (max(wrong) + 0.01) if wrong else 0.0)
        out[category] = round(min(threshold, 0.999), 4)
    return out


VETO_CANDIDATES = (0.0, 0.005, 0.01, 0.02, 0.05, 0.1)


def choose_veto(
    texts: Sequence[Prepared], flagged: Sequence[dict[str, float]], indices: Iterable[int]
) -> float:
    """The chance below which the model overrules a rule finding (one for all categories; 0 for
    never): the highest candidate at which the vetoes dropped at least twice as many wrong
    rule findings as right ones on the given texts' out-of-fold chances."""
    chosen, best = list(indices), 0.0
    for veto in VETO_CANDIDATES[1:]:
        right = wrong = 0
        for i in chosen:
            for category, chance in flagged[i].items():
                if chance < veto:
                    if category in texts[i].item.categories:
                        right += 1
                    else:
                        wrong += 1
        if wrong and wrong >= 2 * right:
            best = veto
    return best


def train_model(
    texts: Sequence[Prepared], *, training_sha256: str, k: int = 5, seed: int = SEED
) -> tuple[SentenceModel, CrossValidation]:
    """The shipped model: weights from all texts, thresholds from k-fold out-of-fold chances."""
    validation = cross_validate(texts, k, seed=seed)
    thresholds = choose_thresholds(texts, validation.chances, range(len(texts)))
    veto = choose_veto(texts, validation.flagged, range(len(texts)))
    meta = {"seed": seed, "epochs": EPOCHS, "folds": k, "texts": len(texts)}
    model = SentenceModel(fit(texts, seed=seed), thresholds, training_sha256, meta, veto)
    return model, validation
