"""Rewrites of a page's Markdown source before it is parsed: Liquid tags and Pandoc fenced
divs, for repositories written for Jekyll or Pandoc (see :mod:`commonsgen.markdown.dialect`).

Both work on text because that is how their own tools treat them: Jekyll runs Liquid over
the file before kramdown sees it, and a fenced div only wraps blocks. Neither touches fenced
code or code spans, except that ``{% raw %}``/``{% endraw %}`` markers are removed
wherever they stand (in Jekyll they protect what is between them, code included). Every
function returns its input unchanged, at the cost of one substring search, when the page
has none of the syntax.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from commonsgen.markdown.dialect import MarkdownOptions
from commonsgen.markdown.offsets import IDENTITY, OffsetMap, Rewriter

_MAX_TAG = 2000
"""Longer "{% ... %}" are no tags: bounds the work a page of unclosed "{%" causes."""
_TAG_INNER_RE = re.compile(r"-?\s*(?P<name>[A-Za-z_]\w*)(?P<args>.*?)\s*-?$", re.DOTALL)
_FENCE_RE = re.compile(
    # After the line's containers (block quote markers, list item markers, a list item's
    # indent); a backtick fence's info string has no backtick, as in CommonMark ("```sed
    # -e :a``` runs it" is a code span in a paragraph).
    r"^(?:[ \t>]|[-*+][ \t]|\d{1,9}[.)][ \t])*"
    r"(?:(`{3,})(?=[^`\n]*$)|(~{3,}))",
    re.MULTILINE,
)
_CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)((?:(?!\n[ \t]*\n).){1,5000}?)(?<!`)\1(?!`)", re.DOTALL)
_ARG_RE = re.compile(
    r"""(?P<key>[A-Za-z_][\w-]*)\s*[=:]\s*(?:"(?P<kq>[^"]*)"|'(?P<ks>[^']*)'|(?P<kw>[^\s"']+))"""
    r"""|"(?P<q>[^"]*)"|'(?P<s>[^']*)'|(?P<w>\S+)"""
)
_PLACEHOLDER_RE = re.compile(r"\{([\w-]+(?:\.[\w-]+)*)\}")
"""``{0}``, ``{name}`` (the tag's arguments, a data record's fields) and ``{page.slug}``
(the page's variables)."""
_EXPR_RE = re.compile(r"""\s*(?:"(?P<q>[^"]*)"|'(?P<s>[^']*)'|(?P<var>[\w.-]+))\s*(?:\|.*)?$""")

_DROP_BLOCKS = frozenset({"comment", "capture", "for", "tablerow", "case", "javascript"})
"""Block tags whose content is no output of its own (or cannot be evaluated): removed."""
_CONDITIONS = frozenset({"if", "unless"})
_BLOCKS = _DROP_BLOCKS | _CONDITIONS | {"highlight"}
_ELSE = frozenset({"else", "elsif"})

Variables = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class _Tag:
    start: int
    end: int
    name: str | None
    """None for a ``{{ expression }}``."""
    args: str
    """The tag's arguments, or the expression."""


CodeRanges = Callable[[str], list[tuple[int, int]]]
"""Text -> the (start, end) offsets of its code blocks and spans, sorted."""


def apply_liquid(
    text: str, options: MarkdownOptions, variables: Variables, code: CodeRanges | None = None
) -> str:
    """``text`` with its Liquid handled as ``options.liquid`` says (``text``: unchanged)."""
    return liquid_mapped(text, options, variables, code)[0]


def liquid_mapped(
    text: str, options: MarkdownOptions, variables: Variables, code: CodeRanges | None = None
) -> tuple[str, OffsetMap]:
    """:func:`apply_liquid` and where each part of the result came from. ``code`` finds
    the code to leave alone: the Markdown engine's reading where the caller has it (the
    exact CommonMark answer), else this module's own approximation."""
    if options.liquid == "text" or ("{%" not in text and "{{" not in text):
        return text, IDENTITY
    out = Rewriter(text)
    _Liquid(options, variables).run(text, out, code or code_ranges)
    return out.result()


