"""Precision and recall of the vacancy check, per category, on the labelled vacancy texts.

    python bench/vacancy_quality.py [--split tuning|heldout|all] [--errors] [--rules-only]
    python bench/vacancy_quality.py --cv 5

`tuning/` is what the rules were developed and the sentence model trained on; `heldout/` holds
blind texts that neither has seen (tests/fixtures/vacancies/LABELLING.md). `--cv K` splits the
tuning texts into K folds by text (stratified by language, fixed seed), trains the sentence model
on K-1 folds, picks its thresholds on the out-of-fold chances of those folds only, and scores the
left-out fold: rules only against rules + model, per category.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from journeys.vacancy import CATEGORIES, check_vacancy, parse_vacancy  # noqa: E402
from journeys.vacancy.train import (  # noqa: E402
    SEED,
    TARGET_PRECISION,
    CrossValidation,
    LabelledText,
    Prepared,
    choose_thresholds,
    choose_veto,
    cross_validate,
    prepare,
)

FIXTURES = ROOT / "tests" / "fixtures" / "vacancies"
SPLITS = ("tuning", "heldout")


@dataclass
class Counts:
    """True positives, false positives and false negatives of one category (or all)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of reported categories that were right (1.0 when nothing was reported)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of expected categories that were found (1.0 when nothing was expected)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Result:
    """Counts per category, overall (micro-averaged) and the mistakes per file."""

    per_category: dict[str, Counts] = field(
        default_factory=lambda: {c: Counts() for c in CATEGORIES}
    )
    overall: Counts = field(default_factory=Counts)
    languages_wrong: list[str] = field(default_factory=list)
    mistakes: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    texts: int = 0


def labels_of(split: str) -> dict[str, dict[str, object]]:
    """The labels of a split (an empty split has a labels.yaml holding `{}`)."""
    path = FIXTURES / split / "labels.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def labelled_texts(split: str) -> list[LabelledText]:
    """The labelled texts of a split, in name order, bodies below any front matter."""
    out = []
    for name, label in sorted(labels_of(split).items()):
        vacancy = parse_vacancy((FIXTURES / split / name).read_text(encoding="utf-8"), file=name)
        categories = frozenset(label["categories"])  # type: ignore[arg-type]
        evidence = {c: tuple(q) for c, q in (label.get("evidence") or {}).items()}  # type: ignore[union-attr]
        out.append(LabelledText(name, vacancy.text, label["language"], categories, evidence))  # type: ignore[arg-type]
    return out


def evaluate(split: str, *, rules_only: bool = False) -> Result:
    """Run the check on every labelled text of a split and count hits and misses."""
    folder = FIXTURES / split
    result = Result()
    for name, label in sorted(labels_of(split).items()):
        vacancy = parse_vacancy((folder / name).read_text(encoding="utf-8"), file=name)
        report = check_vacancy(vacancy, model=None if rules_only else "default")
        result.texts += 1
        if report.language != label["language"]:
            result.languages_wrong.append(name)
        evidence = {f.category: f.evidence for f in report.found}
        sources = {f.category: f.source for f in report.found}
        _count(result, name, set(label["categories"]), evidence, sources)  # type: ignore[arg-type]
    _total(result)
    return result


def _count(
    result: Result,
    name: str,
    expected: set[str],
    evidence: dict[str, str],
    sources: dict[str, str] | None = None,
) -> None:
    found = set(evidence)
    for category in CATEGORIES:
        counts = result.per_category[category]
        hit, said = category in expected, category in found
        counts.tp += hit and said
        counts.fp += said and not hit
        counts.fn += hit and not said
    by = sources or {}
    wrong = {
        "false": [
            f"{c}{' (model)' if by.get(c) == 'model' else ''}: {evidence[c]!r}"
            for c in sorted(found - expected)
        ],
        "missed": sorted(expected - found),
    }
    if wrong["false"] or wrong["missed"]:
        result.mistakes[name] = wrong


def _total(result: Result) -> None:
    for counts in result.per_category.values():
        result.overall.tp += counts.tp
        result.overall.fp += counts.fp
        result.overall.fn += counts.fn


@dataclass
class CrossValidated:
    """Rules only and rules + model on left-out folds, and the model alone's contribution."""

    rules: Result
    combined: Result
    folds: int
    thresholds: list[dict[str, float]]
    vetoes: list[float]


