"""The scoped lexicon: a score in [-1, 1] of a claim's words toward one target, and its parts.

The stance model (`stance_features.py`, `models/stance.json`) reads this score and its parts as
features; it no longer decides alone. The score is computed per target the way VADER scores a sentence,
but scoped:
1. every content word carries a valence: VADER's lexicon, overridden by a news lexicon (`stance.yaml`)
   for words of politics and conflict ("interference", "congratulate", "ties");
2. a word counts fully when it shares the target's clause (the nearest verb above the target), half
   when it is elsewhere in the content, and not at all when it is part of the target's own name;
3. a word is negated (times -0.74, VADER's factor) when "not", "never", "no" governs it or its verb
   ("nothing wrong"), and halved when a hedge ("may", "likely", "we don't think") governs its clause;
   a negated belief or wish ("never hoped that X would be freed") only hedges what it governs;
4. the one an urging cue asks to act ("urged residents to report problems") is only addressed: the
   request's words describe the action, not them, so only the act's prior counts;
5. the speech act adds a prior for the target it acts on: criticising verbs push against their object,
   praising verbs toward favour (a negated act, "did not blame", adds nothing), a call to release
   someone favours them unless a negation above denies it ("we don't think he will call for");
6. the sum is squashed to [-1, 1] as VADER normalises (x / sqrt(x^2 + 15)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

from spacy.tokens import Doc, Token

from app.nlp.doc_cache import TokenTable, sentence_of, token_table
from app.nlp.lexicon import cues, load_lexicon
from app.nlp.syntax import phrase_head

NEGATION_FACTOR = -0.74
HEDGE_FACTOR = 0.5
ALPHA = 15.0
ACT_PRIOR = {"criticise": -2.0, "praise": 2.0, "deny": -0.5}
_CLAUSES = "claim_stance_clauses"  # Doc.user_data keys of the per-document caches below
_POLARITY = "claim_stance_polarity"
_HEDGED = "claim_stance_hedged"
_MARKS = "claim_stance_marks"
CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN", "INTJ"})


@dataclass(frozen=True)
class StanceLexicon:
    """Valences by lower-cased word or lemma, negators and hedges."""

    valence: dict[str, float]
    news: dict[str, float]  # the news lexicon alone: it wins over VADER for every form of its lemmas
    negations: frozenset[str]
    hedges: frozenset[str]
    needs: frozenset[str]
    benefits: frozenset[str]
    modals: frozenset[str]
    release: frozenset[str]


@cache
def stance_lexicon() -> StanceLexicon:
    """VADER's lexicon with the news overrides on top."""
    vader_text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    valence: dict[str, float] = {}
    for line in vader_text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            try:
                valence[parts[0]] = float(parts[1])
            except ValueError:
                continue
    data = load_lexicon("stance.yaml")
    news = {str(k).lower(): float(v) for k, v in data["valence"].items()}
    valence.update(news)
    return StanceLexicon(
        valence,
        news,
        frozenset(data["negations"]),
        frozenset(data["hedges"]),
        frozenset(data["needs"]),
        frozenset(data["benefits"]),
        frozenset(data["modals"]),
        frozenset(data["release"]),
    )


def scoped_score(target: list[Token], words: Sequence[ContentWord], prior: float) -> float:
    """The scoped lexicon's score in [-1, 1] of the content toward the target (steps 1-6 above), from the
    content's words (`content_words`; none when the target is only addressed, `is_addressee`) and the
    speech act's prior (`act_prior`), which the stance features read for other uses too."""
    own = {t.i for t in target}
    clause = _clauses(target[0].doc)[target[0].i] if target else None
    total = 0.0
    for word in words:
        if word.i in own or not word.valence:
            continue
        weight = 1.0 if word.clause == clause else 0.5
        total += word.valence * weight * word.polarity
    total += prior
    return total / math.sqrt(total * total + ALPHA) if total else 0.0


