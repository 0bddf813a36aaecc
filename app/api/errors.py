"""The handlers that render every failure as RFC 9457 `application/problem+json` (the domain errors they
render are in `app.core.exceptions`, free of the web and database frameworks).

One place decides how errors look on the wire, so a client can switch on the stable `type` URI
instead of parsing messages. Our own failures never leak a stack trace, SQL or a path.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.exceptions import (
    INTERNAL_DETAIL,
    ProblemError,
    QueryTimeoutError,
    ServiceUnavailableError,
    invalid_input,
    problem_of,
    problem_type,
)
from app.core.problem import Problem

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

# PostgreSQL's SQLSTATE for a cancelled statement (statement_timeout, or an operator's pg_cancel_backend).
QUERY_CANCELED = "57014"
QUERY_TIMEOUT_DETAIL = (
    "The database did not finish the query in time and cancelled it; narrow the search "
    "(fewer or rarer words, another filter) or try again later."
)

MALFORMED_JSON_SLUG = "malformed-json"
MALFORMED_JSON_TITLE = "Malformed JSON"


def problem_response(
    request: Request, problem: Problem, headers: Mapping[str, str] | None = None
) -> Response:
    """Render a problem document with the problem media type; or, for a page a person is reading (the
    app's `problem_page` hook says which), as that page."""
    problem.instance = request.url.path
    app = request.scope.get("app")  # absent when a bare ASGI app uses the middleware (tests)
    page = getattr(getattr(app, "state", None), "problem_page", None)
    if page is not None and (rendered := page(request, problem, headers)) is not None:
        return cast(Response, rendered)
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


async def render_problem(request: Request, exc: Exception) -> Response:
    """Render one of our domain errors with its headers (middleware calls this directly)."""
    assert isinstance(exc, ProblemError)
    return problem_response(request, problem_of(exc), headers=exc.headers or None)


async def _on_validation(request: Request, exc: Exception) -> Response:
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


async def _on_http(request: Request, exc: Exception) -> Response:
    """Framework HTTP errors (unknown route, wrong method) as problems with no extra semantics."""
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    problem = Problem(title=phrase, status=exc.status_code, detail=str(exc.detail))
    return problem_response(request, problem, headers=exc.headers)


async def _on_database_down(request: Request, exc: Exception) -> Response:
    """A lost or refused database connection is temporary: 503 with `Retry-After`, so clients retry.

    A statement the database cancelled for running too long is a 503 of its own type.
    """
    if getattr(getattr(exc, "orig", None), "sqlstate", None) == QUERY_CANCELED:
        logger.warning("query cancelled by the database (statement timeout)")
        return await render_problem(request, QueryTimeoutError(QUERY_TIMEOUT_DETAIL))
    logger.error("database unavailable: %s", type(exc).__name__)
    detail = "The database is unavailable; try again later."
    return await render_problem(request, ServiceUnavailableError(detail))


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    """Anything else is our bug: a generic 500 (the server logs the traceback when Starlette re-raises)."""
    return problem_response(request, problem_of(ProblemError(INTERNAL_DETAIL)))


async def _on_unavailable(request: Request, exc: Exception) -> Response:
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
