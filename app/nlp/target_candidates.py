"""Everything in a claim's content that might be whom it is about, before anything is ruled out.

A wide net, so that the target model (`targets.py`) decides on features rather than on what a rule let
through: named mentions (places included), people named by a title ("the PTI founder") or a description
("the Spaniard"), personal pronouns, plural pronouns ("They threatened bystanders": the police),
groups and bodies named by common nouns (`groups.py`), and an act named without its actor ("condemned
the move": whoever made it). The speaker itself is dropped here; its side is a feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Token

from app.nlp.doc_cache import sentence_of, token_table
from app.nlp.entities import Entity, EntityIndex, Mention
from app.nlp.lexicon import pronouns, sources, target_words
from app.nlp.names import role_words
from app.nlp.sources import demonyms, is_age, is_definite, is_description, owner_of, title_holder

FORMER = frozenset({"former", "ex"})  # "the former prime minister": an office its holder has left


@dataclass(frozen=True)
class Candidate:
    """A phrase of the content that may be a target, and the entity it names."""

    entity: Entity
    start: int  # token range [start, end) in the document
    end: int
    kind: str  # named, title, pronoun, description, they, common, act
    head: Token
    mention: Mention | None = None

    @property
    def tokens(self) -> list[Token]:
        """The phrase's tokens."""
        return list(self.head.doc[self.start : self.end])


def candidates(content: list[Token], index: EntityIndex) -> list[Candidate]:
    """Every possible target in the content, in text order (an entity may appear more than once)."""
    positions = {t.i for t in content}
    doc = content[0].doc
    found = [
        Candidate(m.entity, m.start, m.end, "named", doc[m.start : m.end].root, m)
        for m in index.mentions
        if m.start in positions and not _absorbed(m, index)
    ]
    found += [
        Candidate(m.entity, m.start, m.end, "common", doc[m.end - 1], m)
        for m in index.common
        if m.end - 1 in positions
    ]
    words, referring = token_table(doc), _referring_words()
    # only a title, a pronoun, a description or an act can name someone here: most words are none
    referrers = [t for t in content if words.lower[t.i] in referring or words.lemma[t.i] in referring]
    titles = [span for span in map(_title_span, referrers) if span is not None]
    for token in referrers:
        if index.at(token) is not None or token.i in index.common_by_token:
            continue
        candidate = (
            _titled(token, index)
            or _referred(token, index)
            or _plural_referred(token, index)
            or _act(token, index, positions)
        )
        if candidate is not None:
            found.append(candidate)
    # "PTI founder Imran Khan", "Pakistan Tehreek-e-Insaf (PTI) founder": a name inside a person's title
    inside = [c for c in found if c.kind == "named" and any(a <= c.start and c.end <= b for a, b in titles)]
    return sorted((c for c in found if c not in inside and c.start < c.end), key=lambda c: c.start)


@cache
def _referring_words() -> frozenset[str]:
    """Every word, as written or as a lemma, that can make a candidate other than a name (`_titled`,
    `_referred`, `_plural_referred`, `_act`), to pass over the others at once."""
    personal = pronouns().gender_of_referring.keys() | pronouns().plural_referring
    described = sources().descriptions | demonyms() | {"old"}  # "the 21-year-old" (`is_age`)
    return frozenset(sources().titles | personal | described | target_words().acts)


def _title_span(token: Token) -> tuple[int, int] | None:
    """The words of a person's title before the title noun, when it is one ("PTI founder")."""
    if token.lemma_.lower() not in sources().titles or token.tag_ not in ("NN", "NNP"):
        return None
    modifiers = _title_modifiers(token)
    return (min(m.left_edge.i for m in modifiers), token.i) if modifiers else None


def _title_modifiers(title: Token) -> list[Token]:
    """The words before a title that say which it is ("PTI founder", "the former prime minister"); words
    after it ("the minister responsible for ...") are not part of it."""
    return [c for c in title.lefts if c.dep_ in ("compound", "amod")]


