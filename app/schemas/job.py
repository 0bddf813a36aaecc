"""Bulk ingestion jobs as submitted (`JobCreate`) and as reported (`JobRead`, `JobItemRead`)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from app.core.job_states import JobItemStatus, JobStatus
from app.core.problem import Problem
from app.schemas import examples
from app.schemas.article import ArticleItem
from app.schemas.common import Page, StorableStr


class JobCreate(BaseModel):
    """Articles to store, each processed on its own."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [examples.ARTICLE, examples.SECOND_ARTICLE]}]}
    )

    items: list[ArticleItem] = Field(
        min_length=1,
        description="Articles, each shaped like the body of `POST /v1/articles`. An item that is not "
        "(no text, a bad date, a text over `max_text_chars`) does not refuse the job: it becomes a "
        "failed item with its problem. At most `job_max_items` (a server setting, 10,000 by default).",
    )
    callback_url: StorableStr | None = Field(
        default=None,
        max_length=2_000,
        description="An http(s) URL this service POSTs the job to (as `GET /v1/jobs/{id}` shows its counts) "
        "when the job ends, signed in `X-Claims-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "
        '"<t>.<body>">`, retried with backoff. Private, loopback and link-local addresses are refused '
        "unless the server allows them.",
        examples=["https://hooks.example/claims-jobs"],
    )


class JobItemRead(BaseModel):
    """One article of a job: where it is, and its stored article or its problem."""

    model_config = ConfigDict(from_attributes=True)

    position: int = Field(description="The item's index in the submitted `items`, from 0.")
    status: JobItemStatus = Field(
        description="`pending` until processed; then `stored` (a new article), `existing` (the same text "
        "was stored before: that article) or `failed` (see `problem`)."
    )
    article_id: int | None = Field(description="The stored article, once `stored` or `existing`.")
    problem: Problem | None = Field(description="Why the item failed, as a problem document.")


class JobSummary(BaseModel):
    """A job's progress."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    status: JobStatus = Field(
        description="`queued`, `running` once an item is started, `done` when none is pending."
    )
    total: int = Field(description="How many items the job has.")
    done: int = Field(description="Items whose article is stored (`stored` or `existing`).")
    failed: int = Field(description="Items that failed, each with its problem.")
    created_at: dt.datetime
    finished_at: dt.datetime | None
    callback_url: str | None = Field(default=None, description="Where the job's end is POSTed, if anywhere.")


class JobRead(JobSummary):
    """A job's progress, with one page of its items."""

    items: Page[JobItemRead] = Field(description="A page of the items, in submission order.")
