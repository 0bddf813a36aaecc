"""Load a running service with real articles and see how it holds up: latency, errors, throughput, memory.

N clients post articles (texts of the eval set, each made unique by a marker sentence, so every post
extracts and stores) for D seconds or a fixed number of requests, while a separate client probes
`/healthz` at a fixed rate: its latency shows whether CPU-bound extraction starves the event loop.
With `--pid` the resident memory of the server and of each of its parser processes is read before and
after (and sampled during the run), to see whether it grows; `--warmup N` posts N articles first.

    .venv/bin/python benchmarks/load.py http://127.0.0.1:8010 --pid "$(pgrep -f 'uvicorn app.main:app')"
    .venv/bin/python benchmarks/load.py http://127.0.0.1:8010 --requests 10000 --pid PID   # memory growth
    .venv/bin/python benchmarks/load.py http://127.0.0.1:8010 --smoke --json                # a few seconds
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import multiprocessing
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
from procs import (  # benchmarks/procs.py: run as a script, this folder is on the path
    process_tree,
    resident_kib,
)
from stats import nearest_rank


class EventLike(Protocol):
    """A threading or multiprocessing event."""

    def is_set(self) -> bool: ...
    def set(self) -> None: ...
    def wait(self, timeout: float | None = None) -> bool: ...


DEFAULT_TEXTS = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "dev"
SMOKE_CLIENTS, SMOKE_DURATION_S = 2, 3.0


@dataclass
class Tally:
    """Latencies of the answered requests and the count of each failure (an HTTP status or an exception)."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def record(self, started: float, outcome: int | str) -> None:
        """One request: a 2xx status counts as answered, anything else as an error."""
        if isinstance(outcome, int) and 200 <= outcome < 300:
            self.latencies_ms.append((time.perf_counter() - started) * 1000)
        else:
            self.errors[str(outcome)] += 1

    @property
    def requests(self) -> int:
        """Requests sent, answered or not."""
        return len(self.latencies_ms) + sum(self.errors.values())

    def summary(self) -> dict[str, Any]:
        """Counts and the p50, p95, p99 and max latency in milliseconds."""
        ordered = sorted(self.latencies_ms)
        stats = {f"p{q}_ms": _percentile(ordered, q) for q in (50, 95, 99)}
        return {
            "requests": self.requests,
            "errors": dict(self.errors),
            **stats,
            "max_ms": _percentile(ordered, 100),
        }


def _percentile(ordered: list[float], q: int) -> float | None:
    """Nearest-rank percentile of sorted values, rounded to 0.1 ms; None when there are none."""
    value = nearest_rank(ordered, q)
    return None if value is None else round(value, 1)


def load_texts(paths: list[Path]) -> list[str]:
    """Article texts from eval JSON files (their `text`) or plain text files; a folder means its files."""
    files = [
        f for p in paths for f in (sorted(p.glob("*.json")) + sorted(p.glob("*.txt")) if p.is_dir() else [p])
    ]
    texts = [
        json.loads(f.read_text("utf-8"))["text"] if f.suffix == ".json" else f.read_text("utf-8")
        for f in files
    ]
    if not texts:
        raise SystemExit(f"no article texts in {', '.join(map(str, paths))}")
    return texts


def unique_texts(texts: list[str]) -> Iterator[str]:
    """The texts in turn, each with a marker sentence that makes it new to the server."""
    run = uuid.uuid4().hex[:8]
    for n, text in enumerate(itertools.cycle(texts)):
        yield f"{text}\n\nThis is load test marker {run}-{n}."


def rss_kib(pid: int | None) -> dict[str, dict[str, int]] | None:
    """Resident memory now and at its peak (VmRSS, VmHWM) in KiB of the process and each descendant."""
    if pid is None:
        return None
    memory = {}
    for process in process_tree(pid):
        if (resident := resident_kib(process)) is not None:  # None: ended between listing and reading
            memory[str(process)] = resident
    return memory


Sample = tuple[float, int, dict[str, int]]  # seconds in, total RSS, each process's peak RSS so far (KiB)


def _sample_memory(pid: int, every_s: float, stop: EventLike, samples: list[Sample]) -> None:
    """Every `every_s` seconds until `stop`: the total resident memory of the server and its parser processes,
    and each one's peak so far. Resident memory swings with the size of the batch being parsed; the
    peak only grows, so a peak that stops rising is memory that has stopped growing."""
    started = time.monotonic()
    while not stop.wait(every_s):
        memory = rss_kib(pid) or {}
        total = sum(m["VmRSS"] for m in memory.values())
        samples.append((round(time.monotonic() - started), total, {p: m["VmHWM"] for p, m in memory.items()}))


class Budget:
    """When the article clients stop: after a duration, or after a number of requests."""

    def __init__(self, duration_s: float, requests: int | None) -> None:
        self.deadline = time.monotonic() + duration_s if requests is None else math.inf
        self._left = requests if requests is not None else math.inf

    def take(self) -> bool:
        """Whether one more request may be sent (the event loop is single-threaded: no lock needed)."""
        if self._left <= 0 or time.monotonic() >= self.deadline:
            return False
        self._left -= 1
        return True


async def _article_client(
    http: httpx.AsyncClient, texts: Iterator[str], budget: Budget, tally: Tally
) -> None:
    """Post articles one after another while the budget lasts."""
    while budget.take():
        started = time.perf_counter()
        try:
            response = await http.post("/v1/articles", json={"text": next(texts)})
            tally.record(started, response.status_code)
        except httpx.HTTPError as exc:
            tally.record(started, type(exc).__name__)


