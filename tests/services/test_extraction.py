"""The extraction runner: off the event loop, jobs batched together, a bad article failing alone."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections.abc import Iterator, Sequence

import pytest

from app.extraction.processes import process_service
from app.extraction.service import (
    LARGE_REQUEST_CHARS,
    MICRO_BATCH_ARTICLES,
    ExtractionError,
    ExtractionFailed,
    ExtractionService,
    Item,
    ThreadBackend,
    thread_service,
)
from app.nlp.extractor import ClaimExtractor
from app.nlp.types import ArticleExtraction, PipelineInfo

POISON = "POISON"


class Watched:
    """The real extractor, watched: the threads that call it and the size of each batch it parses.

    An article containing `POISON` makes it raise, as a bug in a claim rule would.
    """

    def __init__(self, real: ClaimExtractor, delay: float = 0.0) -> None:
        self.real, self.delay = real, delay
        self.threads: set[str] = set()
        self.batches: list[int] = []

    @property
    def info(self) -> PipelineInfo:
        return self.real.info

    def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        return next(iter(self.extract_many([(text, published_at)])))

    def extract_many(self, items: Sequence[Item]) -> Iterator[ArticleExtraction]:
        self.threads.add(threading.current_thread().name)
        self.batches.append(len(items))
        time.sleep(self.delay)
        if any(POISON in text for text, _ in items):
            raise ValueError("a claim rule crashed")
        yield from self.real.extract_many(items)


def test_jobs_waiting_together_are_parsed_in_one_batch(claim_extractor: ClaimExtractor) -> None:
    watched = Watched(claim_extractor, delay=0.2)
    recorded: list[tuple[float, int]] = []
    runner = thread_service(watched, threads=1, record=lambda s, n: recorded.append((s, n)))
    try:
        first = runner.submit_many([('Ali said "one."', None)])
        time.sleep(0.05)  # the first job is being parsed: the next ones queue behind it
        rest = [runner.submit_many([(f'Ali said "job {n}."', None)]) for n in range(5)]
        big = runner.submit_many([(f'Ali said "item {n}."', None) for n in range(MICRO_BATCH_ARTICLES)])
        outcomes = [f.result(timeout=30) for f in [first, *rest, big]]
    finally:
        runner.shutdown()

    assert watched.batches == [1, 5, MICRO_BATCH_ARTICLES]  # the big job would overflow the batch: alone
    assert [len(o) for o in outcomes] == [1] * 6 + [MICRO_BATCH_ARTICLES]
    assert isinstance(outcomes[3][0], ArticleExtraction) and outcomes[3][0].claims[0].text == "job 2."
    assert len(recorded) == 6 + MICRO_BATCH_ARTICLES and all(seconds > 0 for seconds, _ in recorded)
    assert watched.threads == {"extract-0"}


def test_a_failing_article_fails_alone(claim_extractor: ClaimExtractor) -> None:
    runner = thread_service(Watched(claim_extractor), threads=1)
    try:
        outcomes = runner.extract_many_blocking(
            [('Ali said "fine."', None), (f'Ali said "{POISON}."', None), ('Bo said "also fine."', None)]
        )
        with pytest.raises(ExtractionError):
            runner.extract_blocking(POISON, None)
    finally:
        runner.shutdown()

    assert isinstance(outcomes[1], ExtractionFailed) and outcomes[1].error == "ValueError"
    assert [type(o) for o in outcomes] == [ArticleExtraction, ExtractionFailed, ArticleExtraction]


def test_awaiting_an_extraction_leaves_the_event_loop_free(
    claim_extractor: ClaimExtractor, seed_text: str
) -> None:
    watched = Watched(claim_extractor)
    runner = thread_service(watched, threads=1)

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


def test_shutdown_cancels_queued_jobs(claim_extractor: ClaimExtractor) -> None:
    runner = thread_service(Watched(claim_extractor, delay=0.3), threads=1)
    running = runner.submit_many([('Ali said "one."', None)])
    time.sleep(0.05)
    queued = runner.submit_many([('Ali said "two."', None)])

    runner.shutdown()

    assert running.result(timeout=5)[0] and queued.cancelled()


def test_a_pool_for_a_model_that_is_not_installed_is_refused_at_once() -> None:
    with pytest.raises(OSError, match="no_such_model"):
        process_service("no_such_model", processes=1)


class BlockedOnLongTexts(Watched):
    """The real extractor, except that a parse holding a long text waits until `release` is set."""

    def __init__(self, real: ClaimExtractor) -> None:
        super().__init__(real)
        self.release = threading.Event()

    def extract_many(self, items: Sequence[Item]) -> Iterator[ArticleExtraction]:
        if any(len(text) > LARGE_REQUEST_CHARS for text, _ in items):
            self.release.wait(30)
            return iter([ArticleExtraction(None, None, ()) for _ in items])
        return super().extract_many(items)


def test_a_short_article_does_not_wait_behind_long_ones(claim_extractor: ClaimExtractor) -> None:
    blocked = BlockedOnLongTexts(claim_extractor)
    runner = ExtractionService(ThreadBackend(blocked), blocked.info, feeders=2)
    long_text = "word " * (LARGE_REQUEST_CHARS // 5 + 1)
    try:
        long_ones = [runner.submit_many([(long_text, None)]) for _ in range(3)]
        short = runner.submit_many([('Ali said "one."', None)])

        outcome = short.result(timeout=10)  # while every long parse is still held
        still_waiting = [f.done() for f in long_ones]
    finally:
        blocked.release.set()
        runner.shutdown()

    assert isinstance(outcome[0], ArticleExtraction) and outcome[0].claims[0].text == "one."
    assert still_waiting == [False, False, False]
