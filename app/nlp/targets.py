"""Whom a claim is about, and the speaker's stance toward each: candidates, then two trained models.

1. `target_candidates.candidates` casts a wide net over the claim's content: named mentions, titles,
   descriptions, pronouns, groups and bodies named by common nouns, acts named without their actor.
2. The spec's exclusions are rules (`RULED_OUT`): the speaker and its side, a place that only locates,
   a region, a name modifying a person's, a word describing another group, a bare count, members of a
   named body.
3. The target model (`models/targets.json`) weighs the features (`target_features.py`) of what is left;
   candidates from its threshold up are targets, and so is one the statement asks help for; one per
   entity, the first mention that passes.
4. The stance model (`models/stance.json`) reads the features of `stance_features.py` for that mention
   and says favor, against or neutral; `score` is P(favor) - P(against). A call for help is favour and a
   denied judgement neutral whatever it says.

Both are logistic regressions trained by `training/train.py` on the annotated articles (and, for stance,
NewsMTSC); see the README's "How extraction works".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

import numpy as np
from numpy.typing import NDArray
from spacy.tokens import Doc

from app.nlp.assembly import Draft
from app.nlp.datelines import datelines
from app.nlp.doc_cache import text_of, token_table
from app.nlp.entities import Entity, EntityIndex
from app.nlp.lexicon import countries, pronouns, target_words
from app.nlp.linear_model import LinearModel, shipped_model
from app.nlp.stance_features import CONTEXT_VECTORS, advocated, stance_features
from app.nlp.target_candidates import Candidate, candidates
from app.nlp.target_features import ClaimContext, target_features
from app.nlp.types import Stance

TARGET_TYPES = frozenset({"person", "organization", "location", "group"})
HOME = "claim_home_country"  # Doc.user_data key
WORD = re.compile(r"[^\W_]+(?:[.'\u2019-][^\W_]+)*\.?")
RULED_OUT_ENTITY = frozenset({"own_side", "shares_speaker_words", "counted_bare"})
# Stance features that decide for favour whatever the model says ("our customers need somewhere to park",
# "these families must be helped now", "must not be left behind").
ADVOCACY = frozenset({"advocacy:needs", "advocacy:helped", "advocacy:spared", "advocacy:release"})
# What the spec rules out whatever else holds ("Targets, precisely"): the speaker's side, a place that
# only locates ("in the capital", "flew to Nairobi"), a region, a name inside a person's ("Hermon Road"
# aside, "PTI founder Imran Khan"), a word describing another target ("most of the displaced are women
# and children"), a bare count of people ("40 families"), members of a named body ("leaders of the
# European Union": the Union is). In the 62 annotated articles, 14 of 136 such candidates were targets.
RULED_OUT = frozenset(
    {
        "own_side",
        "shares_speaker_words",
        "place_use",
        "motion",
        "border",
        "region",
        "mod_of_person",
        "describes",
        "counted_bare",
        "members_of_named",
    }
)


@dataclass(frozen=True)
class TargetStance:
    """One target of a claim."""

    entity: Entity
    mention: str
    stance: Stance
    score: float


@dataclass(frozen=True)
class TargetModels:
    """The two trained models that decide targets and stance."""

    target: LinearModel
    stance: LinearModel

    @classmethod
    def shipped(cls) -> TargetModels:
        """The models shipped with the package."""
        return cls(shipped_model("targets"), shipped_model("stance", CONTEXT_VECTORS))

    def without_vectors(self) -> TargetModels:
        """The same models with the stance model's context vectors left out."""
        return TargetModels(self.target, replace(self.stance, dense={}))


@dataclass
class Considered:
    """The candidates of one claim with their features: what the models saw (training reads it)."""

    claim: ClaimContext
    candidates: list[tuple[Candidate, dict[str, float]]] = field(default_factory=list)


def consider(doc: Doc, draft: Draft, index: EntityIndex) -> Considered:
    """The claim's candidates and their target features."""
    claim = claim_context(doc, draft, index)
    considered = Considered(claim)
    speaker = draft.source.entity
    found = [
        (candidate, target_features(candidate, claim, index))
        for candidate in candidates(draft.content, index)
        if candidate.entity is not speaker and candidate.entity.type in TARGET_TYPES
    ]
    # ruled out as the speaker's side, a count or a description once, ruled out everywhere in the claim:
    # "40 families ... their homes"; a place in one mention may still be a state in another
    out = {candidate.entity.key for candidate, features in found if RULED_OUT_ENTITY & features.keys()}
    considered.candidates = [(c, f) for c, f in found if c.entity.key not in out and not RULED_OUT & f.keys()]
    return considered


def decide(considered: Considered, models: TargetModels) -> list[TargetStance]:
    """The targets the model keeps, one per entity, each with the stance model's verdict."""
    claim = considered.claim
    kept: dict[int, TargetStance] = {}
    for candidate, features in considered.candidates:
        if candidate.entity.key in kept:
            continue
        if models.target.predict(features) != "yes" and not advocated(candidate.tokens, claim.lemma):
            continue
        kept[candidate.entity.key] = stance_of(candidate, claim, models.stance)
    return list(kept.values())


