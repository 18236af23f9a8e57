""" "Cite this page": a page's reference as BibTeX, RIS and CSL-JSON.

Made from the page's title, contributors (authors, editors and translators in the roles the
formats have for them), date, URL, licence and a ``doi`` key in its frontmatter. Names are
given whole (CSL ``literal``, a braced BibTeX name) because splitting a name into given and
family parts guesses wrong for many of the world's names.
"""

from __future__ import annotations

import json
import re
from typing import Any

from commonsgen import urls
from commonsgen.model import Page
from commonsgen.site import Site

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _names(page: Page, role: str) -> list[str]:
    return [c.name for c in page.contributors if role in c.roles]


def _key(page: Page) -> str:
    """A citation key from the page's path: ASCII, as BibTeX wants it."""
    return re.sub(r"[^A-Za-z0-9]+", "-", page.id.removesuffix(".md")).strip("-") or "page"


def _doi(page: Page) -> str | None:
    value = page.extra.get("doi")
    return str(value).strip() if value else None


def _url(site: Site, page: Page) -> str | None:
    url = site.page_urls[page.id]
    return urls.absolute(site.config.base_url, url) if site.config.has_absolute_base else None


def csl_json(site: Site, page: Page, authors: list[str]) -> str:
    date = site.date_of(page.id)
    license_ = site.attribution.license_of(page.id)
    item: dict[str, Any] = {
        "id": _key(page),
        "type": "webpage",
        "title": page.title,
        "container-title": site.config.title,
        "language": page.lang,
    }
    for variable, names in (
        ("author", authors),
        ("editor", _names(page, "editor")),
        ("translator", _names(page, "translator")),
    ):
        if names:
            item[variable] = [{"literal": name} for name in names]
    if date is not None:
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    if (url := _url(site, page)) is not None:
        item["URL"] = url
    if (doi := _doi(page)) is not None:
        item["DOI"] = doi
    if license_ is not None:
        item["license"] = license_.deed_url
    return json.dumps([item], ensure_ascii=False, indent=2, sort_keys=True)


def _bib(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", value)


def bibtex(site: Site, page: Page, authors: list[str]) -> str:
    date = site.date_of(page.id)
    license_ = site.attribution.license_of(page.id)
    key = _key(page)
    fields: list[tuple[str, str]] = [("title", "{" + _bib(page.title) + "}")]
    for name, people in (
        ("author", authors),
        ("editor", _names(page, "editor")),
        ("translator", _names(page, "translator")),
    ):
        if people:
            # Double braces keep a whole name as one name, not "Family, Given".
            fields.append((name, " and ".join("{" + _bib(p) + "}" for p in people)))
    fields.append(("howpublished", _bib(site.config.title)))
    if date is not None:
        fields += [("year", str(date.year)), ("month", str(date.month)), ("date", date.isoformat())]
    if (url := _url(site, page)) is not None:
        fields.append(("url", url))
    if (doi := _doi(page)) is not None:
        fields.append(("doi", _bib(doi)))
    fields.append(("language", page.lang))
    if license_ is not None:
        fields.append(("note", _bib(f"Licensed under {license_.short_name}")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def ris(site: Site, page: Page, authors: list[str]) -> str:
    date = site.date_of(page.id)
    license_ = site.attribution.license_of(page.id)
    lines = ["TY  - ELEC", f"TI  - {page.title}"]
    lines += [f"AU  - {name}" for name in authors]
    lines += [f"ED  - {name}" for name in _names(page, "editor")]
    lines += [f"A4  - {name}" for name in _names(page, "translator")]  # RIS: translator
    lines.append(f"T2  - {site.config.title}")
    if date is not None:
        lines += [f"PY  - {date.year}", f"DA  - {date.strftime('%Y/%m/%d')}"]
    if (url := _url(site, page)) is not None:
        lines.append(f"UR  - {url}")
    if (doi := _doi(page)) is not None:
        lines.append(f"DO  - {doi}")
    lines.append(f"LA  - {page.lang}")
    if license_ is not None:
        lines.append(f"N1  - Licensed under {license_.short_name} ({license_.deed_url})")
    lines.append("ER  - ")
    return "\n".join(lines)


def cite_view(site: Site, page: Page, authors: list[str]) -> dict[str, str]:
    """``authors``: the page's creators, as its credits name them (``credits.creators``)."""
    return {
        "bibtex": bibtex(site, page, authors),
        "ris": ris(site, page, authors),
        "csl_json": csl_json(site, page, authors),
    }
