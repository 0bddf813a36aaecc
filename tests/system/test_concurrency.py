"""Twenty clients posting the same text at the same moment to the real server store it once."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
from sqlalchemy import Engine

from tests.conftest import count_rows
from tests.system.articles import small_article
from tests.system.server import LiveServer

CLIENTS = 20


def test_twenty_concurrent_posts_of_one_text_create_one_article(
    live_server: LiveServer, engine: Engine
) -> None:
    body = {"text": small_article("raced by twenty")}
    start = threading.Barrier(CLIENTS)

    def post(_: int) -> httpx.Response:
        with httpx.Client(base_url=live_server.url, timeout=60) as http:
            start.wait()
            return http.post("/v1/articles", json=body)

    with ThreadPoolExecutor(CLIENTS) as pool:
        responses = list(pool.map(post, range(CLIENTS)))

    assert Counter(r.status_code for r in responses) == {201: 1, 200: CLIENTS - 1}, [
        r.text for r in responses
    ]
    assert len({r.json()["id"] for r in responses}) == 1
    assert count_rows(engine, "articles") == 1
