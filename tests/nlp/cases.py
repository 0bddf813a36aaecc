"""One NLP case as a table row: a text, the claim to look at, and what its fields must be.

Most NLP tests were the same four lines (extract a text, pick a claim by a few of its words, assert some
of its fields); a `Case` keeps only what differs, so each pipeline step is one table checked by one test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce

import pytest

from app.nlp.types import Claim
from tests.nlp.conftest import Extract, claim_with

VIEWS: dict[str, Callable[[Claim], object]] = {
    "targets": lambda c: [(t.name, t.stance) for t in c.targets],
    "target names": lambda c: [t.name for t in c.targets],
    "target types": lambda c: [t.type for t in c.targets],
    "spans": lambda c: len(c.spans),
}
STANCE_TOWARD = "stance toward "
ARTICLE = "article."


@dataclass(frozen=True)
class Case:
    """`expect` maps a field to its value on the first claim holding the words `claim`, or, with
    `claim=None`, to the list of its values on all claims in order (`{"text": []}`: no claim at all).

    A field is a dotted path into the claim ("speaker.name", "date.value"), a view of VIEWS,
    "stance toward NAME" (the stance toward the target NAME, None when NAME is no target), or
    "article.FIELD" of the whole extraction ("article.published_at_source").
    """

    behaviour: str
    text: str
    claim: str | None
    expect: Mapping[str, object]
    published: str | None = "2024-11-07"  # the `extract` fixture's default


def value(claim: Claim, field: str) -> object:
    """The field of the claim, as a `Case` names it."""
    if field in VIEWS:
        return VIEWS[field](claim)
    if field.startswith(STANCE_TOWARD):
        return {t.name: t.stance for t in claim.targets}.get(field.removeprefix(STANCE_TOWARD))
    return reduce(getattr, field.split("."), claim)


def check(case: Case, extract: Extract) -> None:
    """Extract the case's text and fail naming every field that differs from what the case expects."""
    result = extract(case.text, case.published)
    claim = claim_with(result, case.claim) if case.claim is not None else None
    wrong = []
    for field, expected in case.expect.items():
        if field.startswith(ARTICLE):
            actual = getattr(result, field.removeprefix(ARTICLE))
        elif claim is None:
            actual = [value(c, field) for c in result.claims]
        else:
            actual = value(claim, field)
        if actual != expected:
            wrong.append(f"{field}: {actual!r}, expected {expected!r}")
    assert not wrong, "\n".join([*wrong, f"claims: {[c.text for c in result.claims]}"])


def table(cases: Sequence[Case]) -> pytest.MarkDecorator:
    """Parametrize a test's `case` argument over the cases, each named by its behaviour."""
    ids = [case.behaviour for case in cases]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"behaviours named twice: {twice}"
    return pytest.mark.parametrize("case", [pytest.param(case, id=case.behaviour) for case in cases])
