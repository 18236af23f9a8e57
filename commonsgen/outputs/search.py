"""Search that needs no server: a sharded index per language, loaded a piece at a time.

A reader's first query must not download the whole index (at 10,000 pages it would be
megabytes), so each language's index is many small scripts in ``search/index/``:

- ``search/search-index.js``, the manifest: the number of pages and, for each word shard,
  the word it starts at ("" for the first) and its file's name;
- ``index/w-<id>.js``, a shard: a run of the sorted vocabulary, each word with the pages
  that have it;
- ``index/p-<n>.js``, a page: title, section, link, summary and text, for the results
  shown and the excerpt that shows why each matched.

They are scripts that assign or call one global, not JSON files: a ``<script src>`` loads
from ``file://`` too, where a browser refuses ``fetch``. ``theme/search-engine.js`` reads
them. Words are folded as it folds a query (accents dropped, lower case), so "Flüsse" finds
"flusse" and "FLUSS" finds both; a query word also finds the words it begins.

Shard boundaries are chosen word by word (a hash of the word against its share of a
shard's bytes), not by filling shards in order: a page edit that adds or drops a word then
changes the shard of that word alone, which is what lets ``serve`` rewrite only the files
that changed (:meth:`Index.update`) and still write what a clean build writes.

Pagefind was the other way: its index is fetched in pieces and decoded with WebAssembly,
which ``file://`` blocks, and it is a platform binary to install next to commonsgen
(``benchmarks/search_vs_pagefind.py`` compares the two).
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import json
import operator
from dataclasses import dataclass

from commonsgen import urls
from commonsgen.markdown.html import RenderedPage
from commonsgen.markdown.words import text_of, words
from commonsgen.model import PageId
from commonsgen.site import Site

SEARCH_URL = "search/"
"""The search page's folder under each language's home."""
INDEX_NAME = "search-index.js"
"""The manifest, next to the search page."""
INDEX_GLOBAL = "commonsgenSearchIndex"
"""The name the manifest assigns to, which ``theme/search-engine.js`` reads."""
LOADED = "commonsgenSearchLoaded"
"""The function each shard and page file calls with its data."""
SHARDS = "index/"
"""The shards' folder, next to the manifest."""
FORMAT_VERSION = 2
SHARD_BYTES = 40_000
"""About how many bytes of postings a word shard holds (gzip makes them a fifth or less)."""
MAX_TEXT = 20_000
"""Characters of a page's text kept for excerpts; a match beyond shows the summary."""


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
    text: str = ""
    """Its visible text (at most :data:`MAX_TEXT` characters), for excerpts."""


def _section_title(site: Site, page_id: PageId) -> str:
    """The section a page is listed in; none for a home page, which is in none."""
    section = site.section_of(page_id)
    return "" if section.index_page == page_id else section.title


def excerpt_text(html: str) -> str:
    """A page's text as excerpts show it: without the "#" of headings' links to
    themselves (any link whose text is "#"; a plain replace, as this runs on every page)."""
    return text_of(html.replace(">#</a>", "></a>"))


def entry(site: Site, rendered: dict[PageId, RenderedPage], page_id: PageId) -> Entry:
    page = site.pages[page_id]
    done = rendered[page_id]
    section = _section_title(site, page_id)
    text = excerpt_text(done.html)
    # The text's words come with the rendered page, where the build cache keeps them.
    found = list(done.words) if done.words else words(text)
    seen = dict.fromkeys(words(page.title) + words(section) + found)
    return Entry(
        page.title, section, site.page_urls[page_id], done.summary, tuple(seen), text[:MAX_TEXT]
    )


def entries(site: Site, rendered: dict[PageId, RenderedPage], lang: str) -> list[Entry]:
    """The pages of one language, by title, then URL."""
    found = [entry(site, rendered, pid) for pid, page in site.pages.items() if page.lang == lang]
    return sorted(found, key=lambda e: (e.title.casefold(), e.url))


def _json(value: object) -> str:
    # U+2028/2029 end a line in older JavaScript engines, inside a string too.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")


def starts_shard(word: str, pages: int) -> bool:
    """Whether ``word`` begins a shard, when it is on this many pages: a word is as likely
    to as its postings' share of a shard's bytes, so shards hold about
    :data:`SHARD_BYTES` whatever the mix of common and rare words."""
    cost = len(word) + 4 + 3 * pages
    return _hash(word) * SHARD_BYTES < cost << 64


