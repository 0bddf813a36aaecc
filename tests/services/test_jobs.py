"""Job items: run once however often they are delivered, counted exactly, failed with a problem."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core import job_states
from app.core.exceptions import TextTooComplexError
from app.db.models import Job, JobItem
from app.db.session import create_session_factory, unit_of_work
from app.extraction.service import ExtractionUnavailableError, too_complex_detail
from app.jobs.runner import SKIPPED, JobItemRunner
from app.nlp.types import ArticleExtraction
from app.services import articles, jobs
from app.services.jobs import NewJobItem
from tests.builders import article, claim, extraction, ingest_with, speaker
from tests.conftest import count_rows

PIPELINE = "test-pipeline"


def fake_extract(text: str, published_at: dt.date | None) -> ArticleExtraction:
    """One claim per text, without the model."""
    return extraction(claim(f"{text} is true", speaker("Ali Khan", "Khan")))


def broken_extract(text: str, published_at: dt.date | None) -> ArticleExtraction:
    """An extractor with a bug."""
    raise ValueError("a rule tripped")


def new_job(engine: Engine, *texts: str | None) -> tuple[int, list[int]]:
    """A committed job of these texts (None: an item refused at submission) and its pending item ids."""
    problem = {"type": "about:blank", "title": "Bad", "status": 422, "detail": "no"}
    items = [NewJobItem(article(t)) if t is not None else NewJobItem(None, problem) for t in texts]
    with unit_of_work(create_session_factory(engine)) as session:
        job, pending = jobs.create_job(session, items)
    return job.id, pending


def job_row(engine: Engine, job_id: int) -> Job:
    """The job as stored now."""
    with create_session_factory(engine)() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def item_rows(engine: Engine, job_id: int) -> list[JobItem]:
    """The job's items as stored now, in order."""
    with create_session_factory(engine)() as session:
        rows, _ = jobs.list_job_items(session, job_id, None, 100, 0)
        return rows


@pytest.fixture
def runner(engine: Engine) -> JobItemRunner:
    """A runner with a fake extractor on the test database."""
    return JobItemRunner(ingest_with(create_session_factory(engine), fake_extract))


def test_a_job_starts_queued_with_refused_items_already_failed(engine: Engine) -> None:
    job_id, pending = new_job(engine, "a", None, "b")

    job = job_row(engine, job_id)
    assert (job.status, job.total, job.done, job.failed, job.finished_at) == ("queued", 3, 0, 1, None)
    assert [i.status for i in item_rows(engine, job_id)] == ["pending", "failed", "pending"]
    assert pending == [item_rows(engine, job_id)[0].id, item_rows(engine, job_id)[2].id]


def test_running_every_item_stores_and_counts_them_and_closes_the_job(
    engine: Engine, runner: JobItemRunner
) -> None:
    job_id, pending = new_job(engine, "a", "b")

    assert runner.run(pending[0]) == job_states.STORED
    assert job_row(engine, job_id).status == "running"
    assert runner.run(pending[1]) == job_states.STORED

    job = job_row(engine, job_id)
    assert (job.status, job.done, job.failed) == ("done", 2, 0) and job.finished_at is not None
    with create_session_factory(engine)() as session:
        stored = [articles.find_article_by_text(session, text) for text in ("a", "b")]
    assert [i.article_id for i in item_rows(engine, job_id)] == [a.id for a in stored if a is not None]


def test_a_redelivered_item_is_not_stored_or_counted_twice(engine: Engine, runner: JobItemRunner) -> None:
    job_id, pending = new_job(engine, "once", "other")

    assert runner.run(pending[0]) == job_states.STORED
    assert runner.run(pending[0]) == SKIPPED  # the same message, delivered again

    assert count_rows(engine, "articles") == 1 and count_rows(engine, "claims") == 1
    job = job_row(engine, job_id)
    assert (job.status, job.done, job.failed) == ("running", 1, 0)


def test_a_delivery_that_loses_the_race_rolls_back_what_it_wrote(engine: Engine) -> None:
    job_id, pending = new_job(engine, "raced")
    sessions = create_session_factory(engine)
    with unit_of_work(sessions) as session:
        item = jobs.start_item(session, pending[0])
    assert item is not None
    JobItemRunner(ingest_with(sessions, fake_extract)).run(pending[0])  # the other delivery wins

    with pytest.raises(jobs.ItemTaken), unit_of_work(sessions) as session:
        stored = articles.store_article(session, item.article, fake_extract("raced", None), PIPELINE)
        jobs.settle_ingested(item, session, stored)

    assert count_rows(engine, "articles") == 1
    assert (job_row(engine, job_id).done, job_row(engine, job_id).failed) == (1, 0)


def test_an_article_stored_before_makes_the_item_existing(
    engine: Engine, session: Session, runner: JobItemRunner
) -> None:
    stored = articles.store_article(session, article("known"), fake_extract("known", None), PIPELINE)
    session.commit()
    job_id, pending = new_job(engine, "known")

    assert runner.run(pending[0]) == job_states.EXISTING

    assert item_rows(engine, job_id)[0].article_id == stored.article.id
    assert count_rows(engine, "articles") == 1


