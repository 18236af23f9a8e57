"""The build cache kept between runs, in ``.commonsgen-cache/`` in the site folder.

A build with the cache writes exactly the bytes a build without it writes. It reuses, each
keyed by everything it depends on:

- *nothing changed*: a digest of every input (the stat signatures of the files under the
  site folder and the themes, commonsgen's own code, the build's options, the content's git
  HEAD) equal to the last successful build's, with its output folder as that build left it:
  the diagnostics are replayed and nothing else runs;
- *a page's Markdown*, keyed by the page (body and frontmatter), its URL, the whole config,
  the caption words of its language (from the catalogues) and the renderer's versions, and
  valid while every link target it resolved still resolves
  to the same thing. A page whose rendering reported anything is not kept: its hints name
  other pages ("did you mean") and would go stale;
- *an output page*, keyed by its template's name, its template context and the bytes of every
  template and catalogue: when the key is unchanged and the file in the output folder is the
  one the last build wrote (same stat signature), it is neither rendered nor written;
- *a page's output key*, without making its view, when what the view is made from is as
  the last build recorded: the templates, the site's shape (everything the site shares, and
  every page's frontmatter: :meth:`DiskCache.known_views`) and the page's Markdown key.

Everything lives in one SQLite file in a folder named after the cache format. Whatever cannot
be read (a corrupt file, an older format, a full disk, another build holding the lock) is
logged at debug level and the build goes on without the cache: it is safe to delete at any
time, and never a reason for a build to fail.

The cache is untrusted input (a pull request can commit one; CI restores one that another
branch's build wrote): its values are data in the format of :mod:`codec`, checked as they
are read, never pickles; an entry that does not check out is a miss. A cache folder that git
tracks, or that is a link, is not used at all.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from commonsgen import history, render, urls
from commonsgen.content.fields import PageContext
from commonsgen.diagnostics import Diagnostic, Report
from commonsgen.incremental.codec import VERSION as CODEC_VERSION
from commonsgen.incremental.codec import Codec, Rejected, cache_codec
from commonsgen.incremental.stamps import StatSignature, fingerprint, stat_signature
from commonsgen.markdown.html import Engine, RenderedPage, link_dependencies
from commonsgen.model import Page, PageId, SourceFile
from commonsgen.outputs import views
from commonsgen.site import Site

log = logging.getLogger(__name__)

ReadPage = Callable[[SourceFile, PageContext, Report], "Page | None"]

CACHE_DIR = ".commonsgen-cache"
FORMAT = 3 + CODEC_VERSION
"""Raise when what is stored changes shape: the folder name changes with it. (Folders of
formats up to 3 hold pickles: they are never opened.)"""
DATABASE = "cache.sqlite"
FRESH_NS = 2_000_000_000
"""Files modified this recently are known by their content, not their stat signature: a
second save within the file system's clock tick can leave the signature as it was (git's
"racily clean" files)."""
WRITE_BATCH = 200
READ_BATCH = 500
"""Keys a ``SELECT ... WHERE key IN (...)`` asks for at once: under the 999 parameters of
old SQLite versions."""
KEEP_BUILDS = 5
"""Entries unused for this many builds are dropped (branches switch back); an entry a
build reads has its mark of use rewritten only once it is ``REFRESH`` builds old, so one may
outlive that by as much."""
REFRESH = 3
"""Marks of use are rewritten this seldom: a build that reads every entry need not write a
mark for each. (They live in tables of their own, ``<table>_marks``: in the row of the value,
rewriting a mark rewrote the value, and a build every ``REFRESH`` wrote the whole cache.)"""

_TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This folder is commonsgen's build cache; it is safe to delete.\n"
)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS markdown (key BLOB PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS parsed (key BLOB PRIMARY KEY, value BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS pages (key BLOB PRIMARY KEY, html BLOB NOT NULL)",
    *(
        f"CREATE TABLE IF NOT EXISTS {table}_marks "
        "(key BLOB PRIMARY KEY, used INTEGER NOT NULL) WITHOUT ROWID"
        for table in ("markdown", "parsed", "pages")
    ),
    "CREATE TABLE IF NOT EXISTS outputs "
    "(path TEXT PRIMARY KEY, key BLOB, signature BLOB NOT NULL, inputs BLOB)",
    # Dropping unused entries looks at the marks alone.
    *(
        f"CREATE INDEX IF NOT EXISTS {table}_by_use ON {table}_marks (used)"
        for table in ("markdown", "parsed", "pages")
    ),
)


def _digest(data: bytes) -> bytes:
    # SHA-256 rather than BLAKE2: CPUs' SHA extensions make it twice as fast here, and
    # a build digests every page's file and every output page's context.
    return hashlib.sha256(data).digest()[:20]


PACKAGE = Path(__file__).resolve().parents[1]
"""The commonsgen package, whose every file the build cache's code digest covers."""


