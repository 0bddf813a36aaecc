"""What the target model reads about one candidate (`target_candidates.py`): named 0/1 features.

The questions "Targets, precisely" in the spec asks, put to the parse: is the name a place that only
locates ("in the capital", "along the border between ..."), a modifier of another name ("the U.S.
company"), part of a title, counted ("15 families", "hundreds of villagers"), a description of another
group, the speaker or its side ("our members", officials about their own government), someone who
speaks inside the statement, or an actor the statement is about (a subject, an object, whoever a
request is made of)? The model (`models/targets.json`) weighs the answers; nothing here decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from spacy.tokens import Doc, Token

from app.nlp.cues import cue_lemma as cue_lemma_of
from app.nlp.entities import PLACE_PREPS, Entity, EntityIndex, is_place_use, named_as_ground
from app.nlp.groups import is_people_noun
from app.nlp.lexicon import countries, pronouns, sources, target_words
from app.nlp.sources import Source
from app.nlp.syntax import first_conjunct
from app.nlp.target_candidates import Candidate

_SALIENCE = "claim_salience"  # Doc.user_data: the salience features of each entity, computed once
COUNT_DEPS = frozenset({"nummod", "quantmod"})


@dataclass(frozen=True)
class ClaimContext:
    """What the features need to know of the claim a candidate is in."""

    content: list[Token]
    cue: Token | None
    lemma: str
    source: Source
    own_side: frozenset[int]  # entity keys of the speaker and the side it speaks for
    governmental: bool  # the speaker speaks for a government (a minister, the Foreign Office's spokesperson)
    speaker_tokens: frozenset[int] = frozenset()  # content tokens naming the speaker or its side

    @cached_property
    def positions(self) -> frozenset[int]:
        """The content's token indices (once per claim: every candidate asks)."""
        return frozenset(t.i for t in self.content)


def target_features(candidate: Candidate, claim: ClaimContext, index: EntityIndex) -> dict[str, float]:
    """The features of one candidate in one claim."""
    root, entity = candidate.head, candidate.entity
    features: dict[str, float] = {"bias": 1.0}

    def on(name: str) -> None:
        features[name] = 1.0

    on(f"kind:{candidate.kind}")
    on(f"type:{entity.type}")
    if candidate.mention is not None and candidate.mention.label:
        on(f"label:{candidate.mention.label}")
    role = first_conjunct(root)
    on(f"dep:{_dep_class(role)}")
    if role is not root:
        on("conjunct")
    _place(features, candidate, root)
    _modifier(features, root, index)
    _count(features, root)
    _side(features, candidate, claim)
    _role(features, candidate, claim, root)
    _salience(features, candidate, index)
    if candidate.mention is not None and candidate.mention.quoted:
        on("quoted")
    return features


def _dep_class(token: Token) -> str:
    dep = token.dep_
    if dep in ("nsubj", "nsubjpass", "csubj", "expl"):
        return "subj"
    if dep in ("dobj", "dative", "oprd"):
        return "obj"
    if dep in ("compound", "amod", "nmod", "npadvmod"):
        return "mod"
    if dep in ("poss", "pobj", "appos", "conj", "attr", "ROOT"):
        return dep
    return "other"


def _place(features: dict[str, float], candidate: Candidate, root: Token) -> None:
    """A place named to locate or direct something ("in the capital", "along the border between Togo
    and Benin", "flew to Nairobi"): only a place can be one; "faith in the police" stays."""
    entity = candidate.entity
    # "in Lumane (Ndolo North province)": a province or a county is a body too ("the province said")
    place = entity.type == "location" or candidate.head.lemma_.lower() in target_words().settlements
    if root.dep_ == "pobj":
        prep = root.head.lower_
        features[f"prep:{prep if prep in _COMMON_PREPS else 'other'}"] = 1.0
        if prep in PLACE_PREPS:
            features["place_prep"] = 1.0
        if place and prep in ("to", "from") and root.head.head.lemma_.lower() in target_words().motion_verbs:
            features["motion"] = 1.0
        if place and prep == "between" and root.head.head.lemma_.lower() in target_words().boundaries:
            features["border"] = 1.0  # "along the border between Togo and Benin"
    if place and _used_as_place(candidate, root):
        features["place_use"] = 1.0
    tokens = candidate.tokens
    text = " ".join(t.text for t in tokens).lower()
    if text in target_words().regions or text.removeprefix("the ") in target_words().regions:
        features["region"] = 1.0
    if entity.type == "organization" and entity.name.split()[-1].lower() in target_words().venues:
        features["venue"] = 1.0
    if entity.type == "location":
        features["country" if countries().get(entity.name.lower()) else "not_country"] = 1.0
    if entity.type == "person" and candidate.kind == "named" and not entity.roles and len(tokens) == 1:
        features["bare_one_word_person"] = 1.0


