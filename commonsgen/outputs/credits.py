"""Credits in every form a reader or a machine needs them, from one model.

- credit views for templates, in CC's TASL order (title, author, source, licence, changes)
  for the page and every work up its chain;
- the plain-text attribution line a re-user copies;
- a plain-language summary of what a licence lets re-users do, written from its terms;
- schema.org JSON-LD per page and the site's ``credits.json`` (schema documented in README).

Everything here is pure: model in, plain values out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from commonsgen import urls
from commonsgen.attribution import Upstream
from commonsgen.licenses import License
from commonsgen.model import Credit, Page, PageId
from commonsgen.roles import MAKERS
from commonsgen.site import Site, license_url

View = dict[str, Any]

CREDITS_JSON = "credits.json"
CREDITS_SCHEMA_VERSION = 1

CREATOR_ROLES = (("author",), ("editor",), MAKERS)
"""Whom a credit names after "by", in order of preference: the authors; if a work has none,
its editors; if none, the other makers (:data:`commonsgen.roles.MAKERS`: illustrators,
CRediT's writing and software roles ...). Reviewers, testers, funders and translators are
never named as its creators (translators are credited as translators)."""


def license_view(license_: License | None) -> View | None:
    if license_ is None:
        return None
    terms = license_.terms
    return {
        "id": license_.id,
        "name": license_.name,
        "short_name": license_.short_name,
        "deed_url": license_.deed_url,
        "legal_url": license_.legal_url,
        "page_url": license_url(license_),
        "public_domain": terms.public_domain,
        # CC's chooser says a CC0 or PDM work "is marked with" the tool, others are licensed.
        "verb": "is marked with" if terms.public_domain else "is licensed under",
    }


def license_summary(license_: License) -> list[str]:
    """What re-users may and must do, in plain words, from the licence's terms."""
    terms = license_.terms
    if terms.public_domain:
        return [
            "You may copy, share, change and build on the work, for any purpose, "
            "including commercial ones, without asking permission.",
            "No credit is legally required, but naming the source is good practice "
            "and helps others find it.",
        ]
    lines = ["You may copy and share the work in any medium or format."]
    if terms.no_derivatives:
        lines.append(
            "You may not share changed versions: adaptations, including translations, "
            "are not allowed."
        )
    else:
        lines.append("You may change it, translate it and build on it.")
    if terms.non_commercial:
        lines.append("Only for non-commercial purposes.")
    else:
        lines.append("For any purpose, including commercial ones.")
    if terms.attribution:
        lines.append(
            "You must give credit: name the creators and the title, link the source and the "
            "licence, and say whether you made changes."
        )
    if terms.share_alike:
        if license_.is_cc:
            lines.append(
                f"If you share an adaptation, you must release it under {license_.short_name} "
                "or a licence Creative Commons lists as compatible."
            )
        else:
            lines.append(
                f"If you share an adaptation, you must release it under {license_.short_name}."
            )
    lines.append(
        "You may not add terms or technical measures that stop others from doing "
        "what the licence allows."
    )
    return lines


def person_view(site: Site, credit: Credit) -> View:
    person = site.person_for(credit)
    return {
        "key": person.key,
        "name": person.name,
        "roles": list(credit.roles),
        "url": person.url,
        "orcid": person.orcid,
        "orcid_url": f"https://orcid.org/{person.orcid}" if person.orcid else None,
        "page_url": person.page_url,
    }


def creators(credits: tuple[Credit, ...]) -> list[Credit]:
    for roles in CREATOR_ROLES:
        found = [c for c in credits if any(r in roles for r in c.roles)]
        if found:
            return found
    return []


def makers(credits: tuple[Credit, ...]) -> tuple[list[str], list[str]]:
    """(creators, translators) of a work, by name."""
    translators = [c.name for c in credits if "translator" in c.roles]
    return [c.name for c in creators(credits)], translators


def names(names: list[str], and_word: str = "and") -> str:
    """'A', 'A and B', 'A, B and C' (``and_word`` in the page's language)."""
    if len(names) <= 2:
        return f" {and_word} ".join(names)
    return ", ".join(names[:-1]) + f" {and_word} " + names[-1]


def upstream_view(site: Site, step: Upstream) -> View:
    user = site.pages.get(step.used_by)
    if step.page is not None:
        source = site.pages[step.page]
        authors, translators = makers(source.contributors)
        title, url, external = source.title, site.page_urls[step.page], False
    else:
        assert step.work is not None
        authors, translators = list(step.work.authors), []
        title, url, external = step.work.title, step.work.url, True
    return {
        "depth": step.depth,
        "kind": step.kind,
        "verb": "Translated from" if step.kind == "translation_of" else "Adapted from",
        "verb_key": "translated_from" if step.kind == "translation_of" else "adapted_from",
        "title": title,
        "url": url,
        "external": external,
        "permalink": url if external else _absolute_or_none(site, url),
        "authors": authors,
        "translators": translators,
        "license": license_view(step.license),
        "changes": step.changes,
        "used_by": {"title": user.title, "url": site.page_urls[user.id]} if user else None,
    }


Words = Callable[[str], str]
"""An interface string by key (``"by_word"`` -> "by"), in the language of the page the
credit is for: the theme's catalogue (``i18n/<lang>.yml``) answers."""


def attribution_parts(site: Site, page: Page, upstream: Sequence[View] | None = None) -> View:
    """What the copyable credit line says, as plain values: a page's view carries them,
    and :func:`attribution_line` words them in the page's language. ``upstream``: the
    :func:`upstream_view` of each of the page's upstream steps, when the caller has them."""
    authors, translators = makers(page.contributors)
    steps = site.attribution.upstream.get(page.id, ())
    if upstream is None:
        upstream = [upstream_view(site, step) for step in steps]
    return {
        "title": page.title,
        "authors": authors,
        "translators": translators,
        "permalink": _absolute_or_none(site, site.page_urls[page.id]),
        "license": license_view(site.attribution.license_of(page.id)),
        "upstream": [
            {**view, "used_by_title": site.pages[step.used_by].title}
            for step, view in zip(steps, upstream, strict=True)
        ],
    }


def attribution_line(parts: View, words: Words) -> str:
    """The credit a re-user can copy: TASL for the page, then for each work up its chain,
    e.g. "“Probe” by Ada Mensah, https://…, is licensed under CC BY 4.0 (https://…)."."""

    def quoted(title: str) -> str:
        return words("quote_open") + title + words("quote_close")

    def makers_text(authors: list[str], translators: list[str]) -> str:
        text = f" {words('by_word')} {names(authors, words('and'))}" if authors else ""
        if translators:
            text += f", {words('translated_by_word')} {names(translators, words('and'))}"
        return text

    license_ = parts["license"]
    text = quoted(parts["title"]) + makers_text(parts["authors"], parts["translators"])
    if parts["permalink"]:
        text += f", {parts['permalink']}"
    if license_ is not None:
        verb = words("is_marked_with" if license_["public_domain"] else "is_licensed_under")
        text += f", {verb} {license_['short_name']} ({license_['deed_url']})."
    else:
        text += "."
    for step in parts["upstream"]:
        verb = words("is_" + step["verb_key"])
        text += f" {quoted(step['used_by_title'])} {verb} {quoted(step['title'])}"
        text += makers_text(step["authors"], step["translators"])
        if step["permalink"]:
            text += f", {step['permalink']}"
        if step["license"]:
            text += f", {step['license']['short_name']} ({step['license']['deed_url']})"
        text += "."
        if step["changes"]:
            text += f" {words('changes')} {step['changes'].rstrip('.')}."
    return text


def attribution_text(site: Site, page: Page, words: Words) -> str:
    """:func:`attribution_line` for a page, straight from the site."""
    return attribution_line(attribution_parts(site, page), words)


def _absolute_or_none(site: Site, url: str | None) -> str | None:
    if url is None or not site.config.has_absolute_base:
        return None
    return urls.absolute(site.config.base_url, url)


def _person_ld(site: Site, credit: Credit) -> dict[str, Any]:
    return _person_key_ld(site, site.person_for(credit).key)


def _person_key_ld(site: Site, key: str) -> dict[str, Any]:
    person = site.people[key]
    data: dict[str, Any] = {"@type": "Person", "name": person.name}
    if person.url:
        data["url"] = person.url
    if person.orcid:
        data["sameAs"] = f"https://orcid.org/{person.orcid}"
    return data


def _work_ld(site: Site, step: Upstream, view: View | None = None) -> dict[str, Any]:
    view = view if view is not None else upstream_view(site, step)
    data: dict[str, Any] = {"@type": "CreativeWork", "name": view["title"]}
    link = view["url"] if view["external"] else _absolute_or_none(site, view["url"])
    if link:
        data["url"] = link
    if view["license"]:
        data["license"] = view["license"]["deed_url"]
    if view["authors"]:
        data["author"] = [{"@type": "Person", "name": n} for n in view["authors"]]
    return data


def edits_view(site: Site, page_id: PageId) -> list[View]:
    """The people a page's history credits and its frontmatter does not: "edits by"."""
    found = []
    for edit in site.edits.get(page_id, ()):
        person = site.people[edit.key]
        found.append(
            {
                "key": person.key,
                "name": person.name,
                "page_url": person.page_url,
                "commits": edit.commits,
            }
        )
    return found


def jsonld(site: Site, page: Page, upstream: Sequence[View] | None = None) -> str:
    """schema.org metadata for the page, safe to embed in a ``<script>`` element.
    ``upstream``: the :func:`upstream_view` of each of the page's upstream steps, when the
    caller has them (the page's view does), so they are not made twice."""
    license_ = site.attribution.license_of(page.id)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "name": page.title,
        "headline": page.title,
        "inLanguage": page.lang,
        "isPartOf": {"@type": "WebSite", "name": site.config.title},
    }
    url = _absolute_or_none(site, site.page_urls[page.id])
    if url:
        data["url"] = url
        data["isPartOf"]["url"] = site.config.base_url
    if license_ is not None:
        data["license"] = license_.deed_url
    authors = creators(page.contributors)
    others = [c for c in page.contributors if c not in authors]
    if authors:
        data["author"] = [_person_ld(site, c) for c in authors]
    contributors = [_person_ld(site, c) for c in others]
    # People the page's git history credits ("edits by") are its contributors too.
    contributors += [_person_key_ld(site, edit.key) for edit in site.edits.get(page.id, ())]
    if contributors:
        data["contributor"] = contributors
    translators = [c for c in page.contributors if "translator" in c.roles]
    if translators:
        data["translator"] = [_person_ld(site, c) for c in translators]
    date, updated = site.date_of(page.id), site.updated_of(page.id)
    if date:
        data["datePublished"] = date.isoformat()
    if updated or date:
        data["dateModified"] = (updated or date).isoformat()  # type: ignore[union-attr]
    steps = site.attribution.upstream.get(page.id, ())
    made = upstream if upstream is not None else [None] * len(steps)
    direct = [(s, v) for s, v in zip(steps, made, strict=True) if s.depth == 1]
    based_on = [_work_ld(site, s, v) for s, v in direct if s.kind == "derived_from"]
    if based_on:
        data["isBasedOn"] = based_on
    translated = [_work_ld(site, s, v) for s, v in direct if s.kind == "translation_of"]
    if translated:
        data["translationOfWork"] = translated[0]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # JSON inside <script> is not HTML-decoded; only '<' could end the element early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def credits_json(site: Site) -> bytes:
    """Every published work with its contributors, roles, licence and sources."""
    works = []
    for page_id, page in site.pages.items():
        license_ = site.attribution.license_of(page_id)
        sources = []
        for edge in page.derived_from:
            if edge.page is not None:
                sources.append({"type": "page", "page": edge.page, "changes": edge.changes})
            elif edge.work is not None:
                work_license = site.attribution.work_licenses.get(edge.work)
                sources.append(
                    {
                        "type": "work",
                        "title": edge.work.title,
                        "authors": list(edge.work.authors),
                        "url": edge.work.url,
                        "license": work_license.id if work_license else None,
                        "changes": edge.changes,
                    }
                )
        media = []
        for item in page.media:
            item_license = site.attribution.media_licenses.get(item)
            media.append(
                {
                    "file": urls.resolve_content_path(page_id, item.file),
                    "title": item.title,
                    "author": item.author,
                    "source": item.source,
                    "license": item_license.id if item_license else None,
                }
            )
        works.append(
            {
                "id": page_id,
                "title": page.title,
                "url": site.page_urls[page_id],
                "lang": page.lang,
                "license": license_.id if license_ else None,
                "date": _iso(site.date_of(page_id)),
                "updated": _iso(site.updated_of(page_id)),
                "contributors": [
                    {"key": site.person_for(c).key, "name": c.name, "roles": list(c.roles)}
                    for c in page.contributors
                ],
                "edits_by": [
                    {"key": e["key"], "name": e["name"], "commits": e["commits"]}
                    for e in edits_view(site, page_id)
                ],
                "history_url": site.history_url(page_id),
                "translation_of": page.translation_of.page if page.translation_of else None,
                "sources": sources,
                "media": media,
            }
        )
    used = sorted(site.pages_by_license)
    registry_licenses = {
        lic.id: lic for lic in site.attribution.licenses.values() if lic.id in used
    }
    data = {
        "schema": "commonsgen-credits",
        "version": CREDITS_SCHEMA_VERSION,
        "site": {
            "title": site.config.title,
            "base_url": site.config.base_url,
            "default_license": site.config.default_license,
        },
        "works": works,
        "contributors": [
            {
                "key": p.key,
                "name": p.name,
                "url": p.url,
                "orcid": p.orcid,
                "works": sorted(
                    {c.page for c in site.credits_by_person[p.key] if c.via is None and not c.edits}
                ),
                "edited": sorted({c.page for c in site.credits_by_person[p.key] if c.edits}),
            }
            for p in site.people.values()
        ],
        "licenses": [
            {
                "id": lid,
                "name": registry_licenses[lid].name,
                "url": registry_licenses[lid].deed_url,
                "legal_url": registry_licenses[lid].legal_url,
                "works": list(site.pages_by_license[lid]),
            }
            for lid in used
        ],
    }
    # Compact: the indenting encoder is pure Python and took a tenth of a rebuild on large
    # sites; `python -m json.tool credits.json` shows it indented.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return text.encode("utf-8")