def _scan(text: str) -> list[_Tag]:
    """Every ``{% tag %}`` and ``{{ expression }}``, in order, in linear time."""
    tags: list[_Tag] = []
    pos = 0
    close = {"%": -2, "{": -2}  # next "%}" / "}}" found so far (-2: not searched yet)
    while True:
        i = text.find("{", pos)
        if i < 0 or i + 1 >= len(text):
            return tags
        kind = text[i + 1]
        if kind not in "%{":
            pos = i + 1
            continue
        closing = "%}" if kind == "%" else "}}"
        if close[kind] != -1 and close[kind] < i + 2:
            close[kind] = text.find(closing, i + 2)
        end = close[kind]
        if end < 0 or end - i > _MAX_TAG:
            pos = i + 1
            continue
        inner = text[i + 2 : end]
        if kind == "{":
            tags.append(_Tag(i, end + 2, None, inner.strip("-")))
            pos = end + 2
            continue
        m = _TAG_INNER_RE.match(inner)
        if m is None:
            pos = i + 1
            continue
        tags.append(_Tag(i, end + 2, m["name"], m["args"]))
        pos = end + 2


def _pair(tags: list[_Tag]) -> tuple[dict[int, int], dict[int, int]]:
    """Block openers -> the index of their closing tag, and ``if`` openers -> the index of
    their first ``else``/``elsif``; one pass with a stack (unclosed openers stay unpaired).
    What is between ``raw`` and ``endraw`` is no tag."""
    closing: dict[int, int] = {}
    first_else: dict[int, int] = {}
    stack: list[int] = []
    index = 0
    while index < len(tags):
        name = tags[index].name
        if name == "raw":
            end = next((j for j in range(index + 1, len(tags)) if tags[j].name == "endraw"), None)
            if end is None:
                break  # nothing after an unclosed raw is a tag
            closing[index] = end
            index = end + 1
            continue
        if name in _BLOCKS:
            stack.append(index)
        elif name in _ELSE and stack and tags[stack[-1]].name in _CONDITIONS:
            first_else.setdefault(stack[-1], index)
        elif name is not None and name.startswith("end") and name[3:] in _BLOCKS:
            for depth in range(len(stack) - 1, -1, -1):
                if tags[stack[depth]].name == name[3:]:
                    closing[stack[depth]] = index
                    del stack[depth:]
                    break
        index += 1
    return closing, first_else


