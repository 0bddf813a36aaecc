"""Caps requests to `/v1` per API key (per client IP for requests without a valid key) with 429.

The client IP is the peer that connected, or the address a proxy in `forwarded_allow_ips` names in
`X-Forwarded-For` (`stack.py` applies that before this runs); any other peer's header is ignored.
The buckets live in this process's memory: with N server processes (uvicorn `--workers N`) a client
may get up to N times the limit, and a restart forgets them.
Health checks, docs and metrics are never limited.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.middleware.problems import send_problem
from app.api.security import presented_key
from app.core import keys
from app.core.exceptions import RateLimitedError

LIMITED_PREFIX = "/v1/"
MAX_CLIENTS = 10_000  # past this many buckets, full ones are dropped (they hold nothing to remember)


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """One token bucket per client: `per_minute` tokens at most, refilled evenly over a minute."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def take(self, client: str) -> float:
        """Take a token: 0.0 when there was one, else the seconds until there is one."""
        now = self._clock()
        bucket = self._buckets.get(client) or _Bucket(self.capacity, now)
        tokens = min(self.capacity, bucket.tokens + (now - bucket.stamp) * self.rate)
        allowed = tokens >= 1
        self._buckets[client] = _Bucket(tokens - 1 if allowed else tokens, now)
        if len(self._buckets) > MAX_CLIENTS:
            self._forget_full(now)
        return 0.0 if allowed else (1 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: they are the same as a new one."""
        full = [
            c for c, b in self._buckets.items() if b.tokens + (now - b.stamp) * self.rate >= self.capacity
        ]
        for client in full:
            del self._buckets[client]


class RateLimitMiddleware:
    """Answers 429 with `Retry-After` once a client has used its requests for now."""

    def __init__(self, app: ASGIApp, per_minute: int, key_hashes: Sequence[str]) -> None:
        self.app = app
        self.buckets = TokenBuckets(per_minute)
        self.key_hashes = key_hashes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count `/v1` requests per client; runs on the event loop, so the buckets need no lock."""
        if scope["type"] == "http" and scope["path"].startswith(LIMITED_PREFIX):
            wait = self.buckets.take(self._client(scope))
            if wait > 0:
                seconds = max(1, math.ceil(wait))
                error = RateLimitedError(
                    f"Too many requests; try again in {seconds} s.", headers={"Retry-After": str(seconds)}
                )
                await send_problem(scope, receive, send, error)
                return
        await self.app(scope, receive, send)

    def _client(self, scope: Scope) -> str:
        """Whom to count against: a configured key's hash, else the peer address."""
        key = presented_key(Headers(scope=scope))
        digest = keys.matching_hash(key, self.key_hashes) if key and self.key_hashes else None
        if digest:
            return f"key:{digest}"
        peer = scope.get("client")
        return f"ip:{peer[0] if peer else 'unknown'}"
