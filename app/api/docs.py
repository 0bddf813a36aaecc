"""The API's documentation pages, Swagger UI and ReDoc, their scripts and styles served by the app from
the `fastapi-offline` wheel: the pages work on a machine without internet, and their content security
policy (`middleware/security_headers.py`) lets them load nothing from anywhere else."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

SWAGGER_UI = "/docs"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"
REDOC = "/redoc"
ASSETS = "/docs/assets"
PAGES = (SWAGGER_UI, OAUTH2_REDIRECT, REDOC)


def documented_app(**kwargs: Any) -> FastAPI:
    """A FastAPI app whose documentation pages load their assets from `ASSETS`, not from a CDN."""
    app = FastAPIOffline(
        docs_url=SWAGGER_UI,
        redoc_url=REDOC,
        static_url=ASSETS,
        swagger_ui_oauth2_redirect_url=OAUTH2_REDIRECT,
        **kwargs,
    )
    app.swagger_ui_parameters = {"tryItOutEnabled": True, "displayRequestDuration": True}
    return app