def works_by(site: Site, key: str) -> tuple[list[View], list[View]]:
    """A contributor's works: (credited on the page itself, credited as maker of a source)."""
    direct, upstream = [], []
    for credit in site.credits_by_person.get(key, ()):
        if credit.edits:
            continue  # credited by the history alone: see edited_by()
        page = site.pages[credit.page]
        item = {
            "title": page.title,
            "url": site.page_urls[credit.page],
            "lang": page.lang,
            "roles": list(credit.roles),
        }
        if credit.via is None:
            direct.append(item)
        else:
            via = site.pages[credit.via]
            item["via"] = {"title": via.title, "url": site.page_urls[via.id]}
            upstream.append(item)

    def order(item: View) -> tuple[str, str]:
        return (item["title"].casefold(), item["url"])

    return sorted(direct, key=order), sorted(upstream, key=order)


def work_counts(site: Site, key: str) -> tuple[int, int, int]:
    """How many items :func:`works_by` (its two lists) and :func:`edited_by` list, without
    making them: the contributors page shows the counts of everyone."""
    direct = upstream = edits = 0
    for credit in site.credits_by_person.get(key, ()):
        if credit.edits:
            edits += 1
        elif credit.via is None:
            direct += 1
        else:
            upstream += 1
    return direct, upstream, edits


def edited_by(site: Site, key: str) -> list[View]:
    """The pages someone's commits changed without the frontmatter crediting them."""
    found = [
        {
            "title": site.pages[c.page].title,
            "url": site.page_urls[c.page],
            "lang": site.pages[c.page].lang,
            "commits": c.edits,
            "history_url": site.history_url(c.page),
        }
        for c in site.credits_by_person.get(key, ())
        if c.edits
    ]
    return sorted(found, key=lambda item: (item["title"].casefold(), item["url"]))


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
