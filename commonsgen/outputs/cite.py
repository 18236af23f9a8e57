""" "Cite this page": a page's reference as BibTeX, RIS and CSL-JSON.

Made from the page's title, contributors (authors, editors and translators in the roles the
formats have for them), date, URL, licence and a ``doi`` key in its frontmatter. Names are
given whole (CSL ``literal``, a braced BibTeX name) because splitting a name into given and
family parts guesses wrong for many of the world's names.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

import yaml

from commonsgen import urls
from commonsgen.config import SiteConfig
from commonsgen.diagnostics import Report, suggestion
from commonsgen.licenses import License
from commonsgen.model import Contributor, Credit, Page
from commonsgen.site import Site, person_key

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _names(page: Page, role: str) -> list[str]:
    return [c.name for c in page.contributors if role in c.roles]


def _key(page: Page) -> str:
    """A citation key from the page's path: ASCII, as BibTeX wants it."""
    return re.sub(r"[^A-Za-z0-9]+", "-", page.id.removesuffix(".md")).strip("-") or "page"


def _doi(page: Page) -> str | None:
    """The page's DOI name (``10.NNNN/...``), however it was written."""
    value = page.extra.get("doi")
    return urls.doi_name(str(value)) if value else None


def _url(site: Site, page: Page) -> str | None:
    url = site.page_urls[page.id]
    return urls.absolute(site.config.base_url, url) if site.config.has_absolute_base else None


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the three formats say of a page, looked up once for all three."""

    key: str
    title: str
    container: str
    lang: str
    authors: list[str]
    editors: list[str]
    translators: list[str]
    date: dt.date | None
    url: str | None
    doi: str | None
    license: License | None


def _facts(site: Site, page: Page, authors: list[str]) -> _Facts:
    citation = site.config.citation
    # A community that says how it is cited (a lesson's CITATION.cff) is cited so on every
    # page: its authors and editors, its DOI where the page has none; the pages' credits
    # still say who wrote what (AUTHORS).
    editors = _names(page, "editor")
    if citation.names:
        authors = list(citation.names)
        editors = list(dict.fromkeys([*citation.editors, *editors]))
    return _Facts(
        key=_key(page),
        title=page.title,
        container=next(
            (lang.site_title for lang in site.config.languages if lang.code == page.lang),
            None,
        )
        or site.config.title,
        lang=page.lang,
        authors=authors,
        editors=editors,
        translators=_names(page, "translator"),
        date=site.date_of(page.id),
        url=_url(site, page),
        doi=_doi(page)
        or (urls.doi_name(citation.doi) if citation.names and citation.doi else None),
        license=site.attribution.license_of(page.id),
    )


def csl_json(site: Site, page: Page, authors: list[str]) -> str:
    return _csl_json(_facts(site, page, authors))


def _csl_json(facts: _Facts) -> str:
    item: dict[str, Any] = {
        "id": facts.key,
        "type": "webpage",
        "title": facts.title,
        "container-title": facts.container,
        "language": facts.lang,
    }
    for variable, names in (
        ("author", facts.authors),
        ("editor", facts.editors),
        ("translator", facts.translators),
    ):
        if names:
            item[variable] = [{"literal": name} for name in names]
    if (date := facts.date) is not None:
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    if facts.url is not None:
        item["URL"] = facts.url
    if facts.doi is not None:
        item["DOI"] = facts.doi
    if facts.license is not None:
        item["license"] = facts.license.deed_url
    return indented_json([item])


def indented_json(value: Any, level: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)``, the same text
    (for string keys): with ``indent`` set, json uses its pure-Python encoder, which was
    half the time of every page's view; here only the nesting is Python, strings go
    straight to json's C escaper (what ``json.dumps`` does with a string) and other leaves
    through ``json.dumps``."""
    if isinstance(value, str):
        return encode_basestring(value)
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = [
            encode_basestring(key) + ": " + indented_json(value[key], level + 1)
            if isinstance(key, str)
            else f"{json.dumps(key, ensure_ascii=False)}: {indented_json(value[key], level + 1)}"
            for key in sorted(value)
        ]
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"
    if isinstance(value, list | tuple) and value:
        items = [indented_json(item, level + 1) for item in value]
        return "[" + inner + ("," + inner).join(items) + "\n" + "  " * level + "]"
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _bib(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", value)


def bibtex(site: Site, page: Page, authors: list[str]) -> str:
    return _bibtex(_facts(site, page, authors))


def _bibtex(facts: _Facts) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + _bib(facts.title) + "}")]
    for name, people in (
        ("author", facts.authors),
        ("editor", facts.editors),
        ("translator", facts.translators),
    ):
        if people:
            # Double braces keep a whole name as one name, not "Family, Given".
            fields.append((name, " and ".join("{" + _bib(p) + "}" for p in people)))
    fields.append(("howpublished", _bib(facts.container)))
    if (date := facts.date) is not None:
        fields += [("year", str(date.year)), ("month", str(date.month)), ("date", date.isoformat())]
    if facts.url is not None:
        fields.append(("url", facts.url))
    if facts.doi is not None:
        fields.append(("doi", _bib(facts.doi)))
    fields.append(("language", facts.lang))
    if facts.license is not None:
        fields.append(("note", _bib(f"Licensed under {facts.license.short_name}")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{facts.key},\n{body}\n}}"


