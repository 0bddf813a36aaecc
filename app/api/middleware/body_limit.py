"""Refuses request bodies over `max_body_bytes` with 413 before they are read in full.

A declared `Content-Length` over the limit is refused at once; a streamed (chunked) body is
counted as it arrives and reading stops at the first chunk past the limit. A few paths may have a
limit of their own (`POST /v1/jobs` carries thousands of articles, far more than one request should).
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import render_problem
from app.api.middleware.paths import app_path
from app.api.middleware.problems import send_problem
from app.core.exceptions import BodyTooLargeError


class BodyLimitCrossed(HTTPException):
    """Raised while a body streams in; an HTTPException, so FastAPI passes it on rather than making a 400."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413)
        self.error = _too_large(f"more than {max_bytes}", max_bytes)


def _too_large(size: str, max_bytes: int) -> BodyTooLargeError:
    """The 413 problem for a body of this size."""
    return BodyTooLargeError(f"The request body has {size} bytes; this server accepts at most {max_bytes}.")


def _content_length(scope: Scope) -> int | None:
    """The declared body size, if any and a number."""
    value = Headers(scope=scope).get("content-length")
    return int(value) if value is not None and value.isdigit() else None


class BodyLimitMiddleware:
    """Caps the size of every request body: `max_bytes`, or the limit `per_path` gives its path."""

    def __init__(self, app: ASGIApp, max_bytes: int, per_path: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = dict(per_path or {})

    def _limit(self, scope: Scope) -> int:
        """The limit for this request's path (as the app's routes see it, behind any root path)."""
        return self.per_path.get(app_path(scope), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a declared oversize body now; count a streamed one as it arrives."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await send_problem(scope, receive, send, _too_large(str(declared), limit))
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyLimitCrossed(limit)
            return message

        await self.app(scope, counted, send)


async def on_body_limit_crossed(request: Request, exc: Exception) -> Response:
    """The 413 problem for a streamed body that crossed the limit."""
    assert isinstance(exc, BodyLimitCrossed)
    return await render_problem(request, exc.error)


def install_body_limit(app: FastAPI, max_bytes: int, per_path: Mapping[str, int] | None = None) -> None:
    """Add the middleware and the handler that renders a limit crossed mid-stream."""
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_bytes, per_path=per_path)
    app.add_exception_handler(BodyLimitCrossed, on_body_limit_crossed)
