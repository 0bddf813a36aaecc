"""`/v1/articles` end to end with the real model: store once, read, list, delete."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem
from tests.conftest import count_rows


def test_posting_the_seed_stores_it_with_its_claims(
    client: TestClient, engine: Engine, seed_text: str, claim_extractor: ClaimExtractor
) -> None:
    response = client.post("/v1/articles", json={"text": seed_text, "title": "Ties", "source": "The News"})

    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/articles/{body['id']}"
    assert body["published_at"] == "2024-11-07" and body["published_at_source"] == "text"
    assert (body["title"], body["url"], body["source"]) == ("Ties", None, "The News")
    assert body["content_sha256"] == hashlib.sha256(seed_text.encode()).hexdigest()
    assert body["pipeline_version"] == claim_extractor.info.version
    assert body["created_at"].endswith("Z") or "+00:00" in body["created_at"]
    expected = claim_extractor.extract(seed_text, None).claims
    assert [c["text"] for c in body["claims"]] == [c.text for c in expected] != []
    assert all(c["article_id"] == body["id"] for c in body["claims"])
    assert len({c["id"] for c in body["claims"]}) == len(body["claims"])
    assert count_rows(engine, "claims") == len(body["claims"])

    fetched = client.get(response.headers["location"])
    assert fetched.status_code == 200 and fetched.json() == body


def test_posting_the_same_text_again_returns_the_stored_article(
    client: TestClient, engine: Engine, posted_seed: dict[str, Any], seed_text: str
) -> None:
    again = client.post("/v1/articles", json={"text": seed_text, "title": "another title"})

    assert again.status_code == 200
    assert again.json() == posted_seed  # the stored article, not the new title
    assert count_rows(engine, "articles") == 1
    assert count_rows(engine, "claims") == len(posted_seed["claims"])


def test_request_fields_are_stored(client: TestClient) -> None:
    sent = {
        "text": 'Ali Khan said "the bridge will open in May."',
        "title": "Bridge",
        "url": "https://example.org/bridge",
        "source": "Example Times",
        "published_at": "2024-03-01T08:00:00Z",
    }
    body = client.post("/v1/articles", json=sent).json()

    assert (body["title"], body["url"], body["source"]) == (
        "Bridge",
        "https://example.org/bridge",
        "Example Times",
    )
    assert body["published_at"] == "2024-03-01" and body["published_at_source"] == "request"
    assert client.get(f"/v1/articles/{body['id']}").json() == body


def test_list_is_newest_first_and_paged(client: TestClient) -> None:
    ids = [
        client.post("/v1/articles", json={"text": f'Officials said "report {n} is ready."'}).json()["id"]
        for n in range(3)
    ]

    first = client.get("/v1/articles", params={"limit": 2}).json()
    rest = client.get("/v1/articles", params={"limit": 2, "offset": 2}).json()
    default = client.get("/v1/articles").json()

    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert [a["id"] for a in first["items"] + rest["items"]] == ids[::-1]
    assert default["limit"] == 20 and len(default["items"]) == 3
    assert "claims" not in first["items"][0]


def test_delete_removes_the_article_and_its_claims_but_not_entities(
    client: TestClient, engine: Engine, posted_seed: dict[str, Any]
) -> None:
    entities = count_rows(engine, "entities")
    claim_id = posted_seed["claims"][0]["id"]

    response = client.delete(f"/v1/articles/{posted_seed['id']}")

    assert response.status_code == 204 and response.content == b""
    assert_problem(client.get(f"/v1/articles/{posted_seed['id']}"), 404, "not-found")
    assert_problem(client.get(f"/v1/claims/{claim_id}"), 404, "not-found")
    assert client.get("/v1/claims", params={"article_id": posted_seed["id"]}).json()["total"] == 0
    assert count_rows(engine, "claims") == 0 and count_rows(engine, "claim_targets") == 0
    assert count_rows(engine, "entities") == entities > 0
    assert_problem(client.delete(f"/v1/articles/{posted_seed['id']}"), 404, "not-found")


def test_a_deleted_articles_id_and_its_claims_ids_are_never_given_again(client: TestClient) -> None:
    # SQLite numbered a new row one past the highest id still stored: the newest article, deleted, gave
    # its id (and its claims' ids) to the next text, and a client's saved URL named another article
    texts = [
        '"The ferry will run all winter," harbour master Oskar Lind said on Monday.',
        '"We have ordered two new boats," operations chief Mara Velde said.',
    ]
    kept = client.post("/v1/articles", json={"text": texts[0]}).json()
    newest = client.post("/v1/articles", json={"text": texts[1]}).json()
    assert newest["claims"], newest
    assert client.delete(f"/v1/articles/{newest['id']}").status_code == 204

    again = client.post("/v1/articles", json={"text": texts[1] + " She did not say when."}).json()

    assert again["id"] > newest["id"] > kept["id"]
    assert min(c["id"] for c in again["claims"]) > max(c["id"] for c in newest["claims"])
    assert_problem(client.get(f"/v1/articles/{newest['id']}"), 404, "not-found")


def test_an_article_with_its_text_lets_a_reader_find_each_claim_in_it(
    client: TestClient, posted_seed: dict[str, Any], seed_text: str
) -> None:
    path = f"/v1/articles/{posted_seed['id']}"
    plain = client.get(path).json()
    full = client.get(path, params={"include": "text"}).json()
    bad = client.get(path, params={"include": "body"})

    assert plain["text"] is None and full["text"] == seed_text
    for claim in full["claims"]:
        parts = [full["text"][span["start"] : span["end"]] for span in claim["spans"]]
        assert " ... ".join(parts) == claim["text"]
    assert_problem(bad, 422, "validation")
