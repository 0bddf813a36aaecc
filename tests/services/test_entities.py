"""Entity get-or-create: one row per normalized name and type, safe when requests race."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.db.models import Entity, EntityAlias
from app.db.session import create_session_factory
from app.services.entities import EntityRegistry, Named, entity_key, lookup_key
from tests.conftest import Racer, count_rows


def test_lookup_key_ignores_case_and_spacing() -> None:
    assert (
        lookup_key("  Mumtaz   Zahra\nBALOCH ") == lookup_key("mumtaz zahra baloch") == "mumtaz zahra baloch"
    )


def resolve_one(session: Session, name: str, type_: str, aliases: list[str] | None = None) -> Entity:
    """One name resolved by a fresh registry, as an article naming only it would be."""
    return EntityRegistry(session).resolve([Named(name, type_, aliases or [])])[entity_key(name, type_)]


def test_same_name_and_type_is_one_entity_other_type_is_another(engine: Engine, session: Session) -> None:
    found = EntityRegistry(session).resolve([Named("Jordan", "person"), Named("Jordan", "location")])
    person, country = found[("jordan", "person")], found[("jordan", "location")]
    again = resolve_one(session, "JORDAN", "person")  # a fresh registry: found in the database
    session.commit()

    assert person.id == again.id != country.id
    assert person.name == "Jordan"  # the first spelling seen stays canonical
    assert count_rows(engine, "entities") == 2


def test_aliases_are_recorded_once_and_pronouns_never(session: Session) -> None:
    entity = resolve_one(session, "United States", "location", ["US", "U.S.", "Washington", "us", "It"])
    resolve_one(session, "united states", "location", ["WASHINGTON", "America"])
    session.commit()

    keys = sorted(session.scalars(select(EntityAlias.alias_key).where(EntityAlias.entity_id == entity.id)))
    assert keys == ["america", "u.s.", "united states", "us", "washington"]


def test_concurrent_creation_of_one_entity_yields_one_row(backend: str, engine: Engine) -> None:
    if backend == "sqlite":
        pytest.skip("SQLite serializes writers with a database lock; the race needs row-level locking")
    factory = create_session_factory(engine)
    with factory() as first, factory() as second:
        mine = resolve_one(first, "Khawaja Asif", "person", ["Asif"])  # inserted, uncommitted
        racer = Racer(lambda: resolve_one(second, "Khawaja Asif", "person", ["Asif"]))
        assert racer.blocked()  # waiting on the unique index
        first.commit()
        theirs = racer.result()
        second.commit()

    assert theirs.id == mine.id
    assert count_rows(engine, "entities") == 1 and count_rows(engine, "entity_aliases") == 2
