"""Targets of a claim and the speaker's stance toward each.

Targets are the entities the content names (people, organisations, countries, named groups), under their
canonical names, without the speaker and the side it speaks for (its own country or organisation).

Stance is scored per target from the claim's own words, the way VADER scores a sentence but scoped:
1. every content word carries a valence: VADER's lexicon, overridden by a news lexicon (`stance.yaml`)
   for words of politics and conflict ("interference", "congratulate", "ties");
2. a word counts fully when it shares the target's clause (the nearest verb above the target), half
   when it is elsewhere in the content, and not at all when it is part of the target's own name;
3. a word is negated (times -0.74, VADER's factor) when "not", "never", "no" governs it or its verb
   ("nothing wrong"), and halved when a hedge ("may", "likely", "we don't think") governs its clause;
4. the speech act adds a prior for the target it acts on: criticising verbs push against their object,
   praising verbs toward favour (a negated act, "did not blame", adds nothing), a call to release
   someone favours them;
5. the sum is squashed to [-1, 1] as VADER normalises (x / sqrt(x^2 + 15)); beyond +/-0.2 it is
   favour or against, otherwise neutral.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from spacy.tokens import Doc, Token

from app.nlp.doc_cache import sentence_of
from app.nlp.entities import Entity, EntityIndex, Mention
from app.nlp.lexicon import cues, sources
from app.nlp.types import Stance

NEGATION_FACTOR = -0.74
HEDGE_FACTOR = 0.5
THRESHOLD = 0.2
ALPHA = 15.0
ACT_PRIOR = {"criticise": -2.0, "praise": 2.0, "deny": -0.5}
PLACE_PREPS = frozenset({"in", "at", "near", "across", "throughout", "inside", "outside", "around", "within"})
GOVERNMENT_HEADS = frozenset(
    {
        "government",
        "administration",
        "authorities",
        "officials",
        "lawmakers",
        "leaders",
        "regime",
        "military",
        "army",
        "forces",
        "troops",
        "embassy",
        "ministry",
        "delegation",
        "congress",
        "parliament",
        "cabinet",
    }
)
TARGET_TYPES = frozenset({"person", "organization", "location", "group"})


@dataclass(frozen=True)
class StanceLexicon:
    """Valences by lower-cased word or lemma, negators and hedges."""

    valence: dict[str, float]
    negations: frozenset[str]
    hedges: frozenset[str]


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
    data = yaml.safe_load(resources.files("app.nlp").joinpath("lexicons/stance.yaml").read_text("utf-8"))
    valence.update({k.lower(): float(v) for k, v in data["valence"].items()})
    return StanceLexicon(valence, frozenset(data["negations"]), frozenset(data["hedges"]))


@dataclass(frozen=True)
class TargetStance:
    """One target of a claim."""

    entity: Entity
    mention: str
    stance: Stance
    score: float


def targets_of(
    content: list[Token], index: EntityIndex, excluded: set[int], cue_lemma: str, cue: Token | None
) -> list[TargetStance]:
    """The entities a claim's content is about, each with the speaker's stance."""
    seen: dict[int, TargetStance] = {}
    positions = {t.i for t in content}
    found = [
        (m.entity, m.start, m.end)
        for m in index.mentions
        if m.start in positions and _is_about(m, index, content[0].doc)
    ]
    found += _titled_people(content, index)
    for entity, start, end in sorted(found, key=lambda f: f[1]):
        if entity.key in excluded or entity.type not in TARGET_TYPES or entity.key in seen:
            continue
        tokens = [t for t in content if start <= t.i < end]
        stance, score = stance_toward(tokens, content, cue_lemma, cue)
        seen[entity.key] = TargetStance(entity, " ".join(t.text for t in tokens), stance, score)
    return list(seen.values())


def _is_about(mention: Mention, index: EntityIndex, doc: Doc) -> bool:
    """Whether a mention names something the statement is about, rather than a place or a modifier.

    Not targets: a place where something happens ("meetings in Germany"), a country used as a modifier
    of an organisation ("the U.S. company", but not "the US administration"; "the US economic slowdown"
    stays a target), and a name inside a person's title ("PTI founder Imran Khan", "Foreign Office
    Spokesperson X").
    """
    root = doc[mention.start : mention.end].root
    if mention.label == "GPE" and root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS:
        return False
    if mention.entity.type == "location" and root.dep_ in ("compound", "amod", "nmod"):
        head = root.head.lemma_.lower()
        return head in GOVERNMENT_HEADS or head not in sources().organisations
    if root.dep_ in ("compound", "nmod", "appos") and mention.entity.type != "person":
        holder = index.at(root.head)
        if holder is not None and holder.entity.type == "person":
            return False
    return not (root.dep_ == "compound" and root.head.lemma_.lower() in sources().titles)


def _titled_people(content: list[Token], index: EntityIndex) -> list[tuple[Entity, int, int]]:
    """People named by a title introduced earlier: "PTI founder's release" is Imran Khan's."""
    found = []
    for token in content:
        if token.lemma_.lower() not in sources().titles or index.at(token) is not None:
            continue
        modifiers = [c for c in token.children if c.dep_ in ("compound", "amod")]
        if not modifiers:
            continue
        holder = index.by_role({token.lower_, *(m.lower_ for m in modifiers)}, token.i)
        if holder is not None:
            start = min(m.left_edge.i for m in modifiers)
            found.append((holder, start, token.i + 1))
    return found


