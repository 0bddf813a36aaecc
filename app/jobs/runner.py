"""The one per-item function: what a Dramatiq worker and the in-process runner both call for a job item.

The steps of `app.services.ingest`, one item at a time: see whether the item is still pending (and its
text stored already), extract its claims outside any transaction, then store the article and settle
the item in one transaction (`app.services.jobs`), so an item is never counted without its article.
A text stored already settles the item as `existing` without a parse. A failed extraction fails the
item for good (the rules would fail the same way again); a database error, or extraction workers
being replaced, propagates for the caller to retry.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.core import job_states
from app.core.exceptions import ProblemError, TextTooComplexError, problem_of
from app.db.session import unit_of_work
from app.extraction.service import ExtractionUnavailableError
from app.nlp.types import ArticleExtraction
from app.services import jobs

logger = logging.getLogger(__name__)

ExtractFn = Callable[[str, dt.date | None], ArticleExtraction]
SKIPPED = "skipped"
EXTRACTION_FAILED = "Extracting the claims of this article failed; the failure has been logged."


class JobItemRunner:
    """Runs job items against one database with one extractor."""

    def __init__(self, sessions: sessionmaker[Session], extract: ExtractFn, pipeline_version: str) -> None:
        self._sessions = sessions
        self._extract = extract
        self._pipeline_version = pipeline_version

    def run(self, item_id: int) -> str:
        """Process one item; its new status, or `skipped` when it was gone or already finished."""
        try:
            with unit_of_work(self._sessions) as session:
                item = jobs.start_item(session, item_id)
                if item is not None and jobs.settle_if_stored(session, item):
                    logger.info("job item %d of job %d: %s", item_id, item.job_id, job_states.EXISTING)
                    return job_states.EXISTING
        except jobs.ItemTaken:
            item = None
        if item is None:
            logger.info("job item %d is gone or finished: nothing to do", item_id)
            return SKIPPED
        try:
            extraction = self._extract(item.article.text, item.article.published_at)
        except ExtractionUnavailableError:
            raise  # the extraction workers are being replaced: a retry may succeed, the item stays pending
        except TextTooComplexError as exc:  # its parse ran past the budget: the text's problem, not ours
            logger.warning("job item %d of job %d: %s", item_id, item.job_id, exc.slug)
            return job_states.FAILED if self.fail(item_id, exc) else SKIPPED
        except Exception:
            logger.exception("extraction failed for job item %d of job %d", item_id, item.job_id)
            return job_states.FAILED if self.give_up(item_id, EXTRACTION_FAILED) else SKIPPED
        try:
            with unit_of_work(self._sessions) as session:
                status = jobs.finish_item(session, item, extraction, self._pipeline_version)
        except jobs.ItemTaken:
            logger.info("job item %d was finished by another delivery", item_id)
            return SKIPPED
        logger.info("job item %d of job %d: %s", item_id, item.job_id, status)
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
            return jobs.fail_item(session, item_id, problem_of(error).model_dump(exclude_none=True))
