"""Attributes from kramdown and Pandoc attribute lists, reduced to what is safe to publish,
and kramdown's Markdown inside HTML (``markdown="1"``); switched on by
:class:`commonsgen.markdown.dialect.MarkdownOptions` and used by the writer
(:mod:`commonsgen.markdown.writer`), which finds the attribute lists among its events. An
attribute list that cannot be applied is dropped, never shown as ``{: ...}`` text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape

_SIZE_RE = re.compile(r"^(\d{1,5})(?:px)?$")
_ELEMENT_ATTRIBUTES = {
    "image": ("alt", "title", "width", "height"),
    "link": ("title",),
}


def safe_attributes(attrs: dict[str, str], kind: str) -> dict[str, str]:
    """What may be published: id and class everywhere (already checked by
    :func:`parse_attributes`), alt/title on images, pixel sizes as plain numbers."""
    allowed = _ELEMENT_ATTRIBUTES.get(kind, ())
    result: dict[str, str] = {}
    for key, value in attrs.items():
        if key in ("id", "class"):
            result[key] = value
        elif key in allowed:
            if key in ("width", "height"):
                size = _SIZE_RE.match(value.strip())
                if size is None:
                    continue
                value = size[1]
            result[key] = value
    return result


_ATTRIBUTE_TAG_RE = re.compile(r"^(\s*<[A-Za-z][\w-]*)")


def with_attributes(html: str, attrs: Mapping[str, str]) -> str:
    """``html`` with ``attrs`` (already safe names; values escaped here) on its first
    element, classes merged with any it has."""
    if not attrs:
        return html
    m = _ATTRIBUTE_TAG_RE.match(html)
    if m is None:
        return html
    head_end = html.find(">", m.end())
    head = html[m.end() : head_end]
    added: list[str] = []
    for key, value in attrs.items():
        if key == "class" and ' class="' in head:
            head = head.replace(' class="', f' class="{_escape(value)} ', 1)
        elif f" {key}=" not in head:
            added.append(f' {key}="{_escape(value)}"')
    return m.group(1) + "".join(added) + head + html[head_end:]


def _escape(value: str) -> str:
    return escape(value, quote=False).replace('"', "&quot;")


# --- Markdown inside HTML (kramdown's markdown="1") ------------------------------------

_MARKDOWN_ATTR_RE = re.compile(
    r"""<(?P<tag>[A-Za-z][\w-]*)(?P<before>[^<>]*?)\s+markdown\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))(?P<after>[^<>]*)>"""
)
_SPAN_LEVEL = frozenset(
    {"p", "span", "a", "em", "strong", "li", "dt", "dd", "td", "th", "label", "summary"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "b", "i", "small"}
)


def expand_markdown_html(
    raw: str, render_block: Callable[[str], str], render_inline: Callable[[str], str]
) -> str:
    """``raw`` HTML with the content of each element marked ``markdown="1"`` (or
    ``"block"``/``"span"``) rendered as Markdown, the marker removed; ``"0"`` keeps it as
    written. Elements nest: the content is searched again after rendering."""
    out: list[str] = []
    pos = 0
    while True:
        m = _MARKDOWN_ATTR_RE.search(raw, pos)
        if m is None:
            break
        tag = m["tag"]
        mode = next(v for v in (m["dq"], m["sq"], m["bare"]) if v is not None).strip()
        close = _closing(raw, m.end(), tag)
        opening = f"<{tag}{m['before']}{m['after']}>"
        out.append(raw[pos : m.start()])
        if close is None:
            out.append(opening)
            pos = m.end()
            continue
        inner = raw[m.end() : close[0]]
        if mode == "0":
            out.append(opening + inner)
        elif mode == "span" or (mode != "block" and tag.lower() in _SPAN_LEVEL):
            out.append(opening + render_inline(inner.strip()))
        else:
            out.append(opening + "\n" + render_block(_dedent(inner)))
        out.append(raw[close[0] : close[1]])
        pos = close[1]
    out.append(raw[pos:])
    return "".join(out)


def _closing(raw: str, start: int, tag: str) -> tuple[int, int] | None:
    """Start and end of the ``</tag>`` matching an element opened before ``start``."""
    pattern = re.compile(rf"<(/?){re.escape(tag)}(?=[\s/>])[^>]*>", re.IGNORECASE)
    depth = 1
    for m in pattern.finditer(raw, start):
        if m[1]:
            depth -= 1
            if depth == 0:
                return m.start(), m.end()
        elif not m.group().endswith("/>"):
            depth += 1
    return None


def _dedent(text: str) -> str:
    """Indentation that is only HTML layout would make Markdown code blocks: tag lines
    lose theirs, the other lines their common indentation."""
    lines = [line.lstrip() if line.lstrip().startswith("<") else line for line in text.split("\n")]
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines).strip("\n") + "\n"
