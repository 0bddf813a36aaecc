"""Who is who: the entity resolution that speakers, targets and stance depend on.

Each case is a failure seen when the service was tried as a new user would; the sentences are the
project's own, except the seed article's (the one the project was made from).
"""

from __future__ import annotations

from tests.nlp.conftest import SEED, Extract, claim_with


def test_the_former_prime_minister_is_not_the_defence_minister(extract: Extract) -> None:
    claim = claim_with(extract(SEED, None), "high on his list of priorities")
    names = {t.name for t in claim.targets}
    assert "Imran Khan" in names and "Khawaja Asif" not in names


def test_a_letter_seeking_a_release_speaks_for_its_authors(extract: Extract) -> None:
    claim = claim_with(extract(SEED, None), "release of Pakistan Tehreek-e-Insaf")
    assert "lawmakers" in claim.speaker.name
    assert {t.name: t.stance for t in claim.targets}.get("Imran Khan") == "favor"


def test_terming_the_move_is_about_whoever_made_it(extract: Extract) -> None:
    claim = claim_with(extract(SEED, None), "the move")
    assert claim.speaker.name == "Pakistan"
    assert [(t.name, t.stance) for t in claim.targets] == [("US lawmakers", "against")]


def test_he_said_after_a_new_subject_is_that_subject(extract: Extract) -> None:
    result = extract(
        "Coach Javier Ortega praised Kwame Asante after the match.\n\n"
        'Asante denied diving. "I felt contact and I went down," he said.'
    )
    assert claim_with(result, "I felt contact").speaker.name == "Kwame Asante"


def test_the_spaniard_is_the_spanish_manager(extract: Extract) -> None:
    result = extract(
        "Harbury manager Javier Ortega praised his captain, the striker Kwame Asante, after the match. "
        '"We never panicked," the Spaniard said.'
    )
    assert claim_with(result, "We never panicked").speaker.name == "Javier Ortega"


def test_a_surname_the_recogniser_tagged_as_an_organisation_is_the_person(extract: Extract) -> None:
    result = extract(
        "Analysts were divided. Tomasz Wrona, an energy analyst at Kestrel Capital, said the withdrawal "
        "reflected nervousness among lenders."
    )
    speaker = claim_with(result, "nervousness among lenders").speaker
    assert (speaker.name, speaker.type) == ("Tomasz Wrona", "person")


def test_a_byline_is_never_a_speaker_nor_the_antecedent_of_she(extract: Extract) -> None:
    result = extract(
        "By Karen Delgado, Staff Writer\n\nGREENVILLE FALLS - Shop owners protested on Tuesday.\n\n"
        'Maria Lopez, who runs a bakery, said the plan was rushed. "Nobody asked us," she said.'
    )
    assert {c.speaker.name for c in result.claims} == {"Maria Lopez"}
    assert not [t for c in result.claims for t in c.targets if "Delgado" in t.name]


def test_a_shortened_company_name_is_the_company(extract: Extract) -> None:
    result = extract(
        "Shares in Northwind Energy fell on Thursday. Analyst Tomasz Wrona said Northwind would struggle "
        "to raise money."
    )
    assert [t.name for t in claim_with(result, "struggle to raise").targets] == ["Northwind Energy"]


def test_the_bank_is_the_bank_named_before(extract: Extract) -> None:
    result = extract(
        "Shares in Northwind Energy fell 14 per cent after Barclays withdrew from a loan package.\n\n"
        "The bank said in a statement that it had reassessed its exposure to the project."
    )
    assert claim_with(result, "reassessed its exposure").speaker.name == "Barclays"


def test_its_officer_is_the_organisation_s_officer(extract: Extract) -> None:
    result = extract(
        "The National Union of Teachers rejected the pay offer. Its national officer, Sarah Kemp, said "
        "members would vote on strikes."
    )
    speaker = claim_with(result, "vote on strikes").speaker
    assert (speaker.name, speaker.role) == ("Sarah Kemp", "National Union of Teachers national officer")


def test_a_titled_name_the_recogniser_took_for_an_organisation(extract: Extract) -> None:
    result = extract("Councillor Anna Price said the bridge would reopen in May.")
    speaker = result.claims[0].speaker
    assert (speaker.name, speaker.type, speaker.role) == ("Anna Price", "person", "Councillor")


def test_a_quotation_before_the_cue_is_what_was_said(extract: Extract) -> None:
    result = extract(
        "Linda Hargrove runs a hardware shop.\n\n"
        '"The council is killing small businesses," she said, drawing applause from the crowd.'
    )
    [claim] = result.claims
    assert (claim.type, claim.text) == ("direct_quote", "The council is killing small businesses,")


def test_a_people_named_by_its_demonym_is_a_group(extract: Extract) -> None:
    result = extract("Opposition leader Bence Toth said Hungarians were tired of broken promises.")
    assert [(t.name, t.type) for t in result.claims[0].targets] == [("Hungarians", "group")]


def test_the_striker_is_the_one_introduced_as_the_striker(extract: Extract) -> None:
    result = extract(
        "Harbury manager Javier Ortega praised Kwame Asante, the 31-year-old striker, after the win.\n\n"
        '"We never panicked," Ortega said.\n\n"I just wanted to score," the striker said.'
    )
    assert claim_with(result, "I just wanted to score").speaker.name == "Kwame Asante"
