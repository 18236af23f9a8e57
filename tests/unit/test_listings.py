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
    first, second, third = (
        files["guide/index.html"],
        files["guide/page/2/index.html"],
        files["guide/page/3/index.html"],
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
