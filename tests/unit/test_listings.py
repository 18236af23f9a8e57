"""Tag pages, the tag index, and previous/next within a section."""

from __future__ import annotations

from commonsgen.build import BuildOptions, build
from tests.conftest import page


def _files(make_site, files: dict[str, str]) -> dict[str, str]:
    root = make_site(
        {
            "commonsgen.yml": "title: T\ndefault_license: CC-BY-4.0\ngit: false\n"
            "checks:\n  no-contributors: ignore\n",
            **files,
        }
    )
    result = build(root, BuildOptions(write=False, strict=True))
    assert not result.report.items, [str(d) for d in result.report.items]
    return {k: v.decode() for k, v in result.files.items() if k.endswith(".html")}


def test_tag_pages_and_index(make_site):
    files = _files(
        make_site,
        {
            "content/index.md": page("title: Home"),
            "content/b.md": page("title: Beta\ntags: [Water, sensors]"),
            "content/a.md": page("title: Alpha\ntags: [water]"),
        },
    )
    index = files["tags/index.html"]
    # One tag for both spellings, named as the first page by path (a.md) writes it.
    assert '<a href="water/">water</a> <span class="count">2 pages</span>' in index
    assert '<a href="sensors/">sensors</a> <span class="count">1 page</span>' in index
    water = files["tags/water/index.html"]
    assert water.index("Alpha") < water.index("Beta")  # by title
    assert '<a href="../tags/water/" rel="tag">water</a>' in files["a/index.html"]


def test_a_page_may_not_take_a_tag_pages_url(make_site):
    root = make_site(
        {
            "content/index.md": page("title: Home"),
            "content/a.md": page("title: A\ntags: [x]"),
            "content/tags/x.md": page("title: X"),
        }
    )
    result = build(root, BuildOptions(write=False))
    assert [d.path for d in result.report.errors if d.code == "url-collision"] == [
        "content/tags/x.md"
    ]


def test_previous_and_next_follow_weight_then_title(make_site):
    files = _files(
        make_site,
        {
            "content/index.md": page("title: Home"),
            "content/guide/index.md": page("title: Guide"),
            "content/guide/z.md": page("title: Zeta\nweight: 1"),
            "content/guide/a.md": page("title: Alpha\nweight: 2"),
            "content/guide/b.md": page("title: Beta\nweight: 2"),
        },
    )
    first, middle, last = (files[f"guide/{n}/index.html"] for n in ("z", "a", "b"))
    assert 'rel="prev"' not in first and 'rel="next" href="../a/"' in first
    assert 'rel="prev" href="../z/"' in middle and 'rel="next" href="../b/"' in middle
    assert 'rel="prev" href="../a/"' in last and 'rel="next"' not in last
    assert 'class="pager"' not in files["guide/index.html"]


def test_section_listings_are_paginated(make_site):
    files = _files(
        make_site,
        {
            "commonsgen.yml": "title: T\ndefault_license: CC-BY-4.0\ngit: false\npaginate: 2\n"
            "checks:\n  no-contributors: ignore\n",
            "content/index.md": page("title: Home"),
            "content/guide/index.md": page("title: Guide", "The guide's introduction.\n"),
            **{f"content/guide/p{n}.md": page(f"title: Page {n}") for n in range(1, 6)},
        },
    )
    # the listing itself: the sidebar beside it names every page of the section
    first, second, third = (
        files[f"guide/{path}index.html"].split("<main", 1)[1] for path in ("", "page/2/", "page/3/")
    )
    assert "guide/page/4/index.html" not in files
    assert "Page 1" in first and "Page 2" in first and "Page 3" not in first
    assert "introduction" in first and "introduction" not in second
    assert "Page 3" in second and "Page 4" in second and "Page 1" not in second
    assert '<a rel="prev" href="../../">' in second and '<a rel="next" href="../3/">' in second
    assert '<span aria-current="page">3</span>' in third and 'rel="next"' not in third
    assert '<a rel="next" href="page/2/">' in first


def test_paginate_must_be_a_whole_number(make_site):
    root = make_site(
        {"commonsgen.yml": "title: T\npaginate: yes\n", "content/index.md": page("title: H")}
    )
    result = build(root, BuildOptions(write=False))
    assert [(d.line, d.code) for d in result.report.errors][:1] == [(2, "config-type")]


def test_later_listing_pages_have_their_own_title_and_are_in_the_sitemap(make_site):
    """Page 2 of a listing is "Guide – page 2" (in the page's language) and crawlers find it."""
    import xml.etree.ElementTree as ET

    root = make_site(
        {
            "commonsgen.yml": "title: T\nbase_url: https://example.org/hb/\n"
            "default_license: CC-BY-4.0\ngit: false\npaginate: 2\nlanguages: {en: English, de: Deutsch}\n"
            "checks:\n  no-contributors: ignore\n",
            "content/index.md": page("title: Home"),
            **{f"content/guide/p{n}.md": page(f"title: Page {n}") for n in range(1, 4)},
            **{f"content/de/p{n}.md": page(f"title: Seite {n}") for n in range(1, 4)},
            "content/de/index.md": page("title: Start"),
        }
    )
    result = build(root, BuildOptions(write=False, strict=True))
    assert not result.report.items, [str(d) for d in result.report.items]
    files = {k: v.decode() for k, v in result.files.items()}
    assert "<title>Guide · T</title>" in files["guide/index.html"]
    assert "<title>Guide – page 2 · T</title>" in files["guide/page/2/index.html"]
    assert "<title>T – Seite 2</title>" in files["de/page/2/index.html"]
    sm = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text for loc in ET.fromstring(result.files["sitemap.xml"]).iter(f"{sm}loc")]
    assert "https://example.org/hb/guide/page/2/" in locs
    assert "https://example.org/hb/de/page/2/" in locs
    assert "https://example.org/hb/guide/page/3/" not in locs
    # Every listing page in the sitemap is a page of the output.
    for loc in locs:
        path = loc.removeprefix("https://example.org/hb/")
        assert path == "" or f"{path}index.html" in files or path in files, loc
