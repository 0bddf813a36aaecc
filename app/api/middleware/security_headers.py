"""Adds the browser-hardening headers to every answer, refusals and crashes included.

Nothing here is cached: API answers, health and metrics are live data, and the docs change with each
deploy (a private one must not sit in a shared cache). No page may be framed (clickjacking). JSON loads
nothing, so its policy forbids every source; the Swagger UI and ReDoc pages load their scripts and
styles from this service only (`app/api/docs.py`), with inline code, and nothing from elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.paths import app_path

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STRICT_POLICY = "default-src 'none'; frame-ancestors 'none'"
# The pages under /ui: their stylesheet and nothing else, no script at all; forms post to this service.
READING_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
)
READING_PREFIX = "/ui/"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Outermost middleware: sets each header the response did not set itself."""

    def __init__(self, app: ASGIApp, html_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.html_paths = frozenset(html_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = app_path(scope)
        if path in self.html_paths:
            policy = PAGE_POLICY
        elif path.startswith(READING_PREFIX):
            policy = READING_POLICY
        else:
            policy = STRICT_POLICY

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in {**COMMON, "Content-Security-Policy": policy}.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_hardened)
