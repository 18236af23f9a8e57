"""Markdown -> HTML, and every link made right for the published site.

A page's text goes through the passes that rewrite it (Liquid, admonitions and fenced divs,
each keeping an offset map), then pulldown-cmark's parser and our writer
(:mod:`commonsgen.markdown.writer`). One :class:`Engine` is made per build (or per worker)
by :func:`create_markdown` and passed in; per-page data lives in a :class:`_PageContext`.
Links and images are transformed in one place, :meth:`_PageContext.url`: a relative link to
a Markdown file becomes the relative URL of its page, a link to an image or PDF the URL of
the copied file, and a link to something that does not exist becomes a diagnostic at its
line and column (from the parser's byte ranges, through the offset maps).
"""

from __future__ import annotations

import bisect
import html as html_lib
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3
from markupsafe import Markup

from commonsgen import i18n, urls
from commonsgen.diagnostics import Report, did_you_mean
from commonsgen.licenses import License
from commonsgen.markdown import attributes, offsets, preprocess, writer
from commonsgen.markdown.dialect import MarkdownOptions
from commonsgen.markdown.offsets import OffsetMap
from commonsgen.markdown.words import text_of
from commonsgen.markdown.words import words as words_of
from commonsgen.markdown.writer import escape
from commonsgen.model import Media, Page, PageId
from commonsgen.site import Site

TOC_LEVELS = (2, 3)
_MAX_HTML_DEPTH = 8
"""``markdown="1"`` elements nested deeper than this keep their content as HTML."""
SUMMARY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class TocEntry:
    level: int
    id: str
    title: str
    """Plain text."""


@dataclass(frozen=True, slots=True)
class AnchorLink:
    """A link to ``#fragment`` of a page, checked once every page is rendered."""

    target: PageId
    fragment: str
    written: str
    """The href as the editor wrote it."""
    line: int | None
    column: int | None


UNLISTED = "unlisted-media"
"""The check, off unless the site asks (diagnostics.OFF_UNLESS_SET), for images the text
shows and ``media`` does not credit."""


@dataclass(frozen=True, slots=True)
class RenderedPage:
    id: PageId
    html: str
    """A Markup (safe HTML) when rendered here; a plain str is accepted too."""
    toc: tuple[TocEntry, ...]
    summary: str
    """The frontmatter summary, or the first paragraph as plain text, shortened."""
    links: tuple[str, ...]
    """Site URLs (with any #fragment) of the internal links and images, in order."""
    anchors: tuple[str, ...] = ()
    """What ``#x`` may name: the ids of all headings (every level, in order), then every
    other id in the page's HTML (footnotes, raw HTML)."""
    heading_ids: tuple[str, ...] = ()
    """The ids of its headings alone, for hints."""
    anchor_links: tuple[AnchorLink, ...] = ()
    """Links with a ``#fragment`` to a page of this site (this one included)."""
    words: tuple[str, ...] = ()
    """The distinct folded words of its text, for the search index."""
    targets: tuple[str, ...] = ()
    """Content paths its links and images resolved to (and, under ``links: stem``, the
    names it looked up): what the HTML depends on besides the page itself, its URL and the
    config; see :func:`link_dependencies`."""


STEM_TARGET = "\0stem:"
"""Marks a ``targets`` entry that is a stem lookup (language, NUL, name), not a path."""
URL_TARGET = "\0url:"
"""Marks a ``targets`` entry that is a site URL looked up among the published addresses."""


