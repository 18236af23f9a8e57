"""Fenced code blocks as HTML: coloured by Pygments (the Python ecosystem's highlighter),
with line numbers and marked lines when the fence asks for them.

The fence's info string is the language, then options in either common spelling:
Hugo's ``python {linenos=true hl_lines="2-3"}`` or Python-Markdown's
``python linenums="1" hl_lines="2 3"``. Colours are not in the HTML: Pygments' short token
classes (``k`` keyword, ``s`` string ...) inside ``pre.highlight``, which the theme's style
sheet colours from CSS variables, so light and dark schemes both work.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

_OPTION_RE = re.compile(r"""([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s,}]+))""")
MAX_LINES_MARKED = 10_000
"""More line numbers than any code block has: a range such as ``1-99999999`` stays cheap."""


def escape(text: str) -> str:
    """As the writer escapes text (quotes too, so the same text gives the same bytes)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@dataclass(frozen=True, slots=True)
class Fence:
    language: str
    numbers_from: int | None = None
    """The first line's number when lines are numbered."""
    marked: frozenset[int] = frozenset()
    """Line numbers (from 1, whatever the numbering starts at) to mark."""


def parse_info(info: str) -> Fence:
    """The language and options of a fence's info string; options that are not understood
    are left alone (other tools' options must not break the page)."""
    text = info.strip()
    language, _, rest = text.partition(" ")
    if "{" in language:  # ```python{linenos=true}
        language, _, more = language.partition("{")
        rest = "{" + more + " " + rest
    language = language.strip("{}.")
    options = {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _OPTION_RE.finditer(rest)
    }
    numbers_from = None
    for key in ("linenos", "linenums", "linenostart"):
        value = options.get(key, "").strip().lower()
        if value in ("true", "table", "inline", "yes"):
            numbers_from = numbers_from or 1
        elif value.isdigit() and value != "0" and len(value) < 8:
            numbers_from = int(value)
    marked = _line_set(options.get("hl_lines", ""))
    return Fence(language, numbers_from, marked)


def _line_set(text: str) -> frozenset[int]:
    lines: set[int] = set()
    for part in re.split(r"[\s,]+", text.strip()):
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            continue
        start = int(first)
        end = min(int(last) if last else start, MAX_LINES_MARKED)
        lines.update(range(start, end + 1))
    return frozenset(lines)


def code_block(info: str, text: str) -> str:
    """``<pre>`` for a fenced code block with this info string and (unescaped) text.

    Focusable (``tabindex="0"``): a long line scrolls the block sideways, and a reader
    without a mouse must be able to reach it to scroll it (WCAG 2.1.1)."""
    fence = parse_info(info)
    cls = f' class="language-{escape(fence.language)}"' if fence.language else ""
    lexer = _lexer(fence.language.lower()) if fence.language else None
    if lexer is None:
        body = escape(text)
        pre = '<pre tabindex="0">'
    else:
        body = _highlight(text, lexer)
        pre = '<pre class="highlight" tabindex="0">'
    if fence.numbers_from is not None or fence.marked:
        body = _lines(body, fence)
    return f"{pre}<code{cls}>{body}</code></pre>\n"


def _lines(body: str, fence: Fence) -> str:
    """One element a line, so that a line can be marked and numbered. Numbers are
    hidden from assistive technology and from the copy button (``.ln``)."""
    rows = body.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    out = []
    for index, row in enumerate(rows, 1):
        cls = "line hl" if index in fence.marked else "line"
        number = ""
        if fence.numbers_from is not None:
            number = f'<span class="ln" aria-hidden="true">{fence.numbers_from + index - 1}</span>'
        out.append(f'<span class="{cls}">{number}{row}\n</span>')
    return "".join(out)


@functools.cache
def _lexer(language: str) -> Any | None:
    """Pygments' lexer for a language name or alias, None when it has none. Imported on
    first use: a site without coloured code never loads Pygments."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        # keep the text exactly: no stripped leading or trailing blank lines
        return get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=False)
    except ClassNotFound:
        return None


@functools.cache
def _formatter() -> Any:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


def _highlight(text: str, lexer: Any) -> str:
    from pygments import highlight

    if not text:
        return ""
    html = str(highlight(text, lexer, _formatter()))
    # Pygments closes every token's span at the end of its line, so splitting into lines
    # never cuts a span. It ends the text with one more newline than it had: the reader
    # gets the text as written.
    newlines = len(text) - len(text.rstrip("\n"))
    return html.rstrip("\n") + "\n" * newlines
