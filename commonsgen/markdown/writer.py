"""Our HTML writer over pulldown-cmark's event stream (through pyromark).

pulldown-cmark (the CommonMark parser of Zola and mdBook) parses; this module writes the
HTML, so that every link and image passes through one place (:class:`Callbacks`), headings
get our ids, and the extensions pulldown-cmark lacks are done over its events:

- bare ``https://`` URLs in text become links (as GFM's autolinks do);
- kramdown ``{: ...}`` and Pandoc ``{...}`` attribute lists after links, images and blocks,
  Pandoc ``[text]{#id}`` spans, ``## Title {#id}`` headings (when a profile asks);
- footnotes, which pulldown-cmark emits where they are defined, are numbered in the order
  they are first referred to and written at the end;
- raw HTML arrives as pieces (a tag per event): it is passed through and the page is
  sanitised as a whole afterwards (see :mod:`commonsgen.markdown.html`).

Every event carries its UTF-8 byte range in the parsed text; the writer hands the offset of
each link's URL to :class:`Callbacks`, so a diagnostic names its real line and column.
:func:`code_ranges` exposes where code blocks and code spans are, for passes that must
leave code alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote, unquote

import pyromark

from commonsgen import urls
from commonsgen.markdown import attributes, code
from commonsgen.markdown.dialect import MarkdownOptions
from commonsgen.markdown.preprocess import parse_attributes

FLAGS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
    | pyromark.Options.ENABLE_DEFINITION_LIST
)

_URL_RE = re.compile(r"""https?://[^\s<]+[^<.,:;"')\]\s]""")
_KRAMDOWN = r"\{:(?P<ial_k>[^{}\n]*)\}"
_PANDOC = r"\{(?P<ial_p>[#.A-Za-z][^{}\n]*)\}"
_SPAN = r"\[(?P<span_text>[^\[\]\n]*)\]\{(?P<span_attrs>[#.][^{}\n]*)\}"
_IAL_LINE_RE = re.compile(r"^[ \t]*\{:([^{}\n]*)\}[ \t]*$")
_HEADING_ATTRS_RE = re.compile(r"[ \t]+\{:?[ \t]*(?P<attrs>[#.][^{}\n]*)\}[ \t]*$")
_SAFE_PROTOCOLS = tuple(f"{scheme}:" for scheme in urls.LINK_SCHEMES)
_GOOD_DATA = ("data:image/gif;", "data:image/png;", "data:image/jpeg;", "data:image/webp;")
_URL_SAFE = ":/?#@!$&()*+,;=%"
_ALIGN = {"Left": "left", "Center": "center", "Right": "right"}


def escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def safe_url(url: str) -> str:
    """``url``, or ``#harmful-link`` for a scheme that could run script (``javascript:``)
    or a ``data:`` URL that is no image."""
    normal = url
    for _ in range(3):  # "%256A" is "%6A" is "j"
        decoded = unquote(normal)
        if decoded == normal:
            break
        normal = decoded
    normal = normal.lower().lstrip()
    if normal.startswith(_SAFE_PROTOCOLS) or normal.startswith(_GOOD_DATA):
        return url
    if normal.startswith(("/", "#", "?")) or ":" not in normal.split("/", 1)[0]:
        return url
    return "#harmful-link"


class Callbacks(Protocol):
    """What the writer asks of the page it writes. ``at`` is the byte offset of the thing
    in the parsed text, or None inside Markdown rendered from raw HTML (``markdown="1"``)."""

    def url(self, written: str, kind: str, at: int | None) -> str:
        """The href or src to publish for ``written`` (``kind``: link or image)."""
        ...

    def missing_alt(self, written: str, at: int | None) -> None: ...

    def refused_url(self, written: str, kind: str, at: int | None) -> None:
        """Told of a link or image whose scheme is not published (``javascript:`` ...)."""
        ...

    def caption(self, written: str) -> str | None:
        """The figure caption (HTML) of an image alone in its paragraph, None if none."""
        ...

    def raw_html(self) -> None:
        """Told when the page has HTML an editor wrote."""
        ...

    def markdown_in_html(self, raw: str, render: Callable[[str, bool], str]) -> str:
        """``raw`` HTML with its ``markdown="1"`` content rendered by ``render(text,
        block)``."""
        ...


