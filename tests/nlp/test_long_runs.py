"""Texts built to be slow: long runs without whitespace and endless sentences stay cheap to parse,
and an ordinary article is tokenized and parsed exactly as before."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from app.nlp.components import MAX_SENTENCE_TOKENS
from app.nlp.extractor import ClaimExtractor
from app.nlp.long_runs import MAX_SYMBOL_RUN, segments

HOSTILE_RUNS = {
    "straight quotes": '"',
    "apostrophes": "'",
    "curly quotes": "\u201c\u201d",
    "parentheses": "(",
    "dollars": "$",
    "exclamation marks": "!",
    "ellipses": "\u2026",
    "emoji": "\U0001f600",
    "underscores": "_",
    "quote and apostrophe": "\"'",
}


def _parsed(extractor: ClaimExtractor, text: str) -> Doc:
    return extractor.nlp(text)


@pytest.mark.parametrize("unit", HOSTILE_RUNS.values(), ids=HOSTILE_RUNS.keys())
def test_a_run_of_symbols_becomes_few_tokens_and_keeps_its_text(
    claim_extractor: ClaimExtractor, unit: str
) -> None:
    text = f"The minister said it. {unit * 3000} Then she left."

    doc = claim_extractor.nlp.make_doc(text)

    assert doc.text == text  # every character offset a claim reports still points into the request
    assert len(doc) <= 2 * len(unit) * 3000 // MAX_SYMBOL_RUN + 12
    assert [t.text for t in doc[:5]] == ["The", "minister", "said", "it", "."]
    assert [t.text for t in doc[-4:]] == ["Then", "she", "left", "."]


def test_a_very_long_word_is_cut_but_its_text_kept(claim_extractor: ClaimExtractor) -> None:
    text = "Visit " + "ab" * 3000 + " now."

    doc = claim_extractor.nlp.make_doc(text)

    assert doc.text == text
    assert max(len(t.text) for t in doc) <= 1000


def test_an_ordinary_article_is_tokenized_as_by_the_model_alone(
    claim_extractor: ClaimExtractor, seed_text: str
) -> None:
    plain = claim_extractor.nlp.tokenizer.tokenizer  # the model's own tokenizer, unwrapped

    assert list(segments(seed_text)) == [(seed_text, False)]
    assert [t.text_with_ws for t in claim_extractor.nlp.make_doc(seed_text)] == [
        t.text_with_ws for t in plain(seed_text)
    ]


def test_an_endless_sentence_is_cut_into_sentences_the_rules_can_afford(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "the minister said that " * 400 + "the plan failed."

    doc = _parsed(claim_extractor, text)
    extraction = claim_extractor.extract(text, None)

    assert max(len(sentence) for sentence in doc.sents) <= MAX_SENTENCE_TOKENS
    assert extraction.claims  # still read as reported speech, just not as one 1,600-token sentence
    assert max(len(c.text) for c in extraction.claims) < len(text) // 2


@pytest.mark.slow
@pytest.mark.parametrize(
    ("unit", "has_claims"), [('"', False), ("\U0001f600", False), ("the minister said that ", True)]
)
def test_hostile_text_of_the_largest_size_gives_an_answer(
    claim_extractor: ClaimExtractor, unit: str, has_claims: bool
) -> None:
    text = (unit * (100_000 // len(unit) + 1))[:100_000]

    extraction = claim_extractor.extract(text, None)

    assert bool(extraction.claims) == has_claims
    assert all(0 <= s.start < s.end <= len(text) for c in extraction.claims for s in c.spans)


def test_a_long_paragraph_of_ordinary_sentences_is_not_cut(claim_extractor: ClaimExtractor) -> None:
    filler = "The river rose in the night and the farmers moved their animals to higher ground. " * 12
    text = filler + "The minister said on Monday that the dam would hold."  # one line, over 200 tokens

    claims = claim_extractor.extract(text, None).claims

    assert len(claim_extractor.nlp.make_doc(text)) > MAX_SENTENCE_TOKENS
    assert [(c.speaker.name, c.text) for c in claims] == [("minister", "the dam would hold")]


def test_a_content_around_its_own_cue_is_not_taken_for_a_nested_one(claim_extractor: ClaimExtractor) -> None:
    text = "The new plan, according to officials in the ministry, is working very well for everyone."

    claims = claim_extractor.extract(text, None).claims

    assert [c.speaker.name for c in claims] == ["officials in the ministry"]
