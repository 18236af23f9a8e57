"""Credits in every form a reader or a machine needs them, from one model.

- credit views for templates, in CC's TASL order (title, author, source, licence, changes)
  for the page and every work up its chain;
- the plain-text attribution line a re-user copies;
- a plain-language summary of what a licence lets re-users do, written from its terms;
- schema.org JSON-LD per page and the site's ``credits.json`` (schema documented in
  docs/content/reference/credits-json.md).

Everything here is pure: model in, plain values out.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections.abc import Callable, Sequence
from typing import Any

from commonsgen import i18n, licenses, urls
from commonsgen.attribution import Upstream
from commonsgen.licenses import License
from commonsgen.model import Credit, Edge, Inclusion, Media, Page, PageId, WorkRef
from commonsgen.roles import MAKERS
from commonsgen.site import Site, license_url

Words = Callable[[str], str]
"""An interface string by key (``"by_word"`` -> "by"), in the language of the page the
credit is for: the theme's catalogue (``i18n/<lang>.yml``) answers."""

View = dict[str, Any]

CREDITS_JSON = "credits.json"
CREDITS_SCHEMA_VERSION = 2
"""2: ``translations``, each translation's status."""

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
        "is_cc": license_.is_cc,
        "in_spdx": license_.in_spdx,
        "is_reference": license_.is_reference,
        # An SPDX expression ("CC-BY-4.0 OR MIT"): templates link each part on its own.
        "operator": license_.operator,
        "parts": [license_view(part) for part in license_.parts],
        # CC's chooser says a CC0 or PDM work "is marked with" the tool, others are licensed.
        "verb": "is marked with" if terms.public_domain else "is licensed under",
    }


def license_summary(license_: License, words: Words) -> list[str]:
    """What re-users may and must do, in plain words (``words``: the page's language), from
    the licence's terms and version."""
    terms = license_.terms
    if license_.parts:
        return _expression_summary(license_, words)
    if license_.is_reference:
        return [
            i18n.fill(words("summary_reference"), {"name": license_.name}),
            words(
                "summary_reference_adaptations"
                if license_.adaptations
                else "summary_reference_no_adaptations"
            ),
        ]
    if license_.family == "PDM":
        # CC's PDM deed: the work "has been identified as being free of known restrictions
        # under copyright law"; the mark is a label, not a licence or a waiver.
        keys = ["summary_pdm", "summary_pdm_label", "summary_no_credit_required"]
        return [words(key) for key in keys]
    if terms.public_domain:
        return [words("summary_cc0"), words("summary_no_credit_required")]
    lines = [words("summary_share"), words(_adaptation_key(license_))]
    lines.append(words("summary_non_commercial" if terms.non_commercial else "summary_commercial"))
    if terms.attribution:
        lines.append(words("summary_attribution"))
    if terms.share_alike:
        targets = _sharealike_targets(license_, words)
        lines.append(i18n.fill(words("summary_share_alike"), {"licences": targets}))
    lines.append(words("summary_no_restrictions"))
    return lines


def _sharealike_targets(source: License, words: Words) -> str:
    """:func:`licenses.sharealike_targets` (or :func:`licenses.copyleft_targets`) in the
    page's language."""
    if not source.is_cc:
        return words("copyleft_fal" if source.family == "FAL" else "copyleft_gpl")
    elements = source.family.removeprefix("CC-")
    values = {"licence": source.short_name, "elements": elements, "version": source.version}
    if source.version not in licenses.SA_LATER_VERSION:
        key = "sa_itself"
    elif source.version == "3.0":
        key = "sa_ports_3"
    elif source.version == "4.0":
        key = "sa_later_4_compatible" if source.id == "CC-BY-SA-4.0" else "sa_later_4"
    else:
        key = "sa_later"
    return i18n.fill(words(key), values)


