"""`/metrics`: Prometheus scrapes it; left out of the OpenAPI document, as it is not part of the API."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from app.core.metrics import Metrics

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def get_metrics(request: Request) -> Response:
    """This app's metrics in the Prometheus text format."""
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
