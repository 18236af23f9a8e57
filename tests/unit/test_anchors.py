"""Anchors in raw HTML (``<a name>``, ``<a id>``) are link targets, kept by the sanitiser,
and no page can take an id the theme relies on."""

from __future__ import annotations

import re
from pathlib import Path

from commonsgen.build import BuildOptions, build
from commonsgen.markdown.html import THEME_IDS
from tests.conftest import page

TEMPLATES = Path(__file__).resolve().parents[2] / "themes" / "default" / "templates"


def test_a_name_and_a_id_are_anchors_and_are_kept(make_site):
    root = make_site(
        {
            "content/a.md": page(
                "title: A",
                '<a name="step-one"></a>\n\nStep one.\n\n<a id="step-two"></a>\n\nStep two.\n\n'
                "Back to [one](#step-one).\n",
            ),
            "content/b.md": page("title: B", "See [two](a.md#step-two).\n"),
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1, git=False))
    assert not result.report.errors, result.report.items
    html = result.files["a/index.html"].decode()
    assert '<a name="step-one"></a>' in html and '<a id="step-two"></a>' in html
    (root / "content" / "b.md").write_text(page("title: B", "See [x](a.md#nowhere).\n"))
    result = build(root, BuildOptions(write=False, jobs=1, git=False))
    (error,) = result.report.errors  # an anchor no page has is still an error
    assert error.code == "broken-anchor" and "#nowhere" in error.message


def test_no_page_takes_an_id_the_theme_relies_on(make_site):
    root = make_site(
        {
            "content/a.md": page(
                "title: A",
                '## Reuse\n\nText.\n\n<div id="main">Mine</div>\n\n<p id="search-input">x</p>\n',
            ),
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1, git=False))
    assert not result.report.errors, result.report.items
    html = result.files["a/index.html"].decode()
    assert html.count('id="main"') == 1  # the theme's, which the skip link targets
    assert '<div id="user-content-main">Mine</div>' in html
    assert '<p id="user-content-search-input">' in html
    assert '<h2 id="reuse-1">' in html and html.count('id="reuse"') == 1


def test_the_reserved_ids_are_every_id_the_default_theme_writes():
    written = set()
    for template in TEMPLATES.rglob("*.html"):
        written |= set(re.findall(r'\sid="([\w-]+)"', template.read_text(encoding="utf-8")))
    # the citation blocks' ids come from a list in the credits partial
    written |= set(
        re.findall(r'"(cite-[\w-]+)"', (TEMPLATES / "partials" / "credits.html").read_text())
    )
    assert written <= set(THEME_IDS), written - set(THEME_IDS)
