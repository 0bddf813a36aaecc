"""Who the article talks about: named mentions grouped into entities under their fullest name.

Within one article a surname, a first name alone, or a mis-tagged name ("Trump" tagged as an
organisation) is the same person as the fullest name that contains it; "U.S.", "Washington" (speaking
as a government) and "American" are the United States; an acronym defined in brackets is its long form.
The titles written before a name ("Defence Minister Khawaja Asif") are kept as the person's roles, so a
later "the defence minister" can be resolved to them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from app.nlp.bylines import bylines
from app.nlp.doc_cache import entities_of, sentence_of, text_of, token_table
from app.nlp.lexicon import countries, first_name_genders, sources, target_words
from app.nlp.names import (
    clean_name,
    person_by_apposition,
    person_by_title,
    role_phrase,
    role_words,
    with_given_names,
    without_leading_titles,
)
from app.nlp.syntax import first_conjunct
from app.nlp.types import EntityType

NAMED_LABELS = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "location",
    "LOC": "location",
    "NORP": "group",
}
# Prepositions that make the place a name stands for the scene of an event ("talks in Washington").
PLACE_PREPS = frozenset({"in", "at", "near", "across", "throughout", "inside", "outside", "around", "within"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
COUNTRY_WORDS = 6  # the longest country name in tokens ("Saint Vincent and the Grenadines")
# A sign or code, then a number, then maybe a scale: "r10", "rs 500", "k50 million" (signs in targets.yaml)
AMOUNT = re.compile(r"(\D{1,3}?)\s?\d[\d,.]*\s?(?:k|m|bn|million|billion|trillion)?")


@dataclass
class Entity:
    """One person, organisation, place or group of the article."""

    key: int
    name: str
    type: EntityType
    aliases: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)
    gender: str | None = None  # "f" or "m", learnt from honorifics and resolved pronouns

    @property
    def name_words(self) -> set[str]:
        """Lower-cased words of the canonical name."""
        return {w.lower() for w in self.name.split()}


@dataclass(frozen=True)
class Mention:
    """Where the text names an entity: token range `[start, end)`."""

    start: int
    end: int
    entity: Entity
    salient: bool  # a subject, or in apposition to one: the likely antecedent of a later pronoun
    label: str = ""  # the recogniser's label (GPE, LOC, ORG, PERSON, NORP)
    quoted: bool = False  # inside a quotation


@dataclass
class EntityIndex:
    """The entities of one document and the tokens that mention them."""

    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)
    speakers: list[tuple[int, Entity]] = field(default_factory=list)
    # groups and bodies named by common nouns ("the police"), kept apart: speakers never resolve to them
    common: list[Mention] = field(default_factory=list)
    common_by_token: dict[int, Mention] = field(default_factory=dict)
    common_entities: list[Entity] = field(default_factory=list)
    _by_entity: dict[int, list[Mention]] | None = None  # mentions by entity key, once targets ask

    def at(self, token: Token) -> Mention | None:
        """The mention covering a token, if any."""
        return self.by_token.get(token.i)

    def add(self, mention: Mention) -> None:
        """Record a mention and index its tokens."""
        self._by_entity = None
        self.mentions.append(mention)
        for i in range(mention.start, mention.end):
            self.by_token.setdefault(i, mention)

    def mention_at(self, token: Token) -> Mention | None:
        """The mention covering a token, named or by a common noun ("the police")."""
        return self.mention_covering(token.i)

    def mention_covering(self, i: int) -> Mention | None:
        """`mention_at` by the token's index, for a loop that reads the token table, not Tokens."""
        return self.by_token.get(i) or self.common_by_token.get(i)

    def mentions_of(self, entity: Entity) -> list[Mention]:
        """Every mention of an entity, named or by a common noun (indexed once, when first asked)."""
        if self._by_entity is None:
            self._by_entity = {}
            for mention in (*self.mentions, *self.common):
                self._by_entity.setdefault(mention.entity.key, []).append(mention)
        return self._by_entity.get(entity.key, [])

    def add_common(self, mention: Mention) -> None:
        """Record a common-noun mention of a group or body."""
        self._by_entity = None
        self.common.append(mention)
        for i in range(mention.start, mention.end):
            self.common_by_token.setdefault(i, mention)

    def new_entity(self, name: str, type_: EntityType) -> Entity:
        """Create and keep a new entity."""
        entity = Entity(key=len(self.entities), name=name, type=type_, aliases={name})
        self.entities.append(entity)
        return entity

    def find(self, name: str, type_: EntityType | None = None) -> Entity | None:
        """An entity whose name or alias equals `name` (case-insensitive)."""
        wanted = name.lower()
        for entity in self.entities:
            if (type_ is None or entity.type == type_) and any(a.lower() == wanted for a in entity.aliases):
                return entity
        return None

    def by_role(self, words: set[str], before: int) -> Entity | None:
        """The person most recently mentioned before token `before` whose role has all of `words`.

        When none has them all, the only person whose role ends in the same title word ("party founder"
        for "PTI founder") is taken; two such people make it ambiguous, and nobody is taken."""
        people = [m.entity for m in reversed(self.mentions) if m.start < before and m.entity.type == "person"]
        for entity in people:
            if words and any(words <= set(role_words(role)) for role in entity.roles):
                return entity
        title = next((w for w in sorted(words) if w in sources().titles), None)
        if title is None:
            return None
        named = {a.lower() for e in self.entities if e.type == "organization" for a in e.aliases}
        # "PTI founder" is the "party founder" (a name may stand for its word) and "the incarcerated
        # founder" too (a description is not the title), but "the Kurdish prime minister" is not Iraq's
        # "Prime Minister", nor "the former prime minister" a "Defence Minister": words that tell which
        # title it is (`title_words`, a country) must be in the role
        others = {w for w in words - {title} - named if w in sources().title_words or countries().get(w)}
        holders = {
            e.key: e
            for e in people
            if any(role_words(r)[-1:] == (title,) and others <= set(role_words(r)) for r in e.roles)
        }
        return next(iter(holders.values())) if len(holders) == 1 else None

    def office_holder(self, position: int, reach: int = 150) -> Entity | None:
        """Who "the Prime Minister" at `position` is when no one was introduced with that title: the latest
        salient person named without any title, or else the first such person named within `reach`
        tokens after it (a lead that gives the title before the name)."""
        people = [m for m in self.mentions if m.salient and m.entity.type == "person" and not m.entity.roles]
        before = [m.entity for m in people if m.start < position]
        if before:
            return before[-1]
        return next((m.entity for m in people if position < m.start < position + reach), None)

    def record_speaker(self, position: int, entity: Entity | None) -> None:
        """Remember who spoke at a token: the previous speaker is the likeliest antecedent of "she said"."""
        if entity is not None:
            self.speakers.append((position, entity))

    def salient_before(self, before: int, types: set[str], gender: str | None = None) -> Entity | None:
        """The antecedent of a pronoun at `before`: the latest salient entity of one of `types`.

        With a gendered pronoun, an entity known to be of the other gender is passed over. When the latest
        candidate is of unknown gender it is taken only if it was also the last to speak, or was introduced
        as a subject since the last statement; otherwise an entity known to agree (a woman already called
        "she") wins over a more recent unknown one.
        """
        candidates = [
            m.entity for m in reversed(self.mentions) if m.start < before and m.entity.type in types
        ]
        salient = [
            m.entity
            for m in reversed(self.mentions)
            if m.salient and m.start < before and m.entity.type in types
        ]
        ranked = salient + [e for e in candidates if e not in salient]
        if not ranked:
            return None
        if gender is None:
            return ranked[0]
        compatible = [e for e in ranked if e.gender in (None, gender)]
        agreeing = [e for e in ranked if e.gender == gender]
        earlier = [(p, e) for p, e in self.speakers if p < before]
        last_spoke, last_speaker = max(earlier, key=lambda pe: pe[0]) if earlier else (-1, None)
        if compatible and (
            compatible[0].gender == gender
            or compatible[0] is last_speaker
            or not agreeing
            or self._introduced_after(compatible[0], last_spoke, before)
        ):
            return compatible[0]
        return agreeing[0] if agreeing else None

    def owned_role(self, role: str, before: int) -> str:
        """A role with "its" or "their" replaced by the organisation or country named last before token
        `before`: "Its national officer" after the union is "National Union of Teachers national officer"."""
        first, _, rest = role.partition(" ")
        if first.lower() not in ("its", "their") or not rest:
            return role
        kinds = ("organization", "location")
        owners = [m.entity for m in self.mentions if m.start < before and m.entity.type in kinds]
        return f"{owners[-1].name} {rest}" if owners else rest

    def group_before(self, doc: Doc, before: int, since: int) -> Entity | None:
        """The antecedent of "they" at `before`: the latest group or body named since token `since` (the
        sentence before), a subject first, and the subject of a main clause before that of a relative one
        ("police pursued vendors into the building in which the party has its offices. They ..."); further
        back the pronoun is too uncertain to resolve."""
        near = [
            m
            for m in (*self.mentions, *self.common)
            if since <= m.start < before and m.entity.type in ("group", "organization")
        ]
        subjects = [m for m in near if m.salient] or near
        main = [m for m in subjects if doc[m.start : m.end].root.head.dep_ not in ("relcl", "acl")]
        return max(main or subjects, key=lambda m: m.start).entity if subjects else None

    def _introduced_after(self, entity: Entity, position: int, before: int) -> bool:
        """Whether a person was the subject of a sentence since anyone last spoke, at `position` ("Ira
        Eckstein, of the exchange, is among them. 'I think ...,' he said"; "Asante denied diving. 'I felt
        contact,' he said"): the one the story has turned to."""
        return any(m.entity is entity and m.salient and position < m.start < before for m in self.mentions)