def link_dependencies(site: Site, rendered: RenderedPage) -> tuple[Any, ...]:
    """How each link target of a rendered page resolves now: pages, drafts, files, folders,
    stems. A page's HTML holds while this, the page, its URL and the config are unchanged
    (both caches rely on it); its diagnostics' hints may name any page, so a page that
    reported anything needs the whole site unchanged."""
    found: list[Any] = []
    for target in rendered.targets:
        if target.startswith(STEM_TARGET):
            lang, _, name = target.removeprefix(STEM_TARGET).partition("\0")
            named = site.page_by_stem(name, lang)
            found.append((target, named, site.page_urls.get(named) if named else None))
            continue
        if target.startswith(URL_TARGET):
            url = target.removeprefix(URL_TARGET)
            address = site.published(url)
            page_id = site.page_at.get(address) if address is not None else None
            found.append((target, address, page_id, site.unread_at(url)))
            continue
        section = site.sections.get(target)
        found.append(
            (
                target,
                site.page_urls.get(PageId(target)),
                target in site.drafts,
                site.is_unread(target),
                site.url_of_file(target),
                section.url if section is not None else None,
            )
        )
    return tuple(found)


@dataclass(slots=True)
class _PageContext:
    """Everything the writer needs about the page being rendered (its
    :class:`~commonsgen.markdown.writer.Callbacks`)."""

    site: Site
    page: Page
    page_url: str
    report: Report
    options: MarkdownOptions
    words: CaptionWords
    """How captions read in the page's language."""
    text: str
    """The text parsed: the body after the passes that rewrite it."""
    maps: list[OffsetMap]
    """What each pass changed, to find a place of ``text`` in the body."""
    links: list[str] = field(default_factory=list)
    anchor_links: list[AnchorLink] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    has_raw_html: bool = False
    """Whether the body has raw HTML, which is then sanitised (unless the site trusts it)."""
    html_depth: int = 0
    """How many ``markdown="1"`` elements the writer is inside (bounded: each costs stack)."""
    _at: int | None = None
    """Byte offset in ``text`` of the link being rewritten (None: not known)."""
    _data: bytes | None = None
    _search_from: dict[str, int] = field(default_factory=dict)
    _line_starts: list[int] | None = None
    """Where each line of the body starts: a link's line by bisection, not by counting the
    newlines before it (which is quadratic in a page of many links)."""

    # --- the writer's callbacks ---------------------------------------------------------

    def url(self, written: str, kind: str, at: int | None) -> str:
        self._at = at
        if kind == "image":
            self.unlisted(written)
        return self.rewrite(written, kind=kind)

    def unlisted(self, written: str) -> None:
        """An image the text shows and ``media`` does not credit is taken to be the page's
        own work, under its licence; reported only when the site asks (``unlisted-media``)."""
        if UNLISTED not in self.site.config.checks or written.startswith(("data:", "#")):
            return
        parts = urlsplit(written)
        outside = bool(parts.scheme or parts.netloc)
        if not outside and self.media_for(written) is not None:
            return
        line, column = self.line_of(written, advance=False)
        self.report.warning(
            self.page.source.site_path,
            line,
            column,
            UNLISTED,
            f"the image '{written}' is not listed under media, so it is credited as this "
            "page's own work, under the page's licence",
            "copy the image into the content folder and credit it under media"
            if outside
            else f"credit it under media (- file: {written}, with title, author, source "
            "and license) if someone else made it",
        )

    def missing_alt(self, written: str, at: int | None) -> None:
        self._at = at
        line, column = self.line_of(written, advance=False)
        self.report.warning(
            self.page.source.site_path,
            line,
            column,
            "missing-alt",
            f"the image '{written}' has no alternative text",
            "describe it for people who cannot see it: ![what it shows](...)",
        )

    def refused_url(self, written: str, kind: str, at: int | None) -> None:
        self._at = at
        where = (self.page.source.site_path, *self.line_of(written, advance=False))
        scheme = unquote(written).split(":", 1)[0].strip()
        what = "image" if kind == "image" else "link"
        if scheme.casefold() in urls.RUNNING_SCHEMES:
            self.report.error(
                *where,
                "bad-url",
                f"the {what} '{written}' is not published: a '{scheme}:' address runs "
                "script or reads the reader's own machine",
                "link to a web address (https://...), a page of this site, mailto: or tel:; "
                "an image may also be data:image/png, jpeg, gif or webp",
            )
            return
        # Our policy: only schemes that open a page, a mail or a call are published. Most
        # others are typos ("hhttps:"), so a warning, and a dead link until fixed.
        close = did_you_mean(scheme, urls.LINK_SCHEMES, n=1)
        self.report.warning(
            *where,
            "link-scheme",
            f"the {what} '{written}' is not published: browsers open no '{scheme}:' "
            "address as a web page",
            f"did you mean '{close[0]}:'?"
            if close
            else "link to a web address (https://...), mailto: or tel: (our policy)",
        )

    def caption(self, written: str) -> str | None:
        item = self.media_for(written)
        if item is None:
            return None
        license_ = self.site.attribution.media_licenses.get(item)
        return media_caption(item, license_, self.words)

    def raw_html(self) -> None:
        self.has_raw_html = True

    def markdown_in_html(self, raw: str, render: Callable[[str, bool], str]) -> str:
        if self.html_depth >= _MAX_HTML_DEPTH:  # deeper content stays HTML, as written
            return attributes.expand_markdown_html(raw, lambda text: text, lambda text: text)
        self.html_depth += 1
        try:
            return attributes.expand_markdown_html(
                raw, lambda text: render(text, True), lambda text: render(text, False)
            )
        finally:
            self.html_depth -= 1

    def is_written(self, byte_offset: int) -> bool:
        """Whether HTML at ``byte_offset`` of the text was written by a pass, not an editor."""
        return self.maps[-1].written(self._char(byte_offset))

    # --- positions ----------------------------------------------------------------------

    def _char(self, byte_offset: int) -> int:
        if self._data is None:
            self._data = self.text.encode("utf-8")
        return offsets.char_offset(self.text, self._data, byte_offset)

    def media_for(self, written: str) -> Media | None:
        """The ``media`` entry crediting the image written as ``written`` in the body."""
        target = urls.resolve_content_path(self.page.id, unquote(written.split("#")[0]))
        for item in self.page.media:
            if urls.resolve_content_path(self.page.id, item.file) == target:
                return item
        return None

    def line_of(self, written: str, *, advance: bool = True) -> tuple[int | None, int | None]:
        """File line and column of the link being rewritten, from the parser's range;
        inside Markdown rendered from raw HTML, where there is none, of the next
        occurrence of ``written`` in the body (``advance=False``: without moving on)."""
        body = self.page.body
        if self._at is not None:
            index = offsets.compose(self.maps, self._char(self._at))
        else:
            start = self._search_from.get(written, 0)
            index = body.find(written, start)
            if index < 0:
                index = body.find(written)
            if index < 0:
                return None, None
            if advance:
                self._search_from[written] = index + len(written)
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in re.finditer("\n", body))]
        row = bisect.bisect_right(self._line_starts, index) - 1
        return self.page.body_line + row, index - self._line_starts[row] + 1

    def problem(self, written: str, code: str, message: str, hint: str | None) -> None:
        line, column = self.line_of(written)
        self.report.error(self.page.source.site_path, line, column, code, message, hint)

    def near(self, target: str, candidates: Iterable[str]) -> str | None:
        """ "did you mean ...?" with the candidates written as this page would link them."""
        matches = did_you_mean(target, candidates)
        if not matches:
            return None
        written = " or ".join(f"'{urls.relative_path(self.page.id, m)}'" for m in matches)
        return f"did you mean {written}?"

    def anchor(self, target: PageId, fragment: str, written: str) -> None:
        if fragment and fragment != "top":  # "#top" is the top of any page, for browsers
            line, column = self.line_of(written)
            self.anchor_links.append(AnchorLink(target, unquote(fragment), written, line, column))

    def _exists(self, target: str) -> bool:
        site = self.site
        return (
            target in site.page_urls or site.url_of_file(target) is not None
        ) or target in site.sections

    def _in_merged_folder(self, target: str) -> str:
        """A file a page of a merged folder names as if it were beside it, found in another
        of those folders (a Workbench lesson publishes episodes/, learners/ ... as one
        folder, their fig/ and data/ with them); else ``target`` as it was."""
        profile = self.site.config.profile
        merged = profile.merged_folders if profile is not None else ()
        top, _, rest = target.partition("/")
        if top not in merged or not rest:
            return target
        for folder in merged:
            other = f"{folder}/{rest}"
            if folder != top and self._exists(other):
                return other
        return target

    def rewrite(self, href: str, *, kind: str) -> str:
        """The href to publish for ``href`` as the editor wrote it."""
        if href.startswith("#"):
            self.anchor(self.page.id, href[1:], href)
            return href
        if not href or href.startswith("//"):
            return href
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return href
        written_path = unquote(parts.path)
        suffix = ("?" + parts.query if parts.query else "") + (
            "#" + parts.fragment if parts.fragment else ""
        )
        if not written_path:
            return href
        target = urls.resolve_content_path(self.page.id, written_path)
        if target is not None and not self._exists(target):
            target = self._in_merged_folder(target)
        if target is not None:
            self.targets.append(target)
        if self.site.stems:
            self.targets.append(STEM_TARGET + self.page.lang + "\0" + written_path)
        named = self.site.page_by_stem(written_path, self.page.lang)  # a profile's links: stem
        if named is not None and (target is None or not self._exists(target)):
            url = self.site.page_urls[named]
            self.links.append(url + ("#" + parts.fragment if parts.fragment else ""))
            self.anchor(named, parts.fragment, href)
            return urls.relative(self.page_url, url + suffix)
        if (target is None or not self._exists(target)) and not written_path.endswith(".md"):
            address = self.published_address(written_path, target)
            if address is not None:
                return self.to_address(address, parts.fragment, suffix, href)
        if target is None:
            self.problem(
                href,
                "link-outside",
                f"the link '{href}' leads outside the content folder",
                "link to pages and files inside the content folder",
            )
            return href
        site = self.site
        if target.endswith(".md"):
            return self._to_page_file(href, target, parts.fragment, suffix)
        file_url = site.url_of_file(target)
        if file_url is not None:
            self.links.append(file_url)
            return urls.relative(self.page_url, file_url + suffix)
        section = site.sections.get(target)
        if section is not None:
            self.links.append(section.url)
            return urls.relative(self.page_url, section.url + suffix)
        return self._missing(href, kind, written_path, target, suffix)

    def _to_page_file(self, href: str, target: str, fragment: str, suffix: str) -> str:
        """The published link for a link to a ``.md`` file; the file's problem when it is
        no published page."""
        site = self.site
        url = site.page_urls.get(target)
        if url is not None:
            self.links.append(url + ("#" + fragment if fragment else ""))
            self.anchor(PageId(target), fragment, href)
            return urls.relative(self.page_url, url + suffix)
        if target in site.drafts:
            self.problem(
                href,
                "link-to-draft",
                f"the link '{href}' leads to a draft page, which is not published",
                "remove the link or publish the page (remove 'draft: true')",
            )
        elif site.is_unread(target):
            pass  # the page is there but could not be read: its own error says why
        elif posixpath.dirname(target) not in site.sections:
            # A folder without pages (assets/, downloads/): a Markdown file offered for
            # download and kept elsewhere, as Jekyll sites do, not a page that is missing.
            self.problem(
                href,
                "missing-file",
                f"the file '{href}' does not exist (looked for {site.config.content_dir}/{target})",
                self.near(target, site.assets)
                or f"put the file under {site.config.content_dir}/, or lower missing-file "
                "to a warning in checks: while it is published elsewhere",
            )
        else:
            self.problem(
                href,
                "broken-link",
                f"the link '{href}' leads to {target}, which does not exist",
                self.near(target, site.page_urls)
                or "links to pages name their .md file, relative to this page",
            )
        return href

    def _missing(self, href: str, kind: str, written_path: str, target: str, suffix: str) -> str:
        """A link that names no page, file or folder of the site: its problem, and what
        is published for it."""
        site = self.site
        if posixpath.splitext(target)[1] and not written_path.endswith("/"):
            what = "image" if kind == "image" else "file"
            self.problem(
                href,
                f"missing-{what}",
                f"the {what} '{href}' does not exist "
                f"(looked for {site.config.content_dir}/{target})",
                self.near(target, site.assets)
                or f"put the file under {site.config.content_dir}/ or fix the path",
            )
            return href
        elsewhere = self.kept_elsewhere(written_path, target)
        if any(site.unread_at(url) for url in self.candidates(written_path, target)):
            pass  # the page is there but could not be read: its own error says why
        elif elsewhere is not None:
            self.problem(
                href,
                "missing-file",
                f"the link '{href}' names {elsewhere}, which is outside the content folder "
                f"({site.config.content_dir}) and not published",
                f"move it into {site.config.content_dir}/, or lower missing-file to a warning "
                "in checks: while it is published elsewhere",
            )
        else:
            self.problem(
                href,
                "broken-link",
                f"the link '{href}' leads to no page or file of the site",
                self.near_address(written_path, target)
                or "a link to a page names its .md file, or its address (../setup/) as it is "
                "published",
            )
        # Published anyway when the check is lowered: relative to the source, as it reads.
        url = target + ("/" if written_path.endswith("/") else "")
        return urls.relative(self.page_url, url + suffix)

    def candidates(self, written_path: str, target: str | None) -> list[str]:
        """The site URLs a link may name: its path read from the page's file (as ``.md``
        links are), then from the page's own address (as a browser reads it, and as
        Jekyll sites write them)."""
        found = []
        if target is not None:
            found.append(target + "/" if written_path.endswith("/") and target else target)
        from_url = urls.resolve_url(self.page_url, written_path, self.site.config.base_url)
        if from_url is not None and from_url not in found:
            found.append(from_url)
        return found

    def published_address(self, written_path: str, target: str | None) -> str | None:
        """The published address a link names (:meth:`candidates`, the first the site
        publishes); None when the site publishes none."""
        for candidate in self.candidates(written_path, target):
            self.targets.append(URL_TARGET + candidate)
            address = self.site.published(candidate)
            if address is not None:
                return address
        return None

    def kept_elsewhere(self, written_path: str, target: str) -> str | None:
        """The file of the site folder, outside the content folder, that another generator
        (Jekyll) would publish where the link leads (``/notices/`` for ``notices.md`` at
        the top of a repository whose pages are in ``_articles/``), named from the site
        folder; None when there is none. Only asked of a link that leads nowhere."""
        config = self.site.config
        if config.content_path == config.root:
            return None
        name = target.rstrip("/")
        if not name:
            return None
        tries = [f"{name}/index.md", f"{name}/index.html"]
        if not written_path.endswith("/"):
            tries = [name, *tries]
        tries += [f"{name}.md", f"{name}.html"]
        for rel in tries:
            if (config.root / rel).is_file():
                return rel
        return None

    def to_address(self, address: str, fragment: str, suffix: str, href: str) -> str:
        self.links.append(address + ("#" + fragment if fragment else ""))
        page_id = self.site.page_at.get(address)
        if page_id is not None:
            self.anchor(page_id, fragment, href)
        return urls.relative(self.page_url, address + suffix)

    def near_address(self, written_path: str, target: str) -> str | None:
        """ "did you mean ...?" among the pages' addresses, written from this page: near
        the address the link names read from the page's address, else from its file."""
        base_url = self.site.config.base_url
        matches: list[str] = []
        for tried in (urls.resolve_url(self.page_url, written_path, base_url), target):
            if tried is not None and not matches:
                matches = did_you_mean(tried.rstrip("/") + "/", self.site.page_at)
        if not matches:
            return None
        written = " or ".join(f"'{urls.relative(self.page_url, m)}'" for m in matches)
        return f"did you mean {written}?"


