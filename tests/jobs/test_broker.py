"""The job path through the real RabbitMQ and real worker processes (`python -m dramatiq app.worker`).

The API (a TestClient app with `broker_url` set) publishes items; workers started here as
subprocesses, on the PostgreSQL test database, run them. Every test module run has queues of its own
(`claims-test-<random>`), deleted at the end, so runs sharing the broker never see each other's messages.
Skipped only when `TEST_BROKER_URL` is set to the empty string (or there is no PostgreSQL to share).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pika
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.jobs.dispatch import items_message, make_broker
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import started_client
from tests.api.test_jobs import (  # run again here, through the broker and a worker (see `client`)
    quote,
    test_a_job_of_refused_items_only_is_done_at_once,
    test_a_job_stores_its_articles_and_reports_each_item,
    test_a_malformed_job_is_refused_whole,
    test_an_article_stored_before_is_the_items_article,
    test_an_item_with_a_lone_surrogate_fails_alone_and_the_others_are_stored,
    test_items_come_a_page_at_a_time_and_filtered_by_status,
    wait_for_job,
)
from tests.conftest import DATA, MODEL, REPO, count_rows

BROKER_URL = os.environ.get("TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")
WORKER_READY_S = 60.0

# Shared with test_supervisor: real workers need a broker and the PostgreSQL the API uses.
BROKER_AND_POSTGRES = [
    pytest.mark.skipif(
        not BROKER_URL, reason="TEST_BROKER_URL is empty: the broker and worker tests are off"
    ),
    pytest.mark.skipif(
        not os.environ.get("TEST_POSTGRES_URL"),
        reason="workers and the API share the database: the broker tests need TEST_POSTGRES_URL",
    ),
    pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
]
pytestmark = BROKER_AND_POSTGRES


class Worker:
    """A `dramatiq app.worker` process group (parent and worker process) with its log."""

    def __init__(self, queue: str, database_url: str, log: Path) -> None:
        env = {
            **os.environ,
            "CLAIMS_DATABASE_URL": database_url,
            "CLAIMS_BROKER_URL": BROKER_URL,
            "CLAIMS_JOB_QUEUE": queue,
            "CLAIMS_SPACY_MODEL": MODEL,
            "CLAIMS_LOG_LEVEL": "INFO",
            # A budget of 1 s of CPU per item (up to a million characters): the short items here take
            # milliseconds, and LONG_TEXT seconds.
            "CLAIMS_PARSE_TIMEOUT_SECONDS": "1",
            "CLAIMS_MAX_TEXT_CHARS": "1000000",
        }
        self.log = log
        command = [sys.executable, "-m", "dramatiq", "app.worker", "--processes", "1", "--threads", "2"]
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def lines(self, pattern: str) -> int:
        """How many log lines match `pattern`."""
        return len(re.findall(pattern, self.log.read_text(encoding="utf-8", errors="replace")))

    def kill(self) -> None:
        """SIGKILL the whole group: no clean shutdown, no acks, as when a machine dies."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop gracefully (SIGTERM to the parent, which passes it on), or kill after 15 s."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


def consumers(queue: str) -> int:
    """How many consumers the queue has (a worker consumes once it has booted)."""
    connection = pika.BlockingConnection(pika.URLParameters(BROKER_URL))
    try:
        return int(connection.channel().queue_declare(queue, passive=True).method.consumer_count)
    except pika.exceptions.ChannelClosedByBroker:
        return 0  # not declared yet
    finally:
        if connection.is_open:
            connection.close()


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll until `condition` holds, or fail saying `what` did not happen."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def queue() -> Iterator[str]:
    """A queue name for this module's run; its queues (and their delay and dead-letter ones) go at the end."""
    name = f"claims-test-{uuid.uuid4().hex[:12]}"
    yield name
    connection = pika.BlockingConnection(pika.URLParameters(BROKER_URL))
    channel = connection.channel()
    for suffix in ("", ".DQ", ".XQ"):
        channel.queue_delete(name + suffix)
    connection.close()


@pytest.fixture(scope="module")
def start_worker(
    queue: str, tmp_path_factory: pytest.TempPathFactory, run_postgres_url: str
) -> Iterator[Callable[[str], Worker]]:
    """Starts named workers on the test database (booted when returned); all are stopped at the end."""
    started: list[Worker] = []
    database_url = run_postgres_url

    def start(name: str) -> Worker:
        worker = Worker(queue, database_url, tmp_path_factory.mktemp("workers") / f"{name}.log")
        started.append(worker)
        before = consumers(queue)
        wait_for(lambda: consumers(queue) > before or worker.process.poll() is not None, WORKER_READY_S, name)
        assert worker.process.poll() is None, worker.log.read_text()
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(scope="module")
def worker(start_worker: Callable[[str], Worker]) -> Worker:
    """One worker shared by this module's tests."""
    return start_worker("shared")


@pytest.fixture
def api(
    worker: Worker, engine: Engine, database_url: str, claim_extractor: ClaimExtractor, queue: str
) -> Iterator[TestClient]:
    """The app, publishing job items to the test queue, on emptied tables."""
    with started_client(database_url, claim_extractor, broker_url=BROKER_URL, job_queue=queue) as client:
        yield client


