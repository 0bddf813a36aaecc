"""Shapes shared by several endpoints."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, Field

T = TypeVar("T")


def _storable(value: str) -> str:
    """Refuse what no database, parser or log can take: NUL, and a lone UTF-16 surrogate.

    JSON allows both (`"\\u0000"`, `"\\ud800"`), but PostgreSQL text cannot hold NUL, and a surrogate
    without its pair is no Unicode character: encoding it as UTF-8 (to parse, hash, store or log it)
    raises, which was a 500 for the whole request, batch or job."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        where = f"U+{code:04X} at character {exc.start}"
        raise ValueError(f"must not contain a lone UTF-16 surrogate ({where})") from None
    return value


# A string that both databases can store and compare, and that encodes as UTF-8.
StorableStr = Annotated[str, AfterValidator(_storable)]


class Page(BaseModel, Generic[T]):
    """One page of a longer, stably ordered list."""

    items: list[T]
    total: int = Field(description="How many items match, across all pages.")
    limit: int = Field(description="The page size used.")
    offset: int = Field(description="How many matching items were skipped.")
