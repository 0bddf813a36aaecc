"""Dispatching: items cut into broker messages (small jobs spread, large ones queue fast); the job thread,
which waits out a database outage (simulated on an engine of the test's own, not the shared server)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

from app.db.models import Job
from app.db.session import create_db_engine, create_session_factory, unit_of_work
from app.jobs.dispatch import PROCESS_ITEMS, Backoff, InProcessDispatcher, items_message, message_chunks
from app.jobs.runner import JobItemRunner
from app.nlp.types import ArticleExtraction
from app.schemas.article import ArticleCreate
from app.services import jobs
from app.services.jobs import NewJobItem
from tests.builders import ingest_with
from tests.conftest import count_rows
from tests.services.test_jobs import fake_extract


@pytest.mark.parametrize(
    ("items", "messages", "largest"),
    [(1, 1, 1), (200, 200, 1), (201, 101, 2), (10_000, 200, 50), (20_000, 400, 50)],
)
def test_items_per_message(items: int, messages: int, largest: int) -> None:
    ids = list(range(items))

    chunks = message_chunks(ids)

    assert (len(chunks), max(len(c) for c in chunks)) == (messages, largest)
    assert [i for chunk in chunks for i in chunk] == ids


def test_a_message_names_the_worker_actor_and_its_items() -> None:
    message = items_message("claims-jobs", [4, 5])

    assert (message.queue_name, message.actor_name, message.args) == ("claims-jobs", PROCESS_ITEMS, ([4, 5],))


QUICK = Backoff(first=0.01, most=0.05)  # the production waits (0.5 s doubling to 30 s), shortened


class _BrokenRunner(JobItemRunner):
    """A runner whose database write always fails after the extraction, while the database answers."""

    def run(self, item_id: int) -> str:
        """Fail as storing would."""
        raise OperationalError("INSERT ...", {}, Exception("deadlock detected"))


class Outage:
    """Stops an engine's database as far as its users can tell: while `down`, connecting fails."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.down = threading.Event()
        self.refused = 0
        event.listen(engine, "do_connect", self._connect)

    def _connect(self, dialect: Any, record: Any, cargs: Any, cparams: Any) -> None:
        """Refuse, as a stopped server does, or let the real connect go ahead (None)."""
        if self.down.is_set():
            self.refused += 1
            raise dialect.loaded_dbapi.OperationalError("connection refused (test outage)")

    def begin(self) -> None:
        """Refuse new connections and drop the pooled ones."""
        self.down.set()
        self.engine.dispose()


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    """Poll until `condition` holds, or fail saying `what` did not happen."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.01)


def job_of(engine: Engine, job_id: int) -> tuple[Job, list[str]]:
    """A job as stored and its items' statuses, in order."""
    with create_session_factory(engine)() as session:
        job = session.get(Job, job_id)
        items, _ = jobs.list_job_items(session, job_id, None, 100, 0)
    assert job is not None
    return job, [item.status for item in items]


def test_in_process_an_item_that_keeps_failing_to_store_fails_and_its_job_ends(engine: Engine) -> None:
    sessions = create_session_factory(engine)
    with unit_of_work(sessions) as session:
        job, pending = jobs.create_job(session, [NewJobItem(ArticleCreate(text="lost"))])
    dispatcher = InProcessDispatcher(_BrokenRunner(ingest_with(sessions, fake_extract)), QUICK)

    dispatcher.dispatch(pending)
    wait_until(lambda: job_of(engine, job.id)[0].status == "done", "the job ending")
    dispatcher.close()

    stored, statuses = job_of(engine, job.id)
    assert (stored.failed, statuses) == (1, ["failed"])
    with sessions() as session:
        items, _ = jobs.list_job_items(session, job.id, None, 10, 0)
    assert items[0].problem is not None and items[0].problem["status"] == 500


def test_in_process_items_wait_out_a_database_outage_and_their_job_finishes(
    engine: Engine, database_url: str
) -> None:
    total = 6
    with unit_of_work(create_session_factory(engine)) as session:
        job, pending = jobs.create_job(
            session, [NewJobItem(ArticleCreate(text=f"item {n}")) for n in range(total)]
        )
    flaky = create_db_engine(database_url)  # the dispatcher's own engine: only it sees the outage
    outage = Outage(flaky)
    extracted: list[str] = []

    def extract_then_fail_the_database(text: str, published: dt.date | None) -> ArticleExtraction:
        """Stop the database while the third item is being parsed, before it is stored."""
        extracted.append(text)
        if len(extracted) == 3:
            outage.begin()
        return fake_extract(text, published)

    runner = JobItemRunner(ingest_with(create_session_factory(flaky), extract_then_fail_the_database))
    dispatcher = InProcessDispatcher(runner, QUICK)
    try:
        dispatcher.dispatch(pending)
        # Enough refusals for every remaining item to have been tried (and dropped, before the fix).
        wait_until(lambda: outage.refused >= 2 * (total - 2), "the database refusing the items")
        assert job_of(engine, job.id)[1] == ["stored"] * 2 + ["pending"] * 4
        outage.down.clear()  # the database is back; nothing is restarted
        wait_until(lambda: job_of(engine, job.id)[0].status == "done", "the job ending after the outage")
    finally:
        dispatcher.close()
        flaky.dispose()

    stored, statuses = job_of(engine, job.id)
    assert (stored.done, stored.failed, statuses) == (total, 0, ["stored"] * total)
    assert count_rows(engine, "articles") == total


def test_items_left_pending_are_resumed_once_the_database_answers(engine: Engine, database_url: str) -> None:
    with unit_of_work(create_session_factory(engine)) as session:  # as if the last process died
        job, _ = jobs.create_job(session, [NewJobItem(ArticleCreate(text=f"left {n}")) for n in range(2)])
    flaky = create_db_engine(database_url)
    outage = Outage(flaky)
    outage.begin()  # the API starts while the database is still down
    dispatcher = InProcessDispatcher(
        JobItemRunner(ingest_with(create_session_factory(flaky), fake_extract)), QUICK
    )
    try:
        dispatcher.resume()
        wait_until(lambda: outage.refused >= 3, "the database refusing the look for pending items")
        outage.down.clear()
        wait_until(lambda: job_of(engine, job.id)[0].status == "done", "the resumed job ending")
    finally:
        dispatcher.close()
        flaky.dispose()

    assert job_of(engine, job.id)[1] == ["stored", "stored"]