class _Liquid:
    def __init__(self, options: MarkdownOptions, variables: Variables) -> None:
        self.map = options.liquid == "map"
        self.options = options
        self.variables = variables

    def run(self, text: str, out: Rewriter, code_of: CodeRanges) -> None:
        code = code_of(text)
        code_starts = [start for start, _ in code]
        tags = [
            t
            for t in _scan(text)
            if t.name in ("raw", "endraw") or not _inside(t.start, code, code_starts)
        ]
        closing, first_else = _pair(tags)
        skip_from: dict[int, int] = {}
        """else-tag index -> the index of its endif: the else-branches are left out."""
        pos = 0
        i = 0
        while i < len(tags):
            tag = tags[i]
            out.copy(pos, tag.start)
            pos = tag.end
            name = tag.name
            end = closing.get(i)
            i += 1
            if i - 1 in skip_from:
                target = skip_from[i - 1]
                pos, i = tags[target].end, target + 1
            elif name is None:
                out.write(self.expression(tag.args), tag.start)
            elif name == "raw":
                if end is None:
                    out.copy(tag.start, len(text))  # unclosed: the rest as written
                    pos = len(text)
                    break
                out.copy(tag.end, tags[end].start)
                pos, i = tags[end].end, end + 1
            elif end is not None and name in _DROP_BLOCKS:
                pos, i = tags[end].end, end + 1
            elif end is not None and name == "highlight":
                inner_start, inner_end = tag.end, tags[end].start
                while inner_start < inner_end and text[inner_start] == "\n":
                    inner_start += 1
                while inner_end > inner_start and text[inner_end - 1] == "\n":
                    inner_end -= 1
                language = tag.args.split()
                fence = "~~~~" if "~~~" in text[inner_start:inner_end] else "```"
                out.write(f"{fence}{language[0] if language else ''}\n", tag.start)
                out.copy(inner_start, inner_end)
                out.write(f"\n{fence}", inner_end)
                pos, i = tags[end].end, end + 1
            elif end is not None and name in _CONDITIONS and i - 1 in first_else:
                # The first branch is what the source shows by default; else-branches
                # would show both sides of a condition that cannot be evaluated here.
                skip_from[first_else[i - 1]] = end
            elif self.map and name not in _BLOCKS and not name.startswith("end"):
                out.write(self._indented(self.tag(name, tag.args), text, tag.start), tag.start)
        out.copy(pos, len(text))

    @staticmethod
    def _indented(replacement: str, text: str, start: int) -> str:
        """A tag inside a list item gives lines that stay in the item."""
        if "\n" not in replacement:
            return replacement
        line_start = text.rfind("\n", 0, start) + 1
        indent = text[line_start:start]
        return (
            replacement.replace("\n", "\n" + indent)
            if indent and not indent.strip()
            else replacement
        )

    def tag(self, name: str, args: str) -> str:
        positional: list[str] = []
        named: dict[str, str] = {"args": args.strip()}
        for a in _ARG_RE.finditer(args):
            if a["key"]:
                named[a["key"]] = next(v for v in (a["kq"], a["ks"], a["kw"]) if v is not None)
            else:
                positional.append(next(v for v in (a["q"], a["s"], a["w"]) if v is not None))
        # "include image.html" may have its own template, apart from other includes.
        template = None
        if positional:
            template = self.options.tag_template(f"{name} {positional[0]}")
        if template is None:
            template = self.options.tag_template(name)
        if template is None:
            return ""
        data = self.options.tag_data(name)
        if data is not None:
            record = data.lookup(positional[0]) if positional else None
            if record is None:
                template = data.missing
            else:
                named = {**record, **named}
        named.update({str(n): v for n, v in enumerate(positional)})

        def fill(p: re.Match[str]) -> str:
            if p[1] in named:
                return named[p[1]]
            if p[1].startswith(("page.", "site.")):
                return self.variables(p[1]) or ""
            return ""

        return _PLACEHOLDER_RE.sub(fill, template)

    def expression(self, expr: str) -> str:
        if not self.map:
            return ""
        m = _EXPR_RE.match(expr)
        if m is None:
            return ""
        if m["var"] is None:
            # A string literal through filters such as relative_url: the literal.
            return m["q"] if m["q"] is not None else m["s"]
        value = self.variables(m["var"])
        return html.escape(value, quote=False) if value is not None else ""


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and code spans, approximately as CommonMark reads
    them (the Markdown engine's :func:`commonsgen.markdown.writer.code_ranges` is exact)."""
    ranges: list[tuple[int, int]] = []
    outside: list[tuple[int, int]] = []
    pos = 0
    fences = list(_FENCE_RE.finditer(text))
    k = 0
    while k < len(fences):
        opening = fences[k]
        marker = opening[1] or opening[2]
        closing = None
        for j in range(k + 1, len(fences)):
            candidate = fences[j][1] or fences[j][2]
            line_end = text.find("\n", fences[j].end())
            rest = text[fences[j].end() : line_end if line_end >= 0 else len(text)]
            if candidate[0] == marker[0] and len(candidate) >= len(marker) and not rest.strip():
                closing = j
                break
        end = len(text) if closing is None else fences[closing].end()
        outside.append((pos, opening.start()))
        ranges.append((opening.start(), end))
        pos = end
        k = len(fences) if closing is None else closing + 1
    outside.append((pos, len(text)))
    for start, end in outside:
        if "`" in text[start:end]:
            ranges.extend(m.span() for m in _CODE_SPAN_RE.finditer(text, start, end))
    return sorted(ranges)


def _inside(offset: int, ranges: list[tuple[int, int]], starts: list[int]) -> bool:
    index = bisect.bisect_right(starts, offset) - 1
    return index >= 0 and offset < ranges[index][1]


# --- Pandoc fenced divs ---------------------------------------------------------------

_DIV_RE = re.compile(
    r"^(?P<indent>[ \t]*):{3,}[ \t]*(?:(?P<attrs>\{[^{}]*\})|(?P<name>[\w-]+))?[ \t]*:*[ \t]*$"
)
_CLASS_RE = re.compile(r"^[A-Za-z][\w-]*$")
_COLLAPSED = frozenset({"solution", "hint", "spoiler"})
"""Shown closed, behind their title: answers a learner should try without first."""
TITLES: Mapping[str, str] = {
    "keypoints": "Key points",
    "prereq": "Prerequisite",
    "instructor": "Instructor note",
    "testimonial": "Testimonial",
}


def fenced_divs(text: str) -> str:
    """``::: name`` ... ``:::`` (nested by colon count, as Pandoc does) as HTML blocks
    around Markdown: ``<aside class="admonition name">`` with a title, or a closed
    ``<details>`` for solutions and hints. MyST's ``:::{note}`` is left to the directive."""
    return blocks_mapped(text, fenced_divs=True, directives=False)[0]


ADMONITIONS = frozenset(
    {"attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning"}
)
"""The MyST directives that are admonitions (``:::{note} Title`` or ```` ```{note} ````)."""
_DIRECTIVE_RE = re.compile(
    r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,}|:{3,})[ \t]*\{(?P<name>[A-Za-z]+)\}"
    r"[ \t]*(?P<title>[^\n]*?)[ \t]*$"
)
_NO_DEFINITION_RE = re.compile(r"^ {0,3}(?=:[^\s:])")
_OPTION_RE = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*?)[ \t]*$")


