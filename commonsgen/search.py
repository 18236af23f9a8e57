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
from commonsgen.markdown import RenderedPage
from commonsgen.model import PageId
from commonsgen.site import Site
from commonsgen.textwords import text_of, words

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
    """One language's index, kept in pieces so that a page's new text changes only its own
    (the dev server's :mod:`commonsgen.bodyedit`): the script is the JSON of
    ``{"version", "lang", "pages", "words"}``, joined from each page's row and each word's
    postings, byte for byte what one ``json.dumps`` of the whole gives."""

    lang: str
    base: str
    """The search page's URL: links are relative to it."""
    listed: list[Entry]
    numbers: dict[str, int]
    """Site URL -> the page's number in ``listed``."""
    rows: list[str]
    """Each page's JSON row."""
    postings: dict[str, list[int]]
    """Word -> the numbers of the pages that have it, ascending."""
    _word_json: dict[str, str]

    @classmethod
    def make(cls, site: Site, rendered: dict[PageId, RenderedPage], lang: str) -> Index:
        base = search_url(site, lang)
        listed = entries(site, rendered, lang)
        postings: dict[str, list[int]] = {}
        for number, found in enumerate(listed):
            for word in found.words:
                postings.setdefault(word, []).append(number)
        rows = [_row(base, found) for found in listed]
        numbers = {found.url: n for n, found in enumerate(listed)}
        return cls(lang, base, listed, numbers, rows, postings, {})

    def update(self, changed: Entry) -> bool:
        """Put a page's new entry in (same title and URL, so the same place); False when
        the index has no such page, or its place would change."""
        number = self.numbers.get(changed.url)
        if number is None or self.listed[number].title != changed.title:
            return False
        old = self.listed[number]
        self.listed[number] = changed
        self.rows[number] = _row(self.base, changed)
        now = set(changed.words)
        for word in set(old.words) - now:
            numbers = self.postings[word]
            numbers.remove(number)
            self._word_json.pop(word, None)
            if not numbers:
                del self.postings[word]
        for word in now - set(old.words):
            bisect.insort(self.postings.setdefault(word, []), number)
            self._word_json.pop(word, None)
        return True

    def script(self) -> bytes:
        cached = self._word_json
        for word, numbers in self.postings.items():
            if word not in cached:
                cached[word] = f"{_json(word)}:{_json(numbers)}"
        body = (
            f'{{"version":{FORMAT_VERSION},"lang":{_json(self.lang)},"pages":['
            + ",".join(self.rows)
            + '],"words":{'
            + ",".join(cached[word] for word in sorted(self.postings))
            + "}}"
        )
        # U+2028/2029 end a line in older JavaScript engines, inside a string too.
        body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return f"self.{INDEX_GLOBAL} = {body};\n".encode()


def _row(base: str, found: Entry) -> str:
    return _json([found.title, found.section, urls.relative(base, found.url), found.excerpt])


def all_pages(site: Site, lang: str) -> list[dict[str, str]]:
    """Every page of the language in the index's order, for the search page to list when
    scripts are off."""
    found = [
        {"title": page.title, "section": _section_title(site, pid), "url": site.page_urls[pid]}
        for pid, page in site.pages.items()
        if page.lang == lang
    ]
    return sorted(found, key=lambda p: (p["title"].casefold(), p["url"]))
