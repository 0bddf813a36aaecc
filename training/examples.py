"""Training examples for the target and stance models, read off the pipeline's own candidates.

Each annotated article is run through the extractor; its claims are matched to the gold claims the way
the scorer matches them. In a matched claim, a candidate is a positive target example when its name
matches a required gold target (as the scorer compares names), a negative one when it matches none, and
no example at all when it matches only an optional (borderline) target. The first candidate matching a
required gold target gives a stance example with the gold stance. NewsMTSC adds stance examples: each
labelled person in a sentence, with the sentence as the content and no cue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gold import as_response, published, scorer

from app.nlp.extractor import ClaimExtractor, to_extraction
from app.nlp.stance_features import stance_features
from app.nlp.targets import Considered

Features = dict[str, float]
NEWSMTSC_LABELS = {2.0: "against", 4.0: "neutral", 6.0: "favor"}


@dataclass
class ArticleExamples:
    """The examples one article gives."""

    article_id: str
    targets: list[tuple[Features, int]] = field(default_factory=list)
    stances: list[tuple[Features, str]] = field(default_factory=list)


def article_examples(extractor: ClaimExtractor, articles: list[dict[str, Any]]) -> list[ArticleExamples]:
    """Target and stance examples of each gold article."""
    score = scorer()
    docs = (extractor.prepare(a["text"], published(a)) for a in articles)
    found = []
    for article, doc in zip(articles, extractor.nlp.pipe(docs), strict=True):
        examples = ArticleExamples(article["id"])
        predicted = as_response(to_extraction(doc))["claims"]
        for gi, pi, _ in score.match_claims(article["claims"], predicted):
            gold = article["claims"][gi]
            if not gold.get("optional"):
                considered = doc._.claims[pi].considered
                _claim_examples(examples, considered, gold.get("targets") or [], score)
        found.append(examples)
    return found


def _claim_examples(
    examples: ArticleExamples, considered: Considered, gold: list[dict[str, Any]], score: Any
) -> None:
    claim = considered.claim
    stanced: set[int] = set()
    for candidate, features in considered.candidates:
        matched = [i for i, g in enumerate(gold) if strong_match(candidate.entity.name, g)]
        required = [i for i in matched if not gold[i].get("optional")]
        if required:
            examples.targets.append((features, 1))
            fresh = [i for i in required if i not in stanced]
            if fresh:
                stanced.update(fresh)
                tokens = candidate.tokens
                stance = stance_features(tokens, claim.content, claim.lemma, claim.cue, claim.speaker_tokens)
                examples.stances.append((stance, gold[fresh[0]]["stance"]))
        elif not matched and not any(
            score.names_match(candidate.entity.name, g | {"type": "other"}) for g in gold
        ):
            examples.targets.append((features, 0))


def strong_match(name: str, gold: dict[str, Any]) -> bool:
    """The scorer's name match, when the name covers at least half the words of the alias it matches:
    "Marrowby" matches "hardline factions in Marrowby and other towns" for the scorer, but names another
    thing, so it is no example either way."""
    score = scorer()
    words = score.name_words(name)
    for alias in [gold["name"], *gold.get("aliases", [])]:
        alias_words = score.name_words(alias)
        if alias_words and score.names_match(name, {"name": alias, "type": "other"}):
            if len(words & alias_words) * 2 >= len(alias_words):
                return True
    return False


def newsmtsc_examples(extractor: ClaimExtractor, path: Path) -> list[tuple[Features, str]]:
    """Stance examples of one NewsMTSC split: each labelled target with its sentence as the content."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    nlp = extractor.nlp
    claim_pipes = [name for name in nlp.pipe_names if name.startswith("claim_")]
    examples = []
    with nlp.select_pipes(disable=claim_pipes):
        for row, doc in zip(rows, nlp.pipe(r["sentence_normalized"] for r in rows), strict=True):
            for target in row["targets"]:
                span = doc.char_span(target["from"], target["to"], alignment_mode="expand")
                if span is not None and len(span):
                    features = stance_features(list(span), list(doc))
                    examples.append((features, NEWSMTSC_LABELS[target["polarity"]]))
    return examples
