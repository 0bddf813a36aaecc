"""Refuses a request body that is not JSON with 415, before it is read: every API route takes JSON. The
pages' forms (`form_paths`) post what browsers post, `application/x-www-form-urlencoded`."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.middleware.paths import app_path
from app.api.middleware.problems import send_problem
from app.core.exceptions import UnsupportedMediaTypeError

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
FORM = "application/x-www-form-urlencoded"


def _media(content_type: str | None) -> str:
    """The media type without its parameters, lower case."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    """`application/json` or `application/*+json`, whatever its parameters (`; charset=utf-8`)."""
    kind, _, subtype = _media(content_type).partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def _has_body(headers: Headers) -> bool:
    """Whether the request declares a non-empty or streamed body."""
    return "transfer-encoding" in headers or headers.get("content-length", "0") != "0"


class JsonOnlyMiddleware:
    """Lets through only JSON bodies on POST, PUT and PATCH."""

    def __init__(self, app: ASGIApp, form_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.form_paths = frozenset(form_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 415 for a body of another type; pass everything else on."""
        if scope["type"] == "http" and scope["method"] in BODY_METHODS:
            headers = Headers(scope=scope)
            content_type = headers.get("content-type")
            form = app_path(scope) in self.form_paths and _media(content_type) == FORM
            if _has_body(headers) and not is_json(content_type) and not form:
                detail = "The body must be JSON: Content-Type application/json (or application/*+json)."
                await send_problem(scope, receive, send, UnsupportedMediaTypeError(detail))
                return
        await self.app(scope, receive, send)