@pytest.fixture
def client(api: TestClient) -> TestClient:
    """What the in-process API tests imported above get here: the app that publishes to the broker."""
    return api


# The in-process API tests imported above: pytest collects them from this module too, with its fixtures.
REUSED_API_TESTS = (
    test_a_job_of_refused_items_only_is_done_at_once,
    test_a_job_stores_its_articles_and_reports_each_item,
    test_a_malformed_job_is_refused_whole,
    test_an_article_stored_before_is_the_items_article,
    test_an_item_with_a_lone_surrogate_fails_alone_and_the_others_are_stored,
    test_items_come_a_page_at_a_time_and_filtered_by_status,
)


def post_job(api: TestClient, items: list[Any]) -> str:
    """Submit a job; its location."""
    response = api.post("/v1/jobs", json={"items": items})
    assert response.status_code == 202, response.text
    return response.headers["location"]


def test_workers_store_a_jobs_articles(api: TestClient, engine: Engine) -> None:
    items = [{"text": quote(n)} for n in range(5)] + [{"text": quote(0)}, {"text": ""}]

    job = wait_for_job(api, post_job(api, items), seconds=30)

    assert (job["total"], job["done"], job["failed"]) == (7, 6, 1)
    statuses = [item["status"] for item in job["items"]["items"]]
    assert statuses == ["stored"] * 5 + ["existing", "failed"]
    ids = [item["article_id"] for item in job["items"]["items"]]
    assert len(set(ids[:5])) == 5 and ids[5] == ids[0]
    assert count_rows(engine, "articles") == 5
    assert api.get(f"/v1/articles/{ids[1]}").json()["claims"] != []


def test_an_item_past_its_parse_budget_fails_alone_with_that_problem(
    worker: Worker, engine: Engine, database_url: str, claim_extractor: ClaimExtractor, queue: str
) -> None:
    long_text = "\n\n".join([(DATA / "seed_article.txt").read_text(encoding="utf-8")] * 12)
    with started_client(
        database_url, claim_extractor, broker_url=BROKER_URL, job_queue=queue, max_text_chars=200_000
    ) as api:
        job = wait_for_job(api, post_job(api, [{"text": quote(20)}, {"text": long_text}]), seconds=60)

    items = job["items"]["items"]
    assert [item["status"] for item in items] == ["stored", "failed"]
    assert items[1]["problem"]["type"].endswith("/text-too-complex")
    assert worker.lines("ran past its") == 1


def test_a_message_delivered_twice_stores_its_article_once(
    api: TestClient, engine: Engine, worker: Worker, queue: str
) -> None:
    location = post_job(api, [{"text": quote(10)}, {"text": quote(11)}])
    job = wait_for_job(api, location, seconds=30)
    item_ids = _item_ids(engine, job["id"])
    skipped_before = worker.lines(r"nothing to do|finished by another delivery")

    broker = make_broker(BROKER_URL)  # the same messages again, as RabbitMQ redelivers them
    broker.enqueue(items_message(queue, item_ids))
    broker.enqueue(items_message(queue, item_ids[:1]))
    broker.close()
    wait_for(
        lambda: worker.lines(r"nothing to do|finished by another delivery") == skipped_before + 3,
        30,
        "the redelivered messages being consumed",
    )

    again = api.get(location).json()
    assert (again["done"], again["failed"]) == (2, 0)
    assert [i["article_id"] for i in again["items"]["items"]] == [
        i["article_id"] for i in job["items"]["items"]
    ]
    assert count_rows(engine, "articles") == 2


def test_a_worker_killed_mid_job_leaves_its_items_to_another(
    api: TestClient, engine: Engine, worker: Worker, start_worker: Callable[[str], Worker], seed_text: str
) -> None:
    doomed = start_worker("doomed")
    total = 30
    location = post_job(api, [{"text": f"{seed_text}\n\nReport number {n}."} for n in range(total)])

    wait_for(
        lambda: doomed.lines(r"job item \d+ of job \d+: stored") >= 2, 30, "the doomed worker storing items"
    )
    doomed.kill()
    at_kill = api.get(location).json()
    job = wait_for_job(api, location, seconds=60)

    assert at_kill["status"] == "running" and at_kill["done"] < total  # it was killed mid-job
    assert (job["done"], job["failed"]) == (total, 0)
    ids = [item["article_id"] for item in job["items"]["items"]]
    assert None not in ids and len(set(ids)) == total
    assert count_rows(engine, "articles") == total
    assert worker.lines(r"job item \d+ of job \d+: stored") > 0  # the survivor finished the job
    assert worker.lines(r"message \S+ \(process_job_items \(\[[\d, ]+\],\)\) was redelivered") > 0


def _item_ids(engine: Engine, job_id: int) -> list[int]:
    """The ids of a job's items, in order."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id FROM job_items WHERE job_id = :job ORDER BY position"), {"job": job_id}
        )
        return [row[0] for row in rows]
