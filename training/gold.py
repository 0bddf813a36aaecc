"""Gold articles and the project's scorer (`shared/eval/score.py`), used in-process.

The scorer is imported from its file, so figures here are the scorer's own; extraction runs without
HTTP, so a model or rule change is measured in seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from app.nlp.types import ArticleExtraction

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval"
OWN = REPO / "tests" / "data" / "articles"


@cache
def scorer(path: Path = SHARED / "score.py") -> ModuleType:
    """The scorer module, imported from its file (it is not a package)."""
    spec = importlib.util.spec_from_file_location("claims_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_articles(folders: Iterable[Path]) -> list[dict[str, Any]]:
    """Every gold article of the folders, in file order."""
    return [json.loads(p.read_text("utf-8")) for f in folders for p in sorted(Path(f).glob("*.json"))]


def published(article: dict[str, Any]) -> dt.date | None:
    """The publication date a client would send with the article (the scorer sends the gold's)."""
    value = article.get("published_at")
    return dt.date.fromisoformat(value[:10]) if value else None


def as_response(extraction: ArticleExtraction) -> dict[str, Any]:
    """The extraction as `/v1/extract` returns it (dates as ISO strings)."""

    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    body: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(extraction), default=plain))
    return body


def score(
    articles: list[dict[str, Any]], responses: list[dict[str, Any]], details: bool = False
) -> dict[str, Any]:
    """The scorer's summary over the articles (without its timing)."""
    tally = scorer().Tally()
    for article, response in zip(articles, responses, strict=True):
        tally.c["articles"] += 1
        tally.article(article, response, details)
    summary: dict[str, Any] = tally.summary()
    summary.pop("seconds_per_article", None)
    return summary


def print_summary(title: str, summary: dict[str, Any]) -> None:
    """The summary as `score.py` prints it, under a title."""
    print(f"== {title}")
    for key, value in summary.items():
        print(f"{key:24} {value}")
