"""Claims as files for spreadsheets and pipelines: CSV and NDJSON, streamed row by row.

`GET /v1/claims` with `Accept: text/csv` or `Accept: application/x-ndjson` sends every matching claim,
not one page, read from the database in chunks (`services.claims.each_claim`) and written as it is
read, so an export of a million claims takes no more memory than one of a hundred.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from sqlalchemy.orm import Session, sessionmaker

from app.api.media import accepted
from app.api.read_models import claim_read
from app.schemas.claim import ClaimRead, ExtractedClaim
from app.services.claims import ClaimFilter, each_claim

CSV = "text/csv"
NDJSON = "application/x-ndjson"
# A claim's own columns; an export puts its keys first (`id, article_id` for stored claims, the file
# for the command line's).
CLAIM_COLUMNS = (
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
STORED_KEYS = ("id", "article_id")
CSV_COLUMNS = (*STORED_KEYS, *CLAIM_COLUMNS)
Keyed = tuple[dict[str, object], ExtractedClaim]  # a claim and the values of the export's keys

# A cell a spreadsheet would run as a formula ("=HYPERLINK(...)") starts with an apostrophe instead:
# OWASP's advice against CSV injection, since analysts open these files in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_media_type(accept: str | None) -> str | None:
    """The export the `Accept` header asks for (CSV or NDJSON), or None for the JSON page."""
    return accepted(accept, (CSV, NDJSON))


def stream(sessions: sessionmaker[Session], where: ClaimFilter, media_type: str) -> Iterator[str]:
    """The export of every claim `where` matches, read in a session of its own (the request's unit of
    work has ended by the time the response streams)."""
    with sessions() as session:
        claims = (claim_read(row) for row in each_claim(session, where))
        yield from render(media_type, ((_stored_keys(claim), claim) for claim in claims), STORED_KEYS)


def _stored_keys(claim: ClaimRead) -> dict[str, object]:
    return {"id": claim.id, "article_id": claim.article_id}


def render(media_type: str, claims: Iterable[Keyed], keys: tuple[str, ...]) -> Iterator[str]:
    """The export's text, a header (CSV) and then one line per claim, as the claims come; each line
    starts with the claim's values of `keys`."""
    if media_type == NDJSON:
        dumped = (
            json.dumps({**values, **claim.model_dump(mode="json")}, ensure_ascii=False)
            for values, claim in claims
        )
        return (line + "\n" for line in dumped)
    return _csv(claims, keys)


def _csv(claims: Iterable[Keyed], keys: tuple[str, ...]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow([*keys, *CLAIM_COLUMNS])
    for values, claim in claims:
        writer.writerow([_cell(value) for value in [*(values[key] for key in keys), *_row(claim)]])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # the header of an empty export
        yield buffer.getvalue()


def _row(claim: ExtractedClaim) -> list[object]:
    targets = "; ".join(f"{t.name} ({t.stance})" for t in claim.targets)
    return [
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
