"""mistune rules for attribute syntax from kramdown and Pandoc, and kramdown's Markdown
inside HTML (``markdown="1"``); switched on by :class:`commonsgen.markdown.dialect.MarkdownOptions`.

Attributes found here are stored on the token as ``_attrs`` (already reduced to what is safe
to publish) and written by the renderer in :mod:`commonsgen.markdown.html`. An attribute block
that cannot be applied is dropped, never shown as ``{: ...}`` text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import mistune
from mistune.core import BlockState, InlineState
from mistune.inline_parser import InlineParser

from commonsgen.markdown.dialect import MarkdownOptions
from commonsgen.markdown.preprocess import parse_attributes

_KRAMDOWN = r"\{:(?P<ial_k>[^{}\n]*)\}"
_PANDOC = r"\{(?P<ial_p>[#.A-Za-z][^{}\n]*)\}"
_SPAN = r"\[(?P<span_text>[^\[\]\n]*)\]\{(?P<span_attrs>[#.][^{}\n]*)\}"
_IAL_LINE_RE = re.compile(r"^[ \t]*\{:([^{}\n]*)\}[ \t]*$")
_HEADING_ATTRS_RE = re.compile(r"[ \t]+\{:?[ \t]*(?P<attrs>[#.][^{}\n]*)\}[ \t]*$")
_SIZE_RE = re.compile(r"^(\d{1,5})(?:px)?$")
_ELEMENT_ATTRIBUTES = {
    "image": ("alt", "title", "width", "height"),
    "link": ("title",),
}


def install(md: mistune.Markdown, options: MarkdownOptions) -> None:
    """Add the rules ``options`` switch on to ``md`` (nothing when all are off)."""
    if options.attribute_lists or options.pandoc_attributes:
        patterns = []
        if options.attribute_lists:
            patterns.append(_KRAMDOWN)
        if options.pandoc_attributes:
            patterns.append(_PANDOC)
        md.inline.register(
            "attribute_block", "|".join(patterns), _parse_inline_attributes, start_chars="{"
        )
        md.before_render_hooks.insert(0, _block_attributes(options))
    if options.pandoc_attributes:
        md.inline.register(
            "bracketed_span", _SPAN, _parse_bracketed_span, before="link", start_chars="["
        )


def _parse_inline_attributes(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    """``{...}`` right after a link or image gives it attributes; a kramdown ``{: ...}``
    anywhere else is dropped, a Pandoc-looking ``{...}`` stays text (``{1..10}`` is prose)."""
    previous = state.tokens[-1] if state.tokens else None
    groups = m.groupdict()
    kramdown = groups.get("ial_k")
    source = kramdown if kramdown is not None else groups.get("ial_p") or ""
    if previous is not None and previous["type"] in _ELEMENT_ATTRIBUTES:
        previous["_attrs"] = safe_attributes(parse_attributes(source), previous["type"])
        return m.end()
    if kramdown is not None:
        return m.end()
    state.append_token({"type": "text", "raw": m.group()})
    return m.end()


def _parse_bracketed_span(inline: InlineParser, m: re.Match[str], state: InlineState) -> int:
    attrs = safe_attributes(parse_attributes(m["span_attrs"]), "span")
    child = state.copy()
    child.src = m["span_text"]
    children = inline.render(child)
    state.append_token({"type": "attribute_span", "children": children, "_attrs": attrs})
    return m.end()


def _block_attributes(options: MarkdownOptions) -> Callable[[mistune.Markdown, BlockState], None]:
    def hook(md: mistune.Markdown, state: BlockState) -> None:
        _apply_block_attributes(state.tokens, options)

    return hook


def _apply_block_attributes(tokens: list[dict[str, Any]], options: MarkdownOptions) -> None:
    """kramdown block IALs (a ``{: ...}`` line ending a paragraph, or alone after a block)
    and heading attributes (``## Title {#id .class}``)."""
    previous: dict[str, Any] | None = None
    drop: list[int] = []
    for index, token in enumerate(tokens):
        kind = token["type"]
        if kind == "blank_line":
            continue
        if "children" in token and kind not in ("paragraph", "heading", "block_text"):
            _apply_block_attributes(token["children"], options)
        text = token.get("text")
        if kind == "heading" and isinstance(text, str):
            m = _HEADING_ATTRS_RE.search(text)
            if m is not None:
                token["text"] = text[: m.start()]
                token["_attrs"] = safe_attributes(parse_attributes(m["attrs"]), "heading")
        elif kind in ("paragraph", "block_text") and options.attribute_lists and text:
            lines = text.rstrip("\n").split("\n")
            found: list[str] = []
            while lines and (ial := _IAL_LINE_RE.match(lines[-1])) is not None:
                found.insert(0, ial[1])
                lines.pop()
            if found:
                attrs: dict[str, str] = {}
                for ial_text in found:
                    if not re.match(r"\s*[\w-]+:", ial_text):  # {:name: ...} defines, no use
                        attrs.update(parse_attributes(ial_text))
                if lines:
                    token["text"] = "\n".join(lines)
                    token["_attrs"] = safe_attributes(attrs, kind)
                else:
                    drop.append(index)
                    if previous is not None:
                        extra = safe_attributes(attrs, previous["type"])
                        previous["_attrs"] = {**previous.get("_attrs", {}), **extra}
                    continue
        previous = token
    for index in reversed(drop):
        del tokens[index]


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
