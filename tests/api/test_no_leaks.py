"""A crash or a database error shows the client a generic problem: no trace, SQL, path or library name."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services import claims
from tests.api.conftest import assert_problem

LEAKS = ("Traceback", 'File "', "SELECT", "/work", "sqlalchemy", "no_such_table")


def _crash(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError('Traceback: File "/work/app/x.py", SELECT secret FROM sqlalchemy')


def _bad_sql(session: Session, *args: Any, **kwargs: Any) -> Any:
    session.execute(text("SELECT secret FROM no_such_table"))


@pytest.mark.parametrize("failure", [_crash, _bad_sql], ids=["internal", "database"])
def test_failures_leak_nothing(client: TestClient, monkeypatch: pytest.MonkeyPatch, failure: Any) -> None:
    monkeypatch.setattr(claims, "query_claims", failure)

    response = client.get("/v1/claims")

    assert response.status_code in (500, 503)
    assert_problem(
        response, response.status_code, "internal" if response.status_code == 500 else "service-unavailable"
    )
    for leak in LEAKS:
        assert leak not in response.text, leak
