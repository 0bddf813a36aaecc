"""Running the extractor off the event loop, many articles per parse, so every core parses and none waits.

Callers hand in jobs (one article, or a client's batch); a few dispatcher threads each take every job
waiting, up to `MICRO_BATCH_ARTICLES` articles, and parse them together with `nlp.pipe`, which is
cheaper per article than parsing one at a time. Under light load a job goes alone at once; under load
jobs queue up and batches grow by themselves (adaptive micro-batching, no timer). Where the parse runs
is the backend's business: in this process (`ThreadBackend`, one parse at a time because the
extractor is serialised) or in a pool of worker processes (`app.services.extraction_pool`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol

from app.nlp.types import ArticleExtraction, PipelineInfo

logger = logging.getLogger(__name__)

Item = tuple[str, dt.date | None]
# At most this many articles go into one parse, unless a single job (a client's batch) is larger.
MICRO_BATCH_ARTICLES = 32


class Extractor(Protocol):
    """What the service needs from `app.nlp.extractor.ClaimExtractor`."""

    @property
    def info(self) -> PipelineInfo:
        """The model and rules in use."""
        ...

    def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        """Claims and publication date of one article."""
        ...

    def extract_many(self, items: Sequence[Item]) -> Iterable[ArticleExtraction]:
        """Claims of many articles, parsed together."""
        ...


@dataclass(frozen=True)
class ExtractionFailed:
    """An article the pipeline raised on (a bug of ours); the other articles of its batch are unaffected."""

    error: str


Outcome = ArticleExtraction | ExtractionFailed


class ExtractionUnavailableError(RuntimeError):
    """The parse could not run (a worker process died); nothing was extracted, and a retry may succeed."""


class ExtractionError(RuntimeError):
    """The pipeline raised on this article."""


@dataclass(frozen=True)
class Parsed:
    """Outcomes of one parse, in input order, and its duration in seconds (measured where it ran)."""

    outcomes: list[Outcome]
    seconds: float


def extract_each(extractor: Extractor, items: Sequence[Item]) -> Parsed:
    """Parse the items together; should that raise, parse each alone, so a bad article fails by itself."""
    start = time.perf_counter()
    try:
        outcomes: list[Outcome] = list(extractor.extract_many(items))
    except Exception:
        logger.exception("extraction of a batch of %d failed; retrying its articles one by one", len(items))
        outcomes = [_extract_one(extractor, item) for item in items]
    return Parsed(outcomes, time.perf_counter() - start)


def _extract_one(extractor: Extractor, item: Item) -> Outcome:
    """One article's claims, or what went wrong."""
    try:
        return extractor.extract(*item)
    except Exception as exc:
        logger.exception("extraction of one article failed")
        return ExtractionFailed(type(exc).__name__)


class Backend(Protocol):
    """Where parses run: `parse` blocks the calling dispatcher thread until the outcomes are back."""

    def parse(self, items: Sequence[Item]) -> Parsed:
        """Outcomes of these articles; `ExtractionUnavailableError` when the parse could not run."""
        ...

    def shutdown(self) -> None:
        """Release the backend's threads or processes."""
        ...


class ThreadBackend:
    """Parses in this process, in the dispatcher's thread: the loaded extractor serialises the parses."""

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor

    def parse(self, items: Sequence[Item]) -> Parsed:
        """Parse here and now."""
        return extract_each(self.extractor, items)

    def shutdown(self) -> None:
        """Nothing to release."""


@dataclass
class _Job:
    """Articles submitted together, and the future their outcomes go to."""

    items: list[Item]
    future: Future[list[Outcome]]


