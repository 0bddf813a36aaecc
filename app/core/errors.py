"""Domain errors and the handlers that render every failure as RFC 9457 `application/problem+json`.

One place decides how errors look on the wire, so a client can switch on the stable `type` URI
instead of parsing messages. Our own failures never leak a stack trace, SQL or a path.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.schemas.problem import FieldError, Problem

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://claims.example/problems/"
# Seconds a client should wait before retrying after a 503: about one connect timeout, so a retry
# meets a database that had time to come back, without a client hammering one that has not.
RETRY_AFTER_S = 5


def problem_type(slug: str) -> str:
    """The stable type URI for a problem slug."""
    return PROBLEM_TYPE_BASE + slug


class ProblemError(Exception):
    """A failure the client is told about as a problem document with a stable type."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal"
    title: ClassVar[str] = "Internal server error"
    default_headers: ClassVar[Mapping[str, str]] = {}

    def __init__(
        self, detail: str, errors: list[FieldError] | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers: dict[str, str] = {**self.default_headers, **(headers or {})}


class NotFoundError(ProblemError):
    """The requested article or claim does not exist."""

    status = 404
    slug = "not-found"
    title = "Resource not found"


class InvalidRequestError(ProblemError):
    """The request is well-formed JSON but its values are not acceptable."""

    status = 422
    slug = "validation"
    title = "Request validation failed"


class TextTooLargeError(ProblemError):
    """The submitted text is longer than `max_text_chars`."""

    status = 413
    slug = "text-too-large"
    title = "Text too large"


class TooManyItemsError(ProblemError):
    """A job holds more articles than `job_max_items`."""

    status = 413
    slug = "too-many-items"
    title = "Too many items"


class ServiceUnavailableError(ProblemError):
    """A dependency (the model or the database) is not available right now."""

    status = 503
    slug = "service-unavailable"
    title = "Service unavailable"
    default_headers = {"Retry-After": str(RETRY_AFTER_S)}


MALFORMED_JSON_SLUG = "malformed-json"
MALFORMED_JSON_TITLE = "Malformed JSON"
INTERNAL_DETAIL = "An unexpected error occurred; it has been logged."


def problem_response(
    request: Request, problem: Problem, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """Render a problem document with the problem media type."""
    problem.instance = request.url.path
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _field_errors(errors: Any, loc_prefix: tuple[str | int, ...] = ()) -> list[FieldError]:
    """Pydantic's error list without the echoed input (which may be a 100 kB text)."""
    return [FieldError(loc=[*loc_prefix, *e["loc"]], msg=e["msg"], type=e["type"]) for e in errors]


def _describe(errors: list[FieldError]) -> str:
    """One readable line listing each invalid input."""
    return "; ".join(f"{'.'.join(str(part) for part in e.loc)}: {e.msg}" for e in errors)


def invalid_input(errors: Any, loc_prefix: tuple[str | int, ...] = ()) -> InvalidRequestError:
    """The 422 problem for pydantic's errors, each located under `loc_prefix` (e.g. one job item)."""
    fields = _field_errors(errors, loc_prefix)
    return InvalidRequestError(_describe(fields), fields)


def problem_of(exc: ProblemError, instance: str | None = None) -> Problem:
    """The problem document of a domain error (also for one item of a batch or a job)."""
    return Problem(
        type=problem_type(exc.slug),
        title=exc.title,
        status=exc.status,
        detail=exc.detail,
        errors=exc.errors,
        instance=instance,
    )


async def render_problem(request: Request, exc: Exception) -> JSONResponse:
    """Render one of our domain errors with its headers (middleware calls this directly)."""
    assert isinstance(exc, ProblemError)
    return problem_response(request, problem_of(exc), headers=exc.headers or None)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    """Malformed JSON becomes 400; any other invalid input becomes a 422 validation problem."""
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    broken = next((e for e in raw if e["type"] == "json_invalid"), None)
    if broken is not None:
        reason = (broken.get("ctx") or {}).get("error", "invalid JSON")
        position = broken["loc"][-1] if len(broken["loc"]) > 1 else "?"
        detail = f"The request body is not valid JSON: {reason} (at character {position})."
        problem = Problem(
            type=problem_type(MALFORMED_JSON_SLUG), title=MALFORMED_JSON_TITLE, status=400, detail=detail
        )
        return problem_response(request, problem)
    return await render_problem(request, invalid_input(raw))


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    """Framework HTTP errors (unknown route, wrong method) as problems with no extra semantics."""
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    problem = Problem(title=phrase, status=exc.status_code, detail=str(exc.detail))
    return problem_response(request, problem, headers=exc.headers)


async def _on_database_down(request: Request, exc: Exception) -> JSONResponse:
    """A lost or refused database connection is temporary: 503 with `Retry-After`, so clients retry."""
    logger.error("database unavailable: %s", type(exc).__name__)
    detail = "The database is unavailable; try again later."
    return await render_problem(request, ServiceUnavailableError(detail))


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """Anything else is our bug: a generic 500 (the server logs the traceback when Starlette re-raises)."""
    return problem_response(request, problem_of(ProblemError(INTERNAL_DETAIL)))


class UnauthorizedError(ProblemError):
    """The API key is missing or not one we accept."""

    status = 401
    slug = "unauthorized"
    title = "Unauthorized"


class RateLimitedError(ProblemError):
    """The client sent more requests this minute than it may."""

    status = 429
    slug = "rate-limited"
    title = "Too many requests"


class BodyTooLargeError(ProblemError):
    """The request body is larger than `max_body_bytes`."""

    status = 413
    slug = "body-too-large"
    title = "Request body too large"


class UnsupportedMediaTypeError(ProblemError):
    """The request body is not JSON."""

    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


async def _on_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """A failure the caller declared temporary (e.g. a lost extraction process): 503, so clients retry."""
    logger.error("unavailable: %s", exc)
    return await render_problem(request, ServiceUnavailableError(str(exc)))


def install_error_handlers(app: FastAPI, unavailable: tuple[type[Exception], ...] = ()) -> None:
    """Replace FastAPI's default error responses so every error is `application/problem+json`.

    `unavailable`: exception classes of other layers that mean "temporarily unavailable" (503).
    """
    for exc_class in unavailable:
        app.add_exception_handler(exc_class, _on_unavailable)
    app.add_exception_handler(ProblemError, render_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(OperationalError, _on_database_down)
    app.add_exception_handler(Exception, _on_unexpected)