class ContentWord(NamedTuple):
    """What stance reads of one word of a claim's content: the same for every target of the claim (a
    named tuple: a claim has hundreds of words, and a frozen dataclass is slow to make)."""

    i: int
    clause: int  # the index of its clause's head
    valence: float
    polarity: float  # `polarity_factor`
    lemma: str  # the lower-cased lemma of a content word (noun, verb, adjective ...), else ""
    feature: str  # the stance model's feature of the lemma, "w:not:blame" under a negation, else ""


def content_words(content: list[Token]) -> tuple[ContentWord, ...]:
    """The content's words that carry a valence or a lemma, as stance reads them (the others count for
    nothing). Made anew for each target, not kept with the document: most claims have one target, and
    what a document keeps the garbage collector walks again and again."""
    if not content:
        return ()
    doc = content[0].doc
    lex = stance_lexicon()
    every = token_table(doc)
    clauses = _clauses(doc)
    found = []
    for i in (t.i for t in content):
        value = _valence(every.lemma[i], every.lower[i], lex)
        lemma = every.lemma[i] if every.pos[i] in CONTENT_POS and not every.stop[i] else ""
        if not value and not lemma:
            continue
        polarity = _polarity(doc, i, lex)
        feature = f"w:{'not:' if polarity < 0 else ''}{lemma}" if lemma else ""
        found.append(ContentWord(i, clauses[i], value, polarity, lemma, feature))
    return tuple(found)


def is_addressee(target: list[Token], cue_lemma: str, cue: Token | None) -> bool:
    """Whether the target is the one asked to act by an urging cue ("asked Gooch to consider ...")."""
    if cue is None or not target or cues().speech_act.get(cue_lemma.split()[0]) != "urge":
        return False
    root = next((t for t in target if t.head.i == cue.i), None)
    return root is not None and root.dep_ == "dobj"


def valence(token: Token, lex: StanceLexicon) -> float:
    """A word's valence: the news lexicon by lemma first ("hoped" is "hope"), then VADER by form."""
    return _valence(token.lemma_.lower(), token.lower_, lex)


def _valence(lemma: str, lower: str, lex: StanceLexicon) -> float:
    if lemma in lex.news:
        return lex.news[lemma]
    return lex.valence.get(lower, lex.valence.get(lemma, 0.0))


def clause_head(token: Token) -> Token:
    """The nearest verb above a token (itself included): the clause it belongs to."""
    return token.doc[_clauses(token.doc)[token.i]]


def _clauses(doc: Doc) -> list[int]:
    """Each word's clause head by index, for the whole document in one pass: up the tree to the first
    verb or a word whose clause is known, every word passed on the way sharing it (iterative: trees can
    be deep); under no verb at all, the sentence's root."""
    clauses: list[int] | None = doc.user_data.get(_CLAUSES)
    if clauses is None:
        words = token_table(doc)
        clauses = [-1] * len(doc)
        for i in range(len(doc)):
            path = []
            step = i
            while clauses[step] < 0:
                path.append(step)
                if words.pos[step] in ("VERB", "AUX"):
                    found = step
                    break
                if words.head[step] == step:
                    found = sentence_of(doc[step]).root.i
                    break
                step = words.head[step]
            else:
                found = clauses[step]
            for j in path:
                clauses[j] = found
        doc.user_data[_CLAUSES] = clauses
    return clauses


def polarity_factor(token: Token, lex: StanceLexicon) -> float:
    """-0.74 when a negation governs the word or its clause, times 0.5 under a hedge, else 1 (computed
    once per token of a document: every target of every claim asks again)."""
    return _polarity(token.doc, token.i, lex)


def _polarity(doc: Doc, i: int, lex: StanceLexicon) -> float:
    factors: dict[int, float] = doc.user_data.setdefault(_POLARITY, {})
    factor = factors.get(i)
    if factor is None:
        factor = factors[i] = _polarity_factor(doc, i, lex)
    return factor


