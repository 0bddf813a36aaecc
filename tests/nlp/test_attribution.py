"""Who said what: attribution rules checked on news sentences (the seed article's or the project's own)
parsed by the real model, one row a case: who speaks, by which cue, and the claim's type."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.nlp.cases import Case, check, table
from tests.nlp.conftest import SEED, Extract, claim_with

ATTRIBUTION = [
    Case(
        "pronoun-resolves-to-the-person-introduced-before",
        "Foreign Office Spokesperson Mumtaz Zahra Baloch responded to questions on Thursday. "
        "She said that the prime minister has congratulated Trump on his victory.",
        claim="congratulated Trump",
        expect={
            "speaker.name": "Mumtaz Zahra Baloch",
            "speaker.mention": "She",
            "speaker.role": "Foreign Office Spokesperson",
            "type": "indirect_quote",
            "cue.lemma": "say",
        },
    ),
    Case(
        "title-resolves-to-the-person-who-holds-it",
        "Defence Minister Khawaja Asif spoke on television.\n\n"
        '"Let\'s wait for 15 to 20 days and see what stand he takes," said the defence minister.',
        claim="wait for 15 to 20 days",
        expect={"speaker.name": "Khawaja Asif", "type": "direct_quote"},
    ),
    Case(
        "inverted-attribution-after-the-content",
        "Deputy Mayor for Parks and Streets, Oriel Fenwick, spoke. "
        "More than 300 street lamps in the district had failed since the summer, said Fenwick.",
        claim="street lamps in the district",
        expect={
            "speaker.name": "Oriel Fenwick",
            "text": "More than 300 street lamps in the district had failed since the summer",
        },
    ),
    Case(
        "relative-clause-between-speaker-and-verb",
        "Tamsin Oduya, who has lived on the estate for twenty years, said the lifts had been broken since "
        "spring but the landlord had ignored every letter.",
        claim="the lifts had been broken",
        expect={"speaker.name": "Tamsin Oduya"},
    ),
    Case(
        "participle-cue-is-a-second-claim-by-the-same-speaker",
        "During the same transmission, PTI leader Raoof Hasan said the party had never hoped that Imran "
        "would be released after Trump's victory, adding that no such discussion has taken place within "
        "the parliamentary party.",
        claim=None,
        expect={
            "text": [
                "the party had never hoped that Imran would be released after Trump's victory",
                "no such discussion has taken place within the parliamentary party",
            ],
            "speaker.name": ["Raoof Hasan", "Raoof Hasan"],
            "cue.lemma": ["say", "add"],
        },
    ),
    Case(
        "phrasal-cue-rule-out",
        "Defence Minister Khawaja Asif had ruled out the possibility of receiving such a call.",
        claim="the possibility of receiving",
        expect={"cue.lemma": "rule out", "speaker.name": "Khawaja Asif"},
    ),
    Case(
        "split-quote-is-one-claim-with-both-parts",
        "Union steward Marek Dunn walked out of the plant.\n\n"
        '"We will keep up this lawful strike," said Marek Dunn. '
        '"Today we are out and we will be out again next week."',
        claim=None,
        expect={
            "type": ["direct_quote"],
            "text": [
                "We will keep up this lawful strike, ... Today we are out and we will be out again next week."
            ],
            "spans": [2],
        },
    ),
    Case(
        "bare-quote-paragraph-continues-the-previous-speaker",
        'Reacting to the move, Baloch had said: "Pakistan values its bilateral relations with the United '
        'States."\n\n"However, comments on Pakistan\'s domestic affairs are contrary to diplomatic norms."',
        claim="contrary to diplomatic norms",
        expect={"speaker.name": "Baloch", "type": "direct_quote"},
    ),
    Case(
        "quote-running-over-paragraphs-keeps-its-speaker",
        "Harbour authority spokesman Luca Brenner spoke to reporters.\n\n"
        '"The closure was lawful," Brenner said. "The pier was unsafe.\n\n'
        '"We will not reopen it before the repairs."',
        claim="not reopen it",
        expect={"speaker.name": "Luca Brenner"},
    ),
    Case(
        "mixed-quote-keeps-the-reported-words-and-the-quotation",
        "ISLAMABAD: Pakistan has stressed strengthening bilateral ties with the United States on the basis "
        'of "mutual respect and non-interference in each other\'s domestic affairs".',
        claim="strengthening bilateral ties",
        expect={
            "type": "mixed_quote",
            "text": "strengthening bilateral ties with the United States on the basis of "
            '"mutual respect and non-interference in each other\'s domestic affairs"',
            "speaker.name": "Pakistan",
            "speaker.type": "location",
            "cue.lemma": "stress",
        },
    ),
    Case(
        "according-to-names-the-source",
        "According to the World Health Organization, the outbreak has killed 300 people.",
        claim="the outbreak has killed 300 people",
        expect={"cue.lemma": "according to", "speaker.name": "World Health Organization"},
    ),
    Case(
        "group-speaker-and-urge-with-object",
        "Through a letter, more than 60 members of the United States House of Representatives had urged "
        "President Biden to use Washington's leverage with Islamabad.",
        claim="President Biden to use",
        expect={
            "cue.lemma": "urge",
            "speaker.type": "group",
            "speaker.name": "more than 60 members of the United States House of Representatives",
        },
    ),
    Case(
        "unbalanced-quotation-mark-does-not-lose-the-article",
        'The minister said "this will never end.\n\nThe opposition leader Teodor Halas said the '
        "ballots were miscounted.",
        claim="the ballots were miscounted",
        expect={"speaker.name": "Teodor Halas"},
    ),
    Case(
        "narration-is-not-a-claim",
        "Republican Trump triumphed over Democratic Vice President Kamala Harris in the presidential "
        "election on Wednesday. He will take office in January.",
        claim=None,
        expect={"text": []},
    ),
    Case(
        "seed-article-she-is-the-spokesperson",
        SEED,
        claim="decades old",
        expect={"speaker.name": "Mumtaz Zahra Baloch", "speaker.mention": "She"},
        published=None,
    ),
    Case(
        "seed-article-headline-speaker-is-the-foreign-office",
        SEED,
        claim="broaden ties with Washington",
        expect={"speaker.name": "Foreign Office"},
        published=None,
    ),
    Case(
        "she-is-the-last-speaker-when-nothing-contradicts-it",
        "Tamsin Oduya said the lifts had been broken since spring.\n\n"
        "\u201cWe have carried the shopping up the stairs for weeks,\u201d she said.\n\n"
        "Committee Member for Housing repairs, Ottilie Marsh, said contractors would start work "
        "next month.\n\n"
        "She said the water pumps on the estate would be checked at the same time.",
        claim=None,
        expect={
            "text": [
                "the lifts had been broken since spring",
                "We have carried the shopping up the stairs for weeks,",
                "contractors would start work next month",
                "the water pumps on the estate would be checked at the same time",
            ],
            "speaker.name": ["Tamsin Oduya", "Tamsin Oduya", "Ottilie Marsh", "Ottilie Marsh"],
        },
    ),
    Case(
        "she-skips-a-man-to-reach-the-woman-already-called-she",
        "Spokesperson Mumtaz Zahra Baloch briefed reporters. She said ties were strong.\n\n"
        "PTI leader Raoof Hasan said the party had never hoped for help.\n\n"
        "Micheal Kugelman had also opined in his article, concluding that Pakistan is no priority.\n\n"
        "She said Pakistan's relations with the United States are decades old.",
        claim="decades old",
        expect={"speaker.name": "Mumtaz Zahra Baloch"},
    ),
    Case(
        "given-name-the-tagger-left-out-is-part-of-the-name",
        "Tomasz Kowalczyk, of the Warsaw Stock Exchange, said the zloty would recover.",
        claim=None,
        expect={"speaker.name": ["Tomasz Kowalczyk"]},
    ),
    Case(
        "pronoun-after-a-newcomer-is-the-newcomer",
        "Fisheries minister Aurelio Vance said the fleet would keep its quota. "
        "He said catches were stable.\n\n"
        "Some skippers blame the warm currents. "
        "Idris Lorcan, of the Gdynia Trawler Association, is among them.\n\n"
        '"The cod have simply moved further north this year," he said.',
        claim=None,
        expect={
            "type": ["indirect_quote", "indirect_quote", "direct_quote"],
            "speaker.name": ["Aurelio Vance", "Aurelio Vance", "Idris Lorcan"],
        },
    ),
    Case(
        "descriptions-refer-to-the-person-named-before",
        "Carlos Alcaraz beat Jannik Sinner in five sets on Sunday. "
        '"It was the hardest match of my life," the Spaniard said. '
        "The 21-year-old added that he had never felt so tired. "
        "The champion said he would rest for a week.",
        claim=None,
        expect={
            "speaker.name": ["Carlos Alcaraz", "Carlos Alcaraz", "Carlos Alcaraz"],
            "speaker.mention": ["Spaniard", "21-year-old", "champion"],
        },
    ),
    Case(
        "description-with-no-one-named-before-stays-a-description",
        "The American said the deal was dead.",
        claim=None,
        expect={"speaker.name": ["American"], "speaker.type": ["person"]},
    ),
    Case(
        "office-title-before-the-name-is-the-person-named-without-a-title",
        "The Prime Minister has said he is confident the government will meet its target.\n\n"
        "Speaking during a visit to a hospital in Leeds, Richard Ashworth said the numbers were improving.",
        claim=None,
        expect={"speaker.name": ["Richard Ashworth", "Richard Ashworth"]},
    ),
    Case(
        "office-title-is-not-given-to-someone-introduced-with-another-title",
        "Health spokeswoman Priya Kaur criticised the plan. The Prime Minister said it would work.",
        claim=None,
        expect={"speaker.name": ["Priya Kaur", "Prime Minister"]},
    ),
    Case(
        "bare-organisation-noun-is-the-organisation-named-before",
        "The World Health Organization on Wednesday declared mpox a global emergency. "
        "The agency said a new strain was spreading faster. "
        "The government said it would act.",
        claim=None,
        expect={"speaker.name": ["World Health Organization", "government"]},
    ),
    Case(
        "an-estimate-speaks-for-whoever-produced-it",
        "The decline was driven by cheaper energy, according to a flash estimate from Eurostat published on "
        "Thursday. The data told a different story: prices were rising.",
        claim=None,
        expect={"speaker.name": ["Eurostat"], "date.text": ["Thursday"]},
    ),
    Case(
        "someone-described-but-not-named-speaks",
        "A former hospital porter told a jury yesterday that he had been set up by his manager.",
        claim=None,
        expect={"speaker.name": ["former hospital porter"], "speaker.type": ["person"]},
    ),
    Case(
        "attribution-before-a-colon",
        "Defence Minister Khawaja Asif spoke on Geo News.\n\n"
        'Speaking a day ago, Asif said: "We don\'t think Trump will call for the release."',
        claim="We don't think Trump",
        expect={"type": "direct_quote", "speaker.name": "Khawaja Asif", "date.value": dt.date(2024, 11, 6)},
    ),
    Case(
        "attribution-before-a-dash",
        'Union leader Halima Osei said \u2013 "We will picket the depot again tomorrow."',
        claim="We will picket the depot",
        expect={"speaker.name": "Halima Osei", "type": "direct_quote"},
    ),
    Case(
        "passive-attribution-with-an-agent",
        "It was stated by the World Health Organization that the outbreak is over.",
        claim="the outbreak is over",
        expect={"speaker.name": "World Health Organization"},
    ),
    Case(
        "appositive-gives-the-role",
        "Micheal Kugelman, a Washington-based expert on South Asian nations, said Pakistan would not be "
        "high on the list of priorities.",
        claim="high on the list",
        expect={
            "speaker.name": "Micheal Kugelman",
            "speaker.role": "Washington-based expert on South Asian nations",
        },
    ),
    Case(
        "organisation-speaks",
        "The Foreign Office said Islamabad was looking forward to broader ties.",
        claim="looking forward to broader ties",
        expect={"speaker.name": "Foreign Office", "speaker.type": "organization"},
    ),
    Case(
        "document-speaks-for-whoever-read-it",
        "Tenants' association chair Pieter Malan read a letter that said that the rent rise is the work of "
        "a careless and grasping landlord.",
        claim="the rent rise is the work",
        expect={"speaker.name": "Pieter Malan"},
    ),
    Case(
        "call-for-is-a-phrasal-cue-with-its-object-as-content",
        "Hundreds of farmers called for a faster rollout of drought-resistant seed across the region.",
        claim="a faster rollout of drought-resistant seed",
        expect={"cue.lemma": "call for", "speaker.type": "group"},
    ),
    Case(
        "second-speech-act-of-the-same-speaker-is-its-own-claim",
        "Germany's foreign ministry said it was deeply concerned and called on all sides to exercise "
        "restraint.",
        claim=None,
        expect={
            "text": ["it was deeply concerned", "all sides to exercise restraint"],
            "cue.lemma": ["say", "call on"],
            "speaker.name": ["Germany's foreign ministry", "Germany's foreign ministry"],
        },
    ),
    Case(
        "first-name-tells-he-from-she",
        "Maria Lopez said the offer was fair.\n\n"
        "Shawn Fain has led the union since 2023. He accused General Motors of stalling on purpose.",
        claim="General Motors of stalling",
        expect={"speaker.name": "Shawn Fain"},
    ),
    Case(
        "wire-dateline-is-not-the-speaker",
        "LONDON, March 14 (Reuters) - Rishi Sunak said on Thursday taxes would fall.",
        claim="taxes would fall",
        expect={
            "speaker.name": "Rishi Sunak",
            "text": "taxes would fall",
            "date.value": dt.date(2024, 3, 14),
        },
        published="2024-03-14",
    ),
    Case(
        "question-put-to-someone-is-not-a-claim",
        "When asked whether he would resign, Smith said he would stay until the inquiry ends.",
        claim=None,
        expect={"text": ["he would stay until the inquiry ends"]},
    ),
    Case(
        "name-inside-a-quote-is-not-the-pronoun-s-antecedent",
        "Volodymyr Zelensky spoke in Lisbon.\n\n"
        '"Putin wants war. He does not want peace," he told delegates.',
        claim="Putin wants war",
        expect={"speaker.name": "Volodymyr Zelensky"},
    ),
    Case(
        "study-speaks-through-find",
        "A new study has found that microplastics are present in every placenta tested.",
        claim="microplastics are present",
        expect={"cue.lemma": "find", "speaker.name": "new study"},
    ),
    Case(
        "inverted-cue-whose-speaker-the-parser-made-its-object",
        '"The storm will hit the coast tonight," warned the national meteorological institute.',
        claim=None,
        expect={"speaker.name": ["national meteorological institute"], "type": ["direct_quote"]},
    ),
    Case(
        "sentence-ending-in-a-colon-introduces-the-quotation",
        'Coach Piotr Zielinski put it bluntly: "We cannot defend like that and expect to win."',
        claim=None,
        expect={"speaker.name": ["Piotr Zielinski"], "type": ["direct_quote"]},
    ),
    Case(
        "reported-words-around-a-quotation-make-it-mixed",
        'The minister said he was "ready to talk at any moment".',
        claim=None,
        expect={"type": ["mixed_quote"], "text": ['he was "ready to talk at any moment"']},
    ),
    Case(
        "a-quotation-with-no-reported-words-around-it-is-direct",
        'The minister said that "talks will resume".',
        claim=None,
        expect={"type": ["direct_quote"]},
    ),
    Case(
        "a-family-speaks",
        "Her family said she had been bullied for months.",
        claim=None,
        expect={"speaker.name": ["Her family"], "speaker.type": ["group"]},
    ),
    Case(
        "inverted-cue-the-parser-hung-on-the-reported-clause",
        "Water levels would recover only with sustained autumn rain, "
        "warned the national meteorological institute.",
        claim=None,
        expect={
            "speaker.name": ["national meteorological institute"],
            "text": ["Water levels would recover only with sustained autumn rain"],
        },
    ),
]


@table(ATTRIBUTION)
def test_attribution(extract: Extract, case: Case) -> None:
    check(case, extract)


def test_seed_article_speakers(extract: Extract) -> None:
    speakers = {c.speaker.name for c in extract(SEED, None).claims}
    assert {"Mumtaz Zahra Baloch", "Khawaja Asif", "Raoof Hasan", "Pakistan"} <= speakers


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
