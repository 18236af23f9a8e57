"""The model as templates see it: plain dicts, ready to print.

Themes never walk the model or the graph; everything a template shows is computed here,
once, in the order it is shown. URLs in views are site URLs; templates turn them into
links with ``url()``, which makes them relative to the page being rendered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup

from commonsgen import credits, urls
from commonsgen.markdown import RenderedPage
from commonsgen.model import Credit, Media, Page, PageId
from commonsgen.site import CONTRIBUTORS_URL, LICENSES_URL, Section, Site

View = dict[str, Any]


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def permalink(site: Site, url: str) -> str | None:
    """The absolute URL, when the site knows where it is published."""
    if not site.config.has_absolute_base:
        return None
    return urls.absolute(site.config.base_url, url)


BYLINE_ROLES = (("author", "By"), ("editor", "Edited by"), ("translator", "Translated by"))
"""Roles named in the byline under the title, in this order; all roles are in the credits."""


def byline(credits: tuple[Credit, ...]) -> list[View]:
    groups = []
    for role, label in BYLINE_ROLES:
        names = [c.name for c in credits if role in c.roles]
        if names:
            groups.append({"role": role, "label": label, "names": names})
    return groups


def media_view(site: Site, page: Page, item: Media) -> View:
    target = urls.resolve_content_path(page.id, item.file)
    return {
        "file": item.file,
        "url": site.url_of_file(target) if target is not None else None,
        "title": item.title,
        "author": item.author,
        "source": item.source,
        "license": credits.license_view(site.attribution.media_licenses.get(item)),
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
        "default_license": credits.license_view(site.attribution.default_license),
        "contributors_url": CONTRIBUTORS_URL if site.people else None,
        "licenses_url": LICENSES_URL if site.pages_by_license else None,
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
        "contributors": [credits.person_view(site, c) for c in page.contributors],
        "byline": byline(page.contributors),
        "creators": [credits.person_view(site, c) for c in credits.creators(page.contributors)],
        "license": credits.license_view(site.attribution.license_of(page.id)),
        "upstream": [
            credits.upstream_view(site, step) for step in site.attribution.upstream.get(page.id, ())
        ],
        "media": [media_view(site, page, m) for m in page.media],
        "attribution_text": credits.attribution_text(site, page),
        "jsonld": Markup(credits.jsonld(site, page)),
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
            "creators": [],
            "license": None,
            "upstream": [],
            "media": [],
            "attribution_text": None,
            "jsonld": None,
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


def _generated_view(site: Site, kind: str, title: str, url: str, crumbs: list[View]) -> View:
    """The common part of the views of pages commonsgen makes (contributors, licences)."""
    return {
        "kind": kind,
        "id": None,
        "source": None,
        "title": title,
        "url": url,
        "permalink": permalink(site, url),
        "lang": site.config.language,
        "content": Markup(""),
        "toc": [],
        "summary": "",
        "breadcrumbs": crumbs,
        "nav_active": None,
        "license": None,
        "jsonld": None,
        "extra": {},
    }


def _home_crumb(site: Site) -> View:
    home = site.home_for(site.config.language)
    return {"title": home.title, "url": home.url}


def contributors_view(site: Site) -> View:
    view = _generated_view(
        site, "contributors", "Contributors", "contributors/", [_home_crumb(site)]
    )
    people = []
    for person in site.people.values():
        direct, upstream = credits.works_by(site, person.key)
        people.append(
            {
                "name": person.name,
                "url": person.page_url,
                "works": len(direct),
                "upstream": len(upstream),
            }
        )
    view["people"] = people
    return view


def contributor_view(site: Site, key: str) -> View:
    person = site.people[key]
    crumbs = [_home_crumb(site), {"title": "Contributors", "url": "contributors/"}]
    view = _generated_view(site, "contributor", person.name, person.page_url, crumbs)
    direct, upstream = credits.works_by(site, key)
    view["person"] = {
        "name": person.name,
        "url": person.url,
        "orcid": person.orcid,
        "orcid_url": f"https://orcid.org/{person.orcid}" if person.orcid else None,
        "in_registry": person.registry_id is not None,
    }
    view["works"] = direct
    view["upstream_works"] = upstream
    return view


def licenses_view(site: Site) -> View:
    view = _generated_view(site, "licenses", "Licences", LICENSES_URL, [_home_crumb(site)])
    rows = []
    for page_ids in site.pages_by_license.values():
        license_ = site.attribution.license_of(page_ids[0])
        assert license_ is not None
        rows.append({"license": credits.license_view(license_), "count": len(page_ids)})
    view["licenses"] = rows
    return view


def license_page_view(site: Site, license_id: str) -> View:
    page_ids = site.pages_by_license[license_id]
    license_ = site.attribution.license_of(page_ids[0])
    assert license_ is not None
    crumbs = [_home_crumb(site), {"title": "Licences", "url": LICENSES_URL}]
    view = _generated_view(
        site, "license", license_.name, f"{LICENSES_URL}{license_id.lower()}/", crumbs
    )
    view["described"] = credits.license_view(license_)
    view["summary_lines"] = credits.license_summary(license_)
    view["works"] = [
        {"title": site.pages[pid].title, "url": site.page_urls[pid], "lang": site.pages[pid].lang}
        for pid in sorted(page_ids, key=lambda pid: (site.pages[pid].title.casefold(), pid))
    ]
    return view