@dataclass(slots=True)
class Heading:
    level: int
    id: str
    title: str
    """Plain text."""
    top: bool
    """Not inside a list, quote, table or footnote: listed in the table of contents."""


@dataclass(slots=True)
class Ids:
    """Heading ids of one page: each unique, ``x``, ``x-1``, ``x-2`` ... in page order;
    linear however many headings share a title."""

    used: set[str] = field(default_factory=set)
    next_suffix: dict[str, int] = field(default_factory=dict)

    def take(self, base: str) -> str:
        anchor_id = base
        n = self.next_suffix.get(base, 1)
        while anchor_id in self.used:
            anchor_id, n = f"{base}-{n}", n + 1
        self.next_suffix[base] = n
        self.used.add(anchor_id)
        return anchor_id


@dataclass(slots=True)
class Written:
    html: str
    headings: list[Heading]
    first_paragraph: str
    """The first top-level paragraph as plain text ("" when there is none)."""


class _Frame:
    """An element being written: its children's HTML and plain text so far."""

    __slots__ = (
        "blocks",
        "data",
        "element",
        "inline",
        "kind",
        "lines",
        "parts",
        "plain",
    )

    def __init__(self, kind: str, data: Any = None) -> None:
        self.kind = kind
        self.data = data
        self.parts: list[str] = []
        self.plain: list[str] = []
        self.lines: list[tuple[int, int, int]] = []
        """Where each line of inline content after the first starts: (index in
        ``parts``, index in ``plain``, byte offset in the text)."""
        self.element: tuple[int, str, dict[str, Any]] | None = None
        """The link or image written last: (index in parts, kind, what it was made of)."""
        self.blocks: list[tuple[int, str]] = []
        """The block children written so far: (index in parts, kind)."""
        self.inline: list[str] = []
        """Kinds of the inline children (for "an image alone in its paragraph")."""


_BLOCK_KINDS = frozenset(
    {"p", "h", "blockquote", "code", "ul", "ol", "li", "table", "dl", "html", "hr", "dd", "dt"}
)
_NOT_TOP = frozenset({"li", "blockquote", "fn", "dd", "dt", "td", "th"})


