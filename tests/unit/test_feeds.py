"""Atom feeds, sitemap.xml, robots.txt and the 404 page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from benchmarks.synthetic import generate
from commonsgen.build import BuildOptions, build
from commonsgen.outputs import feeds
from tests.conftest import page

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"

CONFIG = """\
title: Handbook
base_url: https://example.org/handbook/
language: en
languages:
  en: English
  de: Deutsch
default_license: CC-BY-SA-4.0
git: false
checks:
  no-contributors: ignore
"""

CONTRIBUTORS = """\
ada:
  name: Ada Mensah
lin:
  name: Lin Zhou
"""


def _site(make_site, config: str = CONFIG, **extra: str):
    return make_site(
        {
            "commonsgen.yml": config,
            "contributors.yml": CONTRIBUTORS,
            "content/index.md": page("title: Home"),
            "content/water/rivers.md": page(
                "title: Rivers & streams\ncontributors: [ada]\ndate: 2026-03-01\n"
                "updated: 2026-05-02\nlicense: CC-BY-4.0",
                "Rivers flow.\n",
            ),
            "content/water/lakes.md": page(
                "title: Lakes\ncontributors: [ada]\ndate: 2026-01-01", "Lakes lie.\n"
            ),
            "content/de/index.md": page("title: Start"),
            "content/de/water/rivers.md": page(
                "title: Flüsse\ncontributors: [{id: lin, roles: [translator]}]\n"
                "date: 2026-04-01\ntranslation_of: ../../water/rivers.md\nlicense: CC-BY-4.0"
            ),
            **extra,
        }
    )


def _files(root):
    result = build(root, BuildOptions(write=False, strict=True))
    assert not result.report.errors and not result.report.warnings, [
        str(d) for d in [*result.report.errors, *result.report.warnings]
    ]
    return result.files


def test_site_feed_is_valid_atom_with_licence_and_authors(make_site):
    files = _files(_site(make_site))
    feed = ET.fromstring(files["feed.xml"])
    assert feed.tag == f"{ATOM}feed"
    # RFC 4287 4.1.1: a feed has id, title, updated, and an author unless every entry has one.
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (
        "https://example.org/handbook/feed.xml"
    )
    entries = feed.findall(f"{ATOM}entry")
    # Newest change first; index pages are not entries.
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Rivers & streams", "Flüsse", "Lakes"]
    for entry in entries:
        for name in ("id", "title", "updated", "rights"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    rivers = entries[0]
    assert rivers.findtext(f"{ATOM}id") == "https://example.org/handbook/water/rivers/"
    assert rivers.findtext(f"{ATOM}updated") == "2026-05-02T00:00:00Z"
    assert rivers.findtext(f"{ATOM}published") == "2026-03-01T00:00:00Z"
    assert rivers.findtext(f"{ATOM}author/{ATOM}name") == "Ada Mensah"
    rights = rivers.findtext(f"{ATOM}rights")
    assert "CC BY 4.0" in rights and "Ada Mensah" in rights
    assert rivers.find(f"{ATOM}link[@rel='license']").get("href") == (
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert rivers.findtext(f"{ATOM}summary") == "Rivers flow."


def test_section_feeds_hold_the_section_pages(make_site):
    files = _files(_site(make_site))
    water = ET.fromstring(files["water/feed.xml"])
    titles = [e.findtext(f"{ATOM}title") for e in water.findall(f"{ATOM}entry")]
    assert titles == ["Rivers & streams", "Lakes"]
    german = ET.fromstring(files["de/feed.xml"])
    assert german.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert [e.findtext(f"{ATOM}title") for e in german.findall(f"{ATOM}entry")] == ["Flüsse"]
    html = files["water/index.html"].decode()
    assert 'type="application/atom+xml" title="Water" href="feed.xml"' in html
    assert 'title="Handbook" href="../feed.xml"' in html


def test_sitemap_has_lastmod_and_hreflang_alternates(make_site):
    files = _files(_site(make_site))
    urlset = ET.fromstring(files["sitemap.xml"])
    by_loc = {u.findtext(f"{SM}loc"): u for u in urlset.findall(f"{SM}url")}
    rivers = by_loc["https://example.org/handbook/water/rivers/"]
    assert rivers.findtext(f"{SM}lastmod") == "2026-05-02"
    alternates = {link.get("hreflang"): link.get("href") for link in rivers.findall(f"{XHTML}link")}
    assert alternates == {
        "en": "https://example.org/handbook/water/rivers/",
        "de": "https://example.org/handbook/de/water/rivers/",
    }
    # Both ways: the original lists its translation, the translation the original.
    german = by_loc["https://example.org/handbook/de/water/rivers/"]
    assert {link.get("hreflang") for link in german.findall(f"{XHTML}link")} == {"en", "de"}
    assert "https://example.org/handbook/contributors/ada/" in by_loc
    assert "https://example.org/handbook/404.html" not in by_loc


def test_robots_txt_points_at_the_sitemap(make_site):
    files = _files(_site(make_site))
    assert files["robots.txt"] == (
        b"User-agent: *\nAllow: /\n\nSitemap: https://example.org/handbook/sitemap.xml\n"
    )


def test_a_sites_own_robots_txt_wins(make_site):
    root = _site(make_site, **{"static/robots.txt": "User-agent: *\nDisallow: /\n"})
    result = build(root, BuildOptions(write=False, strict=True))
    assert not result.report.errors
    assert "robots.txt" not in result.files and "robots.txt" in result.copies


def test_without_an_absolute_base_url_no_feeds_sitemap_or_robots(make_site):
    config = CONFIG.replace("https://example.org/handbook/", "/docs/")
    files = _files(_site(make_site, config=config))
    assert not [p for p in files if p.endswith(("feed.xml", "sitemap.xml", "robots.txt"))]
    assert "application/atom+xml" not in files["water/rivers/index.html"].decode()
    # The 404 page still links from the site's top, whatever URL it is served at.
    html = files["404.html"].decode()
    assert 'href="/docs/theme/style.css"' in html
    assert 'href="/docs/water/"' in html


def test_404_page_links_are_root_relative(make_site):
    files = _files(_site(make_site))
    html = files["404.html"].decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'href="/handbook/theme/style.css"' in html
    assert 'class="site-title" href="/handbook/"' in html
    assert 'href="/handbook/de/"' in html
    assert 'rel="canonical"' not in html
    assert 'href="../' not in html and 'href="./' not in html


def test_generated_paths_are_collision_checked(make_site):
    root = _site(make_site, **{"content/water/feed.xml": "<feed/>", "content/sitemap.xml": "x"})
    result = build(root, BuildOptions(write=False))
    collisions = sorted(d.path for d in result.report.errors if d.code == "url-collision")
    assert collisions == ["content/sitemap.xml", "content/water/feed.xml"]


def test_a_sites_own_404_page_wins(make_site):
    root = _site(make_site, **{"static/404.html": "<p>Lost in the river</p>\n"})
    result = build(root, BuildOptions(write=False, strict=True))
    assert not result.report.errors
    assert "404.html" not in result.files and "404.html" in result.copies


def test_all_feeds_found_in_one_pass_are_each_feeds_pages(tmp_path):
    # Many pages a day apart and a small limit, so that feeds overflow and ties of date
    # fall back to the page id, as Site.feed_pages orders them.
    site = build(
        generate(tmp_path / "site", pages=60, seed=3, per_section=7), BuildOptions(write=False)
    ).site
    assert site is not None and len(site.feeds) > 3
    found = feeds.feed_entries(site)
    assert found.keys() == set(site.feeds)
    for section_id in site.feeds:
        assert found[section_id] == site.feed_pages(section_id)[: feeds.FEED_LIMIT]
    assert any(len(site.feed_pages(s)) > feeds.FEED_LIMIT for s in site.feeds)