def _used_as_place(candidate: Candidate, root: Token) -> bool:
    """A place that only locates: "in Lusaka" (`entities.is_place_use`), "in Lumane (Ndolo North
    province)", ground ("in control of Karsk", "Karsk district"; a country held is a state), or a place
    in a venue's name ("St. Agnes's clinic", "Karsk market")."""
    in_venue_name = root.dep_ in ("compound", "poss") and root.head.lemma_.lower() in target_words().venues
    return (
        is_place_use(root)
        or _bracketed_gloss(candidate)
        or named_as_ground(root, country=countries().get(candidate.entity.name.lower()) is not None)
        or in_venue_name
    )


def _bracketed_gloss(candidate: Candidate) -> bool:
    """`a clinic in Lumane (Ndolo North province)`: a settlement's name in brackets only glosses
    where the place before it is."""
    doc = candidate.head.doc
    before = candidate.start - 1
    return (
        candidate.head.lemma_.lower() in target_words().settlements
        and before > 0
        and doc[before].text == "("
        and doc[before - 1].ent_type_ in ("GPE", "LOC", "FAC")
    )


_COMMON_PREPS = frozenset(
    {"in", "at", "of", "for", "to", "from", "with", "by", "on", "against", "between", "about", "over", "into"}
)


def _modifier(features: dict[str, float], root: Token, index: EntityIndex) -> None:
    """A name that modifies another word: of an organisation ("the U.S. company"), of a person, inside a
    title ("PTI founder"), of an institution ("the US administration"), of a people noun, or of a
    thing ("the U.S. economy": a topic, not an actor)."""
    if root.dep_ not in ("compound", "amod", "nmod", "poss"):
        return
    head = root.head
    lemma = head.lemma_.lower()
    before = len(features)
    holder = index.at(head)
    if holder is not None and holder.entity.type == "person":
        features["mod_of_person"] = 1.0
    if lemma in sources().titles:
        features["mod_of_title"] = 1.0
    if lemma in target_words().venues or lemma in target_words().media:
        features["mod_of_venue"] = 1.0  # "Fox television", "Hermon Road"
    if lemma in target_words().institutions:
        features["mod_of_institution"] = 1.0
    elif lemma in sources().organisations:
        features["mod_of_organisation"] = 1.0
    if is_people_noun(head):
        features["mod_of_people"] = 1.0
    if lemma in target_words().acts or lemma in sources().documents:
        features[f"{root.dep_ == 'poss' and 'owner' or 'mod'}_of_act"] = 1.0
    elif head.pos_ == "NOUN" and len(features) == before and index.at(head) is None:
        features["mod_of_thing"] = 1.0  # "the U.S. economy", "China's Internet market": a topic


