"""A text in another language than English gets a 422 that names the language, on every path in."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.nlp.language import foreign_language
from tests.api.conftest import assert_problem

FRENCH = (
    "Le ministre des Transports a déclaré mardi que le nouveau pont ouvrirait en mai, "
    "après deux années de travaux sur la rive nord du fleuve."
)
SPANISH = "La alcaldesa dijo el lunes que el mercado central volverá a abrir sus puertas en primavera."
ENGLISH = "The transport minister said on Tuesday that the new bridge would open in May."


def test_a_language_is_named_only_when_the_text_surely_is_not_english() -> None:
    french, spanish = foreign_language(FRENCH), foreign_language(SPANISH)

    assert french is not None and (french.code, french.name) == ("fr", "French") and french.probability > 0.9
    assert spanish is not None and spanish.name == "Spanish"
    assert foreign_language(ENGLISH) is None
    assert foreign_language("Le pont ouvrira.") is None  # too short to judge: let through
    # an English article quoting a sentence in French is English
    assert foreign_language(f'{ENGLISH} "{FRENCH}," he said. {ENGLISH} {ENGLISH}') is None


def test_extract_and_store_refuse_a_french_text_naming_its_language(client: TestClient) -> None:
    for path in ("/v1/extract", "/v1/articles"):
        body = assert_problem(client.post(path, json={"text": FRENCH}), 422, "unsupported-language")
        assert "French (fr" in body["detail"] and "English" in body["detail"]
    assert client.post("/v1/extract", json={"text": ENGLISH}).status_code == 200


def test_in_a_batch_and_a_job_only_the_foreign_item_fails(client: TestClient) -> None:
    items: list[Any] = [{"text": ENGLISH}, {"text": SPANISH}]
    batch = client.post("/v1/articles:batch", json={"articles": items}).json()
    job = client.post("/v1/jobs", json={"items": items}).json()

    assert [r["status"] for r in batch["results"]] == [201, 422]
    assert batch["results"][1]["problem"]["type"].endswith("/unsupported-language")
    assert [i["status"] for i in job["items"]["items"]] == ["pending", "failed"]
    assert "Spanish" in job["items"]["items"][1]["problem"]["detail"]
