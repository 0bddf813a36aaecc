"""Handing job items to whatever runs them: a RabbitMQ queue read by workers, or a thread of this process.

The API commits a job's rows first and dispatches its item ids after, so a worker never looks for an
item that is not there yet. With `CLAIMS_BROKER_URL` set, items go as Dramatiq messages on
`CLAIMS_JOB_QUEUE`, published with confirms (so a broker that did not take them is an error we see).
A message carries one item while a job has up to 200, so that small jobs spread over every worker;
a larger job is cut into 200 messages (50 items each at most), so that publishing stays well under
a second (a confirmed publish takes about 0.7 ms here) while workers still share the job. Without a
broker, items run on one background thread of the API process, through the same `JobItemRunner` the
workers use, their extraction sharing the API's bounded extraction pool. That thread outlasts a
database outage: an item that meets a database error waits, backing off up to 30 s between tries,
until the database answers again, then runs again, and the items queued behind it follow.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.errors import BrokerError
from sqlalchemy.exc import SQLAlchemyError

from app.extraction.service import ExtractionUnavailableError
from app.jobs.runner import JobItemRunner

logger = logging.getLogger(__name__)

# Actor names: the messages the API sends and the functions `app.worker` registers under them.
PROCESS_ITEMS = "process_job_items"
GIVE_UP_ITEMS = "give_up_job_items"
MESSAGES_PER_JOB = 200
MAX_ITEMS_PER_MESSAGE = 50
# In-process jobs: how often, and how long apart, an item waits for replaced parser processes.
UNAVAILABLE_RETRIES = 3
UNAVAILABLE_PAUSE_S = 1.0
# In-process jobs: an item failing with a database error while the database answers (a deadlock, a bad
# row) is tried this often before it is failed; tries lost to an outage do not count.
DATABASE_RETRIES = 5


@dataclass(frozen=True)
class Backoff:
    """Waits between tries of an unreachable database: doubling from `first` to at most `most` seconds."""

    first: float = 0.5
    most: float = 30.0

    def delays(self) -> Iterator[float]:
        """The waits, one per try, for ever."""
        delay = self.first
        while True:
            yield delay
            delay = min(delay * 2, self.most)


class QueueUnavailableError(Exception):
    """The broker did not take the job's items."""


class JobDispatcher(Protocol):
    """Runs job items somewhere, eventually."""

    def dispatch(self, item_ids: Sequence[int]) -> None:
        """Hand over these items; raise `QueueUnavailableError` if they cannot be."""
        ...

    def close(self) -> None:
        """Stop taking items and release what was opened."""
        ...


def make_broker(url: str, **options: Any) -> RabbitmqBroker:
    """A Dramatiq broker on the RabbitMQ at `url` (connections open lazily, one per thread)."""
    return RabbitmqBroker(url=url, **options)


def items_message(queue_name: str, item_ids: Sequence[int]) -> dramatiq.Message[Any]:
    """The message that asks a worker to run these job items, in order."""
    return dramatiq.Message(
        queue_name=queue_name, actor_name=PROCESS_ITEMS, args=(list(item_ids),), kwargs={}, options={}
    )


