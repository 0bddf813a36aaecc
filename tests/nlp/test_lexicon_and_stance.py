"""The cue lexicon's reach, and stance toward targets on news sentences (the seed article's or our own)."""

from __future__ import annotations

from importlib import resources

from app.nlp.lexicon import cues, load_lexicon, target_words
from app.nlp.stance import stance_lexicon
from tests.nlp.conftest import Extract


def test_a_bare_word_in_a_lexicon_is_that_word() -> None:
    # YAML 1.1 reads a bare no, yes, on or off as a boolean: "no" was lost from the negations
    assert "no" in stance_lexicon().negations
    assert "no" in target_words().loose_modifiers
    for path in resources.files("app.nlp").joinpath("lexicons").iterdir():
        if path.name.endswith(".yaml"):
            _assert_words(load_lexicon(path.name), path.name)


def _assert_words(value: object, where: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), (where, key)
            _assert_words(item, f"{where}:{key}")
    elif isinstance(value, list):
        for item in value:
            _assert_words(item, where)
    else:
        assert isinstance(value, str | int | float) and not isinstance(value, bool), (where, value)


def test_cue_lexicon_covers_the_speech_acts() -> None:
    lex = cues()
    assert len(lex) >= 100
    for lemma in (
        "say",
        "tell",
        "add",
        "stress",
        "note",
        "warn",
        "urge",
        "deny",
        "opine",
        "term",
        "accuse",
        "blame",
        "insist",
        "claim",
    ):
        assert lemma in lex.speech_act, lemma
    assert lex.lemma_of("said") == "say" and lex.lemma_of("urging") == "urge"
    assert "out" in lex.phrases["rule"] and {"for", "on"} <= lex.phrases["call"]


def test_negation_turns_criticism_around(extract: Extract) -> None:
    blamed = extract("Okafor said he blames Governor Daniel Whitcombe for the delays.")
    not_blamed = extract("Okafor said he does not blame Governor Daniel Whitcombe for the delays.")
    [blame] = [t for t in blamed.claims[0].targets if t.name == "Daniel Whitcombe"]
    [no_blame] = [t for t in not_blamed.claims[0].targets if t.name == "Daniel Whitcombe"]
    assert blame.stance == "against" and no_blame.stance != "against"
    assert no_blame.score > blame.score


def test_hedging_weakens_the_score(extract: Extract) -> None:
    sure = extract("Baloch said the United States is a reliable and valued partner.")
    hedged = extract("Baloch said the United States might be a reliable and valued partner.")
    [certain] = [t for t in sure.claims[0].targets if t.name == "United States"]
    [maybe] = [t for t in hedged.claims[0].targets if t.name == "United States"]
    assert certain.stance == "favor" and 0 < maybe.score < certain.score
