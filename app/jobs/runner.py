"""The one per-item function: what a Dramatiq worker and the in-process dispatcher both call for a job item.

See whether the item is still pending, then ingest its article through the same path as
`POST /v1/articles` (`app.services.ingest`), settling the item in the transaction that finds or stores
the article (`app.services.jobs`), so an item is never counted without its article. A text stored
already settles the item as `existing` without a parse. A failed extraction fails the item for good (the
rules would fail the same way again); a database error, or parser processes being replaced, propagates
for the caller to retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.core import job_states
from app.core.exceptions import ProblemError, TextTooComplexError, problem_of
from app.db.session import unit_of_work
from app.extraction.service import ExtractionUnavailableError
from app.services import jobs
from app.services.ingest import Ingest

logger = logging.getLogger(__name__)

SKIPPED = "skipped"
EXTRACTION_FAILED = "Extracting the claims of this article failed; the failure has been logged."


class JobItemRunner:
    """Runs job items through one ingest path (its database and extraction service)."""

    def __init__(self, ingest: Ingest, job_ended: Callable[[int], None] = lambda job_id: None) -> None:
        self._ingest = ingest
        self._sessions = ingest.sessions
        self._job_ended = job_ended  # after the transaction that ended a job has committed

    def run(self, item_id: int) -> str:
        """Process one item; its new status, or `skipped` when it was gone or already finished."""
        with unit_of_work(self._sessions) as session:
            item = jobs.start_item(session, item_id)
        if item is None:
            logger.info("job item %d is gone or finished: nothing to do", item_id)
            return SKIPPED
        ended: list[bool] = []
        try:
            result = self._ingest.ingest(
                item.article, settle=lambda s, r: ended.append(jobs.settle_ingested(item, s, r))
            )
        except jobs.ItemTaken:
            logger.info("job item %d was finished by another delivery", item_id)
            return SKIPPED
        except (ExtractionUnavailableError, SQLAlchemyError):
            raise  # parser processes being replaced, or the database: a retry may succeed, the item waits
        except TextTooComplexError as exc:  # its parse ran past the budget: the text's problem, not ours
            logger.warning("job item %d of job %d: %s", item_id, item.job_id, exc.slug)
            return job_states.FAILED if self.fail(item_id, exc) else SKIPPED
        except Exception:
            logger.exception("extraction failed for job item %d of job %d", item_id, item.job_id)
            return job_states.FAILED if self.give_up(item_id, EXTRACTION_FAILED) else SKIPPED
        status = job_states.STORED if result.created else job_states.EXISTING
        logger.info("job item %d of job %d: %s", item_id, item.job_id, status)
        if any(ended):
            self._job_ended(item.job_id)
        return status

    def pending(self) -> list[int]:
        """Every item still to be run, oldest job first."""
        with unit_of_work(self._sessions) as session:
            return jobs.pending_item_ids(session)

    def ping(self) -> None:
        """Return when the database answers; raise its error when it does not."""
        with self._sessions() as session:
            session.execute(select(1))

    def give_up(self, item_id: int, detail: str) -> bool:
        """Fail a pending item with an internal problem; False when it was not pending."""
        return self.fail(item_id, ProblemError(detail))

    def fail(self, item_id: int, error: ProblemError) -> bool:
        """Fail a pending item with this problem; False when it was not pending."""
        with unit_of_work(self._sessions) as session:
            settled, job_id = jobs.fail_item(
                session, item_id, problem_of(error).model_dump(exclude_none=True)
            )
        if settled is jobs.Settled.JOB_DONE and job_id is not None:
            self._job_ended(job_id)
        return settled is not jobs.Settled.NOT_PENDING
