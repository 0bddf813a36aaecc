"""Who said what: attribution rules checked on news sentences (the seed article's or the project's own)
parsed by the real model."""

from __future__ import annotations

import pytest

from tests.nlp.conftest import SEED, Extract, claim_with


def test_pronoun_resolves_to_the_person_introduced_before(extract: Extract) -> None:
    result = extract(
        "Foreign Office Spokesperson Mumtaz Zahra Baloch responded to questions on Thursday. "
        "She said that the prime minister has congratulated Trump on his victory."
    )
    claim = claim_with(result, "congratulated Trump")
    assert claim.speaker.name == "Mumtaz Zahra Baloch"
    assert claim.speaker.mention == "She"
    assert claim.speaker.role == "Foreign Office Spokesperson"
    assert claim.type == "indirect_quote"
    assert claim.cue.lemma == "say"


def test_title_resolves_to_the_person_who_holds_it(extract: Extract) -> None:
    result = extract(
        "Defence Minister Khawaja Asif spoke on television.\n\n"
        '"Let\'s wait for 15 to 20 days and see what stand he takes," said the defence minister.'
    )
    claim = claim_with(result, "wait for 15 to 20 days")
    assert claim.speaker.name == "Khawaja Asif"
    assert claim.type == "direct_quote"


def test_inverted_attribution_after_the_content(extract: Extract) -> None:
    result = extract(
        "Deputy Mayor for Parks and Streets, Oriel Fenwick, spoke. "
        "More than 300 street lamps in the district had failed since the summer, said Fenwick."
    )
    claim = claim_with(result, "street lamps in the district")
    assert claim.speaker.name == "Oriel Fenwick"
    assert not claim.text.endswith("Fenwick")


def test_relative_clause_between_speaker_and_verb(extract: Extract) -> None:
    result = extract(
        "Tamsin Oduya, who has lived on the estate for twenty years, said the lifts had been broken since "
        "spring but the landlord had ignored every letter."
    )
    claim = claim_with(result, "the lifts had been broken")
    assert claim.speaker.name == "Tamsin Oduya"


def test_participle_cue_is_a_second_claim_by_the_same_speaker(extract: Extract) -> None:
    result = extract(
        "During the same transmission, PTI leader Raoof Hasan said the party had never hoped that Imran "
        "would be released after Trump's victory, adding that no such discussion has taken place within "
        "the parliamentary party."
    )
    said = claim_with(result, "the party had never hoped")
    added = claim_with(result, "no such discussion")
    assert "no such discussion" not in said.text
    assert said.speaker.name == added.speaker.name == "Raoof Hasan"
    assert (said.cue.lemma, added.cue.lemma) == ("say", "add")


def test_phrasal_cue_rule_out(extract: Extract) -> None:
    result = extract("Defence Minister Khawaja Asif had ruled out the possibility of receiving such a call.")
    claim = claim_with(result, "the possibility of receiving")
    assert claim.cue.lemma == "rule out"
    assert claim.speaker.name == "Khawaja Asif"


def test_split_quote_is_one_claim_with_both_parts(extract: Extract) -> None:
    result = extract(
        "Union steward Marek Dunn walked out of the plant.\n\n"
        '"We will keep up this lawful strike," said Marek Dunn. '
        '"Today we are out and we will be out again next week."'
    )
    assert len(result.claims) == 1
    claim = result.claims[0]
    assert claim.type == "direct_quote"
    assert "lawful strike" in claim.text and "out again next week" in claim.text
    assert len(claim.spans) == 2


def test_bare_quote_paragraph_continues_the_previous_speaker(extract: Extract) -> None:
    result = extract(
        'Reacting to the move, Baloch had said: "Pakistan values its bilateral relations with the United '
        'States."\n\n"However, comments on Pakistan\'s domestic affairs are contrary to diplomatic norms."'
    )
    later = claim_with(result, "contrary to diplomatic norms")
    assert later.speaker.name == "Baloch"
    assert later.type == "direct_quote"


