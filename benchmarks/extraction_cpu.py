"""CPU time of extraction per article: the model's parse, the whole extractor, and each claim component.

    .venv/bin/python benchmarks/extraction_cpu.py [--rounds 5] [--copies 20]

Times CPU (`time.thread_time`), not wall time, so another busy process on the machine shifts the figures
less; each figure is the best of `--rounds`. The texts are the dev set's articles and the seed article,
each repeated `--copies` times with a closing sentence that makes it unique. Run it on two checkouts
(`PYTHONPATH=<checkout> .venv/bin/python <checkout>/benchmarks/extraction_cpu.py`) to compare them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.tokens import Doc

from app.core.config import get_settings
from app.nlp.extractor import ClaimExtractor, to_extraction

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "eval" / "dev"
SEED = REPO / "tests" / "data" / "seed_article.txt"


def texts(copies: int) -> list[str]:
    """The dev articles and the seed, each `copies` times, made unique."""
    base = [json.loads(p.read_text("utf-8"))["text"] for p in sorted(DEV.glob("*.json"))]
    base.append(SEED.read_text("utf-8"))
    return [f"{t}\n\nThis is copy {i} of the benchmark." for i in range(copies) for t in base]


def cpu_ms(run: Callable[[], object], articles: int, rounds: int) -> float:
    """Best CPU milliseconds per article of `run` over `rounds`."""
    best = float("inf")
    for _ in range(rounds):
        start = time.thread_time()
        run()
        best = min(best, time.thread_time() - start)
    return 1000 * best / articles


def components_ms(extractor: ClaimExtractor, items: list[str], rounds: int) -> dict[str, float]:
    """CPU milliseconds per article in each claim component, over documents the model has parsed."""
    nlp = extractor.nlp
    ours = [name for name in nlp.pipe_names if name.startswith("claim_") and name != "claim_paragraphs"]
    spent: dict[str, float] = {}
    for _ in range(rounds):
        with nlp.memory_zone():
            docs: list[Doc] = list(nlp.pipe((extractor.prepare(t, None) for t in items), disable=ours))
            this = {}
            for name in ours:
                component = nlp.get_pipe(name)
                start = time.thread_time()
                for doc in docs:
                    component(doc)
                this[name] = time.thread_time() - start
            start = time.thread_time()
            for doc in docs:
                to_extraction(doc)
            this["to_extraction"] = time.thread_time() - start
        if not spent or sum(this.values()) < sum(spent.values()):
            spent = this
    return {name: 1000 * seconds / len(items) for name, seconds in spent.items()}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    model = get_settings().spacy_model
    items = texts(args.copies)
    plain = spacy.load(model)
    extractor = ClaimExtractor.load(model)
    list(extractor.extract_many([(t, None) for t in items[:10]]))  # warm-up

    def parse() -> None:
        with plain.memory_zone():
            for _ in plain.pipe(items):
                pass

    raw = cpu_ms(parse, len(items), args.rounds)
    full = cpu_ms(lambda: list(extractor.extract_many([(t, None) for t in items])), len(items), args.rounds)
    parts = components_ms(extractor, items, args.rounds)
    print(f"{len(items)} articles, best of {args.rounds} rounds, CPU ms per article")
    print(f"model parse alone          {raw:7.2f}")
    print(f"extractor (model + claims) {full:7.2f}")
    print(
        f"claim components alone     {sum(parts.values()):7.2f}  ("
        + ", ".join(f"{k} {v:.2f}" for k, v in parts.items())
        + ")"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
