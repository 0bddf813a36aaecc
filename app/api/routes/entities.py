"""`/v1/entities`: the people, organisations, places and groups of the stored claims, and their stance
toward each other over time."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.api.deps import PageDep, RowId, SessionDep
from app.api.problems import problem_responses
from app.api.read_models import stance_points
from app.core.exceptions import NotFoundError
from app.db import models
from app.nlp.types import EntityType
from app.schemas.common import Page, StorableStr
from app.schemas.entity import EntityRead, EntityRef, EntitySummary, Relation, StanceTimeline
from app.services import entity_profiles
from app.services.entity_profiles import EntityCounts

router = APIRouter(prefix="/v1/entities", tags=["entities"])
TOP_RELATIONS = 10


@router.get(
    "",
    operation_id="list_entities",
    summary="Find entities by name, alias or role",
    responses=problem_responses(422, 500, 503),
)
def list_entities(
    session: SessionDep,
    page: PageDep,
    q: Annotated[
        StorableStr | None,
        Query(
            max_length=200, description="Beginning of a name, alias or role, any case (`bal` finds Baloch)."
        ),
    ] = None,
    type: Annotated[EntityType | None, Query(description="Only entities of this type.")] = None,
) -> Page[EntitySummary]:
    """Matching entities, the most quoted and quoted-about first."""
    found, total = entity_profiles.search_entities(session, q, type, page.limit, page.offset)
    items = [_summary(counts) for counts in found]
    return Page[EntitySummary](items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/{entity_id}",
    operation_id="get_entity",
    summary="Get an entity: its names, roles, what it says about whom, and who speaks about it",
    responses=problem_responses(404, 422, 500, 503),
)
def get_entity(entity_id: RowId, session: SessionDep) -> EntityRead:
    """The entity with its aliases and roles, its claim counts, and its ten strongest relations each way."""
    profile = entity_profiles.entity_profile(session, entity_id, TOP_RELATIONS)
    if profile is None:
        raise NotFoundError(f"There is no entity with id {entity_id}.")
    return EntityRead(
        **_summary(profile.counts).model_dump(),
        aliases=profile.aliases,
        roles=profile.roles,
        speaks_about=[_relation(r) for r in profile.speaks_about],
        spoken_about_by=[_relation(r) for r in profile.spoken_about_by],
    )


@router.get(
    "/{entity_id}/stance",
    operation_id="get_entity_stance_timeline",
    summary="The stance of an entity's claims over time (toward one entity, or toward any)",
    responses=problem_responses(404, 422, 500, 503),
)
def get_stance_timeline(
    entity_id: RowId,
    session: SessionDep,
    about: Annotated[
        RowId | None, Query(description="The target entity's id; omitted: every target.")
    ] = None,
    bucket: Annotated[
        Literal["week", "month"], Query(description="Count per week (from Monday) or month.")
    ] = "month",
) -> StanceTimeline:
    """Favour, against and neutral counts per period, from the statement dates of the entity's claims."""
    entity = _entity(session, entity_id)
    target = _entity(session, about) if about is not None else None
    points, undated = entity_profiles.stance_timeline(session, entity_id, about, bucket)
    return StanceTimeline(
        entity=_ref(entity),
        about=_ref(target) if target is not None else None,
        bucket=bucket,
        points=stance_points(points),
        undated=undated,
    )


def _entity(session: SessionDep, entity_id: int) -> models.Entity:
    entity = session.get(models.Entity, entity_id)
    if entity is None:
        raise NotFoundError(f"There is no entity with id {entity_id}.")
    return entity


def _ref(entity: models.Entity) -> EntityRef:
    return EntityRef.model_validate({"id": entity.id, "name": entity.name, "type": entity.type})


def _summary(counts: EntityCounts) -> EntitySummary:
    ref = _ref(counts.entity)
    return EntitySummary(**ref.model_dump(), claims_by=counts.claims_by, claims_about=counts.claims_about)


def _relation(relation: entity_profiles.Relation) -> Relation:
    split = {"favor": relation.favor, "against": relation.against, "neutral": relation.neutral}
    return Relation(entity=_ref(relation.other), claims=relation.claims, **split)
