"""The default theme for every reader: axe-core finds nothing, in light and dark colours;
nothing scrolls sideways at 320 px; the keyboard reaches everything and shows where it is.

One build covers every kind of page (tests/browser.py's ``published``). axe-core comes from the npm registry
(tests/browser.py installs it into .cache/axe) and is injected into headless Chromium.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.browser import Published, axe_script, color_scheme, goto
from tests.cdp import Browser

PAGES = {
    "home": "",
    "page": "sensors/thermistor/",
    "contributor": "contributors/priya/",
    "licence": "licenses/cc-by-sa-4.0/",
    "tag": "tags/calibration/",
    "history": "sensors/thermistor/history/",
    "search results": "search/?q=temperature",
    "German section": "de/sensors/",
    "translation status": "de/translations/",
    "not found": "404.html",
}

RUN_AXE = """axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary),
})))"""


@pytest.fixture(scope="module")
def host(published: Published) -> str:
    for url in PAGES.values():
        path = url.split("?")[0]
        assert (
            published.folder / (path if path.endswith(".html") else path + "index.html")
        ).is_file(), url
    return published.url


@pytest.fixture(scope="module")
def axe(browser: Browser) -> Iterator[Browser]:
    """The browser, with axe-core in every page it loads from now until the module ends."""
    added = browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": axe_script()})
    yield browser
    browser.call("Page.removeScriptToEvaluateOnNewDocument", added)


def viewport(browser: Browser, width: int) -> None:
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def load(browser: Browser, url: str) -> None:
    goto(browser, url)
    if "search/" in url:
        browser.wait_for("document.querySelectorAll('#search-results li').length > 0")
    # Closed <details> (Cite this page) are checked open, like a reader who opens them.
    browser.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true })")


@pytest.mark.parametrize("kind", PAGES)
def test_axe_finds_nothing_in_light_and_dark_and_nothing_scrolls_sideways_at_320_px(
    axe: Browser, host: str, kind: str
) -> None:
    browser = axe
    viewport(browser, 1280)
    load(browser, host + PAGES[kind])
    found = {}
    backgrounds = set()
    for scheme in ("light", "dark"):
        color_scheme(browser, scheme)
        backgrounds.add(browser.evaluate("getComputedStyle(document.body).backgroundColor"))
        violations = browser.call(
            "Runtime.evaluate",
            {"expression": RUN_AXE, "returnByValue": True, "awaitPromise": True},
            timeout=60,
        )["result"]["value"]
        if violations:
            found[scheme] = violations
    color_scheme(browser, "light")
    assert len(backgrounds) == 2, "the dark scheme is a different page"
    assert not found, json.dumps(found, indent=1)

    viewport(browser, 320)  # the same page, narrowed: its layout follows
    try:
        wide = browser.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => {"
            "  const r = e.getBoundingClientRect();"
            "  return r.width && r.right > document.documentElement.clientWidth + 1"
            "    && !e.closest('pre, table, .visually-hidden');"
            "}).slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        width = browser.evaluate("document.documentElement.scrollWidth")
    finally:
        viewport(browser, 1280)
    assert width <= 320 and not wide, f"{width} px wide; too wide: {wide}"


def test_tab_reaches_every_control_in_order_with_a_visible_focus(
    browser: Browser, host: str
) -> None:
    """Tab from the top of a long page through all it has: each stop shows an outline."""
    viewport(browser, 1280)
    load(browser, host + PAGES["page"])
    reachable = browser.evaluate(
        "(window.controls = [...document.querySelectorAll('a[href], button, input, summary, [tabindex=\"0\"]')]"
        ".filter(e => e.getClientRects().length)).length"
    )
    stops = []
    for _ in range(reachable):
        for kind in ("rawKeyDown", "keyUp"):
            browser.call(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
            )
        stops.append(
            browser.evaluate(
                "(e => ({at: controls.indexOf(e),"
                " what: e.tagName + ' ' + (e.textContent || e.id).trim().slice(0, 40),"
                " outline: getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth,"
                " top: e.getBoundingClientRect().top}))(document.activeElement)"
            )
        )
    assert stops[0]["what"].startswith("A Skip to content"), stops[0]
    assert stops[0]["top"] >= 0, "the skip link comes into view when focused"
    assert [s["at"] for s in stops] == list(range(reachable)), stops
    invisible = [
        s for s in stops if s["outline"].startswith("none") or s["outline"].endswith(" 0px")
    ]
    assert not invisible, invisible


def test_the_harness_sees_a_violation(axe: Browser, host: str) -> None:
    """Zero violations mean something: the same run reports an image without a text."""
    browser = axe
    load(browser, host + PAGES["page"])
    browser.evaluate("document.querySelector('main').append(document.createElement('img'))")
    found = browser.call(
        "Runtime.evaluate",
        {"expression": RUN_AXE, "returnByValue": True, "awaitPromise": True},
        timeout=60,
    )["result"]["value"]
    assert "image-alt" in [v["id"] for v in found]


@pytest.mark.parametrize("path", ["sensors/data-logger/", "sensors/thermistor/"])
def test_axe_finds_nothing_on_a_phone_where_code_and_tables_scroll_sideways(
    axe: Browser, host: str, path: str
) -> None:
    """At 390 px a code block's long lines scroll inside it: the block can be reached by
    keyboard to scroll it (axe's scrollable-region-focusable), in both schemes."""
    browser = axe
    viewport(browser, 390)
    try:
        load(browser, host + path)
        found = {}
        for scheme in ("light", "dark"):
            color_scheme(browser, scheme)
            violations = browser.call(
                "Runtime.evaluate",
                {"expression": RUN_AXE, "returnByValue": True, "awaitPromise": True},
                timeout=60,
            )["result"]["value"]
            if violations:
                found[scheme] = violations
    finally:
        color_scheme(browser, "light")
        viewport(browser, 1280)
    assert not found, json.dumps(found, indent=1)