def message_chunks(item_ids: Sequence[int]) -> list[Sequence[int]]:
    """The items cut into the messages that carry them: one each up to 200, then 200 messages (<= 50 each)."""
    size = min(MAX_ITEMS_PER_MESSAGE, max(1, -(-len(item_ids) // MESSAGES_PER_JOB)))
    return [item_ids[start : start + size] for start in range(0, len(item_ids), size)]


class BrokerDispatcher:
    """Publishes job items to RabbitMQ from one thread (pika connections are per thread)."""

    def __init__(self, url: str, queue_name: str) -> None:
        self.queue_name = queue_name
        self._broker = make_broker(url, confirm_delivery=True, middleware=[])
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="job-publish")

    def dispatch(self, item_ids: Sequence[int]) -> None:
        """Publish every item and wait until RabbitMQ has confirmed them all."""
        try:
            self._thread.submit(self._publish, list(item_ids)).result()
        except BrokerError as exc:
            logger.error("could not queue job items: %s", type(exc).__name__)
            raise QueueUnavailableError(str(exc)) from exc

    def _publish(self, item_ids: list[int]) -> None:
        """Enqueue the items' messages (runs on the publishing thread)."""
        for chunk in message_chunks(item_ids):
            self._broker.enqueue(items_message(self.queue_name, chunk))

    def close(self) -> None:
        """Close the publishing connection (on its own thread), then the thread."""
        self._thread.submit(self._broker.close).result()
        self._thread.shutdown(wait=True)


class InProcessDispatcher:
    """Runs items on one background thread of this process, in the order they come (no broker)."""

    def __init__(self, runner: JobItemRunner, backoff: Backoff | None = None) -> None:
        self._runner = runner
        self._backoff = backoff or Backoff()
        self._closing = threading.Event()
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")

    def dispatch(self, item_ids: Sequence[int]) -> None:
        """Queue the items behind those already waiting; returns at once."""
        for item_id in item_ids:
            self._thread.submit(self._run, item_id)

    def resume(self) -> None:
        """Run, in the background, the items a previous process left pending (it stopped or died)."""
        self._thread.submit(self._resume)

    def _resume(self) -> None:
        """Look for pending items, once the database answers, and run them; an error that persists while
        the database answers (a schema not migrated) is logged and ends the look, for the next start."""
        failures = 0
        while True:
            try:
                pending = self._runner.pending()
                break
            except SQLAlchemyError as exc:
                failures += 1
                logger.warning("could not look for pending job items to resume: %s", type(exc).__name__)
                if failures >= DATABASE_RETRIES:
                    logger.error("pending job items not resumed: the database keeps failing", exc_info=exc)
                    return
                if not self._wait_for_database():
                    return
        if pending:
            logger.info("resuming %d pending job items", len(pending))
        for item_id in pending:
            self._run(item_id)

    def _run(self, item_id: int) -> None:
        """Run one item; a failure is logged and the item failed, so its job still finishes.

        A database error, or parser processes being replaced, is no failure of the item: it waits and
        tries again (see the two helpers below). Closing leaves the item pending, for the next start."""
        unavailable = failures = 0
        while not self._closing.is_set():
            try:
                self._runner.run(item_id)
                return
            except ExtractionUnavailableError:
                unavailable += 1
                if not self._again_after_extraction_unavailable(item_id, unavailable):
                    return
            except SQLAlchemyError as exc:
                failures += 1
                if not self._again_after_database_error(item_id, failures, exc):
                    return
            except Exception:
                logger.exception("job item %d failed", item_id)
                self._give_up(item_id)
                return

    def _again_after_extraction_unavailable(self, item_id: int, tries: int) -> bool:
        """Wait a little and try again, a few times; then the item is left pending for the next start."""
        logger.warning("extraction unavailable for job item %d (attempt %d)", item_id, tries)
        if tries < UNAVAILABLE_RETRIES and not self._closing.wait(UNAVAILABLE_PAUSE_S * tries):
            return True
        logger.error("job item %d stays pending: extraction is unavailable", item_id)
        return False

    def _again_after_database_error(self, item_id: int, failures: int, exc: SQLAlchemyError) -> bool:
        """Wait for the database and try again; fail the item once it failed often with the database up."""
        if failures >= DATABASE_RETRIES:
            logger.error("job item %d failed %d times on the database", item_id, failures, exc_info=exc)
            self._give_up(item_id)
            return False
        logger.warning("job item %d met a database error (%s); it waits", item_id, type(exc).__name__)
        return self._wait_for_database()

    def _wait_for_database(self) -> bool:
        """Back off until the database answers (True), or until the dispatcher closes (False)."""
        for tries, delay in enumerate(self._backoff.delays(), start=1):
            if self._closing.wait(delay):
                return False
            try:
                self._runner.ping()
            except SQLAlchemyError as exc:
                logger.warning("database unavailable (%s); job items wait for it", type(exc).__name__)
                continue
            if tries > 1:
                logger.info("the database answers again; job items run again")
            return True
        return False  # the delays never end: unreachable

    def _give_up(self, item_id: int) -> None:
        """Fail the item so its job still finishes; if even that fails, it stays pending."""
        try:
            self._runner.give_up(item_id, "Storing this article failed; the failure has been logged.")
        except Exception:
            logger.exception("job item %d could not be marked failed; it stays pending", item_id)

    def close(self) -> None:
        """Finish the running try, leaving its item pending if that fails, and drop the queued items (they
        stay pending, resumed at next start)."""
        self._closing.set()
        self._thread.shutdown(wait=True, cancel_futures=True)
