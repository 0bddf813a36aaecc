"""Refuses a request body that is not JSON with 415, before it is read: every route here takes JSON."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.middleware.problems import send_problem
from app.core.exceptions import UnsupportedMediaTypeError

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def is_json(content_type: str | None) -> bool:
    """`application/json` or `application/*+json`, whatever its parameters (`; charset=utf-8`)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    kind, _, subtype = media.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def _has_body(headers: Headers) -> bool:
    """Whether the request declares a non-empty or streamed body."""
    return "transfer-encoding" in headers or headers.get("content-length", "0") != "0"


class JsonOnlyMiddleware:
    """Lets through only JSON bodies on POST, PUT and PATCH."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 415 for a body of another type; pass everything else on."""
        if scope["type"] == "http" and scope["method"] in BODY_METHODS:
            headers = Headers(scope=scope)
            if _has_body(headers) and not is_json(headers.get("content-type")):
                detail = "The body must be JSON: Content-Type application/json (or application/*+json)."
                await send_problem(scope, receive, send, UnsupportedMediaTypeError(detail))
                return
        await self.app(scope, receive, send)