def build_index(doc: Doc, quoted: Sequence[tuple[int, int]] = ()) -> EntityIndex:
    """Group the named mentions of a document into entities; `quoted` character ranges hold quotations,
    whose names are never the antecedent of a pronoun outside them ("'Putin wants war,' he said")."""
    index = EntityIndex()
    named = [
        person_by_title(with_given_names(person_by_apposition(without_leading_titles(e))))
        for e in entities_of(doc)
        if e.label_ in NAMED_LABELS
    ]
    named = _whole_country_names([e for e in named if len(e) and not is_amount(e.text)])
    authors = list(bylines(text_of(doc)))
    named = [e for e in (_after_byline(e, authors) for e in named) if e is not None]
    people = [(name, frozenset(w.lower() for w in name.split())) for name in _person_names(named)]
    for ent in sorted(named, key=lambda e: e.start):
        entity = _entity_for(index, ent, people)
        if entity is not None:
            inside = any(a <= ent.start_char < b for a, b in quoted)
            index.add(Mention(ent.start, ent.end, entity, _salient(ent) and not inside, ent.label_, inside))
            _learn_roles(ent, entity, index)
    _link_acronyms(doc, index)
    _untagged_names(doc, index, quoted)
    _learn_gender_from_possessives(doc, index)
    _places_mistaken_for_names(doc, index)
    return index


