"""Check the stance component alone on NewsMTSC (news sentences with sentiment toward named people).

NewsMTSC labels the sentiment a sentence expresses toward a target, which is close to, not the same as,
a speaker's stance. The stance model (`app/nlp/models/stance.json`) reads each target's features with
the sentence as the content and no cue, as it does for a claim. `train.jsonl` is part of the model's
training data; these figures are on the `devtest_*` splits, which it never saw.
Usage: `.venv/bin/python benchmarks/newsmtsc.py [../shared/eval/public/newsmtsc]`.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from app.core.config import get_settings
from app.nlp.extractor import ClaimExtractor
from app.nlp.linear_model import LinearModel, shipped_model
from app.nlp.stance_features import CONTEXT_VECTORS, stance_features

LABELS = {2.0: "against", 4.0: "neutral", 6.0: "favor"}
DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "public" / "newsmtsc"


def evaluate(
    path: Path, extractor: ClaimExtractor, model: LinearModel
) -> tuple[Counter[tuple[str, str]], int]:
    """Confusion counts (gold, predicted) over every target of one split, and sentences read."""
    confusion: Counter[tuple[str, str]] = Counter()
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    nlp = extractor.nlp
    with nlp.select_pipes(disable=[name for name in nlp.pipe_names if name.startswith("claim_")]):
        for row, doc in zip(rows, nlp.pipe(r["sentence_normalized"] for r in rows), strict=True):
            for target in row["targets"]:
                span = doc.char_span(target["from"], target["to"], alignment_mode="expand")
                if span is None or not len(span):
                    continue
                vectors: dict[str, NDArray[np.float32]] = {}
                features = stance_features(list(span), list(doc), vectors=vectors)
                probabilities = model.probabilities(features, vectors)
                predicted = max(probabilities, key=lambda label: probabilities[label])
                confusion[(LABELS[target["polarity"]], predicted)] += 1
    return confusion, len(rows)


def report(name: str, confusion: Counter[tuple[str, str]], sentences: int) -> None:
    """Accuracy, per-label F1 and macro-F1."""
    total = sum(confusion.values())
    right = sum(n for (g, p), n in confusion.items() if g == p)
    f1s = {}
    for label in ("favor", "against", "neutral"):
        tp = confusion[(label, label)]
        predicted = sum(n for (_, p), n in confusion.items() if p == label)
        gold = sum(n for (g, _), n in confusion.items() if g == label)
        precision, recall = (tp / predicted if predicted else 0.0), (tp / gold if gold else 0.0)
        f1s[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    macro = sum(f1s.values()) / 3
    per_label = "  ".join(f"{k} F1 {v:.3f}" for k, v in f1s.items())
    print(
        f"{name}: {sentences} sentences, {total} targets, accuracy {right / total:.3f}, "
        f"macro-F1 {macro:.3f} ({per_label})"
    )


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    extractor = ClaimExtractor.load(get_settings().spacy_model)
    model = shipped_model("stance", CONTEXT_VECTORS)
    for split in ("devtest_rw.jsonl", "devtest_mt.jsonl"):
        confusion, sentences = evaluate(folder / split, extractor, model)
        report(split, confusion, sentences)
    return 0


if __name__ == "__main__":
    sys.exit(main())
