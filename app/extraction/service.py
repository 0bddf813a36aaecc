"""Running the extractor off the event loop, many articles per parse, so every core parses and none waits.

Callers hand in requests (one article, or a client's batch); a few feeder threads each take every request
waiting, up to `MICRO_BATCH_ARTICLES` articles, and parse them together with `nlp.pipe`, which is
cheaper per article than parsing one at a time. Under light load a request goes alone at once; under load
requests queue up and batches grow by themselves (adaptive micro-batching, no timer). A large request (long
texts) is parsed alone, and with more than one feeder the last takes only small requests, so a short
article never waits behind long or hostile ones. Where the parse runs
is the backend's business: in this process (`ThreadBackend`, one parse at a time because the
extractor is serialised) or in a pool of parser processes (`app.extraction.processes`).
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
from functools import cached_property, partial
from typing import Protocol

from app.core.exceptions import TextTooComplexError
from app.nlp.types import ArticleExtraction, PipelineInfo

logger = logging.getLogger(__name__)

Item = tuple[str, dt.date | None]
# At most this many articles go into one parse, unless a single request (a client's batch) is larger.
MICRO_BATCH_ARTICLES = 32
# A request holding more characters than this is large: with several feeders, the last one never takes
# large requests, so a short article never waits behind long or hostile texts (a news article has 2,000 to
# 10,000 characters; a parse of 20,000 takes about a second).
LARGE_REQUEST_CHARS = 20_000


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


@dataclass(frozen=True)
class ExtractionTimedOut:
    """An article whose parse alone ran past its time budget (`CLAIMS_PARSE_TIMEOUT_SECONDS`) and was
    stopped; the other articles of its batch are unaffected."""

    budget: float


Outcome = ArticleExtraction | ExtractionFailed | ExtractionTimedOut


class ExtractionUnavailableError(RuntimeError):
    """The parse could not run (a parser process died); nothing was extracted, and a retry may succeed."""


class ExtractionCancelledError(RuntimeError):
    """The parse was stopped because every client waiting for it had gone."""


NOBODY_WAITS = "Nobody waits for this parse any more."


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
    """Where parses run: `parse` blocks the calling feeder thread until the outcomes are back."""

    def parse(self, items: Sequence[Item], abandoned: Callable[[], bool] = ...) -> Parsed:
        """Outcomes of these articles; `ExtractionUnavailableError` when the parse could not run, and
        `ExtractionCancelledError` when it stopped because `abandoned()` said nobody waits for it."""
        ...

    def shutdown(self) -> None:
        """Release the backend's threads or processes."""
        ...


class ThreadBackend:
    """Parses in this process, in the feeder's thread: the loaded extractor serialises the parses."""

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor

    def parse(self, items: Sequence[Item], abandoned: Callable[[], bool] = lambda: False) -> Parsed:
        """Parse here and now (a parse in this process cannot be stopped: no budget, no cancelling)."""
        return extract_each(self.extractor, items)

    def shutdown(self) -> None:
        """Nothing to release."""


@dataclass
class _ParseRequest:
    """Articles submitted together, and the future their outcomes go to."""

    items: list[Item]
    future: Future[list[Outcome]]
    gone: threading.Event  # set when its client has gone: the parse is not needed for it any more

    @cached_property
    def large(self) -> bool:
        """More than `LARGE_REQUEST_CHARS` characters."""
        return sum(len(text) for text, _ in self.items) > LARGE_REQUEST_CHARS