async def _drive_articles(
    url: str, clients: int, texts: Iterator[str], budget: Budget, timeout: float
) -> Tally:
    """Run the article clients to the end of the budget."""
    tally = Tally()
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as http:
        await asyncio.gather(*(_article_client(http, texts, budget, tally) for _ in range(clients)))
    return tally


def _probe_health(url: str, rate: float, stop: EventLike, results: Any) -> None:
    """GET /healthz `rate` times a second on its own connection until `stop` is set; put the tally on
    `results`. It runs in a process of its own, so the article clients never delay its timing."""
    interval, tally = 1 / rate, Tally()
    with httpx.Client(base_url=url, timeout=10) as http:
        next_at = time.monotonic()
        while not stop.is_set():
            started = time.perf_counter()
            try:
                tally.record(started, http.get("/healthz").status_code)
            except httpx.HTTPError as exc:
                tally.record(started, type(exc).__name__)
            next_at += interval
            stop.wait(max(0.0, next_at - time.monotonic()))
    results.put((tally.latencies_ms, dict(tally.errors)))


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Drive the service as the arguments say and return the figures."""
    texts = unique_texts(load_texts(args.texts))
    spawn = multiprocessing.get_context("spawn")
    stop, results = spawn.Event(), spawn.Queue()
    prober = spawn.Process(target=_probe_health, args=(args.url, args.health_rate, stop, results))
    if args.warmup:  # caches fill and pools start: growth is measured from a warmed-up server
        asyncio.run(
            _drive_articles(args.url, args.clients, texts, Budget(math.inf, args.warmup), args.timeout)
        )
    memory_before = rss_kib(args.pid)
    samples: list[Sample] = []
    sampler = threading.Thread(target=_sample_memory, args=(args.pid, args.sample_every, stop, samples))
    started = time.monotonic()
    prober.start()
    if args.pid is not None:
        sampler.start()
    try:
        budget = Budget(args.duration, args.requests)
        articles = asyncio.run(_drive_articles(args.url, args.clients, texts, budget, args.timeout))
    finally:
        elapsed = time.monotonic() - started
        stop.set()
        latencies, errors = results.get(timeout=30)
        prober.join()
        if sampler.is_alive():
            sampler.join()
    health = Tally(latencies, Counter(errors))
    return {
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "articles": articles.summary(),
        "healthz": health.summary(),
        "articles_per_s": round(len(articles.latencies_ms) / elapsed, 2),
        "rss_kib": {"before": memory_before, "after": rss_kib(args.pid), "total_samples": samples},
    }


def render(report: dict[str, Any]) -> str:
    """The figures as a few readable lines."""
    lines = [f"{report['clients']} clients, {report['seconds']} s"]
    for name in ("articles", "healthz"):
        s = report[name]
        lines.append(
            f"{name:9} requests {s['requests']:6}  errors {s['errors'] or 0}  "
            f"p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  p99 {s['p99_ms']} ms  max {s['max_ms']} ms"
        )
    lines.append(f"articles/s {report['articles_per_s']}")
    before, after = report["rss_kib"]["before"], report["rss_kib"]["after"]
    for process in before or {}:
        if process not in (after or {}):
            lines.append(f"process {process} ended during the run")
            continue
        b, a = before[process]["VmRSS"], after[process]["VmRSS"]  # type: ignore[index]
        lines.append(
            f"process {process} RSS {b / 1024:.1f} MiB before, {a / 1024:.1f} MiB after "
            f"({(a - b) / b:+.1%}), peak {after[process]['VmHWM'] / 1024:.1f} MiB"  # type: ignore[index]
        )
    samples = report["rss_kib"]["total_samples"]
    if samples:
        series = ", ".join(f"{t}s {kib / 1024:.0f}" for t, kib, _ in samples)
        lines.append(f"total RSS over time (MiB): {series}")
        for process in samples[-1][2]:
            peaks = [(t, peak[process]) for t, _, peak in samples if process in peak]
            half = peaks[(len(peaks) - 1) // 2][1]
            series = ", ".join(f"{t}s {kib / 1024:.0f}" for t, kib in peaks)
            lines.append(
                f"process {process} peak RSS over time (MiB): {series}; second half "
                f"{(peaks[-1][1] - half) / half:+.1%}"
            )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("url", help="base URL of the running service, e.g. http://127.0.0.1:8010")
    parser.add_argument("--clients", type=int, default=16, help="concurrent article clients (16)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds to run (60)")
    parser.add_argument(
        "--requests", type=int, help="post this many articles instead of running for --duration"
    )
    parser.add_argument("--health-rate", type=float, default=10.0, help="/healthz probes per second (10)")
    parser.add_argument("--pid", type=int, help="the server's process id, to read its memory from /proc")
    parser.add_argument("--warmup", type=int, default=0, help="articles posted before memory is first read")
    parser.add_argument("--sample-every", type=float, default=30.0, help="seconds between memory samples")
    parser.add_argument(
        "--texts", type=Path, nargs="+", default=[DEFAULT_TEXTS], help="eval JSON or .txt files"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="per-request timeout in seconds (60)")
    parser.add_argument(
        "--smoke", action="store_true", help=f"{SMOKE_CLIENTS} clients for {SMOKE_DURATION_S} s"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.smoke:
        args.clients, args.duration, args.requests = SMOKE_CLIENTS, SMOKE_DURATION_S, None
    return args


def main(argv: list[str] | None = None) -> int:
    """Run, print the figures; exit 1 if any request failed."""
    args = parse_args(argv)
    report = run(args)
    print(json.dumps(report, indent=2) if args.json else render(report))
    failed = report["articles"]["errors"] or report["healthz"]["errors"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
