"""Frontmatter values -> a typed, immutable :class:`~commonsgen.model.Page`.

One small function per field. Each reports its problems at the file position of the
offending key and returns a usable value where it can, so that one run reports every
mistake of a page. A page with an error is still returned (so that later stages can check
what is checkable); the build stops before rendering because the report has errors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from commonsgen import roles as roles_table
from commonsgen import urls
from commonsgen.adopt.pages import file_title, first_heading, person_name, split_names
from commonsgen.adopt.profile import Profile
from commonsgen.content.contributors import name_key
from commonsgen.content.frontmatter import RawPage
from commonsgen.diagnostics import Pos, Report, suggestion
from commonsgen.model import (
    ROLES,
    Contributor,
    Credit,
    Edge,
    Inclusion,
    Media,
    Page,
    PageId,
    Pin,
    WorkRef,
)
from commonsgen.yamlsource import KeyPath, YamlDoc

KNOWN_FIELDS = (
    "title",
    "summary",
    "contributors",
    "license",
    "date",
    "updated",
    "tags",
    "lang",
    "weight",
    "slug",
    "template",
    "draft",
    "derived_from",
    "translation_of",
    "media",
    "includes",
)

SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class PageContext:
    """What parsing a page needs to know about the site."""

    registry: Mapping[str, Contributor]
    default_language: str
    languages: tuple[str, ...]
    """Configured language codes; empty means any valid code is accepted."""
    default_license: str | None
    contributors_file: str
    """Site-relative name of the registry, for hints."""
    profile: Profile | None = None
    """An adopted repository's conventions; None: commonsgen's own frontmatter."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Case-folded full name -> registry id: adopted pages credit people by name."""
    site_credits: tuple[Credit, ...] = ()
    """Credited on every page that credits no one (a profile's ``credit:``)."""
    site_title: str = ""
    default_code_license: str | None = None
    """The site default's ``code`` licence, for pages without a ``license`` of their own."""
    registry_unread: bool = False
    """The registry is there but could not be read (its own error says why): an id no
    entry has is not reported as well, so one mistake gives one error."""


class _Fields:
    """Reads one page's values and reports at the right place; one instance per page."""

    def __init__(self, raw: RawPage, report: Report) -> None:
        self.path = raw.source.site_path
        self.doc: YamlDoc = raw.doc if raw.doc is not None else YamlDoc({}, {}, {})
        self.report = report

    def error(self, key_path: KeyPath, code: str, message: str, hint: str | None = None) -> None:
        pos = self.doc.pos(key_path)
        self.report.error(self.path, pos.line, pos.column, code, message, hint)

    def warning(self, key_path: KeyPath, code: str, message: str, hint: str | None = None) -> None:
        pos = self.doc.pos(key_path)
        self.report.warning(self.path, pos.line, pos.column, code, message, hint)

    def text(self, key_path: KeyPath, value: Any, *, what: str) -> str | None:
        """A non-empty string; numbers and dates are accepted as their text."""
        if isinstance(value, str):
            if value.strip():
                return value.strip()
            self.error(
                key_path, "empty-value", f"{what} is empty", f"write the {what} or remove the line"
            )
            return None
        if isinstance(value, int | float | dt.date) and not isinstance(value, bool):
            return str(value)
        self.error(
            key_path,
            "wrong-type",
            f"{what} must be text, got {describe(value)}",
            "write it on one line after the colon, in quotes if it contains ': '",
        )
        return None

    def web_link(self, key_path: KeyPath, value: Any, *, what: str) -> str | None:
        """A web address (``http``/``https``); anything else is a ``bad-url`` error, which
        a site cannot lower: a ``javascript:`` link in a credit runs in readers' browsers."""
        text = self.text(key_path, value, what=what)
        if text is None:
            return None
        link = urls.web_link(text)
        if link is None:
            self.error(key_path, "bad-url", bad_url_message(what, text), BAD_URL_HINT)
        return link


