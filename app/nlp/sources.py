"""Resolve the subject of a reporting verb to a source: a named entity, a pronoun's antecedent, a title's
holder, a group, an organisation, or the author of a document.

Pronouns are resolved to the latest salient (subject) entity of the right kind before them, agreeing in
gender once the article has shown it; titles ("the defence minister") to the latest person introduced
with that title; relative pronouns ("X, who ... said") to the noun they modify.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Token

from app.nlp.entities import Entity, EntityIndex
from app.nlp.lexicon import countries, cues, pronouns, sources, target_words
from app.nlp.names import role_phrase
from app.nlp.types import EntityType

# The determiners that quantify a group ("many of the scientists"): closed, part of this rule's grammar.
# The nouns that count one ("thousands of scientists") are the target lexicon's `quantities`, and
# numbers are told by their tag.
QUANTIFYING_DETERMINERS = frozenset({"many", "some", "most", "all", "several", "few", "none", "each", "both"})


@dataclass(frozen=True)
class Source:
    """A resolved speaker."""

    name: str
    mention: str
    type: EntityType
    role: str | None
    entity: Entity | None
    method: str  # named, pronoun, description, title, group, organization, document, continuation


def resolve(token: Token, index: EntityIndex) -> Source | None:
    """The source a subject token names, or None when it names no one who can speak."""
    lower = token.lower_
    words = pronouns()
    if lower in words.gender_of_person:
        return _pronoun(token, index, {"person"}, words.gender_of_person[lower])
    if lower == "it" and token.dep_ == "nsubj":  # "it said": an organisation or a country
        return _pronoun(token, index, {"organization", "location"}, None)
    if lower in words.plural:
        return _pronoun(token, index, {"group", "organization", "location"}, None)
    if lower in words.relative and token.head.dep_ in ("relcl", "acl") and token.head.head.i != token.i:
        return resolve(token.head.head, index)
    if is_description(token):
        phrase = role_phrase(token)
        described = index.by_role({token.lower_}, token.i) if not is_age(token) else None
        if described is not None:  # "the striker" after "Kwame Asante, the 31-year-old striker"
            role = described.roles[0] if described.roles else None
            return Source(described.name, phrase, "person", role, described, "description")
        source = _pronoun(token, index, {"person"}, None)
        if source is None:  # no one named yet: the description is all we know
            return Source(phrase, phrase, "person", None, None, "description")
        return replace(source, mention=phrase, method="description")
    mention = index.at(token)
    if mention is not None:
        return _named(token, mention.entity, index)
    counts = lower in QUANTIFYING_DETERMINERS or lower in target_words().quantities
    if counts or token.tag_ == "CD" or token.like_num or token.ent_type_ == "CARDINAL":
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is not None:  # "thousands of scientists", "many of the scientists"
            return resolve(pobj, index)
    for child in token.children:  # "Committee Member for Housing repairs, Ottilie Marsh, said"
        appos = index.at(child) if child.dep_ == "appos" else None
        if appos is not None and appos.entity.type == "person":
            return Source(
                appos.entity.name,
                _text(child),
                "person",
                index.owned_role(role_phrase(token), token.i),
                appos.entity,
                "named",
            )
    if token.pos_ in ("NOUN", "PROPN"):
        return (
            _common_noun(token, index)
            or (_bare_name(token, index) if token.pos_ == "PROPN" else None)
            or _unnamed_person(token)
        )
    return None


def _unnamed_person(token: Token) -> Source | None:
    """`A former hospital porter told a jury that ...`: only people tell, testify or insist, so the
    subject of such a verb is someone the article describes without naming."""
    if (
        token.pos_ != "NOUN"
        or token.dep_ != "nsubj"
        or token.head.lemma_.lower() not in cues().human_speech_verbs
    ):
        return None
    if {token.lemma_.lower(), token.lower_} & (sources().evidence | sources().documents):
        return None
    phrase = role_phrase(token)
    return Source(phrase, phrase, "group" if token.tag_ == "NNS" else "person", None, None, "description")


def is_description(token: Token) -> bool:
    """`the Spaniard`, `the 21-year-old`, `the veteran`: a definite description of someone already named,
    which refers like a pronoun (to the latest salient person)."""
    if is_age(token):
        return True
    lower = token.lower_
    if token.tag_ not in ("NN", "NNP") or lower not in sources().descriptions and lower not in demonyms():
        return False
    return is_definite(token)


def is_definite(token: Token) -> bool:
    """`the minister`, not `a minister`: a noun with the definite article."""
    return any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)


def title_holder(token: Token, words: set[str], index: EntityIndex, ahead: bool = True) -> Entity | None:
    """Who a title names: the person introduced with those title words, or for a definite office
    never written beside a name ("the Prime Minister"), the person named without a title (`ahead`:
    also one named just after, as in a lead; not inside a statement, where that is its speaker)."""
    holder = index.by_role(words, token.i)
    if holder is None and is_office(token) and not _qualified(token):
        holder = index.office_holder(token.i, 150 if ahead else 0)
    return holder


def _qualified(title: Token) -> bool:
    """`the Kurdish prime minister`, `Togo's president`: a title said to be some other body's is not the
    office of the person the article names without a title."""
    for child in title.children:
        named = bool(child.ent_type_) or child.text[:1].isupper() and child.lower_ not in ("prime", "vice")
        if child.dep_ == "poss" or child.dep_ in ("amod", "compound") and named and child.i > 0:
            return True
    return False


def is_office(token: Token) -> bool:
    """`the Prime Minister`, `the coach`: a definite, singular title of an office one person holds."""
    return is_definite(token) and token.tag_ in ("NN", "NNP") and token.lemma_.lower() in sources().offices


def is_age(token: Token) -> bool:
    """`the 21-year-old`, which the parser leaves as an adjective `old` modified by `year`."""
    return token.lower_ == "old" and any(c.lemma_ == "year" for c in token.children)


@cache
def demonyms() -> frozenset[str]:
    """Words for a country's people ("Spaniard", "Pakistani"), lower-cased."""
    return frozenset(word.lower() for country in countries().values() for word in country.demonyms)


