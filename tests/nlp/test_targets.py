"""Whom a claim is about: groups named by common nouns, places, and owners of what is criticised."""

from __future__ import annotations

from collections.abc import Iterable

from app.nlp.types import Claim
from tests.nlp.conftest import Extract


def _targets(claims: Iterable[Claim]) -> dict[str, str]:
    """Every target of the claims, with its stance."""
    return {t.name: t.stance for c in claims for t in c.targets}


def test_group_named_by_a_common_noun_is_a_target(extract: Extract) -> None:
    result = extract("Opposition MP Thabo Mokoena said he was beaten by masked gunmen outside his home.")
    assert _targets(result.claims).get("masked gunmen") == "against"


def test_counted_group_is_reported_not_addressed(extract: Extract) -> None:
    result = extract("Councillor Anna Price said 40 families had lost their homes in the floods.")
    assert result.claims and "families" not in " ".join(_targets(result.claims))


def test_group_reported_as_speaking_is_not_a_target(extract: Extract) -> None:
    result = extract("Councillor Anna Price said residents had started complaining about the smell.")
    assert result.claims and "residents" not in _targets(result.claims)


def test_members_of_a_named_body_are_that_body(extract: Extract) -> None:
    result = extract("Merkel said she would put the proposal to leaders of the European Union next month.")
    names = _targets(result.claims)
    assert "European Union" in names and "leaders" not in names


def test_those_asked_to_act_are_only_addressed(extract: Extract) -> None:
    result = extract("Mayor Joan Hill urged residents to report burst pipes and flooding to the council.")
    assert _targets(result.claims).get("residents") == "neutral"


def test_criticising_someone_s_decision_is_against_them(extract: Extract) -> None:
    result = extract("Rights groups condemned Russia's decision to expel the journalists, Amnesty said.")
    assert _targets(result.claims).get("Russia") == "against"


def test_ties_to_a_capital_are_ties_to_its_country(extract: Extract) -> None:
    result = extract("Foreign Minister Ishaq Dar said ties to Washington were improving.")
    assert "United States" in _targets(result.claims)


def test_travel_to_a_capital_makes_it_a_place(extract: Extract) -> None:
    result = extract("Foreign Minister Ishaq Dar said he would fly to Washington next week for trade talks.")
    assert result.claims and "United States" not in _targets(result.claims)


def test_person_referred_to_by_a_pronoun_is_a_target(extract: Extract) -> None:
    result = extract(
        "Health Secretary Richard Ashworth defended the figures on Monday.\n\n"
        "Opposition spokeswoman Priya Kaur said he had misled patients about waiting times."
    )
    kaur = next(c for c in result.claims if c.speaker.name == "Priya Kaur")
    assert "Richard Ashworth" in _targets([kaur])


def test_name_tagged_as_a_place_is_the_person_of_that_surname(extract: Extract) -> None:
    result = extract(
        "Boxing promoter Lena Hartmann insists the rematch between Tyrone Wells and Aleksandr Kovac "
        "will go ahead in March despite Kovac's hand injury."
    )
    names = _targets(result.claims)
    assert "Aleksandr Kovac" in names and "Kovac" not in names
