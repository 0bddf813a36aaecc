"""Telling a request's handler that its client has disconnected, so an expensive parse can stop.

Neither uvicorn nor Starlette cancels a handler whose client went away, and our handlers run their
parse in a thread. This middleware gives each request a `threading.Event`, `request.state.client_gone`,
and once the request body has been read it listens for the server's `http.disconnect` and sets it.
The extraction service stops a parse when every client waiting for it is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATE_KEY = "client_gone"


class ClientGoneMiddleware:
    """Sets `scope["state"]["client_gone"]` when the client disconnects before its answer is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gone = threading.Event()
        scope.setdefault("state", {})[STATE_KEY] = gone
        body_read = asyncio.Event()

        async def tracking_receive() -> Message:
            message = await receive()
            if message["type"] == "http.disconnect":
                gone.set()
            elif not message.get("more_body", False):
                body_read.set()
            return message

        async def watch() -> None:
            await body_read.wait()
            if (await receive())["type"] == "http.disconnect":
                gone.set()

        watcher = asyncio.create_task(watch())
        try:
            await self.app(scope, tracking_receive, send)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
