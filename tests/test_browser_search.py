"""Search and copy buttons in a real browser: the example site, built, on a static host
and from file://, driven through headless Chromium (one browser for all browser tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser import Published, goto
from tests.cdp import Browser

RESULTS = """[...document.querySelectorAll('#search-results li')].map(li => ({
  title: li.querySelector('a').textContent,
  href: li.querySelector('a').getAttribute('href'),
  section: li.querySelector('.search-section')?.textContent ?? '',
  excerpt: li.querySelector('.search-excerpt')?.textContent ?? '',
  marked: [...li.querySelectorAll('mark')].map(m => m.textContent),
}))"""


@pytest.fixture(scope="module")
def site(published: Published) -> Path:
    return published.folder


@pytest.fixture(scope="module")
def host(published: Published) -> str:
    return published.url


def type_into(browser: Browser, selector: str, text: str) -> None:
    """Focus the field and type as a person would: key events, not a value assignment."""
    browser.evaluate(f"document.querySelector({selector!r}).focus()")
    for char in text:
        browser.call("Input.dispatchKeyEvent", {"type": "keyDown", "text": char, "key": char})
        browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": char})


def press(browser: Browser, key: str, code: int) -> None:
    down = {"type": "keyDown", "text": "\r"} if key == "Enter" else {"type": "rawKeyDown"}
    for event in (down, {"type": "keyUp"}):
        browser.call(
            "Input.dispatchKeyEvent",
            {**event, "key": key, "code": key, "windowsVirtualKeyCode": code},
        )


def titles_of(site: Path, lang_root: str) -> dict[str, str]:
    """Every page title in the built site's search index of one language -> its link."""
    text = (site / lang_root / "search" / "search-index.js").read_text(encoding="utf-8")
    data = json.loads(text.split("=", 1)[1].strip().rstrip(";"))
    return {entry[0]: entry[2] for entry in data["pages"]}


def test_typing_a_query_shows_titles_sections_and_marked_excerpts(browser, host, site) -> None:
    goto(browser, host + "search/")
    assert browser.evaluate("document.activeElement.id") == "search-input"
    type_into(browser, "#search-input", "thermistor")
    browser.wait_for("document.querySelectorAll('#search-results li').length > 0")
    results = browser.evaluate(RESULTS)
    titles = [r["title"] for r in results]
    assert "Measuring river temperature with a thermistor" in titles
    first = results[0]
    assert "thermistor" in first["title"].lower(), "a title match ranks first"
    assert first["section"] == "Sensors"
    assert first["excerpt"] and [m.lower() for m in first["marked"]] == ["thermistor"]
    status = browser.evaluate("document.getElementById('search-status').textContent")
    assert status == f"{len(results)} pages found"
    assert browser.evaluate("document.getElementById('search-all-pages').hidden") is True
    # Each result leads to the page it names.
    for result in results:
        target = (site / "search" / result["href"] / "index.html").resolve()
        assert result["title"] in target.read_text(encoding="utf-8")
    # The query is kept in the address, so a result list can be shared and reloaded.
    assert browser.evaluate("new URL(location.href).searchParams.get('q')") == "thermistor"


def test_every_word_must_match_accents_do_not_and_nothing_found_is_said(browser, host) -> None:
    goto(browser, host + "de/search/?q=fluss%20temperatur")
    results = browser.wait_for(f"(r => r.length && r)({RESULTS})")
    for result in results:
        text = (result["title"] + result["excerpt"]).lower()
        assert "temperatur" in text or result["marked"], result
    goto(browser, host + "de/search/?q=FLÜSS")
    folded = browser.wait_for(f"(r => r.length && r)({RESULTS})")
    goto(browser, host + "de/search/?q=fluss")
    assert browser.wait_for(f"(r => r.length && r)({RESULTS})") == folded
    goto(browser, host + "search/?q=thermistor%20zzzzunknown")
    status = browser.wait_for("document.getElementById('search-status').textContent")
    assert status == "No page matches your search."
    assert browser.evaluate("document.getElementById('search-results').hidden") is True


