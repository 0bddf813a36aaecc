"""Job callbacks: only to addresses the server may call, signed, retried with backoff, never redirected."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.jobs.callbacks import SIGNATURE_HEADER, CallbackSender, UnsafeCallbackError, check_callback_url
from app.nlp.extractor import ClaimExtractor
from tests.api.conftest import assert_problem, started_client

SECRET = "callback-secret-for-tests"


class Receiver:
    """A local HTTP server that answers each POST with the next of `statuses` (then 200) and keeps what
    it got."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.received: list[tuple[str, dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.path, dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if status in (301, 302, 307):
                    self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/elsewhere")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.received) >= count, self.received


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def verified(headers: dict[str, str], body: bytes) -> bool:
    """Whether the signature header is the HMAC of "<t>.<body>" with the secret."""
    parts = dict(part.split("=", 1) for part in headers[SIGNATURE_HEADER].split(","))
    expected = hmac.new(SECRET.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(parts["v1"], expected) and abs(time.time() - int(parts["t"])) < 60


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data",  # the cloud metadata address
        "http://[::1]/hook",
        "ftp://hooks.example/x",
        "http:///no-host",
        "http://no-such-host.invalid/hook",
    ],
)
def test_a_callback_to_a_private_or_unusable_address_is_refused(url: str) -> None:
    with pytest.raises(UnsafeCallbackError):
        check_callback_url(url, allow_private=False)


def test_a_public_address_or_an_allowed_private_one_passes() -> None:
    check_callback_url("https://93.184.215.14/hook", allow_private=False)
    check_callback_url("http://127.0.0.1:9/hook", allow_private=True)


def test_a_callback_is_signed_and_retried_with_doubling_delays_until_it_is_taken() -> None:
    receiver = Receiver([500, 503])
    delays: list[float] = []
    sender = CallbackSender(SECRET, allow_private=True, attempts=5, first_delay_s=2.0, sleep=delays.append)
    try:
        sender.send(receiver.url, b'{"id": 7, "status": "done"}')
        receiver.wait_for(3)
    finally:
        sender.close()
        receiver.close()

    assert delays == [2.0, 4.0] and len(receiver.received) == 3
    _, headers, body = receiver.received[-1]
    assert verified(headers, body) and json.loads(body) == {"id": 7, "status": "done"}


def test_a_redirect_is_never_followed() -> None:
    receiver = Receiver([302, 302])
    sender = CallbackSender(SECRET, allow_private=True, attempts=2, first_delay_s=0, sleep=lambda _: None)
    try:
        sender.send(receiver.url, b"{}")
        receiver.wait_for(2)
        time.sleep(0.2)
    finally:
        sender.close()
        receiver.close()

    assert [path for path, _, _ in receiver.received] == ["/hook", "/hook"]  # never "/elsewhere"


def test_a_job_posts_its_end_to_its_callback(
    database_url: str, claim_extractor: ClaimExtractor, engine: Engine, receiver: Receiver
) -> None:
    callbacks = {"callback_secret": SECRET, "callback_allow_private": True}
    with started_client(database_url, claim_extractor, **callbacks) as client:
        items = [{"text": "The mayor said the bridge would reopen in May."}, {"text": " "}]
        job = client.post("/v1/jobs", json={"items": items, "callback_url": receiver.url}).json()
        receiver.wait_for(1)

    _, headers, body = receiver.received[0]
    sent = json.loads(body)
    assert verified(headers, body)
    assert (sent["id"], sent["status"], sent["done"], sent["failed"]) == (job["id"], "done", 1, 1)
    assert job["callback_url"] == receiver.url


def test_a_job_naming_a_callback_the_server_may_not_call_is_refused_whole(
    database_url: str, claim_extractor: ClaimExtractor, engine: Engine, client: TestClient
) -> None:
    items = [{"text": "The mayor said the bridge would reopen in May."}]
    off = client.post("/v1/jobs", json={"items": items, "callback_url": "https://hooks.example/x"})
    with started_client(database_url, claim_extractor, callback_secret=SECRET) as guarded:
        private = guarded.post("/v1/jobs", json={"items": items, "callback_url": "http://127.0.0.1:9/x"})

    assert "no callback_secret" in assert_problem(off, 422, "validation")["detail"]
    body = assert_problem(private, 422, "validation")
    assert body["errors"][0]["loc"] == ["body", "callback_url"] and "loopback" in body["detail"]
    assert client.get("/v1/jobs").json()["total"] == 0