@dataclass(frozen=True, slots=True)
class CaptionWords:
    """How a figure's caption reads in one language: the theme's catalogue keys
    ``caption_by`` ("{title} by {author}") and ``caption_license`` ("{caption}, {license}")."""

    by: str = "{title} by {author}"
    license: str = "{caption}, {license}"


CAPTION_KEYS = ("caption_by", "caption_license")
"""The catalogue keys of :class:`CaptionWords`, in the order of its fields."""


def caption_words(catalogue: i18n.Catalogue, lang: str) -> CaptionWords:
    """The caption words of ``lang`` (its catalogue's, else its base language's, else
    English); a catalogue that cannot be read gives the English ones here, and its error
    where the templates use it (a build with it fails there)."""
    try:
        return CaptionWords(*(catalogue.lookup(lang, key) for key in CAPTION_KEYS))
    except (KeyError, ValueError):
        return CaptionWords()


@dataclass(frozen=True, slots=True)
class Engine:
    """The Markdown stage's settings for one build: what :func:`render_page` needs besides
    the page (plain data: pickled to worker processes)."""

    options: MarkdownOptions = field(default_factory=MarkdownOptions)
    captions: Mapping[str, CaptionWords] = field(default_factory=dict)
    """Language -> its caption words (from the theme's and the site's catalogues: the
    Markdown stage renders before the templates, and a caption is part of the HTML). A
    page's HTML depends on those of its language: both caches key it with
    :meth:`words_for`."""

    def words_for(self, lang: str) -> CaptionWords:
        found = self.captions.get(lang)
        return found if found is not None else CaptionWords()


