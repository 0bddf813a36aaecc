"""SIGKILL of the server while clients stream articles in: every article answered 201 is stored, and no
stored article lacks any of its claims (an article and its claims are one transaction)."""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import Engine

from app.db.models import Article
from app.db.session import create_session_factory, unit_of_work
from app.nlp.extractor import ClaimExtractor
from tests.system.articles import half_written, small_article, stored_counts
from tests.system.server import LiveServer

CLIENTS = 4
KILL_AFTER_STORED = 20  # 201s seen before the kill; the kill then lands among ongoing writes
DEADLINE_S = 30.0


class Stream:
    """Clients posting distinct articles until the server dies; what each 201 said was stored."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.created: dict[int, str] = {}
        self.unexpected: list[int] = []
        self._lock = threading.Lock()

    def client(self, number: int) -> None:
        """Post articles one after another until the connection fails."""
        with httpx.Client(base_url=self.url, timeout=10) as http:
            for n in itertools.count():
                text = small_article(f"{number}-{n}")
                try:
                    response = http.post("/v1/articles", json={"text": text})
                except httpx.TransportError:
                    return
                with self._lock:
                    if response.status_code == 201:
                        self.created[response.json()["id"]] = text
                    else:
                        self.unexpected.append(response.status_code)

    def until(self, condition: Callable[[], bool]) -> None:
        """Wait for `condition`, at most `DEADLINE_S`."""
        deadline = time.monotonic() + DEADLINE_S
        while not condition():
            assert time.monotonic() < deadline, "the clients made no progress"
            time.sleep(0.01)


def test_sigkill_mid_stream_loses_no_answered_article_and_leaves_none_half_written(
    database_url: str, engine: Engine, claim_extractor: ClaimExtractor, tmp_path: Path
) -> None:
    with LiveServer(database_url, tmp_path / "uvicorn.log") as server, ThreadPoolExecutor(CLIENTS) as pool:
        stream = Stream(server.url)
        clients = [pool.submit(stream.client, number) for number in range(CLIENTS)]
        stream.until(lambda: len(stream.created) >= KILL_AFTER_STORED)
        parsers = server.children()
        os.kill(server.pid, signal.SIGKILL)
        for client in clients:
            client.result()
        assert server.process.wait(10) == -signal.SIGKILL
        assert parsers and _all_gone(parsers), "parser processes outlived their server"

    stored = stored_counts(engine)
    assert stream.unexpected == []
    assert {i: stored[i][0] for i in stream.created if i in stored} == stream.created
    assert half_written(engine, claim_extractor) == []


def _all_gone(pids: list[int], within_s: float = 10.0) -> bool:
    """Whether all these processes have ended (or become zombies) within the time."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        alive = [p for p in pids if Path(f"/proc/{p}").exists() and "(Z)" not in _state(p)]
        if not alive:
            return True
        time.sleep(0.1)
    return False


def _state(pid: int) -> str:
    try:
        return next(
            line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State")
        )
    except (FileNotFoundError, StopIteration):
        return "(Z)"


def test_the_check_catches_an_article_stored_without_its_claims(
    engine: Engine, claim_extractor: ClaimExtractor
) -> None:
    text = small_article("alone")
    with unit_of_work(create_session_factory(engine)) as session:
        session.add(Article(text=text, content_sha256="0" * 64, pipeline_version="p"))

    assert len(half_written(engine, claim_extractor)) == 1
