"""Train the vacancy sentence model on tests/fixtures/vacancies/tuning and write it.

    python bench/train_vacancy_model.py [--check]

Deterministic (fixed seed): the same tuning texts give a byte-identical
journeys/vacancy/vacancy_model.json.gz. Thresholds come from 5-fold cross-validation by text,
whose table (rules only against rules + model on left-out folds) is printed on the way, the
same as `python bench/vacancy_quality.py --cv 5`.
`--check` retrains and exits 1 when the committed file differs (nothing is written).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.vacancy_quality import FIXTURES, cross_validated, cv_report, labelled_texts  # noqa: E402
from journeys.vacancy.classifier import MODEL_FILE, save_model  # noqa: E402
from journeys.vacancy.train import fingerprint, prepare, train_model  # noqa: E402

RETRAIN = "python bench/train_vacancy_model.py"


def training_sha256() -> str:
    """The sha256 of every file in tuning/ (texts and labels.yaml)."""
    folder = FIXTURES / "tuning"
    return fingerprint((p.name, p.read_bytes()) for p in folder.iterdir() if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """Train, report the thresholds, and write (or, with --check, compare) the model file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file")
    parser.add_argument("--errors", action="store_true", help="list the cross-validated mistakes")
    args = parser.parse_args(argv)
    texts = [prepare(t) for t in labelled_texts("tuning")]
    print(f"training on {len(texts)} texts …", file=sys.stderr)
    model, validation = train_model(texts, training_sha256=training_sha256())
    print(cv_report(cross_validated(prepared=texts, validation=validation), errors=args.errors))
    print(f"\nshipped model (trained on all {len(texts)} texts), veto {model.veto}:")
    for category, threshold in model.thresholds.items():
        print(f"  {category:<22} threshold {threshold:.3f}  {len(model.weights[category])} weights")
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / MODEL_FILE.name
            save_model(model, fresh)
            same = MODEL_FILE.exists() and fresh.read_bytes() == MODEL_FILE.read_bytes()
        print("model file is up to date" if same else f"model file differs: run {RETRAIN}")
        return 0 if same else 1
    save_model(model)
    print(f"wrote {MODEL_FILE.relative_to(ROOT)} ({MODEL_FILE.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
