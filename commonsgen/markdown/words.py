"""The words of a page as search reads them, folded as ``theme/search.js`` folds a query.

Here, below the Markdown stage, so that a page's words are found when it is rendered (in a
worker process, and kept by the build cache with the page) rather than on every build.
"""

from __future__ import annotations

import html as htmlmodule
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")
_RUN = re.compile(r"[^\s!-/:-@\[-`{-~]+")
_MAX_WORD = 40
"""Longer runs are hashes, URLs glued together or tables of digits: nobody types them."""


def fold(text: str) -> str:
    """Lower case without accents; ``theme/search.js`` folds a query the same way."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def words(text: str) -> list[str]:
    """The distinct folded words of ``text``, in the order they first appear."""
    runs = dict.fromkeys(_RUN.findall(text.lower()))
    if text.isascii():  # each run is its own folded word: only the length limits apply
        return [run for run in runs if 1 < len(run) <= _MAX_WORD]
    found: dict[str, None] = {}
    # Runs between spaces and ASCII punctuation, each folded once: a page repeats its words.
    # Marks stay in a run until folding drops them ("हिन्दी" is one word, as in search.js).
    for run in runs:
        for folded in (run,) if run.isascii() else _WORD.findall(fold(run)):
            if 1 < len(folded) <= _MAX_WORD:
                found[folded] = None
    return list(found)


_SKIPPED = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
"""A tag, a ">" inside a quoted attribute value and all."""


_CODE = re.compile(r'<pre class="highlight"[^>]*>.*?</pre>', re.DOTALL)
"""Coloured code (commonsgen.markdown.code): one span a token, which are no word
boundaries, and line numbers, which are not its text."""
_LINE_NUMBER = re.compile(r'<span class="ln" aria-hidden="true">\d+</span>')
_SPAN = re.compile(r"</?span\b[^>]*>")


def _code_text(match: re.Match[str]) -> str:
    return _SPAN.sub("", _LINE_NUMBER.sub("", match.group()))


def text_of(html: str) -> str:
    """The visible text of a page's HTML: what the renderer and sanitiser made, so tags are
    well formed and a regular expression is enough (and ten times faster than a parser)."""
    if '<pre class="highlight"' in html:
        html = _CODE.sub(_code_text, html)
    text = _TAG.sub(" ", _SKIPPED.sub(" ", html))
    return " ".join(htmlmodule.unescape(text).split())
