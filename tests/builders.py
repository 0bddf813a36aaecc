"""Hand-built extraction results and a model-free extraction service, for tests that must not depend
on what the model finds."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from app.extraction.service import ExtractionFailed, Item, Outcome
from app.nlp.types import (
    ArticleExtraction,
    Claim,
    ClaimType,
    Cue,
    DateSource,
    EntityType,
    PipelineInfo,
    Span,
    Speaker,
    Stance,
    StatementDate,
    Target,
)
from app.schemas.article import ArticleCreate
from app.services.ingest import Ingest

PUBLISHED = dt.date(2024, 11, 7)


def speaker(
    name: str,
    mention: str | None = None,
    type_: EntityType = "person",
    *aliases: str,
    role: str | None = None,
) -> Speaker:
    """A speaker named `name`, mentioned as `mention` (default: the name)."""
    return Speaker(name, mention or name, type_, role, (name, *aliases))


def target(name: str, stance: Stance, mention: str | None = None, *aliases: str) -> Target:
    """A target of type `location` unless it looks like a person (two words)."""
    type_: EntityType = "person" if len(name.split()) == 2 else "location"
    return Target(name, type_, stance, mention or name, 0.5, (name, *aliases))


def claim(
    text: str,
    who: Speaker,
    *targets: Target,
    type_: ClaimType = "indirect_quote",
    date: dt.date | None = PUBLISHED,
    cue: str = "say",
) -> Claim:
    """A claim whose content is `text`."""
    source: DateSource | None = "published" if date == PUBLISHED else ("explicit" if date else None)
    return Claim(
        type=type_,
        text=text,
        spans=(Span(0, len(text)),),
        speaker=who,
        cue=Cue(cue + "s", cue),
        targets=targets,
        date=StatementDate(date, None, source),
        confidence=0.8,
    )


def extraction(*claims: Claim, published_at: dt.date | None = PUBLISHED) -> ArticleExtraction:
    """An extraction with these claims, its date found in the text."""
    return ArticleExtraction(published_at, "text" if published_at else None, claims)


def article(text: str, **fields: str) -> ArticleCreate:
    """A request body."""
    return ArticleCreate(text=text, **fields)


ExtractFn = Callable[[str, dt.date | None], ArticleExtraction]


class FunctionExtraction:
    """An extraction service that calls a plain function instead of the model: what
    `app.services.ingest.Ingest` needs, for tests of what happens around a parse."""

    info = PipelineInfo(model="fake", model_version="0", spacy_version="0", rules_version="test")

    def __init__(self, extract: ExtractFn) -> None:
        self._extract = extract

    def extract_blocking(
        self, text: str, published_at: dt.date | None, gone: threading.Event | None = None
    ) -> ArticleExtraction:
        return self._extract(text, published_at)

    def extract_many_blocking(
        self, items: Sequence[Item], gone: threading.Event | None = None
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for text, published_at in items:
            try:
                outcomes.append(self._extract(text, published_at))
            except Exception as exc:
                outcomes.append(ExtractionFailed(type(exc).__name__))
        return outcomes


def ingest_with(sessions: sessionmaker[Session], extract: ExtractFn) -> Ingest:
    """The ingest path on these sessions, parsing with `extract`."""
    return Ingest(sessions, FunctionExtraction(extract))
