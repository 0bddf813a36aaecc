"""`benchmarks/throughput.py --smoke` runs end to end (servers, parsers, clients) without a failed request.

It runs as a subprocess on an SQLite file of its own, so it never touches the session's databases;
timings are not asserted (this machine is shared), only that every figure is printed and nothing failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_the_smoke_run_completes_without_errors(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/throughput.py", "--smoke", "--configs", "p1,p2"]
        + ["--database-url", f"sqlite:///{tmp_path / 'bench.db'}", "--log-dir", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split() for line in done.stdout.splitlines() if line.startswith(("p1 ", "p2 "))]
    table = {row[0]: row for row in rows if len(row) > 3 and row[1].isdigit()}
    assert set(table) == {"p1", "p2"} and all(row[2] == "0" for row in table.values())  # no errors
    assert "raw limit" in done.stdout and "% of the raw parse" in done.stdout
    assert "claim rules timed alone" in done.stdout and "ms CPU/article, one client" in done.stdout
    budgets = [line for line in done.stdout.splitlines() if "CPU ms per article" in line]
    assert [line.split()[0] for line in budgets] == ["p1", "p2"]
    assert all("parsers" in line and "PostgreSQL" in line and "machine busy" in line for line in budgets)
    assert sum("memory parser" in line for line in done.stdout.splitlines()) == 3
