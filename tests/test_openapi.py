"""`openapi.yaml` is exactly what the app serves, and the contract other services rely on holds."""

from __future__ import annotations

from typing import Any

import yaml

from app.main import create_app
from app.openapi_dump import OPENAPI_PATH, REGENERATE, render


def test_openapi_yaml_is_current() -> None:
    current = render()
    on_disk = OPENAPI_PATH.read_text(encoding="utf-8") if OPENAPI_PATH.exists() else ""

    assert on_disk == current, f"openapi.yaml differs from what the app serves: run `{REGENERATE}`"
    assert yaml.safe_load(on_disk) == create_app().openapi()


def _operations() -> dict[str, dict[str, Any]]:
    schema = create_app().openapi()
    return {op["operationId"]: op for path in schema["paths"].values() for op in path.values()}


def test_operation_ids_are_the_stable_contract() -> None:
    assert set(_operations()) == {
        "extract_claims",
        "create_article",
        "create_articles_batch",
        "list_articles",
        "get_article",
        "delete_article",
        "list_claims",
        "get_claim",
        "list_entities",
        "get_entity",
        "get_entity_stance_timeline",
        "get_health",
        "get_readiness",
        "create_job",
        "list_jobs",
        "get_job",
        "cancel_job",
    }


def test_error_responses_are_declared_as_problem_documents() -> None:
    schema = create_app().openapi()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for operation_id, operation in _operations().items():
        errors = {code: r for code, r in operation["responses"].items() if code[0] in "45"}
        if operation_id != "get_health":
            assert errors, operation_id
        for code, response in errors.items():
            assert list(response["content"]) == ["application/problem+json"], (operation_id, code)
            assert response["content"]["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }
    assert {"404", "422"} <= set(_operations()["get_claim"]["responses"])
    assert {"400", "413", "422"} <= set(_operations()["create_article"]["responses"])
