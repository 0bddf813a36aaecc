"""Records every request once it is answered: one access log line and the HTTP metrics.

Both name the route by its template, never the raw path; request bodies (article text) are never logged.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.metrics import Metrics

access_log = logging.getLogger("app.access")
UNMATCHED = "<unmatched>"


def _documented_paths(app: Any) -> list[tuple[re.Pattern[str], str]]:
    """Each documented path template with its regex, made once per app."""
    if not hasattr(app.state, "path_patterns"):
        templates = app.openapi().get("paths", {})
        app.state.path_patterns = [(compile_path(t)[0], t) for t in templates]
    patterns: list[tuple[re.Pattern[str], str]] = app.state.path_patterns
    return patterns


def route_template(scope: Scope) -> str:
    """The template of the route that served the request, or (if refused before routing) of the one it
    was meant for; `<unmatched>` when there is none."""
    route = scope.get("route")
    if route is not None:
        return str(getattr(route, "path", UNMATCHED))
    app = scope.get("app")
    patterns = _documented_paths(app) if app is not None else []
    return next((t for pattern, t in patterns if pattern.match(scope["path"])), UNMATCHED)


class TelemetryMiddleware:
    """Times each request and records its route, status and duration."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, noting the status sent; a crash counts as the 500 it becomes."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            self._record(scope, status, time.perf_counter() - start)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        """One access line and the request metrics."""
        method, route, ms = scope["method"], route_template(scope), round(seconds * 1000, 1)
        self.metrics.observe_request(method, route, status, seconds)
        fields = {"method": method, "route": route, "status": status, "duration_ms": ms}
        access_log.info("%s %s %s %.1f ms", method, route, status, ms, extra=fields)
