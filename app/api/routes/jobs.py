"""`/v1/jobs`: submit many articles at once (`202`, processed in the background) and follow their progress."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy.orm import Session

from app.api.deps import (
    JobBody,
    JobEndsDep,
    JobsDep,
    PageDep,
    PageParams,
    RowId,
    SessionDep,
    SessionFactoryDep,
    SettingsDep,
)
from app.api.problems import problem_responses
from app.core.exceptions import NotFoundError, ServiceUnavailableError
from app.core.job_states import JobItemStatus, JobStatus
from app.core.problem import Problem
from app.db.session import unit_of_work
from app.jobs.dispatch import QueueUnavailableError
from app.schemas.common import Page
from app.schemas.job import JobItemRead, JobRead, JobSummary
from app.services import jobs

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])

TOO_MANY = (
    "The body is larger than `job_max_body_bytes` (`.../problems/body-too-large`), or the job has more than "
    "`job_max_items` items (`.../problems/too-many-items`). An item's text over `max_text_chars` fails "
    "that item only."
)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="create_job",
    summary="Store many articles in the background",
    responses={
        202: {
            "description": "Accepted: the job and the first page of its items.",
            "headers": {"Location": {"description": "The job's path.", "schema": {"type": "string"}}},
        },
        413: {"model": Problem, "description": TOO_MANY},
        **problem_responses(400, 415, 422, 500, 503),
    },
)
def create_job(
    job_body: JobBody,
    notify: JobEndsDep,
    dispatcher: JobsDep,
    sessions: SessionFactoryDep,
    settings: SettingsDep,
    request: Request,
    response: Response,
) -> JobRead:
    """Record the job, hand its valid items to the Dramatiq workers (or this process's job thread), and
    answer at once with the job as it was accepted: read before any item runs, so the answer does not
    depend on how far they got (a small job could otherwise be answered `done`, or half done)."""
    with unit_of_work(sessions) as session:
        job, pending = jobs.create_job(session, job_body.items, job_body.callback_url)
        session.flush()
        accepted = _job_read(session, job.id, None, PageParams(settings.page_size_default, 0))
    if not pending:  # every item was refused: the job ended as it began
        notify(job.id)
    try:
        dispatcher.dispatch(pending)
    except QueueUnavailableError:
        with unit_of_work(sessions) as session:
            jobs.delete_job(session, job.id)
        raise ServiceUnavailableError(
            "The job queue is unavailable; nothing was stored. Try again later."
        ) from None
    response.headers["Location"] = request.app.url_path_for("get_job", job_id=str(job.id))
    return accepted


@router.get(
    "",
    operation_id="list_jobs",
    summary="List jobs, newest first",
    responses=problem_responses(422, 500, 503),
)
def list_jobs(
    session: SessionDep,
    page: PageDep,
    job_status: Annotated[
        JobStatus | None, Query(alias="status", description="Only jobs with this status, e.g. `running`.")
    ] = None,
) -> Page[JobSummary]:
    """A page of jobs with their counts (their items: `GET /v1/jobs/{id}`)."""
    rows, total = jobs.list_jobs(session, job_status, page.limit, page.offset)
    items = [JobSummary.model_validate(row) for row in rows]
    return Page[JobSummary](items=items, total=total, limit=page.limit, offset=page.offset)


@router.delete(
    "/{job_id}",
    operation_id="cancel_job",
    summary="Cancel a job's pending items",
    responses=problem_responses(404, 422, 500, 503),
)
def cancel_job(job_id: RowId, session: SessionDep, settings: SettingsDep, notify: JobEndsDep) -> JobRead:
    """Fail every item not yet started with the `.../problems/cancelled` problem; items already running
    finish. The job is then done, with the first page of its items. Cancelling a finished job changes
    nothing."""
    if jobs.get_job(session, job_id) is None:
        raise NotFoundError(f"There is no job with id {job_id}.")
    ended = jobs.cancel_job(session, job_id)
    session.commit()  # before its callback can read it
    session.expire_all()  # the job was read before its counts changed in SQL
    if ended:
        notify(job_id)
    return _job_read(session, job_id, None, PageParams(settings.page_size_default, 0))


@router.get(
    "/{job_id}",
    operation_id="get_job",
    summary="Get a job's progress and a page of its items",
    responses=problem_responses(404, 422, 500, 503),
)
def get_job(
    job_id: RowId,
    session: SessionDep,
    page: PageDep,
    item_status: Annotated[
        JobItemStatus | None, Query(description="Only items with this status, e.g. `failed`.")
    ] = None,
) -> JobRead:
    """Counts, status and one page of items (with their article ids and problems), in submission order."""
    return _job_read(session, job_id, item_status, page)


def _job_read(session: Session, job_id: int, item_status: str | None, page: PageParams) -> JobRead:
    """The job and a page of its items, or 404."""
    job = jobs.get_job(session, job_id)
    if job is None:
        raise NotFoundError(f"There is no job with id {job_id}.")
    rows, total = jobs.list_job_items(session, job_id, item_status, page.limit, page.offset)
    items = Page[JobItemRead](
        items=[JobItemRead.model_validate(row) for row in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )
    return JobRead(**JobSummary.model_validate(job).model_dump(), items=items)
