"""Whom a claim is about, and the speaker's stance: the spec's "Targets, precisely", one row a case.

Every sentence is the project's own. A row names the targets a reader expects (with the stance where the
spec settles it, `None` where any stance will do) and the names that must not be targets.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from app.nlp.types import Claim
from tests.nlp.conftest import Extract

ANY = None

TARGETS = [
    # groups of people the statement is about
    pytest.param(
        "Opposition MP Thabo Mokoena condemned the masked gunmen who beat him outside his home.",
        {"masked gunmen": "against"},
        set(),
        id="group-by-a-common-noun-condemned",
    ),
    pytest.param(
        "Councillor Anna Price said residents had started complaining about the smell from the plant.",
        {"residents": ANY},
        set(),
        id="group-complaining-is-a-target-when-someone-else-speaks",
    ),
    pytest.param(
        "Councillor Anna Price said 40 families had lost their homes in the floods.",
        {},
        {"families", "40 families"},
        id="bare-count-of-people",
    ),
    pytest.param(
        "Relief coordinator Ana Silva said most of the displaced are women and children.",
        {"displaced": ANY},
        {"women", "children"},
        id="words-describing-another-group",
    ),
    pytest.param(
        "Merkel said she would put the proposal to leaders of the European Union next month.",
        {"European Union": ANY},
        {"leaders"},
        id="members-of-a-named-body-are-that-body",
    ),
    pytest.param(
        "Opposition leader Peter Banda said Mr. Banda's party would boycott the vote because the "
        "commission was biased.",
        {"commission": ANY},
        {"party"},
        id="a-body-the-speaker-owns-is-its-side",
    ),
    # places that only locate, and the same names acting as states
    pytest.param(
        'Shop owner Linda Hargrove said: "We are here as parents because the council has cut the school '
        'buses."',
        {"council": "against"},
        {"parents"},
        id="what-the-speaker-is-here-as-describes-it",
    ),
    pytest.param(
        "Councillor Anna Price said a girl was knocked down by a lorry on Mill Lane because the council "
        "ignored the residents.",
        {"council": ANY},
        {"Mill Lane"},
        id="a-street-is-a-place-whatever-the-recogniser-says",
    ),
    pytest.param(
        "Witnesses said nine people died in Harare and Bulawayo after the storm.",
        {},
        {"Harare", "Bulawayo"},
        id="places-joined-by-and-both-locate",
    ),
    pytest.param(
        "Defence Minister Daniel Kpoto said rebels were still in control of Tubmanso, but the army would "
        "retake the town of Tubmanso by Friday.",
        {},
        {"Tubmanso"},
        id="a-town-held-as-ground",
    ),
    pytest.param(
        "Health officials said cholera had broken out in Kariwe's Mandavu 2 suburb and in Sesheke "
        "district after the rains.",
        {},
        {"Mandavu 2", "Kariwe", "Sesheke"},
        id="names-of-a-suburb-and-a-district-locate",
    ),
    pytest.param(
        '"On Saturday I was due to tour a clinic in Lumane (Ndolo North province), but police in three '
        'trucks locked the gate," Prime Minister Ruth Dube said.',
        {"police": ANY},
        {"Ndolo North province"},
        id="a-province-in-brackets-locates",
    ),
    pytest.param(
        "Trade envoy Ama Mensah said talks would take place along the border between Togo and Benin.",
        {},
        {"Togo", "Benin"},
        id="border-between-two-countries-locates",
    ),
    pytest.param(
        "Analyst Peter Odhiambo said Togo had closed its border with Benin without warning.",
        {"Togo": ANY},
        set(),
        id="a-country-acting-as-a-state",
    ),
    pytest.param(
        "Foreign Minister Ishaq Dar said he would fly to Washington next week for trade talks.",
        {},
        {"United States"},
        id="travel-to-a-capital-locates",
    ),
    pytest.param(
        "Foreign Minister Ishaq Dar said ties to Washington were improving.",
        {"United States": ANY},
        set(),
        id="ties-to-a-capital-are-ties-to-its-country",
    ),
    # institutions of a country, named by the country
    pytest.param(
        "Opposition leader Tendai Moyo said the Malawian government had failed to repair the flooded roads.",
        {"Malawian government": ANY},
        {"Malawi"},
        id="a-country-s-government",
    ),
    pytest.param(
        "The press freedom group said the Iranian and Egyptian governments are jailing more "
        "reporters than ever.",
        {"Iranian government": ANY, "Egyptian government": ANY},
        {"Iran", "Egypt"},
        id="two-countries-governments",
    ),
    # the speaker's own side
    pytest.param(
        "Health Minister Grace Mulenga said the government had opened eight new treatment centres.",
        {},
        {"government"},
        id="a-minister-s-own-government",
    ),
    pytest.param(
        "Communications Minister Jean Bakari said the rebel losses were in the hundreds, while the national "
        "army suffered some losses.",
        {},
        {"national army"},
        id="a-minister-s-national-army",
    ),
    pytest.param(
        "Liberian defense officials said government troops captured the town after a fierce battle.",
        {},
        {"government troops"},
        id="defence-officials-own-troops",
    ),
    pytest.param(
        "Pakistan values its bilateral relations with the United States, Pakistan said.",
        {"United States": ANY},
        {"Pakistan"},
        id="the-speaker-itself",
    ),
    # people referred to without their name
    pytest.param(
        "Health Secretary Richard Ashworth defended the figures on Monday.\n\n"
        "Opposition spokeswoman Priya Kaur said he had misled patients about waiting times.",
        {"Richard Ashworth": ANY},
        set(),
        id="a-pronoun",
    ),
    pytest.param(
        '"We have asked for free elections," party spokesman David Mwangi said.\n\n'
        'Ms. Kamau said her party would not hold talks with "dictators" - an apparent reference to General '
        "Paul Otieno. She said since he took power in a coup, he had undermined democracy.",
        {"Paul Otieno": "against"},
        {"David Mwangi"},
        id="a-pronoun-names-the-person-just-named-not-an-earlier-speaker",
    ),
    pytest.param(
        "On Tuesday police pursued street vendors into the building in which the party has its offices."
        '\n\n"They threatened bystanders and threw tear gas into crowds," Tendai Moyo said.',
        {"police": ANY},
        {"party"},
        id="they-is-the-main-clause-s-subject",
    ),
    pytest.param(
        "President Marco Duarte refused to step down on Monday.\n\nGeneral Tomas Ruiz said he recognised "
        "Elena Vidal as acting president.",
        {"Elena Vidal": ANY},
        {"Marco Duarte"},
        id="a-title-given-is-not-its-holder",
    ),
    pytest.param(
        "Dunleavy defended Sam Okoro, saying the 20-year-old had done nothing wrong.",
        {"Sam Okoro": ANY},
        set(),
        id="a-description-names-the-person-just-mentioned",
    ),
    pytest.param(
        "Coach Mick Dunleavy was furious after the match. He said the referee had been conned.",
        {"referee": ANY},
        set(),
        id="an-office-the-article-never-names",
    ),
    pytest.param(
        "Washington announced new tariffs on Mexican steel on Monday.\n\n"
        "Mexico's economy minister Rocio Nahle condemned the move.",
        {"United States": "against"},
        set(),
        id="an-act-named-without-its-actor",
    ),
    pytest.param(
        "Boxing promoter Lena Hartmann insists the rematch between Tyrone Wells and Aleksandr Kovac "
        "will go ahead in March despite Kovac's hand injury.",
        {"Aleksandr Kovac": ANY},
        {"Kovac"},
        id="a-surname-tagged-as-a-place",
    ),
    # stance the spec settles
    pytest.param(
        "Mayor Joan Hill urged residents to report burst pipes and flooding to the council.",
        {"residents": "neutral"},
        set(),
        id="those-asked-to-act-are-only-addressed",
    ),
    pytest.param(
        "Rights groups condemned Russia's decision to expel the journalists, Amnesty said.",
        {"Russia": "against"},
        set(),
        id="criticising-someone-s-decision",
    ),
    pytest.param(
        "Aid worker Antonio Lopez said the families on the islands must be helped now.",
        {"families": "favor"},
        set(),
        id="a-call-to-help-is-in-favour",
    ),
    pytest.param(
        "Okafor said he does not blame Governor Daniel Whitcombe for the delays.",
        {"Daniel Whitcombe": "favor"},
        set(),
        id="a-denied-criticism-clears-its-target",
    ),
    pytest.param(
        "Senator Maria Lopez defended the governor on Tuesday.",
        {"governor": "favor"},
        set(),
        id="defending-someone-is-in-their-favour",
    ),
    pytest.param(
        "The coach said he did not praise the referee after the match.",
        {"referee": "neutral"},
        set(),
        id="a-denied-praise-takes-no-side",
    ),
    pytest.param(
        '"Our customers need somewhere to park. The council is killing small businesses," '
        "shop owner Linda Hargrove said.",
        {"customers": "favor", "council": "against"},
        set(),
        id="defends-one-side-attacks-the-other",
    ),
    pytest.param(
        'Interior Minister Amir Shah said: "We do not think Washington will push for '
        "Nadia Rahimi's release.\"",
        {"Nadia Rahimi": "neutral"},
        set(),
        id="a-doubted-call-for-release-takes-no-side",
    ),
    pytest.param(
        "Party leader Omar Aziz said the party had never hoped that Nadia Rahimi would be freed.",
        {"Nadia Rahimi": "neutral"},
        set(),
        id="a-release-never-hoped-for-takes-no-side",
    ),
    pytest.param(
        '"[Prime Minister Karl] Brandt has failed the farmers," opposition leader Eva Lind said.',
        {"Karl Brandt": "against"},
        set(),
        id="an-editors-brackets-are-not-part-of-a-name",
    ),
    pytest.param(
        "Analyst Tom Reyes wrote that the silence on party founder Samuel Okafor shows that the former "
        "prime minister will not be a priority for Washington.",
        {"Samuel Okafor": ANY},
        {"former prime minister"},
        id="a-former-office-names-the-person-just-named",
    ),
    pytest.param(
        "Rights group Amnesty International urged the authorities to release Nadia Rahimi.",
        {"Nadia Rahimi": "favor"},
        set(),
        id="a-call-for-release-is-in-favour",
    ),
    pytest.param(
        '"The boss gets R10 and I get R10 from what we sell. The police took all our stuff," hawker Thandi '
        "Mbeki said.",
        {"police": ANY},
        {"R10"},
        id="a-sum-of-money-is-no-one",
    ),
    pytest.param(
        "Coach Paul Mensah said Cote d’Ivoire had outplayed his team.",
        {"Ivory Coast": ANY},
        {"Cote"},
        id="a-country-name-the-recogniser-cut-short-is-the-country",
    ),
]


def targets(claims: Iterable[Claim]) -> dict[str, str]:
    """Every target of the claims, with its stance."""
    return {t.name: t.stance for c in claims for t in c.targets}


@pytest.mark.parametrize(("text", "present", "absent"), TARGETS)
def test_targets(extract: Extract, text: str, present: dict[str, str | None], absent: set[str]) -> None:
    result = extract(text)
    assert result.claims, "no claim found"
    found = targets(result.claims)
    for name, stance in present.items():
        assert name in found, f"{name!r} is not a target: {found}"
        if stance is not None:
            assert found[name] == stance, f"{name!r}: {found[name]}, expected {stance}"
    assert not absent & found.keys(), f"{sorted(absent & found.keys())} should not be targets: {found}"
