"""Telling a job's submitter that it has ended: an HTTP POST of the job to its `callback_url`, signed, and
retried with backoff.

The body is the job as `GET /v1/jobs/{id}` shows its counts (`JobSummary`). The signature is
`X-Claims-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with CLAIMS_CALLBACK_SECRET>`,
so a receiver can check both who sent it and that it is fresh. A callback to a private, loopback,
link-local or otherwise non-public address is refused (at submission and again before each attempt,
since a name may resolve elsewhere later) unless `CLAIMS_CALLBACK_ALLOW_PRIVATE` is set. Deliveries run
on a thread of their own, so no job item waits for a slow receiver; retries still waiting when the
process stops are given up (and logged).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.db.models import Job
from app.schemas.job import JobSummary

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Claims-Signature"
TIMEOUT_S = 10.0


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer (a failed attempt), never followed: it could lead to a private address."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


class UnsafeCallbackError(ValueError):
    """A callback URL that may not be called: not http(s), no host, or a non-public address."""


def check_callback_url(url: str, allow_private: bool) -> None:
    """Refuse a URL this service may not POST to; resolving its host (a name that does not resolve is
    refused too: the callback could never be delivered)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeCallbackError("the callback URL must be http or https, with a host")
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except OSError:
        raise UnsafeCallbackError(f"the callback host {parts.hostname} does not resolve") from None
    if allow_private:
        return
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise UnsafeCallbackError(
                f"the callback host {parts.hostname} is a private, loopback or link-local address ({ip}); "
                "the server refuses those (setting callback_allow_private)"
            )


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The value of `X-Claims-Signature` for this body at this time."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


class CallbackSender:
    """Delivers job callbacks on one background thread, each retried with doubling delays."""

    def __init__(
        self,
        secret: str,
        allow_private: bool,
        attempts: int = 5,
        first_delay_s: float = 2.0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.secret, self.allow_private = secret, allow_private
        self.attempts, self.first_delay_s = attempts, first_delay_s
        self._stopping = threading.Event()
        self._sleep = sleep or self._stopping.wait
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="job-callbacks")

    def send(self, url: str, body: bytes) -> None:
        """Queue one delivery (returns at once)."""
        self._thread.submit(self._deliver, url, body)

    def close(self) -> None:
        """Stop: a delivery under way ends its attempt; waiting retries are given up."""
        self._stopping.set()
        self._thread.shutdown(wait=True, cancel_futures=True)

    def _deliver(self, url: str, body: bytes) -> bool:
        delay = self.first_delay_s
        for attempt in range(1, self.attempts + 1):
            if self._stopping.is_set():
                break
            try:
                check_callback_url(url, self.allow_private)
                status = self._post(url, body)
                if 200 <= status < 300:
                    logger.info("job callback delivered (attempt %d, status %d)", attempt, status)
                    return True
                logger.warning("job callback answered %d (attempt %d of %d)", status, attempt, self.attempts)
            except UnsafeCallbackError as exc:
                logger.warning("job callback refused: %s", exc)
                return False
            except OSError as exc:
                logger.warning(
                    "job callback failed: %s (attempt %d of %d)", type(exc).__name__, attempt, self.attempts
                )
            if attempt < self.attempts:
                self._sleep(delay)
                delay *= 2
        logger.error("job callback given up after %d attempts", self.attempts)
        return False

    def _post(self, url: str, body: bytes) -> int:
        """POST the body; the receiver's status (an error status is an answer too, not an exception)."""
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(self.secret, int(time.time()), body),
        }
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with _OPENER.open(request, timeout=TIMEOUT_S) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)


class JobEnds:
    """What happens when a job ends: its callback, if it names one, is sent with the job as it is then."""

    def __init__(self, sessions: sessionmaker[Session], sender: CallbackSender | None) -> None:
        self._sessions, self._sender = sessions, sender

    def __call__(self, job_id: int) -> None:
        """The job has just ended (called once, by whoever ended it, after its transaction committed)."""
        if self._sender is None:
            return
        with self._sessions() as session:
            job = session.get(Job, job_id)
            if job is None or not job.callback_url:
                return
            body = JobSummary.model_validate(job).model_dump_json().encode()
            url = job.callback_url
        self._sender.send(url, body)


def callback_sender(settings: Settings) -> CallbackSender | None:
    """The sender the settings describe; None when callbacks are off (no secret)."""
    if not settings.callback_secret:
        return None
    return CallbackSender(
        settings.callback_secret,
        settings.callback_allow_private,
        settings.callback_attempts,
        settings.callback_first_delay_seconds,
    )
