"""Split a page into its YAML frontmatter and Markdown body, and parse the YAML.

Nothing semantic happens here: the result is plain values plus the file position of every
key, which :mod:`commonsgen.content.fields` turns into a :class:`~commonsgen.model.Page`.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonsgen import yamlsource
from commonsgen.diagnostics import FILE_SYSTEM_HINT, Report
from commonsgen.model import SourceFile
from commonsgen.yamlsource import YamlDoc

_FENCE = "---"
_CLOSERS = ("---", "...")

MAX_PAGE_BYTES = 8 * 1024 * 1024
"""Larger pages are refused unread: no handbook page is this long, and a pull request
should not be able to make every build slow or run it out of memory."""
MAX_FRONTMATTER_BYTES = 256 * 1024
"""Frontmatter is a few dozen lines; a huge block is refused before YAML reads it."""


@dataclass(frozen=True, slots=True)
class RawPage:
    source: SourceFile
    doc: YamlDoc | None
    """The frontmatter, or None when the file has none."""
    body: str
    body_line: int
    """File line on which ``body`` starts."""


@dataclass(frozen=True, slots=True)
class Split:
    frontmatter: str | None
    body: str
    body_line: int
    unclosed: bool = False


def decode(data: bytes, path: str, report: Report) -> str | None:
    """UTF-8 text with any BOM removed, line endings made ``\\n`` and control characters
    left out (reported); None if not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        report.error(
            path,
            line,
            column,
            "encoding",
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} here)",
            "save the file as UTF-8 in your editor",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return yamlsource.without_control(text, path, report)


def split(text: str) -> Split:
    """Find a frontmatter block that opens on line 1 with ``---`` and closes with ``---``."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return Split(None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            frontmatter = "\n".join(lines[1:index]) + "\n"
            body = "\n".join(lines[index + 1 :])
            return Split(frontmatter, body, index + 2)
    return Split(None, text, 1, unclosed=True)


def read_page(source: SourceFile, report: Report) -> RawPage | None:
    """Read and split one page; None (with a diagnostic) when it cannot be read at all."""
    try:
        size = source.abs_path.stat().st_size
        if size > MAX_PAGE_BYTES:
            report.error(
                source.site_path,
                None,
                None,
                "page-too-large",
                f"the page is {size / 1024 / 1024:.1f} MB; pages may be at most "
                f"{MAX_PAGE_BYTES // 1024 // 1024} MB",
                "split it into several pages, or move data out of the Markdown into a file "
                "the page links to",
            )
            return None
        data = source.abs_path.read_bytes()
    except OSError as exc:
        report.error(
            source.site_path,
            None,
            None,
            "file-system",
            f"cannot read this file: {exc.strerror or exc}",
            FILE_SYSTEM_HINT,
        )
        return None
    text = decode(data, source.site_path, report)
    if text is None:
        return None
    return parse_text(source, text, report)


def parse_text(source: SourceFile, text: str, report: Report) -> RawPage | None:
    parts = split(text)
    if parts.unclosed:
        report.error(
            source.site_path,
            1,
            1,
            "frontmatter-unclosed",
            "the frontmatter opened with '---' on line 1 is never closed",
            "add a line containing only --- after the last frontmatter key",
        )
        return None
    if parts.frontmatter is None:
        return RawPage(source, None, parts.body, parts.body_line)
    if len(parts.frontmatter) > MAX_FRONTMATTER_BYTES:
        report.error(
            source.site_path,
            1,
            1,
            "frontmatter-too-large",
            f"the frontmatter is {len(parts.frontmatter) // 1024} KB long (lines 1 to "
            f"{parts.body_line - 1}); it may be at most {MAX_FRONTMATTER_BYTES // 1024} KB",
            "keep the frontmatter to the page's metadata; put long text in the body",
        )
        return None
    doc = yamlsource.load(parts.frontmatter, path=source.site_path, report=report, line_offset=1)
    if doc is None:
        return None
    return RawPage(source, doc, parts.body, parts.body_line)