class ExtractionRunner:
    """A queue of extraction jobs and the dispatcher threads that feed them, batched, to a backend."""

    def __init__(
        self,
        backend: Backend,
        info: PipelineInfo,
        dispatchers: int,
        record: Callable[[float, int], None] | None = None,
    ) -> None:
        self.backend, self.info, self._record = backend, info, record
        self._jobs: deque[_Job | None] = deque()
        self._ready = threading.Condition()
        self._threads = [
            threading.Thread(target=self._dispatch, name=f"extract-{n}", daemon=True)
            for n in range(dispatchers)
        ]
        for thread in self._threads:
            thread.start()

    def submit_many(self, items: Sequence[Item]) -> Future[list[Outcome]]:
        """Queue articles to be parsed together (and with whatever else is waiting)."""
        job = _Job(list(items), Future())
        with self._ready:
            self._jobs.append(job)
            self._ready.notify()
        return job.future

    async def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        """One article's claims, awaited without blocking the event loop."""
        outcomes = await asyncio.wrap_future(self.submit_many([(text, published_at)]))
        return _unwrap(outcomes[0])

    def extract_blocking(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        """One article's claims, waiting in the calling (worker) thread; never call this on the event loop."""
        return _unwrap(self.submit_many([(text, published_at)]).result()[0])

    def extract_many_blocking(self, items: Sequence[Item]) -> list[Outcome]:
        """Outcomes of many articles parsed together, waiting in the calling (worker) thread."""
        return self.submit_many(items).result() if items else []

    def shutdown(self) -> None:
        """Stop the dispatchers (jobs still queued are cancelled), then the backend."""
        with self._ready:
            pending = [job for job in self._jobs if job is not None]
            self._jobs.clear()
            self._jobs.extend([None] * len(self._threads))
            self._ready.notify_all()
        for job in pending:
            job.future.cancel()
        for thread in self._threads:
            thread.join()
        self.backend.shutdown()

    def _dispatch(self) -> None:
        """Take what is waiting, parse it in one go, hand each job its outcomes; until told to stop."""
        while (jobs := self._take()) is not None:
            live = [job for job in jobs if job.future.set_running_or_notify_cancel()]
            if not live:
                continue
            try:
                parsed = self.backend.parse([item for job in live for item in job.items])
            except BaseException as exc:  # a dead worker process, or a bug: every waiting caller hears of it
                for job in live:
                    job.future.set_exception(exc)
                continue
            self._observe(parsed)
            start = 0
            for job in live:
                job.future.set_result(parsed.outcomes[start : start + len(job.items)])
                start += len(job.items)

    def _take(self) -> list[_Job] | None:
        """The next job (waiting for one) plus those behind it while the batch stays within its cap."""
        with self._ready:
            while not self._jobs:
                self._ready.wait()
            first = self._jobs.popleft()
            if first is None:
                return None
            jobs, size = [first], len(first.items)
            while self._jobs and self._jobs[0] is not None:
                if size + len(self._jobs[0].items) > MICRO_BATCH_ARTICLES:
                    break
                job = self._jobs.popleft()
                assert job is not None
                jobs.append(job)
                size += len(job.items)
            return jobs

    def _observe(self, parsed: Parsed) -> None:
        """Report each article's share of the parse time and its claim count."""
        if self._record is None or not parsed.outcomes:
            return
        share = parsed.seconds / len(parsed.outcomes)
        for outcome in parsed.outcomes:
            self._record(share, len(outcome.claims) if isinstance(outcome, ArticleExtraction) else 0)


def _unwrap(outcome: Outcome) -> ArticleExtraction:
    """The extraction, or `ExtractionError` for an article the pipeline failed on."""
    if isinstance(outcome, ExtractionFailed):
        raise ExtractionError(f"the pipeline failed on this article ({outcome.error})")
    return outcome


def thread_runner(
    extractor: Extractor, threads: int, record: Callable[[float, int], None] | None = None
) -> ExtractionRunner:
    """A runner that parses in this process (`CLAIMS_EXTRACTION_PROCESSES=0`)."""
    return ExtractionRunner(ThreadBackend(extractor), extractor.info, threads, record)
