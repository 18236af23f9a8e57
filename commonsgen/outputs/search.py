"""Search that needs no server: a compact index per language, read by a small script.

The index is a JavaScript file (``search/search-index.js``) that assigns one global, not a
JSON file: a ``<script src>`` loads from ``file://`` too, where a browser refuses ``fetch``.
It lists each page (title, section, link, excerpt) once and maps every word of every page
to the pages that have it, which stores a word used on many pages only once. Words are
folded as ``theme/search.js`` folds a query (accents dropped, lower case), so "Flüsse"
finds "flusse" and "FLUSS" finds both.

Pagefind was the other way (issue 8): its index is fetched in pieces and decoded with
WebAssembly, which ``file://`` blocks, and it is a platform binary to install next to
commonsgen. This index is plain data, in the build's own deterministic output.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass

from commonsgen import urls
from commonsgen.markdown.html import RenderedPage
from commonsgen.markdown.words import text_of, words
from commonsgen.model import PageId
from commonsgen.site import Site

SEARCH_URL = "search/"
"""The search page's folder under each language's home."""
INDEX_NAME = "search-index.js"
"""The index, next to the search page."""
INDEX_GLOBAL = "commonsgenSearchIndex"
"""The name the index assigns to, which ``theme/search.js`` reads."""
FORMAT_VERSION = 1


def search_url(site: Site, lang: str) -> str:
    return site.home_for(lang).url + SEARCH_URL


def languages(site: Site) -> list[str]:
    """The languages that get a search page: those with a home, in code order."""
    return sorted(site.language_roots)


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    section: str
    url: str
    """The page's site URL."""
    excerpt: str
    words: tuple[str, ...]
    """Its distinct folded words: title, section and text, in first-seen order."""


def _section_title(site: Site, page_id: PageId) -> str:
    """The section a page is listed in; none for a home page, which is in none."""
    section = site.section_of(page_id)
    return "" if section.index_page == page_id else section.title


def entry(site: Site, rendered: dict[PageId, RenderedPage], page_id: PageId) -> Entry:
    page = site.pages[page_id]
    done = rendered[page_id]
    section = _section_title(site, page_id)
    # The text's words come with the rendered page, where the build cache keeps them.
    text = list(done.words) if done.words else words(text_of(done.html))
    seen = dict.fromkeys(words(page.title) + words(section) + text)
    return Entry(page.title, section, site.page_urls[page_id], done.summary, tuple(seen))


def entries(site: Site, rendered: dict[PageId, RenderedPage], lang: str) -> list[Entry]:
    """The pages of one language, by title, then URL."""
    found = [entry(site, rendered, pid) for pid, page in site.pages.items() if page.lang == lang]
    return sorted(found, key=lambda e: (e.title.casefold(), e.url))