def _expression_summary(license_: License, words: Words) -> list[str]:
    names = [part.short_name for part in license_.parts]
    if license_.operator == "OR":
        joined = f" {words('or')} ".join(names)
        lines = [i18n.fill(words("summary_choose"), {"licences": joined})]
    else:
        lines = [i18n.fill(words("summary_all_apply"), {"licences": ", ".join(names)})]
    for part in license_.parts:
        summary = " ".join(license_summary(part, words))
        lines.append(
            i18n.fill(words("summary_under"), {"licence": part.short_name, "summary": summary})
        )
    return lines


def license_ld(license_: License) -> str | list[str]:
    """schema.org ``license``: the deed, or every part's deed for an SPDX expression."""
    if not license_.parts:
        return license_.deed_url
    return [deed for part in license_.parts for deed in _as_list(license_ld(part))]


def _deed_text(view: View) -> str:
    """The deed address(es) a copied credit gives: one for a licence, each for an expression."""
    return ", ".join(_as_list(_deeds(view)))


def _deeds(view: View) -> str | list[str]:
    if not view["parts"]:
        return view["deed_url"]
    return [deed for part in view["parts"] for deed in _as_list(_deeds(part))]


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _adaptation_key(license_: License) -> str:
    if not license_.terms.no_derivatives:
        return "summary_adapt"
    if license_.version == "4.0":
        # BY-ND 4.0 section 2(a)(1)(B): "produce and reproduce, but not Share, Adapted Material".
        return "summary_nd_4"
    # Before 4.0 the ND licences grant no right to make adaptations at all. BY-ND 3.0
    # section 3, last paragraph: "The above rights include the right to make such
    # modifications as are technically necessary to exercise the rights in other media and
    # formats, but otherwise you have no rights to make Adaptations."
    return "summary_nd"


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


def page_creators(site: Site, page: Page) -> list[Credit]:
    """Whom a page's credit names after "by": its own creators, or, for a translation whose
    frontmatter credits only its translators, the creators of the original it translates
    (following a translation of a translation). A translation is the original's work too:
    CC 3.0 §4(b) asks for a credit "identifying the use of the Work in the Adaptation
    (e.g., 'French translation of the Work by Original Author')"."""
    seen = {page.id}
    current = page
    while True:
        found = creators(current.contributors)
        edge = current.translation_of
        if found or edge is None or edge.page is None or edge.page in seen:
            return found
        original = site.pages.get(edge.page)
        if original is None:
            return found
        seen.add(original.id)
        current = original


def makers(credits: tuple[Credit, ...]) -> tuple[list[str], list[str]]:
    """(creators, translators) of a work, by name."""
    translators = [c.name for c in credits if "translator" in c.roles]
    return [c.name for c in creators(credits)], translators


def names(names: list[str], and_word: str = "and") -> str:
    """'A', 'A and B', 'A, B and C' (``and_word`` in the page's language)."""
    if len(names) <= 2:
        return f" {and_word} ".join(names)
    return ", ".join(names[:-1]) + f" {and_word} " + names[-1]


def _author_links(site: Site, step: Upstream) -> list[View]:
    """The makers of an upstream work as links: a page's people to their contributor
    pages (site URLs), an outside work's authors to its ``author_url`` (a web address)."""
    if step.page is not None:
        source = site.pages[step.page]
        return [
            {"name": c.name, "url": site.person_for(c).page_url, "external": False}
            for c in page_creators(site, source)
        ]
    assert step.work is not None
    url = step.work.author_url
    return [{"name": name, "url": url, "external": True} for name in step.work.authors]


def upstream_view(site: Site, step: Upstream) -> View:
    user = site.pages.get(step.used_by)
    copyright_ = None
    if step.page is not None:
        source = site.pages[step.page]
        authors = [c.name for c in page_creators(site, source)]
        translators = makers(source.contributors)[1]
        title, url, external = source.title, site.page_urls[step.page], False
    else:
        assert step.work is not None
        authors, translators = list(step.work.authors), []
        title, url, external = step.work.title, step.work.url, True
        copyright_ = step.work.copyright
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
        "author_links": _author_links(site, step),
        "translators": translators,
        "copyright": copyright_,
        "license": license_view(step.license),
        "changes": step.changes,
        "used_by": {"title": user.title, "url": site.page_urls[user.id]} if user else None,
    }


