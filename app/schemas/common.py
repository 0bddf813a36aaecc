"""Shapes shared by several endpoints."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a longer, stably ordered list."""

    items: list[T]
    total: int = Field(description="How many items match, across all pages.")
    limit: int = Field(description="The page size used.")
    offset: int = Field(description="How many matching items were skipped.")
