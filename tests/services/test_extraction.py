"""The extraction pool: work runs off the event loop, at most `max_workers` articles at a time."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

from app.nlp.extractor import ClaimExtractor
from app.nlp.types import ArticleExtraction, PipelineInfo
from app.services.extraction import ExtractionRunner


class Watched:
    """The real extractor, watched: which threads call it and how many calls are in flight at once.

    The real pipeline itself is entered one call at a time here: this tests the pool, not the
    pipeline's thread safety.
    """

    def __init__(self, real: ClaimExtractor) -> None:
        self.real, self.threads, self.running, self.peak = real, set[str](), 0, 0
        self._lock = threading.Lock()
        self._one_at_a_time = threading.Lock()

    @property
    def info(self) -> PipelineInfo:
        return self.real.info

    def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        with self._lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.threads.add(threading.current_thread().name)
        try:
            time.sleep(0.05)  # long enough for overlapping calls to overlap
            with self._one_at_a_time:
                return self.real.extract(text, published_at)
        finally:
            with self._lock:
                self.running -= 1


def test_pool_bounds_concurrent_extractions(claim_extractor: ClaimExtractor, seed_text: str) -> None:
    watched = Watched(claim_extractor)
    runner = ExtractionRunner(watched, max_workers=2)
    try:
        results = [f.result() for f in [runner.submit(seed_text, None) for _ in range(6)]]
    finally:
        runner.shutdown()

    assert watched.peak == 2
    assert len(watched.threads) == 2 and all(name.startswith("extract") for name in watched.threads)
    assert all(r == results[0] for r in results) and results[0].claims


def test_awaiting_an_extraction_leaves_the_event_loop_free(
    claim_extractor: ClaimExtractor, seed_text: str
) -> None:
    watched = Watched(claim_extractor)
    runner = ExtractionRunner(watched, max_workers=1)

    async def scenario() -> tuple[ArticleExtraction, int]:
        ticks = 0
        task = asyncio.create_task(runner.extract(seed_text, None))
        while not task.done():
            ticks += 1
            await asyncio.sleep(0.005)
        return await task, ticks

    try:
        result, ticks = asyncio.run(scenario())
    finally:
        runner.shutdown()
    assert result.published_at == dt.date(2024, 11, 7)
    assert ticks >= 5  # the loop kept running while the model worked
    assert threading.main_thread().name not in watched.threads