def _check_doi(f: _Fields, value: Any) -> None:
    """A ``doi`` (which citations and themes link through https://doi.org/) must be one."""
    text = f.text(("doi",), value, what="doi")
    if text is not None and urls.doi_name(text) is None:
        f.error(
            ("doi",),
            "bad-doi",
            f"doi must be a DOI such as 10.5281/zenodo.1003150, got '{text}'",
            "write the DOI name (10.NNNN/...) or its https://doi.org/ address",
        )


BAD_URL_HINT = "write the whole web address, starting with https:// (or http://)"


def bad_url_message(what: str, text: str) -> str:
    return f"{what} must be a web address (https://...), got '{text}'"


def describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"'{value}'"


def parse_page(raw: RawPage, ctx: PageContext, report: Report) -> Page | None:
    """Build the page model; None only when the page has no usable title."""
    f = _Fields(raw, report)
    data = f.doc.value
    if data is None:
        data = {}
    if not isinstance(data, dict):
        f.error(
            (),
            "frontmatter-not-mapping",
            f"the frontmatter must be a list of 'key: value' lines, got {describe(data)}",
            "write it as\n---\ntitle: My page\n---",
        )
        return None

    profile = ctx.profile
    consumed: frozenset[str] = frozenset()
    if profile is not None:
        data, f.doc, displaced = _adopted(data, f.doc, profile)
        consumed = profile.consumed() | displaced
    positions = {key: f.doc.pos((key,)) for key in data if isinstance(key, str)}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key == "published" and isinstance(value, bool):
            continue  # Jekyll's switch, read as draft's inverse below
        if key in KNOWN_FIELDS or key in consumed:
            if key not in KNOWN_FIELDS:
                extra[str(key)] = value
            continue
        close = suggestion(str(key), KNOWN_FIELDS)
        if close:
            f.warning((key,), "unknown-field", f"unknown field '{key}'", close)
        extra[str(key)] = value

    title = _adopted_title(f, data, raw, ctx) if profile else _title(f, data, raw)
    if title is None:
        return None
    page_id = PageId(raw.source.rel_path)
    lang = _lang(f, data, page_id, ctx)
    license_, code_license = _license(f, data, ctx)
    if "doi" in data and "doi" in extra:
        _check_doi(f, data["doi"])

    if profile is not None and "contributors" in profile.roles:
        credits: tuple[Credit, ...] = ()
    else:
        credits = _contributors(f, data.get("contributors"), ctx)
    if profile is not None:
        credits = _role_credits(f, data, ctx, credits) or ctx.site_credits
    # Only when none are written: entries that were wrong already have their own errors.
    if not credits and not data.get("contributors"):
        f.warning(
            ("contributors",) if "contributors" in data else ("title",),
            "no-contributors",
            "the page credits no one: a reader cannot tell who made it",
            "add 'contributors: [your-id]' (ids from "
            f"{ctx.contributors_file}, or '- name: Full Name')",
        )
    return Page(
        id=page_id,
        source=raw.source,
        title=title,
        body=raw.body,
        body_line=raw.body_line,
        lang=lang,
        contributors=credits,
        license=license_,
        code_license=code_license,
        date=_date(f, data, "date"),
        updated=_date(f, data, "updated"),
        tags=_tags(f, data.get("tags")),
        summary=f.text(("summary",), data["summary"], what="summary")
        if "summary" in data
        else None,
        weight=_int(f, data, "weight"),
        slug=_slug(f, data, page_id),
        template=_template(f, data),
        draft=_bool(f, data, "draft") or data.get("published") is False,
        derived_from=_derived_from(f, data.get("derived_from"), page_id),
        translation_of=_translation_of(f, data, page_id),
        media=_media(f, data.get("media")),
        includes=_includes(f, data.get("includes")),
        extra=extra,
        positions=positions,
    )