def blocks_mapped(
    text: str, *, fenced_divs: bool, directives: bool = True
) -> tuple[str, OffsetMap]:
    """Admonition blocks as HTML around Markdown, and where each line came from: MyST
    directives (``:::{warning} Title`` ... ``:::``, also with backtick or tilde fences)
    always, Pandoc fenced divs when ``fenced_divs`` is on. Done before parsing because a
    CommonMark parser with definition lists on reads ``: ...`` lines as definitions, and
    a backtick fence as code. The HTML written here is the only HTML on the page that no
    editor wrote: the map tells the writer which it is."""
    if (
        ":::" not in text
        and "\n:" not in text
        and not text.startswith(":")
        and not (directives and ("```{" in text or "~~~{" in text))
    ):
        return text, IDENTITY
    out = Rewriter(text)
    stack: list[tuple[str, str, str]] = []
    """(indent, closing tag, the fence that closes it: "" for a Pandoc div)"""
    fence: str | None = None
    options_of: str | None = None
    """The fence of a directive just opened, whose ``:key: value`` lines are being read."""
    pos = 0
    while pos < len(text):
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline + 1
        line = text[pos:end].rstrip("\n")
        line_start, pos = pos, end
        if options_of is not None:
            option = _OPTION_RE.match(line)
            if option is not None:
                continue  # directive options (":class: x"): what they set is not published
            options_of = None
        stripped = line.lstrip(" \t>")
        if fence is not None:
            out.copy(line_start, end)
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]).strip():
                fence = None
            continue
        if stack and stack[-1][2] and _closes(stripped, stack[-1][2]):
            indent, closing, _ = stack.pop()
            out.write(f"\n{indent}{closing}\n\n", line_start)
            continue
        directive = _DIRECTIVE_RE.match(line) if directives and "{" in line else None
        if directive is not None and directive["name"].lower() in ADMONITIONS:
            name = directive["name"].lower()
            title = html.escape(directive["title"] or name.capitalize())
            indent = directive["indent"]
            out.write(
                f'{indent}<section class="admonition {name}">\n'
                f'{indent}<p class="admonition-title">{title}</p>\n\n',
                line_start,
            )
            stack.append((indent, "</section>", directive["fence"]))
            options_of = directive["fence"]
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[: len(stripped) - len(stripped.lstrip(stripped[0]))]
            out.copy(line_start, end)
            continue
        m = _DIV_RE.match(line) if fenced_divs and ":::" in line else None
        if m is None:
            colon = _NO_DEFINITION_RE.match(line)
            if colon is not None:
                # pulldown-cmark reads ":x" as a definition; Pandoc and PHP Markdown Extra
                # (and so our definition lists) need a space after the colon: ":+1:" is text.
                out.copy(line_start, line_start + colon.end())
                out.write("\\", line_start + colon.end())
                out.copy(line_start + colon.end(), end)
            else:
                out.copy(line_start, end)
            continue
        indent = m["indent"]
        if m["attrs"] is None and m["name"] is None:
            if not stack:
                out.copy(line_start, end)  # a stray closing fence: as written
                continue
            _, closing, _ = stack.pop()
            out.write(f"\n{indent}{closing}\n\n", line_start)
            continue
        if m["attrs"] is not None and not re.search(r"[.#=]", m["attrs"]):
            out.copy(line_start, end)  # ":::{x}" with x no admonition: MyST, as written
            continue
        classes, element_id, title = _div_attributes(m["attrs"], m["name"])
        kind = classes[0] if classes else ""
        heading = html.escape(title or TITLES.get(kind) or kind.replace("-", " ").capitalize())
        id_attr = f' id="{html.escape(element_id)}"' if element_id else ""
        class_attr = html.escape(" ".join(["admonition", *classes]))
        if kind in _COLLAPSED:
            opening = (
                f'{indent}<details class="{class_attr}"{id_attr}>\n'
                f'{indent}<summary class="admonition-title">{heading}</summary>\n'
            )
            stack.append((indent, "</details>", ""))
        else:
            opening = f'{indent}<aside class="{class_attr}"{id_attr}>\n'
            if heading:
                opening += f'{indent}<p class="admonition-title">{heading}</p>\n'
            stack.append((indent, "</aside>", ""))
        out.write(opening + "\n", line_start)
    while stack:
        indent, closing, _ = stack.pop()
        out.write(f"\n\n{indent}{closing}\n", len(text))
    return out.result()


