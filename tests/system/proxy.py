"""A TCP proxy between the service and PostgreSQL that a test can cut and restore, to fake an outage.

Stopping the machine's PostgreSQL server is not an option (others use it), and a proxy shows the
service exactly what an outage looks like from its side: dropped connections and failed connects.
"""

from __future__ import annotations

import enum
import socket
import threading
from types import TracebackType


class Mode(enum.Enum):
    """What the proxy does with connections."""

    UP = "up"  # forwards every byte both ways
    REFUSE = "refuse"  # drops open connections; closes new ones at once, like a server that is down
    STALL = "stall"  # drops open connections; holds new ones open and silent, like a lost network


class TcpProxy:
    """Listens on a free local port and forwards to `target` while `mode` is UP."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self.mode = Mode.UP
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def set_mode(self, mode: Mode) -> None:
        """Switch mode; leaving UP drops every open connection, as an outage does."""
        self.mode = mode
        if mode is not Mode.UP:
            self._drop_all()

    def close(self) -> None:
        """Stop listening and drop every connection."""
        self._listener.close()
        self._drop_all()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # the listener was closed
                return
            self._track(client)
            if self.mode is Mode.REFUSE:
                self._drop(client)
            elif self.mode is Mode.UP:
                self._connect(client)

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self._target, timeout=5)
        except OSError:
            self._drop(client)
            return
        upstream.settimeout(None)
        self._track(upstream)
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        self._drop(source)
        self._drop(sink)

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def _drop(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def _drop_all(self) -> None:
        with self._lock:
            socks = list(self._open)
        for sock in socks:
            self._drop(sock)