def _whole_country_names(named: list[Span]) -> list[Span]:
    """ "Cote d’Ivoire", of which the recogniser tagged "Cote" as a person: a name cut short of a
    country's whole name (`places.yaml`) is that country; a name inside the longer one goes."""
    whole: list[Span] = []
    for ent in named:
        if whole and ent.start < whole[-1].end:
            continue
        if ent.text.lower() in _country_name_starts():
            doc = ent.doc
            for end in range(min(len(doc), ent.start + COUNTRY_WORDS), ent.end, -1):
                if not doc[end - 1].is_punct and doc[ent.start : end].text.lower() in countries():
                    ent = Span(doc, ent.start, end, label="GPE")
                    break
        whole.append(ent)
    return whole


@cache
def _country_name_starts() -> frozenset[str]:
    """The first words of every country's name of several words ("cote", "cote d’ivoire"'s "cote",
    "united", "united arab"): only a name that is one needs a look at the words after it."""
    starts: set[str] = set()
    for name in countries():
        words = name.split()
        starts.update(" ".join(words[:k]) for k in range(1, len(words)))
    return frozenset(starts)


def is_amount(text: str) -> bool:
    """ "R10", "Sh200", "Rs 500", "K50 million": a sum of money the recogniser took for a name."""
    match = AMOUNT.fullmatch(text.lower())
    return match is not None and match.group(1) in target_words().currency_signs


