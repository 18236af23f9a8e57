"""Every work a page shows has its own licence and credit: media and included works are
checked, credited, marked as exceptions to the page's licence, and listed with their
licences on the licence pages and in credits.json."""

from __future__ import annotations

import json
import re

from commonsgen.build import BuildOptions, build
from tests.conftest import page

CONFIG = (
    "title: Atlas\nbase_url: https://example.org/atlas/\ndefault_license: CC-BY-SA-4.0\n"
    "checks: {uncredited-contributor: ignore}\n"
)
REGISTRY = "ada:\n  name: Ada Mensah\n"
SVG = "<svg xmlns='http://www.w3.org/2000/svg'/>"


def site(make_site, frontmatter: str, body: str = "Text.\n", config: str = CONFIG, **more):
    files = {
        "commonsgen.yml": config,
        "contributors.yml": REGISTRY,
        "content/img/a.svg": SVG,
        "content/img/b.svg": SVG,
        "content/a.md": page("title: A\ncontributors: [ada]\n" + frontmatter, body),
        **more,
    }
    return build(make_site(files), BuildOptions(write=False))


def found(result) -> list[tuple[int | None, int | None, str, str]]:
    return [(d.line, d.column, str(d.severity), d.code) for d in result.report.sorted()]


def text_of(html: str, start: str, end: str) -> str:
    chunk = html.split(start, 1)[1].split(end, 1)[0]
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", "", chunk)).strip()


def html_of(result, path: str = "a/index.html") -> str:
    assert not result.report.errors, result.report.sorted()
    return result.files[path].decode()


def test_an_nd_image_may_be_shown_unchanged_but_not_changed(make_site):
    nd = "media:\n  - file: img/a.svg\n    title: Map\n    author: Kim\n    license: CC-BY-ND-4.0\n"
    shown = site(make_site, nd, "![A map](img/a.svg)\n")
    media = text_of(html_of(shown), '<ul class="media-credits">', "</ul>")
    assert media == "Map by Kim, licensed under CC BY-ND 4.0."

    changed = site(make_site, nd + "    changes: cropped\n", "![A map](img/a.svg)\n")
    assert found(changed) == [(5, 5, "error", "changed-nd-media")]
    (error,) = changed.report.errors
    assert "'img/a.svg' is under CC BY-ND 4.0" in error.message and "cropped" in error.message
    assert "remove 'changes'" in error.hint and "legalcode" in error.hint


def test_a_changed_image_says_what_was_changed(make_site):
    result = site(
        make_site,
        "media:\n  - file: img/a.svg\n    title: Map\n    author: Kim\n    license: CC-BY-SA-4.0\n"
        "    changes: recoloured\n",
    )
    media = text_of(html_of(result), '<ul class="media-credits">', "</ul>")
    assert media == "Map by Kim, licensed under CC BY-SA 4.0. Changes: recoloured."


def test_an_unlicensed_image_is_an_error_unless_the_site_lowers_it(make_site):
    entry = "media:\n  - file: img/a.svg\n    title: Map\n"
    assert found(site(make_site, entry)) == [(5, 5, "error", "media-without-license")]

    lowered = CONFIG.replace("}", ", media-without-license: warning}")
    result = site(make_site, entry, config=lowered)
    assert found(result) == [(5, 5, "warning", "media-without-license")]
    html = html_of(result)
    # Shown as an exception: the page's licence does not cover it, and nothing else does.
    assert text_of(html, '<ul class="media-credits">', "</ul>") == "Map, no licence stated."
    assert "except where otherwise noted." in text_of(html, '<p class="license-notice">', "</p>")


def test_works_under_other_licences_are_exceptions_to_the_page_licence(make_site):
    result = site(
        make_site,
        "media:\n"
        "  - file: img/a.svg\n    title: Same\n    author: Kim\n    license: CC-BY-SA-4.0\n"
        "  - file: img/b.svg\n    title: Other\n    author: Jo\n    license: CC0-1.0\n",
    )
    html = html_of(result)
    notice = text_of(html, '<p class="license-notice">', "</p>")
    assert notice == "A by Ada Mensah is licensed under CC BY-SA 4.0, except where otherwise noted."
    items = re.findall(r"<li( class=\"exception\")?><span class=\"work-credit\"", html)
    assert items == ["", ' class="exception"']  # only the CC0 image is marked
    line = text_of(html, 'id="attribution-text">', "</p>")
    assert line.endswith(
        "(https://creativecommons.org/licenses/by-sa/4.0/), except where otherwise noted."
    )

    alone = site(
        make_site,
        "media:\n  - file: img/a.svg\n    title: Same\n    author: Kim\n    license: CC-BY-SA-4.0\n",
    )
    assert "otherwise noted" not in html_of(alone)


