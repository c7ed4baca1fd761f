"""A real browser: the built HTML report opened in headless Chromium.

Debian's `chromium` package is driven by Playwright's Python package through `executable_path`
(Playwright's own browser download is never used). For each language the test checks that
nothing but the file itself is requested, that the console stays free of errors, that every
chart image is decoded, that the table of contents links resolve and scroll, and it saves a
full-page screenshot. Set `JKN_SCREENSHOT_DIR` (for example `reports/screenshots`) to keep a
copy of the screenshots; by default they stay in pytest's temporary folder.

`.ci/run` installs Chromium; without it (or without Playwright) this module is skipped.
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "Chromium not installed: apt-get install chromium (the CI script installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright not installed: .venv/bin/pip install -e '.[test]' (./tasks test does it)",
)

pytestmark = pytest.mark.slow

QUARTER = "2024Q1"
VIEWPORT = {"width": 1280, "height": 900}
# A phone held upright: the report must not scroll sideways at this width.
NARROW_VIEWPORT = {"width": 375, "height": 800}
# axe-core from npm (tests/package-lock.json, installed by ./tasks when node is present).
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_FAILING_IMPACTS = {"serious", "critical"}
# Running as root on a machine without network: no sandbox, no GPU, no background fetches.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass
class OpenedReport:
    """The report loaded in a page, with everything the page did while loading and after."""

    language: str
    path: Path
    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=["id", "en"])
def report(request, browser, built) -> Iterator[OpenedReport]:
    language = request.param
    path = built / f"laporan-kinerja-jkn-{QUARTER}.{language}.html"
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    opened = OpenedReport(language, path, page)
    # Recorded on the context, so that requests of any frame or worker count too.
    context.on("request", lambda req: opened.requests.append(req.url))
    page.on("websocket", lambda socket: opened.requests.append(socket.url))
    page.on(
        "console",
        lambda message: (
            opened.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: opened.page_errors.append(str(error)))
    page.goto(path.as_uri(), wait_until="load")
    yield opened
    context.close()


def test_no_request_leaves_the_file(report):
    own = report.path.as_uri()
    assert own in report.requests
    others = [url for url in report.requests if url != own and not url.startswith("data:")]
    assert not others, f"{report.path.name} requested {others}"


def test_no_console_or_page_errors(report):
    assert not report.console_errors, report.console_errors
    assert not report.page_errors, report.page_errors


def test_every_chart_image_is_decoded(report):
    images = report.page.evaluate(
        """async () => Promise.all([...document.images].map(async (img) => {
            let decoded = true;
            try { await img.decode(); } catch (error) { decoded = false; }
            return {alt: img.alt, complete: img.complete, width: img.naturalWidth,
                    decoded, inChart: img.closest("figure.chart") !== null};
        }))"""
    )
    charts = report.page.locator("figure.chart").count()
    assert charts > 5
    assert len(images) == charts, f"{len(images)} images for {charts} charts"
    assert all(image["inChart"] for image in images)
    broken = [i["alt"] for i in images if not (i["complete"] and i["decoded"] and i["width"] > 0)]
    assert not broken, f"images not decoded: {broken}"


def test_contents_links_resolve_and_scroll(report):
    page = report.page
    targets = page.evaluate(
        """() => [...document.querySelectorAll('nav.contents a[href^="#"]')].map((a) => {
            const id = decodeURIComponent(a.getAttribute("href").slice(1));
            return {href: a.getAttribute("href"), found: document.getElementById(id) !== null};
        })"""
    )
    assert len(targets) >= 5, targets
    unresolved = [t["href"] for t in targets if not t["found"]]
    assert not unresolved, f"contents links without a target: {unresolved}"

    first = targets[0]["href"]
    top_of = "(id) => document.getElementById(id).getBoundingClientRect().top"
    page.evaluate("() => window.scrollTo(0, 0)")
    before = page.evaluate(top_of, first[1:])
    assert before > 50, "the first section is already at the top before the click"
    page.locator("nav.contents a[href^='#']").first.click()
    # Near the viewport's top: within a few pixels, smooth scrolling or not.
    page.wait_for_function(f"(id) => Math.abs(({top_of})(id)) < 5", arg=first[1:])
    assert page.evaluate("() => location.hash") == first
    assert page.evaluate("() => window.scrollY") > 0


def test_full_page_screenshot(report, tmp_path):
    screenshot = tmp_path / f"laporan-kinerja-jkn-{QUARTER}.{report.language}.png"
    report.page.evaluate("() => window.scrollTo(0, 0)")
    report.page.screenshot(path=str(screenshot), full_page=True)
    data = screenshot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert width == VIEWPORT["width"]
    assert height > 3 * VIEWPORT["height"], "the full page is longer than a few screens"
    assert len(data) > 50_000
    keep = os.environ.get("JKN_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy2(screenshot, Path(keep) / screenshot.name)


def test_no_serious_or_critical_accessibility_violation(report):
    """axe-core, injected into the page (it fetches nothing), over the whole report."""
    if not AXE.exists():
        pytest.skip("axe-core not installed: cd tests && npm ci (./tasks test does it)")
    # Evaluated by the DevTools protocol, which the page's Content-Security-Policy (no scripts)
    # does not govern; a <script> tag would be refused.
    report.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    results = report.page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
            }));
        }"""
    )
    failing = [v for v in results if v["impact"] in AXE_FAILING_IMPACTS]
    assert not failing, f"{report.path.name}: {failing}"


