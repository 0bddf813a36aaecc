"""Swagger UI and ReDoc in a real browser (Debian's chromium, driven by Playwright) with every request to
another host refused, as on a machine without internet: both pages render from the service's own
assets, and "Try it out" on `POST /v1/extract`, with the contract's example as it comes, gets claims.

`TEST_CHROMIUM` names the browser (`scripts/test` installs Debian's and sets it); without it these tests
are skipped. `TEST_SCREENSHOTS=DIR` also saves the screenshots there (the README's come from `docs/`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from tests.system.server import LiveServer

CHROMIUM = os.environ.get("TEST_CHROMIUM", "")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="needs TEST_CHROMIUM (scripts/test sets it)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless chromium; a TEST_CHROMIUM that names no browser fails the tests, it does not skip them."""
    assert Path(CHROMIUM).is_file(), f"TEST_CHROMIUM={CHROMIUM} is not a file"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def offline_page(browser: Browser, server: LiveServer) -> tuple[Page, list[str]]:
    """A page that may reach the service only: every other request is refused and listed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    refused: list[str] = []

    def only_the_service(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_service)
    return context.new_page(), refused


def screenshot(page: Page, tmp_path: Path, name: str) -> None:
    """Save the page's screenshot (and a copy under TEST_SCREENSHOTS when set)."""
    page.screenshot(path=str(tmp_path / name), full_page=False)
    if target := os.environ.get("TEST_SCREENSHOTS"):
        page.screenshot(path=str(Path(target) / name), full_page=False)


def test_try_it_out_extracts_the_example_article_without_internet(
    live_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    page, refused = offline_page(browser, live_server)
    page.goto(f"{live_server.url}/docs")
    operation = page.locator("#operations-extraction-extract_claims")
    operation.locator(".opblock-summary").click()
    # "Try it out" is on from the start (`tryItOutEnabled`): the example body is ready to send
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table td.response-col_status:not(.col_header)")
    status.wait_for(timeout=60_000)
    body = json.loads(operation.locator(".live-responses-table .microlight").first.inner_text())
    operation.locator(".live-responses-table").scroll_into_view_if_needed()
    screenshot(page, tmp_path, "swagger-ui-try-it-out.png")

    assert status.inner_text().strip() == "200"
    claims = {(c["speaker"]["name"], c["cue"]["lemma"], c["type"]) for c in body["claims"]}
    assert ("Rhea Dalton", "say", "direct_quote") in claims  # the split quotation, one claim
    assert ("Millbrook Traders' Association", "according to", "indirect_quote") in claims
    assert refused == []


def test_redoc_renders_the_contract_without_internet(
    live_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    page, refused = offline_page(browser, live_server)
    page.goto(f"{live_server.url}/redoc")
    heading = page.locator("h2").filter(has_text="Extract claims from a text without storing anything")
    heading.first.wait_for(timeout=30_000)
    screenshot(page, tmp_path, "redoc.png")

    assert page.locator("h1").first.inner_text().startswith("Claims service")
    assert refused == []
