"""Files for feed readers and crawlers: Atom feeds, ``sitemap.xml`` and ``robots.txt``.

All three need absolute URLs, so they are made only when ``base_url`` is absolute (which
pages get a feed, and whether ``robots.txt`` is made, is decided in ``site.py``, where
output paths are checked for collisions). Dates come from the content or its history,
never from the clock, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

from commonsgen import i18n, urls
from commonsgen.markdown.html import RenderedPage
from commonsgen.model import PageId
from commonsgen.outputs import credits
from commonsgen.site import (
    CONTRIBUTORS_URL,
    LICENSES_URL,
    SITEMAP_PATH,
    TAGS_URL,
    Site,
    license_url,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
FEED_LIMIT = 50
"""Entries per feed: readers poll feeds often, and old entries are already in them."""


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 cannot hold (its Char production): gone from every text and attribute, so
a feed stays well-formed whatever a page or registry wrote (a YAML "\\x01" escape too)."""


def escape(text: str) -> str:
    return _escape(_NOT_XML.sub("", text))


def quoteattr(text: str) -> str:
    return _quoteattr(_NOT_XML.sub("", text))


def _abs(site: Site, url: str) -> str:
    return urls.absolute(site.config.base_url, url)


def _timestamp(day: dt.date) -> str:
    # Pages are dated by day; Atom wants a full timestamp, so midnight UTC.
    return f"{day.isoformat()}T00:00:00Z"


def _text(name: str, value: str, indent: str = "  ") -> str:
    return f"{indent}<{name}>{escape(value)}</{name}>\n"


def feed_entries(site: Site) -> dict[str, tuple[PageId, ...]]:
    """Each feed's pages (:meth:`Site.feed_pages`, the first ``FEED_LIMIT``), all found in
    one pass over the pages sorted once, rather than a sort of every page per feed."""
    wanted = set(site.feeds)
    found: dict[str, list[PageId]] = {section_id: [] for section_id in site.feeds}
    dated = sorted(
        pid for pid, page in site.pages.items() if not page.is_index and site.date_of(pid)
    )
    dated.sort(key=site.last_changed, reverse=True)  # stable: ties stay in id order
    for pid in dated:
        parts = pid.split("/")[:-1]
        for depth in range(len(parts) + 1):
            section_id = "/".join(parts[:depth])
            if section_id in wanted and len(found[section_id]) < FEED_LIMIT:
                found[section_id].append(pid)
    return {section_id: tuple(pages) for section_id, pages in found.items()}


def atom_feed(
    site: Site,
    rendered: dict[PageId, RenderedPage],
    section_id: str,
    words: Callable[[str], credits.Words],
    entries: tuple[PageId, ...] | None = None,
) -> bytes:
    """The Atom feed (RFC 4287) of a section's pages; of the whole site for ``""``.

    ``words(lang)`` gives the theme's interface strings in a language: each entry's credit
    line is in its page's language, as on the page. ``entries``: its pages, when the
    caller has them (:func:`feed_entries`)."""
    section = site.sections[section_id]
    feed_url = site.feed_url(section_id)
    assert feed_url is not None
    if entries is None:
        entries = site.feed_pages(section_id)[:FEED_LIMIT]
    lang = site.config.language if not section_id else section.lang
    name = site.config.title_in(lang)
    title = name if not section_id else f"{section.title} · {name}"
    updated = max(site.last_changed(pid) for pid in entries)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f"<feed xmlns={quoteattr(ATOM_NS)} xml:lang={quoteattr(lang)}>\n",
        _text("id", _abs(site, section.url)),
        _text("title", title),
    ]
    if site.config.description and not section_id:
        out.append(_text("subtitle", site.config.description))
    self_href = quoteattr(_abs(site, feed_url))
    out += [
        f'  <link rel="self" type="application/atom+xml" href={self_href}/>\n',
        f'  <link rel="alternate" type="text/html" href={quoteattr(_abs(site, section.url))}/>\n',
        _text("updated", _timestamp(updated)),
        # Atom requires an author for every entry; a page that names none is the site's work.
        f"  <author>\n{_text('name', name, '    ')}  </author>\n",
    ]
    default = site.attribution.default_license
    if default is not None:
        rights = i18n.fill(words(lang)("feed_rights"), {"license": default.short_name})
        out.append(_text("rights", rights))
    out.append('  <generator uri="https://pypi.org/project/commonsgen/">commonsgen</generator>\n')
    for pid in entries:
        out.append(_entry(site, rendered, pid, words))
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def _entry(
    site: Site,
    rendered: dict[PageId, RenderedPage],
    page_id: PageId,
    words: Callable[[str], credits.Words],
) -> str:
    page = site.pages[page_id]
    link = _abs(site, site.page_urls[page_id])
    out = [
        f"  <entry xml:lang={quoteattr(page.lang)}>\n",
        _text("id", link, "    "),
        _text("title", page.title, "    "),
        f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>\n',
    ]
    license_ = site.attribution.license_of(page_id)
    if license_ is not None:
        out.append(f'    <link rel="license" href={quoteattr(license_.deed_url)}/>\n')
    published = site.date_of(page_id)
    if published is not None:
        out.append(_text("published", _timestamp(published), "    "))
    out.append(_text("updated", _timestamp(site.last_changed(page_id)), "    "))
    # A translation credited to its translator alone is still its original's authors' work.
    authors = credits.page_creators(site, page)
    for credit in authors:
        out.append(_person(site, "author", credit.name, site.person_for(credit).page_url))
    for credit in page.contributors:
        if credit not in authors:
            out.append(_person(site, "contributor", credit.name, site.person_for(credit).page_url))
    summary = rendered[page_id].summary
    if summary:
        out.append(_text("summary", summary, "    "))
    # The whole TASL credit (title, authors, source, licence, and the works it builds on):
    # what a re-user of the entry has to keep.
    out.append(_text("rights", credits.attribution_text(site, page, words(page.lang)), "    "))
    out.append("  </entry>\n")
    return "".join(out)


