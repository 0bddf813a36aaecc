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


def test_blame_is_against_its_target(extract: Extract) -> None:
    result = extract(
        "Union spokesman Idris Adjei said he was assaulted outside the depot. "
        "Adjei says he blames Mayor Daniel Whitcombe's administration for the attack."
    )
    blame = next(c for c in result.claims if "blames" in c.text)
    stances = {t.name: t.stance for t in blame.targets}
    assert stances.get("Daniel Whitcombe") == "against"


def test_congratulation_is_in_favor(extract: Extract) -> None:
    result = extract(
        "Foreign Office Spokesperson Mumtaz Zahra Baloch spoke. She said that the prime minister has "
        "congratulated President-elect Donald Trump on his victory in the US vote."
    )
    stances = {t.name: t.stance for t in result.claims[0].targets}
    assert stances.get("Donald Trump") == "favor"


def test_speaker_is_not_its_own_target(extract: Extract) -> None:
    result = extract("Pakistan values its bilateral relations with the United States, Pakistan said.")
    names = {t.name for c in result.claims for t in c.targets}
    assert "Pakistan" not in names and "United States" in names


def test_a_doubted_call_for_release_takes_no_side(extract: Extract) -> None:
    doubted = extract(
        'Interior Minister Amir Shah said: "We do not think Washington will push for '
        "Nadia Rahimi's release.\""
    )
    hoped = extract("Party leader Omar Aziz said the party had never hoped that Nadia Rahimi would be freed.")
    urged = extract("Rights group Amnesty International urged the authorities to release Nadia Rahimi.")
    stance = {
        name: {t.name: t.stance for c in result.claims for t in c.targets}.get("Nadia Rahimi")
        for name, result in (("doubted", doubted), ("hoped", hoped), ("urged", urged))
    }
    assert stance == {"doubted": "neutral", "hoped": "neutral", "urged": "favor"}
