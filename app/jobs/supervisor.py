"""Keeps N Dramatiq worker processes running, replacing one that dies: `python -m app.jobs.supervisor`.

`dramatiq app.worker --processes N` stops all N worker processes when one dies (by design: it leaves
restarts to a supervisor, see Bogdanp/dramatiq#505), so one worker killed by the OOM killer took the
whole command, and every job with it, down. Here each worker process is a command of its own
(`dramatiq app.worker --processes 1`) in its own process group: when one exits while we are not
stopping, only it is started again (RabbitMQ hands its unacknowledged message to another worker), after
a wait that doubles, from 1 s to 60 s, while it keeps dying within a minute of its start. A command
that cannot import the app (a configuration error, Dramatiq's exit code 2) or write its pid file (4)
stops everything: starting it again would not help. SIGTERM or SIGINT stops each worker gracefully (it
finishes its message) and then the supervisor; a second one asks the workers to stop at once. SIGHUP
is passed on (Dramatiq reloads). Arguments other than `--processes` go to each `dramatiq` command.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from dramatiq.cli import RET_IMPORT, RET_PIDFILE

from app.core.config import get_settings
from app.core.logging import configure_logging

logger = logging.getLogger("app.jobs.supervisor")  # not `__main__` when run with -m

FATAL_EXIT_CODES = frozenset({RET_IMPORT, RET_PIDFILE})
FIRST_RESTART_DELAY_S = 1.0
MAX_RESTART_DELAY_S = 60.0
HEALTHY_AFTER_S = 60.0  # a worker that ran this long before dying is restarted after the first delay
POLL_S = 0.2
DESCRIPTION = "Keeps N Dramatiq worker processes running, replacing one that dies."


@dataclass
class Slot:
    """One worker process's place: its current command, when it started, and when it may start again."""

    index: int
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    delay: float = 0.0
    start_at: float = 0.0

    def restart_later(self, now: float, healthy: bool = False) -> None:
        """Start again after a delay: the first one after a healthy run, else twice the last (capped)."""
        doubled = min(self.delay * 2 or FIRST_RESTART_DELAY_S, MAX_RESTART_DELAY_S)
        self.delay = FIRST_RESTART_DELAY_S if healthy else doubled
        self.start_at = now + self.delay


class Supervisor:
    """Runs `processes` copies of `command`, each restarted when it exits, until told to stop."""

    def __init__(self, command: Sequence[str], processes: int) -> None:
        self.command = list(command)
        self.slots = [Slot(index) for index in range(processes)]
        self.exit_code = 0
        self._stopping = threading.Event()

    def run(self) -> int:
        """Supervise until a signal or a fatal exit; the exit code for the supervisor's own process."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_stop_signal)
        signal.signal(signal.SIGHUP, self._on_hangup)
        try:
            while not self._stopping.is_set():
                now = time.monotonic()
                for slot in self.slots:
                    if slot.process is None and now >= slot.start_at:
                        self._start(slot)
                    elif slot.process is not None and slot.process.poll() is not None:
                        self._exited(slot, now)
                _reap_orphans({slot.process.pid for slot in self.slots if slot.process is not None})
                self._stopping.wait(POLL_S)
        finally:  # whatever ends the loop, no worker is left running on its own
            self._stop_all()
        return self.exit_code

    def _start(self, slot: Slot) -> None:
        """Start the slot's command in a process group of its own (so its leftovers can be found); a
        command that cannot be started now (no memory, no processes left) is tried again later."""
        slot.started = time.monotonic()
        try:
            slot.process = subprocess.Popen(self.command, start_new_session=True)
        except OSError as exc:
            slot.restart_later(slot.started)
            logger.error("worker %d could not start (%s); retry in %.0f s", slot.index, exc, slot.delay)
            return
        logger.info("worker %d started (pid %d)", slot.index, slot.process.pid)

    def _exited(self, slot: Slot, now: float) -> None:
        """Clean up after a command that ended, and schedule its restart (or stop on a fatal exit)."""
        assert slot.process is not None
        code, pid = slot.process.returncode, slot.process.pid
        _kill_group(pid)  # its worker process, if the command itself was killed
        slot.process = None
        if code in FATAL_EXIT_CODES:
            logger.critical("worker %d (pid %d) cannot start (exit code %d); stopping", slot.index, pid, code)
            self.exit_code = code
            self._stopping.set()
            return
        slot.restart_later(now, healthy=now - slot.started >= HEALTHY_AFTER_S)
        logger.error(
            "worker %d (pid %d) exited (code %d) after %.0f s; restarting it in %.0f s",
            *(slot.index, pid, code, now - slot.started, slot.delay),
        )

    def _on_stop_signal(self, signum: int, frame: FrameType | None) -> None:
        """Stop supervising; a second signal hurries the workers (Dramatiq stops at once on a second)."""
        if self._stopping.is_set():
            self._signal_all(signal.SIGTERM)
        self._stopping.set()

    def _on_hangup(self, signum: int, frame: FrameType | None) -> None:
        """Pass SIGHUP on: each Dramatiq command restarts its worker process in place."""
        self._signal_all(signal.SIGHUP)

    def _signal_all(self, signum: int) -> None:
        """Send a signal to each running command (its parent process, which passes it on)."""
        for slot in self.slots:
            if slot.process is not None and slot.process.poll() is None:
                slot.process.send_signal(signum)

    def _stop_all(self) -> None:
        """Ask every command to stop, wait for each (it finishes its message), and clear up leftovers."""
        logger.info("stopping %d workers", sum(slot.process is not None for slot in self.slots))
        self._signal_all(signal.SIGTERM)
        for slot in self.slots:
            if slot.process is not None:
                slot.process.wait()
                _kill_group(slot.process.pid)
                slot.process = None


def _reap_orphans(commands: set[int]) -> None:
    """Collect the exit status of every child that has ended and is none of our `commands` (whose status
    `Popen` collects): as PID 1 of a container, the supervisor inherits the worker process of a command
    that was killed, and would otherwise keep it as a zombie (Linux `/proc`; elsewhere nothing to do)."""
    for tasks in Path("/proc/self/task").glob("*/children"):
        try:
            children = {int(pid) for pid in tasks.read_text().split()}
        except OSError:
            continue
        for pid in children - commands:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


def _kill_group(pgid: int) -> None:
    """SIGKILL what is left of a command's process group (nothing, unless its parent was killed)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def dramatiq_command(threads: int, extra: Sequence[str]) -> list[str]:
    """One worker process's command: this Python's Dramatiq on `app.worker`."""
    base = [sys.executable, "-m", "dramatiq", "app.worker", "--processes", "1", "--threads", str(threads)]
    return [*base, *extra]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `--processes` and `--threads` (the rest goes to Dramatiq) and supervise."""
    parser = argparse.ArgumentParser(prog="python -m app.jobs.supervisor", description=DESCRIPTION)
    parser.add_argument("--processes", type=int, default=1, help="worker processes (each loads the model)")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker process")
    args, extra = parser.parse_known_args(argv)
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    settings = get_settings()
    if not settings.broker_url:  # every worker would fail at import: say so once, not in a restart loop
        parser.exit(
            RET_IMPORT, "CLAIMS_BROKER_URL is empty: without a broker, jobs run inside the API process\n"
        )
    configure_logging(settings.log_level, settings.log_format)
    return Supervisor(dramatiq_command(args.threads, extra), args.processes).run()


if __name__ == "__main__":
    sys.exit(main())
