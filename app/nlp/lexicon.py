"""Lexicons loaded from the YAML files beside this module: rules read data, so a linguist can extend them.

Where a word list lives: vocabulary, the open classes a linguist extends (verbs, nouns, adjectives,
names, places, valences), and any list more than one module reads (pronouns) is data, in
`lexicons/*.yaml`, each list once, read through this module. A small closed set of function words that
is part of one rule's grammar (the prepositions that locate, question words, number words, weekdays)
stays beside that rule, as do the parser's own labels (dependency relations, parts of speech).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


class _WordsLoader(yaml.SafeLoader):
    """YAML without booleans: YAML 1.1 reads a bare `no`, `yes`, `on` or `off` as true or false, and a
    word list would silently lose the word ("no" as a negation)."""


_WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_lexicon(name: str) -> Any:
    """A lexicon file of `lexicons/`, every bare word a string."""
    text = resources.files("app.nlp").joinpath(f"lexicons/{name}").read_text("utf-8")
    return yaml.load(text, Loader=_WordsLoader)  # a SafeLoader: no arbitrary objects


def _inflections(lemma: str) -> set[str]:
    """Regular English verb forms of `lemma` (say -> says, said is irregular and listed as data)."""
    forms = {lemma, lemma + "s", lemma + "ing", lemma + "ed"}
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms.add(lemma + "es")
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    return forms


@dataclass(frozen=True)
class CueLexicon:
    """Reporting verbs by inflected form, their speech act, and which take a plain object as content."""

    form_to_lemma: dict[str, str]
    speech_act: dict[str, str]
    phrases: dict[str, frozenset[str]]
    object_lemmas: frozenset[str]
    standalone: frozenset[str]
    naming: frozenset[str]
    document_verbs: frozenset[str]
    prepositional: tuple[tuple[str, ...], ...]
    occasion_verbs: frozenset[str]
    human_speech_verbs: frozenset[str]
    author_verbs: frozenset[str]

    def lemma_of(self, word: str) -> str | None:
        """The cue lemma a word form belongs to, if it is a reporting verb."""
        return self.form_to_lemma.get(word.lower())

    def __len__(self) -> int:
        return len(self.speech_act) + sum(len(p) for p in self.phrases.values()) + len(self.prepositional)


@cache
def cues() -> CueLexicon:
    """The reporting-cue lexicon."""
    data = load_lexicon("cues.yaml")
    speech_act: dict[str, str] = {}
    for act, lemmas in data["verbs"].items():
        for lemma in lemmas:
            speech_act.setdefault(lemma, act)
    phrases: dict[str, set[str]] = {}
    for act, pairs in data["phrases"].items():
        for verb, particle in pairs:
            phrases.setdefault(verb, set()).add(particle)
            speech_act.setdefault(verb, act)
    form_to_lemma: dict[str, str] = {}
    for lemma in speech_act:
        for form in _inflections(lemma) | set(data["irregular"].get(lemma, [])):
            form_to_lemma.setdefault(form, lemma)
    clause_only = set(data["clause_only"])
    object_lemmas = {
        lemma for lemma, act in speech_act.items() if act in data["object_acts"] and lemma not in clause_only
    } | set(data["object_verbs"])
    return CueLexicon(
        form_to_lemma=form_to_lemma,
        speech_act=speech_act,
        phrases={verb: frozenset(p) for verb, p in phrases.items()},
        object_lemmas=frozenset(object_lemmas),
        standalone=frozenset(lemma for lemmas in data["verbs"].values() for lemma in lemmas),
        naming=frozenset(data["naming"]),
        document_verbs=frozenset(data["document_verbs"]),
        prepositional=tuple(tuple(p) for p in data["prepositional"]),
        occasion_verbs=frozenset(data["occasion_verbs"]),
        human_speech_verbs=frozenset(data["human_speech_verbs"]),
        author_verbs=frozenset(data["author_verbs"]),
    )


@dataclass(frozen=True)
class SourceLexicon:
    """Nouns that name people, groups, organisations and documents, and honorifics."""

    honorifics: frozenset[str]
    female: frozenset[str]
    male: frozenset[str]
    titles: frozenset[str]
    title_words: frozenset[str]
    groups: frozenset[str]
    collectives: frozenset[str]
    descriptions: frozenset[str]
    offices: frozenset[str]
    organisations: frozenset[str]
    documents: frozenset[str]
    evidence: frozenset[str]
    media: frozenset[str]
    same_kind_of_body: dict[str, tuple[str, ...]]


@cache
def sources() -> SourceLexicon:
    """The source-noun lexicon."""
    data = load_lexicon("sources.yaml")
    same_kind = {noun: tuple(others) for noun, others in data.pop("same_kind_of_body").items()}
    words = {key: frozenset(w.lower() for w in values) for key, values in data.items()}
    return SourceLexicon(**words, same_kind_of_body=same_kind)


@dataclass(frozen=True)
class Country:
    """A country and the other words that stand for it."""

    name: str
    aliases: frozenset[str]
    capitals: frozenset[str]
    demonyms: frozenset[str]


@cache
def countries() -> dict[str, Country]:
    """Every spelling that names a country (its name, aliases, capitals, demonyms), lower-cased."""
    index: dict[str, Country] = {}
    for name, entry in load_lexicon("places.yaml").items():
        country = Country(
            name=name,
            aliases=frozenset(entry["aliases"]),
            capitals=frozenset(entry["capitals"]),
            demonyms=frozenset(entry["demonyms"]),
        )
        for word in {name, *country.aliases, *country.capitals, *country.demonyms}:
            index.setdefault(word.lower(), country)
    return index


@cache
def first_name_genders() -> dict[str, str]:
    """Given names that tell a gender: "f" or "m"."""
    data = load_lexicon("first_names.yaml")
    return {**dict.fromkeys(data["male"], "m"), **dict.fromkeys(data["female"], "f")}


@dataclass(frozen=True)
class TargetLexicon:
    """Words that decide whom a claim is about: people nouns, institutions, acts, regions."""

    people: frozenset[str]
    people_adjectives: frozenset[str]
    vague_groups: frozenset[str]
    government_roles: frozenset[str]
    nongovernment_roles: frozenset[str]
    armed_forces: frozenset[str]
    own_government: frozenset[str]
    members: frozenset[str]
    boundaries: frozenset[str]
    media: frozenset[str]
    institutions: frozenset[str]
    organisation_nouns: frozenset[str]
    generic_organisations: frozenset[str]
    acts: frozenset[str]
    act_verbs: dict[str, frozenset[str]]  # the verbs that do each act ("withdrawal": withdraw)
    venues: frozenset[str]
    unnamed_offices: frozenset[str]
    regions: frozenset[str]
    quantities: frozenset[str]
    loose_modifiers: frozenset[str]
    motion_verbs: frozenset[str]
    locative_nouns: frozenset[str]
    settlements: frozenset[str]
    territory_nouns: frozenset[str]
    thoroughfares: frozenset[str]
    currency_signs: frozenset[str]


@cache
def target_words() -> TargetLexicon:
    """The target lexicon (`lexicons/targets.yaml`), lower-cased."""
    data = load_lexicon("targets.yaml")
    act_verbs = {str(noun).lower(): frozenset(verbs) for noun, verbs in data.pop("acts").items()}
    words = {key: frozenset(str(w).lower() for w in values) for key, values in data.items()}
    return TargetLexicon(**words, acts=frozenset(act_verbs), act_verbs=act_verbs)


@dataclass(frozen=True)
class Pronouns:
    """The pronoun sets the rules read, all taken from `lexicons/pronouns.yaml`."""

    every: frozenset[str]  # every personal pronoun: never an alias of an entity ("speaker=she")
    first_person: frozenset[str]  # the speaker's own side: "we", "our members", "my government"
    standing_for_a_name: frozenset[str]  # a subject or object pronoun: a mention that is no name
    gender_of_person: dict[str, str]  # "he", "him", "she", "her": a person, and their gender
    gender_of_referring: dict[str, str]  # the same and "his": who a statement may be about
    plural: frozenset[str]  # "they", "them"
    plural_referring: frozenset[str]  # the same and "their"
    third_possessive: frozenset[str]  # "his", "her", "its", "their"
    relative: frozenset[str]  # "who", "which", "that", "whom"
    # The subject pronouns that may stand for a speaker in its own reported speech, by its type ("" for
    # any other): "she said she would ..." for a person, "they" for a group, "it" or "they" for a body.
    speaker_subjects: dict[str, frozenset[str]]

    def subjects(self, speaker_type: str) -> frozenset[str]:
        """The subject pronouns that may stand for a speaker of this type (`speaker_subjects`)."""
        return self.speaker_subjects.get(speaker_type, self.speaker_subjects[""])


@cache
def pronouns() -> Pronouns:
    """The pronoun lexicon (`lexicons/pronouns.yaml`)."""
    data = load_lexicon("pronouns.yaml")
    personal: dict[str, dict[str, Any]] = data["personal"]

    def where(*tests: Callable[[dict[str, Any]], bool]) -> frozenset[str]:
        return frozenset(w for w, word in personal.items() if all(test(word) for test in tests))

    def third(word: dict[str, Any]) -> bool:
        return bool(word["person"] == 3)

    def gendered(word: dict[str, Any]) -> bool:
        return third(word) and word.get("gender") in ("m", "f")

    def many(word: dict[str, Any]) -> bool:
        return third(word) and word["number"] == "many"

    def names(word: dict[str, Any]) -> bool:  # a subject or object form
        return bool({"subject", "object"} & set(word["forms"]))

    def refers(word: dict[str, Any]) -> bool:  # any form but the independent possessive ("hers")
        return "independent" not in word["forms"]

    def subject(word: dict[str, Any]) -> bool:
        return third(word) and "subject" in word["forms"]

    def a_thing(word: dict[str, Any]) -> bool:
        return word.get("gender") == "n"

    return Pronouns(
        every=frozenset(personal),
        first_person=where(lambda word: word["person"] == 1),
        standing_for_a_name=where(names),
        gender_of_person={w: personal[w]["gender"] for w in where(gendered, names)},
        gender_of_referring={w: personal[w]["gender"] for w in where(gendered, refers)},
        plural=where(many, names),
        plural_referring=where(many, refers),
        third_possessive=where(third, lambda word: "possessive" in word["forms"]),
        relative=frozenset(data["relative"]),
        speaker_subjects={
            "person": where(subject, gendered),
            "group": where(subject, many),
            "": where(subject, lambda word: a_thing(word) or many(word)),
        },
    )
