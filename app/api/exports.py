"""Claims as files for spreadsheets and pipelines: CSV and NDJSON, streamed row by row.

`GET /v1/claims` with `Accept: text/csv` or `Accept: application/x-ndjson` sends every matching claim,
not one page, read from the database in chunks (`services.claims.each_claim`) and written as it is
read, so an export of a million claims takes no more memory than one of a hundred.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator

from sqlalchemy.orm import Session, sessionmaker

from app.api.read_models import claim_read
from app.schemas.claim import ClaimRead
from app.services.claims import ClaimFilter, each_claim

CSV = "text/csv"
NDJSON = "application/x-ndjson"
CSV_COLUMNS = (
    "id",
    "article_id",
    "type",
    "text",
    "speaker",
    "speaker_type",
    "speaker_role",
    "speaker_mention",
    "cue",
    "targets",
    "date",
    "date_text",
    "date_source",
    "confidence",
)
# A cell a spreadsheet would run as a formula ("=HYPERLINK(...)") starts with an apostrophe instead:
# OWASP's advice against CSV injection, since analysts open these files in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_media_type(accept: str | None) -> str | None:
    """The export the `Accept` header asks for (CSV or NDJSON), or None for the JSON page."""
    wanted = [part.split(";")[0].strip().lower() for part in (accept or "").split(",")]
    return next((media for media in wanted if media in (CSV, NDJSON)), None)


def stream(sessions: sessionmaker[Session], where: ClaimFilter, media_type: str) -> Iterator[str]:
    """The export of every claim `where` matches, read in a session of its own (the request's unit of
    work has ended by the time the response streams)."""
    with sessions() as session:
        yield from render(media_type, (claim_read(row) for row in each_claim(session, where)))


def render(media_type: str, claims: Iterable[ClaimRead]) -> Iterator[str]:
    """The export's text, a header (CSV) and then one line per claim, as the claims come."""
    lines: Callable[[Iterable[ClaimRead]], Iterator[str]] = _csv if media_type == CSV else _ndjson
    return lines(claims)


def _ndjson(claims: Iterable[ClaimRead]) -> Iterator[str]:
    for claim in claims:
        yield claim.model_dump_json() + "\n"


def _csv(claims: Iterable[ClaimRead]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(CSV_COLUMNS)
    for claim in claims:
        writer.writerow([_cell(value) for value in _row(claim)])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # the header of an empty export
        yield buffer.getvalue()


def _row(claim: ClaimRead) -> list[object]:
    targets = "; ".join(f"{t.name} ({t.stance})" for t in claim.targets)
    return [
        claim.id,
        claim.article_id,
        claim.type,
        claim.text,
        claim.speaker.name,
        claim.speaker.type,
        claim.speaker.role or "",
        claim.speaker.mention,
        claim.cue.text,
        targets,
        claim.date.value.isoformat() if claim.date.value else "",
        claim.date.text or "",
        claim.date.source or "",
        claim.confidence,
    ]


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
