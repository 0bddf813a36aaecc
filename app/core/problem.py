"""RFC 9457 problem details: the one shape every error takes, in a response or stored with a failed job
item (so it lives in core, beside the errors it describes)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    """One invalid input: where it is, what is wrong, and a machine-readable code."""

    loc: list[str | int] = Field(description='Path to the input, e.g. `["body", "text"]`.')
    msg: str
    type: str


class Problem(BaseModel):
    """A problem document (`application/problem+json`, RFC 9457)."""

    type: str = Field(
        default="about:blank",
        description="Stable URI naming the kind of problem, e.g. `https://claims.example/problems/not-found`.",
    )
    title: str = Field(description="Short summary of the kind of problem; the same for every occurrence.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, for a human reader.")
    instance: str | None = Field(default=None, description="The request path that produced the problem.")
    errors: list[FieldError] | None = Field(
        default=None, description="For validation problems: each invalid input."
    )
