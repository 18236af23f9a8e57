"""Assemble the site: URLs and output paths, sections, navigation, collision checks.

Takes the parsed pages and returns one immutable :class:`Site` that every later stage
reads. No file is written and no Markdown rendered here.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from commonsgen import urls
from commonsgen.attribution import Attribution
from commonsgen.config import SiteConfig
from commonsgen.content.contributors import person_slug
from commonsgen.diagnostics import Report
from commonsgen.history import History, Signature
from commonsgen.licenses import License
from commonsgen.model import Contributor, Credit, Page, PageId, SourceFile
from commonsgen.translations import TranslationStatus

CONTRIBUTORS_URL = "contributors/"
TRANSLATIONS_URL = "translations/"
"""The translation status page; each language's is under its home (``de/translations/``)."""
HISTORY_URL = "history/"
"""A page's history is at its URL plus this: ``sensors/probe/history/``."""
LICENSES_URL = "licenses/"
TAGS_URL = "tags/"
LISTING_PAGE_URL = "page/"
"""Page 2 of a section's listing is at its URL plus ``page/2/``."""
NOT_FOUND_PATH = "404.html"
"""The page static hosts (GitHub Pages, Netlify, Codeberg Pages ...) send for a missing URL."""
SITEMAP_PATH = "sitemap.xml"
ROBOTS_PATH = "robots.txt"
FEED_NAME = "feed.xml"
"""A section's Atom feed is at its URL plus this; the site's is at the top."""


@dataclass(frozen=True, slots=True)
class Section:
    """A folder of the content tree, shown as a listing page."""

    id: str
    """The folder's path relative to the content folder; "" for the root."""
    title: str
    lang: str
    url: str
    index_page: PageId | None
    """The folder's ``index.md``, if it has one; otherwise the listing is generated."""
    pages: tuple[PageId, ...]
    """Pages directly in the folder (not its index), in reading order."""
    subsections: tuple[str, ...]
    parent: str | None
    weight: int

    @property
    def out_path(self) -> str:
        return urls.out_path(self.url)


@dataclass(frozen=True, slots=True)
class Asset:
    source: SourceFile
    url: str


@dataclass(frozen=True, slots=True)
class Person:
    """Someone credited on the site: a registry entry, or a name written inline."""

    key: str
    """Registry id, or a slug of the inline name; the last segment of their page's URL."""
    name: str
    url: str | None
    orcid: str | None
    registry_id: str | None

    @property
    def page_url(self) -> str:
        return f"{CONTRIBUTORS_URL}{self.key}/"


@dataclass(frozen=True, slots=True)
class PersonCredit:
    page: PageId
    roles: tuple[str, ...]
    via: PageId | None = None
    """None when credited on the page itself; else the source page they made, which the
    page builds on (they are credited upstream)."""
    edits: int = 0
    """For someone the page's git history credits but its frontmatter does not ("edits
    by"): how many commits; their ``roles`` are empty."""


@dataclass(frozen=True, slots=True)
class Edit:
    """Someone credited on a page by its git history alone."""

    key: str
    commits: int


@dataclass(frozen=True, slots=True)
class Tag:
    key: str
    """A slug of the name; tags that differ only in case or punctuation are one tag."""
    name: str
    """As first written (by page id order)."""
    pages: tuple[PageId, ...]
    """By title, then id."""

    @property
    def url(self) -> str:
        return f"{TAGS_URL}{self.key}/"


@dataclass(frozen=True, slots=True)
class LicensedWork:
    """A work on a page that is not the page's own text, listed on its licence's page."""

    page: PageId
    kind: str
    """``media`` (shown, in ``media``), ``include`` (shown unchanged), ``source`` (an
    outside work the page adapts) or ``code`` (the page's code blocks, licensed apart)."""
    title: str
    url: str | None = None
    """Where the work is: a medium's file (its path in the content folder), an outside
    work's web address."""
    external: bool = False
    """Whether ``url`` is a web address rather than a content path."""


