"""Extraction in parser processes: one parse per core at a time, and the server's event loop never waits.

One process parses one batch at a time (the pipeline's `memory_zone` is not thread-safe) and holds the
GIL while our claim rules run, so threads cannot use a second core and would slow `/healthz`. Parser
processes can: each loads the pipeline once (the pool's initializer) and gets plain tuples in and plain
dataclasses out, both cheap to pickle. Children are started with `spawn` (no copy of the server's
threads, locks or database connections). Each parser process is a pool of one process, so that one can be
killed alone: a parse past its time budget, or one nobody waits for any more, is stopped that way. A
child that dies (killed, out of memory) fails its parse with `ExtractionUnavailableError` (a 503 the
client may retry) and a fresh process takes its place, so the service outlives its children.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import spacy

from app.core.memory import freeze_long_lived_objects
from app.core.processes import cpu_seconds
from app.extraction.service import (
    NOBODY_WAITS,
    ExtractionCancelledError,
    ExtractionFailed,
    ExtractionService,
    ExtractionTimedOut,
    ExtractionUnavailableError,
    Item,
    Outcome,
    Parsed,
    extract_each,
)
from app.nlp.extractor import ClaimExtractor
from app.nlp.types import PipelineInfo

logger = logging.getLogger(__name__)

WORKER_NICENESS = 15  # where SCHED_IDLE is not available
WARM_UP = 'The minister said on Monday that "the plan is working."'
LOAD_TIMEOUT_SECONDS = 300  # a fresh parser process that has not loaded its pipeline by then is replaced
WALL_CLOCK_FACTOR = 4  # a parse's budget is CPU time, and at most this many times it in wall-clock time
POLL_SECONDS = 0.1  # how often a waiting parse checks its budget and whether anyone still waits for it
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies
_extractor: ClaimExtractor | None = None  # the pipeline of this parser process, loaded by `_load`


def _load(model: str, cpu: int | None) -> None:
    """Pool initializer: load the pipeline once in this parser process; leave Ctrl-C to the server.

    Parsers run only when nothing else wants the CPU (Linux `SCHED_IDLE`, else a high niceness), so
    that with every core parsing, the event loop (`/healthz`), storage and the database still get a
    core the moment they need one. With `cpu`, the parser is pinned to it.
    """
    global _extractor
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _lower_priority()
    if cpu is not None:
        _pin(os.getpid(), {cpu})
    _extractor = ClaimExtractor.load(model)
    _extractor.extract(WARM_UP, None)  # lexicons and models load on first use: not in a client's budget
    freeze_long_lived_objects()


def _die_with_parent() -> None:
    """Have the kernel end this parser when the server dies, even by SIGKILL (Linux `PR_SET_PDEATHSIG`);
    otherwise an orphaned parser would keep its model in memory for ever."""
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


def parser_cpus(processes: int) -> list[int]:
    """The CPUs the parsers are pinned to, one each, from the last this process may use; none when
    there are more parsers than CPUs (they share them all) or pinning is unavailable.

    A parse that stays on one core keeps its caches. Unpinned, the scheduler moved the parser and the
    server's threads across the cores: with one parser on 2 cores, the parser spent 63.5 to 66.5 ms of
    CPU per article and reached 0.81 to 0.84 of the raw parse; pinned, with the server on the other
    core, 62.3 ms and 0.87 (55 ms and 0.98 when the benchmark's clients kept off its core too).
    """
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return []
    return allowed[::-1][:processes] if processes <= len(allowed) else []


def keep_off_parser_cpus(cpus: Sequence[int]) -> None:
    """Move every thread of this (server) process to the CPUs the parsers do not have, if any are left,
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
    """Parser side of `ProcessBackend.parse`."""
    assert _extractor is not None, "the pool initializer did not run"
    return extract_each(_extractor, items)


def _describe() -> tuple[PipelineInfo, int]:
    """Parser side of `ProcessBackend.start`: the pipeline in use and the parser's process id."""
    assert _extractor is not None, "the pool initializer did not run"
    return _extractor.info, os.getpid()


class _ParserProcess:
    """One parser process (a pool of one), so that a parse can be stopped by killing its process alone."""

    def __init__(self, model: str, cpu: int | None) -> None:
        self.model, self.cpu = model, cpu
        self.pool = self._new_pool()
        self.ready: Future[tuple[PipelineInfo, int]] | None = None  # a replacement loading its pipeline

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(1, mp_context=context, initializer=_load, initargs=(self.model, self.cpu))

    def pid(self) -> int | None:
        """The parser's process id, once it has started."""
        processes = list(self.pool._processes.values())
        return processes[0].pid if processes else None

    def replace(self, kill: bool) -> None:
        """A fresh process in place of this one (killed first when `kill`: it may be mid-parse), loading
        the pipeline at once rather than on the next parse."""
        old, pid = self.pool, self.pid()
        if kill and pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.pool = self._new_pool()
        self.ready = self.pool.submit(_describe)
        old.shutdown(wait=False, cancel_futures=True)


class ProcessBackend:
    """Parser processes, each with the pipeline loaded; one parse at a time in each.

    A parse gets `parse_timeout` seconds for every `max_text_chars` characters it holds (at least
    `parse_timeout`). Past that, or once every client waiting on it has gone (`abandoned`), its process
    is killed and replaced: a parse in C code cannot be interrupted otherwise. A parse of several
    articles that ran out of time is run again one article at a time, so that only an article that
    needs more than its budget alone fails (`ExtractionTimedOut`).
    """

    def __init__(
        self,
        model: str,
        processes: int,
        cpus: Sequence[int] = (),
        parse_timeout: float = 0.0,
        max_text_chars: int = 100_000,
    ) -> None:
        self.parse_timeout, self.max_text_chars = parse_timeout, max_text_chars
        self._parsers = [_ParserProcess(model, cpus[n] if cpus else None) for n in range(processes)]
        self._idle: queue.SimpleQueue[_ParserProcess] = queue.SimpleQueue()
        for parser in self._parsers:
            self._idle.put(parser)

    def start(self) -> tuple[PipelineInfo, list[int]]:
        """Start every parser and wait until each has loaded the pipeline; its description and the pids."""
        futures = [parser.pool.submit(_describe) for parser in self._parsers]
        described = [future.result() for future in futures]
        return described[0][0], sorted({pid for _, pid in described})

    def parser_pids(self) -> list[int]:
        """Process ids of the current parsers (for tests and the benchmark)."""
        return sorted(pid for parser in self._parsers if (pid := parser.pid()) is not None)

    def parse(self, items: Sequence[Item], abandoned: Callable[[], bool] = lambda: False) -> Parsed:
        """Parse in an idle parser; a dead parser yields `ExtractionUnavailableError` and a fresh one."""
        parser = self._idle.get()
        try:
            return self._parse_in(parser, list(items), abandoned)
        finally:
            self._idle.put(parser)

    def _parse_in(self, parser: _ParserProcess, items: list[Item], abandoned: Callable[[], bool]) -> Parsed:
        try:
            self._wait_until_loaded(parser, abandoned)
            start, budget = time.monotonic(), self._budget(items)
            cpu_at_start = cpu_seconds(parser.pid())
            future = parser.pool.submit(_parse, items)  # raises at once when the process died meanwhile
            while not wait([future], timeout=POLL_SECONDS)[0]:
                if abandoned():
                    logger.info("every client of a parse of %d article(s) has gone: stopping it", len(items))
                    parser.replace(kill=True)
                    raise ExtractionCancelledError(NOBODY_WAITS)
                if budget and self._spent(parser, cpu_at_start, start) > budget:
                    return self._out_of_time(parser, items, budget, abandoned, start)
            return future.result()
        except BrokenProcessPool:
            logger.error("an extraction parser process died; starting a new one")
            parser.replace(kill=False)
            raise ExtractionUnavailableError("An extraction process stopped; retry the request.") from None

    def _wait_until_loaded(self, parser: _ParserProcess, abandoned: Callable[[], bool]) -> None:
        """A fresh process loads its pipeline first: that is no part of a parse's budget."""
        ready, deadline = parser.ready, time.monotonic() + LOAD_TIMEOUT_SECONDS
        while ready is not None and not wait([ready], timeout=POLL_SECONDS)[0]:
            if abandoned():
                raise ExtractionCancelledError(NOBODY_WAITS)
            if time.monotonic() > deadline:
                parser.replace(kill=True)
                raise ExtractionUnavailableError("An extraction process did not start; retry the request.")
        if ready is not None:
            ready.result()  # a process that died while loading: BrokenProcessPool
        parser.ready = None

    @staticmethod
    def _spent(parser: _ParserProcess, cpu_at_start: float | None, start: float) -> float:
        """How much of its budget a parse has used: the CPU time of its process (a parser runs at idle
        priority, and a busy machine must not make an article too complex), and no more than
        `WALL_CLOCK_FACTOR` times the budget in wall-clock time."""
        elapsed = time.monotonic() - start
        cpu_now = cpu_seconds(parser.pid())
        if cpu_at_start is None or cpu_now is None:
            return elapsed
        return max(cpu_now - cpu_at_start, elapsed / WALL_CLOCK_FACTOR)

    def _budget(self, items: Sequence[Item]) -> float:
        """Seconds a parse of `items` may take: the timeout per `max_text_chars` characters; 0: no limit."""
        chars = sum(len(text) for text, _ in items)
        return self.parse_timeout * max(1.0, chars / self.max_text_chars)

    def _out_of_time(
        self,
        parser: _ParserProcess,
        items: list[Item],
        budget: float,
        abandoned: Callable[[], bool],
        start: float,
    ) -> Parsed:
        """Stop the parse; then fail the article, or parse each of the articles alone (one that cannot be
        parsed now fails alone too)."""
        logger.warning("a parse of %d article(s) ran past its %.1f s budget: stopping it", len(items), budget)
        parser.replace(kill=True)
        if len(items) == 1:
            return Parsed([ExtractionTimedOut(budget)], time.monotonic() - start)
        outcomes: list[Outcome] = []
        for item in items:
            try:
                outcomes += self._parse_in(parser, [item], abandoned).outcomes
            except ExtractionUnavailableError:
                outcomes.append(ExtractionFailed("ExtractionUnavailableError"))
        return Parsed(outcomes, time.monotonic() - start)

    def shutdown(self) -> None:
        """Stop the parsers once their current parse is done."""
        for parser in self._parsers:
            parser.pool.shutdown(wait=True, cancel_futures=True)


def process_service(
    model: str,
    processes: int,
    record: Callable[[float, int], None] | None = None,
    pin_cpus: bool = False,
    parse_timeout: float = 0.0,
    max_text_chars: int = 100_000,
) -> ExtractionService:
    """An extraction service that parses in `processes` parser processes; blocks until each is loaded.

    `parse_timeout` (seconds, 0: none) bounds each parse (`ProcessBackend`).
    With `pin_cpus`, each parser gets a CPU of its own and this process the CPUs left over (if any).
    An uninstalled model is refused here with `OSError`, as `spacy.load` would, rather than as a pool
    whose parsers all die in their initializer.
    """
    if not spacy.util.is_package(model) and not Path(model).is_dir():
        raise OSError(f"spaCy pipeline {model!r} is not an installed package or a directory")
    cpus = parser_cpus(processes) if pin_cpus else []
    backend = ProcessBackend(model, processes, cpus, parse_timeout, max_text_chars)
    try:
        info, _ = backend.start()
    except BaseException:
        backend.shutdown()
        raise
    keep_off_parser_cpus(cpus)
    # One feeder per parser: each keeps one parser busy, and requests arriving meanwhile form its next batch.
    return ExtractionService(backend, info, processes, record)
