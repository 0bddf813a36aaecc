"""Liveness and readiness answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class HealthRead(BaseModel):
    """The service answers (and, for readiness, can do its work)."""

    status: Literal["ok"] = "ok"
