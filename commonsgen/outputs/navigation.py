"""The section sidebar: where a page is in its part of the site.

A page's sidebar is the top-level section it belongs to, as a tree: that section's
subsections and pages in reading order (``weight``, then title, as listings order them),
with the sections above the current page open and the rest closed. Its size is bounded
whatever the site's: a section with more than :data:`FULL_SECTION` pages shows only the
pages around the current one and a link to its listing, so output does not grow with the
square of a section (MkDocs's full navigation on every page is why it takes minutes at
10,000 pages).
"""

from __future__ import annotations

from typing import Any

from commonsgen.model import PageId
from commonsgen.site import Section, Site

View = dict[str, Any]

FULL_SECTION = 50
"""A section with up to this many pages (or subsections) lists them all."""
AROUND = 5
"""In a larger section: how many pages before and after the current one are shown."""


def sidebar_view(site: Site, section: Section, current: PageId | None) -> View:
    """The tree for a page (``current``) in the folder of ``section``, or for a section's
    generated listing (``current`` None). On a language's home, and for pages at the top,
    the tree is the top of the site: its sections, closed, and its pages."""
    chain = site.ancestors(section.id)
    open_ids = {s.id for s in chain}
    top = chain[1] if len(chain) > 1 else chain[0]
    return _node(site, top, open_ids, current, current_section=None if current else section.id)


def _node(
    site: Site,
    section: Section,
    open_ids: set[str],
    current: PageId | None,
    *,
    current_section: str | None,
) -> View:
    is_current = section.id == current_section or (
        current is not None and current == section.index_page
    )
    node: View = {
        "title": section.title,
        "url": section.url,
        "current": is_current,
        "open": section.id in open_ids,
        "children": [],
        "more": None,
    }
    if not node["open"]:
        return node
    subsections = [site.sections[s] for s in section.subsections]
    for sub in subsections[:FULL_SECTION]:
        node["children"].append(
            _node(site, sub, open_ids, current, current_section=current_section)
        )
    pages = list(section.pages)
    shown = pages
    if len(pages) > FULL_SECTION:
        at = pages.index(current) if current in pages else 0
        shown = pages[max(0, at - AROUND) : at + AROUND + 1] if current in pages else []
    for pid in shown:
        node["children"].append(
            {
                "title": site.pages[pid].title,
                "url": site.page_urls[pid],
                "current": pid == current,
                "open": False,
                "children": [],
                "more": None,
            }
        )
    hidden = len(pages) - len(shown) + max(0, len(subsections) - FULL_SECTION)
    if hidden:
        node["more"] = hidden  # the listing (the node's own link) shows them all
    return node
