"""The claim components declare what they read and write, so spaCy checks their order."""

from __future__ import annotations

import spacy

from app.nlp.components import add_claim_components
from app.nlp.extractor import ClaimExtractor


def test_the_pipeline_reads_nothing_before_it_is_written(extractor: ClaimExtractor) -> None:
    problems = extractor.nlp.analyze_pipes()["problems"]
    assert problems and all(missing == [] for missing in problems.values()), problems


def test_a_component_put_before_what_it_reads_is_reported() -> None:
    nlp = spacy.blank("en")
    add_claim_components(nlp)
    nlp.remove_pipe("claim_attribution")
    nlp.add_pipe("claim_attribution", first=True)  # before the quotations and the entities it reads

    problems = nlp.analyze_pipes()["problems"]

    assert {"doc._.quotations", "doc._.entity_index", "token.dep"} <= set(problems["claim_attribution"])
