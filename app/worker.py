"""The job worker: `dramatiq app.worker` (or `scripts/worker`) runs job items taken from RabbitMQ.

Start as many as you like, on as many machines, each with the same `CLAIMS_DATABASE_URL`,
`CLAIMS_BROKER_URL` and `CLAIMS_JOB_QUEUE` as the API: RabbitMQ hands each message to one consumer.
Dramatiq acks a message only after its actor returns, so the items of a worker that dies (killed,
out of memory, machine lost) go back to the queue when its connection drops, and another worker runs
them; `JobItemRunner` makes running an item twice harmless (see `app.services.jobs`).

Each worker process starts one parser process (which loads the spaCy pipeline) and opens the
database once, when it boots (Dramatiq's `after_process_boot`), not at import: the CLI's parent process
stays light. The parse runs in that child, as in the API, so that `CLAIMS_PARSE_TIMEOUT_SECONDS` can
stop it: the item then fails with `text-too-complex`. Parsing is one article at a time per process, so
scale with `--processes`, not `--threads`.
A database error (a deadlock, a restart) is retried with backoff; after the last retry the item is
failed with an internal problem, so its job still finishes.
"""

from __future__ import annotations

import logging
from typing import Any

import dramatiq
from dramatiq.broker import MessageProxy
from dramatiq.middleware import Middleware
from sqlalchemy import Engine

from app.core.config import Settings, get_settings
from app.core.logging import format_existing_handlers
from app.core.memory import freeze_long_lived_objects
from app.db.session import create_session_factory, engine_for
from app.extraction.processes import process_service
from app.extraction.service import ExtractionService
from app.jobs.callbacks import CallbackSender, JobEnds, callback_sender
from app.jobs.dispatch import GIVE_UP_ITEMS, PROCESS_ITEMS, make_broker
from app.jobs.runner import JobItemRunner
from app.services.ingest import Ingest

logger = logging.getLogger(__name__)

MAX_RETRIES = 8
MIN_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 60_000
GAVE_UP = "Storing this article failed after several retries; the failures have been logged."


class WorkerResources(Middleware):
    """The pipeline and the database of one worker process, made when it boots and released at its stop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Engine | None = None
        self._extraction: ExtractionService | None = None
        self._runner: JobItemRunner | None = None
        self._callbacks: CallbackSender | None = None

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        """Start the parser process and open the database (once per worker process)."""
        format_existing_handlers(self.settings.log_level, self.settings.log_format)
        self._extraction = extraction = process_service(
            self.settings.spacy_model,
            1,
            parse_timeout=self.settings.parse_timeout_seconds,
            max_text_chars=self.settings.max_text_chars,
        )
        self._engine = engine_for(self.settings)
        sessions = create_session_factory(self._engine)
        self._callbacks = callback_sender(self.settings)
        self._runner = JobItemRunner(Ingest(sessions, extraction), JobEnds(sessions, self._callbacks))
        freeze_long_lived_objects()
        logger.info("worker ready: pipeline %s, queue %s", extraction.info.version, self.settings.job_queue)

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy) -> None:
        """Log a message RabbitMQ delivers again (its last consumer died before acking it)."""
        if getattr(message, "redelivered", False):
            logger.info(
                "message %s (%s %s) was redelivered", message.message_id, message.actor_name, message.args
            )

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        """Stop the parser process (after its parse) and close the database connections, once the
        worker's threads have stopped (Dramatiq has no `process_stop` hook: a process would otherwise
        wait at exit for a parser process nobody told to stop)."""
        if self._extraction is not None:
            self._extraction.shutdown()
        if self._callbacks is not None:
            self._callbacks.close()
        if self._engine is not None:
            self._engine.dispose()

    @property
    def runner(self) -> JobItemRunner:
        """The runner, or a loud error when the process has not booted through Dramatiq."""
        if self._runner is None:
            raise RuntimeError("worker resources are not loaded: run this module with `dramatiq app.worker`")
        return self._runner


settings = get_settings()
if not settings.broker_url:
    raise RuntimeError("CLAIMS_BROKER_URL is empty: without a broker, jobs run inside the API process")
resources = WorkerResources(settings)
broker = make_broker(settings.broker_url)
broker.add_middleware(resources)
dramatiq.set_broker(broker)


@dramatiq.actor(
    actor_name=PROCESS_ITEMS,
    queue_name=settings.job_queue,
    max_retries=MAX_RETRIES,
    min_backoff=MIN_BACKOFF_MS,
    max_backoff=MAX_BACKOFF_MS,
    on_retry_exhausted=GIVE_UP_ITEMS,
)
def process_job_items(item_ids: list[int]) -> None:
    """Run job items in order (those a redelivery finds finished are no-ops)."""
    for item_id in item_ids:
        resources.runner.run(item_id)


@dramatiq.actor(
    actor_name=GIVE_UP_ITEMS,
    queue_name=settings.job_queue,
    max_retries=MAX_RETRIES,
    max_backoff=MAX_BACKOFF_MS,
)
def give_up_job_items(message: dict[str, Any], retry_info: dict[str, Any]) -> None:
    """Fail the items still pending of a `process_job_items` message whose retries are exhausted."""
    item_ids = [int(item_id) for item_id in message["args"][0]]
    logger.error("job items %s failed %s times; marking them failed", item_ids, retry_info.get("retries"))
    for item_id in item_ids:
        resources.runner.give_up(item_id, GAVE_UP)
