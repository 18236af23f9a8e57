"""The model as templates see it: plain dicts, ready to print.

Themes never walk the model or the graph; everything a template shows is computed here,
once, in the order it is shown. URLs in views are site URLs; templates turn them into
links with ``url()``, which makes them relative to the page being rendered.

The words of a page commonsgen makes (its title, its crumbs, a licence's summary) are in
the page's language: those views are given its interface strings (``words``). A page's own
view has none: its words are the templates' (``t()``), so it is the same in any theme.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from commonsgen import history, i18n, urls
from commonsgen.markdown.html import RenderedPage
from commonsgen.model import Credit, Inclusion, Media, Page, PageId
from commonsgen.outputs import cite, credits, navigation, status
from commonsgen.outputs.credits import Words
from commonsgen.site import (
    CONTRIBUTORS_URL,
    LICENSES_URL,
    NOT_FOUND_PATH,
    TAGS_URL,
    LicensedWork,
    Section,
    Site,
    history_key,
    license_url,
)

View = dict[str, Any]


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def permalink(site: Site, url: str) -> str | None:
    """The absolute URL, when the site knows where it is published."""
    if not site.config.has_absolute_base:
        return None
    return urls.absolute(site.config.base_url, url)


BYLINE_ROLES = (
    ("author", "By", "by"),
    ("editor", "Edited by", "edited_by"),
    ("translator", "Translated by", "translated_by"),
    ("translation-editor", "Translation edited by", "translation_edited_by"),
    ("translation-reviewer", "Translation reviewed by", "translation_reviewed_by"),
)
"""Roles named in the byline under the title, in this order, with their English label and
their key in the theme's interface strings; all roles are in the credits."""


def byline(credits: tuple[Credit, ...], original: tuple[Credit, ...] | None = None) -> list[View]:
    """The byline's groups. On a translation (``original``: the credits of the page it
    translates) the original's editors are named apart from the translation's own people,
    so a reader sees who edited which: someone a translation lists as editor who also
    edited the original is named once, as the original's editor."""
    original_editors = [c.name for c in original or () if "editor" in c.roles]
    groups = []
    for role, label, key in BYLINE_ROLES:
        names = [c.name for c in credits if role in c.roles]
        if role == "editor" and original is not None:
            names = [n for n in names if n not in original_editors]
        if names:
            groups.append({"role": role, "label": label, "label_key": key, "names": names})
        if role == "editor" and original_editors:
            groups.append(
                {
                    "role": "original-editor",
                    "label": "Original edited by",
                    "label_key": "original_edited_by",
                    "names": original_editors,
                }
            )
    return groups


def media_view(site: Site, page: Page, item: Media) -> View:
    target = urls.resolve_content_path(page.id, item.file)
    file_url = site.url_of_file(target) if target is not None else None
    return {
        "file": item.file,
        "url": file_url,
        "permalink": permalink(site, file_url) if file_url else None,
        "title": item.title,
        "author": item.author,
        "author_url": item.author_url,
        "copyright": item.copyright,
        "source": item.source,
        "changes": item.changes,
        "license": credits.license_view(site.attribution.media_licenses.get(item)),
        "exception": credits.is_exception(site, page, item),
    }


def include_view(site: Site, page: Page, inclusion: Inclusion) -> View:
    """A work the page shows unchanged, with its own credit."""
    work = inclusion.work
    return {
        "title": work.title,
        "url": work.url,
        "authors": list(work.authors),
        "author_url": work.author_url,
        "copyright": work.copyright,
        "license": credits.license_view(site.attribution.work_licenses.get(work)),
        "exception": credits.is_exception(site, page, inclusion),
    }


def listing_item(site: Site, rendered: dict[PageId, RenderedPage], page_id: PageId) -> View:
    page = site.pages[page_id]
    return {
        "title": page.title,
        "url": site.page_urls[page_id],
        "summary": rendered[page_id].summary,
        "date": _date(site.date_of(page_id)),
        "updated": _date(site.updated_of(page_id)),
    }


def section_listing(
    site: Site, rendered: dict[PageId, RenderedPage], section: Section, number: int = 1
) -> View:
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
        "pages": [listing_item(site, rendered, pid) for pid in _listed(site, section, number)],
        "subsections": subsections if number == 1 else [],
        "pagination": pagination_view(site, section, number),
    }


def _listed(site: Site, section: Section, number: int) -> tuple[PageId, ...]:
    size = site.config.paginate
    return section.pages[(number - 1) * size : number * size] if size else section.pages