def test_a_failed_extraction_fails_the_item_with_an_internal_problem(engine: Engine) -> None:
    job_id, pending = new_job(engine, "bad", "good")
    sessions = create_session_factory(engine)

    assert JobItemRunner(ingest_with(sessions, broken_extract)).run(pending[0]) == job_states.FAILED
    assert JobItemRunner(ingest_with(sessions, fake_extract)).run(pending[1]) == job_states.STORED

    first = item_rows(engine, job_id)[0]
    assert first.problem is not None and first.article_id is None
    assert first.problem["type"] == "https://claims.example/problems/internal"
    assert "a rule tripped" not in first.problem["detail"]
    job = job_row(engine, job_id)
    assert (job.status, job.done, job.failed) == ("done", 1, 1)


def test_a_text_past_its_parse_budget_fails_the_item_with_that_problem(engine: Engine) -> None:
    job_id, pending = new_job(engine, "endless")
    sessions = create_session_factory(engine)

    def too_complex(text: str, published_at: dt.date | None) -> ArticleExtraction:
        raise TextTooComplexError(too_complex_detail(15.0))

    assert JobItemRunner(ingest_with(sessions, too_complex)).run(pending[0]) == job_states.FAILED

    problem = item_rows(engine, job_id)[0].problem
    assert problem is not None and problem["type"] == "https://claims.example/problems/text-too-complex"
    assert problem["status"] == 422 and "15 s" in problem["detail"]
    assert job_row(engine, job_id).status == "done"


def test_giving_up_on_a_finished_or_unknown_item_changes_nothing(
    engine: Engine, runner: JobItemRunner
) -> None:
    job_id, pending = new_job(engine, "fine")
    runner.run(pending[0])

    assert not runner.give_up(pending[0], "too late")
    assert not runner.give_up(999_999, "never was")
    assert runner.run(999_999) == SKIPPED

    job = job_row(engine, job_id)
    assert (job.done, job.failed) == (1, 0)


def test_pending_items_are_listed_for_resuming(engine: Engine, runner: JobItemRunner) -> None:
    _, first = new_job(engine, "p1", "p2")
    _, second = new_job(engine, "p3")
    runner.run(first[0])

    with create_session_factory(engine)() as session:
        assert jobs.pending_item_ids(session) == [first[1], second[0]]


def test_items_finished_concurrently_are_all_counted(backend: str, engine: Engine) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serializes writers with a database lock; the race needs row-level locking")
    texts = [f"text {n}" for n in range(24)]
    job_id, pending = new_job(engine, *texts)
    runner = JobItemRunner(ingest_with(create_session_factory(engine), fake_extract))

    with ThreadPoolExecutor(max_workers=6) as pool:  # every item twice, as if all were redelivered
        outcomes = list(pool.map(runner.run, pending + pending))

    assert sorted(outcomes).count(job_states.STORED) == 24 and outcomes.count(SKIPPED) == 24
    job = job_row(engine, job_id)
    assert (job.status, job.done, job.failed) == ("done", 24, 0)
    assert count_rows(engine, "articles") == 24


def test_a_text_stored_before_is_not_parsed_again(engine: Engine, session: Session) -> None:
    articles.store_article(session, article("known"), fake_extract("known", None), PIPELINE)
    session.commit()
    job_id, pending = new_job(engine, "known")

    runner = JobItemRunner(ingest_with(create_session_factory(engine), broken_extract))  # a parse would fail
    assert runner.run(pending[0]) == job_states.EXISTING
    assert job_row(engine, job_id).done == 1


def test_extraction_workers_being_replaced_leave_the_item_pending(engine: Engine) -> None:
    def unavailable(text: str, published_at: dt.date | None) -> ArticleExtraction:
        raise ExtractionUnavailableError("the extraction workers are restarting")

    job_id, pending = new_job(engine, "later")
    with pytest.raises(ExtractionUnavailableError):
        JobItemRunner(ingest_with(create_session_factory(engine), unavailable)).run(pending[0])

    assert [row.status for row in item_rows(engine, job_id)] == [job_states.PENDING]
    assert job_row(engine, job_id).failed == 0


def test_cancelling_fails_the_pending_items_ends_the_job_and_a_late_delivery_skips(
    engine: Engine, runner: JobItemRunner
) -> None:
    job_id, pending = new_job(engine, "first", "second", "third", None)
    assert runner.run(pending[0]) == job_states.STORED

    with unit_of_work(create_session_factory(engine)) as session:
        assert jobs.cancel_job(session, job_id) is True
    with unit_of_work(create_session_factory(engine)) as session:
        assert jobs.cancel_job(session, job_id) is False  # nothing left: nothing changes

    assert runner.run(pending[1]) == SKIPPED  # its message arrives after the cancel
    job = job_row(engine, job_id)
    assert (job.status, job.done, job.failed) == ("done", 1, 3) and job.finished_at is not None
    items = item_rows(engine, job_id)
    assert [i.status for i in items] == ["stored", "failed", "failed", "failed"]
    assert [i.problem["type"].rsplit("/", 1)[-1] for i in items[1:3] if i.problem] == ["cancelled"] * 2
    assert count_rows(engine, "articles") == 1
