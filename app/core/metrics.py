"""Prometheus metrics of one app: traffic and latency by route, extraction cost, database errors and
connections.

Each app has a registry of its own, so several apps in one process (tests) never share counts.
Routes are labelled by template (`/v1/articles/{article_id}`), never by raw path, to bound cardinality.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

EXTRACTION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
STAGE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)
# What a request to store articles spends its time on, besides the HTTP layer.
STAGES = ("lookup", "extract", "store")
CLAIM_COUNT_BUCKETS = (0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89)


class Metrics:
    """The service's metrics, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "claims_http_requests_total",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "claims_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            registry=self.registry,
        )
        self.extraction_seconds = Histogram(
            "claims_extraction_seconds",
            "Time to extract the claims of one article.",
            buckets=EXTRACTION_BUCKETS,
            registry=self.registry,
        )
        self.claims_per_article = Histogram(
            "claims_extracted_per_article",
            "Claims extracted from one article.",
            buckets=CLAIM_COUNT_BUCKETS,
            registry=self.registry,
        )
        self.stage_seconds = Histogram(
            "claims_stage_seconds",
            "Time a storing request spends per stage: lookup (is the text stored?), extract (waiting for"
            " the parse, queueing included), store (entities, claims, commit).",
            ["stage"],
            buckets=STAGE_BUCKETS,
            registry=self.registry,
        )
        self.stage_cpu_seconds = Histogram(
            "claims_stage_cpu_seconds",
            "CPU time of this process's thread in each stage (what it costs, not how long it waited).",
            ["stage"],
            buckets=STAGE_BUCKETS,
            registry=self.registry,
        )
        for stage in STAGES:
            self.stage_seconds.labels(stage)
            self.stage_cpu_seconds.labels(stage)
        self.database_errors = Counter(
            "claims_database_errors_total",
            "Errors raised by the database driver, by exception class.",
            ["error"],
            registry=self.registry,
        )
        self.database_connections = Counter(
            "claims_database_connections_opened_total",
            "Connections opened to the database (the pool keeps them for reuse).",
            registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its latency."""
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def observe_extraction(self, seconds: float, claims: int) -> None:
        """Record one article's extraction time and claim count."""
        self.extraction_seconds.observe(seconds)
        self.claims_per_article.observe(claims)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as one stage of a request (also when it raises)."""
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            self.stage_seconds.labels(name).observe(time.perf_counter() - start)
            self.stage_cpu_seconds.labels(name).observe(time.thread_time() - cpu)

    def observe_database_error(self, error: str) -> None:
        """Count one error the database driver raised, by its class name (a short, fixed set)."""
        self.database_errors.labels(error).inc()

    def observe_database_connection(self) -> None:
        """Count one connection opened (one that keeps rising under steady load: the pool is too small)."""
        self.database_connections.inc()

    def render(self) -> bytes:
        """All metrics in the Prometheus text format."""
        return generate_latest(self.registry)
