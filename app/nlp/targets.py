"""Whom a claim is about: the entities and groups its content names, under their canonical names.

Targets are the people, organisations, countries and groups the content names or clearly refers to.
Named mentions come from the article's entity index; a title introduced earlier beside a name ("the
PTI founder") stands for that person; a plural noun for people ("residents", "the police", "unidentified
armed men") is a group target when it takes part in the statement as a subject or object. Left out: the
speaker and its side, places where something happens, names that only modify another name, and groups
that are merely counted ("15 families").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from app.nlp.cues import cue_lemma
from app.nlp.entities import Entity, EntityIndex, Mention, is_place_use
from app.nlp.lexicon import sources
from app.nlp.sources import REFERRING_PRONOUNS, is_definite, is_description, title_holder
from app.nlp.stance import stance_toward
from app.nlp.types import Stance

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
# A group noun in one of these roles takes part in the statement; as a modifier it does not.
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "dative", "conj", "appos", "attr", "oprd"})
# Group nouns too vague to say whom a statement is about.
VAGUE_GROUPS = frozenset({"people", "sources", "insiders", "members", "staff", "users", "others", "partners"})


@dataclass(frozen=True)
class TargetStance:
    """One target of a claim."""

    entity: Entity
    mention: str
    stance: Stance
    score: float


def targets_of(
    content: list[Token],
    index: EntityIndex,
    excluded: set[int],
    cue_lemma: str,
    cue: Token | None,
    speaker: str = "",
) -> list[TargetStance]:
    """The entities a claim's content is about, each with the speaker's stance; `excluded` holds the
    keys of the speaker's side and `speaker` its name, whose words never make a group target."""
    seen: dict[int, TargetStance] = {}
    positions = {t.i for t in content}
    found = [
        (m.entity, m.start, m.end)
        for m in index.mentions
        if m.start in positions and _is_about(m, index, content[0].doc)
    ]
    found += _titled_people(content, index)
    found += _named_groups(content, index, speaker)
    found += _people_referred_to(content, index)
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
    if mention.label == "GPE" and is_place_use(root):
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
        if not modifiers and not is_definite(token):
            continue
        holder = title_holder(token, {token.lower_, *(m.lower_ for m in modifiers)}, index)
        if holder is not None:
            start = min((m.left_edge.i for m in modifiers), default=token.i)
            found.append((holder, start, token.i + 1))
    return found


def _people_referred_to(content: list[Token], index: EntityIndex) -> list[tuple[Entity, int, int]]:
    """People the content refers to by a pronoun ("accused him of lying", "his decision") or a
    description ("the 23-year-old"), resolved as a speaker's pronoun is (the speaker is dropped later)."""
    found = []
    for token in content:
        gender = REFERRING_PRONOUNS.get(token.lower_)
        if gender is None and not is_description(token):
            continue
        if index.at(token) is not None or token.dep_ in ("nsubj", "nsubjpass") and gender is None:
            continue
        entity = index.salient_before(token.i, {"person"}, gender)
        if entity is not None:
            found.append((entity, token.i, token.i + 1))
    return found


def _named_groups(content: list[Token], index: EntityIndex, speaker: str) -> list[tuple[Entity, int, int]]:
    """Groups of people the content names with a common noun: "residents", "the police", "armed men".

    The noun must be plural (or a collective such as "police"), take part as an argument, not be
    counted ("15 families", "more than 60 members": a count reports, it does not address them), and not
    be part of a name or of the speaker's own description."""
    speaker_words = {w.lower() for w in speaker.split()}
    found = []
    for token in content:
        if not _is_group_noun(token) or index.at(token) is not None or token.lower_ in speaker_words:
            continue
        if _names_its_members(token, index) or _speaks(token):
            continue
        modifiers = [c for c in token.lefts if c.dep_ in ("amod", "compound") and index.at(c) is None]
        start = min((m.left_edge.i for m in modifiers), default=token.i)
        name = " ".join(t.text for t in content if start <= t.i <= token.i)
        entity = index.find(name, "group") or index.new_entity(name, "group")
        found.append((entity, start, token.i + 1))
    return found


def _is_group_noun(token: Token) -> bool:
    """A plural noun for people in an argument role, neither counted ("15 families") nor vague ("other
    nations")."""
    lex = sources()
    word = token.lower_
    if token.pos_ != "NOUN" or word in VAGUE_GROUPS or token.dep_ not in ARGUMENT_DEPS:
        return False
    if word not in lex.groups or (token.tag_ != "NNS" and word not in lex.collectives):
        return False
    vague = (c.dep_ in ("nummod", "quantmod") or c.like_num or c.lower_ == "other" for c in token.children)
    return not any(vague)


def _names_its_members(token: Token, index: EntityIndex) -> bool:
    """"Leaders of the Group of Eight": the named entity is the target, not the common noun."""
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
        if any(index.at(o) is not None or o.pos_ == "PROPN" for o in prep.children if o.dep_ == "pobj"):
            return True
    return any(index.at(c) is not None for c in token.children if c.dep_ == "poss")


def _speaks(token: Token) -> bool:
    """"Residents complained that ...", "residents started reporting it": a group reported as speaking
    inside a claim is a nested source."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verbs = [token.head, *(c for c in token.head.children if c.dep_ == "xcomp")]
    return any(cue_lemma(v) is not None for v in verbs)
