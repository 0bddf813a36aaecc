"""Token buckets: a client may burst up to the limit, then gets one request per 60/limit seconds."""

from __future__ import annotations

import pytest

from app.api.middleware import rate_limit
from app.api.middleware.rate_limit import TokenBuckets


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_up_to_the_limit_then_a_wait_that_says_how_long() -> None:
    clock = _Clock()
    buckets = TokenBuckets(per_minute=6, clock=clock)

    assert [buckets.take("a") for _ in range(6)] == [0.0] * 6
    assert buckets.take("a") == 10.0
    assert buckets.take("b") == 0.0  # every client has its own bucket
    clock.now += 10
    assert buckets.take("a") == 0.0
    assert buckets.take("a") == 10.0


def test_idle_clients_are_forgotten_when_there_are_many(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = _Clock()
    buckets = TokenBuckets(per_minute=6, clock=clock)
    monkeypatch.setattr(rate_limit, "MAX_CLIENTS", 3)

    for client in "abcd":
        buckets.take(client)
    assert len(buckets._buckets) == 4  # none has refilled yet: all are remembered
    clock.now += 10
    buckets.take("e")

    assert list(buckets._buckets) == ["e"]
