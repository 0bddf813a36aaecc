"""The service's domain errors, each with the status, stable type and title of its problem document.

Framework-free, so that services, parser processes and Dramatiq workers can raise them without importing
the web stack; `app.api.errors` renders them as RFC 9457 `application/problem+json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from app.core.problem import FieldError, Problem

PROBLEM_TYPE_BASE = "https://claims.example/problems/"
# Seconds a client should wait before retrying after a 503: about one connect timeout, so a retry
# meets a database that had time to come back, without a client hammering one that has not.
RETRY_AFTER_S = 5
INTERNAL_DETAIL = "An unexpected error occurred; it has been logged."


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


class UnsupportedLanguageError(ProblemError):
    """The text is in a language the claim rules do not read (they read English)."""

    status = 422
    slug = "unsupported-language"
    title = "Unsupported language"


class TextTooComplexError(ProblemError):
    """Extracting the text ran past its time budget (`parse_timeout_seconds`) and was stopped."""

    status = 422
    slug = "text-too-complex"
    title = "Text too complex"


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


class QueryTimeoutError(ServiceUnavailableError):
    """The database cancelled a statement that ran past `db_statement_timeout_ms`.

    503, not 504: a 504 usually comes from a proxy in front of us, and this is the service's own answer.
    """

    slug = "query-timeout"
    title = "Query took too long"


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


def field_errors(errors: Any, loc_prefix: tuple[str | int, ...] = ()) -> list[FieldError]:
    """Pydantic's error list without the echoed input (which may be a 100 kB text)."""
    return [FieldError(loc=[*loc_prefix, *e["loc"]], msg=e["msg"], type=e["type"]) for e in errors]


def _describe(errors: list[FieldError]) -> str:
    """One readable line listing each invalid input."""
    return "; ".join(f"{'.'.join(str(part) for part in e.loc)}: {e.msg}" for e in errors)


def invalid_input(errors: Any, loc_prefix: tuple[str | int, ...] = ()) -> InvalidRequestError:
    """The 422 problem for pydantic's errors, each located under `loc_prefix`."""
    fields = field_errors(errors, loc_prefix)
    return InvalidRequestError(_describe(fields), fields)


def invalid_item(errors: list[FieldError], loc_prefix: tuple[str | int, ...]) -> InvalidRequestError:
    """The 422 problem of one item of a batch or a job, its errors located in the request body."""
    fields = [error.model_copy(update={"loc": [*loc_prefix, *error.loc]}) for error in errors]
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
