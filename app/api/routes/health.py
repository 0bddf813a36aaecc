"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: model loaded, database and broker
reachable). Both answer HEAD too, as load balancers and uptime checks often probe with it."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.api.problems import problem_responses
from app.core.exceptions import ServiceUnavailableError
from app.schemas.health import HealthRead

router = APIRouter(tags=["health"])

BROKER_CONNECT_TIMEOUT_S = 2.0
AMQP_PORTS = {"amqp": 5672, "amqps": 5671}


# HEAD is routed separately and left out of the schema: one operation id per path and method.
@router.head("/healthz", include_in_schema=False)
@router.get("/healthz", operation_id="get_health", summary="Liveness")
async def get_health() -> HealthRead:
    """The process is up and serving requests."""
    return HealthRead()


@router.head("/readyz", include_in_schema=False)
@router.get("/readyz", operation_id="get_readiness", summary="Readiness", responses=problem_responses(503))
def get_readiness(request: Request) -> HealthRead:
    """Ready when the extractor is loaded, the database answers `SELECT 1` and the broker (if any) accepts
    a connection."""
    state = request.app.state
    if getattr(state, "extraction", None) is None:
        raise ServiceUnavailableError("The extractor is not loaded.")
    engine = getattr(state, "engine", None)
    if engine is None:
        raise ServiceUnavailableError("The database engine is not set up.")
    _check_database(engine)
    if broker_url := state.settings.broker_url:
        _check_broker(broker_url)
    return HealthRead()


def _check_database(engine: Engine) -> None:
    """503 unless the database answers."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        raise ServiceUnavailableError("The database is not reachable.") from None


def _check_broker(url: str) -> None:
    """503 unless the broker's port accepts a TCP connection: cheap, and no AMQP session in its logs."""
    parts = urlsplit(url)
    try:
        address = (parts.hostname or "localhost", parts.port or AMQP_PORTS.get(parts.scheme, 5672))
        with socket.create_connection(address, timeout=BROKER_CONNECT_TIMEOUT_S):
            pass
    except (OSError, ValueError):  # refused, unreachable, timed out, unknown host; a bad port number
        raise ServiceUnavailableError("The message broker is not reachable.") from None