def ris(site: Site, page: Page, authors: list[str]) -> str:
    return _ris(_facts(site, page, authors))


def _ris(facts: _Facts) -> str:
    lines = ["TY  - ELEC", f"TI  - {facts.title}"]
    lines += [f"AU  - {name}" for name in facts.authors]
    lines += [f"ED  - {name}" for name in facts.editors]
    lines += [f"A4  - {name}" for name in facts.translators]  # RIS: translator
    lines.append(f"T2  - {facts.container}")
    if (date := facts.date) is not None:
        lines += [f"PY  - {date.year}", f"DA  - {date.strftime('%Y/%m/%d')}"]
    if facts.url is not None:
        lines.append(f"UR  - {facts.url}")
    if facts.doi is not None:
        lines.append(f"DO  - {facts.doi}")
    lines.append(f"LA  - {facts.lang}")
    if (license_ := facts.license) is not None:
        lines.append(f"N1  - Licensed under {license_.short_name} ({license_.deed_url})")
    lines.append("ER  - ")
    return "\n".join(lines)


def cite_view(site: Site, page: Page, authors: list[str]) -> dict[str, str]:
    """``authors``: the page's creators, as its credits name them (``credits.creators``)."""
    facts = _facts(site, page, authors)
    return {"bibtex": _bibtex(facts), "ris": _ris(facts), "csl_json": _csl_json(facts)}


# --- the whole publication: CITATION.cff ---------------------------------------------------

CITATION_PATH = "CITATION.cff"
CFF_VERSION = "1.2.0"
CFF_MESSAGE = "If you use or cite this publication, please cite it using these metadata."
# SPDX ids of our registry that Citation File Format 1.2.0's licence list lacks (it
# predates them); such a publication's CITATION.cff names no licence rather than a wrong one.
_NOT_IN_CFF = frozenset({"CC-PDM-1.0"})


