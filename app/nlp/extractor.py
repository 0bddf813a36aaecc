"""The one entry point of `app.nlp`: text in, plain claims out."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import spacy
from spacy import about as spacy_about
from spacy.language import Language
from spacy.tokens import Doc

from app.nlp.components import add_claim_components
from app.nlp.long_runs import RunCuttingTokenizer
from app.nlp.targets import TargetStance
from app.nlp.types import (
    ArticleExtraction,
    Claim,
    Cue,
    PipelineInfo,
    Speaker,
    StatementDate,
    Target,
)

RULES_RELEASE = "2"  # raised by hand when what a field means changes; the digest follows every edit
RULE_FILES = ("*.py", "lexicons/*.yaml", "models/*.json")


@cache
def rules_version() -> str:
    """The rules release and a digest of the rules as installed (code, lexicons, trained models), so
    that a stored article says exactly which rules made its claims: "2.3f9a1c0d"."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for pattern in RULE_FILES for p in root.glob(pattern)):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{RULES_RELEASE}.{digest.hexdigest()[:8]}"


class ClaimExtractor:
    """A loaded pipeline (English model + claim components); `extract` may be called from any thread.

    Each call runs inside `nlp.memory_zone()`, which frees the strings a document added to the shared
    vocabulary, so memory stays flat over millions of articles. The zone is not thread-safe, so calls are
    serialised by a lock: one process parses one batch at a time, and throughput scales with processes.
    """

    def __init__(self, nlp: Language) -> None:
        if not isinstance(nlp.tokenizer, RunCuttingTokenizer):
            nlp.tokenizer = RunCuttingTokenizer(nlp.tokenizer, nlp.vocab)
        self._nlp = nlp
        self._lock = threading.Lock()
        meta = nlp.meta
        self._info = PipelineInfo(
            model=f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}",
            model_version=str(meta.get("version", "unknown")),
            spacy_version=spacy_about.__version__,
            rules_version=rules_version(),
        )

    @classmethod
    def load(cls, model_name: str) -> ClaimExtractor:
        """Load an installed spaCy pipeline by package name; OSError if it is not installed."""
        nlp = spacy.load(model_name)
        return cls(add_claim_components(nlp))

    @property
    def nlp(self) -> Language:
        """The loaded pipeline, model and claim components (the benchmark times the components on it)."""
        return self._nlp

    def prepare(self, text: str, published_at: dt.date | None) -> Doc:
        """An unparsed document carrying the request's publication date, as the pipeline expects it."""
        doc = self._nlp.make_doc(text)
        doc._.published_hint = published_at
        return doc

    @property
    def info(self) -> PipelineInfo:
        """Model and rules that produce the claims."""
        return self._info

    def extract(self, text: str, published_at: dt.date | None) -> ArticleExtraction:
        """Claims of one article; `published_at` (from the request) anchors relative dates."""
        return next(self.extract_many([(text, published_at)]))

    def extract_many(self, items: Iterable[tuple[str, dt.date | None]]) -> Iterator[ArticleExtraction]:
        """Claims of many articles, parsed together with `nlp.pipe`."""
        with self._lock, self._nlp.memory_zone():
            docs = (self.prepare(text, published) for text, published in items)
            results = [to_extraction(doc) for doc in self._nlp.pipe(docs)]
        yield from results


def to_extraction(doc: Doc) -> ArticleExtraction:
    """Copy what the components found into plain dataclasses."""
    claims = []
    for draft in doc._.claims:
        source, date = draft.source, draft.date
        if date is None:
            raise RuntimeError("claim_dates has not run: the pipeline lacks a component")
        aliases = tuple(sorted(source.entity.aliases)) if source.entity is not None else (source.name,)
        claims.append(
            Claim(
                type=draft.type,
                text=draft.text(doc),
                spans=tuple(draft.spans),
                speaker=Speaker(source.name, source.mention, source.type, source.role, aliases),
                cue=Cue(" ".join(t.text for t in draft.cue), draft.lemma),
                targets=tuple(_target(t) for t in draft.targets),
                date=StatementDate(date.value, date.text, date.source),
                confidence=round(draft.confidence, 2),
            )
        )
    return ArticleExtraction(doc._.published_at, doc._.published_at_source, tuple(claims))


def _target(t: TargetStance) -> Target:
    return Target(t.entity.name, t.entity.type, t.stance, t.mention, t.score, tuple(sorted(t.entity.aliases)))
