"""The process tree of a running server, from /proc: shared by the load and throughput benchmarks."""

from __future__ import annotations

from pathlib import Path


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (the extraction workers of a server); ones that end are skipped."""
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