def cross_validated(
    k: int = 5,
    *,
    seed: int = SEED,
    progress: bool = False,
    prepared: list[Prepared] | None = None,
    validation: CrossValidation | None = None,
    target: float = TARGET_PRECISION,
) -> CrossValidated:
    """K-fold cross-validation by text on the tuning part (see the module docstring); reuses a
    `validation` already run on the `prepared` texts (the training script's). `target` is the
    precision the thresholds aim at for the model's additions."""
    texts = prepared if prepared is not None else [prepare(t) for t in labelled_texts("tuning")]
    if validation is None:
        tick = (lambda n: print(f"  fold {n}/{k} trained", file=sys.stderr)) if progress else None
        validation = cross_validate(texts, k, seed=seed, progress=tick)
    rules, combined, thresholds, vetoes = Result(), Result(), [], []
    for number, fold in enumerate(validation.folds):
        others = [i for j, f in enumerate(validation.folds) if j != number for i in f]
        chosen = choose_thresholds(texts, validation.chances, others, target=target)
        veto = choose_veto(texts, validation.flagged, others)
        thresholds.append(chosen)
        vetoes.append(veto)
        for i in fold:
            decided = _decide(texts[i], validation.chances[i], validation.flagged[i], chosen, veto)
            _score_fold_text(texts[i], decided, rules, combined)
    _total(rules)
    _total(combined)
    return CrossValidated(rules, combined, len(validation.folds), thresholds, vetoes)


def _decide(
    text: Prepared,
    chances: dict[str, float],
    flagged: dict[str, float],
    thresholds: dict[str, float],
    veto: float,
) -> dict[str, tuple[str, str]]:
    """Rules + model for one left-out text: category -> (evidence, source)."""
    out = {
        f.category: (f.evidence, "rules")
        for f in text.rules
        if flagged.get(f.category, 1.0) >= veto
    }
    for category, chance in chances.items():
        if category not in out and chance >= thresholds[category]:
            out[category] = (f"chance {chance:.2f}", "model")
    return out


def _score_fold_text(
    text: Prepared, decided: dict[str, tuple[str, str]], rules: Result, combined: Result
) -> None:
    evidence = {c: e for c, (e, _) in decided.items()}
    sources = {c: s for c, (_, s) in decided.items()}
    expected = set(text.item.categories)
    rules.texts += 1
    combined.texts += 1
    _count(rules, text.item.name, expected, {f.category: f.evidence for f in text.rules})
    _count(combined, text.item.name, expected, evidence, sources)


def cv_report(cv: CrossValidated, *, errors: bool) -> str:
    """Rules only against rules + model on the left-out folds, per category."""
    lines = [
        f"\n{cv.folds}-fold cross-validation by text on tuning ({cv.rules.texts} texts)",
        f"{'category':<22}{'rules P':>8}{'R':>7}{'+model P':>10}{'R':>7}  tp fp fn -> tp fp fn",
    ]
    rows = [*CATEGORIES, "overall"]
    for name in rows:
        a = cv.rules.overall if name == "overall" else cv.rules.per_category[name]
        b = cv.combined.overall if name == "overall" else cv.combined.per_category[name]
        lines.append(
            f"{name:<22}{a.precision:>8.3f}{a.recall:>7.3f}{b.precision:>10.3f}{b.recall:>7.3f}"
            f"  {a.tp:>2} {a.fp:>2} {a.fn:>2} -> {b.tp:>2} {b.fp:>2} {b.fn:>2}"
        )
    if errors:
        for name, wrong in cv.combined.mistakes.items():
            lines.append(f"  {name}: false {wrong['false']} missed {wrong['missed']}")
    lines.append(f"model veto per fold: {cv.vetoes}")
    return "\n".join(lines)


def report(split: str, result: Result, *, errors: bool) -> str:
    """Format one split's table (and, when asked, its mistakes)."""
    lines = [f"\n{split}: {result.texts} texts", f"{'category':<22}{'P':>7}{'R':>7}  tp fp fn"]
    rows = [*result.per_category.items(), ("overall", result.overall)]
    for name, c in rows:
        scores = f"{c.precision:>7.3f}{c.recall:>7.3f}"
        lines.append(f"{name:<22}{scores}  {c.tp:>2} {c.fp:>2} {c.fn:>2}")
    lines.append(f"language detection wrong: {result.languages_wrong or 'none'}")
    if errors:
        for name, wrong in result.mistakes.items():
            lines.append(f"  {name}: false {wrong['false']} missed {wrong['missed']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print precision and recall per category for the chosen splits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--errors", action="store_true", help="list every mistake per file")
    parser.add_argument(
        "--rules-only", action="store_true", help="leave the sentence model out (the baseline)"
    )
    parser.add_argument(
        "--cv", type=int, metavar="K", help="K-fold cross-validation by text on tuning instead"
    )
    args = parser.parse_args(argv)
    if args.cv:
        print(cv_report(cross_validated(args.cv, progress=True), errors=args.errors))
        return 0
    for split in SPLITS if args.split == "all" else (args.split,):
        result = evaluate(split, rules_only=args.rules_only)
        if not result.texts:
            print(
                f"\n{split}: no labelled texts (empty between blind parts: labels.yaml holds {{}})"
            )
            continue
        print(report(split, result, errors=args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