def index_js(site: Site, rendered: dict[PageId, RenderedPage], lang: str) -> bytes:
    """The search index of one language as a script; links are relative to its page."""
    return Index.make(site, rendered, lang).script()


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class Index:
    """One language's index. The dev server's :mod:`commonsgen.incremental.textedit`
    changes one page's entry in place; for it, the index is kept in pieces (each page's
    row, each word's postings, as encoded JSON) that the script is joined from, byte for byte the
    ``json.dumps`` of the whole, which a build makes at once (faster for one script)."""

    lang: str
    base: str
    """The search page's URL: links are relative to it."""
    listed: list[Entry]
    postings: dict[str, list[int]]
    """Word -> the numbers of the pages that have it, ascending."""
    pieces: _Pieces | None = None

    @classmethod
    def make(
        cls,
        site: Site,
        rendered: dict[PageId, RenderedPage],
        lang: str,
        *,
        in_pieces: bool = False,
    ) -> Index:
        return cls.of(lang, search_url(site, lang), entries(site, rendered, lang), in_pieces)

    @classmethod
    def of(cls, lang: str, base: str, listed: list[Entry], in_pieces: bool) -> Index:
        """The index of these entries (sorted as :func:`entries` sorts them)."""
        postings: dict[str, list[int]] = {}
        for number, found in enumerate(listed):
            for word in found.words:
                postings.setdefault(word, []).append(number)
        index = cls(lang, base, listed, postings)
        if in_pieces:
            index.pieces = _Pieces(
                {found.url: n for n, found in enumerate(listed)},
                [_row(index.base, found) for found in listed],
                {word: _postings(word, numbers) for word, numbers in postings.items()},
                sorted(postings),
            )
        return index

    def holds(self, entry: Entry) -> bool:
        """Whether the index has this very entry (a page edit that changed no word of it)."""
        pieces = self.pieces
        number = pieces.numbers.get(entry.url) if pieces is not None else None
        return number is not None and self.listed[number] == entry

    def update(self, changed: Entry) -> bool:
        """Put a page's new entry in (same title and URL, so the same place); False when
        the index has no such page, its place would change, or it is not in pieces."""
        pieces = self.pieces
        number = pieces.numbers.get(changed.url) if pieces is not None else None
        if pieces is None or number is None or self.listed[number].title != changed.title:
            return False
        old = self.listed[number]
        self.listed[number] = changed
        pieces.rows[number] = _row(self.base, changed)
        now = dict.fromkeys(changed.words)
        for word in [w for w in old.words if w not in now]:
            numbers = self.postings[word]
            numbers.remove(number)
            if numbers:
                pieces.words[word] = _postings(word, numbers)
            else:
                del self.postings[word], pieces.words[word]
                pieces.order.pop(bisect.bisect_left(pieces.order, word))
        before = set(old.words)
        for word in [w for w in now if w not in before]:
            if word not in self.postings:
                bisect.insort(pieces.order, word)
            numbers = self.postings.setdefault(word, [])
            bisect.insort(numbers, number)
            pieces.words[word] = _postings(word, numbers)
        return True

    def script(self) -> bytes:
        pieces = self.pieces
        if pieces is not None:
            return b"".join(
                (
                    f'self.{INDEX_GLOBAL} = {{"version":{FORMAT_VERSION},'.encode(),
                    f'"lang":{_json(self.lang)},"pages":['.encode(),
                    b",".join(pieces.rows),
                    b'],"words":{',
                    b",".join([pieces.words[word] for word in pieces.order]),
                    b"}};\n",
                )
            )
        body = _json(
            {
                "version": FORMAT_VERSION,
                "lang": self.lang,
                "pages": [_fields(self.base, found) for found in self.listed],
                "words": dict(sorted(self.postings.items())),
            }
        )
        return f"self.{INDEX_GLOBAL} = {_line_safe(body)};\n".encode()


@dataclass(slots=True)
class _Pieces:
    numbers: dict[str, int]
    """Site URL -> the page's number in the index."""
    rows: list[bytes]
    words: dict[str, bytes]
    order: list[str]
    """The words, sorted."""


def _fields(base: str, found: Entry) -> list[str]:
    return [found.title, found.section, urls.relative(base, found.url), found.excerpt]


def _line_safe(text: str) -> str:
    # U+2028/2029 end a line in older JavaScript engines, inside a string too.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _postings(word: str, numbers: list[int]) -> bytes:
    return _line_safe(f"{_json(word)}:{_json(numbers)}").encode()


def _row(base: str, found: Entry) -> bytes:
    return _line_safe(_json(_fields(base, found))).encode()


def all_pages(site: Site, lang: str) -> list[dict[str, str]]:
    """Every page of the language in the index's order, for the search page to list when
    scripts are off."""
    found = [
        {"title": page.title, "section": _section_title(site, pid), "url": site.page_urls[pid]}
        for pid, page in site.pages.items()
        if page.lang == lang
    ]
    return sorted(found, key=lambda p: (p["title"].casefold(), p["url"]))
