"""``includes:``: outside works a page shows unchanged. Credited like a source, listed in
credits.json and the JSON-LD (``hasPart``), never an adaptation."""

from __future__ import annotations

import json

from commonsgen.diagnostics import UNLOWERABLE
from tests.unit.test_media import found, html_of, site, text_of

ND_WORK = (
    "  - title: Haiku of the river\n    author: Mio Sato\n    author_url: https://mio.example.jp/\n"
    "    url: https://example.jp/haiku\n    license: CC-BY-ND-4.0\n"
)


def ld_of(html: str) -> dict:
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_an_nd_work_may_be_included_but_not_adapted(make_site):
    included = site(make_site, "includes:\n" + ND_WORK)
    html = html_of(included)
    credit = text_of(html, '<ul class="included-works">', "</ul>")
    assert credit == "Haiku of the river by Mio Sato, licensed under CC BY-ND 4.0."
    assert '<a rel="cc:attributionURL" href="https://mio.example.jp/">' in html
    assert "except where otherwise noted" in text_of(html, '<p class="license-notice">', "</p>")
    assert 'class="upstream chain"' not in html  # not a source of the page

    adapted = site(make_site, "derived_from:\n" + ND_WORK)
    assert [d.code for d in adapted.report.errors] == ["nd-source"]


def test_an_included_work_is_in_credits_json_and_the_jsonld(make_site):
    result = site(make_site, "includes:\n" + ND_WORK)
    html = html_of(result)
    (part,) = ld_of(html)["hasPart"]
    assert part == {
        "@type": "CreativeWork",
        "name": "Haiku of the river",
        "url": "https://example.jp/haiku",
        "license": "https://creativecommons.org/licenses/by-nd/4.0/",
        "author": [{"@type": "Person", "name": "Mio Sato", "url": "https://mio.example.jp/"}],
    }
    assert "isBasedOn" not in ld_of(html)
    data = json.loads(result.files["credits.json"])
    (work,) = (w for w in data["works"] if w["id"] == "a.md")
    assert work["sources"] == []
    assert work["includes"] == [
        {
            "title": "Haiku of the river",
            "authors": ["Mio Sato"],
            "author_url": "https://mio.example.jp/",
            "copyright": None,
            "url": "https://example.jp/haiku",
            "license": "CC-BY-ND-4.0",
        }
    ]
    nd = next(lic for lic in data["licenses"] if lic["id"] == "CC-BY-ND-4.0")
    assert nd["works"] == [] and nd["other_works"][0]["kind"] == "include"
    assert "included unchanged in" in result.files["licenses/cc-by-nd-4.0/index.html"].decode()


def test_an_included_work_is_unchanged_and_says_why_it_may_be_shown(make_site):
    changed = site(make_site, "includes:\n" + ND_WORK + "    changes: shortened\n")
    assert found(changed) == [(10, 5, "error", "changed-include")]
    assert "move the entry to derived_from" in changed.report.errors[0].hint

    bare = site(make_site, "includes:\n  - title: A photo\n    url: https://example.net/p\n")
    assert found(bare) == [(5, 5, "error", "unlicensed-include")]

    permitted = site(
        make_site,
        "includes:\n  - title: A photo\n    url: https://example.net/p\n"
        "    copyright: © 2020 Jo Bloggs, used with permission\n",
    )
    credit = text_of(html_of(permitted), '<ul class="included-works">', "</ul>")
    assert credit == "A photo, © 2020 Jo Bloggs, used with permission."

    untitled = site(make_site, "includes:\n  - url: https://example.net/p\n")
    assert found(untitled) == [(5, 5, "error", "include-without-title")]


def test_the_public_domain_mark_fits_a_page_that_only_includes_public_domain_works(make_site):
    public = "  - title: Old chart\n    url: https://example.net/chart\n    license: CC-PDM-1.0\n"
    marked = site(make_site, "license: CC-PDM-1.0\nincludes:\n" + public)
    html = html_of(marked)
    notice = text_of(html, '<p class="license-notice">', "</p>")
    assert notice == "A by Ada Mensah is marked with Public Domain Mark 1.0."
    assert "otherwise noted" not in html

    mixed = site(make_site, "license: CC-PDM-1.0\nincludes:\n" + public + ND_WORK)
    assert found(mixed) == [(9, 5, "error", "pdm-includes-copyrighted")]
    assert "'Haiku of the river' is under CC BY-ND 4.0" in mixed.report.errors[0].message


def test_the_checks_of_shown_works_cannot_be_lowered(make_site):
    lowered = "title: Atlas\ndefault_license: CC-BY-SA-4.0\nchecks: {changed-nd-media: warning}\n"
    result = site(make_site, "", config=lowered)
    (error,) = result.report.errors
    assert error.path == "commonsgen.yml" and "cannot be changed" in error.message
    assert error.message.endswith(UNLOWERABLE["changed-nd-media"])
