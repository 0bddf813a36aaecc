"""The training scripts import each other as siblings (`from gold import ...`), as run from the repo."""

from __future__ import annotations

import sys

from tests.conftest import REPO

TRAINING = REPO / "training"
if str(TRAINING) not in sys.path:
    sys.path.insert(0, str(TRAINING))
