"""`/v1/entities`: find an entity, read what it says about whom and who speaks about it, and follow its
stance toward another entity week by week or month by month."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services import articles
from tests.api.conftest import assert_problem
from tests.builders import article, claim, extraction, speaker, target

LIMA = speaker("Ana Lima", "Lima", "person", "Mayor Lima", role="Mayor")
COSTA = speaker("Rui Costa", "Costa", "person", role="Governor")


@pytest.fixture
def stored(client: TestClient, session: Session) -> dict[str, int]:
    """Ana Lima on the port over two months (one claim undated), Rui Costa on it and on her; entity ids."""
    says = [
        claim("the port will grow", LIMA, target("Porto", "favor"), date=dt.date(2024, 1, 3)),
        claim("the port let us down", LIMA, target("Porto", "against"), date=dt.date(2024, 1, 20)),
        claim("the port failed again", LIMA, target("Porto", "against"), date=dt.date(2024, 2, 5)),
        claim("the port is a port", LIMA, target("Porto", "neutral"), date=None),
        claim(
            "the mayor is right about the port",
            COSTA,
            target("Ana Lima", "favor"),
            target("Porto", "neutral"),
        ),
    ]
    articles.store_article(session, article("port story"), extraction(*says), "p")
    session.commit()
    found = client.get("/v1/entities", params={"limit": 10}).json()["items"]
    return {e["name"]: e["id"] for e in found}


def test_entities_are_found_by_the_beginning_of_a_name_alias_or_role(
    client: TestClient, stored: dict[str, int]
) -> None:
    def names(**params: Any) -> list[str]:
        return [e["name"] for e in client.get("/v1/entities", params=params).json()["items"]]

    assert names() == ["Ana Lima", "Porto", "Rui Costa"]  # most claims by and about first
    assert names(q="LIM") == ["Ana Lima"]  # "Lima", an alias
    assert names(q="mayor") == ["Ana Lima"]  # "Mayor Lima", an alias, and the role "Mayor"
    assert names(q="gov") == ["Rui Costa"]  # a role only
    assert names(type="location") == ["Porto"]
    assert names(q="%") == [] and names(q="zzz") == []  # LIKE's wildcards are plain characters


def test_an_entity_with_what_it_says_about_whom_and_who_speaks_about_it(
    client: TestClient, stored: dict[str, int]
) -> None:
    lima = client.get(f"/v1/entities/{stored['Ana Lima']}").json()
    port = client.get(f"/v1/entities/{stored['Porto']}").json()

    assert (lima["claims_by"], lima["claims_about"], lima["roles"]) == (4, 1, ["Mayor"])
    assert {"Ana Lima", "Lima", "Mayor Lima"} <= set(lima["aliases"])
    [about_port] = lima["speaks_about"]
    assert about_port["entity"]["name"] == "Porto"
    assert (about_port["claims"], about_port["favor"], about_port["against"], about_port["neutral"]) == (
        4,
        1,
        2,
        1,
    )
    assert [(r["entity"]["name"], r["claims"]) for r in port["spoken_about_by"]] == [
        ("Ana Lima", 4),
        ("Rui Costa", 1),
    ]
    assert port["claims_about"] == 5 and port["claims_by"] == 0
    assert_problem(client.get("/v1/entities/999999"), 404, "not-found")


def test_the_stance_timeline_counts_each_month_or_week_from_statement_dates(
    client: TestClient, stored: dict[str, int]
) -> None:
    path = f"/v1/entities/{stored['Ana Lima']}/stance"
    monthly = client.get(path, params={"about": stored["Porto"]}).json()
    weekly = client.get(path, params={"about": stored["Porto"], "bucket": "week"}).json()
    costa_on_lima = client.get(
        f"/v1/entities/{stored['Rui Costa']}/stance", params={"about": stored["Ana Lima"]}
    )

    assert monthly["about"]["name"] == "Porto" and monthly["undated"] == 1
    assert [(p["start"], p["favor"], p["against"], p["neutral"]) for p in monthly["points"]] == [
        ("2024-01-01", 1, 1, 0),
        ("2024-02-01", 0, 1, 0),
    ]
    assert [p["start"] for p in weekly["points"]] == ["2024-01-01", "2024-01-15", "2024-02-05"]  # Mondays
    assert [(p["favor"], p["against"]) for p in costa_on_lima.json()["points"]] == [(1, 0)]
    assert_problem(client.get(path, params={"bucket": "year"}), 422, "validation")
    assert_problem(client.get(path, params={"about": 999999}), 404, "not-found")