class _NoAliases(yaml.SafeDumper):
    """Writes the authors out twice rather than as ``&id001``/``*id001``, which some CFF
    readers do not follow."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def check_citation(config: SiteConfig, registry: dict[str, Contributor], report: Report) -> None:
    """``citation.authors`` must name people of the registry (checked by ``check`` too)."""
    pos = config.positions.get("citation")
    for cid in config.citation.authors:
        if cid not in registry:
            report.error(
                "commonsgen.yml",
                pos.line if pos else None,
                pos.column if pos else None,
                "unknown-contributor",
                f"citation.authors: unknown contributor '{cid}'",
                suggestion(cid, registry)
                or f"citation authors are ids from {config.contributors_file}",
            )


def writes_citation(site: Site) -> bool:
    """Whether the build writes ``CITATION.cff``: when configured, unless the site brings
    its own (in ``static/`` or the content folder), which wins as ``robots.txt`` does."""
    own = CITATION_PATH in site.assets or (site.config.static_path / CITATION_PATH).is_file()
    return site.config.citation.cff and not own


def cff_authors(
    site: Site, creators: Callable[[tuple[Credit, ...]], list[Credit]]
) -> list[dict[str, str]]:
    """``citation.authors`` when given; else everyone a page names as its creator (the
    "by" of its credit line), those of the most pages first, then by name; else the site."""
    keys: list[str] = list(site.config.citation.authors)
    if not keys and site.config.citation.names:
        return [{"name": name} for name in site.config.citation.names]
    if not keys:
        counts: Counter[str] = Counter()
        for page in site.pages.values():
            counts.update({person_key(c, site.registry) for c in creators(page.contributors)})
        names = {key: site.people[key].name.casefold() for key in counts}
        keys = sorted(counts, key=lambda key: (-counts[key], names[key], key))
    authors: list[dict[str, str]] = []
    for key in keys:
        person = site.people.get(key)
        entry = site.registry.get(key)
        name = entry.name if entry else person.name if person else key
        url = entry.url if entry else person.url if person else None
        orcid = entry.orcid if entry else person.orcid if person else None
        # A name is given whole (an entity's `name`): splitting it into given and family
        # names guesses wrong for many of the world's names (see this module's docstring).
        author = {"name": name}
        if orcid:
            author["orcid"] = f"https://orcid.org/{orcid}"
        if url:
            author["website"] = url
        authors.append(author)
    return authors or [{"name": site.config.title}]


def citation_cff(site: Site, creators: Callable[[tuple[Credit, ...]], list[Credit]]) -> bytes:
    """The publication's ``CITATION.cff`` (Citation File Format 1.2.0), from the config's
    ``citation:``, its title, description, base URL, repository and default licence."""
    config = site.config
    citation = config.citation
    authors = cff_authors(site, creators)
    work: dict[str, Any] = {"title": config.title}
    if config.description:
        work["abstract"] = config.description
    work["authors"] = authors
    if citation.editors:
        work["editors"] = [{"name": name} for name in citation.editors]
    if citation.version is not None:
        work["version"] = citation.version
    if citation.doi is not None:
        work["doi"] = citation.doi
    if citation.date_released is not None:
        work["date-released"] = citation.date_released
    license_ = site.attribution.default_license
    if license_ is not None and license_.id not in _NOT_IN_CFF:
        work["license"] = license_.id
    if config.has_absolute_base:
        work["url"] = config.base_url
    if config.repo_url:
        work["repository"] = config.repo_url
    # What GitHub's "Cite this repository" and reference managers cite: a website (the
    # top level can only say software or dataset).
    preferred = {"type": "website"}
    preferred.update(
        (k, v) for k, v in work.items() if k not in ("abstract", "repository", "editors")
    )
    if citation.editors:
        preferred["editors"] = work.pop("editors")  # CFF has editors on references only
    if citation.date_released is not None:
        preferred["year"] = int(citation.date_released[:4])
    codes = (code.split("-", 1)[0].lower() for code in config.language_codes())
    preferred["languages"] = list(dict.fromkeys(codes))
    document: dict[str, Any] = {
        "cff-version": CFF_VERSION,
        "message": citation.message or CFF_MESSAGE,
        **work,
        "preferred-citation": preferred,
    }
    text = yaml.dump(document, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100)
    title = " ".join(config.title.split())
    header = f"# How to cite {title}; written by commonsgen from commonsgen.yml.\n"
    return (header + text).encode("utf-8")