def _absorbed(mention: Mention, index: EntityIndex) -> bool:
    """A name inside a group's or an institution's name ("the Zimbabwean government", "Chinese Internet
    users", "Barclays staff") is part of that name, not a target of its own."""
    return any(i in index.common_by_token for i in range(mention.start, mention.end))


def _titled(token: Token, index: EntityIndex) -> Candidate | None:
    """`the PTI founder's release`: a title introduced earlier beside a name stands for that person."""
    if token.lemma_.lower() not in sources().titles or token.tag_ not in ("NN", "NNP"):
        return None
    if token.dep_ == "compound" and index.at(token.head) is not None:
        return None  # "PTI founder Imran Khan": the person is named right there
    modifiers = _title_modifiers(token)
    if not modifiers and not is_definite(token):
        return None
    # "the incarcerated founder": a participle describes the holder, it does not tell which title
    words = {token.lower_, *(m.lower_ for m in modifiers if m.tag_ not in ("VBN", "VBD", "VBG"))}
    holder = title_holder(token, words, index, ahead=False)
    if holder is None and words & FORMER:
        holder = _former_holder(token, index)
    start = min((m.left_edge.i for m in [*modifiers, *_country_owner(token)]), default=token.i)
    if holder is not None:
        return Candidate(holder, start, token.i + 1, "title", token)
    if token.lemma_.lower() not in target_words().unnamed_offices:
        return None
    if not (is_definite(token) or _country_owner(token)):
        return None
    # "the governor", "Togo's president": someone the article never names, under the title it gives
    name = token.doc[start : token.i + 1].text
    entity = index.find(name, "person") or index.new_entity(name, "person")
    return Candidate(entity, start, token.i + 1, "office", token)


def _former_holder(title: Token, index: EntityIndex) -> Entity | None:
    """`Trump's silence on the PTI founder shows that the former prime minister ...`: a former office no one
    was introduced with names the person its sentence named last before it, by name or by an earlier
    title, passing over the sentence's speakers and anyone who holds an office now ("President-elect
    Trump")."""
    sentence = sentence_of(title)
    speakers = {e.key for p, e in index.speakers if sentence.start <= p < sentence.end}
    for earlier in reversed(sentence[: title.i - sentence.start]):
        mention = index.mention_at(earlier)
        if mention is not None:
            entity: Entity | None = mention.entity
        elif earlier.lemma_.lower() in sources().titles:
            entity = index.by_role({earlier.lower_}, earlier.i)
        else:
            continue
        if entity is None or entity.type != "person" or entity.key in speakers:
            continue
        if not any(w in sources().offices for role in entity.roles for w in role_words(role)):
            return entity
    return None


def _country_owner(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ == "poss" and c.ent_type_ in ("GPE", "NORP")]


def _referred(token: Token, index: EntityIndex) -> Candidate | None:
    """A person referred to by a pronoun ("accused him", "his decision"), resolved as a speaker's pronoun
    is, or by a description: the person just mentioned in the sentence ("praised Okoro, saying the
    20-year-old"), else the one introduced with it ("the striker"), else the latest subject."""
    gender = pronouns().gender_of_referring.get(token.lower_)
    if gender is None and not is_description(token):
        return None
    entity = _person_nearby(token, index, gender) if gender else _person_earlier_in_sentence(token, index)
    if entity is None and gender is None and not is_age(token):
        entity = index.by_role({token.lower_}, token.i)  # "the striker" for the one introduced as one
    entity = entity or index.salient_before(token.i, {"person"}, gender)
    if entity is None:
        return None
    return Candidate(entity, token.i, token.i + 1, "pronoun" if gender else "description", token)


def _person_earlier_in_sentence(token: Token, index: EntityIndex) -> Entity | None:
    """`praised Sam Okoro, saying the 20-year-old ...`: a description names the person just mentioned in
    its sentence, when that is not the one speaking."""
    start = sentence_of(token).start
    speakers = {e.key for p, e in index.speakers if start <= p < token.i + 20}
    return _last_person(index, start, token.i, lambda entity: entity.key not in speakers)