def _places_mistaken_for_names(doc: Doc, index: EntityIndex) -> None:
    """`died in Harare and Bulawayo`, `inside Karsk`: a one-word name the recogniser took for a person or
    an organisation, with no title or gender known, that the article only ever uses to say where
    something is or as ground ("the town of Karsk", "in control of Karsk"), is a place; so is a longer
    name so used, once at least as ground ("in the Mandavu 2 suburb"), a name ending in a settlement noun
    ("Ndolo North province"), and a street's name only ever written after "on", "along" or "in" ("Mill
    Lane"; not "Tamsin Lane said")."""
    streets = target_words().thoroughfares
    settlements = target_words().settlements
    by_entity: dict[int, list[Mention]] = {}
    for mention in index.mentions:
        by_entity.setdefault(mention.entity.key, []).append(mention)
    for entity in index.entities:
        if entity.type not in ("person", "organization") or entity.roles or entity.gender:
            continue  # a title or a given name says it is someone ("Kirsty Lane")
        words = entity.name.split()
        mentions = by_entity.get(entity.key)
        if not mentions:
            continue
        roots = [doc[m.start : m.end].root for m in mentions]
        if len(words) > 1 and words[-1].lower() in settlements:  # "Ndolo North province"
            entity.type = "location"
        elif len(words) > 1 and words[-1].lower() in streets:
            if all(_on_a_street(root) for root in roots):
                entity.type = "location"
        elif all(_locates_or_ground(root) for root in roots):
            if len(words) == 1 or any(named_as_ground(root) for root in roots):  # "Mandavu 2 suburb"
                entity.type = "location"


STREET_PREPS = frozenset(
    {"on", "along", "in", "near", "down", "up", "across", "off", "into", "past", "beside"}
)


def _on_a_street(token: Token) -> bool:
    """`walking on Mill Lane`, `along Mill Lane`: a street's name after a preposition of place; "Tamsin
    Lane said" or "a letter from Tamsin Lane" is someone."""
    token = first_conjunct(token)
    return token.dep_ == "pobj" and token.head.lower_ in STREET_PREPS


def _locates_or_ground(token: Token) -> bool:
    """A place use ("in", "inside", "flew to", "in the middle of"), but not "at", which also names where
    people work ("staff at Barclays"); or a name only ground can be ("the town of", "control of")."""
    return is_place_use(token) and first_conjunct(token).head.lower_ != "at" or named_as_ground(token)


def _after_byline(ent: Span, authors: list[tuple[int, int]]) -> Span | None:
    """A name outside the byline lines, or its part after one ("By Karen Delgado\n\nMaria Lopez" tagged as
    one name is Maria Lopez); None for a byline's own name."""
    for start, end in authors:
        if start <= ent.start_char < end:
            rest = [t for t in ent if t.idx >= end and not t.is_space]
            return Span(ent.doc, rest[0].i, ent.end, label=ent.label_) if rest else None
    return ent


def _untagged_names(doc: Doc, index: EntityIndex, quoted: Sequence[tuple[int, int]]) -> None:
    """`Ortega said Asante would be rested`, with "Asante" not tagged: a capitalised word the recogniser
    left out that is a word of a person's name in the article (or the first word of an organisation's)
    names that entity."""
    words: dict[str, Entity] = {}
    for entity in index.entities:
        parts = entity.name.split()
        if entity.type == "person" and len(parts) >= 2:
            for part in (parts[0], parts[-1]):
                words.setdefault(part, entity)
        elif entity.type == "organization" and len(parts) >= 2:
            words.setdefault(parts[0], entity)
    named_with = Counter(w for e in index.entities for w in set(e.name.split()))  # entities with each word
    ambiguous = {w for w in words if named_with[w] > 1}
    lowered = {w.lower() for w in words}  # to pass over the other words by the token table, at once
    for i, lower in enumerate(token_table(doc).lower):
        if lower not in lowered:
            continue
        token = doc[i]
        found = words.get(token.text)
        if found is None or token.text in ambiguous or token.pos_ != "PROPN" or index.at(token) is not None:
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN" and not doc[token.i + 1].is_punct:
            continue  # part of a longer name the recogniser missed
        inside = any(a <= token.idx < b for a, b in quoted)
        salient = token.dep_ in SUBJECT_DEPS and not inside
        mention = Mention(token.i, token.i + 1, found, salient, "PROPN", inside)
        index.add(mention)
    index.mentions.sort(key=lambda m: m.start)  # in text order, as the recogniser's were