class Writer:
    """Writes one text; a writer for ``markdown="1"`` content shares the page's ids."""

    def __init__(
        self,
        options: MarkdownOptions,
        callbacks: Callbacks,
        ids: Ids,
        *,
        is_written: Callable[[int], bool] | None = None,
        positions: bool = True,
    ) -> None:
        self.options = options
        self.callbacks = callbacks
        self.ids = ids
        self.is_written = is_written
        """Whether a byte offset lies in HTML a pass wrote (not raw HTML of an editor)."""
        self.positions = positions
        self.kramdown = options.attribute_lists
        self.pandoc = options.pandoc_attributes
        self.attrs_on = self.kramdown or self.pandoc
        patterns = []
        if self.pandoc:
            patterns.append(_SPAN)
        if self.kramdown:
            patterns.append(_KRAMDOWN)
        patterns.append(r"(?P<url>" + _URL_RE.pattern + ")")
        self._text_re = re.compile("|".join(patterns))
        self._element_attrs_re = re.compile(
            "|".join(p for p, on in ((_KRAMDOWN, self.kramdown), (_PANDOC, self.pandoc)) if on)
            or "(?!)"
        )
        self.headings: list[Heading] = []
        self.first_paragraph: str | None = None
        self.notes: dict[str, str] = {}
        self.note_numbers: dict[str, int] = {}
        self.stack: list[_Frame] = [_Frame("doc")]
        self.pending: list[str] = []
        self.links = 0
        """How many links the text being written is inside (no bare-URL links there)."""
        self.alt_pending: tuple[str, int | None, int] | None = None

    # --- entry points ------------------------------------------------------------------

    def write(self, text: str) -> Written:
        data = text.encode("utf-8")
        events = pyromark.events_with_range(text, options=FLAGS)
        self._run(events, data)
        body = "".join(self.stack[0].parts)
        if self.note_numbers:
            body += self._footnotes()
        return Written(body, self.headings, self.first_paragraph or "")

    def _run(self, events: Iterator[tuple[Any, dict[str, int]]], data: bytes) -> None:
        stack = self.stack
        pending = self.pending
        for event, span in events:
            if type(event) is str:
                self._flush()
                frame = stack[-1]
                if event == "SoftBreak" or event == "HardBreak":
                    frame.parts.append("\n" if event == "SoftBreak" else "<br />\n")
                    frame.plain.append(" ")
                    frame.lines.append((len(frame.parts), len(frame.plain), span["end"]))
                else:  # Rule
                    frame.blocks.append((len(frame.parts), "hr"))
                    frame.parts.append("<hr />\n")
                continue
            ((key, value),) = event.items()
            if key == "Text":
                kind = stack[-1].kind
                if kind == "code" or kind == "html":
                    stack[-1].parts.append(value)
                else:
                    pending.append(value)
                continue
            if key == "End" and pending and self.attrs_on and stack[-1].kind == "h":
                self._heading_attributes()
            if pending or self.alt_pending is not None:
                self._flush()
            frame = stack[-1]
            if key == "Start":
                self._start(value, span, data)
            elif key == "End":
                self._end(stack.pop(), span, data)
            elif key == "Code":
                frame.parts.append("<code>" + escape(value) + "</code>")
                frame.plain.append(value)
                frame.inline.append("code")
            elif key == "InlineHtml":
                self.callbacks.raw_html()
                frame.parts.append(value)
                frame.inline.append("html")
            elif key == "Html":
                frame.parts.append(value)
            elif key == "FootnoteReference":
                number = self.note_numbers.setdefault(value, len(self.note_numbers) + 1)
                i = str(number)
                frame.parts.append(
                    f'<sup class="footnote-ref" id="fnref-{i}"><a href="#fn-{i}">{i}</a></sup>'
                )
                frame.inline.append("note")
            elif key == "TaskListMarker":
                for item in reversed(stack):
                    if item.kind == "li":
                        item.data = bool(value)
                        break
                checked = " checked" if value else ""
                frame.parts.append(
                    f'<input class="task-list-item-checkbox" type="checkbox" disabled{checked}/>'
                )
            else:  # math and metadata blocks are not switched on
                frame.parts.append(escape(str(value)))
        self._flush()

    # --- inline text -------------------------------------------------------------------

    def _flush(self) -> None:
        frame = self.stack[-1]
        if self.pending:
            text = "".join(self.pending)
            self.pending.clear()
            self._text(frame, text)
        if self.alt_pending is not None:
            written, at, index = self.alt_pending
            self.alt_pending = None
            element = frame.element
            if element is None or element[0] != index or not element[2].get("alt"):
                self.callbacks.missing_alt(written, at)

    def _text(self, frame: _Frame, text: str) -> None:
        element = frame.element
        if (
            element is not None
            and self.attrs_on
            and text.startswith("{")
            and element[0] == len(frame.parts) - 1
        ):
            m = self._element_attrs_re.match(text)
            if m is not None:
                groups = m.groupdict()
                source = groups.get("ial_k")
                if source is None:
                    source = groups.get("ial_p") or ""
                self._element_attributes(frame, element, parse_attributes(source))
                text = text[m.end() :]
        frame.plain.append(text)
        frame.inline.append("text")
        if not (("http" in text and not self.links) or (self.attrs_on and "{" in text)):
            frame.parts.append(escape(text))
            return
        out: list[str] = []
        pos = 0
        for m in self._text_re.finditer(text):
            url = m.group("url")
            if url is not None:
                if self.links:
                    continue
                out.append(escape(text[pos : m.start()]))
                href = escape(quote(url, safe=_URL_SAFE))
                out.append(f'<a href="{href}">{escape(url)}</a>')
            elif m.groupdict().get("span_text") is not None:
                out.append(escape(text[pos : m.start()]))
                attrs = attributes.safe_attributes(parse_attributes(m["span_attrs"]), "span")
                span = "<span>" + escape(m["span_text"]) + "</span>"
                out.append(attributes.with_attributes(span, attrs))
            else:  # a kramdown {: ...} that belongs to nothing: dropped, never shown
                out.append(escape(text[pos : m.start()]))
            pos = m.end()
        out.append(escape(text[pos:]))
        frame.parts.append("".join(out))

    def _heading_attributes(self) -> None:
        text = "".join(self.pending)
        m = _HEADING_ATTRS_RE.search(text)
        if m is None:
            return
        self.pending[:] = [text[: m.start()]]
        frame = self.stack[-1]
        frame.data["attrs"] = attributes.safe_attributes(parse_attributes(m["attrs"]), "heading")

    def _element_attributes(
        self, frame: _Frame, element: tuple[int, str, dict[str, Any]], found: dict[str, str]
    ) -> None:
        index, kind, made = element
        attrs = attributes.safe_attributes(found, kind)
        if kind == "image" and "alt" in attrs:
            made["alt"] = attrs.pop("alt")
        if "title" in attrs:
            made["title"] = attrs.pop("title")
        made["attrs"] = {**made.get("attrs", {}), **attrs}
        frame.parts[index] = self._element_html(kind, made)

    @staticmethod
    def _element_html(kind: str, made: dict[str, Any]) -> str:
        title = made.get("title")
        title_attr = f' title="{escape(title)}"' if title else ""
        if kind == "image":
            html = f'<img src="{escape(made["href"])}" alt="{escape(made["alt"])}"{title_attr} />'
        else:
            html = f'<a href="{escape(made["href"])}"{title_attr}>{made["inner"]}</a>'
        extra = made.get("attrs")
        return attributes.with_attributes(html, extra) if extra else html

    # --- elements ----------------------------------------------------------------------

    def _start(self, tag: Any, span: dict[str, int], data: bytes) -> None:
        if type(tag) is str:
            kind = _SIMPLE_START.get(tag, tag)
            frame = _Frame(kind)
            if kind == "td" and self.stack[-1].kind == "thead":
                frame.kind = "th"
            self.stack.append(frame)
            return
        ((name, value),) = tag.items()
        if name == "Heading":
            frame = _Frame("h", {"level": int(value["level"][1]), "attrs": {}})
        elif name == "Link" or name == "Image":
            frame = _Frame("a" if name == "Link" else "img", (value, span["start"], span["end"]))
            if name == "Link":
                self.links += 1
        elif name == "List":
            frame = _Frame("ol" if value is not None else "ul", value)
        elif name == "CodeBlock":
            frame = _Frame("code", value["Fenced"] if type(value) is dict else "")
        elif name == "Table":
            frame = _Frame("table", value)
        elif name == "FootnoteDefinition":
            frame = _Frame("fn", value)
        elif name == "BlockQuote":
            frame = _Frame("blockquote")
        else:  # HtmlBlock never comes with data; anything else is a block of its own
            frame = _Frame(name.lower())
        self.stack.append(frame)
        if name == "Table":
            frame.data = {"aligns": value}

    def _end(self, frame: _Frame, span: dict[str, int], data: bytes) -> None:
        parent = self.stack[-1]
        kind = frame.kind
        if kind in _INLINE_TAGS:
            open_tag, close_tag = _INLINE_TAGS[kind]
            parent.parts.append(open_tag + "".join(frame.parts) + close_tag)
            parent.plain.extend(frame.plain)
            parent.inline.append(kind)
            return
        if kind == "a" or kind == "img":
            self._end_link(frame, parent, data)
            return
        html = self._block_html(frame, parent, span, data)
        if html is None:
            return
        parent.blocks.append((len(parent.parts), kind))
        parent.parts.append(html)

    def _end_link(self, frame: _Frame, parent: _Frame, data: bytes) -> None:
        value, start, end = frame.data
        destination = value["dest_url"]
        at: int | None = None
        # A reference link's destination is written in its definition, elsewhere: the
        # callbacks find it there by its text.
        if self.positions and value["link_type"] in ("Inline", "Autolink"):
            found = data.find(destination.encode("utf-8"), start, end) if destination else -1
            at = found if found >= 0 else start
        # Percent-encoded, as CommonMark's reference renderer writes a destination (and
        # the previous engine did): hrefs are ASCII whatever the page's language.
        written = quote(destination, safe=_URL_SAFE)
        if value["link_type"] == "Email":
            href = "mailto:" + written
        else:
            href = self.callbacks.url(written, "link" if frame.kind == "a" else "image", at)
        made: dict[str, Any] = {"href": safe_url(href), "title": value["title"]}
        if made["href"] != href:
            self.callbacks.refused_url(written, "link" if frame.kind == "a" else "image", at)
        index = len(parent.parts)
        if frame.kind == "a":
            self.links -= 1
            made["inner"] = "".join(frame.parts)
            parent.plain.extend(frame.plain)
            parent.parts.append(self._element_html("link", made))
            parent.element = (index, "link", made)
            parent.inline.append("link")
            return
        alt = " ".join("".join(frame.plain).split())
        made["alt"] = alt
        made["written"] = written
        parent.plain.append(alt)
        parent.parts.append(self._element_html("image", made))
        parent.element = (index, "image", made)
        parent.inline.append("image")
        if not alt.strip():
            self.alt_pending = (written, at, index)

    def _block_html(
        self, frame: _Frame, parent: _Frame, span: dict[str, int], data: bytes
    ) -> str | None:
        kind = frame.kind
        inner = "".join(frame.parts)
        if kind == "p":
            attrs = self._line_attributes(frame, parent, span, data) if self.kramdown else {}
            if attrs is None:
                return None
            inner = "".join(frame.parts)
            if self.first_paragraph is None and self._top():
                self.first_paragraph = " ".join("".join(frame.plain).split())
            html = self._figure(frame, parent) or f"<p>{inner}</p>\n"
            return attributes.with_attributes(html, attrs) if attrs else html
        if kind == "h":
            return self._heading(frame, inner)
        if kind == "li":
            attrs = self._line_attributes(frame, parent, span, data) if self.kramdown else {}
            inner = "".join(frame.parts)
            if frame.data is None:
                html = f"<li>{inner}</li>\n"
            else:
                html = f'<li class="task-list-item">{inner}</li>\n'
            return attributes.with_attributes(html, attrs) if attrs else html
        if kind == "ul":
            return f"<ul>\n{inner}</ul>\n"
        if kind == "ol":
            start = f' start="{frame.data}"' if frame.data not in (None, 1) else ""
            return f"<ol{start}>\n{inner}</ol>\n"
        if kind == "code":
            return code.code_block(frame.data, inner)
        if kind == "blockquote":
            return f"<blockquote>\n{inner}</blockquote>\n"
        if kind == "html":
            return self._html_block(inner, span)
        if kind == "dl":
            return f"<dl>\n{inner}</dl>\n"
        if kind == "dt":
            return f"<dt>{inner}</dt>\n"
        if kind == "dd":
            if len(frame.blocks) == 1 and frame.blocks[0][1] == "p" and inner.startswith("<p>"):
                inner = inner[3:].removesuffix("</p>\n")
            return f"<dd>{inner}</dd>\n"
        if kind == "table":
            head, rows = "", frame.parts
            if frame.blocks and frame.blocks[0][1] == "thead":
                head, rows = rows[0], rows[1:]
            body = "<tbody>\n" + "".join(rows) + "</tbody>\n" if rows else ""
            return f"<table>\n{head}{body}</table>\n"
        if kind == "thead":
            self._align_cells(frame)
            return "<thead>\n<tr>\n" + "".join(frame.parts) + "</tr>\n</thead>\n"
        if kind == "tr":
            self._align_cells(frame)
            return "<tr>\n" + "".join(frame.parts) + "</tr>\n"
        if kind in ("td", "th"):
            return f"  <{kind}>{inner}</{kind}>\n"
        if kind == "fn":
            self.notes.setdefault(frame.data, inner)
            return None
        return inner  # a container pulldown-cmark has and we write no tag for

    def _align_cells(self, row: _Frame) -> None:
        table = next(f for f in reversed(self.stack) if f.kind == "table")
        aligns = table.data["aligns"]
        for column, cell in enumerate(row.parts):
            align = _ALIGN.get(aligns[column]) if column < len(aligns) else None
            if align is not None:
                tag = cell[3:5]
                row.parts[column] = cell.replace(
                    f"<{tag}>", f'<{tag} style="text-align:{align}">', 1
                )

    def _top(self) -> bool:
        return not any(f.kind in _NOT_TOP for f in self.stack)

    def _heading(self, frame: _Frame, inner: str) -> str:
        level = frame.data["level"]
        attrs: dict[str, str] = frame.data["attrs"]
        title = " ".join("".join(frame.plain).split())
        anchor_id = self.ids.take(attrs.get("id") or urls.slugify(title))
        self.headings.append(Heading(level, anchor_id, title, self._top()))
        quoted = escape(anchor_id)
        html = (
            f'<h{level} id="{quoted}">{inner} <a class="anchor" href="#{quoted}" '
            f'aria-label="Link to this section">#</a></h{level}>\n'
        )
        extra = {k: v for k, v in attrs.items() if k != "id"}
        return attributes.with_attributes(html, extra) if extra else html

    def _line_attributes(
        self, frame: _Frame, parent: _Frame, span: dict[str, int], data: bytes
    ) -> dict[str, str] | None:
        """kramdown IAL lines (``{: .class}``) ending a paragraph, read from its source
        (their values may hold what would parse as HTML): the paragraph's attributes
        (``{}`` when it has none); None when it was nothing but them, which then go to
        the block before it."""
        starts = [(0, 0, span["start"]), *frame.lines]
        end = span["end"]
        found: list[str] = []
        while starts:
            parts_at, plain_at, line_start = starts[-1]
            ial = _IAL_LINE_RE.match(data[line_start:end].decode("utf-8", "replace").strip())
            if ial is None:
                break
            found.insert(0, ial[1])
            starts.pop()
            end = line_start
            del frame.parts[parts_at:]
            del frame.plain[plain_at:]
            if frame.parts and frame.parts[-1] in ("\n", "<br />\n"):
                frame.parts.pop()
        if not found:
            return {}
        attrs: dict[str, str] = {}
        for ial_text in found:
            if not re.match(r"\s*[\w-]+:", ial_text):  # {:name: ...} defines, no use
                attrs.update(parse_attributes(ial_text))
        if starts:
            return attributes.safe_attributes(attrs, "paragraph")
        if parent.blocks:
            index, kind = parent.blocks[-1]
            extra = attributes.safe_attributes(attrs, _ATTRIBUTE_KIND.get(kind, kind))
            parent.parts[index] = attributes.with_attributes(parent.parts[index], extra)
        return None

    def _figure(self, frame: _Frame, parent: _Frame) -> str | None:
        """An image alone in its paragraph that the page credits becomes a figure with its
        credit as the caption, right where the reader sees it."""
        if frame.inline != ["image"] or frame.element is None:
            return None
        made = frame.element[2]
        caption = self.callbacks.caption(made["written"])
        if caption is None:
            return None
        image = frame.parts[frame.element[0]]
        return f'<figure class="media">\n{image}\n<figcaption>{caption}</figcaption>\n</figure>\n'

    def _html_block(self, raw: str, span: dict[str, int]) -> str:
        if self.is_written is None or not self.is_written(span["start"]):
            self.callbacks.raw_html()
            if self.options.html_markdown and "markdown" in raw:
                return self.callbacks.markdown_in_html(raw, self._nested)
        return raw

    def _nested(self, text: str, block: bool) -> str:
        child = Writer(self.options, self.callbacks, self.ids, positions=False)
        if not block:
            text = _INLINE_START + _BLOCK_START_RE.sub(_escape_block_start, text)
        html = child.write(text).html
        self.headings.extend(Heading(h.level, h.id, h.title, top=False) for h in child.headings)
        if not block:
            html = html.replace(_INLINE_START, "", 1)
            if html.startswith("<p>") and html.endswith("</p>\n") and "<p>" not in html[3:]:
                return html[3:-5]
        return html

    def _footnotes(self) -> str:
        items: list[str] = []
        for label, number in self.note_numbers.items():
            i = str(number)
            text = self.notes.get(label, "").rstrip()
            back = f'<a href="#fnref-{i}" class="footnote">&#8617;</a>'
            text = text[:-4] + back + "</p>" if text.endswith("</p>") else text + "\n" + back
            items.append(f'<li id="fn-{i}">{text}</li>\n')
        return '<section class="footnotes">\n<ol>\n' + "".join(items) + "</ol>\n</section>\n"


