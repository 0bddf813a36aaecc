"""Answering from middleware with the same problem documents the exception handlers send."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from app.api.errors import render_problem
from app.core.exceptions import ProblemError


async def send_problem(scope: Scope, receive: Receive, send: Send, error: ProblemError) -> None:
    """Answer the request with this error's problem document; the app never sees it."""
    response = await render_problem(Request(scope), error)
    await response(scope, receive, send)
