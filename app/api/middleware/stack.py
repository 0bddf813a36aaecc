"""The middleware of an app, in order: the first added runs innermost, the last sees every request first."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.api import docs
from app.api.middleware.body_limit import install_body_limit
from app.api.middleware.json_only import JsonOnlyMiddleware
from app.api.middleware.key_gate import KeyGateMiddleware
from app.api.middleware.rate_limit import RateLimitMiddleware
from app.api.middleware.request_id import RequestIdMiddleware
from app.api.middleware.security_headers import SecurityHeadersMiddleware
from app.api.middleware.telemetry import TelemetryMiddleware
from app.api.routes import metrics as metrics_route
from app.core.config import Settings
from app.core.metrics import Metrics

CORS_HEADERS = ["Content-Type", "X-API-Key", "Authorization", "X-Request-ID"]
EXPOSED_HEADERS = ["X-Request-ID", "Retry-After", "Location"]


def install_middleware(
    app: FastAPI, settings: Settings, metrics: Metrics, form_paths: Sequence[str] = ()
) -> None:
    """Cheap checks before costly ones (the key before the body); CORS, telemetry, the request id and the
    security headers see every answer, refusals too. `form_paths`: pages that take a browser's form post."""
    app.add_middleware(JsonOnlyMiddleware, form_paths=form_paths)
    install_body_limit(app, settings.max_body_bytes, {"/v1/jobs": settings.job_max_body_bytes})
    if settings.api_key_hashes:
        app.add_middleware(
            KeyGateMiddleware, key_hashes=settings.api_key_hashes, guarded_paths=_private_paths(app, settings)
        )
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
    if settings.forwarded_allow_ips:  # the rate limit then counts the client a trusted proxy names
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    app.add_middleware(TelemetryMiddleware, metrics=metrics)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, html_paths=docs.PAGES)


def _private_paths(app: FastAPI, settings: Settings) -> list[str]:
    """Paths besides `/v1` that need a key: the docs and the schema, and the metrics, unless public."""
    schema = [app.openapi_url] if app.openapi_url else []
    documentation = [] if settings.docs_public else [*docs.PAGES, *schema]
    return documentation + ([] if settings.metrics_public else [metrics_route.PATH])