def shard_name(first_word: str) -> str:
    """A shard's file name, from its first word: stable while that word starts it."""
    return "w-" + hashlib.blake2b(first_word.encode(), digest_size=6).hexdigest()


def _order(word: str) -> bytes:
    """A word's place in the vocabulary: by UTF-16 code units, as JavaScript compares
    strings (code points order a character beyond U+FFFF differently)."""
    return word.encode("utf-16-be")


def _at(words_in: list[str], word: str, *, after: bool = False) -> int:
    """Where ``word`` goes in a list sorted by :func:`_order`."""
    find = bisect.bisect_right if after else bisect.bisect_left
    return find(words_in, _order(word), key=_order)


def _starts(vocabulary: list[str], postings: dict[str, list[int]]) -> list[str]:
    """Where each shard starts: "" (the first holds every word before the second's start,
    so a new first word changes no name), then each word that :func:`starts_shard`."""
    return ["", *(w for w in vocabulary if starts_shard(w, len(postings[w])))]


def _posting(number: int, titled: bool) -> int:
    """A page number and whether the word is in its title, in one ascending integer."""
    return 2 * number + titled


@dataclass(slots=True)
class Index:
    """One language's index. The dev server's :mod:`commonsgen.incremental.textedit`
    changes one page's entry in place (:meth:`update`); what it writes then is what
    :meth:`files` writes for a clean build, byte for byte."""

    lang: str
    base: str
    """The search page's URL: links are relative to it, its files are in its folder."""
    listed: list[Entry]
    postings: dict[str, list[int]]
    """Word -> the :func:`_posting` of each page that has it, ascending."""
    numbers: dict[str, int]
    """Site URL -> the page's number in the index."""
    vocabulary: list[str]
    """The words, sorted by :func:`_order`."""
    starts: list[str]
    """Where each shard starts: "", then its first word; sorted."""

    @classmethod
    def make(cls, site: Site, rendered: dict[PageId, RenderedPage], lang: str) -> Index:
        return cls.of(lang, search_url(site, lang), entries(site, rendered, lang))

    @classmethod
    def of(cls, lang: str, base: str, listed: list[Entry]) -> Index:
        """The index of these entries (sorted as :func:`entries` sorts them)."""
        postings: dict[str, list[int]] = {}
        for number, found in enumerate(listed):
            titled = set(words(found.title))
            plain, marked = _posting(number, False), _posting(number, True)
            for word in found.words:  # the build's hottest loop: millions of postings
                found_in = postings.get(word)
                if found_in is None:
                    found_in = postings[word] = []
                found_in.append(marked if word in titled else plain)
        numbers = {found.url: n for n, found in enumerate(listed)}
        vocabulary = sorted(postings, key=_order)
        return cls(lang, base, listed, postings, numbers, vocabulary, _starts(vocabulary, postings))

    # -- files

    @property
    def folder(self) -> str:
        """The output folder of the search page and its index."""
        return urls.out_path(self.base).removesuffix("index.html")

    def manifest(self) -> bytes:
        shards = [[first, shard_name(first)] for first in self.starts]
        body = {"version": FORMAT_VERSION, "lang": self.lang, "pages": len(self.listed)}
        return f"self.{INDEX_GLOBAL} = {_json({**body, 'shards': shards})};\n".encode()

    def _shard_words(self, at: int, vocabulary: list[str]) -> list[str]:
        """The words of the shard that begins with ``self.starts[at]``."""
        low = _at(vocabulary, self.starts[at])
        high = (
            _at(vocabulary, self.starts[at + 1]) if at + 1 < len(self.starts) else len(vocabulary)
        )
        return vocabulary[low:high]

    def shard(self, words_in: list[str], name: str) -> bytes:
        parts = []
        for word in words_in:
            numbers = self.postings[word]
            # Each page's number as the difference from the one before: short digits.
            deltas = ",".join(map(str, map(operator.sub, numbers, [0, *numbers])))
            parts.append(f"{_json(word)}:[{deltas}]")
        return f'{LOADED}("{name}",{{{",".join(parts)}}});\n'.encode()

    def page(self, number: int) -> bytes:
        found = self.listed[number]
        link = urls.relative(self.base, found.url)
        row = [found.title, found.section, link, found.excerpt, found.text]
        return f'{LOADED}("p-{number}",{_json(row)});\n'.encode()

    def files(self) -> dict[str, bytes]:
        """Output path -> bytes of the manifest, every shard and every page file."""
        folder = self.folder
        out = {folder + INDEX_NAME: self.manifest()}
        vocabulary = self.vocabulary
        bounds = [_at(vocabulary, w) for w in self.starts] + [len(vocabulary)]
        for at, first in enumerate(self.starts):
            name = shard_name(first)
            out[f"{folder}{SHARDS}{name}.js"] = self.shard(
                vocabulary[bounds[at] : bounds[at + 1]], name
            )
        for number in range(len(self.listed)):
            out[f"{folder}{SHARDS}p-{number}.js"] = self.page(number)
        return out

    # -- serve's updates

    def _restarted(self, words_in: set[str]) -> list[str]:
        """:func:`_starts` again, after a change to the postings of these words alone:
        only their shard boundaries can have moved."""
        starts = list(self.starts)
        for word in sorted(words_in, key=_order):
            at = _at(starts, word)
            held = at < len(starts) and starts[at] == word
            counts = self.postings.get(word)
            wanted = counts is not None and starts_shard(word, len(counts))
            if wanted and not held:
                starts.insert(at, word)
            elif held and not wanted:
                del starts[at]
        return starts

    def holds(self, changed: Entry) -> bool:
        """Whether the index has this very entry (a page edit that changed no word of it)."""
        number = self.numbers.get(changed.url)
        return number is not None and self.listed[number] == changed

    def update(self, changed: Entry) -> tuple[dict[str, bytes], list[str]] | None:
        """Put a page's new entry in (same title and URL, so the same place): the files
        that changed, with their new bytes, and the files that are gone. None when the
        index has no such page or its place would change."""
        number = self.numbers.get(changed.url)
        if number is None or self.listed[number].title != changed.title:
            return None
        old = self.listed[number]
        if old == changed:
            return {}, []
        self.listed[number] = changed
        titled = set(words(changed.title))
        now = dict.fromkeys(changed.words)
        touched: set[str] = set()
        vocabulary = self.vocabulary
        for word in [w for w in old.words if w not in now]:
            numbers = self.postings[word]
            numbers.remove(_posting(number, word in titled))
            touched.add(word)
            if not numbers:
                del self.postings[word]
                del vocabulary[_at(vocabulary, word)]
        before = set(old.words)
        for word in [w for w in now if w not in before]:
            if word not in self.postings:
                vocabulary.insert(_at(vocabulary, word), word)
            bisect.insort(self.postings.setdefault(word, []), _posting(number, word in titled))
            touched.add(word)
        folder = self.folder
        written = {}
        if dataclasses.replace(old, words=()) != dataclasses.replace(changed, words=()):
            written[f"{folder}{SHARDS}p-{number}.js"] = self.page(number)
        old_starts = self.starts
        self.starts = self._restarted(touched)
        gone = sorted(set(old_starts) - set(self.starts))
        added = set(self.starts) - set(old_starts)
        kept = set(self.starts)

        def holder(starts: list[str], word: str) -> str:
            """Where the shard of ``starts`` that holds ``word`` starts."""
            return starts[_at(starts, word, after=True) - 1]  # starts[0] is "": never -1

        redo: set[str] = set()
        for word in touched:  # the shard it was in and the one it is in
            redo.add(holder(self.starts, word))
            if holder(old_starts, word) in kept:
                redo.add(holder(old_starts, word))
        for first in added:  # a new shard, cut from the one before it
            redo.update((first, self.starts[_at(self.starts, first) - 1]))
        for first in gone:  # merged into the one before it
            redo.add(holder(self.starts, first))
        for first in sorted(redo):
            at = _at(self.starts, first)
            name = shard_name(first)
            written[f"{folder}{SHARDS}{name}.js"] = self.shard(
                self._shard_words(at, vocabulary), name
            )
        if self.starts != old_starts:
            written[folder + INDEX_NAME] = self.manifest()
        return written, [f"{folder}{SHARDS}{shard_name(first)}.js" for first in gone]


def all_pages(site: Site, lang: str) -> list[dict[str, str]]:
    """Every page of the language in the index's order, for the search page to list when
    scripts are off."""
    found = [
        {"title": page.title, "section": _section_title(site, pid), "url": site.page_urls[pid]}
        for pid, page in site.pages.items()
        if page.lang == lang
    ]
    return sorted(found, key=lambda p: (p["title"].casefold(), p["url"]))
