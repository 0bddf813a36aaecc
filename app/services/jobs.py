"""Bulk ingestion jobs: create a job's rows, finish its items one at a time, read its progress.

Whoever runs an item (a Dramatiq worker, or the API process's own thread when no broker is set) calls
`start_item` (is it still pending?), then ingests its article (`app.services.ingest`) with
`settle_ingested`, or calls `fail_item`. Settling marks the item and counts it on the job in the
transaction that stores (or finds) its article; so whatever point a worker dies at,
a redelivered message either finds the item finished (and does nothing) or redoes it from the start,
and the article's unique content hash keeps a text from being stored twice.

An item moves from `pending` only through `UPDATE ... WHERE status = 'pending'`, locked first on
PostgreSQL (`SELECT ... FOR UPDATE`), so two deliveries of one item racing each other count it once.
Job counts are SQL increments in that same transaction: right under any number of workers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, cast

from sqlalchemy import CursorResult, Update, func, insert, select, update
from sqlalchemy.orm import Session

from app.core.job_states import DONE, EXISTING, FAILED, PENDING, QUEUED, RUNNING, STORED
from app.db.models import Job, JobItem, utcnow
from app.schemas.article import ArticleCreate
from app.services.articles import IngestResult


@dataclass(frozen=True)
class NewJobItem:
    """One submitted item: a valid article to process, or the problem that refused it."""

    article: ArticleCreate | None
    problem: dict[str, Any] | None = None


@dataclass(frozen=True)
class PendingItem:
    """What a runner needs to process one item."""

    id: int
    job_id: int
    article: ArticleCreate


class ItemTaken(Exception):
    """Another delivery of the same item finished it first; roll back what this one wrote."""


def create_job(
    session: Session, items: Sequence[NewJobItem], callback_url: str | None = None
) -> tuple[Job, list[int]]:
    """A job with one row per item (refused items already failed) and the ids of the items to run."""
    refused = sum(1 for item in items if item.article is None)
    now = utcnow()
    finished = refused == len(items)
    job = Job(
        status=DONE if finished else QUEUED,
        total=len(items),
        done=0,
        failed=refused,
        created_at=now,
        finished_at=now if finished else None,
        callback_url=callback_url,
    )
    session.add(job)
    session.flush()
    rows = [_item_row(job.id, position, item, now) for position, item in enumerate(items)]
    session.execute(insert(JobItem), rows)
    pending = select(JobItem.id).where(JobItem.job_id == job.id, JobItem.status == PENDING)
    return job, list(session.scalars(pending.order_by(JobItem.position)))


def _item_row(job_id: int, position: int, item: NewJobItem, now: dt.datetime) -> dict[str, Any]:
    """The `job_items` values of one submitted item."""
    row: dict[str, Any] = {"job_id": job_id, "position": position, "text": None, "title": None}
    row.update(url=None, source=None, published_at=None, article_id=None, problem=item.problem)
    if item.article is None:
        return {**row, "status": FAILED, "finished_at": now}
    fields = item.article.model_dump(include={"text", "title", "url", "source", "published_at"})
    return {**row, **fields, "status": PENDING, "finished_at": None}


def delete_job(session: Session, job_id: int) -> None:
    """Remove a job and its items (when its items could not be queued)."""
    job = session.get(Job, job_id)
    if job is not None:
        session.delete(job)
        session.flush()


def pending_item_ids(session: Session) -> list[int]:
    """Every item still to be run, oldest job first (to resume after a restart)."""
    stmt = select(JobItem.id).where(JobItem.status == PENDING).order_by(JobItem.job_id, JobItem.position)
    return list(session.scalars(stmt))


def start_item(session: Session, item_id: int) -> PendingItem | None:
    """The item if it still has to be run (marking its job running), else None: gone or finished."""
    item = session.get(JobItem, item_id)
    if item is None or item.status != PENDING or item.text is None:
        return None
    _execute(session, update(Job).where(Job.id == item.job_id, Job.status == QUEUED).values(status=RUNNING))
    article = ArticleCreate(
        text=item.text, title=item.title, url=item.url, source=item.source, published_at=item.published_at
    )
    return PendingItem(item.id, item.job_id, article)


def settle_ingested(item: PendingItem, session: Session, result: IngestResult) -> bool:
    """Mark the item with its stored article (`stored` if this item created it, else `existing`) and
    count it, in the transaction that stored or found the article; `ItemTaken` if another delivery won."""
    _lock_pending(session, item.id)
    status = STORED if result.created else EXISTING
    return _settle(session, item.id, item.job_id, status, article_id=result.article.id)


class Settled(Enum):
    """What failing an item did: nothing (it was not pending), counted it, or also ended its job."""

    NOT_PENDING = "not pending"
    COUNTED = "counted"
    JOB_DONE = "job done"


def fail_item(session: Session, item_id: int, problem: dict[str, Any]) -> tuple[Settled, int | None]:
    """Mark a pending item failed with its problem and count it; what that did, and the item's job."""
    job_id = session.scalar(select(JobItem.job_id).where(JobItem.id == item_id))
    if job_id is None:
        return Settled.NOT_PENDING, None
    try:
        _lock_pending(session, item_id)
        ended = _settle(session, item_id, job_id, FAILED, problem=problem)
    except ItemTaken:
        return Settled.NOT_PENDING, job_id
    return (Settled.JOB_DONE if ended else Settled.COUNTED), job_id


