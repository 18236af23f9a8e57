"""The model as templates see it: plain dicts, ready to print.

Themes never walk the model or the graph; everything a template shows is computed here,
once, in the order it is shown. URLs in views are site URLs; templates turn them into
links with ``url()``, which makes them relative to the page being rendered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup

from commonsgen import urls
from commonsgen.markdown import RenderedPage
from commonsgen.model import Credit, Edge, Page, PageId
from commonsgen.site import Section, Site

View = dict[str, Any]


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def permalink(site: Site, url: str) -> str | None:
    """The absolute URL, when the site knows where it is published."""
    if not site.config.has_absolute_base:
        return None
    return urls.absolute(site.config.base_url, url)


def credit_view(site: Site, credit: Credit) -> View:
    person = site.registry.get(credit.contributor_id) if credit.contributor_id else None
    return {
        "id": credit.contributor_id,
        "name": credit.name,
        "roles": list(credit.roles),
        "url": person.url if person else credit.url,
        "orcid": person.orcid if person else None,
    }


BYLINE_ROLES = (("author", "By"), ("editor", "Edited by"), ("translator", "Translated by"))
"""Roles named in the byline under the title, in this order; all roles are in the credits."""


def byline(credits: tuple[Credit, ...]) -> list[View]:
    groups = []
    for role, label in BYLINE_ROLES:
        names = [c.name for c in credits if role in c.roles]
        if names:
            groups.append({"role": role, "label": label, "names": names})
    return groups


def source_view(site: Site, edge: Edge) -> View:
    if edge.page is not None:
        source = site.pages.get(edge.page)
        return {
            "kind": edge.kind,
            "title": source.title if source else edge.written,
            "url": site.page_urls.get(edge.page),
            "external": False,
            "authors": [c.name for c in source.contributors] if source else [],
            "license": source.license if source else None,
            "changes": edge.changes,
        }
    assert edge.work is not None
    return {
        "kind": edge.kind,
        "title": edge.work.title,
        "url": edge.work.url,
        "external": True,
        "authors": list(edge.work.authors),
        "license": edge.work.license,
        "changes": edge.changes,
    }


def listing_item(site: Site, rendered: dict[PageId, RenderedPage], page_id: PageId) -> View:
    page = site.pages[page_id]
    return {
        "title": page.title,
        "url": site.page_urls[page_id],
        "summary": rendered[page_id].summary,
        "date": _date(page.date),
        "updated": _date(page.updated),
    }


def section_listing(site: Site, rendered: dict[PageId, RenderedPage], section: Section) -> View:
    subsections = []
    for sub_id in section.subsections:
        sub = site.sections[sub_id]
        summary = rendered[sub.index_page].summary if sub.index_page else ""
        subsections.append(
            {"title": sub.title, "url": sub.url, "summary": summary, "count": _count(site, sub)}
        )
    return {
        "id": section.id,
        "title": section.title,
        "url": section.url,
        "pages": [listing_item(site, rendered, pid) for pid in section.pages],
        "subsections": subsections,
    }


def _count(site: Site, section: Section) -> int:
    return len(section.pages) + sum(_count(site, site.sections[s]) for s in section.subsections)


def recent_pages(
    site: Site, rendered: dict[PageId, RenderedPage], lang: str, limit: int = 6
) -> list[View]:
    dated = [p for p in site.pages.values() if p.lang == lang and p.date and not p.is_index]
    dated.sort(key=lambda p: (p.updated or p.date, p.id), reverse=True)  # type: ignore[operator]
    return [listing_item(site, rendered, p.id) for p in dated[:limit]]


def site_view(site: Site, lang: str) -> View:
    config = site.config
    languages = []
    for language in config.languages:
        if language.code in site.language_roots:
            home = site.home_for(language.code)
            languages.append({"code": language.code, "title": language.title, "url": home.url})
    home = site.home_for(lang)
    return {
        "title": config.title,
        "description": config.description,
        "default_license": config.default_license,
        "language": config.language,
        "base_url": config.base_url,
        "home": {"title": home.title, "url": home.url},
        "languages": languages,
        "nav": [{"id": s.id, "title": s.title, "url": s.url} for s in site.nav_sections(lang)],
        "extra": config.extra,
    }


def breadcrumbs(site: Site, section: Section) -> list[View]:
    return [{"title": s.title, "url": s.url} for s in site.ancestors(section.id)]


def page_view(site: Site, rendered: dict[PageId, RenderedPage], page: Page) -> View:
    done = rendered[page.id]
    url = site.page_urls[page.id]
    section = site.section_of(page.id)
    crumbs = breadcrumbs(site, section)
    nav_root = crumbs[1]["url"] if len(crumbs) > 1 else (url if page.is_index else None)
    translation = source_view(site, page.translation_of) if page.translation_of else None
    return {
        "kind": "page",
        "id": page.id,
        "source": page.source.site_path,
        "title": page.title,
        "url": url,
        "permalink": permalink(site, url),
        "lang": page.lang,
        "content": Markup(done.html),
        "toc": [{"level": t.level, "id": t.id, "title": t.title} for t in done.toc],
        "summary": done.summary,
        "date": _date(page.date),
        "updated": _date(page.updated),
        "tags": list(page.tags),
        "contributors": [credit_view(site, c) for c in page.contributors],
        "byline": byline(page.contributors),
        "license": page.license,
        "sources": [source_view(site, e) for e in page.derived_from],
        "translation_of": translation,
        "media": [
            {
                "file": m.file,
                "title": m.title,
                "author": m.author,
                "source": m.source,
                "license": m.license,
            }
            for m in page.media
        ],
        "breadcrumbs": crumbs,
        "nav_active": nav_root,
        "listing": None,
        "extra": page.extra,
    }


def section_view(site: Site, rendered: dict[PageId, RenderedPage], section: Section) -> View:
    """A section's listing page; an ``index.md`` in the folder supplies its text."""
    if section.index_page is not None:
        view = page_view(site, rendered, site.pages[section.index_page])
    else:
        crumbs = breadcrumbs(site, section)
        view = {
            "kind": "section",
            "id": None,
            "source": None,
            "title": section.title,
            "url": section.url,
            "permalink": permalink(site, section.url),
            "lang": section.lang,
            "content": Markup(""),
            "toc": [],
            "summary": "",
            "date": None,
            "updated": None,
            "tags": [],
            "contributors": [],
            "byline": [],
            "license": site.config.default_license,
            "sources": [],
            "translation_of": None,
            "media": [],
            "breadcrumbs": crumbs[:-1],
            "nav_active": crumbs[1]["url"] if len(crumbs) > 1 else None,
            "listing": None,
            "extra": {},
        }
    is_home = section.id in site.language_roots.values()
    view["kind"] = "home" if is_home else "section"
    if is_home:
        view["breadcrumbs"] = []
    view["listing"] = section_listing(site, rendered, section)
    view["recent"] = recent_pages(site, rendered, section.lang) if is_home else []
    return view