def test_media_credit_links_the_author_and_keeps_the_copyright_notice(make_site):
    result = site(
        make_site,
        "media:\n  - file: img/a.svg\n    title: Map\n    author: Kim Lee\n"
        "    author_url: https://kim.example.net/\n    copyright: © 2021 Kim Lee\n"
        "    source: https://example.net/map\n    license: CC-BY-4.0\n",
        "![A map](img/a.svg)\n",
    )
    html = html_of(result)
    media = html.split('<ul class="media-credits">', 1)[1].split("</ul>", 1)[0]
    assert (
        '<a rel="cc:attributionURL" property="cc:attributionName" href="https://kim.example.net/">Kim Lee</a>'
        in media
    )
    assert '<a rel="dct:source" href="https://example.net/map">' in media
    # The figure in the text credits it too, with the same links.
    caption = html.split("<figcaption>", 1)[1].split("</figcaption>", 1)[0]
    assert caption == (
        '<a href="https://example.net/map">Map</a> by <a href="https://kim.example.net/">Kim Lee'
        '</a>, <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>'
    )
    assert text_of(html, '<ul class="media-credits">', "</ul>") == (
        "Map by Kim Lee, © 2021 Kim Lee, licensed under CC BY 4.0."
    )


def test_links_of_media_and_outside_works_must_be_web_addresses(make_site):
    result = site(
        make_site,
        "derived_from:\n  - title: Guide\n    author: Jo\n    author_url: javascript:alert(1)\n"
        "    url: https://example.net/g\n    license: CC-BY-4.0\n"
        "media:\n  - file: img/a.svg\n    author_url: ' JavaScript:alert(1)'\n"
        "    license: CC-BY-4.0\n",
    )
    assert found(result) == [(7, 5, "error", "bad-url"), (12, 5, "error", "bad-url")]
    assert all("author_url must be a web address" in d.message for d in result.report.errors)


def test_an_image_not_in_media_is_the_pages_own_unless_the_site_asks(make_site):
    body = "![Listed](img/a.svg)\n\n![Unlisted](img/b.svg)\n\n![Far](https://example.net/x.png)\n"
    media = "media:\n  - file: img/a.svg\n    title: Map\n    author: Kim\n    license: CC0-1.0\n"
    assert found(site(make_site, media, body)) == []

    asked = CONFIG.replace("}", ", unlisted-media: warning}")
    result = site(make_site, media, body, config=asked)
    # At the image's address in the text: line 12, after "![Unlisted](".
    assert found(result) == [
        (12, 13, "warning", "unlisted-media"),
        (14, 8, "warning", "unlisted-media"),
    ]
    local, remote = result.report.sorted()
    assert "'img/b.svg' is not listed under media" in local.message
    assert "page's own work, under the page's licence" in local.message
    assert "- file: img/b.svg" in local.hint
    assert "copy the image into the content folder" in remote.hint

    strict = CONFIG.replace("}", ", unlisted-media: error}")
    assert [d.code for d in site(make_site, media, body, config=strict).report.errors] == [
        "unlisted-media",
        "unlisted-media",
    ]


def test_licence_pages_and_credits_json_cover_the_licences_of_media_and_sources(make_site):
    result = site(
        make_site,
        "derived_from:\n  - title: Guide\n    author: Jo\n    url: https://example.net/g\n"
        "    license: CC-BY-4.0\n"
        "media:\n  - file: img/a.svg\n    title: Map\n    author: Kim\n    license: CC0-1.0\n",
    )
    assert not result.report.errors, result.report.sorted()
    index = result.files["licenses/index.html"].decode()
    assert "CC0 1.0" in index and "1 other work" in index
    cc0 = result.files["licenses/cc0-1.0/index.html"].decode()
    assert "Pages under this licence" not in cc0
    assert text_of(cc0, "<h2>Other works under this licence</h2>", "</ul>") == "Map (shown on A)"
    by = result.files["licenses/cc-by-4.0/index.html"].decode()
    assert text_of(by, "<h2>Other works under this licence</h2>", "</ul>") == "Guide (adapted in A)"
    assert '<a href="https://example.net/g">Guide</a>' in by
    assert '<a href="../../img/a.svg">Map</a>' in cc0
    data = json.loads(result.files["credits.json"])
    entries = {lic["id"]: lic for lic in data["licenses"]}
    assert sorted(entries) == ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0"]
    assert entries["CC0-1.0"]["works"] == []
    assert entries["CC0-1.0"]["other_works"] == [
        {"page": "a.md", "kind": "media", "title": "Map", "url": "img/a.svg"}
    ]
    assert "licenses/cc0-1.0/" in result.files["sitemap.xml"].decode()


def test_hostile_credit_text_stays_text(make_site):
    script = "<script>alert(1)</script>"
    result = site(
        make_site,
        f"media:\n  - file: img/a.svg\n    title: '{script}'\n    author: '{script}'\n"
        f"    copyright: '{script}'\n    changes: '{script}'\n    license: CC0-1.0\n"
        f"includes:\n  - title: '{script}'\n    author: '{script}'\n"
        f"    url: https://example.net/x\n    copyright: '{script}'\n",
        "![A map](img/a.svg)\n",
    )
    html = html_of(result)
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8
    data = json.loads(result.files["credits.json"])
    (work,) = (w for w in data["works"] if w["id"] == "a.md")
    assert work["media"][0]["copyright"] == script  # kept as written: data, not markup
