"""Dependencies: the request's unit of work, the ingest path, the job dispatcher, settings, paging, and
the checks of article bodies and of the items of batches and jobs.

Each resource made in the lifespan is handed out here; asking for one the lifespan did not make
fails loudly rather than limping on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from annotated_types import Ge, Le
from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.core.exceptions import (
    InvalidRequestError,
    ProblemError,
    TextTooLargeError,
    TooManyItemsError,
    UnsupportedLanguageError,
    invalid_item,
    problem_of,
)
from app.core.metrics import Metrics
from app.core.problem import FieldError
from app.db.session import unit_of_work
from app.extraction.service import ExtractionService
from app.jobs.callbacks import UnsafeCallbackError, check_callback_url
from app.jobs.dispatch import JobDispatcher
from app.nlp.language import foreign_language
from app.schemas.article import ArticleCreate, RejectedArticle
from app.schemas.batch import ArticleBatchCreate
from app.schemas.job import JobCreate
from app.services.ingest import Ingest
from app.services.jobs import NewJobItem

# Ids are INTEGER columns (32-bit in PostgreSQL) and offsets 64-bit: a larger number is invalid input
# (422), not a driver error (500).
MAX_ROW_ID = 2**31 - 1
MAX_OFFSET = 2**63 - 1
RowId = Annotated[int, Ge(1), Le(MAX_ROW_ID)]


def _from_state(request: Request, name: str) -> Any:
    """A resource the lifespan put on `app.state`, or a loud error naming it."""
    value = getattr(request.app.state, name, None)
    if value is None:
        raise RuntimeError(f"app.state.{name} is not set: the app was not started through its lifespan")
    return value


def get_app_settings(request: Request) -> Settings:
    """The settings this app was created with."""
    settings: Settings = _from_state(request, "settings")
    return settings


def get_extraction(request: Request) -> ExtractionService:
    """The parse runtime: its queue, and the parser processes (or threads) that parse."""
    service: ExtractionService = _from_state(request, "extraction")
    return service


def get_jobs(request: Request) -> JobDispatcher:
    """Where job items go: the broker, or this process's job thread."""
    jobs: JobDispatcher = _from_state(request, "jobs")
    return jobs


def get_session_factory(request: Request) -> sessionmaker[Session]:
    """The session factory, for routes that need more than one unit of work."""
    factory: sessionmaker[Session] = _from_state(request, "session_factory")
    return factory


def get_session(factory: Annotated[sessionmaker[Session], Depends(get_session_factory)]) -> Iterator[Session]:
    """The request's unit of work: committed when the route returns, rolled back if it raises."""
    with unit_of_work(factory) as session:
        yield session


def get_metrics(request: Request) -> Metrics:
    """The app's metrics, for routes that time their stages."""
    metrics: Metrics = _from_state(request, "metrics")
    return metrics


def get_job_ends(request: Request) -> Callable[[int], None]:
    """What to do when a job ends (send its callback)."""
    ends: Callable[[int], None] = _from_state(request, "job_ends")
    return ends


