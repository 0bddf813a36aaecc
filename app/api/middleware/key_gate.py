"""Refuses a request without a configured API key with 401 from its headers alone, before its body is read.

Without this a client with no key could make the server read and parse up to `job_max_body_bytes` before
the route's `require_api_key` dependency said no. Guards `/v1`, and the docs and metrics unless settings
make them public; the dependency stays on the routes, so OpenAPI still lists the key schemes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.middleware.paths import app_path
from app.api.middleware.problems import send_problem
from app.api.security import key_refusal

API_PREFIX = "/v1/"


class KeyGateMiddleware:
    """Answers 401 to a guarded request without a valid key; lets every other request through untouched."""

    def __init__(self, app: ASGIApp, key_hashes: Sequence[str], guarded_paths: Iterable[str] = ()) -> None:
        self.app = app
        self.key_hashes = list(key_hashes)
        self.guarded_paths = frozenset(guarded_paths)

    def guards(self, path: str) -> bool:
        """Whether this path needs a key: all of `/v1`, and the extra paths given."""
        return path.startswith(API_PREFIX) or path in self.guarded_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the key of a guarded request before anything reads its body."""
        if scope["type"] == "http" and self.key_hashes and self.guards(app_path(scope)):
            if error := key_refusal(Headers(scope=scope), self.key_hashes):
                await send_problem(scope, receive, send, error)
                return
        await self.app(scope, receive, send)
