"""Shapes shared by several endpoints."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, Field

T = TypeVar("T")


def _no_nul(value: str) -> str:
    """Refuse the NUL character, which PostgreSQL text cannot hold (it would be a 500 when stored)."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    return value


# A string that both databases can store and compare.
StorableStr = Annotated[str, AfterValidator(_no_nul)]


class Page(BaseModel, Generic[T]):
    """One page of a longer, stably ordered list."""

    items: list[T]
    total: int = Field(description="How many items match, across all pages.")
    limit: int = Field(description="The page size used.")
    offset: int = Field(description="How many matching items were skipped.")
