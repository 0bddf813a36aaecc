"""`scripts/fuzz` against the live server, a few examples per operation: no 5xx, responses as declared."""

from __future__ import annotations

import os
import subprocess

from sqlalchemy import Engine

from tests.conftest import REPO
from tests.system.server import LiveServer

MAX_EXAMPLES = 5
SEED = 1  # the same cases every run; `scripts/fuzz` alone draws new ones


def test_a_short_fuzz_run_finds_no_server_error_or_contract_break(
    live_server: LiveServer, engine: Engine
) -> None:
    env = os.environ | {"FUZZ_URL": live_server.url, "MAX_EXAMPLES": str(MAX_EXAMPLES)}
    done = subprocess.run(
        ["bash", str(REPO / "scripts" / "fuzz"), "--seed", str(SEED)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
