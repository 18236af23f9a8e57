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
