"""The section sidebar (commonsgen.outputs.navigation): what a page's tree shows."""

from __future__ import annotations

import re

from commonsgen.build import BuildOptions, build
from commonsgen.outputs.navigation import AROUND, FULL_SECTION, sidebar_view
from tests.conftest import page

CONFIG = "title: T\ndefault_license: CC-BY-4.0\ngit: false\nchecks:\n  no-contributors: ignore\n"


def built(make_site, files: dict[str, str]):
    root = make_site({"commonsgen.yml": CONFIG, **files})
    result = build(root, BuildOptions(write=False, strict=True, jobs=1))
    assert not result.report.items, [str(d) for d in result.report.items]
    return result


def sidebar_links(html: str) -> list[tuple[str, bool]]:
    """(title, is current) of every link in the page's sidebar, in order."""
    nav = html.split('<nav class="sidebar"', 1)[1].split("</nav>", 1)[0]
    return [
        (title, bool(current))
        for current, title in re.findall(r'<a [^>]*?(aria-current="page")?>([^<]+)</a>', nav)
    ]


SITE = {
    "content/index.md": page("title: Home"),
    "content/about.md": page("title: About"),
    "content/guide/index.md": page("title: Guide"),
    "content/guide/b.md": page("title: Beta\nweight: 2"),
    "content/guide/a.md": page("title: Alpha\nweight: 1"),
    "content/guide/deep/index.md": page("title: Deep"),
    "content/guide/deep/x.md": page("title: Xylem"),
    "content/other/y.md": page("title: Yonder"),
}


def test_a_page_sees_its_top_section_with_its_ancestors_open_and_itself_marked(make_site):
    files = built(make_site, SITE).files
    html = files["guide/deep/x/index.html"].decode()
    assert sidebar_links(html) == [
        ("Guide", False),
        ("Deep", False),
        ("Xylem", True),
        ("Alpha", False),
        ("Beta", False),
    ]
    # a page of the section above: the subsection is there, closed
    assert sidebar_links(files["guide/a/index.html"].decode()) == [
        ("Guide", False),
        ("Deep", False),
        ("Alpha", True),
        ("Beta", False),
    ]
    assert sidebar_links(files["guide/index.html"].decode())[0] == ("Guide", True)


def test_pages_at_the_top_are_in_the_home_pages_tree(make_site):
    files = built(make_site, SITE).files
    home = sidebar_links(files["index.html"].decode())
    assert ("About", False) in home and ("Guide", False) in home and ("Other", False) in home
    assert home[0] == ("Home", True)
    assert ("About", True) in sidebar_links(files["about/index.html"].decode())
    # a generated listing (no index.md) is marked as the current section
    assert sidebar_links(files["other/index.html"].decode())[0] == ("Other", True)


def test_a_large_section_shows_the_neighbours_and_counts_the_rest(make_site):
    count = FULL_SECTION + 20
    files = {"content/index.md": page("title: Home")}
    for n in range(count):
        files[f"content/big/p{n:03}.md"] = page(f"title: P{n:03}\nweight: {n}")
    result = built(make_site, files)
    site = result.site
    assert site is not None
    section = site.sections["big"]
    current = section.pages[30]
    view = sidebar_view(site, section, current)
    titles = [child["title"] for child in view["children"]]
    assert titles == [f"P{n:03}" for n in range(30 - AROUND, 30 + AROUND + 1)]
    assert view["more"] == count - len(titles)
    html = result.files["big/p030/index.html"].decode()
    assert f"{count - len(titles)} more</a>" in html
    # the sidebar's size does not grow with the section's
    sizes = [len(result.files[f"big/p{n:03}/index.html"]) for n in (10, 40)]
    assert abs(sizes[0] - sizes[1]) < 200
