"""The attribution phenomena news text is full of, each on a sentence of the seed article or of our own."""

from __future__ import annotations

import datetime as dt

from tests.nlp.conftest import Extract
from tests.nlp.test_attribution import claim_with


def test_attribution_before_a_colon(extract: Extract) -> None:
    result = extract(
        "Defence Minister Khawaja Asif spoke on Geo News.\n\n"
        'Speaking a day ago, Asif said: "We don\'t think Trump will call for the release."'
    )
    claim = claim_with(result, "We don't think Trump")
    assert claim.type == "direct_quote" and claim.speaker.name == "Khawaja Asif"
    assert claim.date.value == dt.date(2024, 11, 6)


def test_attribution_before_a_dash(extract: Extract) -> None:
    result = extract('Union leader Halima Osei said \u2013 "We will picket the depot again tomorrow."')
    claim = claim_with(result, "We will picket the depot")
    assert claim.speaker.name == "Halima Osei" and claim.type == "direct_quote"


def test_passive_attribution_with_an_agent(extract: Extract) -> None:
    result = extract("It was stated by the World Health Organization that the outbreak is over.")
    claim = claim_with(result, "the outbreak is over")
    assert "World Health Organization" in claim.speaker.name


def test_appositive_gives_the_role(extract: Extract) -> None:
    result = extract(
        "Micheal Kugelman, a Washington-based expert on South Asian nations, said Pakistan would not be "
        "high on the list of priorities."
    )
    claim = claim_with(result, "high on the list")
    assert claim.speaker.name == "Micheal Kugelman"
    assert claim.speaker.role is not None and "Washington-based expert" in claim.speaker.role


def test_organisation_speaks(extract: Extract) -> None:
    result = extract("The Foreign Office said Islamabad was looking forward to broader ties.")
    claim = claim_with(result, "looking forward to broader ties")
    assert claim.speaker.name == "Foreign Office" and claim.speaker.type == "organization"


def test_document_speaks_for_whoever_read_it(extract: Extract) -> None:
    result = extract(
        "Tenants' association chair Pieter Malan read a letter that said that the rent rise is the work of "
        "a careless and grasping landlord."
    )
    claim = claim_with(result, "the rent rise is the work")
    assert claim.speaker.name == "Pieter Malan"


def test_call_for_is_a_phrasal_cue_with_its_object_as_content(extract: Extract) -> None:
    result = extract(
        "Hundreds of farmers called for a faster rollout of drought-resistant seed across the region."
    )
    claim = claim_with(result, "a faster rollout of drought-resistant seed")
    assert claim.cue.lemma == "call for" and claim.speaker.type == "group"


def test_first_name_and_title_resolve_to_the_full_name(extract: Extract) -> None:
    result = extract(
        "The opposition hopes for the release of the party founder Imran Khan.\n\n"
        "Defence Minister Khawaja Asif said Imran would stay in jail.\n\n"
        "Asif said: \"We don't think Trump will call for PTI founder's release.\""
    )
    first = claim_with(result, "Imran would stay in jail")
    assert "Imran Khan" in {t.name for t in first.targets}
    quote = claim_with(result, "PTI founder's release")
    assert "Imran Khan" in {t.name for t in quote.targets}


def test_capital_speaking_for_its_government_is_the_country(extract: Extract) -> None:
    result = extract(
        "ISLAMABAD: Foreign Office Spokesperson Mumtaz Zahra Baloch said the country was looking forward "
        "to broaden its ties with Washington in all fields."
    )
    claim = claim_with(result, "ties with Washington")
    assert [(t.name, t.stance) for t in claim.targets] == [("United States", "favor")]


def test_place_of_an_event_is_not_a_target(extract: Extract) -> None:
    result = extract(
        "Commissioner Halvorsen said he planned to raise the fishing quotas with the Nordic Council at talks "
        "in Norway."
    )
    claim = claim_with(result, "raise the fishing quotas")
    assert "Norway" not in {t.name for t in claim.targets}


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


def test_statement_dated_two_weeks_before_and_recalled_later(extract: Extract) -> None:
    result = extract(
        "This statement came two weeks after Pakistan's strong reaction to the lawmakers' letter, terming "
        'the move "contrary to diplomatic norms".\n\n'
        'Reacting to the move, Baloch had said: "Pakistan values its relations with the United States."'
    )
    terming = claim_with(result, "contrary to diplomatic norms")
    assert terming.type == "mixed_quote" and terming.date.value == dt.date(2024, 10, 24)
    recalled = claim_with(result, "Pakistan values its relations")
    assert recalled.date.value == dt.date(2024, 10, 24) and recalled.date.source == "relative"