def pagination_view(site: Site, section: Section, number: int) -> View | None:
    """Links between the pages of a long listing; None when it fits on one."""
    total = site.listing_pages(section.id)
    if total == 1:
        return None
    return {
        "number": number,
        "total": total,
        "previous": site.listing_url(section.id, number - 1) if number > 1 else None,
        "next": site.listing_url(section.id, number + 1) if number < total else None,
        "pages": [
            {"number": n, "url": site.listing_url(section.id, n)} for n in range(1, total + 1)
        ],
    }


def _count(site: Site, section: Section) -> int:
    return len(section.pages) + sum(_count(site, site.sections[s]) for s in section.subsections)


def recent_pages(
    site: Site, rendered: dict[PageId, RenderedPage], lang: str, limit: int = 6
) -> list[View]:
    dated = [
        p for p in site.pages.values() if p.lang == lang and site.date_of(p.id) and not p.is_index
    ]
    dated.sort(
        key=lambda p: (site.updated_of(p.id) or site.date_of(p.id), p.id),  # type: ignore[arg-type,return-value]
        reverse=True,
    )
    return [listing_item(site, rendered, p.id) for p in dated[:limit]]


def site_view(site: Site, lang: str) -> View:
    config = site.config
    languages = []
    for language in config.languages:
        if language.code in site.language_roots:
            home = site.home_for(language.code)
            languages.append({"code": language.code, "title": language.title, "url": home.url})
    home = site.home_for(lang)
    search_url = home.url + "search/"
    return {
        "title": config.title_in(lang),
        "description": config.description,
        "default_license": credits.license_view(site.attribution.default_license),
        "contributors_url": CONTRIBUTORS_URL if site.people else None,
        "licenses_url": LICENSES_URL if site.licenses_used else None,
        "language": config.language,
        "base_url": config.base_url,
        "home": {"title": home.title, "url": home.url},
        "languages": languages,
        "nav": [{"id": s.id, "title": s.title, "url": s.url} for s in site.nav_sections(lang)],
        "feed_url": site.feed_url(""),
        "translations_url": site.translations_url(lang),
        # the search page and index the build writes, unless a page of the site is there
        "search_url": None if search_url in site.page_urls.values() else search_url,
        "extra": config.extra,
    }


def breadcrumbs(site: Site, section: Section) -> list[View]:
    return [{"title": s.title, "url": s.url} for s in site.ancestors(section.id)]


def shared_data(site: Site) -> dict[str, Any]:
    """Everything the site shares between pages, without the pages. A page's view reads
    its own page and rendered Markdown, other pages' frontmatter (titles, URLs, credits,
    never their text) and any of this; so do a template's context and diagnostics' hints."""
    return {f.name: getattr(site, f.name) for f in dataclasses.fields(site) if f.name != "pages"}


def _original_credits(site: Site, page: Page) -> tuple[Credit, ...] | None:
    """The credits of the page a translation translates, when it is a page of the site."""
    edge = page.translation_of
    source = site.pages.get(edge.page) if edge is not None and edge.page else None
    return source.contributors if source is not None else None


def _original_date(site: Site, page: Page) -> dt.date | None:
    """When the original was published, on a translation: the date the page itself gives
    for it (a page field the profile's ``fields:`` replaced, kept as ``original_date``),
    else its original's date when that is a page of the site."""
    written = page.extra.get("original_date")
    if isinstance(written, dt.datetime):
        return written.date()
    if isinstance(written, dt.date):
        return written
    if isinstance(written, str):
        try:
            return dt.date.fromisoformat(written.strip())
        except ValueError:
            pass
    edge = page.translation_of
    if edge is None or edge.page is None or edge.page not in site.pages:
        return None
    return site.date_of(edge.page)


