"""The flags the entry point (and `scripts/run`) give uvicorn: no proxy headers believed unless configured,
and a grace period after SIGTERM that ends even a request that would never finish."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import Engine

from tests.system.entrypoint import EntrypointServer

GRACE_S = 1
EXIT_BOUND_S = 30  # how long to wait for the exit before calling it hung (not a measurement)


def test_a_client_cannot_escape_the_rate_limit_with_x_forwarded_for(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    with EntrypointServer(database_url, tmp_path / "uvicorn.log", rate_limit_per_minute="2") as server:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            statuses = [
                http.get("/v1/claims", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
                for n in range(3)
            ]

    assert statuses == [200, 200, 429]  # one client from 127.0.0.1, whatever it says it forwards


def test_sigterm_ends_a_request_that_never_finishes_after_the_grace_period(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    log = tmp_path / "uvicorn.log"
    with EntrypointServer(database_url, log, shutdown_grace_seconds=str(GRACE_S)) as server:
        with socket.create_connection(("127.0.0.1", server.port)) as stuck:
            # A body announced and never sent: the route waits for it for ever.
            head = "POST /v1/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            stuck.sendall(f"{head}Content-Length: 100\r\n\r\n{{".encode())
            # Answered after the server has read the stuck request's head, which arrived first.
            assert httpx.get(server.url + "/healthz", timeout=30).status_code == 200
            code = server.stop(signal.SIGTERM, timeout=EXIT_BOUND_S)

    assert code in (0, -signal.SIGTERM), server.output()
    assert "timeout graceful shutdown exceeded" in server.output()
    assert "Application shutdown complete" in server.output()
