"""One definition of a percentile for every benchmark, so their figures compare."""

from __future__ import annotations

import math


def nearest_rank(ordered: list[float], q: float) -> float | None:
    """The nearest-rank q-th percentile (0-100) of sorted values; None when there are none."""
    if not ordered:
        return None
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]
