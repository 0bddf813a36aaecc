"""Groups and bodies an article names with common nouns: "the police", "street vendors", "the Zimbabwean
government", "the bank" (Barclays, named before), "the union" (the National Union of Teachers).

Named entities are not the only things a statement is about: "They threatened bystanders" is about the
police named a sentence earlier, and "the government is telling lies" about a government the article may
never name. Each such phrase becomes a mention of an entity in the article's index, kept apart from the
named mentions (speakers are resolved from those), so that targets and plural pronouns can find them:
- a people noun ("residents", "striking nurses", "the police") is a group, named by its head and the
  modifiers that say which ("street vendors", "high ranking military officials"), not by a count or
  "other"; phrases with the same head whose words are contained in a fuller one are one group;
- an institution ("government", "army", "police") with a country before it ("the Zimbabwean
  government", "Chad's army") is that country's institution, under that name;
- a definite organisation noun with no name of its own ("the bank", "the union", "the department") is
  the latest organisation named before whose name holds that noun, or, for a generic noun ("the
  company", "the bank"), the latest organisation named before.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from spacy.tokens import Doc, Token

from app.nlp.doc_cache import token_table
from app.nlp.entities import Entity, EntityIndex, Mention
from app.nlp.lexicon import countries, target_words
from app.nlp.types import EntityType

MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def add_common_nouns(doc: Doc, index: EntityIndex, quoted: Sequence[tuple[int, int]] = ()) -> None:
    """Record the groups and bodies the document names with common nouns (`index.common`)."""
    words, table = _head_words(), token_table(doc)
    for i, (lower, lemma) in enumerate(zip(table.lower, table.lemma, strict=True)):
        if lower not in words and lemma not in words:
            continue
        token = doc[i]
        if index.at(token) is not None or token.i in index.common_by_token or _modifies_a_noun(token):
            continue  # "government troops": the troops are the group, not the government
        inside = any(a <= token.idx < b for a, b in quoted)
        salient = token.dep_ in SUBJECT_DEPS or token.dep_ == "appos" and token.head.dep_ in SUBJECT_DEPS
        for start, entity in _each_country(token, index) or [
            f for f in [_group(token, index) or _organisation(token, index)] if f
        ]:
            index.add_common(Mention(start, token.i + 1, entity, salient and not inside, "NOUN", inside))


@cache
def _head_words() -> frozenset[str]:
    """Every word that can head a group's or a body's phrase, to pass over the others at once."""
    lex = target_words()
    return (
        lex.people
        | {w[:-1] for w in lex.people}
        | lex.people_adjectives
        | lex.institutions
        | lex.organisation_nouns
    )


def _modifies_a_noun(token: Token) -> bool:
    """A noun inside another's name ("government troops"), unless it names who acted ("police action")."""
    return token.dep_ == "compound" and token.head.lemma_.lower() not in target_words().acts


def is_people_noun(token: Token) -> bool:
    """A noun naming people: a plural of the people lexicon, a collective ("police", "staff"), "people"
    when a clause says which ("people displaced by the fighting"), or an adjective standing for people
    ("the displaced", "the hungry")."""
    lex = target_words()
    lower, lemma = token.lower_, token.lemma_.lower()
    if token.ent_type_ in ("PERSON", "GPE", "ORG", "NORP", "LOC"):
        return False
    if token.pos_ in ("ADJ", "VERB") and lower in lex.people_adjectives:
        return _definite(token) and token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj")
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    if lower == "people":
        return any(c.dep_ in ("acl", "relcl") for c in token.children)
    if lower in lex.vague_groups:
        return False
    plural = token.tag_ in ("NNS", "NNPS")
    return (plural and (lower in lex.people or lemma + "s" in lex.people)) or (
        not plural and lower in lex.people and not lower.endswith("s")
    )


def group_modifiers(token: Token, absorb_places: bool) -> list[Token]:
    """The words before a head that say which group or body it is ("street" vendors, "Zimbabwean"
    government), without counts, determiners and loose words ("other", "such")."""
    loose = target_words().loose_modifiers
    kept = []
    for child in token.lefts:
        if child.dep_ == "poss" and absorb_places and _country(child) is not None:
            kept.append(child)
        elif child.dep_ in MODIFIER_DEPS and child.lower_ not in loose and not child.like_num:
            if child.ent_type_ in ("GPE", "NORP", "LOC") and not absorb_places:
                continue
            kept.append(child)
    # only a contiguous run before the head belongs to the name
    run: list[Token] = []
    for child in sorted(kept, key=lambda t: t.i, reverse=True):
        edge = run[-1].left_edge.i if run else token.i
        if child.right_edge.i + 1 + (1 if child.dep_ == "poss" else 0) >= edge:
            run.append(child)
    return sorted(run, key=lambda t: t.i)