def _count(features: dict[str, float], root: Token) -> None:
    """`15 families`, `hundreds of villagers`, `most of the displaced`, `three more deaths`."""
    lex = target_words()
    people = is_people_noun(root)
    if any(c.dep_ in COUNT_DEPS for c in root.children):
        features["counted"] = 1.0
        if people and not any(c.dep_ in ("amod", "compound") for c in root.children):
            features["counted_bare"] = 1.0  # "40 families", but not "two armed rebel groups"
    if root.lower_ in lex.members:
        of = [c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"]
        if any(o.dep_ == "pobj" and o.ent_type_ == "ORG" for p in of for o in p.children):
            features["members_of_named"] = 1.0  # "leaders of the European Union": the Union is the target
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        owner = root.head.head
        if owner.like_num or owner.lower_ in lex.quantities or owner.lower_ in lex.vague_groups:
            features["counted"] = 1.0
    if any(
        c.lower_ in ("other", "some", "many", "most", "several") for c in root.children if c.dep_ == "amod"
    ):
        features["quantified"] = 1.0


def _side(features: dict[str, float], candidate: Candidate, claim: ClaimContext) -> None:
    """The speaker's side, and groups whose words are the speaker's own."""
    entity, source, head = candidate.entity, claim.source, candidate.head
    children = list(head.children)  # read four times below: spaCy makes them anew at each reading
    owners = {c.lower_ for c in children if c.dep_ == "poss"}
    lex = target_words()
    foreign = any(c.dep_ == "poss" and c.pos_ != "PRON" or c.ent_type_ for c in children)
    forms = {head.lemma_.lower(), head.lower_}  # the lexicon lists "forces" and "troops" as written
    government = bool(forms & lex.own_government)  # "the government", "the president"
    institution = government or bool(forms & lex.institutions)
    # "the government forces" or "the national army" in a minister's words: the government's own
    named_government = any(
        c.dep_ in ("compound", "amod")
        and (c.lower_ == "government" or c.lower_ == "national" and bool(forms & lex.armed_forces))
        for c in children
    )
    # "our government", "Mr. Banda's party" in Banda's words
    owned = owners & pronouns().first_person or any(
        c.dep_ == "poss" and c.i in claim.speaker_tokens for c in children
    )
    if (
        entity.key in claim.own_side
        or (government or named_government and institution)
        and claim.governmental
        and not foreign
        or owned
        and (institution or bool(forms & lex.organisation_nouns))
    ):
        features["own_side"] = 1.0  # "the government" in a minister's words, "our government"
    mention = "" if source.mention.lower() in pronouns().standing_for_a_name else source.mention
    speaker_words = _stems(f"{source.name} {source.role or ''} {mention}")
    name_words = _stems(entity.name)
    own_words = _stems(source.name)
    if (
        name_words <= speaker_words
        or _stem(candidate.head.text) in speaker_words
        or (entity.type != "person" and own_words and own_words <= name_words)
    ):
        features["shares_speaker_words"] = 1.0  # "rebels" for a rebel spokesman
    if owners & pronouns().first_person:
        features["ours"] = 1.0
    elif owners & pronouns().third_possessive:
        features["theirs"] = 1.0  # "his delivery drivers": often the speaker's own
    if claim.governmental and name_words & _institution_stems():
        features["governmental_speaker_institution"] = 1.0  # officials on "government troops"
    features[f"speaker_type:{source.type}"] = 1.0


@cache
def _institution_stems() -> frozenset[str]:
    """The institutions' words as `_stem` writes them (made once, not for every candidate)."""
    return frozenset(_stem(w) for w in target_words().institutions)


def _stems(text: str) -> set[str]:
    """The stems of the text's words (`_stem`)."""
    return {_stem(w) for w in text.split()}


@lru_cache(maxsize=65536)  # pure, and asked for the same few names again and again
def _stem(word: str) -> str:
    """A word without case, possessive and plural ending: "Rebels'" and "rebel" compare equal."""
    word = word.lower().strip(".,'\u2019").removesuffix("'s").removesuffix("\u2019s")
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _role(features: dict[str, float], candidate: Candidate, claim: ClaimContext, root: Token) -> None:
    """The candidate's part in the statement: its subject, the cue's object, a speaker inside it."""
    cue = claim.cue
    if cue is not None and (root.head.i == cue.i or root.head.head.i == cue.i and root.head.dep_ == "prep"):
        features["of_cue"] = 1.0
    head = root.head
    if root.dep_ in ("nsubj", "nsubjpass") and cue_lemma_of(head) is not None:
        # "residents complained that ...": a source inside the statement, not what it is about
        if any(c.dep_ in ("ccomp", "xcomp") for c in head.children) or head.lemma_.lower() in ("say", "tell"):
            features["speaks_inside"] = 1.0
    role = first_conjunct(root)
    describing = (
        role.dep_ == "attr"
        or role.dep_ == "appos"
        and role.head.dep_ in ("nsubj", "nsubjpass")
        or role.dep_ == "pobj"
        and role.head.lower_ == "as"  # "we are here as parents", "treated them as criminals"
    )
    if describing and candidate.kind == "common":
        features["describes"] = 1.0  # "most of the displaced are women and children"
    elif candidate.kind in ("title", "office") and role.dep_ == "pobj" and role.head.lower_ == "as":
        features["describes"] = 1.0  # "recognised Vidal as acting president": a title given, not a holder
    depth = sum(1 for a in root.ancestors if a.i in claim.positions)
    features[f"depth:{min(depth, 4)}"] = 1.0


def _salience(features: dict[str, float], candidate: Candidate, index: EntityIndex) -> None:
    """How much the article is about the entity: its mentions, and whether it ever speaks."""
    entity = candidate.entity
    known = candidate.head.doc.user_data.setdefault(_SALIENCE, {})
    if id(entity) not in known:  # once per entity: a long article has many claims and many mentions
        known[id(entity)] = _entity_salience(entity, index, candidate.head.doc)
    features.update(known[id(entity)])


def _entity_salience(entity: Entity, index: EntityIndex, doc: Doc) -> dict[str, float]:
    features: dict[str, float] = {}
    mentions = index.mentions_of(entity)
    features[f"mentions:{min(len(mentions), 3)}"] = 1.0
    if any(e is entity for _, e in index.speakers):
        features["speaks_in_article"] = 1.0
    if not any(m.salient for m in mentions):
        features[f"never_subject:{entity.type}"] = 1.0
    placed = sum(1 for m in mentions if _placed(doc[m.start : m.end].root))
    if mentions and placed * 2 >= len(mentions):
        features[f"mostly_placed:{entity.type}"] = 1.0  # "in Karsk", "along Mill Lane"
    return features


def _placed(token: Token) -> bool:
    """A name used as a place: a place use (`entities.is_place_use`), after "to" or "from" whatever the
    verb, or in a road's or school's name ("of the school", "Mill Road")."""
    if is_place_use(token):
        return True
    token = first_conjunct(token)
    if token.dep_ == "pobj" and token.head.lower_ in ("to", "from", "of"):
        return token.head.lower_ != "of" or token.head.head.lemma_.lower() in target_words().venues
    return token.dep_ in ("compound", "nmod") and token.head.lemma_.lower() in target_words().venues
