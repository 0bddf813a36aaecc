"""Which representation a request asks for, by its `Accept` header: the exports (CSV, NDJSON) and
JSON-LD are chosen here, anything else gets the JSON answer."""

from __future__ import annotations

from collections.abc import Collection


def accepted(accept: str | None, offered: Collection[str]) -> str | None:
    """The first media type of `Accept` (parameters and case aside) that is one of `offered`, else None."""
    wanted = (part.split(";")[0].strip().lower() for part in (accept or "").split(","))
    return next((media for media in wanted if media in offered), None)
