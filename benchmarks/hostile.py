"""Hostile texts against a live server: does every answer come in time, and does time grow linearly?

    .venv/bin/python benchmarks/hostile.py [--sizes 10000,20000,50000,100000] [--processes 2]

Starts the service (uvicorn, SQLite in a temporary folder, `--processes` parser processes) and posts
to `POST /v1/extract`, one at a time, texts of each size made of one hostile shape: runs of one symbol
without whitespace (quotes, apostrophes, brackets, currency signs, emoji ...) and endless nested
reported speech. For each it prints the answer time, the status and the CPU the server and its parser
processes spent, and per shape the growth exponent from the smallest to the largest size (1.0 is linear, 2.0
quadratic). Then the attack: the one-sentence request's latency alone, while 4 clients post the
largest hostile texts, and after 4 clients gave up on theirs (the parse must stop, not hold a parser process),
with `/healthz` probed every 20 ms throughout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import sys
import tempfile
import threading
import time
from pathlib import Path

from procs import cpu_seconds, process_tree  # benchmarks/: run as a script, this folder is on the path
from stats import nearest_rank
from throughput import Server, request, reset_database

SHAPES = {
    "straight quotes": '"',
    "apostrophes": "'",
    "curly quotes": "\u201c\u201d",
    "parentheses": "(",
    "dollar signs": "$",
    "exclamation marks": "!",
    "ellipses": "\u2026",
    "emoji": "\U0001f600",
    "nested speech": "the minister said that ",
}
ONE_SENTENCE = "The minister said the talks had failed."


def text_of(unit: str, size: int) -> str:
    """`unit` repeated to exactly `size` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def post(port: int, text: str, timeout: float = 600) -> tuple[float, int | str]:
    """Seconds until the answer of one `POST /v1/extract`, and its status (or what went wrong)."""
    body = json.dumps({"text": text}, ensure_ascii=False).encode()
    started = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        status, _ = request(conn, "POST", "/v1/extract", body)
        conn.close()
        return time.perf_counter() - started, status
    except OSError as exc:
        return time.perf_counter() - started, type(exc).__name__


def tree_cpu(pid: int) -> float:
    """CPU seconds of the server and its parser processes so far (ones replaced meanwhile are not counted)."""
    return sum(cpu_seconds(p) for p in process_tree(pid))


def shapes_table(server: Server, sizes: list[int]) -> list[tuple[str, int, float, int | str, float]]:
    """Every shape at every size, one request at a time: (shape, size, seconds, status, CPU seconds)."""
    rows = []
    for name, unit in SHAPES.items():
        for size in sizes:
            before = tree_cpu(server.process.pid)
            seconds, status = post(server.port, text_of(unit, size))
            rows.append((name, size, seconds, status, tree_cpu(server.process.pid) - before))
            cpu = rows[-1][4]
            print(f"{name:18} {size:>7} chars  {seconds:7.2f} s  {status}  cpu {cpu:6.2f} s", flush=True)
    return rows


def growth(rows: list[tuple[str, int, float, int | str, float]]) -> None:
    """Per shape: the exponent k of time ~ size^k between the smallest and the largest size."""
    print("\nshape               growth exponent (1 = linear)  worst s  worst cpu s")
    for name in SHAPES:
        mine = [r for r in rows if r[0] == name]
        small, large = mine[0], mine[-1]
        k = math.log(max(large[2], 1e-3) / max(small[2], 1e-3)) / math.log(large[1] / small[1])
        print(f"{name:18}  {k:5.2f}  {max(r[2] for r in mine):24.2f}  {max(r[4] for r in mine):10.2f}")
    errors = [r for r in rows if not (isinstance(r[3], int) and r[3] < 500)]
    print(f"answers that were 5xx or no answer: {len(errors)} of {len(rows)}")
    print(f"worst answer time: {max(r[2] for r in rows):.2f} s; worst CPU: {max(r[4] for r in rows):.2f} s")


def probe(port: int, stop: threading.Event, latencies: list[float]) -> None:
    """`GET /healthz` every 20 ms until `stop`."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        started = time.perf_counter()
        request(conn, "GET", "/healthz")
        latencies.append(1000 * (time.perf_counter() - started))
        time.sleep(0.02)


def attack(server: Server, texts: list[str], client_timeout: float | None) -> None:
    """Clients posting hostile texts at once (giving up after `client_timeout`), and meanwhile one
    sentence; its latency, and `/healthz` p50 / p99."""
    stop, health = threading.Event(), []
    prober = threading.Thread(target=probe, args=(server.port, stop, health))
    prober.start()
    clients = [threading.Thread(target=post, args=(server.port, t, client_timeout or 600)) for t in texts]
    for client in clients:
        client.start()
    time.sleep(client_timeout + 0.5 if client_timeout else 0.5)
    seconds, status = post(server.port, ONE_SENTENCE)
    for client in clients:
        client.join()
    stop.set()
    prober.join()
    texts_of = f"{max(map(len, texts))}-character hostile texts"
    what = (
        f"after {len(texts)} clients gave up ({client_timeout} s) on {texts_of}"
        if client_timeout
        else f"while {len(texts)} clients post {texts_of}"
    )
    p50, p99 = (nearest_rank(sorted(health), q) for q in (50, 99))
    print(
        f"one sentence {what}: {1000 * seconds:.0f} ms ({status}); /healthz p50 {p50:.1f} ms p99 {p99:.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,20000,50000,100000")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'claims.db'}"
        reset_database(url)
        log = Path(folder) / "server.log"
        server = Server(f"p{args.processes}", url, log)
        try:
            server.wait_ready()
            alone = sorted(post(server.port, ONE_SENTENCE)[0] for _ in range(5))
            print(f"one sentence alone: {1000 * alone[2]:.0f} ms (median of 5)\n")
            growth(shapes_table(server, sizes))
            print()
            size = max(sizes)
            units = ('"', "\U0001f600", "the minister said that ", "$")
            attack(server, [text_of(unit, size) for unit in units], None)
            attack(server, [text_of("the minister said that ", size)] * 4, 1.0)
            time.sleep(1)
            stopped = log.read_text().count("has gone: stopping it")
            print(f"parses stopped because their clients had gone: {stopped}")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