def _license(f: _Fields, data: dict[str, Any], ctx: PageContext) -> tuple[str | None, str | None]:
    """The page's licence and its code's, as written: an SPDX id or expression, or MyST's
    ``{content: CC-BY-4.0, code: MIT}``; without a ``license`` line, the site default's."""
    if "license" not in data:
        return ctx.default_license, ctx.default_code_license
    value = data["license"]
    if not isinstance(value, dict):
        return f.text(("license",), value, what="license"), None
    unknown = sorted(str(key) for key in value if key not in ("content", "code"))
    if unknown or "content" not in value:
        f.error(
            ("license",),
            "wrong-type",
            f"unknown key '{unknown[0]}' in license" if unknown else "license has no 'content'",
            "write 'license: {content: CC-BY-4.0, code: MIT}' (the prose's licence and the "
            "code's) or a single SPDX id",
        )
        return None, None
    content = f.text(("license", "content"), value["content"], what="license content")
    code = (
        f.text(("license", "code"), value["code"], what="code licence") if "code" in value else None
    )
    return content, code


def _title(f: _Fields, data: dict[str, Any], raw: RawPage) -> str | None:
    if "title" not in data:
        hint = "add a line 'title: ...' to the frontmatter"
        if raw.doc is None:
            hint = "start the file with a frontmatter block:\n---\ntitle: My page\n---"
        f.error((), "missing-title", "the page has no title", hint)
        return None
    return f.text(("title",), data["title"], what="title")


def _lang(f: _Fields, data: dict[str, Any], page_id: PageId, ctx: PageContext) -> str:
    first = page_id.split("/", 1)[0]
    from_path = first if "/" in page_id and first in ctx.languages else ctx.default_language
    profile = ctx.profile
    if profile is not None:
        if profile.untranslated and data.get(profile.untranslated) is True:
            # A copy of the original kept until someone translates it: it is in the
            # original's language, and no translation of it.
            return ctx.default_language
        from_path = profile.language_of_path(page_id) or from_path
    if "lang" not in data:
        return from_path
    value = data["lang"]
    if not isinstance(value, str) or not _LANG_RE.match(value):
        f.error(
            ("lang",),
            "bad-language",
            f"lang must be a language code such as 'en' or 'de', got {describe(value)}",
        )
        return from_path
    if ctx.languages and value not in ctx.languages:
        f.error(
            ("lang",),
            "unknown-language",
            f"language '{value}' is not one of the site's languages ({', '.join(ctx.languages)})",
            suggestion(value, ctx.languages) or "add it under 'languages' in commonsgen.yml",
        )
    return value


def _date(f: _Fields, data: dict[str, Any], key: str) -> dt.date | None:
    if key not in data:
        return None
    value = data[key]
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    f.error(
        (key,),
        "bad-date",
        f"{key} must be a date written as YYYY-MM-DD, got {describe(value)}",
        "for example: 2026-03-01",
    )
    return None


def _int(f: _Fields, data: dict[str, Any], key: str) -> int:
    value = data.get(key, 0)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    f.error((key,), "wrong-type", f"{key} must be a whole number, got {describe(value)}")
    return 0