def get_ingest(request: Request) -> Ingest:
    """The ingest path for this app's database and extraction service, its steps timed as stages."""
    ingest: Ingest = _from_state(request, "ingest")
    return ingest


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
IngestDep = Annotated[Ingest, Depends(get_ingest)]
JobEndsDep = Annotated[Callable[[int], None], Depends(get_job_ends)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
ExtractionDep = Annotated[ExtractionService, Depends(get_extraction)]
JobsDep = Annotated[JobDispatcher, Depends(get_jobs)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
# scope="function": commit before the response is sent, so a failed commit is an error, not a lie.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def text_too_large(article: ArticleCreate, settings: Settings) -> TextTooLargeError | None:
    """The 413 error for an article whose text is longer than `max_text_chars`, else None."""
    if len(article.text) <= settings.max_text_chars:
        return None
    return TextTooLargeError(
        f"The text has {len(article.text)} characters; this server accepts at most {settings.max_text_chars}."
    )


def not_english(article: ArticleCreate) -> UnsupportedLanguageError | None:
    """The 422 error for a text surely in another language than English, else None."""
    language = foreign_language(article.text)
    if language is None:
        return None
    return UnsupportedLanguageError(
        f"The text appears to be in {language.name} ({language.code}, probability "
        f"{language.probability:.2f}); this service extracts claims from English text only."
    )


def refusal(article: ArticleCreate, settings: Settings) -> ProblemError | None:
    """Why a valid article is not parsed, if it is not: its text is longer than `max_text_chars` (413), or
    in another language than English (422). The one check of every way a text comes in."""
    return text_too_large(article, settings) or not_english(article)


def checked_article(article: ArticleCreate, settings: SettingsDep) -> ArticleCreate:
    """The request body, refused when `refusal` says so."""
    if (error := refusal(article, settings)) is not None:
        raise error
    return article


def checked_batch(batch: ArticleBatchCreate, settings: SettingsDep) -> ArticleBatchCreate:
    """A batch body, refused as a whole (422) when it has more than `batch_max_articles` items."""
    if len(batch.articles) > settings.batch_max_articles:
        message = f"List should have at most {settings.batch_max_articles} items, not {len(batch.articles)}"
        error = FieldError(loc=["body", "articles"], msg=message, type="too_long")
        raise InvalidRequestError(f"body.articles: {message}", errors=[error])
    return batch


ArticleBody = Annotated[ArticleCreate, Depends(checked_article)]
BatchBody = Annotated[ArticleBatchCreate, Depends(checked_batch)]


def checked_items(
    items: Sequence[ArticleCreate | RejectedArticle], settings: Settings, field: str
) -> list[ArticleCreate | ProblemError]:
    """The one check of the items of a batch or a job (`body.<field>`), each as `POST /v1/articles`
    checks its body: the article, or the problem that keeps it from being stored."""
    return [_checked_item(item, settings, ("body", field, index)) for index, item in enumerate(items)]


def _checked_item(
    item: ArticleCreate | RejectedArticle, settings: Settings, located: tuple[str | int, ...]
) -> ArticleCreate | ProblemError:
    if isinstance(item, RejectedArticle):
        return invalid_item(item.errors, located)
    return refusal(item, settings) or item


@dataclass(frozen=True)
class CheckedJob:
    """A job's items, each an article or the problem that refused it, and where to say it has ended."""

    items: list[NewJobItem]
    callback_url: str | None


def checked_job(job: JobCreate, settings: SettingsDep) -> CheckedJob:
    """The job, checked: too many items or a callback this server may not call refuse it whole (413,
    422); an item that fails its check becomes a failed item carrying its problem."""
    if len(job.items) > settings.job_max_items:
        raise TooManyItemsError(
            f"The job has {len(job.items)} items; this server accepts at most {settings.job_max_items}."
        )
    if job.callback_url is not None:
        _check_callback(job.callback_url, settings)
    return CheckedJob(_checked_job_items(job, settings), job.callback_url)


def _check_callback(url: str, settings: Settings) -> None:
    """Refuse (422) a callback when callbacks are off, or the URL is one this server may not call."""
    if not settings.callback_secret:
        message = "This server sends no job callbacks (it has no callback_secret)."
    else:
        try:
            check_callback_url(url, settings.callback_allow_private)
            return
        except UnsafeCallbackError as exc:
            message = str(exc)
    error = FieldError(loc=["body", "callback_url"], msg=message, type="callback_refused")
    raise InvalidRequestError(f"body.callback_url: {message}", errors=[error])


def _checked_job_items(job: JobCreate, settings: Settings) -> list[NewJobItem]:
    return [
        NewJobItem(None, problem_of(item).model_dump(mode="json", exclude_none=True))
        if isinstance(item, ProblemError)
        else NewJobItem(item)
        for item in checked_items(job.items, settings, "items")
    ]


JobBody = Annotated[CheckedJob, Depends(checked_job)]


@dataclass(frozen=True)
class PageParams:
    """Which slice of a list to return."""

    limit: int
    offset: int


def page_params(
    settings: SettingsDep,
    limit: Annotated[
        int | None, Query(ge=1, description="Page size: 20 when omitted, at most 100 (both server settings).")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many matching items to skip.")] = 0,
) -> PageParams:
    """Paging parameters, checked against the configured default and maximum page size."""
    if limit is None:
        return PageParams(settings.page_size_default, offset)
    if limit > settings.page_size_max:
        message = f"Input should be less than or equal to {settings.page_size_max}"
        error = FieldError(loc=["query", "limit"], msg=message, type="less_than_equal")
        raise InvalidRequestError(f"query.limit: {message}", errors=[error])
    return PageParams(limit, offset)


PageDep = Annotated[PageParams, Depends(page_params)]


def client_gone(request: Request) -> threading.Event | None:
    """Set once the request's client has disconnected (`ClientGoneMiddleware`): a parse for it may stop."""
    gone = getattr(request.state, "client_gone", None)
    return gone if isinstance(gone, threading.Event) else None
