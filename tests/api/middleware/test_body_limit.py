"""The body limit answers before the body is read in full: at once if declared, else mid-stream."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from app.api.middleware.body_limit import BodyLimitCrossed, BodyLimitMiddleware


class _Client:
    """Feeds a body in chunks and records what was read and sent."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.reads = 0
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        self.reads += 1
        more = self.reads < len(self.chunks)
        return {"type": "http.request", "body": self.chunks[self.reads - 1], "more_body": more}

    async def send(self, message: Message) -> None:
        self.sent.append(message)


async def _reading_app(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that reads the whole body, as FastAPI does before calling a route."""
    while (await receive()).get("more_body"):
        pass


def _scope(headers: dict[str, str]) -> dict[str, Any]:
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    return {"type": "http", "method": "POST", "path": "/v1/extract", "headers": raw, "query_string": b""}


def test_a_declared_oversize_body_is_refused_without_reading_it() -> None:
    client = _Client([b"x" * 10] * 100)
    middleware = BodyLimitMiddleware(_reading_app, max_bytes=100)

    asyncio.run(middleware(_scope({"content-length": "1000"}), client.receive, client.send))

    assert client.reads == 0
    assert client.sent[0]["status"] == 413
    assert json.loads(client.sent[1]["body"])["type"].endswith("/body-too-large")


def test_a_streamed_body_stops_being_read_at_the_limit() -> None:
    client = _Client([b"x" * 10] * 100)
    middleware = BodyLimitMiddleware(_reading_app, max_bytes=55)

    try:
        asyncio.run(middleware(_scope({"transfer-encoding": "chunked"}), client.receive, client.send))
    except BodyLimitCrossed as crossed:  # the app's exception handler turns it into the 413 problem
        assert crossed.status_code == 413
    else:
        raise AssertionError("the limit was not enforced")
    assert client.reads == 6


def test_a_body_within_the_limit_passes_untouched() -> None:
    client = _Client([b"x" * 10] * 5)

    asyncio.run(BodyLimitMiddleware(_reading_app, max_bytes=50)(_scope({}), client.receive, client.send))

    assert client.reads == 5 and client.sent == []