def _bool(f: _Fields, data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if isinstance(value, bool):
        return value
    f.error((key,), "wrong-type", f"{key} must be true or false, got {describe(value)}")
    return False


def _slug(f: _Fields, data: dict[str, Any], page_id: PageId) -> str | None:
    if "slug" not in data:
        return None
    value = data["slug"]
    if not isinstance(value, str) or not SLUG_RE.match(value) or value in {".", ".."}:
        f.error(
            ("slug",),
            "bad-slug",
            f"slug must be one URL segment of letters, digits, '-', '_' and '.', "
            f"got {describe(value)}",
            "for example: slug: river-temperature",
        )
        return None
    if page_id.endswith("index.md"):
        f.warning(
            ("slug",),
            "slug-on-index",
            "slug is ignored on index pages: their URL is their folder's",
            "rename the folder to change the URL",
        )
        return None
    return value


def _template(f: _Fields, data: dict[str, Any]) -> str | None:
    if "template" not in data:
        return None
    value = data["template"]
    if (
        isinstance(value, str)
        and re.match(r"^[A-Za-z0-9_-][A-Za-z0-9_./-]*\.html$", value)
        and ".." not in value.split("/")
    ):
        return value
    f.error(
        ("template",),
        "bad-template",
        f"template must name a template file such as 'wide.html', got {describe(value)}",
    )
    return None


def _tags(f: _Fields, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        f.error(
            ("tags",),
            "wrong-type",
            f"tags must be a list, got {describe(value)}",
            "tags: [water, sensors]",
        )
        return ()
    tags: list[str] = []
    for index, item in enumerate(value):
        text = f.text(("tags", index), item, what="a tag")
        if text is not None and text not in tags:
            tags.append(text)
    return tuple(tags)


def _contributors(f: _Fields, value: Any, ctx: PageContext) -> tuple[Credit, ...]:
    if value is None:
        return ()
    if isinstance(value, str | dict):
        value = [value]
    if not isinstance(value, list):
        f.error(
            ("contributors",),
            "wrong-type",
            f"contributors must be a list, got {describe(value)}",
            "contributors:\n  - ada\n  - name: Sam Okafor",
        )
        return ()
    credits: list[Credit] = []
    for index, item in enumerate(value):
        credit = _credit(f, ("contributors", index), item, ctx)
        if credit is not None:
            credits.append(credit)
    return tuple(credits)


def _credit(f: _Fields, at: KeyPath, item: Any, ctx: PageContext) -> Credit | None:
    pos = f.doc.pos(at)
    if isinstance(item, str):
        # On an adopted site a list item is a name as another generator wrote it.
        written = person_name(item) if ctx.profile is not None else item.strip()
        return _registry_credit(f, at, written, ("author",), ctx, pos)
    if not isinstance(item, dict):
        f.error(at, "wrong-type", f"a contributor must be an id or a mapping, got {describe(item)}")
        return None
    for key in item:
        if key not in ("id", "name", "roles", "role", "url"):
            f.warning(
                (*at, key),
                "unknown-field",
                f"unknown contributor field '{key}'",
                suggestion(str(key), ("id", "name", "roles", "url"))
                or "a contributor has id or name, roles and (inline people) url",
            )
    roles = _roles(f, at, item)
    if "id" in item:
        text = f.text((*at, "id"), item["id"], what="contributor id")
        if text is None:
            return None
        return _registry_credit(f, (*at, "id"), text, roles, ctx, pos)
    if "name" in item:
        name = f.text((*at, "name"), item["name"], what="contributor name")
        if name is None:
            return None
        name = person_name(name)  # "Zo&#235;" is Zoë: entities decoded, once
        url = item.get("url")
        if url is not None:
            url = f.web_link((*at, "url"), url, what="url")
        return Credit(name=name, roles=roles, contributor_id=None, url=url, pos=pos)
    f.error(
        at,
        "contributor-without-name",
        "a contributor needs an 'id' from the registry or a 'name'",
        "write '- id: ada' for someone in the registry or '- name: Sam Okafor' for someone else",
    )
    return None


def _registry_credit(
    f: _Fields,
    at: KeyPath,
    cid: str,
    roles: tuple[str, ...],
    ctx: PageContext,
    pos: Pos,
) -> Credit | None:
    person = ctx.registry.get(cid) or ctx.registry.get(ctx.names.get(name_key(cid), ""))
    if person is not None:
        return Credit(name=person.name, roles=roles, contributor_id=person.id, pos=pos)
    if ctx.profile is not None:
        return _unknown_person(f, at, cid, roles, ctx, pos)
    if ctx.registry_unread:
        return Credit(name=cid, roles=roles, contributor_id=None, pos=pos)
    close = suggestion(cid, ctx.registry)
    if not ctx.registry:
        hint = f"there is no {ctx.contributors_file}; create it with an entry for '{cid}'"
    elif close:
        hint = close
    else:
        hint = f"add '{cid}' to {ctx.contributors_file}"
    if " " in cid:
        hint += f", or credit someone who is not in the registry with: - name: {cid}"
    f.error(at, "unknown-contributor", f"unknown contributor '{cid}'", hint)
    return None


def _roles(f: _Fields, at: KeyPath, item: dict[str, Any]) -> tuple[str, ...]:
    key = "roles" if "roles" in item else "role"
    value = item.get(key, ["author"])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        f.error(
            (*at, key),
            "wrong-type",
            f"roles must be a list such as [author, translator], got {describe(value)}",
        )
        return ("author",)
    roles: list[str] = []
    for index, role in enumerate(value):
        text = f.text((*at, key, index), role, what="a role")
        if text is None:
            continue
        text = roles_table.normalise(text) if roles_table.normalise(text) in ROLES else text.lower()
        if text not in ROLES:
            f.warning(
                (*at, key, index),
                "unknown-role",
                f"unknown role '{text}'",
                suggestion(text, ROLES) or "known roles: " + ", ".join(ROLES),
            )
        if text not in roles:
            roles.append(text)
    return tuple(roles) or ("author",)


def _page_edge(
    f: _Fields, at: KeyPath, kind: str, written: Any, changes: str | None, page_id: PageId
) -> Edge | None:
    text = f.text(at, written, what="page")
    if text is None:
        return None
    resolved = urls.resolve_content_path(page_id, text)
    if resolved is None or not resolved.endswith(".md"):
        f.error(
            at,
            "bad-page-path",
            f"'{text}' is not a page of this site",
            "give the path of a .md file relative to this page, e.g. ../sensors/probe.md",
        )
        return None
    target = PageId(resolved)
    if target == page_id:
        f.error(
            at,
            "self-source",
            f"the page names itself as its source ('{text}')",
            "remove this entry",
        )
        return None
    return Edge(kind=kind, page=target, work=None, written=text, changes=changes, pos=f.doc.pos(at))  # type: ignore[arg-type]


def _derived_from(f: _Fields, value: Any, page_id: PageId) -> tuple[Edge, ...]:
    if value is None:
        return ()
    if isinstance(value, str | dict):
        value = [value]
    if not isinstance(value, list):
        f.error(
            ("derived_from",), "wrong-type", f"derived_from must be a list, got {describe(value)}"
        )
        return ()
    edges: list[Edge] = []
    for index, item in enumerate(value):
        at: KeyPath = ("derived_from", index)
        edge = _source(f, at, item, page_id)
        if edge is not None:
            edges.append(edge)
    return tuple(edges)


_WORK_KEYS = ("title", "author", "authors", "author_url", "url", "license", "copyright", "changes")


def _source(f: _Fields, at: KeyPath, item: Any, page_id: PageId) -> Edge | None:
    if isinstance(item, str):
        return _page_edge(f, at, "derived_from", item, None, page_id)
    if not isinstance(item, dict):
        f.error(at, "wrong-type", f"a source must be a mapping, got {describe(item)}")
        return None
    changes = (
        f.text((*at, "changes"), item["changes"], what="changes") if "changes" in item else None
    )
    if "page" in item:
        for key in item:
            if key not in ("page", "changes"):
                f.warning(
                    (*at, key),
                    "unknown-field",
                    f"'{key}' is ignored on a page source",
                    "a page of this site has 'page' and 'changes'; its credits come from that page",
                )
        return _page_edge(f, (*at, "page"), "derived_from", item["page"], changes, page_id)
    if "title" not in item:
        f.error(
            at,
            "source-without-title",
            "a source needs 'page' (a page of this site) or 'title' (an outside work)",
            "for an outside work write title, author, url, license and changes",
        )
        return None
    work = _outside_work(f, at, item, _WORK_KEYS, what="source")
    if work is None:
        return None
    return Edge(
        kind="derived_from",
        page=None,
        work=work,
        written=work.title,
        changes=changes,
        pos=f.doc.pos(at),
    )


def _outside_work(
    f: _Fields, at: KeyPath, item: dict[str, Any], keys: tuple[str, ...], *, what: str
) -> WorkRef | None:
    """An outside work's credit (``title``, ``author``/``authors``, ``author_url``, ``url``,
    ``license``, ``copyright``); every link is a web address or an error."""
    for key in item:
        if key not in keys:
            f.warning(
                (*at, key),
                "unknown-field",
                f"unknown {what} field '{key}'",
                suggestion(str(key), (*keys, "page") if what == "source" else keys),
            )
    title = f.text((*at, "title"), item["title"], what="title")
    if title is None:
        return None
    authors = _names(f, at, item)
    url = item.get("url")
    if url is not None:
        url = f.web_link((*at, "url"), url, what="url")
    else:
        f.warning(
            at,
            "source-without-url",
            f"the outside {what} '{title}' has no url: readers cannot find the original",
            "add 'url: https://...' where the work is published",
        )
    author_url = item.get("author_url")
    if author_url is not None:
        author_url = f.web_link((*at, "author_url"), author_url, what="author_url")

    def opt(key: str) -> str | None:
        return f.text((*at, key), item[key], what=key) if key in item else None

    return WorkRef(
        title=title,
        authors=authors,
        url=url,
        license=opt("license"),
        author_url=author_url,
        copyright=opt("copyright"),
    )


_INCLUDE_KEYS = ("title", "author", "authors", "author_url", "url", "license", "copyright")


def _includes(f: _Fields, value: Any) -> tuple[Inclusion, ...]:
    """Outside works shown unchanged on the page: credited like a source, never adapted."""
    if value is None:
        return ()
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        f.error(("includes",), "wrong-type", f"includes must be a list, got {describe(value)}")
        return ()
    found: list[Inclusion] = []
    for index, item in enumerate(value):
        at: KeyPath = ("includes", index)
        if not isinstance(item, dict) or "title" not in item:
            f.error(
                at,
                "include-without-title",
                "an included work needs 'title' (with author, url, license or copyright)",
                "includes lists outside works shown unchanged; "
                "pages of this site you adapt go under derived_from",
            )
            continue
        if "changes" in item:
            f.error(
                (*at, "changes"),
                "changed-include",
                "an included work is shown unchanged, so it has no 'changes'",
                "if you changed it, it is an adaptation: move the entry to derived_from",
            )
        work = _outside_work(f, at, item, (*_INCLUDE_KEYS, "changes"), what="included work")
        if work is not None:
            found.append(Inclusion(work=work, pos=f.doc.pos(at)))
    return tuple(found)


def _names(f: _Fields, at: KeyPath, item: dict[str, Any]) -> tuple[str, ...]:
    key = "authors" if "authors" in item else "author"
    value = item.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        f.error(
            (*at, key),
            "wrong-type",
            f"{key} must be a name or a list of names, got {describe(value)}",
        )
        return ()
    names = [f.text((*at, key, i), name, what="an author") for i, name in enumerate(value)]
    return tuple(n for n in names if n)


_TRANSLATION_KEYS = ("page", "changes", "revision", "hash")
_REVISION_RE = re.compile(r"^[0-9a-f]{7,64}$")
_HASH_RE = re.compile(r"^sha256:[0-9a-f]{12,64}$")


def _translation_of(f: _Fields, data: dict[str, Any], page_id: PageId) -> Edge | None:
    if "translation_of" not in data:
        return None
    value = data["translation_of"]
    if not isinstance(value, dict):
        return _page_edge(f, ("translation_of",), "translation_of", value, None, page_id)
    for key in value:
        if key not in _TRANSLATION_KEYS:
            f.warning(
                ("translation_of", key),
                "unknown-field",
                f"unknown translation_of field '{key}'",
                suggestion(str(key), _TRANSLATION_KEYS)
                or "known fields: " + ", ".join(_TRANSLATION_KEYS),
            )
    changes = (
        f.text(("translation_of", "changes"), value["changes"], what="changes")
        if "changes" in value
        else None
    )
    if "page" not in value:
        f.error(
            ("translation_of",),
            "bad-page-path",
            "translation_of needs 'page': the page this one translates",
        )
        return None
    edge = _page_edge(
        f, ("translation_of", "page"), "translation_of", value["page"], changes, page_id
    )
    pin = _pin(f, value)
    return replace(edge, pin=pin) if edge is not None and pin is not None else edge


def _pin(f: _Fields, value: dict[str, Any]) -> Pin | None:
    """``revision`` and ``hash``: the version of the original the translation follows."""
    revision = content_hash = None
    if "revision" in value:
        at: KeyPath = ("translation_of", "revision")
        # YAML reads an all-digit sha as a number: its text is still the sha.
        text = f.text(at, value["revision"], what="revision")
        if text is not None and _REVISION_RE.match(text.lower()):
            revision = text.lower()
        elif text is not None:
            f.error(
                at,
                "bad-pin",
                f"revision '{text}' is not a git commit id",
                "write the commit's id (at least 7 hex digits), or run "
                "'commonsgen translations pin' on this page",
            )
    if "hash" in value:
        at = ("translation_of", "hash")
        text = f.text(at, value["hash"], what="hash")
        if text is not None and _HASH_RE.match(text.lower()):
            content_hash = text.lower()
        elif text is not None:
            f.error(
                at,
                "bad-pin",
                f"hash '{text}' is not a content hash",
                "write 'sha256:' and at least 12 hex digits, as 'commonsgen translations "
                "pin --hash' writes it",
            )
    if revision is None and content_hash is None:
        return None
    key = "revision" if revision is not None else "hash"
    return Pin(revision, content_hash, f.doc.pos(("translation_of", key)))


_MEDIA_KEYS = (
    "file",
    "title",
    "author",
    "author_url",
    "source",
    "license",
    "changes",
    "copyright",
)


def _media(f: _Fields, value: Any) -> tuple[Media, ...]:
    if value is None:
        return ()
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        f.error(("media",), "wrong-type", f"media must be a list, got {describe(value)}")
        return ()
    items: list[Media] = []
    for index, item in enumerate(value):
        at: KeyPath = ("media", index)
        if not isinstance(item, dict):
            f.error(
                at,
                "wrong-type",
                f"a media entry must be a mapping with 'file', got {describe(item)}",
            )
            continue
        for key in item:
            if key not in _MEDIA_KEYS:
                f.warning(
                    (*at, key),
                    "unknown-field",
                    f"unknown media field '{key}'",
                    suggestion(str(key), _MEDIA_KEYS),
                )
        if "file" not in item:
            f.error(
                at,
                "media-without-file",
                "a media entry needs 'file': the image or document it credits",
            )
            continue
        file = f.text((*at, "file"), item["file"], what="file")
        if file is None:
            continue

        def opt(key: str, at: KeyPath = at, item: dict[str, Any] = item) -> str | None:
            return f.text((*at, key), item[key], what=key) if key in item else None

        links = {
            key: f.web_link((*at, key), item[key], what=key)
            for key in ("source", "author_url")
            if item.get(key) is not None
        }
        if "license" not in item:
            # An error by default: without a licence nobody may reuse the medium, and the
            # page would offer it under the page's licence. A site whose media are all its
            # own may lower it (checks: media-without-license: warning).
            f.error(
                at,
                "media-without-license",
                f"'{file}' names no licence: a re-user cannot tell whether they may reuse it",
                "add 'license: CC-BY-4.0' (or another SPDX id), with 'author' and 'source'",
            )

        items.append(
            Media(
                file=file,
                title=opt("title"),
                author=opt("author"),
                source=links.get("source"),
                license=opt("license"),
                pos=f.doc.pos(at),
                changes=opt("changes"),
                author_url=links.get("author_url"),
                copyright=opt("copyright"),
            )
        )
    return tuple(items)


# Adopted repositories (a ``profile:``): their fields, read leniently -------------------


ORIGINAL_PREFIX = "original_"
"""A page's own value of a field the profile fills from another one is kept under this
prefix: ``original_date`` is the original's date on a translation dated by its own."""


def _adopted(
    data: dict[str, Any], doc: YamlDoc, profile: Profile
) -> tuple[dict[str, Any], YamlDoc, frozenset[str]]:
    """The page's values as commonsgen's fields: a null is no value, and a field the
    profile reads as one of ours (``translation_date: date``) takes that name. The
    profile's mapping wins over the page's own field of that name, which is kept as
    ``original_<name>`` (returned too: no "unknown field" for it). Positions move along,
    so messages point at what was written."""
    renamed: dict[str, str] = {}
    values: dict[str, Any] = {}
    present = {str(k) for k, v in data.items() if v is not None}
    taken = {ours for their, ours in profile.fields.items() if their in present}
    for key, value in data.items():
        if value is None:
            continue
        ours = profile.fields.get(str(key))
        if ours is not None:
            renamed[str(key)] = ours
            key = ours
        elif key in taken:
            renamed[str(key)] = ORIGINAL_PREFIX + str(key)
            key = renamed[str(key)]
        values[key] = value
    displaced = frozenset(v for v in renamed.values() if v.startswith(ORIGINAL_PREFIX))
    if not renamed:
        return values, doc, displaced

    def moved(positions: dict[KeyPath, Pos]) -> dict[KeyPath, Pos]:
        found = dict(positions)
        for path, pos in positions.items():
            if path and path[0] in renamed:
                found[(renamed[str(path[0])], *path[1:])] = pos
        return found

    return values, YamlDoc(values, moved(doc.key_positions), moved(doc.value_positions)), displaced


def _adopted_title(f: _Fields, data: dict[str, Any], raw: RawPage, ctx: PageContext) -> str | None:
    """The first of the profile's title sources that gives one."""
    assert ctx.profile is not None
    for source in ctx.profile.title:
        if source == "heading":
            found = first_heading(raw.body)
            if found:
                return found
        elif source == "file":
            return file_title(raw.source.rel_path, ctx.site_title)
        elif source in data:
            return f.text((source,), data[source], what="title")
    return _title(f, data, raw)


def _role_credits(
    f: _Fields, data: dict[str, Any], ctx: PageContext, credits: tuple[Credit, ...]
) -> tuple[Credit, ...]:
    """The page's credits with those of the profile's role fields (``editors: editor``);
    someone named in several fields is credited once, with every role."""
    assert ctx.profile is not None
    merged: dict[tuple[str | None, str], Credit] = {}

    def add(credit: Credit) -> None:
        key = (credit.contributor_id, credit.name if credit.contributor_id is None else "")
        before = merged.get(key)
        if before is None:
            merged[key] = credit
        else:
            roles = tuple(dict.fromkeys((*before.roles, *credit.roles)))
            merged[key] = Credit(before.name, roles, before.contributor_id, before.url, before.pos)

    for credit in credits:
        add(credit)
    for name, role in ctx.profile.roles.items():
        value = data.get(name)
        if value is None or value == "":
            continue
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            at: KeyPath = (name, index) if isinstance(value, list) else (name,)
            if item is None or item == "":
                continue
            if isinstance(item, dict) and "id" not in item and "name" not in item:
                f.warning(at, "wrong-type", f"{name}: a mapping without 'name' or 'id' is left out")
                continue
            if isinstance(item, dict):
                item = item if ("role" in item or "roles" in item) else {**item, "roles": [role]}
                found = _credit(f, at, item, ctx)
                if found is not None:
                    add(found)
                continue
            if not isinstance(item, str | int | float) or isinstance(item, bool):
                f.warning(
                    at,
                    "wrong-type",
                    f"{name}: expected names, got {describe(item)}; it is left out",
                )
                continue
            text = str(item)
            people = (
                split_names(text)
                if name in ctx.profile.split_names and not isinstance(value, list)
                else [person_name(text)]
            )
            for person in filter(None, people):
                found = _registry_credit(f, at, person, (role,), ctx, f.doc.pos(at))
                if found is not None:
                    add(found)
    return tuple(merged.values())


def _unknown_person(
    f: _Fields, at: KeyPath, name: str, roles: tuple[str, ...], ctx: PageContext, pos: Pos
) -> Credit:
    """An adopted site names people its registry lacks: they are credited by name, with a
    warning, rather than the build refusing years of pages."""
    close = suggestion(name, [*ctx.registry, *(p.name for p in ctx.registry.values())])
    f.warning(
        at,
        "unknown-contributor",
        f"'{name}' is not in {ctx.contributors_file}; credited by name",
        close or f"add '{name}' to {ctx.contributors_file} to link their other pages",
    )
    return Credit(name=name, roles=roles, contributor_id=None, pos=pos)