def phrase_name(doc: Doc, start: int, head: Token) -> str:
    """The words from `start` to the head, as written."""
    return doc[start : head.i + 1].text.strip(" ,")


def _group(token: Token, index: EntityIndex) -> tuple[int, Entity] | None:
    if not is_people_noun(token):
        return None
    modifiers = group_modifiers(token, absorb_places=True)  # "Chinese Internet users", "US lawmakers"
    start = min((m.left_edge.i for m in modifiers), default=token.i)
    name = phrase_name(token.doc, start, token)
    return start, _entity(index, name, token, "group")


def _organisation(token: Token, index: EntityIndex) -> tuple[int, Entity] | None:
    lex = target_words()
    lemma = token.lemma_.lower()
    if token.pos_ not in ("NOUN", "PROPN") or token.ent_type_:
        return None
    bare = not any(c.dep_ in ("compound", "amod", "poss") for c in token.lefts)
    if not (lemma in lex.organisation_nouns and _definite(token)):
        named = None
    elif bare or all(_country(c) for c in token.lefts if c.dep_ in ("compound", "amod")):
        named = _named_before(token, index, lemma)  # "the bank", "the U.S. company"
    else:
        named = None
    if named is not None:
        return token.i, named
    if lemma in lex.institutions:
        modifiers = group_modifiers(token, absorb_places=True)
        start = min((m.left_edge.i for m in modifiers), default=token.i)
        return start, _entity(index, phrase_name(token.doc, start, token), token, "organization")
    return None


def _each_country(token: Token, index: EntityIndex) -> list[tuple[int, Entity]]:
    """`the Russian and Chinese governments`: an institution of each country, each under its own name."""
    if token.lemma_.lower() not in target_words().institutions or token.tag_ != "NNS":
        return []
    first = next((c for c in token.lefts if c.dep_ in ("amod", "compound") and _country(c)), None)
    if first is None:
        return []
    countries_named = [first, *(c for c in first.conjuncts if _country(c))]
    if len(countries_named) < 2:
        return []
    head = token.lemma_.lower()
    return [(c.i, _entity(index, f"{c.text} {head}", token, "organization")) for c in countries_named]


def _definite(token: Token) -> bool:
    """`the union`, `this council`, or a capitalised `Council` written as a name."""
    if token.pos_ == "PROPN" and not any(c.dep_ == "det" for c in token.children):
        return True
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)


def _named_before(token: Token, index: EntityIndex, noun: str) -> Entity | None:
    """The organisation a definite noun stands for: the latest named before that holds the noun in its
    name ("the union"), or for a generic noun, the latest organisation named ("the bank")."""
    before = [
        m.entity for m in reversed(index.mentions) if m.start < token.i and m.entity.type == "organization"
    ]
    holding = next((e for e in before if noun in {w.lower() for w in e.name.split()}), None)
    if holding is not None:
        return holding
    return before[0] if before and noun in target_words().generic_organisations else None


def _country(token: Token) -> str | None:
    country = countries().get(token.text.lower().removesuffix("'s").removesuffix("\u2019s"))
    return country.name if country is not None else None


def _entity(index: EntityIndex, name: str, head: Token, type_: EntityType) -> Entity:
    """The group of that name: one with the same head whose words hold, or are held by, these ones is
    the same group, under the fuller name."""
    words = {w.lower() for w in name.split()}
    head_word = head.lower_
    owned = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children)
    for entity in [] if owned else index.common_entities:  # "our forces" are not "government forces"
        if entity.type != type_ or entity.name.split()[-1].lower() != head_word:
            continue
        if words <= entity.name_words or entity.name_words <= words:
            if len(words) > len(entity.name_words):
                entity.name = name
            entity.aliases.add(name)
            return entity
    entity = index.new_entity(name, type_)
    index.common_entities.append(entity)
    return entity
