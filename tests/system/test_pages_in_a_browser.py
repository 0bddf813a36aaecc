"""The pages under /ui in a real browser (Debian's chromium, driven by Playwright), with every request to
another host refused: an editor reads an article with its claims marked, follows a claim to its
speaker's stance over time, and pastes a text to try; keyboard, labels and contrast are checked.

`TEST_SCREENSHOTS=DIR` also saves the screenshots there (the README shows those in `docs/`).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import Engine

from app.schemas.examples import ARTICLE
from tests.system.server import LiveServer
from tests.system.test_docs_in_a_browser import CHROMIUM, browser, offline_page, screenshot

__all__ = ["browser"]  # the fixture, shared with the docs' browser test
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="needs TEST_CHROMIUM (scripts/test sets it)")

# WCAG 2.1 contrast of the computed text and background colours of an element (AA: at least 4.5).
CONTRAST = """el => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let node = el, bg = 'rgba(0, 0, 0, 0)';
  const clear = c => /rgba\\(0, 0, 0, 0\\)|transparent/.test(c);
  while (node && clear(bg)) { bg = getComputedStyle(node).backgroundColor; node = node.parentElement; }
  if (clear(bg)) bg = 'rgb(255, 255, 255)';
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(bg))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""
UNLABELLED = """() => [...document.querySelectorAll('input, textarea, select')]
  .filter(el => !el.labels || el.labels.length === 0).map(el => el.id || el.name)"""


@pytest.fixture
def seeded(live_server: LiveServer, engine: Engine, seed_text: str) -> Iterator[dict[str, object]]:
    """The seed article stored through the API, with a title and a URL."""
    body = {"text": seed_text, "title": "Pakistan stresses ties with US", "url": "https://news.example/pk-us"}
    response = httpx.post(f"{live_server.url}/v1/articles", json=body, timeout=60)
    assert response.status_code == 201, response.text
    yield response.json()


def test_an_editor_reads_an_article_with_its_claims_marked_and_follows_one(
    live_server: LiveServer, browser: Browser, seeded: dict[str, object], tmp_path: object
) -> None:
    page, refused = offline_page(browser, live_server)
    page.goto(f"{live_server.url}/")  # the front door leads to the list

    assert page.url == f"{live_server.url}/ui/"
    page.get_by_role("link", name="Pakistan stresses ties with US").click()
    marks = page.locator(".article-text a.content")
    assert marks.count() >= 16  # every claim's content is a link to its card (some in several pieces)
    assert page.locator(".article-text .target.stance-favor").count() > 0
    assert (
        page.locator(".article-text .speaker").count() >= 10
        and page.locator(".article-text .cue").count() >= 10
    )
    marks.first.focus()
    page.keyboard.press("Enter")  # keyboard only
    card = page.locator(".claim:target")
    assert card.count() == 1 and "Pakistan" in card.inner_text()
    _check_contrast(
        page, [".article-text .content", ".stance-favor", ".stance-against", ".claim .date", "p.meta"]
    )
    page.locator(".claim").nth(3).scroll_into_view_if_needed()  # ids go on across tests: by position
    screenshot(page, tmp_path, "page-article.png")  # type: ignore[arg-type]
    assert refused == []


def test_an_analyst_sees_a_speakers_stance_toward_a_country_over_time(
    live_server: LiveServer, browser: Browser, seeded: dict[str, object], tmp_path: object
) -> None:
    page, refused = offline_page(browser, live_server)
    page.goto(f"{live_server.url}/ui/articles/{seeded['id']}")
    page.locator(".claim .who a", has_text="Mumtaz Zahra Baloch").first.click()

    assert page.locator("h1").inner_text() == "Mumtaz Zahra Baloch"
    chart = page.locator("svg.chart")
    title = chart.locator("title").first.text_content() or ""
    assert chart.get_attribute("role") == "img" and "United States" in title
    assert page.locator("svg.chart rect.bar").count() >= 2  # two months of statements
    assert page.evaluate(UNLABELLED) == []
    page.select_option("#bucket", "week")
    page.get_by_role("button", name="Show").click()
    assert "bucket=week" in page.url and page.locator("svg.chart rect.bar").count() >= 2
    screenshot(page, tmp_path, "page-entity.png")  # type: ignore[arg-type]
    assert refused == []


def test_a_reader_pastes_a_text_and_sees_its_claims_without_storing_it(
    live_server: LiveServer, browser: Browser, engine: Engine, tmp_path: object
) -> None:
    page, refused = offline_page(browser, live_server)
    page.goto(f"{live_server.url}/ui/extract")
    assert page.evaluate(UNLABELLED) == []
    page.get_by_label("Text").fill(str(ARTICLE["text"]))
    page.get_by_label("Published on").fill("2025-03-05")
    page.get_by_role("button", name="Find the claims").click()

    cards = page.locator(".claim")
    assert cards.count() == 3 and "Rhea Dalton" in cards.first.inner_text()
    assert page.locator(".article-text .cue", has_text="According to").count() == 1
    screenshot(page, tmp_path, "page-extract.png")  # type: ignore[arg-type]
    stored = httpx.get(f"{live_server.url}/v1/articles", timeout=10).json()["total"]
    assert stored == 0 and refused == []


def _check_contrast(page: Page, selectors: list[str]) -> None:
    """Each selector's first element has text contrast of at least 4.5 (WCAG AA)."""
    for selector in selectors:
        ratio = page.locator(selector).first.evaluate(CONTRAST)
        assert ratio >= 4.5, (selector, ratio)