class ExtractionService:
    """A queue of parse requests and the feeder threads that feed them, batched, to a backend."""

    def __init__(
        self,
        backend: Backend,
        info: PipelineInfo,
        feeders: int,
        record: Callable[[float, int], None] | None = None,
    ) -> None:
        self.backend, self.info, self._record = backend, info, record
        self._requests: deque[_ParseRequest | None] = deque()
        self._closed = False
        self._ready = threading.Condition()
        self._threads = [
            threading.Thread(
                target=self._feed,
                args=(feeders > 1 and n == feeders - 1,),
                name=f"extract-{n}",
                daemon=True,
            )
            for n in range(feeders)
        ]
        for thread in self._threads:
            thread.start()

    def submit_many(
        self, items: Sequence[Item], gone: threading.Event | None = None
    ) -> Future[list[Outcome]]:
        """Queue articles to be parsed together (and with whatever else is waiting); `gone`, once set,
        says that their client no longer waits (a parse nobody waits for is stopped)."""
        return self._submit(items, gone).future

    def _submit(self, items: Sequence[Item], gone: threading.Event | None = None) -> _ParseRequest:
        request = _ParseRequest(list(items), Future(), gone or threading.Event())
        with self._ready:
            if self._closed:  # a handler still running after shutdown began: no feeder will come
                request.future.set_exception(ExtractionUnavailableError("The service is shutting down."))
                return request
            self._requests.append(request)
            self._ready.notify_all()  # one that may not take it would go back to sleep with it
        return request

    async def extract(
        self, text: str, published_at: dt.date | None, gone: threading.Event | None = None
    ) -> ArticleExtraction:
        """One article's claims, awaited without blocking the event loop; a caller cancelled while it
        waits gives up its share of the parse, as when `gone` is set."""
        request = self._submit([(text, published_at)], gone)
        try:
            outcomes = await asyncio.wrap_future(request.future)
        except asyncio.CancelledError:
            request.gone.set()
            raise
        return _unwrap(outcomes[0])

    def extract_blocking(
        self, text: str, published_at: dt.date | None, gone: threading.Event | None = None
    ) -> ArticleExtraction:
        """One article's claims, waiting in the calling thread; never call this on the event loop."""
        return _unwrap(self.submit_many([(text, published_at)], gone).result()[0])

    def extract_many_blocking(
        self, items: Sequence[Item], gone: threading.Event | None = None
    ) -> list[Outcome]:
        """Outcomes of many articles parsed together, waiting in the calling (request) thread."""
        return self.submit_many(items, gone).result() if items else []

    def shutdown(self) -> None:
        """Stop the feeders (requests still queued are cancelled), then the backend."""
        with self._ready:
            self._closed = True
            pending = [request for request in self._requests if request is not None]
            self._requests.clear()
            self._requests.extend([None] * len(self._threads))
            self._ready.notify_all()
        for request in pending:
            request.future.cancel()
        for thread in self._threads:
            thread.join()
        self.backend.shutdown()

    def _feed(self, small_only: bool) -> None:
        """Take what is waiting, parse it in one go, hand each request its outcomes; until told to stop."""
        while (requests := self._take(small_only)) is not None:
            live = [request for request in requests if request.future.set_running_or_notify_cancel()]
            for request in [
                request for request in live if request.gone.is_set()
            ]:  # its client left while it waited
                request.future.set_exception(ExtractionCancelledError(NOBODY_WAITS))
                live.remove(request)
            if not live:
                continue
            try:
                items = [item for request in live for item in request.items]
                parsed = self.backend.parse(items, partial(_all_gone, live))
            except BaseException as exc:  # a dead parser process, or a bug: every waiting caller hears of it
                for request in live:
                    request.future.set_exception(exc)
                continue
            start = 0
            for request in live:
                request.future.set_result(parsed.outcomes[start : start + len(request.items)])
                start += len(request.items)
            try:
                self._observe(parsed)
            except Exception:  # metrics must never stop a feeder
                logger.exception("recording a parse's metrics failed")

    def _take(self, small_only: bool) -> list[_ParseRequest] | None:
        """The next request this feeder may take (waiting for one) and, unless it is large, the small requests
        behind it while the batch stays within its cap; `small_only` passes over large requests. None: stop.

        A large request is parsed alone: batching saves nothing on long texts, and a short article batched
        with one would wait for it."""
        with self._ready:
            while not (
                eligible := [i for i, request in enumerate(self._requests) if _may_take(request, small_only)]
            ):
                self._ready.wait()
            first = self._requests[eligible[0]]
            if first is None:
                del self._requests[eligible[0]]
                return None
            chosen, size = [eligible[0]], len(first.items)
            for position in [] if first.large else eligible[1:]:
                request = self._requests[position]
                if request is None or size + len(request.items) > MICRO_BATCH_ARTICLES:
                    break
                if request.large:
                    continue
                chosen.append(position)
                size += len(request.items)
            requests = [self._requests[position] for position in chosen]
            for position in reversed(chosen):
                del self._requests[position]
            return [request for request in requests if request is not None]

    def _observe(self, parsed: Parsed) -> None:
        """Report each article's share of the parse time and its claim count."""
        if self._record is None or not parsed.outcomes:
            return
        share = parsed.seconds / len(parsed.outcomes)
        for outcome in parsed.outcomes:
            self._record(share, len(outcome.claims) if isinstance(outcome, ArticleExtraction) else 0)


def _may_take(request: _ParseRequest | None, small_only: bool) -> bool:
    """Whether a feeder may take this request (None: the stop mark, for every feeder)."""
    return request is None or not (small_only and request.large)


def _all_gone(requests: list[_ParseRequest]) -> bool:
    """No client waits for any of these requests any more."""
    return all(request.gone.is_set() for request in requests)


def _unwrap(outcome: Outcome) -> ArticleExtraction:
    """The extraction, or `ExtractionError` for an article the pipeline failed on."""
    if isinstance(outcome, ExtractionFailed):
        raise ExtractionError(f"the pipeline failed on this article ({outcome.error})")
    if isinstance(outcome, ExtractionTimedOut):
        raise TextTooComplexError(too_complex_detail(outcome.budget))
    return outcome


def too_complex_detail(budget: float) -> str:
    """What a client is told about an article whose parse ran out of time."""
    return (
        f"Extracting claims from this text took longer than the {budget:g} s it may take; "
        "it was stopped. Send a shorter or plainer text."
    )


def thread_service(
    extractor: Extractor, threads: int, record: Callable[[float, int], None] | None = None
) -> ExtractionService:
    """An extraction service that parses in this process (`CLAIMS_EXTRACTION_PROCESSES=0`)."""
    return ExtractionService(ThreadBackend(extractor), extractor.info, threads, record)
