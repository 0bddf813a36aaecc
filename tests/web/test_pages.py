"""The pages without a browser: where they are, what they escape, who may see them, what they load."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.core.keys import hash_key
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem, started_client

HOSTILE_TITLE = '<script>alert("x")</script>'


def test_the_front_door_leads_to_the_articles(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)

    assert response.status_code == 307 and response.headers["location"] == "/ui/"
    assert "No article is stored yet" in client.get("/ui/").text


def test_an_article_page_escapes_what_clients_sent_and_loads_only_its_stylesheet(
    client: TestClient, seed_text: str
) -> None:
    hostile = {"text": seed_text, "title": HOSTILE_TITLE, "url": "javascript:alert(1)"}
    stored = client.post("/v1/articles", json=hostile).json()
    page = client.get(f"/ui/articles/{stored['id']}")
    listing = client.get("/ui/")

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert HOSTILE_TITLE not in page.text and "&lt;script&gt;" in page.text
    assert "javascript:" not in page.text  # a link only to an http(s) original
    assert HOSTILE_TITLE not in listing.text and "1 stored" in listing.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'; style-src 'self'")
    assert page.text.count('class="claim"') == len(stored["claims"])
    assert client.get("/ui/static/style.css").status_code == 200
    missing = client.get("/ui/articles/999999")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "There is no article with id 999999" in missing.text


def test_the_form_takes_a_browsers_post_and_only_there(client: TestClient) -> None:
    said = {"text": "Harbour master Oskar Lind said the ferry would run again on Friday."}
    page = client.post("/ui/extract", data=said)
    elsewhere = client.post("/v1/extract", data=said)
    empty = client.post("/ui/extract", data={"text": "  "})

    assert page.status_code == 200 and "Oskar Lind" in page.text and "1 claims" in page.text
    assert_problem(elsewhere, 415, "unsupported-media-type")
    assert empty.status_code == 422 and 'role="alert"' in empty.text
    assert client.get("/v1/articles").json()["total"] == 0  # nothing stored


def test_with_api_keys_the_pages_need_one_unless_made_public(
    database_url: str, claim_extractor: ClaimExtractor, engine: Any
) -> None:
    keys = {"api_key_hashes": [hash_key("reader-key-0123456789")]}
    with started_client(database_url, claim_extractor, **keys) as private:
        refused = private.get("/ui/")
        assert refused.status_code == 401 and "need an API key" in refused.text  # a page, for a person
        assert private.get("/ui/", headers={"X-API-Key": "reader-key-0123456789"}).status_code == 200
    with started_client(database_url, claim_extractor, **keys, pages_public=True) as public:
        assert public.get("/ui/").status_code == 200
        assert_problem(public.get("/v1/claims"), 401, "unauthorized")  # the API keeps its key
