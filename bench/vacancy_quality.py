"""Precision and recall of the vacancy check, per category, on the labelled vacancy texts.

    python bench/vacancy_quality.py [--split tuning|heldout|all] [--errors]

`tuning/` is what the rules were developed against; `heldout/` was written and labelled first and
is never tuned on (tests/fixtures/vacancies/LABELLING.md).
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


def evaluate(split: str) -> Result:
    """Run the check on every labelled text of a split and count hits and misses."""
    folder = FIXTURES / split
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
    result = Result()
    for name, label in sorted(labels.items()):
        vacancy = parse_vacancy((folder / name).read_text(encoding="utf-8"), file=name)
        report = check_vacancy(vacancy)
        result.texts += 1
        if report.language != label["language"]:
            result.languages_wrong.append(name)
        expected, found = set(label["categories"]), {f.category for f in report.found}
        evidence = {f.category: f.evidence for f in report.found}
        for category in CATEGORIES:
            counts = result.per_category[category]
            hit, said = category in expected, category in found
            counts.tp += hit and said
            counts.fp += said and not hit
            counts.fn += hit and not said
        wrong = {
            "false": [f"{c}: {evidence[c]!r}" for c in sorted(found - expected)],
            "missed": sorted(expected - found),
        }
        if wrong["false"] or wrong["missed"]:
            result.mistakes[name] = wrong
    for counts in result.per_category.values():
        result.overall.tp += counts.tp
        result.overall.fp += counts.fp
        result.overall.fn += counts.fn
    return result


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
    args = parser.parse_args(argv)
    for split in SPLITS if args.split == "all" else (args.split,):
        print(report(split, evaluate(split), errors=args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