def _learn_gender_from_possessives(doc: Doc, index: EntityIndex) -> None:
    """`Kugelman ... had opined in his article`: a possessive after a person subject in one sentence."""
    table = token_table(doc)
    for i, lower in enumerate(table.lower):
        gender = {"his": "m", "her": "f"}.get(lower) if table.dep[i] == "poss" else None
        if gender is None:
            continue
        token = doc[i]
        sentence_start = sentence_of(token).start
        for mention in reversed(index.mentions):
            if (
                sentence_start <= mention.start < token.i
                and mention.salient
                and mention.entity.type == "person"
            ):
                mention.entity.gender = mention.entity.gender or gender
                break


def _person_names(named: list[Span]) -> list[str]:
    """Full person names, longest first, that shorter mentions are matched against.

    A two- or three-word name tagged as a place or organisation is a person's when it starts with a
    known given name or ends with a surname tagged as a person elsewhere ("Aleksandr Kovac" ... "Kovac's
    injury")."""
    names = {clean_name(e)[0] for e in named if e.label_ == "PERSON"}
    surnames = {n.lower() for n in names if len(n.split()) == 1}
    for ent in named:
        words = clean_name(ent)[0].split()
        if ent.label_ == "PERSON" or not 2 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
            continue
        if countries().get(" ".join(words).lower()) is None and (
            words[-1].lower() in surnames or words[0].lower() in first_name_genders()
        ):
            names.add(" ".join(words))
    return sorted((n for n in names if n), key=lambda n: -len(n.split()))


def _entity_for(index: EntityIndex, ent: Span, people: list[tuple[str, frozenset[str]]]) -> Entity | None:
    """The entity a mention names; `people` are the full person names, longest first, with their
    lower-cased words."""
    name, gender = clean_name(ent)
    if not name:
        return None
    words = {w.lower() for w in name.split()}
    fullest = next((p for p, p_words in people if words <= p_words), None)
    country = countries().get(name.lower())
    plural = ent.root.tag_ in ("NNS", "NNPS") and ent.root.dep_ not in ("amod", "compound")
    if ent.label_ == "NORP" and plural:  # "the Palestinians", "Kenyans": a people, not the state
        entity = index.find(name, "group") or index.new_entity(name, "group")
    elif (
        (ent.label_ in ("GPE", "NORP", "LOC", "ORG") or ent.label_ == "PERSON" and name == country_name(name))
        and country is not None
        and not _is_place_visited(ent, name)
    ):
        entity = index.find(country.name) or index.new_entity(country.name, "location")
    elif fullest is not None and (ent.label_ == "PERSON" or country is None):
        entity = index.find(fullest, "person") or index.new_entity(fullest, "person")
    elif ent.label_ == "NORP":
        return None
    else:
        entity = (
            index.find(name)
            or _shortened_organisation(index, name, ent.label_)
            or index.new_entity(name, NAMED_LABELS[ent.label_])  # type: ignore[arg-type]
        )
    entity.aliases.add(name)
    entity.gender = entity.gender or gender
    if entity.type == "person" and entity.gender is None:
        entity.gender = first_name_genders().get(entity.name.split()[0].lower())
    return entity


def country_name(name: str) -> str | None:
    """The name as written when it is a country's name or alias ("Benin"), not a demonym or capital."""
    country = countries().get(name.lower())
    if country is None or name.lower() not in {a.lower() for a in (country.name, *country.aliases)}:
        return None
    return name


def _shortened_organisation(index: EntityIndex, name: str, label: str) -> Entity | None:
    """`Northwind` after `Northwind Energy`: the first words of an organisation named before are that
    organisation (the recogniser may tag the short form as a person or a place)."""
    if label not in ("ORG", "PERSON", "GPE") or not name[:1].isupper():
        return None
    words = name.lower().split()
    for entity in reversed(index.entities):
        full = entity.name.lower().split()
        if entity.type == "organization" and len(full) > len(words) and full[: len(words)] == words:
            return entity
    return None


def _is_place_visited(ent: Span, name: str) -> bool:
    """A capital named as the place where something happens ("in Islamabad"), not as its government."""
    country = countries()[name.lower()]
    is_capital = name in country.capitals
    return is_capital and is_place_use(ent.root)