def test_quote_running_over_paragraphs_keeps_its_speaker(extract: Extract) -> None:
    result = extract(
        "Harbour authority spokesman Luca Brenner spoke to reporters.\n\n"
        '"The closure was lawful," Brenner said. "The pier was unsafe.\n\n'
        '"We will not reopen it before the repairs."'
    )
    claim = claim_with(result, "not reopen it")
    assert claim.speaker.name == "Luca Brenner"


def test_mixed_quote_keeps_the_reported_words_and_the_quotation(extract: Extract) -> None:
    result = extract(
        "ISLAMABAD: Pakistan has stressed strengthening bilateral ties with the United States on the basis "
        'of "mutual respect and non-interference in each other\'s domestic affairs".'
    )
    claim = claim_with(result, "strengthening bilateral ties")
    assert claim.type == "mixed_quote"
    assert "mutual respect" in claim.text
    assert claim.speaker.name == "Pakistan" and claim.speaker.type == "location"
    assert claim.cue.lemma == "stress"


def test_according_to_names_the_source(extract: Extract) -> None:
    result = extract("According to the World Health Organization, the outbreak has killed 300 people.")
    claim = claim_with(result, "the outbreak has killed 300 people")
    assert claim.cue.lemma == "according to"
    assert "World Health Organization" in claim.speaker.name


def test_group_speaker_and_urge_with_object(extract: Extract) -> None:
    result = extract(
        "Through a letter, more than 60 members of the United States House of Representatives had urged "
        "President Biden to use Washington's leverage with Islamabad."
    )
    claim = claim_with(result, "President Biden to use")
    assert claim.cue.lemma == "urge"
    assert claim.speaker.type == "group"
    assert "members of the United States House of Representatives" in claim.speaker.name


def test_unbalanced_quotation_mark_does_not_lose_the_article(extract: Extract) -> None:
    result = extract(
        'The minister said "this will never end.\n\nThe opposition leader Teodor Halas said the '
        "ballots were miscounted."
    )
    claim = claim_with(result, "the ballots were miscounted")
    assert claim.speaker.name == "Teodor Halas"


def test_narration_is_not_a_claim(extract: Extract) -> None:
    result = extract(
        "Republican Trump triumphed over Democratic Vice President Kamala Harris in the presidential "
        "election on Wednesday. He will take office in January."
    )
    assert result.claims == ()


def test_seed_article_speakers(extract: Extract) -> None:
    result = extract(SEED, None)
    speakers = {c.speaker.name for c in result.claims}
    assert {"Mumtaz Zahra Baloch", "Khawaja Asif", "Raoof Hasan", "Pakistan"} <= speakers
    she = claim_with(result, "decades old")
    assert she.speaker.name == "Mumtaz Zahra Baloch" and she.speaker.mention == "She"
    headline = claim_with(result, "broaden ties with Washington")
    assert headline.speaker.name == "Foreign Office"


def test_she_is_the_last_speaker_when_nothing_contradicts_it(extract: Extract) -> None:
    result = extract(
        "Tamsin Oduya said the lifts had been broken since spring.\n\n"
        "\u201cWe have carried the shopping up the stairs for weeks,\u201d she said.\n\n"
        "Committee Member for Housing repairs, Ottilie Marsh, said contractors would start work "
        "next month.\n\n"
        "She said the water pumps on the estate would be checked at the same time."
    )
    assert claim_with(result, "carried the shopping").speaker.name == "Tamsin Oduya"
    assert claim_with(result, "the water pumps").speaker.name == "Ottilie Marsh"


def test_she_skips_a_man_to_reach_the_woman_already_called_she(extract: Extract) -> None:
    result = extract(
        "Spokesperson Mumtaz Zahra Baloch briefed reporters. She said ties were strong.\n\n"
        "PTI leader Raoof Hasan said the party had never hoped for help.\n\n"
        "Micheal Kugelman had also opined in his article, concluding that Pakistan is no priority.\n\n"
        "She said Pakistan's relations with the United States are decades old."
    )
    assert claim_with(result, "decades old").speaker.name == "Mumtaz Zahra Baloch"


