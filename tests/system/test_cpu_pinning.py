"""Extraction workers parse on CPUs of their own, and the server keeps off them when CPUs are left over."""

from __future__ import annotations

import os
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import Engine

from tests.system.server import LiveServer


def _workers(server: LiveServer) -> list[int]:
    """The server's extraction parser processes (not multiprocessing's resource tracker)."""
    children = server.children()
    return [pid for pid in children if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()]


def _server_threads(server_pid: int) -> list[int]:
    return [int(task.name) for task in Path(f"/proc/{server_pid}/task").iterdir()]


@pytest.fixture
def cpus() -> list[int]:
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 2:
        pytest.skip("one CPU: there is nothing to keep apart")
    return allowed


def test_a_worker_gets_a_cpu_of_its_own_and_the_server_the_others(
    cpus: list[int], database_url: str, migrated_engine: Engine, tmp_path: Path
) -> None:
    with LiveServer(database_url, tmp_path / "uvicorn.log", extraction_processes="1") as server:
        workers = _workers(server)
        worker_cpus = [os.sched_getaffinity(pid) for pid in workers]
        server_cpus = {frozenset(os.sched_getaffinity(t)) for t in _server_threads(server.pid)}
        stored = httpx.post(server.url + "/v1/articles", json={"text": 'Ali said: "It works."'}, timeout=60)

    assert worker_cpus == [{cpus[-1]}]
    assert server_cpus == {frozenset(cpus[:-1])}
    assert stored.status_code == 201, stored.text


def test_unpinned_workers_and_server_may_use_every_cpu(
    cpus: list[int], database_url: str, migrated_engine: Engine, tmp_path: Path
) -> None:
    settings = {"extraction_processes": "1", "extraction_pin_cpus": "false"}
    with LiveServer(database_url, tmp_path / "uvicorn.log", **settings) as server:
        workers = _workers(server)
        worker_cpus = [os.sched_getaffinity(pid) for pid in workers]
        server_cpus = {frozenset(os.sched_getaffinity(t)) for t in _server_threads(server.pid)}

    assert worker_cpus == [set(cpus)]
    assert server_cpus == {frozenset(cpus)}
