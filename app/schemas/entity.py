"""Entities as the API shows them: found (`EntitySummary`), in full (`EntityRead`), and the stance of
what one said about another over time (`StanceTimeline`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from app.nlp.types import EntityType


class EntityRef(BaseModel):
    """An entity, named."""

    id: int
    name: str = Field(description="Canonical name: the first full spelling the service saw.")
    type: EntityType


class EntitySummary(EntityRef):
    """An entity and how many stored claims it made and is a target of."""

    claims_by: int = Field(description="Claims with this entity as their speaker.")
    claims_about: int = Field(description="Claims with this entity among their targets.")


class StanceSplit(BaseModel):
    """How many claims took each stance."""

    favor: int
    against: int
    neutral: int


class Relation(StanceSplit):
    """Another entity, with the claims between the two by stance."""

    entity: EntityRef
    claims: int


class EntityRead(EntitySummary):
    """An entity: its spellings and roles, what it speaks about, and who speaks about it."""

    aliases: list[str] = Field(description="Every spelling articles used for it.")
    roles: list[str] = Field(description="Every role articles gave it as a speaker.")
    speaks_about: list[Relation] = Field(description="The targets of its claims, most frequent first.")
    spoken_about_by: list[Relation] = Field(
        description="The speakers of claims about it, most frequent first, with their stance toward it."
    )


class StancePoint(StanceSplit):
    """The claims of one week (from Monday) or month, by their statement date."""

    start: dt.date = Field(description="First day of the week or month.")


class StanceTimeline(BaseModel):
    """How an entity's stance (toward one entity, or toward any) moved over time."""

    entity: EntityRef
    about: EntityRef | None = Field(description="The target; null: every target of its claims.")
    bucket: Literal["week", "month"]
    points: list[StancePoint] = Field(description="Only periods with claims, oldest first.")
    undated: int = Field(description="Claims left out because their statement date is unknown.")