def create_markdown(
    options: MarkdownOptions | None = None, captions: Mapping[str, CaptionWords] | None = None
) -> Engine:
    """The configured Markdown engine; make one per build (with the site's
    ``config.markdown`` and the caption words of its pages' languages) and pass it in."""
    return Engine(options or MarkdownOptions(), dict(captions or {}))


def media_caption(item: Media, license_: License | None, words: CaptionWords | None = None) -> str:
    """'Title by Author, CC BY 4.0' as HTML in the page's language (``words``), each part
    escaped and linked where known; the words are text, escaped too.

    Under the image it marks the medium's own licence where the text shows it (CC's
    "Considerations for licensors": "clearly mark any material not subject to the
    license"); the credits block below the page says it in a full sentence."""
    words = words or CaptionWords()
    title = escape(item.title or posixpath.basename(item.file))
    if item.source:
        title = f'<a href="{escape(item.source)}">{title}</a>'
    caption = Markup(title)
    if item.author:
        author = escape(item.author)
        if item.author_url:
            author = f'<a href="{escape(item.author_url)}">{author}</a>'
        caption = Markup(i18n.fill(words.by, {"title": caption, "author": Markup(author)}))
    if license_ is not None:
        link = f'<a href="{escape(license_.deed_url)}">{escape(license_.short_name)}</a>'
        caption = Markup(i18n.fill(words.license, {"caption": caption, "license": Markup(link)}))
    return str(caption)


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def render_page(md: Engine, site: Site, page: Page, report: Report) -> RenderedPage:
    options = md.options
    body = page.body
    maps: list[OffsetMap] = []
    if options.active:
        body, liquid_map = preprocess.liquid_mapped(
            body, options, _liquid_variables(site, page), writer.code_ranges
        )
        maps.append(liquid_map)
    body, blocks_map = preprocess.blocks_mapped(body, fenced_divs=options.fenced_divs)
    maps.append(blocks_map)
    context = _PageContext(
        site=site,
        page=page,
        page_url=site.page_urls[page.id],
        report=report,
        options=options,
        words=md.words_for(page.lang),
        text=body,
        maps=maps,
    )
    written = writer.Writer(
        options,
        context,
        writer.Ids(used=set(THEME_IDS)),
        is_written=context.is_written if blocks_map.starts else None,
    ).write(body)
    html = written.html
    # Only pages with raw HTML need the sanitiser: everything else was written by our
    # writer, which escapes every value.
    if context.has_raw_html and not site.config.unsafe_html:
        html = sanitize(html)
    if context.has_raw_html:
        html = _THEME_ID_RE.sub(lambda m: m[1] + USER_ID_PREFIX + m[2], html)
    summary = page.summary or shorten(written.first_paragraph)
    heading_ids = tuple(h.id for h in written.headings)
    return RenderedPage(
        id=page.id,
        # Markup once, here: a view wrapping a plain str would copy every page's HTML.
        html=Markup(html),
        toc=tuple(
            TocEntry(h.level, h.id, h.title)
            for h in written.headings
            if h.top and h.level in TOC_LEVELS
        ),
        summary=summary,
        links=tuple(context.links),
        anchors=tuple(
            dict.fromkeys([*heading_ids, *(html_lib.unescape(m) for m in _ID_RE.findall(html))])
        ),
        heading_ids=heading_ids,
        anchor_links=tuple(context.anchor_links),
        targets=tuple(dict.fromkeys(context.targets)),
        words=tuple(words_of(text_of(html))),
    )


