"""The worker command `scripts/worker` runs survives one of its worker processes dying (real RabbitMQ).

It runs `python -m app.jobs.supervisor` with two worker processes on a queue of this module's own (see
`tests.jobs.test_broker`), SIGKILLs one worker process, as the OOM killer would, and checks that jobs
still complete, the other worker process was left alone, and SIGTERM then stops everything.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import started_client
from tests.api.test_jobs import quote, wait_for_job
from tests.conftest import MODEL, REPO
from tests.jobs.test_broker import (
    BROKER_AND_POSTGRES,
    BROKER_URL,
    WORKER_READY_S,
    consumers,
    queue,
    wait_for,
)

__all__ = ["queue"]  # the module's own queue (a fixture), as in test_broker

# What `scripts/worker` execs (after setting up .venv), with WORKER_PROCESSES=2 and WORKER_THREADS=1.
WORKER_COMMAND = [sys.executable, "-m", "app.jobs.supervisor", "--processes", "2", "--threads", "1"]

pytestmark = BROKER_AND_POSTGRES


def descendants(pid: int) -> dict[int, int]:
    """Every process under `pid`, each with its parent."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True, check=True).stdout
    parents = {int(p): int(pp) for p, pp in (line.split() for line in out.splitlines())}
    found: dict[int, int] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent]
        found.update((child, parent) for child in children)
        frontier.extend(children)
    return found


def worker_processes(pid: int) -> set[int]:
    """The Dramatiq worker processes under the supervisor `pid`: the children of its commands (each
    worker process has a child of its own, its extraction process)."""
    tree = descendants(pid)
    commands = {child for child, parent in tree.items() if parent == pid}
    return {child for child, parent in tree.items() if parent in commands}


@pytest.fixture
def supervised(queue: str, tmp_path: Path, run_postgres_url: str) -> Iterator[subprocess.Popen[bytes]]:
    """The worker command, booted (both worker processes consuming); stopped and checked at the end."""
    env = {
        **os.environ,
        "CLAIMS_DATABASE_URL": run_postgres_url,
        "CLAIMS_BROKER_URL": BROKER_URL,
        "CLAIMS_JOB_QUEUE": queue,
        "CLAIMS_SPACY_MODEL": MODEL,
    }
    log = tmp_path / "workers.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            WORKER_COMMAND, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for(
            lambda: consumers(queue) == 2 or process.poll() is not None, WORKER_READY_S, "workers booting"
        )
        assert process.poll() is None, log.read_text()
        yield process
    finally:
        leftovers = descendants(process.pid)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        for pid in leftovers:  # only after a failure: the test checks that none are left
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Whether a process is still running (a zombie counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_a_killed_worker_process_is_replaced_and_jobs_still_complete(
    supervised: subprocess.Popen[bytes],
    queue: str,
    engine: Engine,
    database_url: str,
    claim_extractor: ClaimExtractor,
) -> None:
    wait_for(lambda: len(worker_processes(supervised.pid)) == 2, 10, "two worker processes")
    killed, survivor = sorted(worker_processes(supervised.pid))

    os.kill(killed, signal.SIGKILL)  # as the OOM killer does

    with started_client(database_url, claim_extractor, broker_url=BROKER_URL, job_queue=queue) as api:
        response = api.post("/v1/jobs", json={"items": [{"text": quote(n)} for n in range(4)]})
        assert response.status_code == 202, response.text
        job = wait_for_job(api, response.headers["location"], seconds=30)
    assert (job["done"], job["failed"]) == (4, 0)
    wait_for(
        lambda: len(worker_processes(supervised.pid) - {survivor}) == 1 and consumers(queue) == 2,
        WORKER_READY_S,
        "the killed worker process being replaced",
    )
    assert survivor in worker_processes(supervised.pid)  # the other one was never stopped
    started = descendants(supervised.pid)

    supervised.send_signal(signal.SIGTERM)  # a graceful stop ends every process it started

    assert supervised.wait(timeout=30) == 0
    assert [pid for pid in started if alive(pid)] == []