_INLINE_START = "\ue000"
"""Starts text to be read as inline Markdown: a paragraph, which a tag alone on a line
cannot interrupt (a private-use character, taken out of the HTML again)."""
_BLOCK_START_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-+*>|:]|#{1,6}|\d{1,9}[.)]|={3,}|`{3,}|~{3,})(?=[ \t]|$)",
    re.MULTILINE,
)


def _escape_block_start(m: re.Match[str]) -> str:
    """A backslash that keeps a line of inline Markdown from starting a list, heading,
    quote or fence (every marker is ASCII punctuation, which a backslash makes text)."""
    marker = m["marker"]
    if marker[0].isdigit():
        return m["indent"] + marker[:-1] + "\\" + marker[-1]
    return m["indent"] + "\\" + marker


_SIMPLE_START = {
    "Paragraph": "p",
    "Item": "li",
    "Emphasis": "em",
    "Strong": "strong",
    "Strikethrough": "del",
    "TableHead": "thead",
    "TableRow": "tr",
    "TableCell": "td",
    "DefinitionList": "dl",
    "DefinitionListTitle": "dt",
    "DefinitionListDefinition": "dd",
    "HtmlBlock": "html",
}
_INLINE_TAGS = {
    "em": ("<em>", "</em>"),
    "strong": ("<strong>", "</strong>"),
    "del": ("<del>", "</del>"),
    "sup": ("<sup>", "</sup>"),
    "sub": ("<sub>", "</sub>"),
}
_ATTRIBUTE_KIND = {"p": "paragraph", "h": "heading", "ul": "list", "ol": "list"}


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Character offsets (start, end) of every code block and code span of ``text``, as
    CommonMark reads it (tables, footnotes and definition lists on, as for pages): for a
    pass over the source that must leave code alone, such as Liquid. Sorted, not
    overlapping; a fenced block's range includes its fences."""
    data = text.encode("utf-8")
    ascii_text = len(data) == len(text)
    found: list[tuple[int, int]] = []
    depth = 0
    for event, span in pyromark.events_with_range(text, options=FLAGS):
        if type(event) is str:
            continue
        ((key, value),) = event.items()
        if key == "Start" and type(value) is dict and "CodeBlock" in value:
            depth += 1
            if depth == 1:
                found.append((span["start"], span["end"]))
        elif key == "End" and value == "CodeBlock":
            depth -= 1
        elif key == "Code" and depth == 0:
            found.append((span["start"], span["end"]))
    if ascii_text:
        return found
    return [
        (len(data[:s].decode("utf-8", "ignore")), len(data[:e].decode("utf-8", "ignore")))
        for s, e in found
    ]