def _bare_name(token: Token, index: EntityIndex) -> Source | None:
    """A capitalised name the recogniser missed ("Baloch said"): a person known by a fuller name, or a
    new one; longer names are more often organisations."""
    words = [t for t in token.subtree if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < token.i]
    words.append(token)
    text = " ".join(t.text for t in words)
    if not text[:1].isupper():
        return None
    lowered = {w.lower() for w in text.split()}
    fuller = next((e for e in index.entities if e.type == "person" and lowered <= e.name_words), None)
    if fuller is not None:
        return Source(fuller.name, text, "person", fuller.roles[0] if fuller.roles else None, fuller, "named")
    return Source(text, text, "person" if len(words) <= 3 else "organization", None, None, "named")


def _named(token: Token, entity: Entity, index: EntityIndex) -> Source:
    mention = index.at(token)
    assert mention is not None
    text = token.doc[mention.start : mention.end].text
    role = entity.roles[0] if entity.roles else None
    return Source(entity.name, text, entity.type, role, entity, "named")


def _pronoun(token: Token, index: EntityIndex, types: set[str], gender: str | None) -> Source | None:
    entity = index.salient_before(token.i, types, gender)
    if entity is None:
        return None
    if gender and entity.gender is None:
        entity.gender = gender
    role = entity.roles[0] if entity.roles else None
    return Source(entity.name, token.text, entity.type, role, entity, "pronoun")


def _common_noun(token: Token, index: EntityIndex) -> Source | None:
    lex = sources()
    lemma, phrase = token.lemma_.lower(), role_phrase(token)
    if lemma in lex.evidence or token.lower_ in lex.evidence:
        return _document_author(token, index)
    if lemma in lex.documents or token.lower_ in lex.documents:
        return _document_author(token, index) or Source(phrase, phrase, "unknown", None, None, "document")
    if token.tag_ in ("NNS", "NNPS") and (
        lemma in lex.groups or token.lower_ in lex.groups or lemma in lex.titles
    ):
        return Source(phrase, phrase, "group", None, None, "group")
    if lemma in lex.titles:
        words = {t.lower_ for t in token.subtree if t.dep_ in ("compound", "amod") or t.i == token.i}
        holder = title_holder(token, words, index)
        if holder is not None:
            return Source(holder.name, phrase, "person", phrase, holder, "title")
        return Source(phrase, phrase, "person", phrase, None, "title")
    named = _organisation_named_before(token, index) if lemma in lex.organisations else None
    if named is not None:
        return Source(named.name, phrase, named.type, None, named, "organization")
    if lemma in lex.organisations or token.lower_ in lex.groups:
        return Source(
            phrase,
            phrase,
            "organization" if lemma in lex.organisations else "group",
            None,
            None,
            "organization",
        )
    return None


def _organisation_named_before(token: Token, index: EntityIndex) -> Entity | None:
    """`The agency said`, after "the World Health Organization ... its agency": a bare, definite
    organisation noun is the latest organisation named before whose name ends in the same noun
    ("the ministry" for "the Ministry of Health" or "Health Ministry")."""
    if not is_definite(token) or any(c.dep_ in ("amod", "compound", "prep") for c in token.children):
        return None
    noun = token.lemma_.lower()
    synonyms = {noun, *sources().same_kind_of_body.get(noun, ())}
    before = [
        m.entity for m in reversed(index.mentions) if m.start < token.i and m.entity.type == "organization"
    ]
    holding = next((e for e in before if synonyms & {w.lower() for w in e.name.split()}), None)
    if holding is None and before and noun in target_words().generic_organisations:
        return before[0]  # "Barclays withdrew ... The bank said"
    return holding


def _document_author(token: Token, index: EntityIndex) -> Source | None:
    """`NUM's statement`, `a report by the IMF`, `X read a memorandum that said`: the document speaks
    for its author."""
    owner = owner_of(token)
    if owner is not None:
        return resolve(owner, index)
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")):
        author = next((c for c in prep.children if c.dep_ == "pobj" and index.at(c) is not None), None)
        if author is not None:  # "a flash estimate from Eurostat", "a report by the IMF"
            return resolve(author, index)
    head = token.head
    if token.dep_ in ("dobj", "pobj") and head.lemma_ in cues().author_verbs:
        for child in head.children:
            if child.dep_ == "nsubj":
                return resolve(child, index)
    return None


def owner_of(noun: Token) -> Token | None:
    """Whose a noun is: its possessive ("NUM's statement"), or a noun the parser hung on it with the
    possessive mark ("the US lawmakers' letter", parsed as a modifier)."""
    doc = noun.doc
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        after = doc[child.i + 1] if child.i + 1 < len(doc) else None
        marked = after is not None and after.tag_ == "POS" and after.i < noun.i
        if child.dep_ in ("nmod", "compound") and marked:
            return child
    return None


def _text(token: Token) -> str:
    return token.doc[token.left_edge.i : token.right_edge.i + 1].text
