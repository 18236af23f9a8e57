"""Files in the content folder that a browser would run: refused unless a site opts in.

A page's raw HTML is sanitised, but a file is published as it is, under the site's own
origin: ``content/guide/help.html`` with a ``<script>`` would run with the site's cookies and
storage, as would an SVG opened at its own URL. So HTML, XHTML, XML (which can hold XHTML
script or an XSLT stylesheet), JavaScript and compressed SVG in ``content/`` are errors, and
an SVG is read and refused when it holds script: a ``<script>``, an event attribute
(``onload=``), an animation that sets one, a ``javascript:``/``data:`` link (a ``data:``
image drawn by ``<image>`` is kept: it cannot run), or an entity declaration (which could
spell any of these without showing them). SVGs without these, labels in ``foreignObject``
included (every diagrams.net figure), are published as they are.

This is what Hugo's ``security`` settings and GitHub's rendering of SVGs expect of files
from people a site does not know. A site whose every editor is trusted sets
``unsafe_files: true``. Templates, the theme and ``static/`` are design files, reviewed like
code (``check --changed-from``), and are not checked here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from commonsgen.diagnostics import Report
from commonsgen.model import SourceFile

EXECUTABLE = frozenset(
    {".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt", ".js", ".mjs", ".cjs"}
)
"""Extensions of files a browser runs, or renders as a document that can run script."""
SVG_LIMIT = 20 * 1024 * 1024
"""An SVG larger than this is not read through; it is refused as one that cannot be checked."""

_SCRIPT = re.compile(rb"<(?:[\w.-]+:)?(?:script|handler|listener)\b", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    rb"""[\s"'/]([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_SAFE_DATA = re.compile(r"data:image/(?:png|jpeg|gif|webp|avif);", re.IGNORECASE)
_TAG = re.compile(rb"<([\w:.-]+)")


def active_content(data: bytes) -> str | None:
    """What in an SVG file would run in a browser, or None when nothing would."""
    if b"<!ENTITY" in data.upper():
        return "an entity declaration (<!ENTITY), which can hide script"
    if b"<?xml-stylesheet" in data.lower():
        return "a stylesheet processing instruction (<?xml-stylesheet), which can run XSLT"
    found = _SCRIPT.search(data)
    if found:
        return f"a <{found.group(0)[1:].decode('utf-8', 'replace')}> element"
    for match in _ATTRIBUTE.finditer(data):
        name = match.group(1).decode("utf-8", "replace").lower()
        raw = match.group(2) if match.group(2) is not None else match.group(3) or match.group(4)
        value = html.unescape(raw.decode("utf-8", "replace"))
        local = name.rsplit(":", 1)[-1]
        if local.startswith("on"):
            return f"an event attribute ({name}=)"
        if local == "attributename" and value.strip().lower().startswith(("on", "href")):
            return f"an animation that sets {value.strip()}"
        url = _IGNORED_IN_URL.sub("", value).lower()
        if url.startswith(("javascript:", "vbscript:", "livescript:")):
            return f'a script link ({name}="{url.split(":", 1)[0]}:...")'
        if url.startswith("data:") and not (
            local == "href" and _SAFE_DATA.match(url) and _element_at(data, match.start()) in _DRAWN
        ):
            return f'a data: link ({name}="{url[:30]}...")'
    return None


_DRAWN = frozenset({"image", "feimage"})
"""Elements that draw a linked image (which a browser never runs) rather than open it."""


def _element_at(data: bytes, position: int) -> str:
    """The name of the element whose start tag holds ``position``."""
    start = data.rfind(b"<", 0, position)
    found = _TAG.match(data, start) if start >= 0 else None
    return found.group(1).decode("utf-8", "replace").rsplit(":", 1)[-1].lower() if found else ""


def check_files(assets: Iterable[SourceFile], report: Report) -> None:
    """An error for each content file a browser would run."""
    for source in assets:
        suffix = source.rel_path.rsplit(".", 1)[-1].lower() if "." in source.rel_path else ""
        suffix = "." + suffix
        why: str | None = None
        if suffix in EXECUTABLE:
            why = "a browser runs it as a web page or script"
        elif suffix == ".svgz":
            why = "a compressed SVG cannot be checked for script"
        elif suffix == ".svg":
            why = _svg_reason(source)
        if why is not None:
            report.error(
                source.site_path,
                None,
                None,
                "active-content",
                f"this file would be published as it is, and {why}",
                "publish such files from static/ or a theme, which maintainers review like "
                "code; export the figure without scripts; or, if every editor of this site "
                "is trusted, set 'unsafe_files: true' in commonsgen.yml",
            )


def _svg_reason(source: SourceFile) -> str | None:
    try:
        with open(source.abs_path, "rb") as file:
            data = file.read(SVG_LIMIT + 1)
    except OSError:
        return None  # reported where the file is copied
    if len(data) > SVG_LIMIT:
        return "it is too large to be checked for script"
    found = active_content(data)
    return f"it holds {found}, which a browser runs when the SVG is opened" if found else None
