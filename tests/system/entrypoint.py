"""The server as the container starts it: `scripts/docker-entrypoint.sh`, whose uvicorn flags are those of
`scripts/run` (the one-line command `tests/system/server.py` runs has none of them).

`scripts/run` itself is not started here: on a changed pyproject.toml it would reinstall the project.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.system.server import MODEL, REPO, LiveServer, free_port

ENTRYPOINT = REPO / "scripts" / "docker-entrypoint.sh"


class EntrypointServer(LiveServer):
    """The entry point (migrations, then uvicorn) on 127.0.0.1 with the test's virtualenv first on PATH."""

    def __init__(self, database_url: str, log: Path, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMS_")}
        env |= {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "CLAIMS_DATABASE_URL": database_url,
            "CLAIMS_SPACY_MODEL": MODEL,
            "CLAIMS_LOG_LEVEL": "WARNING",
            "CLAIMS_EXTRACTION_PROCESSES": "0",  # parse in the server: starts faster, and nothing here parses
        }
        env |= {f"CLAIMS_{name.upper()}": value for name, value in settings.items()}
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                ["sh", str(ENTRYPOINT)], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        self._wait_ready()
