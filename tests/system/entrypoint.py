"""The server as the container starts it: `scripts/docker-entrypoint.sh`, whose uvicorn flags are those of
`scripts/run` (the one-line command `tests/system/server.py` runs has only `--no-proxy-headers`).

`scripts/run` itself is not started here: on a changed pyproject.toml it would reinstall the project.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.system.server import REPO, LiveServer

ENTRYPOINT = REPO / "scripts" / "docker-entrypoint.sh"


class EntrypointServer(LiveServer):
    """The entry point (migrations, then uvicorn) on 127.0.0.1 with the test's virtualenv first on PATH."""

    def command(self) -> list[str]:
        """The container's entry point."""
        return ["sh", str(ENTRYPOINT)]

    def extra_environment(self, env: dict[str, str]) -> dict[str, str]:
        """The entry point's address, and this virtualenv's uvicorn and alembic first on PATH."""
        return {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "CLAIMS_EXTRACTION_PROCESSES": "0",  # parse in the server: starts faster, and nothing here parses
        }
