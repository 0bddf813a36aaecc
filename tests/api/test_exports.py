"""Exports of `GET /v1/claims`: every matching claim as CSV or NDJSON, streamed in flat memory."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.api import exports
from app.db.session import create_session_factory
from app.schemas.claim import ClaimRead
from app.services import articles
from app.services.claims import ClaimFilter
from tests.api.conftest import assert_problem
from tests.builders import article, claim, extraction, speaker, target


def all_pages(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    """Every matching claim, read page by page as JSON."""
    found: list[dict[str, Any]] = []
    while True:
        page = client.get("/v1/claims", params={**params, "limit": 100, "offset": len(found)}).json()
        found += page["items"]
        if len(found) >= page["total"]:
            return found


def test_csv_has_every_matching_claim_beyond_one_page_in_search_order(
    client: TestClient, posted_seed: dict[str, Any]
) -> None:
    response = client.get("/v1/claims", params={"limit": 1}, headers={"Accept": "text/csv"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expected = all_pages(client)
    assert [int(row["id"]) for row in rows] == [c["id"] for c in expected] and len(rows) > 10
    first = rows[0], expected[0]
    assert first[0]["speaker"] == first[1]["speaker"]["name"] and first[0]["text"] == first[1]["text"]
    trump = next(row for row in rows if "Donald Trump (" in row["targets"])
    assert trump["targets"].count("(") == len(
        next(c for c in expected if c["id"] == int(trump["id"]))["targets"]
    )


def test_ndjson_is_one_claim_per_line_with_the_filters_applied(
    client: TestClient, posted_seed: dict[str, Any]
) -> None:
    params = {"speaker": "baloch", "limit": 1}
    response = client.get("/v1/claims", params=params, headers={"Accept": "application/x-ndjson"})

    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines == all_pages(client, speaker="baloch") and len(lines) >= 3
    assert {line["speaker"]["name"] for line in lines} == {"Mumtaz Zahra Baloch"}


def test_an_export_checks_its_filters_first_and_may_be_empty(client: TestClient) -> None:
    csv_header = {"Accept": "text/csv"}
    bad = client.get(
        "/v1/claims", params={"date_from": "2024-02-01", "date_to": "2024-01-01"}, headers=csv_header
    )
    empty = client.get("/v1/claims", params={"speaker": "nobody"}, headers=csv_header)

    assert_problem(bad, 422, "validation")
    assert empty.text == ",".join(exports.CSV_COLUMNS) + "\r\n"


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text() -> None:
    read = ClaimRead.model_validate(
        {
            "id": 1,
            "article_id": 1,
            "type": "direct_quote",
            "text": '=HYPERLINK("http://evil.example","click")',
            "spans": [],
            "speaker": {"name": "@handle", "mention": "@handle", "type": "person", "role": None},
            "cue": {"text": "said", "lemma": "say"},
            "targets": [],
            "date": {"value": None, "text": None, "source": None},
            "confidence": 0.5,
        }
    )
    rendered = exports.render(exports.CSV, [({"id": 1}, read)], ("id",))
    [row] = list(csv.DictReader(io.StringIO("".join(rendered))))

    assert row["text"] == "'" + read.text and row["speaker"] == "'@handle"


def _store_claims(session: Session, who: str, articles_count: int, per_article: int) -> None:
    """`articles_count` articles of `per_article` hand-built claims by `who` each."""
    speaking = speaker(who, who.split()[-1], "person", role="Mayor")
    for n in range(articles_count):
        claims = [
            claim(
                f"claim {i} of {who}'s article {n}: the bridge will open", speaking, target("Porto", "favor")
            )
            for i in range(per_article)
        ]
        articles.store_article(session, article(f"{who} {n}"), extraction(*claims), "p")
    session.commit()


def _export_peak(engine: Engine, where: ClaimFilter) -> tuple[int, int]:
    """Claims written, and the peak of memory allocated while exporting them (each line dropped once
    written, as a client reading the stream would have it)."""
    sessions = create_session_factory(engine)
    tracemalloc.start()
    try:
        written = sum(1 for _ in exports.stream(sessions, where, exports.CSV))
        return written, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow  # stores and exports 12,000 claims
def test_an_export_of_ten_thousand_claims_takes_no_more_memory_than_one_of_two_thousand(
    engine: Engine, session: Session
) -> None:
    _store_claims(session, "Ana Lima", articles_count=10, per_article=200)
    _store_claims(session, "Rui Costa", articles_count=40, per_article=200)

    written_2k, peak_2k = _export_peak(engine, ClaimFilter(speaker="Ana Lima"))
    written_10k, peak_10k = _export_peak(engine, ClaimFilter())

    assert (written_2k, written_10k) == (2_000, 10_000)
    # Buffered, an export grows with its rows (five times the claims, about five times the memory);
    # streamed, it holds one chunk of 500 claims at a time, whatever the total.
    assert peak_10k < 1.5 * peak_2k, (peak_2k, peak_10k)


def test_a_claim_and_an_article_as_schema_org_claims_for_a_claim_review(
    client: TestClient, seed_text: str
) -> None:
    body = {"text": seed_text, "url": "https://news.example/pakistan-us", "title": "Pakistan and the US"}
    stored = client.post("/v1/articles", json=body).json()
    linked = {"Accept": "application/ld+json"}
    said = next(c for c in stored["claims"] if c["targets"] and c["date"]["value"])

    one = client.get(f"/v1/claims/{said['id']}", headers=linked)
    article = client.get(f"/v1/articles/{stored['id']}", headers=linked)

    assert one.headers["content-type"] == "application/ld+json"
    document = one.json()
    assert (document["@context"], document["@type"], document["text"]) == (
        "https://schema.org",
        "Claim",
        said["text"],
    )
    assert document["author"]["name"] == said["speaker"]["name"]
    assert document["dateCreated"] == said["date"]["value"]
    assert (
        document["appearance"]["url"] == body["url"] and document["appearance"]["headline"] == body["title"]
    )
    assert [thing["name"] for thing in document["about"]] == [t["name"] for t in said["targets"]]
    graph = article.json()["@graph"]
    assert [claim["identifier"] for claim in graph] == [c["id"] for c in stored["claims"]]
    assert client.get(f"/v1/claims/{said['id']}").json() == said  # plain JSON unless asked
