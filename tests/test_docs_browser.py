"""The built documentation site in headless Chromium: clause anchors, formulas, Chinese search.

The site is served from 127.0.0.1 by a thread of this process; every request to another
host is refused, so nothing here depends on the network (the Mermaid script that draws the
organisation diagram is served with the site: `make docs-build` fetches it into docs/_vendor/).
Needs Chromium at /usr/bin/chromium (``apt-get install chromium``) and the ``playwright``
Python package (a dev extra; no browser is downloaded).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gdsmodel.standards.standard import load_standard

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("GDSMODEL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from test_docs import build_site  # the same build as tests/test_docs.py

    site = build_site(tmp_path_factory)
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium is not installed ({CHROMIUM} not found); install it with "
            "`apt-get install chromium` to run the browser checks of the docs"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()

    def local_only(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort()

    pg.route("**/*", local_only)
    pg.set_default_timeout(30_000)
    try:
        yield pg
    finally:
        context.close()


def test_home_page_loads_and_links_the_reference(page: Any, base_url: str) -> None:
    response = page.goto(f"{base_url}/")
    assert response is not None and response.ok
    assert "gdsmodel" in page.title()
    assert page.locator(
        'a[href*="standard/posts/safety_officer/#safety_officer.standard.6"]'
    ).count()
    assert page.locator("text=供电所").count()


def test_post_page_has_every_clause_anchor_and_its_formulas(page: Any, base_url: str) -> None:
    std = load_standard()
    response = page.goto(f"{base_url}/standard/posts/safety_officer/#safety_officer.standard.4")
    assert response is not None and response.ok
    for c in std.clauses("safety_officer"):
        assert page.locator(f'[id="{c.id}"]').count() == 1, c.id
    target = page.locator('[id="safety_officer.standard.4"]')
    assert target.is_visible()
    assert "两票合格率达100%" in page.content()
    # the KPIs that measure the clauses, with their formulas rendered as MathML
    formulas = page.locator("math")
    assert formulas.count() >= 1
    box = formulas.first.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0


def test_kpi_page_renders_every_formula(page: Any, base_url: str) -> None:
    try:
        from gdsmodel.metrics.registry import metrics

        defs = [d for d in metrics() if d.formula]
    except (ImportError, OSError):
        pytest.skip("the KPI registry is not part of this build")
    page.goto(f"{base_url}/kpis/")
    assert page.locator("math[display=block]").count() >= len(defs)
    for d in defs[:5]:
        block = page.locator(f'[id="{d.id}"] ~ div.arithmatex math').first
        box = block.bounding_box()
        assert box is not None and box["height"] > 10, d.id


def test_organisation_diagram_is_drawn_with_no_request_leaving_the_machine(
    browser: Any, base_url: str
) -> None:
    vendored = sorted((ROOT / "docs" / "_vendor").glob("mermaid-*.min.js"))
    if not vendored:
        pytest.fail("docs/_vendor/mermaid-*.min.js is missing: `make docs-build` fetches it")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    refused: list[str] = []

    def local_only(route: Any) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    try:
        pg = context.new_page()
        pg.route("**/*", local_only)
        pg.goto(f"{base_url}/standard/")
        # The theme replaces the diagram's source by the drawing (in a closed shadow root).
        pg.wait_for_function("() => document.querySelector('pre.mermaid, code.mermaid') === null")
        drawn = pg.locator("div.mermaid").first
        drawn.wait_for()
        box = drawn.bounding_box()
        assert box is not None and box["height"] > 200 and box["width"] > 200, box
        assert pg.locator("pre", has_text="flowchart").count() == 0
        assert refused == [], refused
    finally:
        context.close()


def _search(page: Any, base_url: str, query: str) -> list[str]:
    """The links of the search results for ``query``, best first."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(f"{base_url}/")
    page.locator(".md-search__input").first.click()
    # The index loads in a web worker: wait until the theme no longer says "Initializing
    # search" (generously: a busy machine). The theme reads the query on key-up, and Chinese
    # text arrives as inserted text with no key-up, so a real key (End) follows the text.
    page.wait_for_function(
        """() => {
            const m = document.querySelector('.md-search-result__meta');
            return m !== null && !/Initializing/i.test(m.textContent || '');
        }""",
        timeout=120_000,
    )
    box = page.locator("input.md-search__input")
    for attempt in range(3):
        box.fill(query)
        box.press("End")
        try:
            page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    hrefs: list[str] = page.eval_on_selector_all(
        ".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))"
    )
    return hrefs


def test_search_finds_a_chinese_word(page: Any, base_url: str) -> None:
    hrefs = _search(page, base_url, "四不放过")
    assert any("#four_not_letting_go" in h or "safety_officer" in h for h in hrefs), hrefs
    hrefs = _search(page, base_url, "事故")
    assert any(h.endswith("#safety_officer.standard.3") for h in hrefs[:5]), hrefs


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("32字原则", "safety_officer.standard.6"),
        ("32 字原则", "safety_officer.standard.6"),
        ("两票三制", "safety_officer.standard.4"),
        ("合格率", "safety_officer.standard.4"),
    ],
)
def test_search_finds_named_rules_by_their_usual_spellings(
    page: Any, base_url: str, query: str, where: str
) -> None:
    hrefs = _search(page, base_url, query)
    assert any(h.endswith(f"#{where}") for h in hrefs), hrefs


def test_search_finds_a_clause_by_its_id(page: Any, base_url: str) -> None:
    hrefs = _search(page, base_url, "safety_officer.standard.6")
    assert any(h.endswith("#safety_officer.standard.6") for h in hrefs[:3]), hrefs
