"""The states of a bulk job and of its items, written once: the API's schemas, the database's check
constraints and the services all read them from here (mypy checks every use against them)."""

from __future__ import annotations

from typing import Final, Literal

JobStatus = Literal["queued", "running", "done"]
JobItemStatus = Literal["pending", "stored", "existing", "failed"]

QUEUED: Final[JobStatus] = "queued"
RUNNING: Final[JobStatus] = "running"
DONE: Final[JobStatus] = "done"
PENDING: Final[JobItemStatus] = "pending"
STORED: Final[JobItemStatus] = "stored"
EXISTING: Final[JobItemStatus] = "existing"
FAILED: Final[JobItemStatus] = "failed"