def test_the_header_form_leads_to_the_results_in_the_page_language(browser, host) -> None:
    goto(browser, host + "de/sensors/")
    assert browser.evaluate("document.getElementById('search-form')") is None
    type_into(browser, "#site-search-input", "kalibrierung")
    press(browser, "Enter", 13)
    browser.wait_for("location.pathname.endsWith('/de/search/index.html')")
    results = browser.wait_for(f"(r => r.length && r)({RESULTS})")
    assert all(r["href"].startswith("../") for r in results)
    status = browser.evaluate("document.getElementById('search-status').textContent")
    assert status.endswith("gefunden"), "the German page speaks German"


def test_arrow_keys_move_through_the_results_and_escape_returns(browser, host) -> None:
    goto(browser, host + "search/?q=river")
    browser.wait_for("document.querySelectorAll('#search-results a').length > 2")
    browser.evaluate("document.getElementById('search-input').focus()")
    press(browser, "ArrowDown", 40)
    press(browser, "ArrowDown", 40)
    second = browser.evaluate("document.querySelectorAll('#search-results a')[1].textContent")
    assert browser.evaluate("document.activeElement.textContent") == second
    press(browser, "Escape", 27)
    assert browser.evaluate("document.activeElement.id") == "search-input"


def test_search_works_from_file_urls_and_links_name_index_html(browser, site) -> None:
    page = (site / "search" / "index.html").as_uri()
    goto(browser, page + "?q=conductivity")
    results = browser.wait_for(f"(r => r.length && r)({RESULTS})")
    assert results[0]["title"] == "Measuring conductivity"
    assert results[0]["href"] == "../sensors/conductivity/index.html"


def test_without_scripts_the_search_page_lists_every_page(browser, host, site) -> None:
    browser.call("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        goto(browser, host + "search/?q=thermistor")
        listed = browser.call(
            "Runtime.evaluate",
            {
                "expression": "[...document.querySelectorAll('#search-all-pages a')]"
                ".map(a => a.textContent)",
                "returnByValue": True,
            },
        )["result"]["value"]
        form_hidden = browser.call(
            "Runtime.evaluate",
            {"expression": "document.getElementById('search-form').hidden", "returnByValue": True},
        )["result"]["value"]
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", {"value": False})
    assert sorted(listed) == sorted(titles_of(site, ""))
    assert form_hidden is True, "a form that cannot answer is not shown"


def test_copy_buttons_copy_the_credit_and_each_citation_and_say_so(browser, host) -> None:
    url = host + "sensors/thermistor/"
    origin = host.rstrip("/")
    browser.call(
        "Browser.grantPermissions",
        {"origin": origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    goto(browser, url)
    buttons = browser.wait_for(
        "(b => b.length && b)([...document.querySelectorAll('button.copy-button')]"
        ".filter(b => !b.hidden).map(b => [b.dataset.copy, b.getAttribute('aria-label')]))"
    )
    assert buttons == [
        ["attribution-text", "Copy the credit"],
        ["cite-bibtex", "Copy BibTeX"],
        ["cite-ris", "Copy RIS"],
        ["cite-csl-json", "Copy CSL-JSON"],
    ]
    browser.evaluate("document.querySelector('details.cite').open = true")
    for target, _label in buttons:
        browser.evaluate(f"document.querySelector('[data-copy={target}]').focus()")
        press(browser, "Enter", 13)  # the keyboard is enough
        browser.wait_for("document.querySelector('.copy-status').textContent === 'Copied'")
        copied = browser.evaluate("navigator.clipboard.readText()")
        expected = browser.evaluate(f"document.getElementById({target!r}).textContent.trim()")
        assert copied == expected
        browser.evaluate("document.querySelector('.copy-status').textContent = ''")
    status = browser.evaluate(
        "(s => [s.getAttribute('role'), s.classList.contains('visually-hidden')])"
        "(document.querySelector('.copy-status'))"
    )
    assert status == ["status", True]
