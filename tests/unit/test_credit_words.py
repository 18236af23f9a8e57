"""Credits in the page's language: the licence notice, sources, roles, media, the copyable
line and feed entries all take their words from the theme's catalogue (i18n/<lang>.yml)."""

from __future__ import annotations

import re

from commonsgen.build import BuildOptions, build
from tests.conftest import page

CONFIG = (
    "title: Atlas\nbase_url: https://example.org/atlas/\ndefault_license: CC-BY-SA-4.0\n"
    "languages: {en: English, fr: Français, de: Deutsch}\n"
)
REGISTRY = "ada:\n  name: Ada Mensah\nlin:\n  name: Lin Zhou\nkim:\n  name: Kim Lee\n"
FILES = {
    "commonsgen.yml": CONFIG,
    "contributors.yml": REGISTRY,
    "content/index.md": page("title: Home\ncontributors: [ada]"),
    "content/river.md": page("title: The river\ncontributors: [ada, kim]"),
    "content/fr/index.md": page("title: Accueil\ncontributors: [ada]"),
    "content/fr/river.md": page(
        "title: La rivière\ndate: 2026-03-01\n"
        "contributors: [{id: lin, roles: [translator]}, {id: kim, roles: [reviewer]}]\n"
        "translation_of: ../river.md\n"
        "derived_from:\n  - title: Old map\n    author: Jane Doe\n    url: https://example.net/map\n"
        "    license: CC0-1.0\n    changes: redrawn\n"
        "media:\n  - file: ../img/m.svg\n    title: Map\n    author: Sam Roe\n    license: CC-BY-4.0",
        "![A map](../img/m.svg)\n",
    ),
    "content/de/index.md": page("title: Start\ncontributors: [ada]"),
    "content/img/m.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}


def outputs(make_site, files: dict[str, str]) -> dict[str, str]:
    result = build(make_site(files), BuildOptions(write=False))
    assert not result.report.errors, result.report.sorted()
    return {k: v.decode() for k, v in result.files.items() if k.endswith((".html", ".xml"))}


def text_of(html: str, start: str, end: str) -> str:
    chunk = html.split(start, 1)[1].split(end, 1)[0]
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", "", chunk)).strip()


def test_a_french_page_credits_in_french(make_site):
    html = outputs(make_site, FILES)["fr/river/index.html"]
    notice = text_of(html, '<p class="license-notice"', "</p>")
    # A translation that credits only its translator names the original's authors; the
    # map is under another licence, so the page's licence covers the rest of it only.
    assert notice.endswith(
        "La rivière par Ada Mensah et Kim Lee, traduit par Lin Zhou, est mis à disposition "
        "sous la licence CC BY-SA 4.0, sauf mention contraire."
    )
    assert "(traduction)" in html and "(relecture)" in html
    sources = text_of(html, '<ol class="upstream chain" aria-labelledby="credit-chain">', "</ol>")
    assert (
        "Traduit de The river par Ada Mensah et Kim Lee, sous la licence CC BY-SA 4.0." in sources
    )
    assert (
        "Adapté de Old map par Jane Doe, marqué avec CC0 1.0. Modifications\u00a0: redrawn."
        in sources
    )
    # The caption under the map is in French too.
    assert text_of(html, "<figcaption>", "</figcaption>") == "Map par Sam Roe, CC BY 4.0"
    media = text_of(html, '<ul class="media-credits">', "</ul>")
    assert media == "Map par Sam Roe, sous la licence CC BY 4.0."
    line = text_of(html, 'id="attribution-text">', "</p>")
    assert line.startswith(
        "«\u00a0La rivière\u00a0» par Ada Mensah et Kim Lee, traduit par Lin Zhou, "
        "https://example.org/atlas/fr/river/"
    )
    assert (
        "«\u00a0La rivière\u00a0» est traduit de «\u00a0The river\u00a0» par Ada Mensah et Kim Lee"
        in line
    )
    assert " by " not in line and "licensed" not in line and "Changes" not in line


def test_the_english_original_keeps_english_words(make_site):
    html = outputs(make_site, FILES)["river/index.html"]
    notice = text_of(html, '<p class="license-notice"', "</p>")
    assert notice.endswith("The river by Ada Mensah and Kim Lee is licensed under CC BY-SA 4.0.")
    line = text_of(html, 'id="attribution-text">', "</p>")
    assert line == (
        "“The river” by Ada Mensah and Kim Lee, https://example.org/atlas/river/, is licensed "
        "under CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)."
    )
    assert "(author)" in html


def test_feed_entries_carry_the_credit_in_their_pages_language(make_site):
    feed = outputs(make_site, FILES)["feed.xml"]
    # The French translation, credited to its translator, is the original's authors' work.
    (entry,) = (e for e in feed.split("<entry")[1:] if "La rivière" in e)
    assert re.findall(r"<author>\s*<name>(.*?)</name>", entry) == ["Ada Mensah", "Kim Lee"]
    rights = re.findall(r"<rights>(.*?)</rights>", feed)
    assert rights[0] == "Except where an entry says otherwise: CC BY-SA 4.0"
    assert any(
        r.startswith("«\u00a0La rivière\u00a0» par Ada Mensah et Kim Lee, traduit par Lin Zhou")
        for r in rights
    )


def test_a_site_rewords_a_credit_in_its_own_catalogue(make_site):
    files = FILES | {"i18n/fr.yml": "is_licensed_under: est publié sous\nquote_open: '“'\n"}
    html = outputs(make_site, files)["fr/river/index.html"]
    assert "est publié sous" in text_of(html, '<p class="license-notice"', "</p>")
    line = text_of(html, 'id="attribution-text">', "</p>")
    assert line.startswith("“La rivière\u00a0» par Ada Mensah et Kim Lee, traduit par")
    assert "est publié sous CC BY-SA 4.0" in line