def _liquid_variables(site: Site, page: Page) -> preprocess.Variables:
    """What ``{{ site.x }}`` and ``{{ page.x }}`` (and ``{page.x}`` in a tag's template)
    can name: the values commonsgen knows. ``page.original_slug`` is the slug of the page a
    translation translates (its own on an original): the files of a lesson are often kept
    under the original's name, shared by its translations."""
    edge = page.translation_of
    original = site.pages.get(edge.page) if edge is not None and edge.page else None

    def value(name: str) -> str | None:
        config = site.config
        known: dict[str, str | None] = {
            "site.title": config.title_in(page.lang),
            "site.description": config.description,
            "site.url": config.base_url.rstrip("/"),
            "site.baseurl": "",
            "page.title": page.title,
            "page.url": site.page_urls.get(page.id),
            "page.slug": page_slug(page),
            "page.lang": page.lang,
            "page.original_slug": page_slug(original) if original else page_slug(page),
            "page.summary": page.summary,
            "page.description": page.summary,
        }
        if name in known:
            return known[name]
        extra = config.extra.get(name.removeprefix("site."))
        return str(extra) if name.startswith("site.") and isinstance(extra, str | int) else None

    return value


def page_slug(page: Page) -> str:
    """The page's slug: its ``slug``, else its file name without ``.md`` (the folder's
    name for an index page)."""
    if page.slug:
        return page.slug
    parts = page.id.removesuffix(".md").split("/")
    if parts[-1] == "index" and len(parts) > 1:
        parts.pop()
    return parts[-1]