def _closes(stripped: str, fence: str) -> bool:
    """Whether a line (its indentation removed) is a closing fence for ``fence``."""
    return stripped.startswith(fence) and not stripped.strip(fence[0]).strip()


def _div_attributes(attrs: str | None, name: str | None) -> tuple[list[str], str, str]:
    """Classes, id and title of a div: ``name`` or ``{.a .b #id title="T"}``."""
    if name is not None:
        return ([name] if _CLASS_RE.match(name) else []), "", ""
    parsed = parse_attributes((attrs or "{}")[1:-1])
    title = parsed.get("title", "")
    return parsed.get("class", "").split(), parsed.get("id", ""), title


_ATTRIBUTE_RE = re.compile(
    r"""(?P<id>\#[^\s.#"'=}]+)|(?P<cls>\.[^\s.#"'=}]+)"""
    r"""|(?P<key>[A-Za-z_][\w:-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+))"""
)

_ESCAPED_RE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation


def parse_attributes(source: str) -> dict[str, str]:
    """``#id .class key="v"`` (Pandoc and kramdown) -> a mapping, classes joined; class
    names and ids not safe to publish as written are left out."""
    result: dict[str, str] = {}
    classes: list[str] = []
    for m in _ATTRIBUTE_RE.finditer(source):
        if m["id"]:
            if _CLASS_RE.match(m["id"][1:]):
                result["id"] = m["id"][1:]
        elif m["cls"]:
            if _CLASS_RE.match(m["cls"][1:]):
                classes.append(m["cls"][1:])
        else:
            value = next(v for v in (m["dq"], m["sq"], m["bare"]) if v is not None)
            value = _ESCAPED_RE.sub(r"\1", value)  # Pandoc: "pnas\_final" is pnas_final
            if m["key"] == "class":
                classes.extend(c for c in value.split() if _CLASS_RE.match(c))
            elif m["key"] == "id":
                if _CLASS_RE.match(value):
                    result["id"] = value
            else:
                result[m["key"].lower()] = value
    if classes:
        result["class"] = " ".join(dict.fromkeys(classes))
    return result