def attribution_parts(site: Site, page: Page, upstream: Sequence[View] | None = None) -> View:
    """What the copyable credit line says, as plain values: a page's view carries them,
    and :func:`attribution_line` words them in the page's language. ``upstream``: the
    :func:`upstream_view` of each of the page's upstream steps, when the caller has them."""
    authors = [c.name for c in page_creators(site, page)]
    translators = makers(page.contributors)[1]
    steps = site.attribution.upstream.get(page.id, ())
    if upstream is None:
        upstream = [upstream_view(site, step) for step in steps]
    return {
        "title": page.title,
        "authors": authors,
        "translators": translators,
        "permalink": _absolute_or_none(site, site.page_urls[page.id]),
        "license": license_view(site.attribution.license_of(page.id)),
        "code_license": license_view(site.attribution.code_license_of(page.id)),
        "except_noted": has_exceptions(site, page),
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
        text += f", {verb} {license_['short_name']} ({_deed_text(license_)})"
        text += f", {words('except_where_noted')}." if parts.get("except_noted") else "."
    else:
        text += "."
    code = parts.get("code_license")
    if code is not None:
        text += f" {words('code_licensed_under')} {code['short_name']} ({_deed_text(code)})."
    for step in parts["upstream"]:
        verb = words("is_" + step["verb_key"])
        text += f" {quoted(step['used_by_title'])} {verb} {quoted(step['title'])}"
        text += makers_text(step["authors"], step["translators"])
        if step["permalink"]:
            text += f", {step['permalink']}"
        if step["license"]:
            text += f", {step['license']['short_name']} ({_deed_text(step['license'])})"
        text += "."
        if step["changes"]:
            text += f" {words('changes')} {step['changes'].rstrip('.')}."
    return text


def shown_license(site: Site, item: Media | Inclusion) -> License | None:
    if isinstance(item, Media):
        return site.attribution.media_licenses.get(item)
    return site.attribution.work_licenses.get(item.work)


def is_exception(site: Site, page: Page, item: Media | Inclusion) -> bool:
    """Whether a medium or included work is under other terms than the page's text (or
    under none known): the page must then say its licence covers it "except where
    otherwise noted" and mark each such work. CC's "Considerations for licensors" on
    every 4.0 legal code: "Licensors should clearly mark any material not subject to the
    license. This includes other CC-licensed material"."""
    own = site.attribution.license_of(page.id)
    found = shown_license(site, item)
    return own is None or found is None or found.id != own.id


def has_exceptions(site: Site, page: Page) -> bool:
    return any(is_exception(site, page, item) for item in (*page.media, *page.includes))


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
    entry = site.registry.get(person.registry_id) if person.registry_id else None
    if entry is not None and entry.affiliation:
        data["affiliation"] = [{"@type": "Organization", "name": n} for n in entry.affiliation]
    return data


def _outside_ld(site: Site, work: WorkRef) -> dict[str, Any]:
    """An outside work (a source or an included work) with its own credit."""
    data: dict[str, Any] = {"@type": "CreativeWork", "name": work.title}
    if work.url:
        data["url"] = work.url
    found = site.attribution.work_licenses.get(work)
    if found is not None:
        data["license"] = license_ld(found)
    if work.authors:
        people = []
        for name in work.authors:
            person: dict[str, Any] = {"@type": "Person", "name": name}
            if work.author_url:
                person["url"] = work.author_url
            people.append(person)
        data["author"] = people
    if work.copyright:
        data["copyrightNotice"] = work.copyright
    return data


MAX_LD_DEPTH = 64
"""How deep works are nested; a chain is acyclic (a cycle stops the build), this only
keeps a pathological one from exhausting the stack."""


def _page_work_ld(site: Site, page: Page, described: set[PageId], depth: int) -> dict[str, Any]:
    """A page of the site as a source: its own makers, licence and sources, nested. A page
    two works of the chain build on is described once, and named by ``@id`` after that:
    the metadata grows with the number of works, never with the number of paths."""
    link = _absolute_or_none(site, site.page_urls.get(page.id))
    if page.id in described:
        return {"@id": link} if link else {"@type": "CreativeWork", "name": page.title}
    described.add(page.id)
    data: dict[str, Any] = {"@type": "CreativeWork", "name": page.title}
    if link:
        data["@id"] = link
        data["url"] = link
    found = site.attribution.license_of(page.id)
    if found is not None:
        data["license"] = license_ld(found)
    authors = page_creators(site, page)
    if authors:
        data["author"] = [_person_ld(site, c) for c in authors]
    translators = [c for c in page.contributors if "translator" in c.roles]
    if translators:
        data["translator"] = [_person_ld(site, c) for c in translators]
    if depth < MAX_LD_DEPTH:
        data.update(_sources_ld(site, page, described, depth + 1))
    return data


def _sources_ld(site: Site, page: Page, described: set[PageId], depth: int = 1) -> dict[str, Any]:
    """``isBasedOn`` (what the page adapts) and ``translationOfWork`` (what it
    translates), each source with its own sources in turn, up the whole chain: the
    original's licence and credit keep applying to the material once adapted.
    ``described``: the pages whose description the metadata already holds."""

    def one(edge: Edge) -> dict[str, Any] | None:
        if edge.work is not None:
            return _outside_ld(site, edge.work)
        source = site.pages.get(edge.page) if edge.page is not None else None
        return _page_work_ld(site, source, described, depth) if source is not None else None

    data: dict[str, Any] = {}
    based_on = [found for edge in page.derived_from if (found := one(edge)) is not None]
    if based_on:
        data["isBasedOn"] = based_on
    if page.translation_of is not None:
        translated = one(page.translation_of)
        if translated is not None:
            # with the version of the original it follows (its translation status)
            data["translationOfWork"] = {**translated, **_followed_ld(site, page.id)}
    return data


IMAGE_EXTENSIONS = frozenset({".avif", ".gif", ".jpeg", ".jpg", ".png", ".svg", ".webp"})


def _media_ld(site: Site, page: Page, item: Media) -> dict[str, Any]:
    """A medium with its own licence and credit, as Google's image licence metadata reads
    it (``contentUrl`` with ``license``, ``creditText``, ``copyrightNotice``, ``creator``)."""
    target = urls.resolve_content_path(page.id, item.file)
    image = posixpath.splitext(item.file)[1].lower() in IMAGE_EXTENSIONS
    data: dict[str, Any] = {"@type": "ImageObject" if image else "MediaObject"}
    file_url = site.url_of_file(target) if target is not None else None
    link = _absolute_or_none(site, file_url)
    if link:
        data["contentUrl"] = link
    data["name"] = item.title or posixpath.basename(item.file)
    found = site.attribution.media_licenses.get(item)
    if found is not None:
        data["license"] = license_ld(found)
    if item.author:
        person: dict[str, Any] = {"@type": "Person", "name": item.author}
        if item.author_url:
            person["url"] = item.author_url
        data["creator"] = person
        data["creditText"] = item.author
    if item.copyright:
        data["copyrightNotice"] = item.copyright
    if item.source:
        # Where the original is: an adapted medium is based on it, an unchanged one is it.
        data["isBasedOn" if item.changes else "sameAs"] = item.source
    return data


def _followed_ld(site: Site, page_id: PageId) -> dict[str, Any]:
    """The version of the original the translation follows, and that version's date."""
    status = site.translation_status.get(page_id)
    if status is None:
        return {}
    found: dict[str, Any] = {}
    if status.followed is not None:
        found["version"] = status.followed
    else:
        page = site.pages[page_id]
        pin = page.translation_of.pin if page.translation_of else None
        if pin is not None and pin.content_hash is not None:
            found["version"] = pin.content_hash  # the text it follows, without git
    if status.followed_date is not None:
        found["dateModified"] = status.followed_date.isoformat()
    return found


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


def jsonld(site: Site, page: Page) -> str:
    """schema.org metadata for the page, safe to embed in a ``<script>`` element: the page,
    every work up its chain (nested, each with its own makers and licence), its media and
    the works it includes."""
    license_ = site.attribution.license_of(page.id)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "name": page.title,
        "headline": page.title,
        "inLanguage": page.lang,
        "isPartOf": {"@type": "WebSite", "name": site.config.title_in(page.lang)},
    }
    url = _absolute_or_none(site, site.page_urls[page.id])
    if url:
        data["url"] = url
        data["isPartOf"]["url"] = site.config.base_url
    if license_ is not None:
        data["license"] = license_ld(license_)
    authors = page_creators(site, page)
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
    data.update(_sources_ld(site, page, {page.id}))
    media = [_media_ld(site, page, item) for item in page.media]
    images = [m for m in media if m["@type"] == "ImageObject"]
    if images:
        data["image"] = images
    others = [m for m in media if m["@type"] != "ImageObject"]
    if others:
        data["associatedMedia"] = others
    parts = [_outside_ld(site, inclusion.work) for inclusion in page.includes]
    # Shown unchanged: parts of the page, not sources of it (a collection, CC 3.0 §1(b)).
    code_license = site.attribution.code_license_of(page.id)
    if code_license is not None:
        # The code blocks, a part under their own licence (MyST's content/code split).
        parts.append(
            {"@type": "SoftwareSourceCode", "name": "Code", "license": license_ld(code_license)}
        )
    if parts:
        data["hasPart"] = parts
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # JSON inside <script> is not HTML-decoded; only '<' could end the element early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def credits_json(site: Site, *, translations: list[View] | None = None) -> bytes:
    """Every published work with its contributors, roles, licence and sources; and each
    translation's status (``translations``, made by :mod:`commonsgen.outputs.status`)."""
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
                        **_outside_json(edge.work, work_license),
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
                    "author_url": item.author_url,
                    "copyright": item.copyright,
                    "source": item.source,
                    "license": item_license.id if item_license else None,
                    "changes": item.changes,
                }
            )
        includes = [
            _outside_json(i.work, site.attribution.work_licenses.get(i.work)) for i in page.includes
        ]
        works.append(
            {
                "id": page_id,
                "title": page.title,
                "url": site.page_urls[page_id],
                "lang": page.lang,
                "license": license_.id if license_ else None,
                "code_license": code.id
                if (code := site.attribution.code_license_of(page_id))
                else None,
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
                "includes": includes,
            }
        )
    data = {
        "schema": "commonsgen-credits",
        "version": CREDITS_SCHEMA_VERSION,
        "site": {
            "title": site.config.title,
            "base_url": site.config.base_url,
            "default_license": site.config.default_license,
            "default_code_license": site.config.default_code_license,
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
                "name": lic.name,
                "url": lic.deed_url,
                "legal_url": lic.legal_url,
                "works": list(site.pages_by_license.get(lid, ())),
                "code_of": [
                    pid
                    for pid in site.pages
                    if (code := site.attribution.code_license_of(pid)) is not None
                    and code.id == lid
                ],
                "other_works": [
                    {
                        "page": w.page,
                        "kind": w.kind,
                        "title": w.title,
                        "url": w.url if w.external or w.url is None else site.url_of_file(w.url),
                    }
                    for w in site.works_by_license.get(lid, ())
                ],
            }
            for lid, lic in site.licenses_used.items()
        ],
        "translations": translations or [],
    }
    # Compact: the indenting encoder is pure Python and took a tenth of a rebuild on large
    # sites; `python -m json.tool credits.json` shows it indented.
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    return text.encode("utf-8")


def _outside_json(work: WorkRef, license_: License | None) -> dict[str, Any]:
    return {
        "title": work.title,
        "authors": list(work.authors),
        "author_url": work.author_url,
        "copyright": work.copyright,
        "url": work.url,
        "license": license_.id if license_ else None,
    }


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