def _person(site: Site, element: str, name: str, page_url: str) -> str:
    return (
        f"    <{element}>\n"
        + _text("name", name, "      ")
        + _text("uri", _abs(site, page_url), "      ")
        + f"    </{element}>\n"
    )


def sitemap_xml(site: Site) -> bytes:
    """Every page and listing, with when it last changed and its translations."""
    entries: dict[str, tuple[str | None, list[tuple[str, str]]]] = {}
    for pid, url in site.page_urls.items():
        changed = site.updated_of(pid) or site.date_of(pid)
        alternates: list[tuple[str, str]] = []
        if site.translations.get(pid):
            # hreflang alternates list every version, the page itself included.
            group = sorted((pid, *site.translations[pid]), key=lambda p: site.pages[p].lang)
            alternates = [(site.pages[p].lang, site.page_urls[p]) for p in group]
        entries[url] = (changed.isoformat() if changed else None, alternates)
    for section in site.sections.values():
        entries.setdefault(section.url, (None, []))
        for number in range(2, site.listing_pages(section.id) + 1):
            entries.setdefault(site.listing_url(section.id, number), (None, []))
    if site.people:
        entries.setdefault(CONTRIBUTORS_URL, (None, []))
        for person in site.people.values():
            entries.setdefault(person.page_url, (None, []))
    if site.tags:
        entries.setdefault(TAGS_URL, (None, []))
        for tag in site.tags.values():
            entries.setdefault(tag.url, (None, []))
    if site.licenses_used:
        entries.setdefault(LICENSES_URL, (None, []))
        for license_ in site.licenses_used.values():
            entries.setdefault(license_url(license_), (None, []))
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f"<urlset xmlns={quoteattr(SITEMAP_NS)} xmlns:xhtml={quoteattr(XHTML_NS)}>\n",
    ]
    for url, (lastmod, alternates) in sorted(entries.items()):
        out.append("  <url>\n")
        out.append(_text("loc", _abs(site, url), "    "))
        if lastmod:
            out.append(_text("lastmod", lastmod, "    "))
        for lang, other in alternates:
            out.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)}'
                f" href={quoteattr(_abs(site, other))}/>\n"
            )
        out.append("  </url>\n")
    out.append("</urlset>\n")
    return "".join(out).encode("utf-8")


def robots_txt(site: Site) -> bytes:
    """Allow everything and name the sitemap. Crawlers read ``robots.txt`` only at the top
    of a host; under a sub-path it is a template for the host's own."""
    sitemap = _abs(site, SITEMAP_PATH)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()
