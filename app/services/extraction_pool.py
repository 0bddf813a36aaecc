"""Extraction in worker processes: one parse per core at a time, and the server's event loop never waits.

One process parses one batch at a time (the pipeline's `memory_zone` is not thread-safe) and holds the
GIL while our claim rules run, so threads cannot use a second core and would slow `/healthz`. Worker
processes can: each loads the pipeline once (the pool's initializer) and gets plain tuples in and plain
dataclasses out, both cheap to pickle. Children are started with `spawn` (no copy of the server's
threads, locks or database connections). A child that dies (killed, out of memory) breaks the pool:
the parses in flight fail with `ExtractionUnavailableError` (a 503 the client may retry) and the next
parse goes to a fresh pool, so the service outlives its children.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import spacy

from app.core.memory import freeze_long_lived_objects
from app.nlp.extractor import ClaimExtractor
from app.nlp.types import PipelineInfo
from app.services.extraction import (
    ExtractionRunner,
    ExtractionUnavailableError,
    Item,
    Parsed,
    extract_each,
)

logger = logging.getLogger(__name__)

WORKER_NICENESS = 15  # where SCHED_IDLE is not available
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies
_extractor: ClaimExtractor | None = None  # the pipeline of this worker process, loaded by `_load`


def _load(model: str, cpus: Sequence[int], slot: Any) -> None:
    """Pool initializer: load the pipeline once in this worker process; leave Ctrl-C to the server.

    Workers run only when nothing else wants the CPU (Linux `SCHED_IDLE`, else a high niceness), so
    that with every core parsing, the event loop (`/healthz`), storage and the database still get a
    core the moment they need one. With `cpus`, the worker takes the next of them (`slot` counts).
    """
    global _extractor
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _lower_priority()
    if cpus:
        with slot.get_lock():
            cpu, slot.value = cpus[slot.value % len(cpus)], slot.value + 1
        _pin(os.getpid(), {cpu})
    _extractor = ClaimExtractor.load(model)
    freeze_long_lived_objects()


def _die_with_parent() -> None:
    """Have the kernel end this worker when the server dies, even by SIGKILL (Linux `PR_SET_PDEATHSIG`);
    otherwise an orphaned worker would keep its model in memory for ever."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the server died before the request took effect
        os._exit(0)


def _lower_priority() -> None:
    """Yield the CPU to every ordinary process: `SCHED_IDLE` where the OS has it."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        os.nice(WORKER_NICENESS)


def worker_cpus(processes: int) -> list[int]:
    """The CPUs the workers are pinned to, one each, from the last this process may use; none when
    there are more workers than CPUs (they share them all) or pinning is unavailable.

    A parse that stays on one core keeps its caches. Unpinned, the scheduler moved the worker and the
    server's threads across the cores: with one worker on 2 cores, the worker spent 63.5 to 66.5 ms of
    CPU per article and reached 0.81 to 0.84 of the raw parse; pinned, with the server on the other
    core, 62.3 ms and 0.87 (55 ms and 0.98 when the benchmark's clients kept off its core too).
    """
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return []
    return allowed[::-1][:processes] if processes <= len(allowed) else []


def keep_off_worker_cpus(cpus: Sequence[int]) -> None:
    """Move every thread of this (server) process to the CPUs the workers do not have, if any are left,
    so that the server's work never lands on a parsing core; threads started later inherit it."""
    try:
        others = set(os.sched_getaffinity(0)) - set(cpus)
    except AttributeError:
        return
    if not cpus or not others:
        return
    for task in Path("/proc/self/task").iterdir():
        _pin(int(task.name), others)


def _pin(task: int, cpus: set[int]) -> None:
    """Restrict a process or thread to `cpus`; a refusal (a container's policy) leaves it as it was."""
    try:
        os.sched_setaffinity(task, cpus)
    except OSError as exc:
        logger.warning("could not pin task %d to CPUs %s: %s", task, sorted(cpus), exc)


def _parse(items: Sequence[Item]) -> Parsed:
    """Worker side of `ProcessBackend.parse`."""
    assert _extractor is not None, "the pool initializer did not run"
    return extract_each(_extractor, items)


def _describe() -> tuple[PipelineInfo, int]:
    """Worker side of `ProcessBackend.start`: the pipeline in use and the worker's process id."""
    assert _extractor is not None, "the pool initializer did not run"
    return _extractor.info, os.getpid()


class ProcessBackend:
    """A pool of worker processes, each with the pipeline loaded; replaced whole when a worker dies."""

    def __init__(self, model: str, processes: int, cpus: Sequence[int] = ()) -> None:
        self.model, self.processes, self.cpus = model, processes, list(cpus)
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        slot = context.Value("i", 0)  # which of `cpus` the next worker takes
        return ProcessPoolExecutor(
            self.processes,
            mp_context=context,
            initializer=_load,
            initargs=(self.model, self.cpus, slot),
        )

    def start(self) -> tuple[PipelineInfo, list[int]]:
        """Start every worker and wait until each has loaded the pipeline; its description and the pids."""
        futures = [self._pool.submit(_describe) for _ in range(self.processes)]
        described = [future.result() for future in futures]
        return described[0][0], sorted({pid for _, pid in described})

    def worker_pids(self) -> list[int]:
        """Process ids of the current pool's workers (for tests and the benchmark)."""
        return sorted(process.pid for process in list(self._pool._processes.values()) if process.pid)

    def parse(self, items: Sequence[Item]) -> Parsed:
        """Parse in a worker; a dead worker yields `ExtractionUnavailableError` and a fresh pool."""
        pool = self._pool
        try:
            return pool.submit(_parse, list(items)).result()
        except BrokenProcessPool:
            self._replace(pool)
            raise ExtractionUnavailableError("An extraction process stopped; retry the request.") from None

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Swap in a new pool, once however many parses saw the old one break."""
        with self._lock:
            if self._pool is not broken:
                return
            logger.error("an extraction worker process died; starting a new pool of %d", self.processes)
            self._pool = self._new_pool()
            for _ in range(self.processes):  # start loading now rather than on the next parse
                self._pool.submit(_describe)
        broken.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the workers once their current parse is done."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def process_runner(
    model: str,
    processes: int,
    record: Callable[[float, int], None] | None = None,
    pin_cpus: bool = False,
) -> ExtractionRunner:
    """A runner whose parses run in `processes` worker processes; blocks until every worker is loaded.

    With `pin_cpus`, each worker gets a CPU of its own and this process the CPUs left over (if any).
    An uninstalled model is refused here with `OSError`, as `spacy.load` would, rather than as a pool
    whose workers all die in their initializer.
    """
    if not spacy.util.is_package(model) and not Path(model).is_dir():
        raise OSError(f"spaCy pipeline {model!r} is not an installed package or a directory")
    cpus = worker_cpus(processes) if pin_cpus else []
    backend = ProcessBackend(model, processes, cpus)
    try:
        info, _ = backend.start()
    except BaseException:
        backend.shutdown()
        raise
    keep_off_worker_cpus(cpus)
    # One dispatcher per worker: each keeps one worker busy, and jobs arriving meanwhile form its next batch.
    return ExtractionRunner(backend, info, processes, record)