def license_url(license_: License) -> str:
    return f"{LICENSES_URL}{license_.slug}/"


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    pages: dict[PageId, Page]
    """Published pages, sorted by id."""
    page_urls: dict[PageId, str]
    sections: dict[str, Section]
    assets: dict[str, Asset]
    """Files copied as they are, by their path relative to the content folder."""
    registry: dict[str, Contributor]
    drafts: frozenset[PageId]
    """Draft pages left out of this build (links to them are errors)."""
    language_roots: dict[str, str]
    """Language code -> id of the section that is its home."""
    attribution: Attribution
    people: dict[str, Person]
    """Everyone credited on a published page, by key, sorted by name."""
    credits_by_person: dict[str, tuple[PersonCredit, ...]]
    pages_by_license: dict[str, tuple[PageId, ...]]
    """Licence id -> the published pages under it."""
    licenses_used: dict[str, License] = field(default_factory=dict)
    """Every licence a published page, medium, included work or outside source is under,
    by id: each gets a licence page and an entry in credits.json."""
    works_by_license: dict[str, tuple[LicensedWork, ...]] = field(default_factory=dict)
    """Licence id -> the media, included works and outside sources under it."""
    history: History | None = None
    """The content's git history, when it is read (``git:``)."""
    edits: dict[PageId, tuple[Edit, ...]] = field(default_factory=dict)
    """Page -> the people its history credits and its frontmatter does not, most first."""
    dates: dict[PageId, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    """Page -> (date, updated): the frontmatter's, else the first and last commit's."""
    translations: dict[PageId, tuple[PageId, ...]] = field(default_factory=dict)
    """Page -> its translations (other languages), one per language, by language code."""
    translation_status: dict[PageId, TranslationStatus] = field(default_factory=dict)
    unread: frozenset[PageId] = frozenset()
    """Page files that could not be read (a YAML mistake ...) and content folders that
    could not be listed (ending in '/'): links to them and sources naming them are not
    reported again."""
    """Translation -> whether it is up to date with its original (``translation_of``)."""
    feeds: tuple[str, ...] = ()
    """Ids of the sections that get an Atom feed ("" is the whole site's)."""
    robots: bool = False
    """Whether commonsgen writes ``robots.txt`` (the site's own one wins)."""
    not_found: bool = False
    """Whether commonsgen writes ``404.html`` (the site's own one wins)."""
    tags: dict[str, Tag] = field(default_factory=dict)
    """Tag key -> the tag and its pages, sorted by key."""
    tag_keys: dict[str, str] = field(default_factory=dict)
    """A tag name's identity (``urls.name_identity``) -> its key in :attr:`tags`."""
    stems: dict[tuple[str, str], PageId] = field(default_factory=dict)
    """(language, file stem) -> the one page of that name, when a profile says links may
    name pages so (``links: stem``); stems two pages of a language share are left out."""
    redirects: dict[str, str] = field(default_factory=dict)
    """Old site URL -> the URL it moved to: a registry person's page at the URL their name
    alone would give (``contributors/sam-okafor/``, where they were credited inline before
    joining the registry as ``sam``)."""
    addresses: frozenset[str] = frozenset()
    """Every site URL the build publishes: pages at their URLs, listings and generated
    pages, redirects, content files; the build adds the static folder's files, the theme's
    and the search pages. Links written as URLs are checked against it."""
    page_at: dict[str, PageId] = field(default_factory=dict)
    """A page's site URL -> the page (whose headings a link's #fragment names)."""

    def published(self, url: str) -> str | None:
        """The address a link to the site URL ``url`` reaches: ``url`` itself, its folder
        (``guide`` -> ``guide/``, which static hosts redirect to) or, for an ``index.html``,
        the folder it is the page of; None when the site publishes nothing there."""
        if url in self.addresses:
            return url
        if url and not url.endswith("/") and url + "/" in self.addresses:
            return url + "/"
        if url == "index.html" or url.endswith("/index.html"):
            folder = url.removesuffix("index.html")
            return folder if folder in self.addresses else None
        return None

    def unread_at(self, url: str) -> bool:
        """Whether a page that could not be read (:attr:`unread`) would be at ``url``, or
        its folder form: a link there is not reported, the page's own error says why."""
        if not self.unread:
            return False
        wanted = {url, url + "/"} if url and not url.endswith("/") else {url}
        for pid in self.unread:
            if pid == "" or (pid.endswith("/") and url.startswith(pid)):
                return True  # a folder that could not be listed
            if urls.page_url(pid) in wanted:
                return True
        return False

    def is_unread(self, rel_path: str) -> bool:
        """Whether the content file ``rel_path`` is there but could not be read, or lies
        in a folder that could not be listed (:attr:`unread`)."""
        return urls.covered(rel_path, self.unread)

    def page_by_stem(self, written: str, lang: str) -> PageId | None:
        """The page a link such as ``storage``, ``storage.html`` or ``../storage/`` names by
        its file name, in the linking page's language (``links: stem`` only)."""
        if not self.stems:
            return None
        name = written.rstrip("/").rsplit("/", 1)[-1]
        for suffix in (".html", ".htm", ".md"):
            name = name.removesuffix(suffix)
        return self.stems.get((lang, name))

    def date_of(self, page_id: PageId) -> dt.date | None:
        return self.dates.get(page_id, (self.pages[page_id].date, None))[0]

    def updated_of(self, page_id: PageId) -> dt.date | None:
        found = self.dates.get(page_id)
        return found[1] if found else self.pages[page_id].updated

    def translations_url(self, lang: str) -> str | None:
        """A language's translation status page, when the site has translations."""
        if not self.translation_status or lang not in self.language_roots:
            return None
        return self.home_for(lang).url + TRANSLATIONS_URL

    def history_url(self, page_id: PageId) -> str | None:
        """The page's history page, when its history is known."""
        if self.history is None or not self.history.files.get(page_id):
            return None
        return self.page_urls[page_id] + HISTORY_URL

    def neighbours(self, page_id: PageId) -> tuple[PageId | None, PageId | None]:
        """The pages before and after this one in its section's reading order."""
        if self.pages[page_id].is_index:
            return None, None
        order = self.sections[posixpath.dirname(page_id)].pages
        at = order.index(page_id)
        return (order[at - 1] if at > 0 else None, order[at + 1] if at + 1 < len(order) else None)

    def listing_pages(self, section_id: str) -> int:
        """How many pages the section's listing takes (``paginate``); at least one."""
        size = self.config.paginate
        count = len(self.sections[section_id].pages)
        return max(1, -(-count // size)) if size else 1

    def listing_url(self, section_id: str, number: int) -> str:
        """Page ``number`` (from 1) of a section's listing: its own URL, then ``page/2/`` ..."""
        url = self.sections[section_id].url
        return url if number == 1 else f"{url}{LISTING_PAGE_URL}{number}/"

    def feed_url(self, section_id: str) -> str | None:
        return self.sections[section_id].url + FEED_NAME if section_id in self.feeds else None

    def feed_pages(self, section_id: str) -> tuple[PageId, ...]:
        """The dated pages under a section's folder (any depth), newest first. Index pages
        introduce a listing rather than report news, so they are left out."""
        prefix = f"{section_id}/" if section_id else ""
        found = [
            pid
            for pid, page in self.pages.items()
            if pid.startswith(prefix) and not page.is_index and self.date_of(pid)
        ]
        found.sort(key=lambda pid: pid)
        found.sort(key=self.last_changed, reverse=True)  # stable: ties stay in id order
        return tuple(found)

    def last_changed(self, page_id: PageId) -> dt.date:
        """When the page last changed: ``updated``, else ``date`` (only for dated pages)."""
        found = self.updated_of(page_id) or self.date_of(page_id)
        assert found is not None
        return found

    def person_for(self, credit: Credit) -> Person:
        return self.people[person_key(credit, self.registry)]

    def section_of(self, page_id: PageId) -> Section:
        """The section whose listing shows the page (for an index page: the folder above)."""
        folder = posixpath.dirname(page_id)
        if self.pages[page_id].is_index:
            parent = self.sections[folder].parent
            return self.sections[parent if parent is not None else folder]
        return self.sections[folder]

    def home_for(self, lang: str) -> Section:
        return self.sections[self.language_roots.get(lang, "")]

    def nav_sections(self, lang: str) -> tuple[Section, ...]:
        """The top-level sections of a language, in navigation order."""
        root = self.home_for(lang)
        return tuple(self.sections[s] for s in root.subsections)

    def ancestors(self, section_id: str) -> tuple[Section, ...]:
        """From the language home down to ``section_id``, inclusive."""
        chain: list[Section] = []
        current: str | None = section_id
        while current is not None:
            section = self.sections[current]
            chain.append(section)
            if current in self.language_roots.values():
                break
            current = section.parent
        return tuple(reversed(chain))

    def url_of_file(self, rel_path: str) -> str | None:
        """The site URL of a content file (page or asset), or None if it is not published."""
        if rel_path in self.page_urls:
            return self.page_urls[PageId(rel_path)]
        asset = self.assets.get(rel_path)
        return asset.url if asset else None


def person_key(credit: Credit, registry: dict[str, Contributor]) -> str:
    """Inline people are known by a slug of their name, kept apart from registry ids."""
    if credit.contributor_id is not None:
        return credit.contributor_id
    key = person_slug(credit.name)
    return key if key not in registry else f"{key}-inline"


def humanise(folder_name: str) -> str:
    words = folder_name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else folder_name


def assemble(
    config: SiteConfig,
    pages: Iterable[Page],
    assets: Iterable[SourceFile],
    registry: dict[str, Contributor],
    attribution: Attribution,
    report: Report,
    *,
    drafts: bool = False,
    history: History | None = None,
    translation_status: dict[PageId, TranslationStatus] | None = None,
    unread: frozenset[PageId] = frozenset(),
) -> Site:
    published: dict[PageId, Page] = {}
    left_out: set[PageId] = set()
    pages = sorted(pages, key=lambda p: p.id)
    by_email = {email.casefold(): cid for cid, entry in registry.items() for email in entry.emails}
    _check_registry_used(
        config, pages, registry, report, also=_history_ids(pages, history, by_email)
    )
    for page in pages:
        if page.draft and not drafts:
            left_out.add(page.id)
        else:
            published[page.id] = page

    page_urls = {pid: urls.page_url(pid, page.slug) for pid, page in published.items()}
    language_roots = _language_roots(config, published)
    sections = _sections(config, published, page_urls, language_roots)
    asset_map = {a.rel_path: Asset(a, a.rel_path) for a in assets}
    _check_media(published, asset_map, report)
    people, credits_by_person = _people(published, registry, attribution)
    edits: dict[PageId, tuple[Edit, ...]] = {}
    dates: dict[PageId, tuple[dt.date | None, dt.date | None]] = {}
    if history is not None:
        edits = _history_people(published, registry, history, by_email, people, credits_by_person)
        for pid, page in published.items():
            first, last = history.dates(pid)
            dates[pid] = (page.date or first, page.updated or last)
    pages_by_license: dict[str, list[PageId]] = defaultdict(list)
    for pid in published:
        found = attribution.license_of(pid)
        if found is not None:
            pages_by_license[found.id].append(pid)
    licenses_used, works_by_license = _licenses_used(published, attribution)
    translations = _translations(published, language_roots)
    tags, tag_keys = _tags(published, report)
    feeds: tuple[str, ...] = ()
    robots = False
    generated = [CONTRIBUTORS_URL, LICENSES_URL, "credits.json"]
    if tags:
        generated += [TAGS_URL, *(tag.url for tag in tags.values())]
    if config.paginate:
        for section in sections.values():
            count = -(-len(section.pages) // config.paginate)
            generated += [f"{section.url}{LISTING_PAGE_URL}{n}/" for n in range(2, count + 1)]
    not_found = not _own_file(config, asset_map, NOT_FOUND_PATH)
    if not_found:
        generated.append(NOT_FOUND_PATH)
    if config.has_absolute_base:
        # Sitemaps and feeds need absolute URLs, and a site that does not say where it is
        # published has no crawlers to tell about.
        generated.append(SITEMAP_PATH)
        robots = not _own_file(config, asset_map, ROBOTS_PATH)
        if robots:
            generated.append(ROBOTS_PATH)
        feeds = _feed_sections(published, sections, dates)
        generated += [sections[sid].url + FEED_NAME for sid in feeds]
    generated += [person.page_url for person in people.values()]
    redirects = _person_redirects(people)
    generated += list(redirects)
    generated += [license_url(lic) for lic in licenses_used.values()]
    if history is not None:
        generated += [page_urls[pid] + HISTORY_URL for pid in published if history.files.get(pid)]
    if any(pid in published for pid in translation_status or {}):
        generated += [sections[root].url + TRANSLATIONS_URL for root in language_roots.values()]
    _check_collisions(config, published, page_urls, sections, asset_map, generated, report)
    # The collision check claims the indexes' URLs whether or not they are written.
    unwritten = {CONTRIBUTORS_URL} if not people else set()
    unwritten |= {LICENSES_URL} if not licenses_used else set()
    addresses = frozenset(
        {
            *page_urls.values(),
            *(section.url for section in sections.values()),
            *(asset.url for asset in asset_map.values()),
            *(url for url in generated if url not in unwritten),
        }
    )
    return Site(
        config=config,
        pages=published,
        page_urls=page_urls,
        sections=sections,
        assets=dict(sorted(asset_map.items())),
        registry=registry,
        drafts=frozenset(left_out),
        language_roots=language_roots,
        attribution=attribution,
        people=people,
        credits_by_person=credits_by_person,
        pages_by_license={lid: tuple(ids) for lid, ids in sorted(pages_by_license.items())},
        licenses_used=licenses_used,
        works_by_license=works_by_license,
        history=history,
        edits=edits,
        dates=dates,
        translations=translations,
        translation_status={
            pid: found for pid, found in (translation_status or {}).items() if pid in published
        },
        feeds=feeds,
        robots=robots,
        not_found=not_found,
        tags=tags,
        tag_keys=tag_keys,
        stems=_stems(published) if config.profile and config.profile.links == "stem" else {},
        redirects=redirects,
        unread=unread,
        addresses=addresses,
        page_at={url: pid for pid, url in page_urls.items()},
    )


def _person_redirects(people: dict[str, Person]) -> dict[str, str]:
    """Registry people whose id is not the slug of their name keep the URL the name gave
    them as a redirect, so links to their page from before they joined the registry work;
    a URL another person has is theirs."""
    found: dict[str, str] = {}
    for person in people.values():
        if person.registry_id is None:
            continue
        slug = person_slug(person.name)
        old = f"{CONTRIBUTORS_URL}{slug}/"
        if slug != person.key and slug not in people and old not in found:
            found[old] = person.page_url
    return dict(sorted(found.items()))


def history_key(
    signature: Signature, registry: dict[str, Contributor], by_email: dict[str, str]
) -> str:
    """A registry id through the person's email, else a key made from their git name (the
    same key as an inline credit of that name: it is the same person)."""
    found = by_email.get(signature.email.casefold())
    if found is not None:
        return found
    key = person_slug(signature.name)
    return key if key not in registry else f"{key}-inline"


def _history_ids(pages: list[Page], history: History | None, by_email: dict[str, str]) -> set[str]:
    if history is None:
        return set()
    return {
        by_email[sig.email.casefold()]
        for page in pages
        for sig, _count in history.credited(page.id)
        if sig.email.casefold() in by_email
    }


def _history_people(
    pages: dict[PageId, Page],
    registry: dict[str, Contributor],
    history: History,
    by_email: dict[str, str],
    people: dict[str, Person],
    credits_by_person: dict[str, tuple[PersonCredit, ...]],
) -> dict[PageId, tuple[Edit, ...]]:
    """Add the people a page's history credits and its frontmatter does not: "edits by".

    Changes ``people`` and ``credits_by_person`` in place (both are still being built)."""
    edits: dict[PageId, tuple[Edit, ...]] = {}
    added: dict[str, list[PersonCredit]] = defaultdict(list)
    for pid, page in pages.items():
        named = {person_key(c, registry) for c in page.contributors}
        counts: dict[str, int] = {}
        for signature, count in history.credited(pid):
            key = history_key(signature, registry, by_email)
            if key in named:
                continue
            counts[key] = counts.get(key, 0) + count
            if key not in people:
                entry = registry.get(key) if signature.email.casefold() in by_email else None
                people[key] = Person(
                    key=key,
                    name=entry.name if entry else signature.name,
                    url=entry.url if entry else None,
                    orcid=entry.orcid if entry else None,
                    registry_id=key if entry else None,
                )
        ordered = sorted(counts.items(), key=lambda item: (-item[1], people[item[0]].name, item[0]))
        if ordered:
            edits[pid] = tuple(Edit(key, n) for key, n in ordered)
        for key, n in ordered:
            added[key].append(PersonCredit(pid, (), edits=n))
    merged = {key: (*credits_by_person.get(key, ()), *added.get(key, ())) for key in people}
    ordered_people = sorted(people.values(), key=lambda p: (p.name.casefold(), p.key))
    people.clear()
    people.update((p.key, p) for p in ordered_people)
    credits_by_person.clear()
    credits_by_person.update((p.key, merged[p.key]) for p in ordered_people)
    return edits


def _check_registry_used(
    config: SiteConfig,
    pages: list[Page],
    registry: dict[str, Contributor],
    report: Report,
    *,
    also: set[str] | None = None,
) -> None:
    """Someone in the registry whom no page (drafts included) credits is often a misspelt id
    on a page, or a credit that was lost when a page was edited."""
    credited = {c.contributor_id for page in pages for c in page.contributors}
    credited |= also or set()  # credited by the git history
    file = config.contributors_file
    adopted = config.profile.registry if config.profile else None
    if adopted is not None and not config.contributors_path.is_file():
        file = adopted.file  # the people come from the community's own file
    for cid, entry in registry.items():
        if cid not in credited:
            report.warning(
                file,
                entry.pos.line,
                entry.pos.column,
                "uncredited-contributor",
                f"'{cid}' ({entry.name}) is credited on no page",
                "credit them on the pages they worked on, or remove the entry",
            )


def _licenses_used(
    pages: dict[PageId, Page], attribution: Attribution
) -> tuple[dict[str, License], dict[str, tuple[LicensedWork, ...]]]:
    """Every licence in use on the published pages, and the works other than pages under
    each, in page order: a re-user of an image looks its licence up like a page's."""
    used: dict[str, License] = {}
    works: dict[str, list[LicensedWork]] = defaultdict(list)

    def add(license_: License | None, work: LicensedWork | None) -> None:
        if license_ is None:
            return
        used[license_.id] = license_
        if work is not None:
            works[license_.id].append(work)

    for pid, page in pages.items():
        add(attribution.license_of(pid), None)
        add(attribution.code_license_of(pid), LicensedWork(pid, "code", "Code"))
        for item in page.media:
            title = item.title or posixpath.basename(item.file)
            medium = LicensedWork(pid, "media", title, urls.resolve_content_path(pid, item.file))
            add(attribution.media_licenses.get(item), medium)
        outside = [("include", i.work) for i in page.includes]
        outside += [("source", e.work) for e in page.derived_from if e.work is not None]
        for kind, work in outside:
            found = LicensedWork(pid, kind, work.title, work.url, external=True)
            add(attribution.work_licenses.get(work), found)
    return (
        dict(sorted(used.items())),
        {lid: tuple(found) for lid, found in sorted(works.items())},
    )


def _check_media(pages: dict[PageId, Page], assets: dict[str, Asset], report: Report) -> None:
    for page in pages.values():
        for item in page.media:
            target = urls.resolve_content_path(page.id, item.file)
            if target is None or target not in assets:
                report.error(
                    page.source.site_path,
                    item.pos.line,
                    item.pos.column,
                    "missing-media",
                    f"media file '{item.file}' does not exist",
                    "the path is relative to this page's folder, like an image link in the text",
                )


def _people(
    pages: dict[PageId, Page],
    registry: dict[str, Contributor],
    attribution: Attribution,
) -> tuple[dict[str, Person], dict[str, tuple[PersonCredit, ...]]]:
    """Everyone credited on a published page, and every page they are credited on, directly
    or as a maker of a page it builds on."""
    people: dict[str, Person] = {}
    credits: dict[str, list[PersonCredit]] = defaultdict(list)
    for pid, page in pages.items():
        for credit in page.contributors:
            key = person_key(credit, registry)
            if key not in people:
                entry = registry.get(credit.contributor_id) if credit.contributor_id else None
                people[key] = Person(
                    key=key,
                    name=entry.name if entry else credit.name,
                    url=entry.url if entry else credit.url,
                    orcid=entry.orcid if entry else None,
                    registry_id=credit.contributor_id,
                )
            credits[key].append(PersonCredit(pid, credit.roles))
    for pid in pages:
        for step in attribution.upstream.get(pid, ()):
            source = pages.get(step.page) if step.page is not None else None
            if source is None:
                continue
            for credit in source.contributors:
                key = person_key(credit, registry)
                credits[key].append(PersonCredit(pid, credit.roles, via=source.id))
    ordered = sorted(people.values(), key=lambda p: (p.name.casefold(), p.key))
    return (
        {p.key: p for p in ordered},
        {p.key: tuple(credits[p.key]) for p in ordered},
    )


def _language_roots(config: SiteConfig, pages: dict[PageId, Page]) -> dict[str, str]:
    roots = {config.language: ""}
    top_folders = {pid.split("/", 1)[0] for pid in pages if "/" in pid}
    for code in config.language_codes():
        if code in top_folders and code != config.language:
            roots[code] = code
    return roots


def _sections(
    config: SiteConfig,
    pages: dict[PageId, Page],
    page_urls: dict[PageId, str],
    language_roots: dict[str, str],
) -> dict[str, Section]:
    folders: set[str] = {""}
    for pid in pages:
        folder = posixpath.dirname(pid)
        while folder:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    lang_of_root = {root: code for code, root in language_roots.items()}

    children: dict[str, list[str]] = defaultdict(list)
    direct: dict[str, list[PageId]] = defaultdict(list)
    for folder in folders:
        if folder:
            parent = posixpath.dirname(folder)
            # A language folder is a home of its own, not a section of the default home.
            if folder not in lang_of_root:
                children[parent].append(folder)
    for pid, page in pages.items():
        if not page.is_index:
            direct[posixpath.dirname(pid)].append(pid)

    by_path = config.profile is not None and config.profile.order == "path"
    # The order a community's own settings give (a lesson's config.yaml episodes: list).
    listed = {p: i for i, p in enumerate(config.profile.page_order)} if config.profile else {}

    def order(pid: PageId) -> tuple[int, int, str, str]:
        page = pages[pid]
        place = listed.get(pid, len(listed))
        return (page.weight, place, "" if by_path else page.title.casefold(), pid)

    def lang_of(folder: str) -> str:
        current = folder
        while True:
            if current in lang_of_root:
                return lang_of_root[current]
            if not current:
                return config.language
            current = posixpath.dirname(current)

    provisional: dict[str, tuple[str, int, PageId | None]] = {}
    for folder in folders:
        index_id = PageId(f"{folder}/index.md" if folder else "index.md")
        index_page = pages.get(index_id)
        if index_page is not None:
            provisional[folder] = (index_page.title, index_page.weight, index_id)
        elif folder == "":
            provisional[folder] = (config.title, 0, None)
        else:
            provisional[folder] = (humanise(posixpath.basename(folder)), 0, None)

    sections: dict[str, Section] = {}
    for folder in sorted(folders):
        title, weight, index_id = provisional[folder]
        subs = sorted(
            children[folder], key=lambda f: (provisional[f][1], provisional[f][0].casefold(), f)
        )
        parent = None if folder == "" or folder in lang_of_root else posixpath.dirname(folder)
        sections[folder] = Section(
            id=folder,
            title=title,
            lang=lang_of(folder),
            url=page_urls[index_id] if index_id else (folder + "/" if folder else ""),
            index_page=index_id,
            pages=tuple(sorted(direct[folder], key=order)),
            subsections=tuple(subs),
            parent=parent,
            weight=weight,
        )
    return sections


def _stems(pages: dict[PageId, Page]) -> dict[tuple[str, str], PageId]:
    found: dict[tuple[str, str], PageId | None] = {}
    for pid, page in pages.items():
        parts = pid.removesuffix(".md").split("/")
        if parts[-1] == "index" and len(parts) > 1:
            parts.pop()  # guide/index.md is the page named "guide"
        key = (page.lang, parts[-1])
        found[key] = None if key in found else pid
    return {key: pid for key, pid in found.items() if pid is not None}


def _tags(pages: dict[PageId, Page], report: Report) -> tuple[dict[str, Tag], dict[str, str]]:
    """Tag key -> tag, and a name's identity (:func:`urls.name_identity`) -> its key."""
    names: dict[str, str] = {}
    first_page: dict[str, PageId] = {}
    # A dict as an ordered set: a page naming one tag twice ("Water", "water") counts once,
    # without a list scan per page (quadratic in a tag's pages).
    members: dict[str, dict[PageId, None]] = defaultdict(dict)
    for pid, page in pages.items():
        for name in page.tags:
            same = urls.name_identity(name)
            names.setdefault(same, name)
            first_page.setdefault(same, pid)
            members[same][pid] = None
    keys = _tag_keys(names)
    for same, key in keys.items():
        if key != urls.name_slug(names[same]):
            page = pages[first_page[same]]
            at = page.pos("tags")
            report.warning(
                page.source.site_path,
                at.line,
                at.column,
                "tag-slug-collision",
                f"the tag '{names[same]}' would have the address of another tag "
                f"(tags/{urls.name_slug(names[same])}/), so its page is {TAGS_URL}{key}/",
                "if they are one tag, write it the same way on every page; if not, a "
                "name with more letters gives it an address of its own",
            )
    tags = {
        keys[same]: Tag(
            keys[same],
            names[same],
            tuple(sorted(members[same], key=lambda p: (pages[p].title.casefold(), p))),
        )
        for same in sorted(names, key=keys.__getitem__)
    }
    return tags, dict(sorted(keys.items()))


def _tag_keys(names: dict[str, str]) -> dict[str, str]:
    """Identity -> the slug of its tag's page: tags whose slugs collide (``c++``, ``c``,
    ``C#``) get ``c``, ``c-2``, ``c-3``: the name that is its own slug first, then in
    order of their identities, whatever order the pages name them in."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for same, name in names.items():
        wanted[urls.name_slug(name)].append(same)
    taken = set(wanted)
    keys: dict[str, str] = {}
    for slug in sorted(wanted):
        first, *others = sorted(wanted[slug], key=lambda same: (same != slug, same))
        keys[first] = slug
        n = 2
        for same in others:
            while f"{slug}-{n}" in taken:
                n += 1
            keys[same] = f"{slug}-{n}"
            taken.add(keys[same])
    return keys


def _own_file(config: SiteConfig, assets: dict[str, Asset], out_path: str) -> bool:
    """Whether the site brings a file commonsgen would otherwise make (``robots.txt``,
    ``404.html``), in ``static/`` or the content folder: the site's own one wins."""
    return out_path in assets or (config.static_path / out_path).is_file()


class _Groups:
    """Union-find over page ids: each group is named by its smallest id."""

    def __init__(self, ids: Iterable[PageId]) -> None:
        self.parent: dict[PageId, PageId] = {pid: pid for pid in ids}

    def find(self, pid: PageId) -> PageId:
        parent = self.parent
        while parent[pid] != pid:
            parent[pid] = parent[parent[pid]]
            pid = parent[pid]
        return pid

    def join(self, a: PageId, b: PageId) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def members(self) -> list[list[PageId]]:
        groups: dict[PageId, list[PageId]] = defaultdict(list)
        for pid in self.parent:
            groups[self.find(pid)].append(pid)
        return list(groups.values())


def _path_in_language(pid: PageId, root: str | None) -> str | None:
    """``pid`` from its language's folder (``de/sensors/probe`` -> ``sensors/probe``);
    None when the page is not under that folder."""
    if root is None:
        return None
    if not root:
        return pid
    return pid[len(root) + 1 :] if pid.startswith(root + "/") else None


def _translations(
    pages: dict[PageId, Page], language_roots: dict[str, str]
) -> dict[PageId, tuple[PageId, ...]]:
    """Pages that are translations of each other: linked by ``translation_of`` (either way,
    and through each other: a German and a French page that both translate the English one),
    or at the same path in another language's folder (``de/sensors/probe.md``)."""
    groups = _Groups(pages)
    paths = {
        pid: _path_in_language(pid, language_roots.get(page.lang)) for pid, page in pages.items()
    }
    by_path = {(pages[pid].lang, path): pid for pid, path in paths.items() if path is not None}
    for pid, page in pages.items():
        edge = page.translation_of
        if edge is not None and edge.page in pages:
            groups.join(pid, edge.page)
        if paths[pid] is None:
            continue
        for lang in sorted(language_roots):
            other = by_path.get((lang, paths[pid]))
            if other is not None and lang != page.lang:
                groups.join(pid, other)
    result: dict[PageId, tuple[PageId, ...]] = {}
    for members in groups.members():
        for pid in members:
            others = _one_per_language(pages, pid, members)
            if others:
                result[pid] = others
    return dict(sorted(result.items()))


def _one_per_language(
    pages: dict[PageId, Page], pid: PageId, members: list[PageId]
) -> tuple[PageId, ...]:
    """``pid``'s translations among its group, one per other language (the first by id when
    a group has two in one language), in the languages' order."""
    chosen: dict[str, PageId] = {}
    for other in sorted(members):
        lang = pages[other].lang
        if lang != pages[pid].lang and lang not in chosen:
            chosen[lang] = other
    return tuple(chosen[lang] for lang in sorted(chosen))


def _feed_sections(
    pages: dict[PageId, Page],
    sections: dict[str, Section],
    dates: dict[PageId, tuple[dt.date | None, dt.date | None]],
) -> tuple[str, ...]:
    """Sections with at least one dated page under them: an Atom entry needs a date, and
    an empty feed tells a reader nothing."""
    dated = [
        pid
        for pid, page in pages.items()
        if not page.is_index and (dates.get(pid, (page.date, None))[0] or page.date)
    ]
    # Each dated page marks the folders above it: one pass, not a scan of the pages for
    # every section.
    under: set[str] = {""} if dated else set()
    for pid in dated:
        parts = pid.split("/")[:-1]
        under.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))
    return tuple(sorted(sid for sid in sections if sid in under))


def _check_collisions(
    config: SiteConfig,
    pages: dict[PageId, Page],
    page_urls: dict[PageId, str],
    sections: dict[str, Section],
    assets: dict[str, Asset],
    generated: list[str],
    report: Report,
) -> None:
    """Two sources must never be written to one output file (nor to one differing in case,
    which case-insensitive file systems and hosts would merge)."""
    claims: dict[str, list[str]] = defaultdict(list)
    for pid, url in page_urls.items():
        claims[urls.out_path(url)].append(pages[pid].source.site_path)
    for section in sections.values():
        if section.index_page is None:
            claims[section.out_path].append(
                f"{config.content_dir}/{section.id}/ (generated listing)"
            )
    for asset in assets.values():
        claims[urls.out_path(asset.url)].append(asset.source.site_path)
    for url in generated:
        claims[urls.out_path(url)].append(f"(the generated page {url})")

    by_folded: dict[str, list[str]] = defaultdict(list)
    for out in claims:
        by_folded[urls.folded(out)].append(out)
    for out, sources in sorted(claims.items()):
        if len(sources) > 1:
            _collision(report, sources, f"'{out}' would be written by {len(sources)} files")
    for outs in by_folded.values():
        if len(outs) > 1:
            sources = sorted(s for out in outs for s in claims[out])
            _collision(
                report,
                sources,
                "output paths differing only in case or Unicode normalisation: "
                + ", ".join(ascii(out)[1:-1] if not out.isascii() else out for out in sorted(outs)),
            )


def _collision(report: Report, sources: list[str], what: str) -> None:
    listed = ", ".join(sources)
    for source in sources:
        if source.endswith("(generated listing)") or source.startswith("(the generated page"):
            continue
        report.error(
            source,
            None,
            None,
            "url-collision",
            f"{what}: {listed}",
            "rename one of the files or give it a different 'slug'",
        )
