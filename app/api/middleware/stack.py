"""The middleware of an app, in order: the first added runs innermost, the last sees every request first."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.api.middleware.body_limit import install_body_limit
from app.api.middleware.json_only import JsonOnlyMiddleware
from app.api.middleware.rate_limit import RateLimitMiddleware
from app.api.middleware.request_id import RequestIdMiddleware
from app.api.middleware.telemetry import TelemetryMiddleware
from app.core.config import Settings
from app.core.metrics import Metrics

CORS_HEADERS = ["Content-Type", "X-API-Key", "Authorization", "X-Request-ID"]
EXPOSED_HEADERS = ["X-Request-ID", "Retry-After", "Location"]


def install_middleware(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    """Cheap checks before costly ones; CORS, telemetry and the request id see every answer, refusals too."""
    app.add_middleware(JsonOnlyMiddleware)
    install_body_limit(app, settings.max_body_bytes, {"/v1/jobs": settings.job_max_body_bytes})
    if settings.rate_limit_per_minute:
        app.add_middleware(
            RateLimitMiddleware, per_minute=settings.rate_limit_per_minute, key_hashes=settings.api_key_hashes
        )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=CORS_HEADERS,
            expose_headers=EXPOSED_HEADERS,
        )
    app.add_middleware(TelemetryMiddleware, metrics=metrics)
    app.add_middleware(RequestIdMiddleware)
