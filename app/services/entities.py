"""Entities shared across articles: race-safe get-or-create, and the aliases each was seen under.

Two requests may name the same new entity at once. `INSERT ... ON CONFLICT DO NOTHING` followed by
a `SELECT` lets both succeed on PostgreSQL (the second waits for the first, then reads its row)
without a savepoint or a retry loop. An article's names are resolved together, in one pass: one
upsert and one select for its entities, one insert for their aliases, rows in a fixed order so two
transactions never lock the same keys in opposite orders; per-name round trips cost more than the
rest of storing an article.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import Select, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db.base import Base
from app.db.models import Entity, EntityAlias, EntityRole
from app.nlp.lexicon import pronouns

# Core statements with a list of rows (executemany): compiled once and cached, where `.values(rows)`
# compiles anew for every row count, and no ORM bulk layer on top (half the CPU of storing names).
ENTITIES, ENTITY_ALIASES = Base.metadata.tables["entities"], Base.metadata.tables["entity_aliases"]
ENTITY_ROLES = Base.metadata.tables["entity_roles"]

# A pronoun names a different entity in every article, so it is never kept as an alias: otherwise
# `speaker=she` would find every woman quoted. Exact spellings, so "US" (the country) is not "us".
PRONOUN_SPELLINGS = frozenset(form for word in pronouns().every for form in (word, word.capitalize()))


def lookup_key(name: str) -> str:
    """The form names and aliases are matched in: case-folded, whitespace collapsed."""
    return " ".join(name.split()).casefold()


def entity_key(name: str, type_: str) -> tuple[str, str]:
    """What makes two mentions one entity: the name's lookup key and the type."""
    return lookup_key(name), type_


def entity_ids_named(name: str) -> Select[int]:
    """Ids of the entities whose canonical name, any alias or any role is `name` (case-insensitive):
    "Baloch", "Mumtaz Zahra Baloch" and "foreign office spokesperson" all name her."""
    key = lookup_key(name)
    aliased = select(EntityAlias.entity_id).where(EntityAlias.alias_key == key)
    titled = select(EntityRole.entity_id).where(EntityRole.role_key == key)
    return select(Entity.id).where(or_(Entity.name_key == key, Entity.id.in_(aliased), Entity.id.in_(titled)))


def dialect_insert(session: Session, table: Any) -> Any:
    """The dialect's INSERT, which knows `ON CONFLICT DO NOTHING`."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"entity upsert is not implemented for {dialect}")


class Named(NamedTuple):
    """An entity as one article names it: the spellings it was seen under, the roles it was given."""

    name: str
    type: str
    spellings: Iterable[str] = ()
    roles: Iterable[str] = ()


class EntityRegistry:
    """Resolves names to entity rows within one unit of work, remembering what it has already written."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._entities: dict[tuple[str, str], Entity] = {}
        self._alias_keys: dict[int, set[str]] = {}
        self._role_keys: dict[int, set[str]] = {}

    def resolve(self, mentions: Iterable[Named]) -> dict[tuple[str, str], Entity]:
        """The entity of each (name, type), created if new, with every spelling recorded as an alias and
        every role as a role: all of them in one pass (one upsert, one select, one insert of aliases,
        one of roles). Keyed by `entity_key`."""
        names: dict[tuple[str, str], str] = {}
        spellings: dict[tuple[str, str], list[str]] = {}
        roles: dict[tuple[str, str], list[str]] = {}
        for mention in mentions:
            key = entity_key(mention.name, mention.type)
            names.setdefault(key, mention.name)
            spellings.setdefault(key, []).extend([mention.name, *mention.spellings])
            roles.setdefault(key, []).extend(mention.roles)
        missing = sorted(key for key in names if key not in self._entities)
        if missing:
            rows = [{"name": names[key], "name_key": key[0], "type": key[1]} for key in missing]
            stmt = dialect_insert(self._session, ENTITIES)
            stmt = stmt.on_conflict_do_nothing(index_elements=["name_key", "type"])
            self._session.connection().execute(stmt, rows)
            found = select(Entity).where(tuple_(Entity.name_key, Entity.type).in_(missing))
            self._entities.update({(e.name_key, e.type): e for e in self._session.scalars(found)})
        self._add_aliases_of({self._entities[key].id: spellings[key] for key in names})
        self._add_roles_of({self._entities[key].id: roles[key] for key in names if roles[key]})
        return {key: self._entities[key] for key in names}

    def _add_aliases_of(self, aliases_by_entity: dict[int, list[str]]) -> None:
        """Record each new spelling of these entities once (never a pronoun), in one statement."""
        kept = {
            e: [a for a in aliases if a.strip() not in PRONOUN_SPELLINGS]
            for e, aliases in aliases_by_entity.items()
        }
        self._add_words(ENTITY_ALIASES, "alias", kept, self._alias_keys)

    def _add_roles_of(self, roles_by_entity: dict[int, list[str]]) -> None:
        """Record each new role of these entities once, in one statement."""
        self._add_words(ENTITY_ROLES, "role", roles_by_entity, self._role_keys)

    def _add_words(
        self, table: Any, column: str, words_by_entity: dict[int, list[str]], seen: dict[int, set[str]]
    ) -> None:
        """Insert each entity's words (aliases or roles) whose lookup key it does not have yet, the first
        spelling of each key, in one statement; `seen` remembers the keys written in this unit of work."""
        rows: dict[tuple[int, str], str] = {}
        for entity_id, words in words_by_entity.items():
            known = seen.setdefault(entity_id, set())
            for word in words:
                key = lookup_key(word)
                if key and key not in known and (entity_id, key) not in rows:
                    rows[(entity_id, key)] = " ".join(word.split())
        if not rows:
            return
        values = [{"entity_id": e, column: rows[(e, k)], f"{column}_key": k} for e, k in sorted(rows)]
        stmt = dialect_insert(self._session, table)
        stmt = stmt.on_conflict_do_nothing(index_elements=["entity_id", f"{column}_key"])
        self._session.connection().execute(stmt, values)
        for entity_id, key in rows:
            seen[entity_id].add(key)
