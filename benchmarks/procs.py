"""The process tree of a running server, from /proc: shared by the load and throughput benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

from app.core.processes import cpu_seconds as app_cpu_seconds


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (the parser processes of a server); ones that end are skipped."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo.extend(int(child) for child in (task / "children").read_text().split())
            except FileNotFoundError:  # the task ended while we looked
                continue
    return found


TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def resident_kib(pid: int) -> dict[str, int] | None:
    """Resident memory of one process now and at its peak (VmRSS, VmHWM), in KiB; None once it ended."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = dict(line.split(":", 1) for line in lines)
    return {name: int(fields[name].split()[0]) for name in ("VmRSS", "VmHWM")}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 for one that has ended)."""
    return app_cpu_seconds(pid) or 0.0


def pids_named(prefix: str) -> list[int]:
    """Every process whose command name starts with `prefix` (the PostgreSQL server and its backends)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().startswith(prefix):
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return found


def machine_busy_seconds() -> tuple[float, float]:
    """CPU seconds the whole machine has spent busy and idle since boot, summed over its CPUs."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICKS_PER_SECOND, idle / TICKS_PER_SECOND
