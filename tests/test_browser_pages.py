"""Page kinds of the default theme in a real browser (headless Chromium): what a reader sees
on a static host, whatever host and folder the output is put in."""

from __future__ import annotations

from tests.browser import Published, goto, static_host
from tests.cdp import Browser

STYLED = """[...document.styleSheets].some(sheet => {
  try { return sheet.cssRules.length > 20; } catch (e) { return false; }
})"""


def test_the_404_page_is_styled_when_its_folder_is_served_at_a_hosts_top(
    browser: Browser, published: Published
) -> None:
    """The site's base URL has the path /handbook/; `python3 -m http.server` in the output
    folder serves it at / instead, where the 404 page's links from the site's top lead
    nowhere."""
    with static_host(published.folder) as url:
        goto(browser, url + "404.html")
        assert browser.evaluate(STYLED)
        # the theme's layout applies: the header is a flex row, not a plain block
        header = "getComputedStyle(document.querySelector('.site-header-inner')).display"
        assert browser.evaluate(header) == "flex"
    goto(browser, published.url + "404.html")  # the published site, at its path
    assert browser.evaluate(STYLED)


def test_the_tags_index_is_laid_out_as_a_page_not_as_a_row_of_tag_pills(
    browser: Browser, published: Published
) -> None:
    goto(browser, published.url + "tags/")
    main = "getComputedStyle(document.querySelector('main'))"
    assert browser.evaluate(f"{main}.display") == "block"
    assert browser.evaluate("document.querySelector('main').classList.contains('tags')") is False


def test_code_is_coloured_numbered_and_copied_without_its_line_numbers(
    browser: Browser, published: Published
) -> None:
    goto(browser, published.url + "sensors/data-logger/")
    first = "document.querySelector('.content pre.highlight')"
    keyword = f"getComputedStyle({first}.querySelector('.kn')).color"
    plain = f"getComputedStyle({first}).color"
    assert browser.evaluate(keyword) != browser.evaluate(plain)  # coloured
    assert browser.evaluate(f"{first}.querySelectorAll('.line.hl').length") == 9
    buttons = "document.querySelectorAll('.content .code-block > button.copy-code')"
    assert browser.evaluate(f"{buttons}.length") == browser.evaluate(
        "document.querySelectorAll('.content pre > code').length"
    )
    assert browser.evaluate(f"{buttons}[0].getAttribute('aria-label')") == "Copy the code"
    # what the button hands to the clipboard
    browser.evaluate(
        "window.copied = null; navigator.clipboard.writeText = t => "
        "{ window.copied = t; return Promise.resolve(); }"
    )
    browser.evaluate(f"{buttons}[0].click()")
    copied = browser.wait_for("window.copied")
    assert copied.startswith("# River Watch temperature logger")
    assert copied.endswith(
        "lightsleep(INTERVAL_S * 1000)  # milliseconds; draws far less than time.sleep"
    )
    assert "\n1#" not in copied and not copied[0].isdigit()
    # the page does not scroll sideways on a phone: the code block scrolls instead
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        goto(browser, published.url + "sensors/data-logger/")
        width = browser.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")


def viewport(browser: Browser, width: int, height: int = 844) -> None:
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )


def test_on_a_phone_a_menu_opens_the_navigation_without_scripts(
    browser: Browser, published: Published
) -> None:
    viewport(browser, 390)
    try:
        browser.call("Emulation.setScriptExecutionDisabled", {"value": True})
        goto(browser, published.url + "sensors/thermistor/")
        header = "document.querySelector('.site-header').getBoundingClientRect().height"
        assert browser.evaluate(header) <= 64
        menu = "document.querySelector('.site-menu')"
        # the menu's button is in the header's row: the text starts right below the header
        summary = f"{menu}.querySelector('summary').getBoundingClientRect()"
        assert browser.evaluate(f"{summary}.bottom") <= browser.evaluate(header)
        crumbs = "document.querySelector('.breadcrumbs').getBoundingClientRect().top"
        assert browser.evaluate(crumbs) - browser.evaluate(header) < 32
        visible = (
            "[...document.querySelectorAll('.site-menu a')]"
            ".filter(a => a.checkVisibility()).map(a => a.textContent)"
        )
        assert browser.evaluate(visible) == []  # closed
        # a click on the summary, as a finger does (no script runs on the page)
        box = browser.evaluate(
            f"(r => [r.x + 20, r.y + 10])({menu}.querySelector('summary').getBoundingClientRect())"
        )
        for kind in ("mousePressed", "mouseReleased"):
            browser.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1},
            )
        shown = browser.wait_for(f"{menu}.open && {visible}")
        assert {"Field monitoring", "Sensors", "Community", "Deutsch"} <= set(shown)
        assert "Calibrating your sensors" in shown  # the section's pages
        assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", {"value": False})
        browser.call("Emulation.clearDeviceMetricsOverride")


def test_wide_screens_show_the_sidebar_and_no_empty_column(
    browser: Browser, published: Published
) -> None:
    viewport(browser, 1280, 900)
    try:
        goto(browser, published.url + "sensors/thermistor/")
        current = "document.querySelector('.sidebar [aria-current=page]')"
        assert browser.evaluate(f"{current}.textContent").startswith("Measuring river")
        assert browser.evaluate(f"{current}.checkVisibility()")
        assert browser.evaluate("document.querySelector('.site-menu > summary').offsetHeight") == 0
        # a page without a table of contents: the sidebar and the text, centred
        goto(browser, published.url + "community/")
        assert not browser.evaluate("document.querySelector('.toc')")
        wrap = browser.evaluate(
            "(r => [r.left, innerWidth - r.right])"
            "(document.querySelector('.wrap').getBoundingClientRect())"
        )
        assert abs(wrap[0] - wrap[1]) < 20, wrap
        text = browser.evaluate(
            "(r => innerWidth - r.right)(document.querySelector('main').getBoundingClientRect())"
        )
        assert text < 340, text  # no empty column wider than a sidebar on the right
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")


def test_on_this_page_marks_the_section_in_view(browser: Browser, published: Published) -> None:
    viewport(browser, 1280, 700)
    try:
        goto(browser, published.url + "sensors/thermistor/")
        marked = "document.querySelector('.toc a[aria-current]')?.textContent"
        assert browser.wait_for(marked) == "How a thermistor works"
        browser.evaluate("document.getElementById('errors-to-avoid').scrollIntoView()")
        assert browser.wait_for(f"{marked} === 'Errors to avoid' && {marked}")
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")