def _person_nearby(token: Token, index: EntityIndex, gender: str) -> Entity | None:
    """`... no talks with "tyrants", meaning General Otieno. She said since he seized power`: a pronoun in
    a statement stands for the person its sentence or the one before named last, of its gender (or surely
    someone, of no gender known); "General Ruiz said he ..." is the speaker."""
    return _last_person(
        index,
        _previous_sentence_start(token),
        token.i,
        lambda entity: entity.gender == gender or entity.gender is None and _surely_someone(entity),
    )


def _last_person(
    index: EntityIndex, start: int, before: int, fits: Callable[[Entity], bool]
) -> Entity | None:
    """The person named last between token `start` and token `before` that `fits`."""
    people = (m.entity for m in reversed(index.mentions) if start <= m.start < before)
    return next((entity for entity in people if entity.type == "person" and fits(entity)), None)


def _surely_someone(entity: Entity) -> bool:
    """A person of unknown gender that is surely a person: a full name or a title ("General Otieno"), not
    a lone word the recogniser may have mistaken for one ("Kyiv")."""
    return bool(entity.roles) or len(entity.name.split()) > 1


def _previous_sentence_start(token: Token) -> int:
    """Where the sentence before the token's starts (its own, in the first): how far back a pronoun's
    antecedent is looked for."""
    sentence = sentence_of(token)
    return sentence_of(token.doc[sentence.start - 1]).start if sentence.start else 0


def _plural_referred(token: Token, index: EntityIndex) -> Candidate | None:
    """`They threatened bystanders`: the latest group or body that was a subject before."""
    if token.lower_ not in pronouns().plural_referring or token.pos_ != "PRON":
        return None
    entity = index.group_before(token.doc, token.i, _previous_sentence_start(token))
    return Candidate(entity, token.i, token.i + 1, "they", token) if entity is not None else None


def _act(token: Token, index: EntityIndex, positions: set[int]) -> Candidate | None:
    """`condemned the move`: an act named without its actor is about whoever acted: the owner of an act
    or document named earlier in the sentence ("the lawmakers' letter ..., terming the move"), or the
    subject of the sentence before."""
    lex = target_words()
    if token.pos_ != "NOUN" or token.lemma_.lower() not in lex.acts and token.lower_ not in lex.acts:
        return None
    determiners = {c.lower_ for c in token.children if c.dep_ == "det"}
    if not determiners & {"the", "this", "that", "these", "those", "such"} or any(
        c.dep_ == "poss" for c in token.children
    ):
        return None
    actor = _doer(token, index)
    if actor is not None:
        return Candidate(actor, token.i, token.i + 1, "act", token)
    sentence = sentence_of(token)
    for earlier in reversed(sentence[: token.i - sentence.start]):
        owner = owner_of(earlier) if earlier.lemma_.lower() in lex.acts | sources().documents else None
        mention = index.mention_at(owner) if owner is not None else None
        if mention is not None:
            return Candidate(mention.entity, token.i, token.i + 1, "act", token)
    if sentence.start == 0:
        return None
    previous = sentence_of(token.doc[sentence.start - 1])
    subject = next((t for t in previous.root.children if t.dep_ == "nsubj"), None)
    named = index.at(subject) if subject is not None else None  # a name: a common noun is too vague here
    return Candidate(named.entity, token.i, token.i + 1, "act", token) if named is not None else None


def _doer(act: Token, index: EntityIndex, reach: int = 120) -> Entity | None:
    """Who last did the act's verb, within `reach` tokens before it: "Barclays withdrew ... the
    withdrawal", "the council decided ... the decision"."""
    verbs = target_words().act_verbs.get(act.lemma_.lower()) or target_words().act_verbs.get(act.lower_)
    if not verbs:
        return None
    doc, words = act.doc, token_table(act.doc)  # up to `reach` words read: plain values, no Tokens
    for i in reversed(range(max(act.i - reach, 0), act.i)):
        if words.pos[i] == "VERB" and words.lemma[i] in verbs:
            subject = next((c for c in doc[i].children if c.dep_ == "nsubj"), None)
            mention = index.mention_at(subject) if subject is not None else None
            if mention is not None:
                return mention.entity
    return None