def page_view(site: Site, rendered: dict[PageId, RenderedPage], page: Page) -> View:
    done = rendered[page.id]
    url = site.page_urls[page.id]
    section = site.section_of(page.id)
    crumbs = breadcrumbs(site, section)
    nav_root = crumbs[1]["url"] if len(crumbs) > 1 else (url if page.is_index else None)
    upstream = [
        credits.upstream_view(site, step) for step in site.attribution.upstream.get(page.id, ())
    ]
    creators = credits.page_creators(site, page)
    return {
        "kind": "page",
        "id": page.id,
        "source": page.source.site_path,
        "title": page.title,
        "url": url,
        "permalink": permalink(site, url),
        "lang": page.lang,
        "content": done.html if isinstance(done.html, Markup) else Markup(done.html),
        "toc": [{"level": t.level, "id": t.id, "title": t.title} for t in done.toc],
        "summary": done.summary,
        "date": _date(site.date_of(page.id)),
        "updated": _date(site.updated_of(page.id)),
        "original_date": _date(_original_date(site, page)),
        "tags": list(page.tags),
        "contributors": [credits.person_view(site, c) for c in page.contributors],
        "edits_by": credits.edits_view(site, page.id),
        **source_links(site, page),
        "byline": byline(page.contributors, _original_credits(site, page)),
        "creators": [credits.person_view(site, c) for c in creators],
        "license": credits.license_view(site.attribution.license_of(page.id)),
        "code_license": credits.license_view(site.attribution.code_license_of(page.id)),
        "upstream": upstream,
        "media": [media_view(site, page, m) for m in page.media],
        "includes": [include_view(site, page, i) for i in page.includes],
        "except_noted": credits.has_exceptions(site, page),
        "attribution": credits.attribution_parts(site, page, upstream),
        "jsonld": Markup(credits.jsonld(site, page)),
        "breadcrumbs": crumbs,
        "nav_active": nav_root,
        "sidebar": navigation.sidebar_view(
            site, site.sections[posixpath.dirname(page.id)], page.id
        ),
        "listing": None,
        "translations": translations_view(site, page.id),
        "doi": _doi_view(page),
        "translation_status": status.notice_view(site, page.id),
        "tag_links": tag_links(site, page),
        **neighbours_view(site, page.id),
        "cite": cite.cite_view(site, page, [c.name for c in creators]),
        "extra": page.extra,
    }


def tag_links(site: Site, page: Page) -> list[View]:
    found = []
    for name in page.tags:
        tag = site.tags[site.tag_keys[urls.name_identity(name)]]
        found.append({"name": name, "url": tag.url})
    return found


def neighbours_view(site: Site, page_id: PageId) -> View:
    """Previous and next page in the section's reading order (``weight``, then title)."""
    before, after = site.neighbours(page_id)

    def link(pid: PageId | None) -> View | None:
        return {"title": site.pages[pid].title, "url": site.page_urls[pid]} if pid else None

    return {"previous": link(before), "next": link(after)}


def _doi_view(page: Page) -> View | None:
    """The page's DOI (``doi:``, checked when the page was read), linked through the
    resolver: DOI's display guidelines ask for the https://doi.org/ form."""
    written = page.extra.get("doi")
    name = urls.doi_name(str(written)) if written else None
    return {"name": name, "url": urls.doi_url(name)} if name else None


def translations_view(site: Site, page_id: PageId) -> list[View]:
    """The page in other languages, in the order of ``languages``; ``original`` marks the
    page a translation translates."""
    titles = {language.code: language.title for language in site.config.languages}
    order = {code: i for i, code in enumerate(titles)}
    edge = site.pages[page_id].translation_of if page_id in site.pages else None
    source = edge.page if edge is not None else None
    found = []
    for other in site.translations.get(page_id, ()):
        page = site.pages[other]
        url = site.page_urls[other]
        found.append(
            {
                "lang": page.lang,
                "language": titles.get(page.lang, page.lang),
                "title": page.title,
                "url": url,
                "permalink": permalink(site, url),
                "original": other == source,
            }
        )
    found.sort(key=lambda t: (order.get(t["lang"], len(order)), t["lang"]))
    return found


def source_links(site: Site, page: Page) -> View:
    """The page's history page, and its file on the repository's web UI (``repo_url``)."""
    found: View = {"history_url": site.history_url(page.id), "edit_url": None, "source_url": None}
    links = history.repo_links(site.config)
    if links is not None:
        if site.history is not None:
            path = site.history.repo_path(page.id)
        else:  # without git, the site folder is taken to be the top of the repository
            path = page.source.site_path
        found["edit_url"] = links.edit(path)
        found["source_url"] = links.view(path)
    return found


