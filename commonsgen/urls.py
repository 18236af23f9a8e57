"""Site URLs: relative links between output pages, absolute URLs under the base URL.

A *site URL* is a path relative to the site's root, unquoted, posix: ``guide/rivers/`` for a
page (pretty URLs end in '/'), ``images/probe.jpg`` for a file, ``""`` for the home page.
Pages link to each other with relative hrefs, so the same output works under any base path
(``https://example.org/handbook/``), on a preview host and from a local server; absolute
URLs (canonical links, JSON-LD) join the base URL.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from urllib.parse import quote, urlsplit

_SAFE = "/#?=&%:@-._~!$'()*+,;"


def quote_url(url: str) -> str:
    """Percent-encode what must be encoded in an href, leaving URL syntax alone."""
    return quote(url, safe=_SAFE)


def relative(from_url: str, to_url: str) -> str:
    """The href that leads from the page at ``from_url`` to ``to_url`` (both site URLs).

    ``to_url`` may carry a ``#fragment``.
    """
    target, hash_, fragment = to_url.partition("#")
    from_dir = from_url.rsplit("/", 1)[0] if "/" in from_url else ""
    if target == from_url and hash_:
        return quote_url("#" + fragment)
    rel = _relpath(target, from_dir)
    if target.endswith("/") or target == "":
        rel = "./" if rel == "." else rel + "/"
    return quote_url(rel + (hash_ + fragment))


def _relpath(target: str, from_dir: str) -> str:
    """posixpath.relpath for site URLs, without its os.getcwd() per call: every link of
    every page goes through here, and relpath's system calls were half of template time."""
    to_parts = [p for p in target.split("/") if p]
    from_parts = [p for p in from_dir.split("/") if p]
    common = 0
    for a, b in zip(to_parts, from_parts, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(from_parts) - common) + to_parts[common:]
    return "/".join(parts) or "."


def absolute(base_url: str, url: str) -> str:
    """``base_url`` (ending in '/') joined with a site URL."""
    return base_url + quote_url(url)


def page_url(rel_path: str, slug: str | None = None) -> str:
    """The pretty URL of a Markdown file: ``a/b.md`` -> ``a/b/``, ``a/index.md`` -> ``a/``."""
    stem = rel_path[: -len(".md")] if rel_path.endswith(".md") else rel_path
    folder, _, name = stem.rpartition("/")
    if name == "index":
        return folder + "/" if folder else ""
    if slug:
        name = slug
    return f"{folder}/{name}/" if folder else f"{name}/"


def out_path(url: str) -> str:
    """Where a site URL is written in the output folder."""
    if url == "" or url.endswith("/"):
        return url + "index.html"
    return url


def resolve_content_path(from_id: str, written: str) -> str | None:
    """A path written in the file ``from_id`` -> the content path of the file it names.

    Paths are relative to the file's folder; a leading '/' means the content folder.
    None when the path climbs out of the content folder.
    """
    written = written.strip()
    if written.startswith("/"):
        joined = written.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(from_id), written)
    normal = posixpath.normpath(joined)
    if normal in (".", "..") or normal.startswith("../"):
        return None if normal != "." else ""
    return normal


def relative_path(from_id: str, to_id: str) -> str:
    """How the file ``from_id`` names the file ``to_id`` (for "did you mean" hints)."""
    return posixpath.relpath(to_id, posixpath.dirname(from_id) or ".")


def folded(out_path: str) -> str:
    """What an output path is to a file system or host that ignores case and Unicode
    normalisation (macOS, Windows, many object stores): ``Café`` in NFC and in NFD, and
    ``café``, are one file there."""
    return unicodedata.normalize("NFC", out_path).casefold()


def slugify(text: str) -> str:
    """A heading's id: lower case, words joined by '-', letters of any script kept."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[^\w\s-]", "", text)
    text = re.sub(r"[\s_]+", "-", text).strip("-")
    return text or "section"


def name_slug(text: str) -> str:
    """A slug for a name (a tag's): as :func:`slugify`, and for a name without a letter or
    a digit (``+++``, an emoji) one made of its characters' Unicode names (``plus-sign``),
    so that it is a slug of its own, never ``section`` or empty."""
    slug = slugify(text)
    if slug != "section" or re.search(r"\w", text):
        return slug
    named = "-".join(
        unicodedata.name(ch, f"u{ord(ch):04x}").lower().replace(" ", "-")
        for ch in unicodedata.normalize("NFKC", text)
        if not ch.isspace()
    )
    return re.sub(r"[^a-z0-9-]+", "-", named).strip("-")[:80] or "tag"


def name_identity(text: str) -> str:
    """What makes two names one: case, Unicode normalisation and runs of spaces aside,
    the same characters (``Water`` and ``water``, but not ``a b`` and ``a-b``)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


WEB_SCHEMES = ("http", "https")
"""The only schemes a URL given by a page, a registry or a config may have: anything else
(``javascript:``, ``data:``, ``vbscript:``, ``file:`` ...) could run or read something in a
reader's browser."""

LINK_SCHEMES = ("http", "https", "mailto", "tel")
"""The schemes a link in a page's text, raw HTML or a template may have (and ``data:`` for
an image's picture): each opens a page, a mail or a call, none runs anything. Our policy,
stricter than browsers: ``ftp:``, ``irc:``, ``file:`` and the like open other programs
or read the reader's own machine."""

RUNNING_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "blob", "filesystem"})
"""Schemes whose address runs script in the page, or reads the reader's machine or
memory, rather than opening somewhere else (``data:`` only for an image's picture)."""

_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f\s]")


def web_link(value: str) -> str | None:
    """``value`` as a link to publish, when it is a web address: ``http``/``https`` with a
    host, no spaces or control characters; None for anything else.

    Leading and trailing space is trimmed and the scheme compared case-folded, as browsers
    do: ``" JavaScript:alert(1)"`` is as much a script as ``javascript:alert(1)``.
    """
    url = value.strip()
    if _CONTROL_OR_SPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host, say
        return None
    if parts.scheme.casefold() not in WEB_SCHEMES or not parts.hostname:
        return None
    return url


_SCHEME = re.compile(r"\s*[A-Za-z][A-Za-z0-9+.\-]*\s*:")


def has_scheme(value: str) -> bool:
    """Whether ``value`` starts with a URL scheme (``javascript:``, ``mailto:``, ``https:``
    ...), which a browser would follow, rather than being a bare name like ``example.org``."""
    return _SCHEME.match(value) is not None


DOI_RESOLVER = "https://doi.org/"
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")


def doi_name(value: str) -> str | None:
    """A DOI given as ``10.NNNN/...``, ``doi:10.NNNN/...`` or ``https://doi.org/10.NNNN/...``
    -> its name (``10.NNNN/...``); None when it is not a DOI."""
    doi = value.strip()
    lowered = doi.casefold()
    for prefix in (*_DOI_PREFIXES, "doi:"):
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :]
            break
    if not _DOI.fullmatch(doi) or _CONTROL_OR_SPACE.search(doi):
        return None
    return doi


def doi_url(name: str) -> str:
    """The resolver's link to a DOI name (as :func:`doi_name` returns it)."""
    return DOI_RESOLVER + quote(name, safe="/:;()._-")
