"""Train the target and stance models, cross-validate them, and write them into the package.

    .venv/bin/python training/train.py            # cross-validate, then fit on everything and write
    .venv/bin/python training/train.py --no-cv    # fit and write only
    .venv/bin/python training/train.py --no-write # figures only

Data: the annotated articles of `shared/eval/dev` and `shared/eval/corpus`, the project's own articles
(`tests/data/articles`), and for stance NewsMTSC's `train.jsonl`. Cross-validation holds out one fold of
articles at a time: the models are trained on every other article (and NewsMTSC), the held-out articles
are extracted with them, and the scorer scores the predictions of all folds together, per set. Every
fit is deterministic (lbfgs, fixed folds), so the same data gives the same weights. Needs the `train`
extra (scikit-learn): `.venv/bin/pip install -e '.[train]'`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from typing import Any

import sklearn
from examples import ArticleExamples, Features, article_examples, newsmtsc_examples
from gold import OWN, REPO, SHARED, as_response, gold_articles, print_summary, published, score
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from app.core.config import get_settings
from app.nlp.components import ClaimTargets
from app.nlp.extractor import ClaimExtractor
from app.nlp.linear_model import LinearModel
from app.nlp.stance_features import CONTEXT_VECTORS
from app.nlp.targets import TargetModels

MODELS = REPO / "app" / "nlp" / "models"
VECTOR = re.compile(r"(tt|tc|th)(\d+)")  # the context vectors' features (stance_features.CONTEXT_VECTORS)
SETS = {"dev": SHARED / "dev", "corpus": SHARED / "corpus", "own": OWN}
NEWSMTSC = SHARED / "public" / "newsmtsc" / "train.jsonl"
TARGET_C = 0.5
TARGET_THRESHOLD = 0.35
# chosen by 5-fold cross-validation of the stance model alone on the gold targets of all three sets: pooled
# macro-F1 0.646 at C 0.3, 0.662 at 0.6, 0.657 at 1.0
STANCE_C = 0.6
OWN_STANCE_WEIGHT = 16.0  # an annotated claim's stance counts as this many NewsMTSC sentences


def fit_target(examples: Sequence[tuple[Features, int]], threshold: float = TARGET_THRESHOLD) -> LinearModel:
    """A logistic regression: is this candidate a target of its claim?"""
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([f for f, _ in examples])
    y = [label for _, label in examples]
    model = LogisticRegression(C=TARGET_C, max_iter=5000, random_state=0).fit(x, y)
    names = vectorizer.get_feature_names_out()
    weights = {str(n): (float(w),) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= 1e-4}
    meta = {"examples": len(examples), "positives": sum(y), "C": TARGET_C}
    return LinearModel(("no", "yes"), (float(model.intercept_[0]),), weights, threshold, meta)


def fit_stance(ours: Sequence[tuple[Features, str]], newsmtsc: Sequence[tuple[Features, str]]) -> LinearModel:
    """A multinomial logistic regression: favor, against or neutral toward the target."""
    examples = [*newsmtsc, *ours]
    weights = [1.0] * len(newsmtsc) + [OWN_STANCE_WEIGHT] * len(ours)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([f for f, _ in examples])
    y = [label for _, label in examples]
    model = LogisticRegression(C=STANCE_C, max_iter=5000, random_state=0).fit(x, y, sample_weight=weights)
    names = vectorizer.get_feature_names_out()
    rows = {
        str(n): tuple(float(model.coef_[k][j]) for k in range(len(model.classes_)))
        for j, n in enumerate(names)
        if max(abs(model.coef_[k][j]) for k in range(len(model.classes_))) >= 1e-4
    }
    widths = [int(m.group(2)) + 1 for m in map(VECTOR.fullmatch, map(str, names)) if m is not None]
    meta = {
        "examples": len(ours),
        "newsmtsc_examples": len(newsmtsc),
        "C": STANCE_C,
        "own_weight": OWN_STANCE_WEIGHT,
        "vector_width": max(widths, default=0),
    }
    classes = tuple(str(c) for c in model.classes_)
    fitted = LinearModel(classes, tuple(float(b) for b in model.intercept_), rows, 0.5, meta)
    return LinearModel.from_json(fitted.to_json(), CONTEXT_VECTORS)  # vectors weighed whole, as when shipped


def fit(examples: Sequence[ArticleExamples], newsmtsc: Sequence[tuple[Features, str]]) -> TargetModels:
    """Both models from the examples of some articles."""
    targets = [e for a in examples for e in a.targets]
    stances = [e for a in examples for e in a.stances]
    return TargetModels(fit_target(targets), fit_stance(stances, newsmtsc))


def cross_validate(
    extractor: ClaimExtractor,
    articles: dict[str, list[dict[str, Any]]],
    examples: dict[str, ArticleExamples],
    newsmtsc: Sequence[tuple[Features, str]],
    folds: int,
) -> dict[str, list[dict[str, Any]]]:
    """The responses for each set's articles, each article predicted by models that never saw it."""
    component = extractor.nlp.get_pipe("claim_targets")
    assert isinstance(component, ClaimTargets)
    shipped = component.models
    predictions = {}
    try:
        for name, held in articles.items():
            responses: dict[str, dict[str, Any]] = {}
            for k in range(folds):
                fold = [a for i, a in enumerate(held) if i % folds == k]
                out = {a["id"] for a in fold}
                component.models = fit([e for i, e in examples.items() if i not in out], newsmtsc)
                items = [(a["text"], published(a)) for a in fold]
                for article, extraction in zip(fold, extractor.extract_many(items), strict=True):
                    responses[article["id"]] = as_response(extraction)
            predictions[name] = [responses[a["id"]] for a in held]
    finally:
        component.models = shipped
    return predictions


