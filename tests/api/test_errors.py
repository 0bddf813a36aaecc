"""Every failure is an RFC 9457 problem with the right status, and a failed request writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from app.services.entities import EntityRegistry
from tests.api.conftest import assert_problem
from tests.conftest import MAX_TEXT_CHARS, count_rows

BODY_ENDPOINTS = ["/v1/extract", "/v1/articles"]


def _nothing_stored(engine: Engine) -> bool:
    return all(count_rows(engine, t) == 0 for t in ("articles", "claims", "entities", "entity_aliases"))


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": " \n\t "}, "text"),
        ({"title": "no text"}, "text"),
        ({"text": None}, "text"),
        ({"text": "Ali said so.", "published_at": "yesterday"}, "published_at"),
        ({"text": "Ali said so.", "published_at": "2024-02-30"}, "published_at"),
        ({"text": "Ali said so.", "published_at": 1730937600}, "published_at"),
        ({"text": "Ali said so.\x00"}, "text"),
        ({"text": "Ali said so.", "title": "\x00"}, "title"),
    ],
)
def test_invalid_body_is_a_422_problem_naming_the_field(
    client: TestClient, engine: Engine, path: str, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(client.post(path, json=body), 422, "validation")

    assert [e["loc"] for e in problem["errors"]] == [["body", field]]
    assert field in problem["detail"]
    assert _nothing_stored(engine)


def post_json(client: TestClient, path: str, body: Any) -> Response:
    """POST `body` as ASCII JSON, so that a lone surrogate travels escaped (`"\\ud800"`), as JSON allows."""
    return client.post(path, content=json.dumps(body), headers={"content-type": "application/json"})


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
@pytest.mark.parametrize("field", ["text", "title", "url", "source"])
def test_a_lone_surrogate_is_a_422_problem_naming_the_field(
    client: TestClient, engine: Engine, path: str, field: str
) -> None:
    # A pair (an emoji) is one character and fine anywhere; only the lone half is refused.
    pair = "\U0001f600"
    body = {"text": f"Ali said so {pair}.", "title": pair, "url": pair, "source": pair}
    body[field] = "Ali said so \ud800 twice."

    problem = assert_problem(post_json(client, path, body), 422, "validation")

    assert [e["loc"] for e in problem["errors"]] == [["body", field]]
    assert "surrogate (U+D800 at character 12)" in problem["detail"]
    assert _nothing_stored(engine)


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
@pytest.mark.parametrize(
    ("published_at", "when", "date"),
    [
        ("0001-01-01", "yesterday", None),  # year 0: no day
        ("0001-01-01", "two weeks after the vote", "0001-01-01"),  # no event date: the publication day
        ("9999-12-31", "on December 30", "9999-12-30"),
    ],
)
def test_a_statement_dated_past_the_calendars_ends_has_no_date_and_is_no_500(
    client: TestClient, path: str, published_at: str, when: str, date: str | None
) -> None:
    body = {"text": f'Ali Khan said {when} that "the bridge will open in May."', "published_at": published_at}

    response = client.post(path, json=body)

    assert response.status_code in (200, 201), response.text
    [claim] = response.json()["claims"]
    assert claim["date"]["value"] == date


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
def test_malformed_json_is_a_400_problem(client: TestClient, engine: Engine, path: str) -> None:
    response = client.post(
        path, content=b'{"text": "unterminated', headers={"content-type": "application/json"}
    )

    problem = assert_problem(response, 400, "malformed-json")
    assert "not valid JSON" in problem["detail"]
    assert _nothing_stored(engine)


@pytest.mark.parametrize("path", BODY_ENDPOINTS)
def test_text_over_the_limit_is_a_413_problem_and_at_the_limit_is_accepted(
    client: TestClient, engine: Engine, path: str
) -> None:
    words = ("The minister said the talks went well. " * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS]

    problem = assert_problem(client.post(path, json={"text": words + "x"}), 413, "text-too-large")
    assert str(MAX_TEXT_CHARS) in problem["detail"]
    assert _nothing_stored(engine)
    assert client.post(path, json={"text": words}).status_code in (200, 201)


def test_unknown_ids_are_404_problems(client: TestClient) -> None:
    assert_problem(client.get("/v1/articles/424242"), 404, "not-found")
    assert_problem(client.delete("/v1/articles/424242"), 404, "not-found")
    assert_problem(client.get("/v1/claims/424242"), 404, "not-found")


def test_malformed_ids_and_query_parameters_are_422_problems(client: TestClient) -> None:
    assert_problem(client.get("/v1/articles/abc"), 422, "validation")
    # Past what the id (32-bit) and offset (64-bit) columns hold: refused, not a driver error (a fuzzer find).
    for path in (f"/v1/articles/{2**31}", f"/v1/claims/{-(2**63)}", "/v1/claims/0", f"/v1/jobs/{2**43}"):
        assert_problem(client.get(path), 422, "validation")
    for params in (
        {"q": "nul\x00"},  # PostgreSQL text cannot hold it (a fuzzer find, as for the body below)
        {"offset": 2**63},
        {"article_id": 2**31},
        {"stance": "love"},
        {"type": "rumour"},
        {"date_from": "07/11/2024"},
        {"date_from": "2024-11-08", "date_to": "2024-11-07"},
        {"limit": 0},
        {"limit": 101},
        {"offset": -1},
    ):
        assert_problem(client.get("/v1/claims", params=params), 422, "validation")
    assert_problem(client.get("/v1/articles", params={"limit": 101}), 422, "validation")
    assert client.get("/v1/claims", params={"limit": 100}).status_code == 200


def test_framework_errors_are_problems_too(client: TestClient) -> None:
    assert_problem(client.get("/v2/nothing"), 404, None)
    response = client.put("/v1/articles")
    assert_problem(response, 405, None)
    assert "POST" in response.headers["allow"]


def test_our_failure_is_a_generic_500_and_rolls_back_everything(
    client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch, seed_text: str
) -> None:
    calls = []

    def fail_midway(self: EntityRegistry, *args: Any, **kwargs: Any) -> Any:
        calls.append(args)  # the article row and the entities are written by now, the aliases not yet
        raise RuntimeError("boom at /srv/app/secret.py: SELECT * FROM articles")

    monkeypatch.setattr(EntityRegistry, "_add_aliases_of", fail_midway)
    response = client.post("/v1/articles", json={"text": seed_text})

    assert_problem(response, 500, "internal")
    assert len(calls) == 1
    for leak in ("boom", "secret", "SELECT", "Traceback", "RuntimeError"):
        assert leak not in response.text
    assert _nothing_stored(engine)