def test_past_perfect_without_a_date_is_unknown(extract: Extract) -> None:
    result = extract("Micheal Kugelman had argued in his article that Pakistan was no priority for Trump.")
    claim = claim_with(result, "Pakistan was no priority")
    assert claim.date.value is None


def test_yesterday_and_weekdays(extract: Extract) -> None:
    result = extract(
        "Port spokesman Kwesi Adomako told Radio Harbour yesterday the strikes were illegal.\n\n"
        "On Tuesday Adomako said the guards acted lawfully."
    )
    assert claim_with(result, "strikes were illegal").date.value == dt.date(2024, 11, 6)
    assert claim_with(result, "guards acted lawfully").date.value == dt.date(2024, 11, 5)


def test_second_speech_act_of_the_same_speaker_is_its_own_claim(extract: Extract) -> None:
    result = extract(
        "Germany's foreign ministry said it was deeply concerned and called on all sides to exercise "
        "restraint."
    )
    said = claim_with(result, "deeply concerned")
    called = claim_with(result, "all sides to exercise restraint")
    assert "restraint" not in said.text
    assert called.cue.lemma == "call on" and called.speaker.name == said.speaker.name


def test_first_name_tells_he_from_she(extract: Extract) -> None:
    result = extract(
        "Maria Lopez said the offer was fair.\n\n"
        "Shawn Fain has led the union since 2023. He accused General Motors of stalling on purpose."
    )
    assert claim_with(result, "General Motors of stalling").speaker.name == "Shawn Fain"


def test_wire_dateline_is_not_the_speaker(extract: Extract) -> None:
    result = extract(
        "LONDON, March 14 (Reuters) - Rishi Sunak said on Thursday taxes would fall.", "2024-03-14"
    )
    claim = claim_with(result, "taxes would fall")
    assert claim.speaker.name == "Rishi Sunak"
    assert claim.text == "taxes would fall" and claim.date.value == dt.date(2024, 3, 14)


def test_question_put_to_someone_is_not_a_claim(extract: Extract) -> None:
    result = extract("When asked whether he would resign, Smith said he would stay until the inquiry ends.")
    assert [c.text for c in result.claims] == ["he would stay until the inquiry ends"]


def test_name_inside_a_quote_is_not_the_pronoun_s_antecedent(extract: Extract) -> None:
    result = extract(
        'Volodymyr Zelensky spoke in Lisbon.\n\n"Putin wants war. He does not want peace," he told delegates.'
    )
    assert claim_with(result, "Putin wants war").speaker.name == "Volodymyr Zelensky"


def test_study_speaks_through_find(extract: Extract) -> None:
    result = extract("A new study has found that microplastics are present in every placenta tested.")
    claim = claim_with(result, "microplastics are present")
    assert claim.cue.lemma == "find" and "study" in claim.speaker.name


def test_inverted_cue_whose_speaker_the_parser_made_its_object(extract: Extract) -> None:
    result = extract('"The storm will hit the coast tonight," warned the national meteorological institute.')
    assert [(c.speaker.name, c.type) for c in result.claims] == [
        ("national meteorological institute", "direct_quote")
    ]


def test_sentence_ending_in_a_colon_introduces_the_quotation(extract: Extract) -> None:
    result = extract('Coach Piotr Zielinski put it bluntly: "We cannot defend like that and expect to win."')
    assert [(c.speaker.name, c.type) for c in result.claims] == [("Piotr Zielinski", "direct_quote")]


def test_reported_words_around_a_quotation_make_it_mixed(extract: Extract) -> None:
    mixed = extract('The minister said he was "ready to talk at any moment".')
    direct = extract('The minister said that "talks will resume".')
    assert [c.type for c in mixed.claims] == ["mixed_quote"]
    assert mixed.claims[0].text.startswith("he was")
    assert [c.type for c in direct.claims] == ["direct_quote"]


def test_a_family_speaks(extract: Extract) -> None:
    result = extract("Her family said she had been bullied for months.")
    assert [(c.speaker.name, c.speaker.type) for c in result.claims] == [("Her family", "group")]


def test_inverted_cue_the_parser_hung_on_the_reported_clause(extract: Extract) -> None:
    result = extract(
        "Water levels would recover only with sustained autumn rain, "
        "warned the national meteorological institute."
    )
    assert [(c.speaker.name, c.text) for c in result.claims] == [
        ("national meteorological institute", "Water levels would recover only with sustained autumn rain")
    ]
