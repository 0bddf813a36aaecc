"""`/metrics`: Prometheus scrapes it; left out of the OpenAPI document, as it is not part of the API.

With API keys configured it needs one (Prometheus sends it as a bearer token) unless
`CLAIMS_METRICS_PUBLIC`; `middleware/key_gate.py` checks that, before the route runs.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from app.core.metrics import Metrics

PATH = "/metrics"
router = APIRouter()


@router.get(PATH, include_in_schema=False)
def get_metrics(request: Request) -> Response:
    """This app's metrics in the Prometheus text format."""
    metrics: Metrics = request.app.state.metrics
    return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)