_ID_RE = re.compile(r"""<(?:[a-zA-Z][^>]*?\sid|a\s[^>]*?\bname)=["']([^"']*)["']""")
"""What ``#x`` may name in raw HTML: any element's ``id``, an ``<a name="x">`` (browsers
scroll to it, and pages written for kramdown use it)."""

THEME_IDS = (
    "main",
    "toc-heading",
    "credits-heading",
    "reuse",
    "attribution-text",
    "cite-bibtex",
    "cite-ris",
    "cite-csl-json",
    "sections-heading",
    "recent-heading",
    "pages-heading",
    "all-pages-heading",
    "search-form",
    "search-input",
    "site-search-input",
    "menu-search-input",
    "credit-chain",
    "search-status",
    "search-results",
    "search-all-pages",
    "search-more",
    "search-panel",
    "search-panel-list",
    "search-panel-none",
    "search-panel-all",
    "search-panel-status",
    # the overlay's results (search-overlay.js shows at most eight)
    *(f"search-option-{n}" for n in range(8)),
)
"""Ids the default theme's templates and scripts use (tests/unit/test_anchors.py checks the
templates against this list): a heading never takes one (``Reuse`` is ``reuse-1``), and a
page's raw HTML that writes one gets ``user-content-`` before it, as GitHub does, so that no
page can move the skip link's target or the copy buttons' text."""
USER_ID_PREFIX = "user-content-"
_THEME_ID_RE = re.compile(
    r"""(<[a-zA-Z][^>]*?\sid=["'])(""" + "|".join(THEME_IDS) + r""")(?=["'])"""
)

