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