def test_tables_and_charts_are_described_and_offer_their_data(report):
    found = report.page.evaluate(
        """() => ({
            tables: [...document.querySelectorAll("table.data")].map((t) => ({
                caption: t.caption ? t.caption.textContent.trim() : "",
                unscoped: [...t.querySelectorAll("th")].filter((th) => !th.scope).length,
                rowHeaders: [...t.tBodies].every((b) => [...b.rows].every(
                    (r) => r.cells[0].tagName === "TH")),
                csv: (t.closest(".table-scroll")?.nextElementSibling
                      ?.querySelector("a[download]")?.href || "").startsWith("data:text/csv"),
            })),
            charts: [...document.querySelectorAll("figure.chart")].map((f) => ({
                caption: f.querySelector("figcaption").textContent.trim(),
                alt: f.querySelector("img").alt,
                csv: (f.querySelector("a[download]")?.href || "").startsWith("data:text/csv"),
            })),
        })"""
    )
    assert len(found["tables"]) > 5
    for table in found["tables"]:
        assert table["caption"] and table["unscoped"] == 0 and table["rowHeaders"], table
        assert table["csv"], table
    for chart in found["charts"]:
        # The text alternative states the values, not only the caption.
        assert (
            chart["alt"].startswith(chart["caption"])
            and len(chart["alt"]) > len(chart["caption"]) + 10
        ), chart
        assert any(character.isdigit() for character in chart["alt"][len(chart["caption"]) :])
        assert chart["csv"], chart


def test_no_sideways_scrolling_at_375_px(report):
    page = report.page
    page.set_viewport_size(NARROW_VIEWPORT)
    try:
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        cards = page.evaluate(
            # An analyst's added recommendation has no indicator beside it: nothing to stack.
            """() => [...document.querySelectorAll(".recommendation")]
                .filter((card) => card.querySelector(".rec-indicator"))
                .map((card) => {
                    const [indicator, body] = [".rec-indicator", ".rec-body"].map(
                        (s) => card.querySelector(s).getBoundingClientRect());
                    return body.top >= indicator.bottom - 1;
                })"""
        )
    finally:
        page.set_viewport_size(VIEWPORT)
    assert width <= NARROW_VIEWPORT["width"], f"{report.path.name} is {width} px wide at 375 px"
    assert cards and all(cards), "recommendation cards do not stack at 375 px"


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_index_at_375_px(browser, built, language):
    """The landing page on a phone: no sideways scrolling, and (with axe-core) no serious
    accessibility violation."""
    from jkn_analysis.build.batch import write_index

    index = write_index(built.parent, language=language)
    context = browser.new_context(viewport=NARROW_VIEWPORT)
    try:
        page = context.new_page()
        page.goto(index.as_uri(), wait_until="load")
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= NARROW_VIEWPORT["width"], f"the index is {width} px wide at 375 px"
        links = page.evaluate("() => [...document.querySelectorAll('a')].map((a) => a.href)")
        assert len(links) >= 8
        if AXE.exists():
            page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
            violations = page.evaluate(
                """async () => (await axe.run(document, {resultTypes: ["violations"]}))
                    .violations.map((v) => ({id: v.id, impact: v.impact}))"""
            )
            assert not [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS], violations
    finally:
        context.close()
