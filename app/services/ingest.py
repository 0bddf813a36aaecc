"""How submitted texts become stored articles: the one path for `POST /v1/articles`, `:batch` and job items.

Three steps, so that no transaction (or pooled connection) is held while the model runs:
1. look up which texts are stored already, in one query, each text hashed once;
2. parse the new texts together (`nlp.pipe`), each once however often it repeats;
3. store each new article in its own unit of work (`articles.store_article`).
`ingest` answers for one article and lets its failures propagate (the route turns them into problems,
the job runner into the item's outcome);
`ingest_many` answers for each item: a failure while parsing or storing one article becomes that
item's outcome, and the articles before and after it are stored regardless.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.db.models import Article
from app.db.session import unit_of_work
from app.extraction.service import ExtractionFailed, ExtractionTimedOut, Item, Outcome
from app.nlp.types import ArticleExtraction, PipelineInfo
from app.schemas.article import ArticleCreate
from app.services.articles import IngestResult, content_sha256, find_article_by_digest, store_article

logger = logging.getLogger(__name__)

Stage = Callable[[str], AbstractContextManager[object]]
# What else must happen in the transaction that finds or stores the article (a job item is settled).
Settle = Callable[[Session, IngestResult], None]


class Extraction(Protocol):
    """What ingest needs of `app.extraction.service.ExtractionService`."""

    @property
    def info(self) -> PipelineInfo:
        """The model and rules in use (their version is stored with each article)."""
        ...

    def extract_blocking(
        self, text: str, published_at: dt.date | None, gone: threading.Event | None = None
    ) -> ArticleExtraction:
        """One article's claims; raises what went wrong."""
        ...

    def extract_many_blocking(
        self, items: Sequence[Item], gone: threading.Event | None = None
    ) -> list[Outcome]:
        """Outcomes of many articles parsed together."""
        ...


@dataclass(frozen=True)
class Stored:
    """The item's text is stored as this article; `created`: by this item."""

    article_id: int
    created: bool


@dataclass(frozen=True)
class Failed:
    """The item was not stored: `internal` (our bug), `unavailable` (the database; retry) or
    `too_complex` (its parse ran past its `budget` of seconds)."""

    reason: Literal["internal", "unavailable", "too_complex"]
    budget: float | None = None


ItemOutcome = Stored | Failed


def _no_stage(name: str) -> AbstractContextManager[object]:
    return nullcontext()


@dataclass(frozen=True)
class Ingest:
    """Ingests texts into one database with one extraction runtime; `stage` times each step (metrics)."""

    sessions: sessionmaker[Session]
    extraction: Extraction
    stage: Stage = _no_stage

    def ingest(
        self, article: ArticleCreate, gone: threading.Event | None = None, settle: Settle | None = None
    ) -> IngestResult:
        """One article: the stored one for a text seen before, else parsed and stored (with its claims).
        `settle` runs in the transaction that found or stored it; what it raises undoes that transaction."""
        digest = content_sha256(article.text)
        with self.stage("lookup"), unit_of_work(self.sessions) as session:
            stored = find_article_by_digest(session, digest)
            if stored is not None:
                result = IngestResult(stored, created=False)
                if settle is not None:
                    settle(session, result)
                return result
        with self.stage("extract"):
            extraction = self.extraction.extract_blocking(article.text, article.published_at, gone)
        with self.stage("store"), unit_of_work(self.sessions) as session:
            result = store_article(session, article, extraction, self.extraction.info.version, digest)
            if settle is not None:
                settle(session, result)
            return result

    def ingest_many(
        self, items: Mapping[int, ArticleCreate], gone: threading.Event | None = None
    ) -> dict[int, ItemOutcome]:
        """Each valid item's outcome by its index: stored (new or seen before) or failed."""
        digests = {index: content_sha256(article.text) for index, article in items.items()}
        with self.stage("lookup"), unit_of_work(self.sessions) as session:
            stored = _stored_ids(session, set(digests.values()))
        to_parse: dict[str, ArticleCreate] = {}
        for index, article in items.items():
            if digests[index] not in stored:
                to_parse.setdefault(digests[index], article)  # the first of duplicates is the one stored
        with self.stage("extract"):
            parse = [(article.text, article.published_at) for article in to_parse.values()]
            parsed = dict(zip(to_parse, self.extraction.extract_many_blocking(parse, gone), strict=True))
        results: dict[int, ItemOutcome] = {}
        with self.stage("store"):
            for index, article in items.items():
                digest = digests[index]
                if digest in stored:
                    results[index] = Stored(stored[digest], created=False)
                    continue
                outcome = results[index] = self._store_one(article, digest, parsed[digest])
                if isinstance(outcome, Stored):
                    stored[digest] = outcome.article_id
        return results

    def _store_one(self, article: ArticleCreate, digest: str, outcome: Outcome) -> ItemOutcome:
        """One article in one unit of work; any failure is rolled back and reported as this item's alone."""
        if isinstance(outcome, ExtractionFailed):
            return Failed("internal")
        if isinstance(outcome, ExtractionTimedOut):
            return Failed("too_complex", outcome.budget)
        try:
            with unit_of_work(self.sessions) as session:
                result = store_article(session, article, outcome, self.extraction.info.version, digest)
                return Stored(result.article.id, result.created)
        except OperationalError:
            logger.error("database unavailable while storing a batch item")
            return Failed("unavailable")
        except Exception:
            logger.exception("storing a batch item failed; the batch goes on")
            return Failed("internal")


def _stored_ids(session: Session, digests: set[str]) -> dict[str, int]:
    """The ids of the articles already stored for these text digests, in one query."""
    stmt = select(Article.content_sha256, Article.id).where(Article.content_sha256.in_(digests))
    return dict(session.execute(stmt).all())
