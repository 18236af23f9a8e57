"""Translation status as readers and dashboards see it: the notice on an outdated
translation, the status page of each language, and ``credits.json``'s ``translations``.

The statuses themselves come from :mod:`commonsgen.translations`; this module only shows
them, in the order they are shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from commonsgen import history
from commonsgen.model import PageId
from commonsgen.site import Site
from commonsgen.translations import TranslationStatus

View = dict[str, Any]


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def diff_url(site: Site, status: TranslationStatus) -> str | None:
    """The forge's diff of the original since the version the translation follows."""
    links = history.repo_links(site.config)
    if links is None or status.followed is None or status.status != "outdated":
        return None
    return links.compare(status.followed, status.head)


def status_view(site: Site, status: TranslationStatus) -> View:
    original = site.pages.get(status.original)
    return {
        "status": status.status,
        "notice": status.notice,
        "basis": status.basis,
        "original": (
            {
                "title": original.title,
                "url": site.page_urls[original.id],
                "lang": original.lang,
            }
            if original is not None
            else None
        ),
        "behind": status.behind,
        "since": _date(status.since),
        "latest": _date(status.latest),
        "followed": status.followed,
        "followed_short": status.followed[:7] if status.followed else None,
        "followed_date": _date(status.followed_date),
        "diff_url": diff_url(site, status),
    }


def notice_view(site: Site, page_id: PageId) -> View | None:
    """What an outdated translation shows its readers; None for any other page."""
    status = site.translation_status.get(page_id)
    return status_view(site, status) if status is not None else None


def _behind(status: TranslationStatus) -> int:
    """How far behind, for sorting: an outdated translation with no count is one behind."""
    if status.status != "outdated":
        return 0
    return status.behind if status.behind is not None else 1


def status_page_view(site: Site, lang: str) -> View:
    """Every original with its translations, furthest behind first, in ``lang``'s words;
    with the counts of the translations into ``lang``."""
    titles = {language.code: language.title for language in site.config.languages}
    by_original: dict[PageId, list[TranslationStatus]] = {}
    for status in site.translation_status.values():
        if status.original in site.pages:
            by_original.setdefault(status.original, []).append(status)
    rows = []
    for orig, statuses in by_original.items():
        page = site.pages[orig]
        done = {site.pages[s.page].lang: s for s in statuses}
        cells = []
        for code in titles:
            if code == page.lang:
                continue
            found = done.get(code)
            cell: View = {"lang": code, "language": titles[code], "status": "missing"}
            if found is not None:
                translated = site.pages[found.page]
                cell = {
                    **cell,
                    **status_view(site, found),
                    "title": translated.title,
                    "url": site.page_urls[found.page],
                }
            cells.append(cell)
        rows.append(
            {
                "title": page.title,
                "url": site.page_urls[orig],
                "lang": page.lang,
                "language": titles.get(page.lang, page.lang),
                "behind": sum(_behind(s) for s in statuses),
                "cells": cells,
                "missing": [c["language"] for c in cells if c["status"] == "missing"],
            }
        )
    rows.sort(key=lambda r: (-r["behind"], r["title"].casefold(), r["url"]))
    mine = [c for row in rows for c in row["cells"] if c["lang"] == lang]
    counts = {
        key: sum(1 for c in mine if c["status"] == key)
        for key in ("current", "outdated", "unknown", "missing")
    }
    return {"rows": rows, "counts": counts, "languages": [t for c, t in titles.items()]}


def translations_json(site: Site) -> list[View]:
    """``credits.json``'s ``translations``: every translation's status, by page id."""
    found = []
    for pid, status in site.translation_status.items():
        found.append(
            {
                "page": pid,
                "lang": site.pages[pid].lang,
                "url": site.page_urls[pid],
                "original": status.original,
                "status": status.status,
                "decided_by": status.basis,
                "follows_revision": status.followed,
                "follows_date": _date(status.followed_date),
                "commits_behind": status.behind,
                "outdated_since": _date(status.since),
                "last_change": _date(status.latest),
            }
        )
    return found
