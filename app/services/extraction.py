"""Running the extractor off the event loop, in a bounded pool, so CPU-bound parsing never stalls requests.

The pool's size caps how many articles are parsed at once; a request beyond that waits its turn
instead of competing for the same cores.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from app.nlp.types import ArticleExtraction, PipelineInfo


class Extractor(Protocol):
    """What the service needs from `app.nlp.extractor.ClaimExtractor`."""

    @property
    def info(self) -> PipelineInfo:
        """The model and rules in use."""
        ...

    def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        """Claims and publication date of one article."""
        ...


class TimedExtractor:
    """An extractor that reports each article's extraction time and claim count (to metrics)."""

    def __init__(self, extractor: Extractor, record: Callable[[float, int], None]) -> None:
        self.extractor = extractor
        self.record = record

    @property
    def info(self) -> PipelineInfo:
        """The model and rules in use."""
        return self.extractor.info

    def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        """Extract, then report how long it took and how many claims it found."""
        start = time.perf_counter()
        result = self.extractor.extract(text, published_at)
        self.record(time.perf_counter() - start, len(result.claims))
        return result


class ExtractionRunner:
    """A loaded extractor plus the bounded thread pool its work runs in."""

    def __init__(self, extractor: Extractor, max_workers: int) -> None:
        self.extractor = extractor
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="extract")

    @property
    def info(self) -> PipelineInfo:
        """The model and rules in use."""
        return self.extractor.info

    def submit(self, text: str, published_at: dt.date | None) -> Future[ArticleExtraction]:
        """Queue one extraction on the pool."""
        return self._pool.submit(self.extractor.extract, text, published_at)

    async def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        """Extract on the pool and await the result without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(text, published_at))

    def extract_blocking(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        """Extract on the pool, waiting in the calling (worker) thread; never call this on the event loop."""
        return self.submit(text, published_at).result()

    def shutdown(self) -> None:
        """Stop taking work and wait for running extractions."""
        self._pool.shutdown(wait=True, cancel_futures=True)