def stance_toward(
    target: list[Token], content: list[Token], cue_lemma: str = "", cue: Token | None = None
) -> tuple[Stance, float]:
    """The stance the content's words take toward the target's tokens, and its score in [-1, 1]."""
    score = _score(target, content, cue_lemma, cue)
    stance: Stance = "favor" if score >= THRESHOLD else "against" if score <= -THRESHOLD else "neutral"
    return stance, round(score, 3)


def _score(target: list[Token], content: list[Token], cue_lemma: str, cue: Token | None) -> float:
    lex = stance_lexicon()
    own = {t.i for t in target}
    clause = _clause(target[0]) if target else None
    total = 0.0
    for token in content:
        if token.i in own:
            continue
        value = lex.valence.get(token.lower_, lex.valence.get(token.lemma_.lower(), 0.0))
        if not value:
            continue
        weight = 1.0 if clause is not None and _clause(token) is clause else 0.5
        total += value * weight * _modifier(token, lex)
    total += _act_prior(target, cue_lemma, cue)
    return total / math.sqrt(total * total + ALPHA) if total else 0.0


def _clause(token: Token) -> Token:
    for ancestor in [token, *token.ancestors]:
        if ancestor.pos_ in ("VERB", "AUX"):
            return ancestor
    return sentence_of(token).root


def _modifier(token: Token, lex: StanceLexicon) -> float:
    factor = 1.0
    scope = [token, token.head, _clause(token)]
    for ancestor in _clause(token).ancestors:
        scope.append(ancestor)
    negators = (c for s in scope[:3] for c in s.children if c.dep_ in ("neg", "det", "advmod"))
    if token.head.lower_ in lex.negations or any(c.lower_ in lex.negations for c in negators):
        factor *= NEGATION_FACTOR  # "not good", "nothing wrong", "no progress"
    if any(
        s.lemma_.lower() in lex.hedges or any(c.lower_ in lex.hedges for c in s.children if c.dep_ == "aux")
        for s in scope
    ):
        factor *= HEDGE_FACTOR
    return factor


def _act_prior(target: list[Token], cue_lemma: str, cue: Token | None) -> float:
    if cue is None or not target:
        return 0.0
    act = cues().speech_act.get(cue_lemma.split()[0], "")
    root = target[0]
    while root.head.i != root.i and root.head.i in {t.i for t in target}:
        root = root.head
    governs = root.head.i == cue.i or (root.head.dep_ in ("prep", "poss") and root.head.head.i == cue.i)
    negated = any(c.dep_ == "neg" for c in cue.children)  # "did not blame X": no judgement either way
    prior = ACT_PRIOR.get(act, 0.0) if governs and not negated else 0.0
    if any(a.lemma_.lower() in ("release", "free") for a in root.ancestors):
        prior += 1.5
    return prior