def _polarity_factor(doc: Doc, i: int, lex: StanceLexicon) -> float:
    words = token_table(doc)
    negated, hedged = _marks(doc, words, lex)
    factor = 1.0
    clause = _clauses(doc)[i]
    head = words.head[i]
    # A negated belief or wish ("never hoped that X would be freed") doubts the clause, it does not
    # reverse it: the hedge below weakens it instead.
    if (
        words.lower[head] in lex.negations
        or i in negated
        or (head in negated and words.lemma[head] not in lex.hedges)
        or (clause in negated and words.lemma[clause] not in lex.hedges)
    ):
        factor *= NEGATION_FACTOR  # "not good", "nothing wrong", "no progress"
    if (
        words.lemma[i] in lex.hedges
        or i in hedged
        or words.lemma[head] in lex.hedges
        or head in hedged
        or _hedged_clause(doc, words, hedged, clause, lex)
    ):
        factor *= HEDGE_FACTOR  # a hedging word ("may", "believe"), or a hedging auxiliary ("could lose")
    return factor


def _marks(doc: Doc, words: TokenTable, lex: StanceLexicon) -> tuple[frozenset[int], frozenset[int]]:
    """The words a negator hangs from ("not", "no", "never" as its neg, det or adverb) and those with a
    hedging auxiliary ("could", "may"), found in one pass over the document."""
    marks: tuple[frozenset[int], frozenset[int]] | None = doc.user_data.get(_MARKS)
    if marks is None:
        negated = set()
        hedged = set()
        for i, lower in enumerate(words.lower):
            if lower in lex.negations and words.dep[i] in ("neg", "det", "advmod"):
                negated.add(words.head[i])
            if lower in lex.hedges and words.dep[i] == "aux":
                hedged.add(words.head[i])
        marks = doc.user_data[_MARKS] = (frozenset(negated), frozenset(hedged))
    return marks


def _hedged_clause(
    doc: Doc, words: TokenTable, hedged: frozenset[int], clause: int, lex: StanceLexicon
) -> bool:
    """Whether the clause or any clause above it hedges (once per clause of a document)."""
    known: dict[int, bool] = doc.user_data.setdefault(_HEDGED, {})
    chain = []  # the clause and its ancestors up to one already known (iterative: trees can be deep)
    step: int | None = clause
    while step is not None and step not in known:
        chain.append(step)
        step = words.head[step] if words.head[step] != step else None
    found = known[step] if step is not None else False
    for node in reversed(chain):
        found = known[node] = found or words.lemma[node] in lex.hedges or node in hedged
    return known[clause]


def act_prior(target: list[Token], cue_lemma: str, cue: Token | None) -> float:
    """What the speech act itself says of the target it acts on ("condemned X", "called for X's release")."""
    if cue is None or not target:
        return 0.0
    act = cues().speech_act.get(cue_lemma.split()[0], "")
    root = phrase_head(target)
    # The act's object, an object's owner ("criticised China's move") or a prepositional object.
    governs = root.head.i == cue.i or (
        (root.head.dep_ == "prep" or root.dep_ == "poss") and root.head.head.i == cue.i
    )
    negated = any(c.dep_ == "neg" for c in cue.children)  # "did not blame X": no judgement either way
    prior = ACT_PRIOR.get(act, 0.0) if governs and not negated else 0.0
    release = release_above(root)
    if release is not None and not denied(release):  # "never hoped ... released": no call at all
        prior += 1.5
    return prior


def release_above(token: Token) -> Token | None:
    """The nearest word above the token that frees someone ("called for the release of X"), found up
    the token table's heads as `Token.ancestors` walks them, without making a Token at each step."""
    words, release = token_table(token.doc), stance_lexicon().release
    i = token.i
    while words.head[i] != i:
        i = words.head[i]
        if words.lemma[i] in release:
            return token.doc[i]
    return None


def denied(token: Token) -> bool:
    """Whether a negation governs the token or any clause above it ("we don't think he will call for")."""
    return any(c.dep_ == "neg" for a in (token, *token.ancestors) for c in a.children)