_TAGS = nh3.ALLOWED_TAGS | {"section", "input", "details", "summary", "figure", "figcaption"}
_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "title", "lang", "dir", "aria-label", "aria-hidden", "role"},
    "a": {"href", "hreflang", "rel", "name"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "input": {"checked", "disabled"},  # task lists; "type" is limited below
    "th": nh3.ALLOWED_ATTRIBUTES["th"] | {"style"},
    "td": nh3.ALLOWED_ATTRIBUTES["td"] | {"style"},
    "details": {"open"},
    "pre": {"tabindex"},  # "0" only: see _keep_attribute
}


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """data: URLs only as images (an image cannot run script); ammonia checks the rest."""
    if attribute in ("href", "src", "cite") and value.strip().lower().startswith("data:"):
        return value if tag == "img" and value.strip().lower().startswith("data:image/") else None
    if attribute == "tabindex":  # reachable by keyboard, never first in the tab order
        return "0"
    return value


def sanitize(html: str) -> str:
    """Keep what a page may show, drop what could run: no script, style, iframe, form, no
    ``on*`` attributes, no ``javascript:`` URLs, ``data:`` only for images."""
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        strip_comments=True,
        link_rel=None,
        url_schemes={*urls.LINK_SCHEMES, "data"},  # data: only for images: _keep_attribute
        filter_style_properties={"text-align"},
        # a task list's checkbox, not a text field that could ask for a password
        tag_attribute_values={"input": {"type": {"checkbox"}}},
    )


