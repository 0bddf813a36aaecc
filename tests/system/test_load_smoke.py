"""`benchmarks/load.py --smoke` against the live server: a few seconds of load, and not one error."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import Engine

from tests.conftest import DATA, REPO
from tests.system.server import LiveServer


def test_the_load_script_runs_a_few_seconds_without_errors(live_server: LiveServer, engine: Engine) -> None:
    texts = sorted((REPO / ".." / "shared" / "eval" / "dev").glob("*.json")) or [DATA / "seed_article.txt"]
    command = [sys.executable, str(REPO / "benchmarks" / "load.py"), live_server.url, "--smoke", "--json"]
    command += ["--pid", str(live_server.pid), "--texts", *map(str, texts)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["articles"]["errors"] == {} and report["healthz"]["errors"] == {}
    assert report["articles"]["requests"] > 0 and report["healthz"]["requests"] > 0
    assert report["rss_kib"]["after"][str(live_server.pid)]["VmRSS"] > 0
