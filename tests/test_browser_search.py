"""Search and copy buttons in a real browser: the example site, built, on a static host
and from file://, driven through headless Chromium (one browser for all browser tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, build
from tests.browser import Published, axe_script, color_scheme, goto
from tests.cdp import Browser
from tests.conftest import page
from tests.test_accessibility import RUN_AXE

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
    folder = site / lang_root / "search" / "index"
    found = {}
    for path in folder.glob("p-*.js"):
        text = path.read_text(encoding="utf-8")
        row = json.loads(text[text.index(",") + 1 : text.rindex(");")])
        found[row[0]] = row[2]
    return found


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
    assert first["excerpt"] and {m.lower() for m in first["marked"]} == {"thermistor"}
    assert "thermistor" in first["excerpt"].lower(), "the excerpt shows why it matched"
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


OPTIONS = """[...document.querySelectorAll('#search-panel-list [role=option]')].map(o => ({
  id: o.id,
  title: o.querySelector('.search-option-title').textContent,
  excerpt: o.querySelector('.search-option-excerpt')?.textContent ?? '',
  marked: [...o.querySelectorAll('mark')].map(m => m.textContent.toLowerCase()),
  selected: o.getAttribute('aria-selected'),
}))"""
FIELD = "document.getElementById('site-search-input')"


def overlay_options(browser: Browser) -> list[dict]:
    return browser.wait_for(
        f"(o => o.length && !document.getElementById('search-panel').hidden && o)({OPTIONS})"
    )


def test_typing_in_the_header_shows_results_with_marked_excerpts_in_an_overlay(
    browser, host
) -> None:
    goto(browser, host + "sensors/thermistor/")
    assert browser.evaluate(f"{FIELD}.getAttribute('role')") == "combobox"
    assert browser.evaluate(f"{FIELD}.getAttribute('aria-expanded')") == "false"
    type_into(browser, "#site-search-input", "calibr")
    options = overlay_options(browser)
    for option in options:
        assert any(word.startswith("calibr") for word in option["marked"]), option
        text = (option["title"] + option["excerpt"]).lower()
        assert "calibr" in text, "the excerpt shows why the page matched"
        assert " ," not in option["excerpt"] and " ." not in option["excerpt"]
    assert browser.evaluate(f"{FIELD}.getAttribute('aria-expanded')") == "true"
    assert browser.evaluate(f"{FIELD}.getAttribute('aria-controls')") == "search-panel-list"
    status = browser.evaluate("document.getElementById('search-panel-status').textContent")
    assert status.endswith("found") and status.split()[0].isdigit()
    # the panel sits in the form, so the results are read and shown under the field
    assert browser.evaluate("document.getElementById('search-panel').parentNode.className") == (
        "site-search"
    )


def test_slash_arrows_enter_and_escape_drive_the_overlay_from_the_keyboard(browser, host) -> None:
    goto(browser, host + "sensors/")
    browser.evaluate("document.body.focus()")
    browser.call("Input.dispatchKeyEvent", {"type": "keyDown", "text": "/", "key": "/"})
    browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": "/"})
    assert browser.evaluate("document.activeElement.id") == "site-search-input"
    assert browser.evaluate(f"{FIELD}.value") == "", "the slash focuses; it is not typed"
    type_into(browser, "#site-search-input", "river")
    options = overlay_options(browser)
    assert len(options) > 2
    press(browser, "ArrowDown", 40)
    press(browser, "ArrowDown", 40)
    now = browser.evaluate(OPTIONS)
    assert [o["selected"] for o in now[:3]] == ["false", "true", "false"]
    assert browser.evaluate(f"{FIELD}.getAttribute('aria-activedescendant')") == now[1]["id"]
    assert browser.evaluate("document.activeElement.id") == "site-search-input"
    press(browser, "ArrowUp", 38)
    press(browser, "ArrowUp", 38)  # from the first, up wraps to the last
    last = browser.evaluate(OPTIONS)[-1]
    assert last["selected"] == "true"
    press(browser, "Escape", 27)
    assert browser.evaluate("document.getElementById('search-panel').hidden") is True
    assert browser.evaluate(f"{FIELD}.getAttribute('aria-expanded')") == "false"
    assert browser.evaluate(f"{FIELD}.value") == "river", "Escape closes, the text stays"
    press(browser, "ArrowDown", 40)  # opens again
    overlay_options(browser)
    press(browser, "ArrowDown", 40)
    chosen = browser.evaluate(OPTIONS)[0]["title"]
    press(browser, "Enter", 13)
    browser.wait_for(f"document.title.startsWith({chosen!r})")


def test_enter_with_no_result_chosen_submits_to_the_search_page(browser, host) -> None:
    goto(browser, host + "sensors/")
    type_into(browser, "#site-search-input", "river")
    overlay_options(browser)
    press(browser, "Enter", 13)
    browser.wait_for("location.pathname.endsWith('/search/index.html')")
    assert browser.wait_for(f"(r => r.length && r)({RESULTS})")


def test_the_overlay_works_from_file_urls(browser, site) -> None:
    goto(browser, (site / "de" / "sensors" / "index.html").as_uri())
    type_into(browser, "#site-search-input", "kalibrierung")
    options = overlay_options(browser)
    assert any("kalibrierung" in " ".join(o["marked"]) for o in options)
    press(browser, "ArrowDown", 40)
    press(browser, "Enter", 13)
    browser.wait_for(
        "location.href.endsWith('/index.html') && !location.href.endsWith('/de/sensors/index.html')"
    )
    assert browser.evaluate("location.protocol") == "file:"
    assert browser.evaluate("document.documentElement.lang") == "de"


def test_a_first_query_loads_the_manifest_one_shard_and_the_pages_shown(browser, host) -> None:
    goto(browser, host + "sensors/")
    type_into(browser, "#site-search-input", "thermistor")
    options = overlay_options(browser)
    loaded = browser.evaluate(
        "[...document.querySelectorAll('script[src*=\"search/\"]')].map(s => s.src)"
    )
    names = sorted(src.rsplit("/", 1)[1] for src in loaded)
    pages = [name for name in names if name.startswith("p-")]
    shards = [name for name in names if name.startswith("w-")]
    assert "search-index.js" in names
    assert len(pages) == len(options) and len(shards) == 1


def test_without_scripts_the_header_form_is_plain_and_the_overlay_hidden(browser, host) -> None:
    browser.call("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        goto(browser, host + "sensors/")
        found = browser.call(
            "Runtime.evaluate",
            {
                "expression": "[document.getElementById('search-panel').hidden,"
                " document.querySelector('form.site-search').getAttribute('action'),"
                " document.getElementById('site-search-input').getAttribute('role')]",
                "returnByValue": True,
            },
        )["result"]["value"]
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", {"value": False})
    assert found == [True, "../search/index.html", None]


_MENU = "axe.run({include: [['details.site-menu']]}"


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing_in_the_open_overlay_light_and_dark(browser, host, width) -> None:
    added = browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": axe_script()})
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    try:
        goto(browser, host + "sensors/thermistor/")
        if width < 600:  # the header's field is in the menu on a phone
            browser.evaluate("document.querySelector('details.site-menu').open = true")
        field = "#site-search-input" if width >= 600 else "#menu-search-input"
        type_into(browser, field, "river")
        overlay_options(browser)
        press(browser, "ArrowDown", 40)
        found = {}
        for scheme in ("light", "dark"):
            color_scheme(browser, scheme)
            # on a phone the menu with the field and its results (the rest of the page at
            # that width is test_accessibility's)
            script = RUN_AXE if width >= 600 else RUN_AXE.replace("axe.run(document", _MENU)
            violations = browser.evaluate(script)
            if violations:
                found[scheme] = violations
        panel = browser.evaluate(
            "(r => [r.left, r.right])(document.getElementById('search-panel')"
            ".getBoundingClientRect())"
        )
    finally:
        color_scheme(browser, "light")
        browser.call("Page.removeScriptToEvaluateOnNewDocument", added)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        )
    assert not found, json.dumps(found, indent=1)
    assert panel[0] >= 0 and panel[1] <= width, f"the overlay fits the screen: {panel}"


WORD_FORMS = {
    # lang: (the page's text, queries in other forms that must find it)
    "de": ("Die Flüsse im Norden frieren zu. Messungen am Haus.", ["Fluss", "Flüssen", "Messung"]),
    "es": ("Las canciones del río. Informaciones.", ["canción", "rio", "información"]),
    "fr": ("Les rivières gelées brillent.", ["rivière", "gelee", "briller"]),
    "pt": ("As informações das estações chegam cedo.", ["informação", "estacao", "chegar"]),
    "en": ("Rivers were calibrated at the stations.", ["river", "calibration", "station"]),
}
ASK = """(async () => {
  const e = commonsgenSearch.open(document.getElementById('search-panel').dataset.index);
  const a = await e.search(%s);
  const shown = await Promise.all(a.pages.map(n => e.page(n)));
  return shown.map(p => [p.title, e.excerpt(p, a.plans).filter(x => x[1]).map(x => x[0])]);
})()"""


def test_words_in_other_forms_and_without_accents_find_the_page(
    browser, make_site, tmp_path
) -> None:
    names = {"en": "English", "de": "Deutsch", "es": "Español", "fr": "Français", "pt": "Pt"}
    files = {
        "commonsgen.yml": "title: Forms\ndefault_license: CC-BY-4.0\nlanguage: en\nlanguages: {"
        + ", ".join(f"{lang}: {name}" for lang, name in names.items())
        + "}\nchecks: {no-contributors: ignore}\n",
        "content/index.md": page("title: Home", "Rivers were calibrated at the stations.\n"),
    }
    for lang, (text, _) in WORD_FORMS.items():
        if lang != "en":
            files[f"content/{lang}/index.md"] = page(f"title: Start {lang}", text + "\n")
    root = make_site(files)
    result = build(root, BuildOptions(out=tmp_path / "out"))
    assert not result.report.errors
    for lang, (_, queries) in WORD_FORMS.items():
        folder = tmp_path / "out" / ("" if lang == "en" else lang)
        goto(browser, (folder / "index.html").as_uri())
        for query in queries:
            found = browser.evaluate(ASK % json.dumps(query))
            assert len(found) == 1 and found[0][1], (lang, query, found)
    # and a word that only shares a beginning is no match by stem
    goto(browser, (tmp_path / "out" / "de" / "index.html").as_uri())
    assert browser.evaluate(ASK % json.dumps("Flüsterer")) == []