def stance_of(candidate: Candidate, claim: ClaimContext, model: LinearModel) -> TargetStance:
    """The speaker's stance toward one candidate."""
    tokens = candidate.tokens
    vectors: dict[str, NDArray[np.float32]] = {}
    features = stance_features(tokens, claim.content, claim.lemma, claim.cue, claim.speaker_tokens, vectors)
    probabilities = model.probabilities(features, vectors)
    stance: Stance = max(("favor", "against", "neutral"), key=lambda s: probabilities.get(s, 0.0))
    score = round(probabilities.get("favor", 0.0) - probabilities.get("against", 0.0), 3)
    # Rules that decide over the model, their cases too rare in the data to be learnt: a call to help
    # ("our customers need somewhere to park") and a denied criticism ("did not blame the referee") are
    # in favour, a denied praise ("did not praise X") is neutral.
    if any(features.get(name, 0.0) > 0 for name in ADVOCACY) or "denied:criticise" in features:
        stance, score = "favor", 1.0
    elif "denied_judgement" in features:
        stance, score = "neutral", 0.0
    return TargetStance(candidate.entity, " ".join(t.text for t in tokens), stance, score)


def claim_context(doc: Doc, draft: Draft, index: EntityIndex) -> ClaimContext:
    """What the features need of a claim: content, cue, speaker and the side it speaks for."""
    source = draft.source
    label = " ".join(filter(None, [source.role, source.name, source.mention]))
    governmental = speaks_for_a_government(label)
    own_side = frozenset(_speaker_side(draft, index, _home_country(doc), label, governmental))
    return ClaimContext(
        content=draft.content,
        cue=draft.cue[0] if draft.cue else None,
        lemma=draft.lemma,
        source=source,
        own_side=own_side,
        governmental=governmental,
        speaker_tokens=frozenset(_speaker_tokens(draft, index, own_side)),
    )


def _speaker_tokens(draft: Draft, index: EntityIndex, own_side: frozenset[int]) -> set[int]:
    """Where the content names the speaker or its side: its mentions, "we", and the subject pronoun of
    reported speech ("the army said it had ...", "she said she would ...")."""
    subjects = pronouns().subjects(draft.source.type)
    first_person = pronouns().first_person
    found: set[int] = set()
    if not draft.content:
        return found
    words = token_table(draft.content[0].doc)  # every word of the content is read: plain values
    for i in (token.i for token in draft.content):
        mention = index.mention_covering(i)
        lower = words.lower[i]
        if mention is not None and mention.entity.key in own_side or lower in first_person:
            found.add(i)
        elif lower in subjects and words.dep[i] == "nsubj" and words.dep[words.head[i]] in ("ccomp", "ROOT"):
            found.add(i)
    return found


def speaks_for_a_government(label: str) -> bool:
    """Whether a speaker's name and role say it speaks for a government ("Health Minister", "Trade
    Secretary", "Foreign Office Spokesperson"), and not for a union, party or company ("general secretary
    of the union", "party president"); a spokesman or an official alone may speak for anyone."""
    words = _words(label.lower())
    governing, other = _roles()
    return any(role in words for role in governing) and not any(role in words for role in other)


@cache
def _roles() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The government roles and the others, each between spaces as `_words` writes words."""
    lex = target_words()
    return tuple(f" {w} " for w in lex.government_roles), tuple(f" {w} " for w in lex.nongovernment_roles)


def _home_country(doc: Doc) -> str | None:
    """The country of the dateline ("ISLAMABAD:"): the government its officials speak for (looked up
    once per document)."""
    if HOME not in doc.user_data:
        places = (countries().get(place.lower()) for place, _ in datelines(text_of(doc)))
        doc.user_data[HOME] = next((country.name for country in places if country is not None), None)
    home: str | None = doc.user_data[HOME]
    return home


def _speaker_side(
    draft: Draft, index: EntityIndex, home: str | None, label: str, governing: bool
) -> set[int]:
    """The speaker and whoever it speaks for: what a group's own name holds ("US lawmakers"), the
    organisation in its role ("PTI leader"), a country in a government role ("Pakistani Foreign
    Minister"), or the dateline's country for a speaker of its government."""
    source = draft.source
    excluded: set[int] = set()
    if source.entity is not None:
        excluded.add(source.entity.key)
    own_name = _words(source.name) if source.type in ("group", "organization") else " "
    words = _words(label)
    for entity in index.entities:
        if own_name == " " and (entity.type == "person" or entity.type == "location" and not governing):
            continue  # in no name, and in the label only an organisation, a group or a governed place
        aliases = [_words(a) for a in entity.aliases if len(a) > 1]
        in_name = any(alias in own_name for alias in aliases)
        in_label = any(alias in words for alias in aliases)
        if in_name or (in_label and entity.type != "person" and (entity.type != "location" or governing)):
            excluded.add(entity.key)
    if home and governing:
        country = index.find(home)
        if country is not None:
            excluded.add(country.key)
    return excluded


@lru_cache(maxsize=65536)  # pure, and asked for the same few names again and again
def _words(text: str) -> str:
    """The text's words between single spaces, with a space at each end: `" US " in _words("US lawmakers")`
    finds a whole word (case matters), as a regular expression's word boundaries would, in a fraction of
    the time."""
    return f" {' '.join(WORD.findall(text))} "
