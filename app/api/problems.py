"""Error responses as routes declare them, so Swagger lists each problem a client may get."""

from __future__ import annotations

from typing import Any

from app.api.errors import PROBLEM_MEDIA_TYPE
from app.core.exceptions import RETRY_AFTER_S
from app.core.problem import Problem

DESCRIPTIONS = {
    400: "Malformed JSON (`.../problems/malformed-json`).",
    401: "No API key, or not a valid one, while the server requires keys (`.../problems/unauthorized`).",
    404: "No such resource (`.../problems/not-found`).",
    413: "The text is longer than the server's `max_text_chars` (`.../problems/text-too-large`), or the body "
    "is larger than `max_body_bytes` (`.../problems/body-too-large`).",
    415: "The body is not JSON (`.../problems/unsupported-media-type`).",
    422: "Invalid input: empty text, unparseable date, bad parameter (`.../problems/validation`); where a "
    "text is parsed, also a text in a language other than English (`.../problems/unsupported-language`, "
    "naming it) and a text whose parse ran past its time budget (`.../problems/text-too-complex`).",
    429: "Too many requests this minute; see `Retry-After` (`.../problems/rate-limited`).",
    500: "Our failure; the detail is generic (`.../problems/internal`).",
    503: "The model, the database or the broker is not available, or a parse was stopped "
    "(`.../problems/service-unavailable`); a database query ran past its time limit "
    "(`.../problems/query-timeout`).",
}

HEADERS: dict[int, dict[str, Any]] = {
    503: {
        "Retry-After": {
            "description": f"Seconds to wait before retrying ({RETRY_AFTER_S}).",
            "required": True,
            "schema": {"type": "integer"},
        }
    },
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for these statuses, each a `Problem`, with the headers it comes with."""
    return {
        status: {"model": Problem, "description": DESCRIPTIONS[status]}
        | ({"headers": HEADERS[status]} if status in HEADERS else {})
        for status in statuses
    }


def use_problem_media_type(schema: dict[str, Any]) -> dict[str, Any]:
    """Show error bodies as `application/problem+json`, which is what the handlers send."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[:1] in "45" and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
    return schema
