"""The ASGI app: `create_app()` wires settings, lifespan resources, routers and error handlers.

Heavy resources (the spaCy pipeline, the database engine, the extraction pool) are made in the
lifespan, never at import, so importing the app (tests, the OpenAPI dump) stays cheap.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from app.api.docs import documented_app
from app.api.errors import install_error_handlers
from app.api.middleware.client_gone import ClientGoneMiddleware
from app.api.middleware.stack import install_middleware
from app.api.problems import problem_responses, use_problem_media_type
from app.api.routes import articles, batches, claims, entities, extract, health, jobs, metrics
from app.api.security import require_api_key, require_key_for_pages
from app.core.config import Settings, get_settings
from app.core.logging import configure_logging
from app.core.memory import freeze_long_lived_objects
from app.core.metrics import Metrics
from app.db.session import create_session_factory, engine_for, report_to
from app.extraction.processes import process_service
from app.extraction.service import (
    ExtractionCancelledError,
    ExtractionService,
    ExtractionUnavailableError,
    Extractor,
    thread_service,
)
from app.jobs.callbacks import JobEnds, callback_sender
from app.jobs.dispatch import BrokerDispatcher, InProcessDispatcher, JobDispatcher
from app.jobs.runner import JobItemRunner
from app.nlp import language
from app.nlp.extractor import ClaimExtractor
from app.services.ingest import Ingest
from app.web import pages

logger = logging.getLogger(__name__)

TITLE = "Claims service"
DESCRIPTION = """\
Extracts claims from news articles: **who** said **what** about **whom**, with which **stance**, and **when**.

* `POST /v1/extract` returns the claims of a text and stores nothing.
* `POST /v1/articles` stores an article with its claims (the same text twice is stored once).
* `GET /v1/claims` searches stored claims by speaker, target and stance, type, date and words; with
  `Accept: text/csv` or `application/x-ndjson` it streams every match (`application/ld+json` on one
  claim or article: schema.org `Claim` objects).
* `GET /v1/entities` finds who is quoted and quoted about; `GET /v1/entities/{id}/stance` follows an
  entity's stance toward another over time.
* `POST /v1/jobs` stores many articles in the background; `GET /v1/jobs/{id}` follows its progress.

People read the stored articles, with their claims marked in the text, at `/ui/`.

Every error is an RFC 9457 problem document (`application/problem+json`) whose `type` is a stable URI
under `https://claims.example/problems/`.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the parser processes (or load the pipeline here), open the database; release both."""
    settings: Settings = app.state.settings
    configure_logging(settings.log_level, settings.log_format)
    if not settings.api_key_hashes:
        logger.warning("no API key hashes configured (CLAIMS_API_KEY_HASHES): /v1 is open to anyone")
    preloaded, metrics = app.state.preloaded_extractor, app.state.metrics
    extraction = await asyncio.to_thread(_start_extraction, settings, preloaded, metrics)
    await asyncio.to_thread(language.warm_up)
    engine = engine_for(settings)
    report_to(app.state.metrics, engine)
    app.state.engine = engine
    app.state.session_factory = sessions = create_session_factory(engine)
    app.state.extraction = extraction
    app.state.ingest = ingest = Ingest(sessions, extraction, app.state.metrics.stage)
    sender = callback_sender(settings)
    app.state.job_ends = job_ends = JobEnds(sessions, sender)
    app.state.jobs = dispatcher = _job_dispatcher(settings, ingest, job_ends)
    freeze_long_lived_objects()
    try:
        yield
    finally:
        app.state.jobs = app.state.ingest = app.state.extraction = app.state.job_ends = None
        app.state.session_factory = app.state.engine = None
        dispatcher.close()
        if sender is not None:
            sender.close()
        extraction.shutdown()
        engine.dispose()


def _job_dispatcher(settings: Settings, ingest: Ingest, job_ends: JobEnds) -> JobDispatcher:
    """The broker's queue when one is configured; else this process's job thread, resuming pending items."""
    if settings.broker_url:
        logger.info("job items go to queue %s of the configured broker", settings.job_queue)
        return BrokerDispatcher(settings.broker_url, settings.job_queue)
    runner = JobItemRunner(ingest, job_ends)
    dispatcher = InProcessDispatcher(runner)
    dispatcher.resume()
    return dispatcher


def _start_extraction(settings: Settings, preloaded: Extractor | None, metrics: Metrics) -> ExtractionService:
    """Parser processes that load the pipeline (`extraction_processes` > 0), or the pipeline in this process.

    With parser processes the server never loads the model itself, and a preloaded extractor is not used.
    """
    record = metrics.observe_extraction
    if settings.extraction_processes > 0:
        service = process_service(
            settings.spacy_model,
            settings.extraction_processes,
            record,
            settings.extraction_pin_cpus,
            settings.parse_timeout_seconds,
            settings.max_text_chars,
        )
        where = f"in {settings.extraction_processes} parser process(es)"
    else:
        extractor = preloaded or ClaimExtractor.load(settings.spacy_model)
        service = thread_service(extractor, settings.extraction_threads, record)
        where = "in the server process"
    logger.info("extraction pipeline %s ready %s", service.info.version, where)
    return service


def create_app(settings: Settings | None = None, extractor: Extractor | None = None) -> FastAPI:
    """A configured app; pass `extractor` to reuse an already loaded pipeline (tests, several apps)."""
    app = documented_app(
        title=TITLE, version=version("claims-service"), description=DESCRIPTION, lifespan=lifespan
    )
    app.state.settings = settings or get_settings()
    app.state.preloaded_extractor = extractor
    app.state.metrics = Metrics()
    app.state.problem_page = pages.problem_page  # problems on a page are shown as a page
    install_error_handlers(app, unavailable=(ExtractionUnavailableError, ExtractionCancelledError))
    install_middleware(app, app.state.settings, app.state.metrics, form_paths=[pages.FORM_PATH])
    app.add_middleware(ClientGoneMiddleware)  # outermost: it sees every message the client sends
    for module in (extract, articles, batches, claims, entities, jobs):
        app.include_router(
            module.router, dependencies=[Depends(require_api_key)], responses=problem_responses(401, 429)
        )
    app.include_router(pages.router, dependencies=[Depends(require_key_for_pages)])
    app.mount(f"{pages.PREFIX}/static", StaticFiles(directory=pages.STATIC), name="web-static")
    app.add_api_route("/", pages.root, include_in_schema=False)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, built once, with error bodies typed as `application/problem+json`."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        app.openapi_schema = use_problem_media_type(schema)
    return app.openapi_schema


app = create_app()