def _lock_pending(session: Session, item_id: int) -> None:
    """Lock the item's row (PostgreSQL; SQLite has one writer anyway) and check it is still pending."""
    stmt = select(JobItem.status).where(JobItem.id == item_id).with_for_update()
    if session.scalar(stmt) != PENDING:
        raise ItemTaken(item_id)


def _settle(
    session: Session,
    item_id: int,
    job_id: int,
    status: str,
    article_id: int | None = None,
    problem: dict[str, Any] | None = None,
) -> bool:
    """Move the item out of `pending` and count it on its job, closing the job with its last item (True
    when this one closed it)."""
    now = utcnow()
    moved = _execute(
        session,
        update(JobItem)
        .where(JobItem.id == item_id, JobItem.status == PENDING)
        .values(status=status, article_id=article_id, problem=problem, finished_at=now),
    )
    if moved.rowcount != 1:
        raise ItemTaken(item_id)
    counts = {"failed": Job.failed + 1} if status == FAILED else {"done": Job.done + 1}
    _execute(session, update(Job).where(Job.id == job_id).values(**counts))
    return _close_if_finished(session, job_id, now)


def _close_if_finished(session: Session, job_id: int, now: dt.datetime) -> bool:
    """Mark the job done once every item is counted; True for the one transaction that does."""
    closed = _execute(
        session,
        update(Job)
        .where(Job.id == job_id, Job.status != DONE, Job.done + Job.failed >= Job.total)
        .values(status=DONE, finished_at=now),
    )
    return closed.rowcount == 1


def _execute(session: Session, stmt: Update) -> CursorResult[Any]:
    """Run an UPDATE as plain SQL (no ORM synchronisation: these rows are not loaded) and its result."""
    result = session.execute(stmt, execution_options={"synchronize_session": False})
    return cast(CursorResult[Any], result)


CANCELLED_PROBLEM = {
    "type": "https://claims.example/problems/cancelled",
    "title": "Cancelled",
    "status": 409,
    "detail": "The job was cancelled before this item ran.",
}


def cancel_job(session: Session, job_id: int) -> bool:
    """Fail every pending item of the job with the `cancelled` problem (items already running finish);
    True when this call ended the job. Items a worker picks up later find nothing pending and skip."""
    now = utcnow()
    moved = _execute(
        session,
        update(JobItem)
        .where(JobItem.job_id == job_id, JobItem.status == PENDING)
        .values(status=FAILED, problem=CANCELLED_PROBLEM, finished_at=now),
    )
    if moved.rowcount:
        _execute(session, update(Job).where(Job.id == job_id).values(failed=Job.failed + moved.rowcount))
    return _close_if_finished(session, job_id, now)


def list_jobs(session: Session, status: str | None, limit: int, offset: int) -> tuple[list[Job], int]:
    """A page of jobs, newest first, optionally of one status, and how many match."""
    where = [Job.status == status] if status else []
    total = session.scalar(select(func.count()).select_from(Job).where(*where)) or 0
    stmt = select(Job).where(*where).order_by(Job.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(stmt)), total


def get_job(session: Session, job_id: int) -> Job | None:
    """One job (its counts; items are read a page at a time)."""
    return session.get(Job, job_id)


def list_job_items(
    session: Session, job_id: int, status: str | None, limit: int, offset: int
) -> tuple[list[JobItem], int]:
    """A page of a job's items in submission order, optionally of one status, and how many match."""
    where = [JobItem.job_id == job_id, *([JobItem.status == status] if status else [])]
    total = session.scalar(select(func.count()).select_from(JobItem).where(*where)) or 0
    stmt = select(JobItem).where(*where).order_by(JobItem.position).limit(limit).offset(offset)
    return list(session.scalars(stmt)), total