def history_view(site: Site, page_id: PageId, words: Words) -> View:
    """A page's history, like a wiki's: every commit that changed it, newest first;
    ``words`` in the page's language."""
    assert site.history is not None
    page = site.pages[page_id]
    url = site.page_urls[page_id]
    section = site.section_of(page_id)
    crumbs = [*breadcrumbs(site, section), {"title": page.title, "url": url}]
    if page.is_index and len(crumbs) > 1 and crumbs[-2]["url"] == url:
        crumbs.pop()
    title = i18n.fill(words("history_title"), {"title": page.title})
    view = _generated_view(site, "history", title, url + "history/", crumbs)
    view["lang"] = page.lang
    links = history.repo_links(site.config)
    by_email = {e.casefold(): cid for cid, entry in site.registry.items() for e in entry.emails}

    def person(signature: history.Signature) -> View:
        # Credited people link to their contributor page, under their registry name;
        # bots and excluded people are shown as git knows them.
        key = history_key(signature, site.registry, by_email)
        found = site.people.get(key)
        credited = found is not None and signature in credited_here
        return {
            "name": found.name if credited and found else signature.name,
            "page_url": found.page_url if credited and found else None,
        }

    credited_here = {sig for sig, _count in site.history.credited(page_id)}

    commits = []
    for commit in site.history.commits_of(page_id):
        credited = set(commit.credited)
        commits.append(
            {
                "sha": commit.sha,
                "short_sha": commit.sha[:10],
                "date": commit.date.date().isoformat(),
                "datetime": commit.date.isoformat(),
                "author": person(commit.author),
                "coauthors": [person(c) for c in commit.coauthors],
                "subject": commit.subject,
                "credited": bool(credited),
                "url": links.commit(commit.sha) if links else None,
            }
        )
    view["history"] = {
        "page": {"title": page.title, "url": url},
        "commits": commits,
        "uncommitted": site.history.today is not None and page_id in site.history.uncommitted,
        "shallow": site.history.shallow,
        **source_links(site, page),
    }
    return view


def section_view(
    site: Site, rendered: dict[PageId, RenderedPage], section: Section, number: int = 1
) -> View:
    """A section's listing page (page ``number`` of it, with ``paginate``); an ``index.md``
    in the folder supplies its text, shown on the first page only."""
    if section.index_page is not None and number == 1:
        view = page_view(site, rendered, site.pages[section.index_page])
    else:
        crumbs = breadcrumbs(site, section)
        view = _generated_view(site, "section", section.title, section.url, crumbs[:-1])
        view.update(
            {
                "lang": section.lang,
                "nav_active": crumbs[1]["url"] if len(crumbs) > 1 else None,
                "date": None,
                "updated": None,
                "original_date": None,
                "tags": [],
                "contributors": [],
                "edits_by": [],
                "history_url": None,
                "edit_url": None,
                "source_url": None,
                "byline": [],
                "creators": [],
                "upstream": [],
                "media": [],
                "includes": [],
                "except_noted": False,
                "attribution": None,
                "listing": None,
                "sidebar": navigation.sidebar_view(site, section, None),
            }
        )
    is_home = section.id in site.language_roots.values()
    view["kind"] = "home" if is_home else "section"
    if is_home:
        view["breadcrumbs"] = []
    view["listing"] = section_listing(site, rendered, section, number)
    view["page_number"] = number  # "Sensors – page 2" in <title>, from the theme's words
    if number > 1:
        url = site.listing_url(section.id, number)
        view["url"], view["permalink"] = url, permalink(site, url)
        view["title"] = section.title
        view["breadcrumbs"] = breadcrumbs(site, section)  # back to the listing's first page
    view["feed_url"] = site.feed_url(section.id)
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
        "code_license": None,
        "jsonld": None,
        "translations": [],
        "doi": None,
        "tag_links": [],
        "previous": None,
        "next": None,
        "cite": None,
        "extra": {},
    }


def search_view(site: Site, url: str, lang: str, words: Words) -> View:
    """The search page of one language (``words`` in it); its results come from a script
    and an index."""
    home = site.home_for(lang)
    crumbs = [{"title": home.title, "url": home.url}]
    view = _generated_view(site, "search", words("search"), url, crumbs)
    view["lang"] = lang
    return view


