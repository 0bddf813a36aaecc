"""`claims`: the service's command line, for people with files rather than HTTP clients.

    claims extract article.txt other.json -          claims of files (or stdin), as JSON, NDJSON or CSV
    claims ingest articles/ | articles.jsonl          store many articles, with a progress bar
    claims serve                                      run the HTTP service (as scripts/run does)
    claims db upgrade                                 apply the database migrations

Settings come from the same `CLAIMS_*` variables as the service (`CLAIMS_DATABASE_URL`, ...). `ingest`
stores through the service's own ingest path (`app.services.ingest`), so a text stored before is found,
not stored again, and every item is checked as `POST /v1/jobs` checks it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.core.config import Settings, get_settings

cli = typer.Typer(
    name="claims",
    help="Extract claims (who said what about whom, with stance and date) from news articles; store them.",
    no_args_is_help=True,
    add_completion=False,
)
db = typer.Typer(help="The database: its schema.", no_args_is_help=True)
cli.add_typer(db, name="db")
errors = Console(stderr=True, soft_wrap=True)  # whole lines: a failure per line, greppable
INGEST_CHUNK = 32  # articles parsed together (nlp.pipe) and stored before the progress bar moves


class Format(StrEnum):
    """What `extract` prints."""

    json = "json"
    ndjson = "ndjson"
    csv = "csv"


@cli.command()
def extract(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Text files (.txt), articles (.json, as the body of POST /v1/articles), or - for stdin."
        ),
    ],
    output: Annotated[
        Format, typer.Option("--format", "-f", help="json: one object per file; ndjson, csv: a claim a line.")
    ] = Format.json,
    published: Annotated[
        str | None, typer.Option(help="Publication date (YYYY-MM-DD) of texts that do not give one.")
    ] = None,
) -> None:
    """Print the claims of each file; nothing is stored."""
    from app.api import exports  # the same columns as the API's exports
    from app.api.read_models import extraction_read
    from app.nlp.extractor import ClaimExtractor

    articles = [(name, _article(name, _read(name), published)) for name in files]
    extractor = ClaimExtractor.load(get_settings().spacy_model)
    results = extractor.extract_many([(a.text, a.published_at) for _, a in articles])
    found = [
        (name, extraction_read(result, extractor.info))
        for (name, _), result in zip(articles, results, strict=True)
    ]
    if output is Format.json:
        document = [{"file": name, **read.model_dump(mode="json")} for name, read in found]
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    media_type = exports.NDJSON if output is Format.ndjson else exports.CSV
    keyed = ((dict[str, object](file=name), claim) for name, read in found for claim in read.claims)
    for line in exports.render(media_type, keyed, ("file",)):
        sys.stdout.write(line)


@cli.command()
def ingest(
    source: Annotated[
        Path,
        typer.Argument(
            help="A folder of .txt and .json files, or a .jsonl file of articles (one object per line).",
            exists=True,
        ),
    ],
) -> None:
    """Store many articles with their claims, through the service's ingest path; prints a summary."""
    from pydantic import TypeAdapter

    from app.api.deps import checked_items
    from app.core.exceptions import ProblemError
    from app.db.session import create_session_factory, engine_for
    from app.extraction.service import thread_service
    from app.nlp.extractor import ClaimExtractor
    from app.schemas.article import ArticleCreate, ArticleItem
    from app.services.ingest import Failed, Ingest, Stored

    settings = get_settings()
    items = list(_items(source))
    validated = TypeAdapter(list[ArticleItem]).validate_python([raw for _, raw in items])
    checked = checked_items(validated, settings, "items")
    engine = engine_for(settings)
    extraction = thread_service(ClaimExtractor.load(settings.spacy_model), threads=1)
    counts = {"created": 0, "existing": 0, "failed": 0}
    failures: list[str] = []
    try:
        ingest_path = Ingest(create_session_factory(engine), extraction)
        with _progress() as progress:
            task = progress.add_task("ingesting", total=len(items))
            for start in range(0, len(items), INGEST_CHUNK):
                chunk = dict(enumerate(checked[start : start + INGEST_CHUNK], start=start))
                valid = {i: a for i, a in chunk.items() if isinstance(a, ArticleCreate)}
                outcomes = ingest_path.ingest_many(valid)
                for index, item in chunk.items():
                    outcome = outcomes.get(index)
                    if isinstance(item, ProblemError) or isinstance(outcome, Failed) or outcome is None:
                        counts["failed"] += 1
                        failures.append(f"{items[index][0]}: {_why(item, outcome)}")
                    elif isinstance(outcome, Stored):
                        counts["created" if outcome.created else "existing"] += 1
                progress.advance(task, len(chunk))
    finally:
        extraction.shutdown()
        engine.dispose()
    for failure in failures:
        errors.print(f"[red]failed[/red] {failure}", highlight=False)
    stored, before, failed = counts["created"], counts["existing"], counts["failed"]
    typer.echo(f"{len(items)} articles: {stored} stored, {before} stored before, {failed} failed")
    if counts["failed"]:
        raise typer.Exit(code=1)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Run the HTTP service (apply the migrations first: `claims db upgrade`)."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        proxy_headers=False,  # the app decides whom to believe (CLAIMS_FORWARDED_ALLOW_IPS)
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
    )


