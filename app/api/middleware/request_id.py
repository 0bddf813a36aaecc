"""Gives every request an id, returned in `X-Request-ID` and stamped on every log line it causes.

A client's own `X-Request-ID` is kept when it is a short token (so ids can be traced across
services); anything else is replaced, so a header cannot smuggle text into the logs.
"""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.problems import send_problem
from app.core.exceptions import INTERNAL_DETAIL, ProblemError
from app.core.logging import request_id_var

HEADER = "X-Request-ID"
TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}")  # RFC 9110 token characters


def request_id_for(scope: Scope) -> str:
    """The client's id if it is an acceptable token, else a new uuid4 hex."""
    given = Headers(scope=scope).get(HEADER)
    return given if given and TOKEN.fullmatch(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the id for the request's task and adds it to the response (crashes answered here too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request with its id; answer a crash with the generic 500 so that carries the id too."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_for(scope)
        # Not reset afterwards: the server logs a crash after we return, in this request's own task.
        request_id_var.set(request_id)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message).append(HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            if not started:  # the same body Starlette's last-resort handler sends, plus our header
                await send_problem(scope, receive, send_with_id, ProblemError(INTERNAL_DETAIL))
            raise
