"""A trained linear classifier over named features, as shipped in `app/nlp/models/*.json`.

The models that decide targets and stance are logistic regressions trained by `training/train.py`.
At run time they are a dictionary of weights: scoring a candidate is a sum over its features, so the
service does not need scikit-learn, and a reader can open the file and see what a feature weighs. The
weights of a whole vector (the parser's context vectors) are gathered into one numpy matrix.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

VECTOR = re.compile(r"[a-z]+\d+")


@dataclass(frozen=True)
class LinearModel:
    """Classes, an intercept per class and a weight per class for each feature.

    With two classes the weights are those of the second class against the first (a logistic
    regression); with more, one row per class (a multinomial one)."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]
    threshold: float = 0.5  # two classes: the probability of the second that decides for it
    meta: Mapping[str, Any] | None = None
    # Features named "<prefix><k>" (a vector's numbers, "tt0" ... "tt95") as one matrix per prefix, so that
    # a vector given whole is weighed in one product
    dense: Mapping[str, NDArray[np.float64]] = field(default_factory=dict)

    def probabilities(
        self, features: Mapping[str, float], vectors: Mapping[str, NDArray[np.float32]] | None = None
    ) -> dict[str, float]:
        """The probability of each class for one example; `vectors` are whole vectors by prefix."""
        scores = list(self.intercept)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None and value:
                for k, w in enumerate(row):
                    scores[k] += w * value
        for prefix, vector in (vectors or {}).items():
            matrix = self.dense.get(prefix)
            if matrix is not None and matrix.shape[0] == vector.shape[0]:  # else another pipeline's
                scores = [a + b for a, b in zip(scores, (vector @ matrix).tolist(), strict=True)]
        if len(self.classes) == 2:
            p = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, scores[0]))))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}

    def predict(self, features: Mapping[str, float]) -> str:
        """The most probable class (with two classes, the second wins from `threshold` up)."""
        probabilities = self.probabilities(features)
        if len(self.classes) == 2:
            return self.classes[1] if probabilities[self.classes[1]] >= self.threshold else self.classes[0]
        return max(probabilities, key=lambda c: probabilities[c])

    def to_json(self) -> dict[str, Any]:
        """The model as written to its file (vector weights as named features again)."""
        weights = dict(self.weights)
        for prefix, matrix in self.dense.items():
            weights |= {f"{prefix}{k}": tuple(float(w) for w in row) for k, row in enumerate(matrix)}
        return {
            "classes": list(self.classes),
            "intercept": [round(v, 6) for v in self.intercept],
            "threshold": self.threshold,
            "meta": dict(self.meta or {}),
            "weights": {k: [round(w, 6) for w in row] for k, row in sorted(weights.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], vector_prefixes: tuple[str, ...] = ()) -> LinearModel:
        """A model from its file's contents; features named `<prefix><k>` for a prefix of
        `vector_prefixes` are gathered into matrices (`dense`)."""
        weights = {k: tuple(float(w) for w in row) for k, row in data["weights"].items()}
        width = int((data.get("meta") or {}).get("vector_width", 0))  # rows that weigh 0 are not written
        dense = {}
        for prefix in vector_prefixes:
            numbered = {
                int(k[len(prefix) :]): row
                for k, row in weights.items()
                if VECTOR.fullmatch(k) and k.startswith(prefix)
            }
            if numbered:
                matrix = np.zeros((max(width, max(numbered) + 1), len(data["intercept"])))
                for k, row in numbered.items():
                    matrix[k] = row
                dense[prefix] = matrix
                weights = {
                    k: v for k, v in weights.items() if not (VECTOR.fullmatch(k) and k.startswith(prefix))
                }
        return cls(
            classes=tuple(data["classes"]),
            intercept=tuple(float(v) for v in data["intercept"]),
            weights=weights,
            threshold=float(data.get("threshold", 0.5)),
            meta=data.get("meta") or {},
            dense=dense,
        )

    def save(self, path: Path) -> None:
        """Write the model as JSON (sorted, one feature a line, so a retrained model diffs well)."""
        data = self.to_json()
        weights = data.pop("weights")
        head = json.dumps(data, ensure_ascii=False)[:-1]
        lines = [f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in weights.items()]
        path.write_text(head + ', "weights": {\n' + ",\n".join(lines) + "\n}}\n", "utf-8")


@cache
def shipped_model(name: str, vector_prefixes: tuple[str, ...] = ()) -> LinearModel:
    """A model shipped with the package (`app/nlp/models/<name>.json`)."""
    text = resources.files("app.nlp").joinpath(f"models/{name}.json").read_text("utf-8")
    return LinearModel.from_json(json.loads(text), vector_prefixes)
