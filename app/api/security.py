"""API keys on `/v1`: the schemes Swagger's "Authorize" button offers, and the check every `/v1` route runs.

The middleware in `middleware/key_gate.py` runs the same check first, before a body is read; the
dependency stays so OpenAPI lists the schemes. Keys are compared as SHA-256 digests in constant time;
without configured hashes the service is open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from app.api.deps import get_app_settings
from app.core import keys
from app.core.exceptions import UnauthorizedError

API_KEY_HEADER = "X-API-Key"
CHALLENGE = {"WWW-Authenticate": f'ApiKey realm="claims", header="{API_KEY_HEADER}", Bearer realm="claims"'}

api_key_header = APIKeyHeader(
    name=API_KEY_HEADER, auto_error=False, description="An API key (when the server requires one)."
)
bearer = HTTPBearer(auto_error=False, description="The same API key as a bearer token.")


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key a request carries: `X-API-Key`, else an `Authorization: Bearer` token."""
    if key := headers.get(API_KEY_HEADER.lower()):
        return key
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def require_api_key(
    request: Request,
    # Declared so OpenAPI lists both schemes; `presented_key` reads the same headers for the rate limiter too.
    _header: Annotated[str | None, Security(api_key_header)],
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> None:
    """Refuse with 401 unless keys are off or the request carries a configured key."""
    if error := key_refusal(request.headers, get_app_settings(request).api_key_hashes):
        raise error


def require_key_for_pages(request: Request) -> None:
    """Refuse a page with 401 unless keys are off, the pages are public, or the request carries a key."""
    settings = get_app_settings(request)
    if not settings.pages_public and (error := key_refusal(request.headers, settings.api_key_hashes)):
        raise error


def key_refusal(headers: Mapping[str, str], hashes: Sequence[str]) -> UnauthorizedError | None:
    """The 401 for a request without a configured key; None when it has one or keys are off."""
    if not hashes:
        return None
    key = presented_key(headers)
    if key is None:
        return UnauthorizedError(f"Send an API key in the {API_KEY_HEADER} header.", headers=CHALLENGE)
    if keys.matching_hash(key, hashes) is None:
        return UnauthorizedError("The API key is not valid.", headers=CHALLENGE)
    return None
