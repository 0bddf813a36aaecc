"""The pages under `/ui/`: the stored articles, one article with its claims marked in its text, an
entity with its stance over time, and a form to try a text (parsed, not stored)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from app.api.deps import (
    ExtractionDep,
    RowId,
    SessionDep,
    SettingsDep,
    client_gone,
    refusal,
)
from app.api.read_models import article_read, extraction_read, stance_points
from app.core.exceptions import NotFoundError, invalid_input
from app.core.problem import Problem
from app.schemas.article import ArticleCreate
from app.schemas.claim import ExtractedClaim
from app.services import articles, entity_profiles
from app.web.chart import stance_chart
from app.web.highlight import marks_of, pieces

PREFIX = "/ui"
FORM_PATH = f"{PREFIX}/extract"  # the one page that takes a form post (JsonOnlyMiddleware lets it in)
ARTICLES_PER_PAGE = 25
router = APIRouter(prefix=PREFIX, include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")  # autoescaped
STATIC = Path(__file__).parent / "static"


@router.get("/", response_class=HTMLResponse)
def article_list(
    request: Request, session: SessionDep, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1
) -> Response:
    """The stored articles, newest first, a page at a time."""
    rows, total = articles.list_articles(session, ARTICLES_PER_PAGE, (page - 1) * ARTICLES_PER_PAGE)
    counts = articles.claim_counts(session, [row.id for row in rows])
    listed = [
        {"row": row, "title": row.title or _first_line(row.text), "claims": counts.get(row.id, 0)}
        for row in rows
    ]
    pages = max(1, -(-total // ARTICLES_PER_PAGE))
    context = {"articles": listed, "total": total, "page": page, "pages": pages}
    return templates.TemplateResponse(request, "articles.html", context)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: RowId, session: SessionDep) -> Response:
    """One article: its text with each claim's content, speaker, cue and targets marked, and its claims."""
    row = articles.get_article(session, article_id)
    if row is None:
        raise NotFoundError(f"There is no article with id {article_id}.")
    read = article_read(row, with_text=True)
    text = read.text or ""
    numbered: list[tuple[int, ExtractedClaim]] = [(claim.id, claim) for claim in read.claims]
    links = {c.id: {"speaker": c.speaker_id, "targets": [t.entity_id for t in c.targets]} for c in row.claims}
    context = {
        "article": read,
        "pieces": pieces(text, marks_of(text, numbered)),
        "claims": numbered,
        "links": links,
    }
    return templates.TemplateResponse(request, "article.html", context)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(
    request: Request,
    entity_id: RowId,
    session: SessionDep,
    about: Annotated[RowId | None, Query()] = None,
    bucket: Annotated[Literal["week", "month"], Query()] = "month",
) -> Response:
    """An entity: who it is, whom it speaks about and who speaks about it, and its stance over time."""
    profile = entity_profiles.entity_profile(session, entity_id, 10)
    if profile is None:
        raise NotFoundError(f"There is no entity with id {entity_id}.")
    if about is None and profile.speaks_about:
        about = profile.speaks_about[0].other.id
    target = next((r.other for r in profile.speaks_about if r.other.id == about), None)
    raw, undated = entity_profiles.stance_timeline(session, entity_id, about, bucket)
    points = stance_points(raw)
    toward = target.name if target else "every target"
    title = f"Stance of {profile.counts.entity.name} toward {toward}, by {bucket}"
    context = {
        "profile": profile,
        "about": target,
        "bucket": bucket,
        "points": points,
        "undated": undated,
        "chart": stance_chart(points, title, bucket) if points else None,
        "chart_title": title,
    }
    return templates.TemplateResponse(request, "entity.html", context)


@router.get("/extract", response_class=HTMLResponse)
def extract_form(request: Request) -> Response:
    """The form to paste a text into."""
    return templates.TemplateResponse(request, "extract.html", {"text": "", "published_at": ""})


@router.post("/extract", response_class=HTMLResponse)
async def extract_page(request: Request, extraction: ExtractionDep, settings: SettingsDep) -> Response:
    """The claims of the text sent by the form, marked in it; nothing is stored."""
    form = parse_qs((await request.body()).decode("utf-8", errors="replace"))
    text, published = form.get("text", [""])[0], form.get("published_at", [""])[0].strip()
    context: dict[str, Any] = {"text": text, "published_at": published}
    try:
        article = ArticleCreate.model_validate({"text": text, "published_at": published or None})
    except ValidationError as exc:
        context["error"] = invalid_input(exc.errors()).detail
        return templates.TemplateResponse(request, "extract.html", context, status_code=422)
    if (problem := refusal(article, settings)) is not None:
        context["error"] = problem.detail
        return templates.TemplateResponse(request, "extract.html", context, status_code=problem.status)
    result = await extraction.extract(article.text, article.published_at, client_gone(request))
    read = extraction_read(result, extraction.info)
    numbered = list(enumerate(read.claims, start=1))
    context |= {"result": read, "pieces": pieces(text, marks_of(text, numbered)), "claims": numbered}
    return templates.TemplateResponse(request, "extract.html", context)


def problem_page(request: Request, problem: Problem, headers: Mapping[str, str] | None) -> Response | None:
    """A problem on a page (not found, no key, invalid page number ...) as a page with its title and
    detail, same status; None for anything else, which stays a problem document."""
    if not request.url.path.startswith(f"{PREFIX}/"):
        return None
    context = {"problem": problem}
    return templates.TemplateResponse(
        request, "problem.html", context, status_code=problem.status, headers=headers
    )


def root() -> RedirectResponse:
    """`/` is the pages' front door."""
    return RedirectResponse(f"{PREFIX}/", status_code=307)


def _first_line(text: str) -> str:
    """An untitled article's name: its first line, shortened."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 90 else line[:89] + "…"