@db.command()
def upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply the migrations to the database of CLAIMS_DATABASE_URL (default: ./claims.db)."""
    from alembic import command
    from alembic.config import Config

    root = Path(__file__).resolve().parents[1]  # the checkout (or image folder) holding alembic/
    if not (root / "alembic.ini").is_file():
        errors.print(f"[red]no migrations beside the package[/red] ({root}/alembic.ini): run from a checkout")
        raise typer.Exit(code=2)
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "alembic"))
    command.upgrade(config, revision)
    typer.echo(f"database at {revision}: {_safe_url(get_settings())}")


def _read(name: str) -> str:
    """A file's text, or stdin's for `-`."""
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    if not path.is_file():
        errors.print(f"[red]no such file:[/red] {name}")
        raise typer.Exit(code=2)
    return path.read_text("utf-8")


def _article(name: str, content: str, published: str | None) -> Any:
    """The article a file holds: a JSON article object (.json), else the text itself."""
    from app.core.exceptions import invalid_input
    from app.schemas.article import ArticleCreate

    raw: dict[str, Any] = json.loads(content) if name.endswith(".json") else {"text": content}
    if published and not raw.get("published_at"):
        raw["published_at"] = published
    try:
        return ArticleCreate.model_validate(raw)
    except ValidationError as exc:
        problems = invalid_input(exc.errors()).detail
        errors.print(f"[red]{name} is not an article:[/red] {problems}", highlight=False)
        raise typer.Exit(code=2) from None


def _items(source: Path) -> Iterator[tuple[str, object]]:
    """(where, raw article) for each article of a .jsonl file or of a folder's .txt and .json files."""
    if source.is_file():
        for number, line in enumerate(source.read_text("utf-8").splitlines(), start=1):
            if line.strip():
                yield f"{source.name}:{number}", _json_or_text(line)
        return
    for path in sorted(p for p in source.iterdir() if p.suffix in (".txt", ".json")):
        content = path.read_text("utf-8")
        yield path.name, _json_or_text(content) if path.suffix == ".json" else {"text": content}


def _json_or_text(content: str) -> object:
    """Parsed JSON, or the content itself (which then fails validation as an article, with its reason)."""
    try:
        return json.loads(content)
    except json.JSONDecodeError:
        return content


def _why(item: object, outcome: object) -> str:
    """One line saying why an item was not stored."""
    from app.core.exceptions import ProblemError, problem_of

    if isinstance(item, ProblemError):
        return problem_of(item).detail
    return f"{getattr(outcome, 'reason', 'internal')} (see the log)"


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
    )


def _safe_url(settings: Settings) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `claims` command."""
    cli(args=list(argv) if argv is not None else None)
