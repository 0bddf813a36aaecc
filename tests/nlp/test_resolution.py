"""Who is who: the entity resolution that speakers, targets and stance depend on, one row a case.

Each case is a failure seen when the service was tried as a new user would; the sentences are the
project's own, except the seed article's (the one the project was made from).
"""

from __future__ import annotations

from tests.nlp.cases import Case, check, table
from tests.nlp.conftest import SEED, Extract

RESOLUTION = [
    Case(
        "the-former-prime-minister-is-not-the-defence-minister",
        SEED,
        claim="high on his list of priorities",
        expect={"stance toward Imran Khan": "neutral", "stance toward Khawaja Asif": None},
        published=None,
    ),
    Case(
        "the-former-prime-minister-is-not-a-second-target-beside-the-party-founder",
        SEED,
        claim="high on his list of priorities",
        expect={"target names": ["Donald Trump", "Imran Khan", "Pakistan"]},
        published=None,
    ),
    Case(
        "a-surname-that-is-a-street-word-stays-a-person",
        "Councillor Anna Price said Tamsin Way had misled the committee about the plans.",
        claim="misled the committee",
        expect={"target names": ["Tamsin Way", "committee"], "target types": ["person", "organization"]},
    ),
    Case(
        "a-letter-seeking-a-release-speaks-for-its-authors",
        SEED,
        claim="release of Pakistan Tehreek-e-Insaf",
        expect={"speaker.name": "US lawmakers", "stance toward Imran Khan": "favor"},
        published=None,
    ),
    Case(
        "terming-the-move-is-about-whoever-made-it",
        SEED,
        claim="the move",
        expect={"speaker.name": "Pakistan", "targets": [("US lawmakers", "against")]},
        published=None,
    ),
    Case(
        "he-said-after-a-new-subject-is-that-subject",
        "Coach Javier Ortega praised Kwame Asante after the match.\n\n"
        'Asante denied diving. "I felt contact and I went down," he said.',
        claim="I felt contact",
        expect={"speaker.name": "Kwame Asante"},
    ),
    Case(
        "the-spaniard-is-the-spanish-manager",
        "Harbury manager Javier Ortega praised his captain, the striker Kwame Asante, after the match. "
        '"We never panicked," the Spaniard said.',
        claim="We never panicked",
        expect={"speaker.name": "Javier Ortega"},
    ),
    Case(
        "a-surname-the-recogniser-tagged-as-an-organisation-is-the-person",
        "Analysts were divided. Tomasz Wrona, an energy analyst at Kestrel Capital, said the withdrawal "
        "reflected nervousness among lenders.",
        claim="nervousness among lenders",
        expect={"speaker.name": "Tomasz Wrona", "speaker.type": "person"},
    ),
    Case(
        "a-byline-is-never-a-speaker-nor-the-antecedent-of-she",
        "By Karen Delgado, Staff Writer\n\nGREENVILLE FALLS - Shop owners protested on Tuesday.\n\n"
        'Maria Lopez, who runs a bakery, said the plan was rushed. "Nobody asked us," she said.',
        claim=None,
        expect={"speaker.name": ["Maria Lopez", "Maria Lopez"], "target names": [[], []]},
    ),
    Case(
        "a-shortened-company-name-is-the-company",
        "Shares in Northwind Energy fell on Thursday. Analyst Tomasz Wrona said Northwind would struggle "
        "to raise money.",
        claim="struggle to raise",
        expect={"target names": ["Northwind Energy"]},
    ),
    Case(
        "the-bank-is-the-bank-named-before",
        "Shares in Northwind Energy fell 14 per cent after Barclays withdrew from a loan package.\n\n"
        "The bank said in a statement that it had reassessed its exposure to the project.",
        claim="reassessed its exposure",
        expect={"speaker.name": "Barclays"},
    ),
    Case(
        "its-officer-is-the-organisation-s-officer",
        "The National Union of Teachers rejected the pay offer. Its national officer, Sarah Kemp, said "
        "members would vote on strikes.",
        claim="vote on strikes",
        expect={"speaker.name": "Sarah Kemp", "speaker.role": "National Union of Teachers national officer"},
    ),
    Case(
        "a-titled-name-the-recogniser-took-for-an-organisation",
        "Councillor Anna Price said the bridge would reopen in May.",
        claim=None,
        expect={"speaker.name": ["Anna Price"], "speaker.type": ["person"], "speaker.role": ["Councillor"]},
    ),
    Case(
        "a-quotation-before-the-cue-is-what-was-said",
        "Linda Hargrove runs a hardware shop.\n\n"
        '"The council is killing small businesses," she said, drawing applause from the crowd.',
        claim=None,
        expect={"type": ["direct_quote"], "text": ["The council is killing small businesses,"]},
    ),
    Case(
        "a-people-named-by-its-demonym-is-a-group",
        "Opposition leader Bence Toth said Hungarians were tired of broken promises.",
        claim=None,
        expect={"target names": [["Hungarians"]], "target types": [["group"]]},
    ),
    Case(
        "the-striker-is-the-one-introduced-as-the-striker",
        "Harbury manager Javier Ortega praised Kwame Asante, the 31-year-old striker, after the win.\n\n"
        '"We never panicked," Ortega said.\n\n"I just wanted to score," the striker said.',
        claim="I just wanted to score",
        expect={"speaker.name": "Kwame Asante"},
    ),
    Case(
        "first-name-and-title-resolve-to-the-full-name",
        "The opposition hopes for the release of the party founder Imran Khan.\n\n"
        "Defence Minister Khawaja Asif said Imran would stay in jail.\n\n"
        "Asif said: \"We don't think Trump will call for PTI founder's release.\"",
        claim=None,
        expect={
            "text": ["Imran would stay in jail", "We don't think Trump will call for PTI founder's release."],
            "stance toward Imran Khan": ["neutral", "neutral"],
        },
    ),
    Case(
        "capital-speaking-for-its-government-is-the-country",
        "ISLAMABAD: Foreign Office Spokesperson Mumtaz Zahra Baloch said the country was looking forward "
        "to broaden its ties with Washington in all fields.",
        claim="ties with Washington",
        expect={"targets": [("United States", "favor")]},
    ),
    Case(
        "place-of-an-event-is-not-a-target",
        "Commissioner Halvorsen said he planned to raise the fishing quotas with the Nordic Council at talks "
        "in Norway.",
        claim="raise the fishing quotas",
        expect={"stance toward Norway": None},
    ),
    # the stance toward a target named with a title or through what it runs
    Case(
        "blame-is-against-its-target",
        "Union spokesman Idris Adjei said he was assaulted outside the depot. "
        "Adjei says he blames Mayor Daniel Whitcombe's administration for the attack.",
        claim="blames",
        expect={"stance toward Daniel Whitcombe": "against"},
    ),
    Case(
        "congratulation-is-in-favor",
        "Foreign Office Spokesperson Mumtaz Zahra Baloch spoke. She said that the prime minister has "
        "congratulated President-elect Donald Trump on his victory in the US vote.",
        claim=None,
        expect={"stance toward Donald Trump": ["favor"]},
    ),
]


@table(RESOLUTION)
def test_resolution(extract: Extract, case: Case) -> None:
    check(case, extract)
