"""`POST /v1/articles:batch` end to end: one result per item, and no item sinks another."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.nlp.extractor import ClaimExtractor
from app.nlp.types import ArticleExtraction, PipelineInfo
from app.schemas.article import ArticleCreate
from app.services import articles, ingest
from tests.api.conftest import PROBLEM_BASE, assert_problem, started_client
from tests.conftest import MAX_TEXT_CHARS, count_rows

BATCH = "/v1/articles:batch"
POISON = "POISON"


def _said(n: int | str) -> str:
    return f'Ali Khan said "report {n} is ready."'


def _problem_of(result: dict[str, Any], status: int, slug: str) -> dict[str, Any]:
    assert result["status"] == status and "id" not in result and "location" not in result
    problem: dict[str, Any] = result["problem"]
    assert (problem["status"], problem["type"], problem["instance"]) == (status, PROBLEM_BASE + slug, BATCH)
    return problem


def test_good_items_are_stored_and_bad_ones_get_their_own_problem(client: TestClient, engine: Engine) -> None:
    items: list[Any] = [
        {"text": _said(1), "title": "one"},
        {"text": "   "},
        {"text": _said(2), "published_at": "last Tuesday"},
        {"text": "x" * (MAX_TEXT_CHARS + 1)},
        {"text": _said(3), "published_at": "2024-03-01"},
        42,
        {"title": "no text"},
    ]
    response = client.post(BATCH, json={"articles": items})

    assert response.status_code == 207, response.text
    body = response.json()
    results = body["results"]
    assert [r["index"] for r in results] == list(range(7))
    assert [r["status"] for r in results] == [201, 422, 422, 413, 201, 422, 422]
    assert (body["created"], body["existing"], body["failed"]) == (2, 0, 5)
    empty = _problem_of(results[1], 422, "validation")
    assert empty["errors"][0]["loc"] == ["body", "articles", 1, "text"]
    assert _problem_of(results[2], 422, "validation")["errors"][0]["loc"] == [
        "body",
        "articles",
        2,
        "published_at",
    ]
    assert str(MAX_TEXT_CHARS) in _problem_of(results[3], 413, "text-too-large")["detail"]
    assert _problem_of(results[6], 422, "validation")["errors"][0]["type"] == "missing"
    stored = client.get(results[4]["location"]).json()
    assert stored["published_at"] == "2024-03-01" and stored["claims"][0]["text"] == "report 3 is ready."
    assert client.get(f"/v1/articles/{results[0]['id']}").json()["title"] == "one"
    assert count_rows(engine, "articles") == 2


def test_an_item_with_a_lone_surrogate_gets_its_own_422_and_the_others_are_stored(
    client: TestClient, engine: Engine
) -> None:
    items = [{"text": _said(1)}, {"text": _said(2), "title": "Report \udc00"}, {"text": _said(3)}]
    body = json.dumps({"articles": items})  # ASCII JSON: the surrogate travels escaped, as JSON allows

    response = client.post(BATCH, content=body, headers={"content-type": "application/json"})

    assert response.status_code == 207, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 422, 201]
    errors = _problem_of(results[1], 422, "validation")["errors"]
    assert [e["loc"] for e in errors] == [["body", "articles", 1, "title"]]
    assert count_rows(engine, "articles") == 2


def test_texts_stored_before_or_repeated_in_the_batch_are_stored_once(
    client: TestClient, engine: Engine
) -> None:
    before = client.post("/v1/articles", json={"text": _said("old")}).json()

    response = client.post(
        BATCH, json={"articles": [{"text": _said("new")}, {"text": _said("old")}, {"text": _said("new")}]}
    )

    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 200, 200]
    assert results[1]["id"] == before["id"] and results[2]["id"] == results[0]["id"] != before["id"]
    assert results[2]["location"] == f"/v1/articles/{results[0]['id']}"
    assert count_rows(engine, "articles") == 2
    assert count_rows(engine, "claims") == 2


def test_a_batch_over_the_cap_or_empty_is_refused_whole(
    database_url: str, claim_extractor: ClaimExtractor, engine: Engine
) -> None:
    with started_client(database_url, claim_extractor, batch_max_articles=2) as client:
        over = client.post(BATCH, json={"articles": [{"text": _said(n)} for n in range(3)]})
        empty = client.post(BATCH, json={"articles": []})
        not_a_batch = client.post(BATCH, json=[{"text": _said(1)}])
        at_cap = client.post(BATCH, json={"articles": [{"text": _said(n)} for n in range(2)]})

    problem = assert_problem(over, 422, "validation")
    assert problem["errors"] == [
        {"loc": ["body", "articles"], "msg": "List should have at most 2 items, not 3", "type": "too_long"}
    ]
    assert assert_problem(empty, 422, "validation")["errors"][0]["type"] == "too_short"
    assert_problem(not_a_batch, 422, "validation")
    assert at_cap.status_code == 207 and count_rows(engine, "articles") == 2


def test_an_item_that_fails_to_store_leaves_nothing_and_the_others_are_stored(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = articles.store_article

    def failing_after_writing(session: Session, data: ArticleCreate, *args: Any) -> articles.IngestResult:
        result = real(session, data, *args)  # the article, its claims and new entities are flushed
        if "2" in data.text:
            raise RuntimeError("disk on fire")
        return result

    monkeypatch.setattr(ingest, "store_article", failing_after_writing)
    texts = [_said(1), 'Zara Ahmed said "report 2 is late."', _said(3)]

    results = client.post(BATCH, json={"articles": [{"text": t} for t in texts]}).json()["results"]

    assert [r["status"] for r in results] == [201, 500, 201]
    assert _problem_of(results[1], 500, "internal")["detail"].startswith("An unexpected error")
    assert count_rows(engine, "articles") == 2 and count_rows(engine, "claims") == 2
    speakers = client.get("/v1/claims", params={"speaker": "Zara Ahmed"}).json()
    assert speakers["total"] == 0
    assert client.get("/v1/claims", params={"speaker": "Ali Khan"}).json()["total"] == 2


class Poisoned:
    """The real extractor, raising (as a bug in a claim rule would) on any batch holding `POISON`."""

    def __init__(self, real: ClaimExtractor) -> None:
        self.real = real

    @property
    def info(self) -> PipelineInfo:
        return self.real.info

    def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        return next(iter(self.extract_many([(text, published_at)])))

    def extract_many(self, items: Sequence[tuple[str, dt.date | None]]) -> Iterator[ArticleExtraction]:
        if any(POISON in text for text, _ in items):
            raise ValueError("a claim rule crashed")
        yield from self.real.extract_many(items)


def test_an_article_the_pipeline_fails_on_fails_alone(
    database_url: str, claim_extractor: ClaimExtractor, engine: Engine
) -> None:
    app_extractor: Any = Poisoned(claim_extractor)
    with started_client(database_url, app_extractor) as client:
        texts = [_said(1), f'Ali Khan said "{POISON}."', _said(3)]
        batch = client.post(BATCH, json={"articles": [{"text": t} for t in texts]})
        single = client.post("/v1/articles", json={"text": texts[1]})

    assert [r["status"] for r in batch.json()["results"]] == [201, 500, 201]
    assert_problem(single, 500, "internal")
    assert count_rows(engine, "articles") == 2
