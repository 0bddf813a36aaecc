"""Dispatching: items cut into broker messages (small jobs spread, large ones queue fast); the job thread."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from app.db.models import Job
from app.db.session import create_session_factory, unit_of_work
from app.jobs.dispatch import PROCESS_ITEMS, InProcessDispatcher, items_message, message_chunks
from app.jobs.runner import JobItemRunner
from app.schemas.article import ArticleCreate
from app.services import jobs
from app.services.jobs import NewJobItem
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


class _BrokenRunner(JobItemRunner):
    """A runner whose database write fails after the extraction, as when the database goes away."""

    def run(self, item_id: int) -> str:
        """Fail as storing would."""
        raise OperationalError("INSERT ...", {}, Exception("server closed the connection"))


def test_in_process_an_item_that_cannot_be_stored_fails_and_its_job_ends(engine: Engine) -> None:
    sessions = create_session_factory(engine)
    with unit_of_work(sessions) as session:
        job, pending = jobs.create_job(session, [NewJobItem(ArticleCreate(text="lost"))])
    dispatcher = InProcessDispatcher(_BrokenRunner(sessions, fake_extract, "test"))

    dispatcher.dispatch(pending)
    dispatcher.close()  # waits for the running item

    with sessions() as session:
        stored = session.get(Job, job.id)
        items, _ = jobs.list_job_items(session, job.id, None, 10, 0)
    assert stored is not None and (stored.status, stored.failed) == ("done", 1)
    assert items[0].problem is not None and items[0].problem["status"] == 500