def is_place_use(token: Token) -> bool:
    """Whether a place name is the scene of an event ("in Islamabad", "flew to Beijing"), not an actor;
    so is a name that stands for a place noun used so ("in the capital, Lusaka", "in the town of Karsk",
    "in Karsk's suburbs", "Karsk district")."""
    words = target_words()
    for _ in range(4):  # up through a few place nouns at most
        token = first_conjunct(token)  # "in Mabvuku and Tafara"
        if token.dep_ == "appos":  # "in the capital, Lusaka", "in Lumane (Ndolo province)"
            token = first_conjunct(token.head)
        if token.dep_ in ("compound", "poss", "nmod") and _is_place_noun(token.head):
            token = token.head
            continue
        if token.dep_ != "pobj":
            return False
        prep = token.head
        if prep.lower_ in PLACE_PREPS:
            return True
        if prep.lower_ == "of":  # "in the middle of the town"; "in the town of Karsk" as "in the town"
            noun = prep.head.lemma_.lower()
            if noun in words.settlements:
                token = prep.head
                continue
            return noun in words.locative_nouns
        return prep.lower_ in ("to", "from") and prep.head.lemma_.lower() in words.motion_verbs
    return False


def named_as_ground(token: Token, country: bool = False) -> bool:
    """`the town of Karsk`, `in control of Karsk`, `Karsk district`: a name that a settlement noun or a noun
    of holding ground governs, or that names a settlement, which only a place can be. A `country` held
    is a state all the same ("the invasion of Ukraine")."""
    token = first_conjunct(token)
    words = target_words()
    if token.dep_ in ("compound", "nmod"):
        return token.head.lemma_.lower() in words.settlements
    if token.dep_ != "pobj" or token.head.lower_ != "of":
        return False
    noun = token.head.head.lemma_.lower()
    return noun in words.settlements or noun in words.territory_nouns and not country


def _is_place_noun(token: Token) -> bool:
    words = target_words()
    lemma = token.lemma_.lower()
    return lemma in words.settlements or lemma in words.locative_nouns


def _salient(ent: Span) -> bool:
    root = ent.root
    if root.dep_ in SUBJECT_DEPS:
        return True
    return root.dep_ == "appos" and root.head.dep_ in SUBJECT_DEPS


def _learn_roles(ent: Span, entity: Entity, index: EntityIndex) -> None:
    """Titles written before the name ("Foreign Office Spokesperson Mumtaz Zahra Baloch") or beside it;
    "Its national officer" after the union is named is the union's ("National Union of Teachers national
    officer")."""
    if entity.type != "person":
        return
    root, doc = ent.root, ent.doc

    def _add_role(entity: Entity, role: str) -> None:
        _add_role_to(entity, index.owned_role(role, ent.start))

    heads = token_table(doc).head
    left = [doc[i] for i in range(max(ent.start - 8, 0), ent.start) if ent.start <= heads[i] < ent.end]
    left = [t for t in left if t.dep_ in ("compound", "amod", "nmod")]
    if left:
        start = min(t.left_edge.i for t in left)
        role = doc[start : ent.start].text.strip(" ,")
        _add_role(entity, role)
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        _add_role(entity, role_phrase(root.head))
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            _add_role(entity, role_phrase(child))


def _add_role_to(entity: Entity, role: str) -> None:
    if role and role.lower() not in {r.lower() for r in entity.roles} and len(role.split()) <= 12:
        entity.roles.append(role)


def _link_acronyms(doc: Doc, index: EntityIndex) -> None:
    """`National Union of Mineworkers (NUM)`: the acronym names the same organisation."""
    for mention in list(index.mentions):
        end = mention.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            acronym = doc[end + 1].text
            if acronym.isupper() and len(acronym) >= 2:
                mention.entity.aliases.add(acronym)
                _merge_alias_entities(index, mention.entity, acronym)


def _merge_alias_entities(index: EntityIndex, keep: Entity, alias: str) -> None:
    for i, mention in enumerate(index.mentions):
        other = mention.entity
        if other is not keep and alias.lower() in {a.lower() for a in other.aliases}:
            keep.aliases |= other.aliases
            index.mentions[i] = Mention(
                mention.start, mention.end, keep, mention.salient, mention.label, mention.quoted
            )
            for t in range(mention.start, mention.end):
                index.by_token[t] = index.mentions[i]
