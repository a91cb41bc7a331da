"""The learned sentence classifier: finds categories the rules missed, one segment at a time.

Per category a logistic regression over sparse segment features (features.py) gives the chance
that a segment offers or obliges it. A category the rules did not find is added when the text's
best segment reaches the category's threshold (chosen by cross-validation to keep precision up);
the finding's evidence is that whole segment, with `source: "model"` and its `confidence`.
The weights live in `vacancy_model.json.gz` next to this module and are loaded on first use.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import re
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from journeys.vacancy.features import Segment, segments
from journeys.vacancy.language import Language
from journeys.vacancy.matcher import Finding

MODEL_FILE = Path(__file__).with_name("vacancy_model.json.gz")
_BULLET = re.compile(r"^(?:[-*•·+]|\d+[.)])\s+")  # a model finding's evidence starts after it


@dataclass(frozen=True)
class SentenceModel:
    """Per-category weights and bias, the doc-level thresholds, and what it was trained on."""

    weights: dict[str, dict[str, float]]
    thresholds: dict[str, float]
    training_sha256: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    veto: float = 0.0  # a rule finding whose segment the model rates below this is dropped

    def probabilities(self, features: Sequence[str]) -> dict[str, float]:
        """The chance, per category, that a segment with these features offers it."""
        out: dict[str, float] = {}
        value = 1.0 / math.sqrt(len(features)) if features else 0.0  # as in training
        for category, weights in self.weights.items():
            out[category] = _sigmoid(value * sum(weights.get(f, 0.0) for f in features))
        return out

    def as_json(self) -> dict[str, Any]:
        """The model as JSON-ready data. Per category the feature names, one per line, and their
        weights in thousandths as little-endian int16, base64: quick to load (a JSON object of
        80 000 numbers takes several times longer to parse)."""
        return {
            "format": 2,
            "training_sha256": self.training_sha256,
            "meta": self.meta,
            "thresholds": self.thresholds,
            "veto": self.veto,
            "weights": {c: _pack(w) for c, w in self.weights.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SentenceModel:
        """Rebuild a model from `as_json` data."""
        return cls(
            weights={c: _unpack(packed) for c, packed in data["weights"].items()},
            thresholds=data["thresholds"],
            training_sha256=data.get("training_sha256", ""),
            meta=data.get("meta", {}),
            veto=data.get("veto", 0.0),
        )


def _pack(weights: dict[str, float]) -> dict[str, str]:
    names = sorted(weights)
    if any("\n" in name for name in names):
        raise ValueError("a feature name holds a line break")
    milli = array("h", (round(weights[n] * 1000) for n in names))  # OverflowError past ±32.7
    if sys.byteorder != "little":
        milli.byteswap()
    return {"features": "\n".join(names), "milli": base64.b64encode(milli.tobytes()).decode()}


def _unpack(packed: dict[str, str]) -> dict[str, float]:
    milli = array("h")
    milli.frombytes(base64.b64decode(packed["milli"]))
    if sys.byteorder != "little":
        milli.byteswap()
    names = packed["features"].split("\n") if packed["features"] else []
    return dict(zip(names, [v / 1000 for v in milli], strict=True))


def save_model(model: SentenceModel, path: Path = MODEL_FILE) -> None:
    """Write a model as compact gzipped JSON (byte-identical for identical models)."""
    raw = json.dumps(model.as_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    path.write_bytes(gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0))


def read_model(path: Path = MODEL_FILE) -> SentenceModel:
    """Read a model file written by `save_model`."""
    return SentenceModel.from_json(json.loads(gzip.decompress(path.read_bytes())))


@cache
def default_model() -> SentenceModel | None:
    """The shipped model, loaded once; None when the file is absent (rules only)."""
    return read_model() if MODEL_FILE.exists() else None


@dataclass(frozen=True)
class Scored:
    """A segment and its per-category chances."""

    segment: Segment
    chances: dict[str, float]


def score_segments(
    text: str, *, language: Language, rule_findings: Iterable[Finding], model: SentenceModel
) -> list[Scored]:
    """Every segment of a text with the model's chances per category."""
    spans = [(f.category, f.start, f.end) for f in rule_findings]
    return [
        Scored(s, model.probabilities(s.features))
        for s in segments(text, language=language, rule_spans=spans)
    ]


def best_segments(scored: Iterable[Scored]) -> dict[str, Scored]:
    """Per category, the segment the model rates highest."""
    best: dict[str, Scored] = {}
    for item in scored:
        for category, chance in item.chances.items():
            if category not in best or chance > best[category].chances[category]:
                best[category] = item
    return best


def with_model(
    text: str, *, language: Language, rule_findings: Sequence[Finding], model: SentenceModel
) -> list[Finding]:
    """The rule findings the model does not veto, then its findings for categories the rules
    did not find, where it is confident enough; in text order."""
    scored = score_segments(text, language=language, rule_findings=rule_findings, model=model)
    kept = [f for f in rule_findings if not _vetoed(f, scored, model.veto)]
    found = kept + _additions(scored, kept, model)
    return sorted(found, key=lambda f: (f.start, f.end))


def _vetoed(finding: Finding, scored: Sequence[Scored], veto: float) -> bool:
    """A rule finding is dropped when the model rates its segment below the veto."""
    if veto <= 0:
        return False
    item = next((s for s in scored if _holds(s, finding)), None)
    return item is not None and item.chances.get(finding.category, 1.0) < veto


def _holds(item: Scored, finding: Finding) -> bool:
    sentence = item.segment.sentence
    return sentence.start <= finding.start < sentence.end


def _additions(
    scored: Sequence[Scored], rule_findings: Sequence[Finding], model: SentenceModel
) -> list[Finding]:
    have = {f.category for f in rule_findings}
    out: list[Finding] = []
    for category, item in best_segments(scored).items():
        chance = item.chances[category]
        if category in have or chance < model.thresholds.get(category, 1.0):
            continue
        s = item.segment.sentence
        lead = _BULLET.match(s.text)
        skip = lead.end() if lead else 0
        out.append(
            Finding(
                category,
                s.text[skip:],
                s.start + skip,
                s.end,
                source="model",
                confidence=round(chance, 2),
            )
        )
    return out


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