def root_path(site: Site) -> str:
    """The path of the site's top on its host: ``/handbook/`` for
    ``https://example.org/handbook/``, ``/`` when ``base_url`` is only a path."""
    path = urlsplit(site.config.base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def not_found_view(site: Site, words: Words) -> View:
    """The 404 page. The host sends it for any missing URL, at any depth, so its links
    are root-relative (``root``) instead of relative to where it is written."""
    home = site.home_for(site.config.language)
    view = _generated_view(site, "404", words("page_not_found"), NOT_FOUND_PATH, [])
    view["permalink"] = None  # it has no address of its own to be canonical for
    view["root"] = root_path(site)
    view["home"] = {"title": home.title, "url": home.url}
    return view


def rooted(root: str, url: str) -> str:
    """A root-relative href for a site URL, for pages served at any URL (the 404 page)."""
    return urls.quote_url(root + url)


def _home_crumb(site: Site) -> View:
    home = site.home_for(site.config.language)
    return {"title": home.title, "url": home.url}


def translation_status_view(site: Site, lang: str, words: Words) -> View:
    """A language's translation status page: every original and its translations."""
    url = site.translations_url(lang)
    assert url is not None
    home = site.home_for(lang)
    view = _generated_view(
        site,
        "translations",
        words("translation_status"),
        url,
        [{"title": home.title, "url": home.url}],
    )
    view["lang"] = lang
    view["translation_table"] = status.status_page_view(site, lang)
    return view


def contributors_view(site: Site, words: Words) -> View:
    crumbs = [_home_crumb(site)]
    view = _generated_view(site, "contributors", words("contributors"), CONTRIBUTORS_URL, crumbs)
    people = []
    for person in site.people.values():
        works, upstream, edits = credits.work_counts(site, person.key)
        people.append(
            {
                "name": person.name,
                "url": person.page_url,
                "works": works,
                "upstream": upstream,
                "edits": edits,
            }
        )
    view["people"] = people
    return view


def _about(site: Site, registry_id: str | None) -> View:
    """What the registry says about a person, in the site's language where it has one."""
    entry = site.registry.get(registry_id) if registry_id else None
    if entry is None:
        return {"affiliation": [], "bio": None, "team_role": None}
    return {
        "affiliation": list(entry.affiliation),
        "bio": _in_language(entry.bio, site.config.language),
        "team_role": _in_language(entry.team_role, site.config.language),
    }


def _in_language(texts: dict[str, str], lang: str) -> str | None:
    """The text in ``lang`` (or its base language), else the one in no language, else the
    first by language code: a bio written only in Spanish is still shown."""
    for key in (lang, lang.split("-")[0], ""):
        if texts.get(key):
            return texts[key]
    return next(iter(texts.values()), None)


def contributor_view(site: Site, key: str, words: Words) -> View:
    person = site.people[key]
    crumbs = [_home_crumb(site), {"title": words("contributors"), "url": CONTRIBUTORS_URL}]
    view = _generated_view(site, "contributor", person.name, person.page_url, crumbs)
    direct, upstream = credits.works_by(site, key)
    view["edited_works"] = credits.edited_by(site, key)
    view["person"] = {
        "name": person.name,
        "url": person.url,
        "orcid": person.orcid,
        "orcid_url": f"https://orcid.org/{person.orcid}" if person.orcid else None,
        "in_registry": person.registry_id is not None,
        **_about(site, person.registry_id),
    }
    view["works"] = direct
    view["upstream_works"] = upstream
    return view


def licenses_view(site: Site, words: Words) -> View:
    view = _generated_view(site, "licenses", words("licences"), LICENSES_URL, [_home_crumb(site)])
    rows = []
    for license_id, license_ in site.licenses_used.items():
        rows.append(
            {
                "license": credits.license_view(license_),
                "count": len(site.pages_by_license.get(license_id, ())),
                "other_count": len(site.works_by_license.get(license_id, ())),
            }
        )
    view["licenses"] = rows
    return view


def license_page_view(site: Site, license_id: str, words: Words) -> View:
    page_ids = site.pages_by_license.get(license_id, ())
    license_ = site.licenses_used[license_id]
    crumbs = [_home_crumb(site), {"title": words("licences"), "url": LICENSES_URL}]
    view = _generated_view(site, "license", license_.name, license_url(license_), crumbs)
    view["described"] = credits.license_view(license_)
    view["summary_lines"] = credits.license_summary(license_, words)
    view["works"] = [
        {"title": site.pages[pid].title, "url": site.page_urls[pid], "lang": site.pages[pid].lang}
        for pid in sorted(page_ids, key=lambda pid: (site.pages[pid].title.casefold(), pid))
    ]
    view["other_works"] = [
        {
            "title": work.title,
            "kind": work.kind,
            "url": _licensed_work_url(site, work),
            "external": work.external,
            "page": {"title": site.pages[work.page].title, "url": site.page_urls[work.page]},
        }
        for work in site.works_by_license.get(license_id, ())
    ]
    return view


def _licensed_work_url(site: Site, work: LicensedWork) -> str | None:
    if work.external or work.url is None:
        return work.url
    return site.url_of_file(work.url)


def tags_view(site: Site, words: Words) -> View:
    view = _generated_view(site, "tags", words("tags"), TAGS_URL, [_home_crumb(site)])
    view["tags"] = [
        {"name": tag.name, "url": tag.url, "count": len(tag.pages)} for tag in site.tags.values()
    ]
    return view


def tag_view(site: Site, rendered: dict[PageId, RenderedPage], key: str, words: Words) -> View:
    tag = site.tags[key]
    crumbs = [_home_crumb(site), {"title": words("tags"), "url": TAGS_URL}]
    view = _generated_view(site, "tag", tag.name, tag.url, crumbs)
    view["works"] = [
        {**listing_item(site, rendered, pid), "lang": site.pages[pid].lang} for pid in tag.pages
    ]
    return view