def check_anchors(
    rendered: Mapping[PageId, RenderedPage],
    site: Site,
    report: Report,
    sources: Iterable[PageId] | None = None,
) -> None:
    """Every ``#fragment`` must name an id of its target page; run after all pages are
    rendered, since a link may point to a page rendered later. ``sources``: the links of
    these pages only (a rebuild that knows which can have changed)."""
    known: dict[PageId, frozenset[str]] = {}  # a set per target: many links, many headings
    suggested = 0
    for page in rendered.values() if sources is None else (rendered[s] for s in sources):
        source = site.pages[page.id]
        for link in page.anchor_links:
            target = rendered.get(link.target)
            if target is None:
                continue
            if link.target not in known:
                known[link.target] = frozenset(target.anchors)
            if link.fragment in known[link.target]:
                continue
            where = "this page" if link.target == page.id else f"{link.target}"
            path = link.written.split("#", 1)[0]
            # A suggestion compares with every heading of the target: only for the first
            # few broken links, or a page of thousands of them takes quadratic time.
            suggested += 1
            matches = did_you_mean(link.fragment, target.anchors) if suggested <= 50 else []
            if matches:
                hint = "did you mean " + " or ".join(f"'{path}#{m}'" for m in matches) + "?"
            elif target.heading_ids:
                hint = "its headings: " + ", ".join(f"#{a}" for a in target.heading_ids[:8])
            else:
                hint = f"{where} has no headings to link to"
            report.error(
                source.source.site_path,
                link.line,
                link.column,
                "broken-anchor",
                f"the link '{link.written}' names '#{link.fragment}', which is no heading "
                f"of {where}",
                hint,
            )
