"""Reading an adopted repository's pages (a ``profile:``): the helpers that need no
frontmatter positions. :mod:`commonsgen.content.fields` reads each page's fields with
them; :func:`link_translation_keys` runs once every page is read.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from commonsgen.adopt.profile import Profile
from commonsgen.diagnostics import Report, suggestion
from commonsgen.model import Edge, Page

_HEADING_RE = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def first_heading(body: str) -> str | None:
    found = _HEADING_RE.search(body)
    return found.group(1).strip() if found else None


def file_title(rel_path: str, site_title: str) -> str:
    """``data-storage.md`` -> "Data storage"; an index page is named after its folder, the
    top one after the site."""
    parts = rel_path[: -len(".md")].split("/")
    if parts[-1] == "index":
        parts.pop()
    if not parts:
        return site_title or "Home"
    words = parts[-1].replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else parts[-1]


_NAME_SPLIT_RE = re.compile(
    # A comma before a generational suffix belongs to the name: "Martin Luther King, Jr."
    r"\s*(?:,(?!\s*(?:Jr|Sr|Jnr|Snr)\b\.?|\s*(?:II|III|IV|V|VI)\b)|;|&|\band\b|\n)\s*"
)


def person_name(text: str) -> str:
    """One person's name as a page or registry writes it: template placeholders
    (``<!-- list the contributors -->``) dropped, HTML entities (``Zo&#235;``) decoded once,
    spaces trimmed. Nothing is split: a list item is one person, whatever it contains."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    return " ".join(html.unescape(text).split())


def split_names(text: str) -> list[str]:
    """Names in one string where a list was meant: "A, B and C" -> [A, B, C]; a comma
    before Jr., Sr., II, III ... is part of the name. Only for fields a profile declares
    as lists of names in one string (``split_names:``)."""
    # Entities first, once: the ';' of "Zo&#235;" and the '&' of "&amp;" are no separators.
    text = html.unescape(re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL))
    names = (" ".join(name.split()) for name in _NAME_SPLIT_RE.split(text.strip()))
    return [name for name in names if name]


def link_translation_keys(
    pages: list[Page], profile: Profile | None, default_language: str, report: Report
) -> list[Page]:
    """Pages whose profile field names the page they translate (by path, file stem or
    another field's value) get that ``translation_of``; run once every page is read."""
    key = profile.translation_of if profile else None
    if key is None:
        return pages
    index: dict[str, list[Page]] = {}
    for page in pages:
        for found in _translation_keys(page, key.by):
            index.setdefault(found, []).append(page)
    linked: list[Page] = []
    for page in pages:
        written = page.extra.get(key.field)
        if written is None or page.translation_of is not None or isinstance(written, bool):
            linked.append(page)
            continue
        text = str(written).strip()
        wanted = text.lstrip("/").removesuffix(".md") if key.by == "path" else text
        candidates = [p for p in index.get(wanted, []) if p.id != page.id and p.lang != page.lang]
        candidates.sort(key=lambda p: (p.lang != default_language, p.id))
        pos = page.pos(key.field)
        if not candidates:
            report.warning(
                page.source.site_path,
                pos.line,
                pos.column,
                "unknown-translation-source",
                f"{key.field}: no page in another language has {key.by} '{text}'",
                suggestion(wanted, index) or "check the spelling, or remove the field",
            )
            linked.append(page)
            continue
        edge = Edge("translation_of", candidates[0].id, None, text, None, pos)
        linked.append(_with_translation(page, edge))
    return linked


def _translation_keys(page: Page, by: str) -> tuple[str, ...]:
    stem = page.id.removesuffix(".md")
    if by == "path":
        return (stem,)
    if by == "stem":
        parts = stem.split("/")
        if parts[-1] == "index" and len(parts) > 1:
            parts.pop()
        return (parts[-1],)
    value = page.extra.get(by)
    if by == "slug":
        value = page.slug or value
    return (str(value),) if value is not None and not isinstance(value, dict | list) else ()


def _with_translation(page: Page, edge: Edge) -> Page:
    return replace(page, translation_of=edge)