def test_given_name_the_tagger_left_out_is_part_of_the_name(extract: Extract) -> None:
    result = extract("Tomasz Kowalczyk, of the Warsaw Stock Exchange, said the zloty would recover.")
    assert [c.speaker.name for c in result.claims] == ["Tomasz Kowalczyk"]


def test_pronoun_after_a_newcomer_is_the_newcomer(extract: Extract) -> None:
    result = extract(
        "Fisheries minister Aurelio Vance said the fleet would keep its quota. "
        "He said catches were stable.\n\n"
        "Some skippers blame the warm currents. "
        "Idris Lorcan, of the Gdynia Trawler Association, is among them.\n\n"
        '"The cod have simply moved further north this year," he said.'
    )
    quote = next(c for c in result.claims if c.type == "direct_quote")
    assert quote.speaker.name == "Idris Lorcan"


def test_descriptions_refer_to_the_person_named_before(extract: Extract) -> None:
    result = extract(
        "Carlos Alcaraz beat Jannik Sinner in five sets on Sunday. "
        '"It was the hardest match of my life," the Spaniard said. '
        "The 21-year-old added that he had never felt so tired. "
        "The champion said he would rest for a week."
    )
    assert [(c.speaker.name, c.speaker.mention) for c in result.claims] == [
        ("Carlos Alcaraz", "Spaniard"),
        ("Carlos Alcaraz", "21-year-old"),
        ("Carlos Alcaraz", "champion"),
    ]


def test_description_with_no_one_named_before_stays_a_description(extract: Extract) -> None:
    result = extract("The American said the deal was dead.")
    assert [(c.speaker.name, c.speaker.type) for c in result.claims] == [("American", "person")]


def test_office_title_before_the_name_is_the_person_named_without_a_title(extract: Extract) -> None:
    result = extract(
        "The Prime Minister has said he is confident the government will meet its target.\n\n"
        "Speaking during a visit to a hospital in Leeds, Richard Ashworth said the numbers were improving."
    )
    assert [c.speaker.name for c in result.claims] == ["Richard Ashworth", "Richard Ashworth"]


def test_office_title_is_not_given_to_someone_introduced_with_another_title(extract: Extract) -> None:
    result = extract(
        "Health spokeswoman Priya Kaur criticised the plan. The Prime Minister said it would work."
    )
    assert [c.speaker.name for c in result.claims][-1] == "Prime Minister"


def test_bare_organisation_noun_is_the_organisation_named_before(extract: Extract) -> None:
    result = extract(
        "The World Health Organization on Wednesday declared mpox a global emergency. "
        "The agency said a new strain was spreading faster. "
        "The government said it would act."
    )
    assert [c.speaker.name for c in result.claims] == ["World Health Organization", "government"]


def test_an_estimate_speaks_for_whoever_produced_it(extract: Extract) -> None:
    result = extract(
        "The decline was driven by cheaper energy, according to a flash estimate from Eurostat published on "
        "Thursday. The data told a different story: prices were rising."
    )
    assert [(c.speaker.name, c.date.text) for c in result.claims] == [("Eurostat", "Thursday")]


def test_someone_described_but_not_named_speaks(extract: Extract) -> None:
    result = extract("A former hospital porter told a jury yesterday that he had been set up by his manager.")
    assert [(c.speaker.name, c.speaker.type) for c in result.claims] == [("former hospital porter", "person")]


@pytest.mark.parametrize("blank", ["\n\n", "\r\n\r\n", "\n \n", "\n\t\n", "\r\n \r\n"])
def test_a_quotation_runs_on_whatever_the_blank_line_holds(extract: Extract, blank: str) -> None:
    # Windows line endings, or a blank line holding spaces, once lost the continued quotation
    text = (
        f'"The harbour will reopen in spring," port director Ines Varga said.{blank}'
        f'"The cranes are already back.{blank}"We only wait for the dredgers," she added.'
    )
    result = extract(text)
    assert len(result.claims) == 3, [c.text for c in result.claims]
    assert {c.speaker.name for c in result.claims} == {"Ines Varga"}
    assert claim_with(result, "cranes are already back").type == "direct_quote"
