"""Plain results of extraction: what leaves `app.nlp`, so no caller ever holds a spaCy `Doc`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

ClaimType = Literal["direct_quote", "indirect_quote", "mixed_quote"]
EntityType = Literal["person", "organization", "location", "group", "unknown"]
Stance = Literal["favor", "against", "neutral"]
DateSource = Literal["explicit", "relative", "published"]
PublishedAtSource = Literal["request", "text"]


@dataclass(frozen=True)
class Span:
    """Character offsets `[start, end)` into the submitted text."""

    start: int
    end: int


@dataclass(frozen=True)
class Speaker:
    """Who made the statement: `name` is canonical, `mention` is how the text names them here."""

    name: str
    mention: str
    type: EntityType
    role: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cue:
    """The verb or phrase that marks the attribution."""

    text: str
    lemma: str


@dataclass(frozen=True)
class Target:
    """An entity the statement is about, with the speaker's stance toward it."""

    name: str
    type: EntityType
    stance: Stance
    mention: str
    score: float = 0.0
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatementDate:
    """The day the statement was made, and which rule said so."""

    value: dt.date | None
    text: str | None
    source: DateSource | None


@dataclass(frozen=True)
class Claim:
    """One statement attributed to one source."""

    type: ClaimType
    text: str
    spans: tuple[Span, ...]
    speaker: Speaker
    cue: Cue
    targets: tuple[Target, ...]
    date: StatementDate
    confidence: float


@dataclass(frozen=True)
class PipelineInfo:
    """Which model and rules produced a result, so stored claims can be traced and re-run."""

    model: str
    model_version: str
    spacy_version: str
    rules_version: str

    @property
    def version(self) -> str:
        """One string naming the whole pipeline."""
        return f"{self.model}-{self.model_version}+rules-{self.rules_version}"


@dataclass(frozen=True)
class ArticleExtraction:
    """Everything extracted from one article."""

    published_at: dt.date | None
    published_at_source: PublishedAtSource | None
    claims: tuple[Claim, ...] = field(default_factory=tuple)
