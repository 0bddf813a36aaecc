"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: model loaded, database reachable)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.problems import problem_responses
from app.core.errors import ServiceUnavailableError
from app.schemas.health import HealthRead

router = APIRouter(tags=["health"])


@router.get("/healthz", operation_id="get_health", summary="Liveness")
async def get_health() -> HealthRead:
    """The process is up and serving requests."""
    return HealthRead()


@router.get("/readyz", operation_id="get_readiness", summary="Readiness", responses=problem_responses(503))
def get_readiness(request: Request) -> HealthRead:
    """Ready when the extractor is loaded and the database answers `SELECT 1`."""
    state = request.app.state
    if getattr(state, "extraction", None) is None:
        raise ServiceUnavailableError("The extractor is not loaded.")
    engine = getattr(state, "engine", None)
    if engine is None:
        raise ServiceUnavailableError("The database engine is not set up.")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        raise ServiceUnavailableError("The database is not reachable.") from None
    return HealthRead()
