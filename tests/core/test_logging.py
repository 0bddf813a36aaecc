"""Log lines are JSON objects or readable text, and carry the current request's id (or `-`)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator

import pytest

from app.core.logging import ServiceHandler, configure_logging, format_existing_handlers, request_id_var


@pytest.fixture(autouse=True)
def _restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers = list(root.handlers)
    yield
    root.handlers[:] = handlers


def _log(message: str, request_id: str | None) -> None:
    token = request_id_var.set(request_id)
    try:
        logging.getLogger("app.test").warning(message, extra={"article_id": 7})
    finally:
        request_id_var.reset(token)


def test_json_lines_carry_level_logger_request_id_and_extras(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")

    _log("stored", "req-9")
    _log("idle", None)

    first, second = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert first["message"] == "stored" and first["level"] == "WARNING" and first["logger"] == "app.test"
    assert first["request_id"] == "req-9" and first["article_id"] == 7
    assert second["request_id"] == "-"


def test_text_lines_show_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "text")

    _log("stored", "req-9")

    assert "WARNING app.test [req-9] stored" in capsys.readouterr().err


def test_configuring_again_replaces_our_handler_and_routes_uvicorn_through_it() -> None:
    configure_logging("INFO", "json")
    configure_logging("DEBUG", "text")

    ours = [h for h in logging.getLogger().handlers if isinstance(h, ServiceHandler)]
    assert len(ours) == 1
    assert logging.getLogger("app").level == logging.DEBUG
    assert logging.getLogger("uvicorn.error").propagate and not logging.getLogger("uvicorn.error").handlers
    assert not logging.getLogger("uvicorn.access").propagate


def test_a_host_process_s_handlers_get_our_format_and_no_second_handler(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    host = logging.StreamHandler(sys.stderr)
    saved, root.handlers = root.handlers, [host]  # the host process's handler alone, as in a worker
    try:
        format_existing_handlers("INFO", "json")
        logging.getLogger("app.worker").info("worker ready")
        assert root.handlers == [host]
    finally:
        root.handlers = saved
    lines = [line for line in capsys.readouterr().err.splitlines() if "worker ready" in line]
    assert len(lines) == 1 and json.loads(lines[0])["request_id"] == "-"
