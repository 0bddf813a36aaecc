"""`/v1/jobs` end to end without a broker: items run on the app's own job thread, on each database."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.db.session import create_session_factory, unit_of_work
from app.nlp.extractor import ClaimExtractor
from app.schemas.article import ArticleCreate
from app.services import jobs
from app.services.jobs import NewJobItem
from tests.api.conftest import assert_problem, started_client
from tests.conftest import MAX_TEXT_CHARS, count_rows

PROBLEM_BASE = "https://claims.example/problems/"


def wait_for_job(client: TestClient, location: str, seconds: float = 60.0) -> dict[str, Any]:
    """The job once it is done (polled), with up to 100 of its items."""
    deadline = time.monotonic() + seconds
    while True:
        body: dict[str, Any] = client.get(location, params={"limit": 100}).json()
        if body["status"] == "done" or time.monotonic() > deadline:
            assert body["status"] == "done", body
            return body
        time.sleep(0.05)


def quote(n: int) -> str:
    """A short article that is different for each `n`."""
    return f'The mayor of Town {n} said "the new bridge will open in May."'


def test_a_job_stores_its_articles_and_reports_each_item(client: TestClient, engine: Engine) -> None:
    items: list[Any] = [
        {"text": quote(1), "title": "One", "published_at": "2024-03-01"},
        {"text": quote(2), "source": "Example Times"},
        {"text": quote(1)},  # the same text again: the same article
        {"text": "   "},
        {"text": quote(3), "published_at": "yesterday"},
        "not an object",
        {"text": "x" * (MAX_TEXT_CHARS + 1)},
    ]
    response = client.post("/v1/jobs", json={"items": items})

    assert response.status_code == 202, response.text
    created = response.json()
    assert response.headers["location"] == f"/v1/jobs/{created['id']}"
    # the job as accepted, however fast the workers are: the refused items failed, the others wait
    assert (created["status"], created["total"], created["done"], created["failed"]) == ("queued", 7, 0, 4)
    assert [item["status"] for item in created["items"]["items"]] == ["pending"] * 3 + ["failed"] * 4

    job = wait_for_job(client, response.headers["location"])
    statuses = [item["status"] for item in job["items"]["items"]]
    assert statuses == ["stored", "stored", "existing", "failed", "failed", "failed", "failed"]
    assert (job["total"], job["done"], job["failed"]) == (7, 3, 4)
    assert job["finished_at"] is not None and job["items"]["total"] == 7
    ids = [item["article_id"] for item in job["items"]["items"]]
    assert ids[0] == ids[2] and ids[0] != ids[1] and ids[3:] == [None] * 4
    assert count_rows(engine, "articles") == 2
    article = client.get(f"/v1/articles/{ids[0]}").json()
    assert (article["title"], article["published_at"], article["claims"] != []) == ("One", "2024-03-01", True)

    problems = [item["problem"] for item in job["items"]["items"]]
    assert problems[:3] == [None] * 3
    assert [p["type"].removeprefix(PROBLEM_BASE) for p in problems[3:]] == [
        "validation",
        "validation",
        "validation",
        "text-too-large",
    ]
    assert problems[3]["errors"][0]["loc"] == ["body", "items", 3, "text"]
    assert problems[4]["errors"][0]["loc"] == ["body", "items", 4, "published_at"]
    assert problems[6]["status"] == 413


def test_an_article_stored_before_is_the_items_article(client: TestClient) -> None:
    stored = client.post("/v1/articles", json={"text": quote(7)}).json()

    response = client.post("/v1/jobs", json={"items": [{"text": quote(7)}]})
    job = wait_for_job(client, response.headers["location"])

    assert job["items"]["items"][0] | {"problem": None} == {
        "position": 0,
        "status": "existing",
        "article_id": stored["id"],
        "problem": None,
    }


def test_items_come_a_page_at_a_time_and_filtered_by_status(client: TestClient) -> None:
    items = [{"text": quote(n)} if n % 2 else {"text": ""} for n in range(6)]
    location = client.post("/v1/jobs", json={"items": items}).headers["location"]
    wait_for_job(client, location)

    page = client.get(location, params={"limit": 2, "offset": 1}).json()["items"]
    failed = client.get(location, params={"item_status": "failed"}).json()["items"]

    assert [i["position"] for i in page["items"]] == [1, 2] and page["total"] == 6
    assert (page["limit"], page["offset"]) == (2, 1)
    assert [i["position"] for i in failed["items"]] == [0, 2, 4] and failed["total"] == 3
    assert_problem(client.get(location, params={"item_status": "lost"}), 422, "validation")


def test_an_item_with_a_lone_surrogate_fails_alone_and_the_others_are_stored(client: TestClient) -> None:
    items = [{"text": quote(1)}, {"text": quote(2) + "\ud800"}, {"text": quote(3), "url": "https://x/\udfff"}]
    body = json.dumps({"items": items})  # ASCII JSON: the surrogates travel escaped, as JSON allows

    response = client.post("/v1/jobs", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 202, response.text
    job = wait_for_job(client, response.headers["location"])
    assert [item["status"] for item in job["items"]["items"]] == ["stored", "failed", "failed"]
    problems = [item["problem"] for item in job["items"]["items"][1:]]
    assert [p["status"] for p in problems] == [422, 422]
    assert [p["errors"][0]["loc"] for p in problems] == [
        ["body", "items", 1, "text"],
        ["body", "items", 2, "url"],
    ]


def test_a_job_of_refused_items_only_is_done_at_once(client: TestClient) -> None:
    response = client.post("/v1/jobs", json={"items": [{"text": ""}, {"title": "no text"}]})

    body = response.json()
    assert response.status_code == 202
    assert (body["status"], body["done"], body["failed"]) == ("done", 0, 2)
    assert body["finished_at"] is not None


def test_an_unknown_job_is_a_404_problem(client: TestClient) -> None:
    assert_problem(client.get("/v1/jobs/999999"), 404, "not-found")


def test_a_malformed_job_is_refused_whole(client: TestClient) -> None:
    assert_problem(client.post("/v1/jobs", json={"items": []}), 422, "validation")
    assert_problem(client.post("/v1/jobs", json={"items": {"text": quote(1)}}), 422, "validation")
    assert_problem(client.post("/v1/jobs", json=[{"text": quote(1)}]), 422, "validation")
    assert_problem(
        client.post("/v1/jobs", content=b'{"items": [', headers={"content-type": "application/json"}),
        400,
        "malformed-json",
    )


def test_more_items_than_the_cap_are_refused(
    engine: Engine, database_url: str, claim_extractor: ClaimExtractor
) -> None:
    with started_client(database_url, claim_extractor, job_max_items=2) as client:
        refused = client.post("/v1/jobs", json={"items": [{"text": quote(n)} for n in range(3)]})

    body = assert_problem(refused, 413, "too-many-items")
    assert "at most 2" in body["detail"]
    assert count_rows(engine, "jobs") == 0


def test_a_job_may_be_larger_than_other_requests_up_to_its_own_body_limit(
    engine: Engine, database_url: str, claim_extractor: ClaimExtractor
) -> None:
    items = {"items": [{"text": quote(n) + " " * 400} for n in range(4)]}  # about 1,900 bytes
    limits = {"max_body_bytes": 1_000, "job_max_body_bytes": 2_500}
    with started_client(database_url, claim_extractor, **limits) as client:
        accepted = client.post("/v1/jobs", json=items)
        one_article = client.post("/v1/articles", json={"text": quote(0) + " " * 1_000})
        too_big = client.post("/v1/jobs", json={"items": items["items"] * 2})

    assert accepted.status_code == 202
    assert_problem(one_article, 413, "body-too-large")
    assert "2500" in assert_problem(too_big, 413, "body-too-large")["detail"]
    assert count_rows(engine, "jobs") == 1


def test_items_left_pending_are_resumed_when_the_app_starts(
    engine: Engine, database_url: str, claim_extractor: ClaimExtractor
) -> None:
    with unit_of_work(create_session_factory(engine)) as session:  # as if the last process died
        job, _ = jobs.create_job(session, [NewJobItem(ArticleCreate(text=quote(n))) for n in range(2)])

    with started_client(database_url, claim_extractor) as client:
        body = wait_for_job(client, f"/v1/jobs/{job.id}")

    assert (body["done"], body["failed"]) == (2, 0)
    assert count_rows(engine, "articles") == 2


def test_a_broker_that_cannot_be_reached_is_a_503_and_leaves_no_job(
    engine: Engine, database_url: str, claim_extractor: ClaimExtractor
) -> None:
    nowhere = "amqp://guest:guest@127.0.0.1:1/?connection_attempts=1&socket_timeout=1"
    with started_client(database_url, claim_extractor, broker_url=nowhere) as client:
        refused = client.post("/v1/jobs", json={"items": [{"text": quote(1)}]})

    body = assert_problem(refused, 503, "service-unavailable")
    assert "queue" in body["detail"]
    assert count_rows(engine, "jobs") == 0 and count_rows(engine, "job_items") == 0


def test_a_bad_item_gets_the_same_problem_in_a_job_as_in_a_batch(client: TestClient) -> None:
    bad: list[Any] = [{"text": "   "}, {"text": quote(4), "published_at": "soon"}, "not an object"]
    bad.append({"text": "x" * (MAX_TEXT_CHARS + 1)})

    in_batch = client.post("/v1/articles:batch", json={"articles": bad}).json()["results"]
    in_job = client.post("/v1/jobs", json={"items": bad}).json()["items"]["items"]

    def comparable(problem: dict[str, Any], field: str) -> str:
        """The problem without where it was reported, its locations named as in a job."""
        kept = {key: value for key, value in problem.items() if key != "instance" and value is not None}
        return (
            json.dumps(kept, sort_keys=True).replace(f'"{field}"', '"items"').replace(f".{field}.", ".items.")
        )

    assert [comparable(result["problem"], "articles") for result in in_batch] == [
        comparable(item["problem"], "items") for item in in_job
    ]
    assert [result["status"] for result in in_batch] == [422, 422, 422, 413]


def test_jobs_are_listed_newest_first_and_a_finished_one_cancels_to_itself(client: TestClient) -> None:
    first = client.post("/v1/jobs", json={"items": [{"text": quote(7)}]}).json()
    second = client.post("/v1/jobs", json={"items": [{"text": "  "}]}).json()  # refused: done at once
    wait_for_job(client, f"/v1/jobs/{first['id']}")

    listed = client.get("/v1/jobs").json()
    done = client.get("/v1/jobs", params={"status": "done"}).json()
    cancelled = client.delete(f"/v1/jobs/{first['id']}")

    assert [job["id"] for job in listed["items"]] == [second["id"], first["id"]] and listed["total"] == 2
    assert "items" not in listed["items"][0]  # counts only: the items are on the job's own page
    assert done["total"] == 2
    assert cancelled.status_code == 200 and (cancelled.json()["done"], cancelled.json()["failed"]) == (1, 0)
    assert_problem(client.delete("/v1/jobs/999999"), 404, "not-found")
    assert_problem(client.get("/v1/jobs", params={"status": "lost"}), 422, "validation")
