"""The trained models: how a shipped model scores, that training gives the same weights twice, and how
annotated targets become examples."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from app.nlp.linear_model import LinearModel, shipped_model
from app.nlp.stance_features import CONTEXT_VECTORS
from tests.conftest import REPO

MODELS = REPO / "app" / "nlp" / "models"
SCORER = REPO.parent / "shared" / "eval" / "score.py"


def test_two_class_model_is_a_logistic_regression() -> None:
    model = LinearModel(("no", "yes"), (-1.0,), {"place_use": (-3.0,), "of_cue": (2.0,)}, threshold=0.25)
    p = model.probabilities({"bias": 1.0, "of_cue": 1.0})["yes"]
    assert p == pytest.approx(1 / (1 + math.exp(-1.0)))
    assert model.predict({"of_cue": 1.0}) == "yes"
    assert model.predict({"place_use": 1.0}) == "no"


def test_vectors_weigh_the_same_whole_or_as_named_features() -> None:
    data = {
        "classes": ["against", "favor", "neutral"],
        "intercept": [0.1, -0.2, 0.3],
        "weights": {"tt0": [1.0, 0.0, -1.0], "tt1": [0.5, 0.5, 0.0], "w:blame": [2.0, -1.0, 0.0]},
    }
    named = LinearModel.from_json(data)
    dense = LinearModel.from_json(data, ("tt",))
    assert "tt0" not in dense.weights and dense.dense["tt"].shape == (2, 3)
    by_name = named.probabilities({"w:blame": 1.0, "tt0": 0.3, "tt1": -0.2})
    whole = dense.probabilities({"w:blame": 1.0}, {"tt": np.array([0.3, -0.2], dtype=np.float32)})
    assert by_name == pytest.approx(whole)
    assert LinearModel.from_json(dense.to_json()).to_json() == named.to_json()


@pytest.mark.slow
def test_the_shipped_models_are_the_ones_training_writes() -> None:
    import train

    targets, stance = shipped_model("targets"), shipped_model("stance", CONTEXT_VECTORS)
    assert targets.classes == ("no", "yes") and targets.threshold == train.TARGET_THRESHOLD
    assert stance.classes == ("against", "favor", "neutral")
    assert set(stance.dense) == set(CONTEXT_VECTORS)
    assert targets.meta is not None and targets.meta["examples"] > 300
    for path in MODELS.glob("*.json"):
        weights = json.loads(path.read_text("utf-8"))["weights"]
        assert all(math.isfinite(w) for row in weights.values() for w in row), path.name


@pytest.mark.slow  # trains twice: seconds
def test_training_gives_the_same_weights_twice() -> None:
    import train

    examples = [
        ({"bias": 1.0, "of_cue": 1.0, f"w:{i % 7}": 1.0}, 1)
        if i % 3
        else ({"bias": 1.0, "place_use": 1.0}, 0)
        for i in range(60)
    ]
    stances = [
        ({"bias": 1.0, f"w:{i % 5}": 1.0, "tt0": i / 60}, ("against", "favor", "neutral")[i % 3])
        for i in range(60)
    ]
    assert train.fit_target(examples).to_json() == train.fit_target(examples).to_json()
    first, second = train.fit_stance(stances[:30], stances[30:]), train.fit_stance(stances[:30], stances[30:])
    assert first.to_json() == second.to_json()
    assert first.dense, "the context vectors are weighed whole, as in the shipped model"


@pytest.mark.skipif(
    not SCORER.exists(), reason="the scorer (shared/eval/score.py) is not beside this checkout"
)
def test_a_name_that_only_appears_inside_a_gold_target_is_no_example() -> None:
    import examples
    from gold import scorer

    gold = {
        "name": "hardline factions in Marrowby and other towns",
        "aliases": ["hardline factions"],
        "stance": "against",
    }
    assert scorer().names_match("Marrowby", gold | {"type": "other"}), "the scorer would count it"
    assert not examples.strong_match("Marrowby", gold)
    assert examples.strong_match("hardline factions", gold)
