"""The request path as the app's routes see it, for middleware that decides by path."""

from __future__ import annotations

from starlette.types import Scope


def app_path(scope: Scope) -> str:
    """The request's path behind any root path (a proxy mounting the app under a prefix)."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else str(path)