def provenance(extractor: ClaimExtractor, articles: list[dict[str, Any]]) -> dict[str, Any]:
    """What a model was made with, written into its file: the pipeline whose parses it read (the context
    vectors are that model's own), the library that fitted it, and a digest of the data."""
    data = hashlib.sha256()
    for article in sorted(articles, key=lambda a: a["id"]):
        data.update(json.dumps(article, sort_keys=True).encode())
    data.update(NEWSMTSC.read_bytes())
    return {
        "spacy_model": f"{extractor.info.model}-{extractor.info.model_version}",
        "spacy": extractor.info.spacy_version,
        "scikit_learn": sklearn.__version__,
        "data_sha256": data.hexdigest(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    parser.add_argument("--no-write", action="store_true", help="do not write the models")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--model", default=get_settings().spacy_model)
    args = parser.parse_args()
    started = time.perf_counter()
    extractor = ClaimExtractor.load(args.model)
    articles = {name: [a for a in gold_articles([path]) if a["claims"]] for name, path in SETS.items()}
    every = [a for held in articles.values() for a in held]
    examples = {e.article_id: e for e in article_examples(extractor, every)}
    newsmtsc = newsmtsc_examples(extractor, NEWSMTSC)
    print(
        f"{len(every)} articles: {sum(len(e.targets) for e in examples.values())} target examples, "
        f"{sum(len(e.stances) for e in examples.values())} stance examples; NewsMTSC {len(newsmtsc)}"
    )
    if not args.no_cv:
        for name, responses in cross_validate(extractor, articles, examples, newsmtsc, args.folds).items():
            print_summary(f"{name} ({args.folds}-fold cross-validation)", score(articles[name], responses))
    if not args.no_write:
        models = fit(list(examples.values()), newsmtsc)
        made_from = provenance(extractor, [a for held in articles.values() for a in held])
        for model, name in ((models.target, "targets"), (models.stance, "stance")):
            LinearModel.from_json({**model.to_json(), "meta": {**(model.meta or {}), **made_from}}).save(
                MODELS / f"{name}.json"
            )
        print(f"wrote {MODELS / 'targets.json'} and {MODELS / 'stance.json'}")
    print(f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