def _package_signature() -> bytes:
    """commonsgen's own code and the versions of what renders: an editable install changes
    its code without changing its version. By content, not by stat: CI installs the same
    files afresh on every run, and its cache must survive that."""
    package = PACKAGE
    parts: list[bytes] = [repr((FORMAT, sys.version_info[:2])).encode()]
    for name in ("commonsgen", "pyromark", "jinja2", "markupsafe", "nh3", "pyyaml"):
        try:
            parts.append(f"{name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            parts.append(name.encode())
    # Code and the data shipped with it (profiles); not the compiled files beside them.
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        parts += [path.relative_to(package).as_posix().encode(), path.read_bytes()]
    return _digest(b"\0".join(parts))


def _walk(top: Path, skip: set[str]) -> Iterator[tuple[str, StatSignature]]:
    """Every file under ``top`` (links followed once) with its stat signature; ``top``
    itself when it is a file."""
    if not os.path.isdir(top):
        yield str(top), stat_signature(top) or (-1, -1, -1, -1)
        return
    seen: set[str] = set()
    pending = [top]
    while pending:
        folder = pending.pop()
        real = os.path.realpath(folder)
        if real in seen or real in skip:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            yield str(folder), (-1, -1, -1, -1)
            continue
        for entry in entries:
            if entry.name in (".git", "__pycache__", CACHE_DIR):
                continue
            try:
                if entry.is_dir():
                    pending.append(Path(entry.path))
                    continue
                st = entry.stat()
            except OSError:  # a dangling link: its name still counts
                yield entry.path, (-1, -1, -1, -1)
                continue
            yield entry.path, (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a build read, as digests that change whenever any of it may have changed."""

    digest: bytes
    """To compare with the last build's :attr:`record`: the files it knew by their content
    are known by their content here too."""
    record: bytes
    """To record for the next build."""
    hashed: tuple[str, ...]
    """The files :attr:`record` knows by their content (modified within ``FRESH_NS``):
    the next build reads them again."""


def inputs_digest(
    code: bytes,
    root: Path,
    output: Path,
    options: Any,
    others: Iterable[Path],
    hashed_before: Collection[str] = (),
) -> Inputs:
    """Digests of everything a build reads: commonsgen's ``code``
    (:attr:`DiskCache.code`), the files under the site folder and the ``others`` (themes,
    and content, templates, static files or contributors the config places elsewhere).

    A file is known by its stat signature, except one modified within ``FRESH_NS`` or one
    the last build knew by its content (``hashed_before``), which is known by its content:
    a build right after an edit can then be followed by the no-change path, and a second
    save within the clock tick, which may keep the signature, still changes the digest."""
    root = root.resolve()
    skip = {os.path.realpath(output)}
    files = list(_walk(root, skip))
    for other in others:
        if other.resolve() != root and root not in other.resolve().parents:
            files.extend(_walk(other, skip))
    fresh = time.time_ns() - FRESH_NS
    hashed = tuple(path for path, signature in files if signature[0] > fresh)
    again = set(hashed_before) - set(hashed)
    head = (code, repr(options), history.head_state(root))
    contents = {path: _content(path) for path in (*hashed, *again)}

    def digest(by_content: Collection[str]) -> bytes:
        known = [
            (path, (signature[1], contents[path]) if path in by_content else signature)
            for path, signature in files
        ]
        return _digest(repr((*head, known)).encode())

    record = digest(set(hashed))
    compared = digest(set(hashed) | {p for p in again if p in contents}) if again else record
    return Inputs(compared, record, hashed)


def _content(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return hashlib.blake2b(f.read(), digest_size=16).digest()
    except OSError:
        return None


@dataclass(slots=True)
class Counts:
    markdown_reused: int = 0
    markdown_rendered: int = 0
    pages_read_reused: int = 0
    pages_stored: int = 0
    """Output pages taken from the cache (their file had to be written again)."""
    pages_rendered: int = 0
    views_skipped: int = 0
    """Pages whose output key was known from their inputs, so their view was not made."""

    def describe(self) -> str:
        return (
            f"Markdown of {self.markdown_rendered} pages rendered, {self.markdown_reused} reused; "
            f"{self.pages_read_reused} pages read from the cache; "
            f"{self.pages_rendered} output pages rendered, {self.pages_stored} taken from the "
            f"cache; {self.views_skipped} views not needed"
        )


@dataclass(slots=True)
class DiskCache:
    """One build's handle on the cache; ``None`` from :meth:`open` when it is unusable."""

    connection: sqlite3.Connection | None
    build_number: int
    code: bytes = b""
    """The signature of commonsgen's code (read once a build: it reads every file)."""
    codec: Codec = field(default_factory=cache_codec)
    counts: Counts = field(default_factory=Counts)
    _used: list[bytes] = field(default_factory=list)
    _parsed_used: list[bytes] = field(default_factory=list)
    _config: tuple[Any, bytes | None] | None = None
    _pending: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    """New entries, written a batch at a time rather than held until the build ends (on a
    large site they would double its memory)."""
    _output_keys: dict[str, bytes] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)
    """Output files :meth:`keep` found up to date: neither rendered nor written."""
    _pages_used: list[bytes] = field(default_factory=list)
    _templates: bytes = b""
    _page_keys: dict[int, tuple[Page, bytes]] = field(default_factory=dict)
    """id(page) -> the page and the key it was read under (file bytes and parse context),
    which stands for the page in its Markdown key: cheaper than pickling it again."""
    _last_outputs: dict[str, tuple[bytes | None, bytes, bytes | None]] | None = None
    """The ``outputs`` table as the last build left it (path -> key, stat signature, and
    for a page the inputs its view was made from)."""
    _markdown_keys: dict[PageId, bytes] = field(default_factory=dict)
    _view_inputs: dict[str, bytes] = field(default_factory=dict)
    """Output path -> what its page's view is made from (:meth:`known_views`)."""

    @classmethod
    def open(cls, site_root: Path, report: Report | None = None) -> DiskCache | None:
        top = site_root / CACHE_DIR
        folder = top / f"v{FORMAT}"
        refused = _untrusted(site_root, top)
        if refused:
            if report is not None:
                report.warning(
                    CACHE_DIR,
                    None,
                    None,
                    "untrusted-cache",
                    f"the build cache is not used: {refused[0]}",
                    refused[1],
                )
            return None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", b"*\n")):
                if not (top / name).exists():
                    (top / name).write_bytes(text)
        except OSError as exc:
            log.debug("build cache: cannot create %s (%s); building without it", folder, exc)
            return None
        for attempt in (1, 2):
            try:
                return cls._connect(folder / DATABASE)
            except sqlite3.Error as exc:
                log.debug("build cache: %s is unusable (%s)", folder / DATABASE, exc)
                if attempt == 1 and not isinstance(exc, sqlite3.OperationalError):
                    _delete(folder / DATABASE)  # corrupt: start a new one
                    continue
                return None
        return None

    @classmethod
    def _connect(cls, path: Path) -> DiskCache:
        connection = sqlite3.connect(path, timeout=1.0, isolation_level=None)
        try:
            # The cache can always be rebuilt, so durability is not worth a sync per write.
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("PRAGMA journal_mode = WAL")
            for statement in _SCHEMA:
                connection.execute(statement)
            signature = _package_signature()
            row = connection.execute("SELECT value FROM meta WHERE name = 'code'").fetchone()
            if row is None or row[0] != signature:
                if row is not None:
                    log.debug("build cache: commonsgen changed since it was written; emptied")
                connection.execute("BEGIN")
                for table in ("meta", "parsed", "markdown", "pages", "outputs"):
                    connection.execute(f"DELETE FROM {table}")
                connection.execute("INSERT INTO meta VALUES ('code', ?)", (signature,))
                connection.execute("COMMIT")
            row = connection.execute("SELECT value FROM meta WHERE name = 'builds'").fetchone()
            number = int(row[0]) + 1 if row else 1
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('builds', ?)", (number,))
        except BaseException:
            connection.close()
            raise
        return cls(connection, number, signature)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _failed(self, exc: Exception) -> None:
        log.debug("build cache: %s; going on without it", exc)
        self.close()

    def _get(self, query: str, args: tuple[Any, ...]) -> Any:
        if self.connection is None:
            return None
        try:
            row = self.connection.execute(query, args).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        return row[0] if row else None

    def _get_many(
        self,
        table: str,
        column: str,
        keys: Iterable[bytes],
        used: list[bytes],
        convert: Callable[[Any], Any],
    ) -> dict[bytes, Any]:
        """Key -> ``convert`` of ``column`` of the rows of ``table`` with these keys: a
        query a batch of keys rather than one a key (which was most of the time a cached
        build spent here), each value converted as it comes (the raw values of a whole
        large site at once would take hundreds of megabytes). The keys of rows whose mark
        of use is due to be rewritten go to ``used``."""
        found: dict[bytes, Any] = {}
        due = self.build_number - REFRESH
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), READ_BATCH):
            if self.connection is None:
                break
            batch = wanted[start : start + READ_BATCH]
            marks = ",".join("?" * len(batch))
            query = (
                f"SELECT t.key, t.{column}, m.used FROM {table} AS t "
                f"LEFT JOIN {table}_marks AS m ON m.key = t.key WHERE t.key IN ({marks})"
            )
            try:
                rows = self.connection.execute(query, batch).fetchall()
            except sqlite3.Error as exc:
                self._failed(exc)
                break
            for key, value, mark in rows:
                found[key] = convert(value)
                if mark is None or mark <= due:
                    used.append(key)
        return found

    def _run(self, statements: Iterable[tuple[str, Any]]) -> None:
        """Run the statements in one transaction; a statement whose arguments are a list
        runs once for each of its items (``executemany``)."""
        if self.connection is None:
            return
        try:
            self.connection.execute("BEGIN")
            for query, args in statements:
                if isinstance(args, list):
                    self.connection.executemany(query, args)
                else:
                    self.connection.execute(query, args)
            self.connection.execute("COMMIT")
        except sqlite3.Error as exc:
            self._failed(exc)

    # -- nothing changed ---------------------------------------------------------------

    def hashed_inputs(self) -> tuple[str, ...]:
        """The files the last build knew by their content (:attr:`Inputs.hashed`)."""
        stored = self._get("SELECT value FROM meta WHERE name = 'inputs_hashed'", ())
        if not isinstance(stored, bytes) or not stored:
            return ()
        return tuple(stored.decode("utf-8", "surrogateescape").split("\0"))

    def unchanged(self, inputs: Inputs, output: Path) -> Any:
        """What :meth:`finish` recorded of the last build when it had these inputs and its
        output folder is untouched; None otherwise."""
        if self._get("SELECT value FROM meta WHERE name = 'inputs'", ()) != inputs.digest:
            return None
        if self._get("SELECT value FROM meta WHERE name = 'output'", ()) != str(output):
            return None
        if not self._outputs_intact(output):
            return None
        stored = self._get("SELECT value FROM meta WHERE name = 'report'", ())
        last = self._decode(stored) if stored is not None else None
        if not (
            type(last) is tuple
            and len(last) == 2
            and type(last[0]) is list
            and all(isinstance(d, Diagnostic) for d in last[0])
            and type(last[1]) is int
        ):
            return None
        return last

    def _outputs_intact(self, output: Path) -> bool:
        rows = self._previous_outputs()
        if not rows:
            return False
        folder = str(output)
        for path, (_key, signature, _inputs) in rows.items():
            if _signature_bytes(stat_signature(os.path.join(folder, path))) != signature:
                return False
        return True

    def _previous_outputs(self) -> dict[str, tuple[bytes | None, bytes, bytes | None]]:
        """The ``outputs`` table, read once a build."""
        if self._last_outputs is None:
            if self.connection is None:
                return {}
            try:
                rows = self.connection.execute("SELECT path, key, signature, inputs FROM outputs")
                self._last_outputs = {path: (key, sig, inp) for path, key, sig, inp in rows}
            except sqlite3.Error as exc:
                self._failed(exc)
                return {}
        return self._last_outputs

    # -- Markdown ----------------------------------------------------------------------

    def markdown_key(self, site: Site, page: Page, md: Engine) -> bytes | None:
        """The page, its URL, the config and the caption words of its language."""
        if self._config is None or self._config[0] is not site.config:
            self._config = (site.config, fingerprint(site.config))  # once a build, not a page
        config = self._config[1]
        if config is None:
            return None
        # Besides the page, its HTML depends on its URL and the caption words of its language.
        around = (site.page_urls[page.id] + "\0" + repr(md.words_for(page.lang))).encode()
        read = self._page_keys.get(id(page))
        if read is not None and read[0] is page:
            # The page as read from these file bytes with this parse context, unchanged
            # since: the key it was read under stands for it. (A pickle starts with 0x80,
            # so this cannot be taken for the other kind of key.) The fingerprint is a
            # pickle, made here and compared, never read back.
            return _digest(b"".join((config, b"R", read[1], around)))
        data = fingerprint((page, around))
        return _digest(config + data) if data is not None else None

    def get_markdowns(self, keys: dict[PageId, bytes], site: Site) -> dict[PageId, RenderedPage]:
        """The stored renderings of these pages' keys that still hold: every link target
        they resolved resolves to the same thing."""
        self._markdown_keys = dict(keys)
        stored = self._get_many("markdown", "value", keys.values(), self._used, self._decode)
        found: dict[PageId, RenderedPage] = {}
        for pid, key in keys.items():
            entry = stored.get(key)
            if not (isinstance(entry, tuple) and len(entry) == 2):
                continue
            depends, rendered = entry
            if not isinstance(rendered, RenderedPage):
                continue
            if depends != link_dependencies(site, rendered):
                continue
            self.counts.markdown_reused += 1
            found[pid] = rendered
        return found

    def put_markdown(self, entries: Iterable[tuple[bytes, RenderedPage]], site: Site) -> None:
        for key, rendered in entries:
            value = self.codec.encode((link_dependencies(site, rendered), rendered))
            self._write_soon("markdown", key, value)

    def _decode(self, data: Any) -> Any:
        """A stored value, or None for one that is not what this cache writes."""
        if type(data) is not bytes:
            return None
        try:
            return self.codec.decode(data)
        except Rejected as exc:  # a corrupt or crafted entry is a miss, never a crash
            log.debug("build cache: an entry cannot be read (%s); ignored", exc)
            return None

    def _write_soon(self, table: str, key: bytes, value: bytes | None) -> None:
        if value is None:  # holds something the cache does not store
            return
        self._pending.append((f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", (key, value)))
        mark = f"INSERT OR REPLACE INTO {table}_marks VALUES (?, ?)"
        self._pending.append((mark, (key, self.build_number)))
        if len(self._pending) >= WRITE_BATCH:
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        self._run(pending)

    # -- pages read from their files ---------------------------------------------------

    def read_pages(
        self,
        read: ReadPage,
        sources: Iterable[SourceFile],
        context: PageContext,
        report: Report,
    ) -> list[Page]:
        """The pages ``read`` gives for these files, in order, with their diagnostics; the
        page it gave for the same file bytes and parse context where the cache has it."""
        shared = fingerprint(context)
        sources = list(sources)
        keys: list[bytes | None] = []
        for source in sources:
            key = None
            try:
                with open(source.abs_path, "rb") as file:
                    data = file.read()
            except OSError:
                data = None
            if shared is not None and data is not None:
                described = "\0".join((source.rel_path, str(source.abs_path), source.site_path))
                key = _digest(b"".join((shared, fingerprint(described) or b"", data)))
            keys.append(key)
        wanted = (key for key in keys if key is not None)
        stored = self._get_many("parsed", "value", wanted, self._parsed_used, self._decode)
        pages: list[Page] = []
        for source, key in zip(sources, keys, strict=True):
            page = stored.get(key) if key is not None else None
            if isinstance(page, Page) and page.source == source:
                self.counts.pages_read_reused += 1
            else:
                # A report of its own: a page that reported anything (whatever the site's
                # ``checks:`` make of it) is not kept, so its diagnostics are never lost.
                own = Report()
                page = read(source, context, own)
                report.extend(own.items)
                if key is not None and page is not None and not own.items:
                    self._write_soon("parsed", key, self.codec.encode(page))
            if page is not None:
                pages.append(page)
                if key is not None:
                    self._page_keys[id(page)] = (page, key)
        return pages

    # -- output pages ------------------------------------------------------------------

    def use_templates(self, folders: Iterable[Path]) -> None:
        """Every template and catalogue, by content: output pages depend on all of them."""
        parts = []
        for folder in folders:
            for path, _signature in _walk(folder, set()):
                try:
                    parts.append((path, Path(path).read_bytes()))
                except OSError:
                    parts.append((path, None))
        self._templates = _digest(repr(parts).encode())

    def known_views(self, site: Site) -> set[PageId]:
        """The pages whose output key is known without making their view: the last build
        made it from the same inputs. These are the templates (:meth:`use_templates`, called
        before), the site's shape and the page's Markdown key. The shape is everything the
        site shares and every page but its body (a page's view shows other pages by their
        frontmatter, never their text). The Markdown key stands for the page, its URL and
        the config; given the shape, which holds where its links lead, it also decides the
        page's HTML. After an edit of a page's text, only that page's view is made again."""
        if self.connection is None or not self._templates:
            return set()
        bodyless = [dataclasses.replace(page, body="") for page in site.pages.values()]
        shape = fingerprint((views.shared_data(site), bodyless))
        if shape is None:
            return set()
        shape = _digest(shape)
        previous = self._previous_outputs()
        # An index page is shown by its section's listing, whose view quotes other pages.
        listings = {section.index_page for section in site.sections.values()}
        known: set[PageId] = set()
        for pid, markdown_key in self._markdown_keys.items():
            if pid in listings:
                continue
            out_path = urls.out_path(site.page_urls[pid])
            inputs = _digest(b"".join((self._templates, shape, markdown_key)))
            self._view_inputs[out_path] = inputs
            row = previous.get(out_path)
            if row is not None and row[0] is not None and row[2] == inputs:
                self._output_keys[out_path] = row[0]
                known.add(pid)
        self.counts.views_skipped += len(known)
        return known

    def _job_key(self, site: Site, job: render.Job) -> bytes | None:
        if job.out_path not in self._output_keys:
            assert job.view is not None, "a job without its view has a known key"
            context = fingerprint(
                (self._templates, job.template, render.template_context(site, job.view))
            )
            if context is None:
                return None
            self._output_keys[job.out_path] = _digest(context)
        return self._output_keys[job.out_path]

    def keep(self, site: Site, job: render.Job, output: Path) -> bool:
        """Whether ``job``'s file in ``output`` is what rendering it now would write."""
        key = self._job_key(site, job)
        if key is None or self.connection is None:
            return False
        row = self._previous_outputs().get(job.out_path)
        if row is None or row[0] != key:
            return False
        path = os.path.join(str(output), job.out_path)
        if _signature_bytes(stat_signature(path)) != row[1]:
            return False
        self.kept.add(job.out_path)
        return True

    def stored_pages(self, site: Site, jobs: list[render.Job]) -> list[bytes | None]:
        """For each job, the bytes it gave for the same key in an earlier build (whose
        output folder may be gone, as in CI), or None."""
        keys = [self._job_key(site, job) for job in jobs]
        wanted = (key for key in keys if key is not None)
        stored = self._get_many("pages", "html", wanted, self._pages_used, bytes)
        found: list[bytes | None] = []
        for key in keys:
            html = stored.get(key) if key is not None else None
            if html is not None:
                self.counts.pages_stored += 1
            found.append(html)
        return found

    def remember_page(self, site: Site, job: render.Job, html: bytes) -> None:
        """Keep what ``job`` rendered to (without reporting anything) for later builds."""
        key = self._job_key(site, job)
        if key is not None:
            self._write_soon("pages", key, html)

    def finish(
        self,
        inputs: Inputs,
        output: Path,
        written: Iterable[str],
        report: Any,
    ) -> None:
        """Record a successful build: what its output folder holds, its diagnostics, and
        which Markdown entries it used (the others age out)."""
        self._flush()
        number = self.build_number
        previous = self._previous_outputs() if self.connection is not None else {}
        folder = str(output)
        rows: dict[str, tuple[bytes | None, bytes, bytes | None]] = {}
        for path in written:
            old = previous.get(path)
            made_from = self._view_inputs.get(path)
            if path in self.kept and old is not None:
                rows[path] = (*old[:2], made_from)  # keep() saw its signature unchanged
                continue
            signature = _signature_bytes(stat_signature(os.path.join(folder, path)))
            if signature is not None:
                rows[path] = (self._output_keys.get(path), signature, made_from)
        # Only the rows that changed: after a one-page edit, a few rather than all.
        statements: list[tuple[str, Any]] = [
            ("DELETE FROM outputs WHERE path = ?", [(p,) for p in previous if p not in rows]),
            (
                "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)",
                [(p, *row) for p, row in rows.items() if previous.get(p) != row],
            ),
        ]
        oldest = number - KEEP_BUILDS - REFRESH
        for table, used in (
            ("markdown", self._used),
            ("parsed", self._parsed_used),
            ("pages", self._pages_used),
        ):
            # ... but not the pages in the output folder, which count as used: a later
            # build without the folder (CI) takes their bytes from here.
            in_output = "AND key NOT IN (SELECT key FROM outputs WHERE key IS NOT NULL)"
            old = f"SELECT key FROM {table}_marks WHERE used < ? "
            old += in_output if table == "pages" else ""
            statements += [
                (
                    f"INSERT OR REPLACE INTO {table}_marks VALUES (?, ?)",
                    [(key, number) for key in used],
                ),
                (f"DELETE FROM {table} WHERE key IN ({old})", (oldest,)),
                (f"DELETE FROM {table}_marks WHERE key IN ({old})", (oldest,)),
            ]
        statements += [
            ("INSERT OR REPLACE INTO meta VALUES ('inputs', ?)", (inputs.record,)),
            (
                "INSERT OR REPLACE INTO meta VALUES ('inputs_hashed', ?)",
                ("\0".join(inputs.hashed).encode("utf-8", "surrogateescape"),),
            ),
            ("INSERT OR REPLACE INTO meta VALUES ('output', ?)", (str(output),)),
            (
                "INSERT OR REPLACE INTO meta VALUES ('report', ?)",
                (self.codec.encode(report) or b"",),
            ),
        ]
        self._run(statements)


def _signature_bytes(signature: StatSignature | None) -> bytes | None:
    return repr(signature).encode() if signature is not None else None


def _untrusted(site_root: Path, top: Path) -> tuple[str, str] | None:
    """Why the cache folder may hold what someone else wrote, or None. A folder git tracks
    came with the commits (a pull request's, say); a link may lead out of the site."""
    if top.is_symlink() or (top.exists() and not top.is_dir()):
        return (
            "it is a link or a file, not a folder of the site",
            f"remove {CACHE_DIR}; the next build makes it anew",
        )
    if not top.exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(site_root), "ls-files", "-z", "--", CACHE_DIR],
            capture_output=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git: nothing can be tracked
    if done.returncode == 0 and done.stdout:
        return (
            "git tracks files in it, so a commit may have put them there",
            f"untrack them with: git rm -r --cached {CACHE_DIR}",
        )
    return None


def _delete(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            Path(str(path) + suffix).unlink(missing_ok=True)
