"""Log lines as JSON objects (or plain text), each stamped with the id of the request being handled.

Operators search logs by request id: the id is kept in a context variable for the request's task,
and a filter on our handler copies it into every record, whichever logger wrote it.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
JSON_RENAMES = {"asctime": "time", "levelname": "level", "name": "logger"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Our access line (with route and request id) replaces uvicorn's; its other loggers go through ours.
SERVER_LOGGERS = ("uvicorn", "uvicorn.error")
SILENCED_LOGGERS = ("uvicorn.access",)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id, or `-` outside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `request_id`; never drops a record."""
        record.request_id = request_id_var.get() or "-"
        return True


class ServiceHandler(logging.StreamHandler[TextIO]):
    """Writes to `sys.stderr` as it is at each line (so a swapped stream, as under pytest, still works)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record to the current `sys.stderr`."""
        self.stream = sys.stderr
        super().emit(record)


def _formatter(log_format: str) -> logging.Formatter:
    """JSON (one object a line) or readable text."""
    if log_format == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields=JSON_RENAMES)
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(level: str, log_format: str) -> None:
    """Our handler on the root logger (replacing one set up before), our loggers at `level`."""
    handler = ServiceHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(_formatter(log_format))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, ServiceHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    logging.getLogger("app").setLevel(level)
    for name in SERVER_LOGGERS + SILENCED_LOGGERS:
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()
        server_logger.propagate = name in SERVER_LOGGERS


def format_existing_handlers(level: str, log_format: str) -> None:
    """Our format on the root handlers a host process set up (Dramatiq's, which carry its workers' lines
    to the parent), without adding a handler of ours: every line would otherwise come out twice."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(RequestIdFilter())  # the formats name `request_id`: `-` outside a request
        handler.setFormatter(_formatter(log_format))
    logging.getLogger("app").setLevel(level)
