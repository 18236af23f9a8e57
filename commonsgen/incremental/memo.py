"""What the last build computed, kept so that the next one redoes only what an edit changed.

``serve`` rebuilds the whole site on every save, through the same :func:`build.build` as the
CLI, with a :class:`BuildCache` whose memos stand in for the slow stages. Each memo is keyed
by everything its stage reads, so a reused value is the value the stage would compute, and a
rebuild gives exactly the bytes of a full build:

- discover: the names, kinds and link targets under the content folder (one ``scandir``
  walk, which also stats every file for the next memo);
- read and parse a page: the file's stat signature (mtime, size, inode, ctime) and the
  parse context (registry, languages, default licence);
- Markdown: the very same :class:`Page` object (the parse memo returns it unchanged), its
  URL, the config, the caption words of its language (from the catalogues), and how each
  of its link targets resolves (the build cache between
  runs decides the same way); a page that reported anything also needs the site's shared
  data unchanged (fingerprinted: everything :class:`Site` holds but the pages), which its
  hints may name;
- the Jinja environment: the template and catalogue folders and every file's stat signature;
- one output page (a :class:`render.Job`): the template name and the pickled template
  context, so whatever changes what a template sees re-renders the page, whatever the
  page kind, and nothing else does.

Views are computed for every job on every build: comparing them is what tells which pages
changed, whatever depends on what. Diagnostics a stage reported are replayed with a reused
value. An entry that was not used by the latest build is dropped. Memos compare pickles,
not ``==``, because ``1 == True`` and ``Markup("x") == "x"`` while templates print them
differently; a value that cannot be pickled is simply never reused.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from commonsgen import history, i18n, render
from commonsgen.config import SiteConfig
from commonsgen.content.discover import is_ignored_name
from commonsgen.content.fields import PageContext
from commonsgen.diagnostics import Diagnostic, Report
from commonsgen.incremental import reads as viewreads
from commonsgen.incremental.stamps import StatSignature, fingerprint, stat_signature
from commonsgen.markdown.html import CaptionWords, Engine, RenderedPage, link_dependencies
from commonsgen.model import Page, PageId, SourceFile
from commonsgen.outputs import search, views
from commonsgen.site import Site

log = logging.getLogger(__name__)

ReadHistory = Callable[..., "history.History | None"]
""":func:`history.read`: (config, report, *, enabled, today)."""
Discover = Callable[[Path, Path, Report], tuple[SourceFile, ...]]
ReadPage = Callable[[SourceFile, PageContext, Report], "Page | None"]
RenderFresh = Callable[[list[PageId]], "Iterable[tuple[PageId, RenderedPage, list[Diagnostic]]]"]
"""Renders these pages' Markdown: (id, HTML, diagnostics) in the order given."""
RenderJobs = Callable[[list[render.Job]], "Iterable[tuple[bytes | None, list[Diagnostic]]]"]
"""Renders these jobs: (bytes, diagnostics) in the order given."""
MakeEnvironment = Callable[[Path, render.Theme], jinja2.Environment]

_DIR = (-1, -1, -1, -1)


@dataclass(frozen=True, slots=True)
class Tree:
    """One walk of a folder, skipping what discovery skips."""

    shape: tuple[tuple[str, str], ...]
    """(relative path, kind or link target), sorted: what discovery's result depends on."""
    stats: dict[str, StatSignature]
    """Relative path -> stat signature of every file."""


def scan(top: Path) -> Tree:
    """Walk ``top`` as discovery does (following links, skipping ignored names), quickly."""
    shape: list[tuple[str, str]] = []
    stats: dict[str, StatSignature] = {}
    seen: set[str] = set()
    pending = [(str(top), "")]
    while pending:
        folder, prefix = pending.pop()
        real = os.path.realpath(folder)
        if real in seen:  # a link back to a folder already walked
            continue
        seen.add(real)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            shape.append((prefix, "unreadable"))
            continue
        for entry in entries:
            if is_ignored_name(entry.name):
                continue
            rel = prefix + entry.name
            if entry.is_symlink():
                shape.append((rel, "link:" + os.readlink(entry.path)))
            try:
                is_dir = entry.is_dir()
                st = entry.stat()
            except OSError:  # a dangling link
                shape.append((rel, "missing"))
                continue
            if is_dir:
                shape.append((rel, "dir"))
                pending.append((entry.path, rel + "/"))
            else:
                shape.append((rel, "file"))
                stats[rel] = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
    return Tree(tuple(sorted(shape)), stats)


def template_signature(folders: Iterable[Path]) -> tuple[tuple[str, StatSignature], ...]:
    """Every file under the template folders with its stat signature (and which exist)."""
    found: list[tuple[str, StatSignature]] = []
    for folder in folders:
        if not folder.is_dir():
            found.append((str(folder), _DIR))
            continue
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                found.append((path, stat_signature(path) or _DIR))
    return tuple(found)


@dataclass(slots=True)
class Stats:
    """What the last build computed afresh and what it reused."""

    discovered: bool = False
    pages_parsed: int = 0
    pages_reused: int = 0
    markdown_rendered: int = 0
    markdown_reused: int = 0
    environment_made: bool = False
    jobs_rendered: int = 0
    jobs_reused: int = 0
    views_reused: int = 0
    bodies_only: bool = False
    """Rebuilt by :mod:`commonsgen.incremental.textedit`: only what the edited pages'
    text reaches."""

    def describe(self) -> str:
        if self.bodies_only:
            return (
                f"text edit: parsed {self.pages_parsed}, Markdown {self.markdown_rendered}, "
                f"rendered {self.jobs_rendered} pages"
            )
        return (
            f"parsed {self.pages_parsed}, Markdown {self.markdown_rendered}, "
            f"rendered {self.jobs_rendered} of {self.jobs_rendered + self.jobs_reused} pages"
        )


@dataclass(frozen=True, slots=True)
class _Discovered:
    key: tuple[Path, Path, tuple[tuple[str, str], ...]]
    sources: tuple[SourceFile, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class _Parsed:
    signature: StatSignature
    context: bytes
    page: Page | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class _Marked:
    page: Page
    url: str
    words: CaptionWords
    """The caption words of its language it was rendered with."""
    rendered: RenderedPage
    depends: tuple[Any, ...]
    """How its link targets resolved (:func:`markdown.link_dependencies`)."""
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class _Environment:
    key: tuple[Any, ...]
    env: jinja2.Environment


@dataclass(frozen=True, slots=True)
class _Viewed:
    page: Page
    rendered: RenderedPage
    view: Any
    reads: viewreads.Reads


@dataclass(frozen=True, slots=True)
class _Output:
    env: jinja2.Environment
    view: object
    """The view it was rendered from: the same object again needs no comparing."""
    fingerprint: bytes
    output: bytes | None
    diagnostics: tuple[Diagnostic, ...]


def _recorded(report: Report, mark: int) -> tuple[Diagnostic, ...]:
    return tuple(report.items[mark:])


def site_fingerprint(site: Site) -> bytes | None:
    """Everything the site shares between pages, without the pages themselves: pages'
    views (and diagnostics' hints) read any of it."""
    return fingerprint(views.shared_data(site))


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last good build made, for :mod:`commonsgen.incremental.textedit` to change in place
    when an edit changed page bodies only."""

    site: Site
    rendered: dict[PageId, RenderedPage]
    env: jinja2.Environment
    files: dict[str, bytes]
    copies: dict[str, Path]
    items: tuple[Diagnostic, ...]
    """The build's diagnostics, as reported (the site's ``checks:`` applied)."""
    levels: dict[str, str]
    """The site's ``checks:``, for the reports of a rebuild."""
    context: PageContext
    """What pages were parsed with."""
    indexes: dict[str, search.Index]
    """Each search index by its output path, to update in place."""
    anchors_into: dict[PageId, set[PageId]]
    """Page -> the pages with a ``#fragment`` link to it, to update in place."""
    md: Engine
    """The Markdown engine the build rendered with."""


def anchors_into(rendered: dict[PageId, RenderedPage]) -> dict[PageId, set[PageId]]:
    """Page -> the pages with a ``#fragment`` link to it (itself included)."""
    found: dict[PageId, set[PageId]] = {}
    for pid, done in rendered.items():
        for link in done.anchor_links:
            found.setdefault(link.target, set()).add(pid)
    return found


@dataclass(slots=True)
class BuildCache:
    """Memos for :func:`commonsgen.build.build`; one per served site, used by one thread."""

    stats: Stats = field(default_factory=Stats)
    _tree: Tree | None = None
    _discovered: _Discovered | None = None
    _parsed: dict[SourceFile, _Parsed] = field(default_factory=dict)
    _marked: dict[str, _Marked] = field(default_factory=dict)
    _marked_site: bytes | None = None
    _marked_config: bytes | None = None
    _engine: Engine | None = None
    """The Markdown engine of the latest build (its caption words), for body edits."""
    _viewed: dict[str, _Viewed] = field(default_factory=dict)
    _viewed_rest: tuple[Any, ...] | None = None
    """What every entry of ``_viewed`` read of the site that is not a mapping."""
    _environment: _Environment | None = None
    _outputs: dict[str, _Output] = field(default_factory=dict)
    _context: PageContext | None = None
    _context_key: bytes | None = None
    _history: tuple[bytes, history.History | None, tuple[Diagnostic, ...]] | None = None
    _sources: dict[str, SourceFile] = field(default_factory=dict)
    """Absolute path -> the page file read from it, as of the last good build."""
    last: LastBuild | None = None
    """The last build, when it succeeded; None after any other."""

    def take_stats(self) -> Stats:
        """The counts of the build since the last call, and start counting afresh."""
        stats, self.stats = self.stats, Stats()
        return stats

    def forget(self, paths: Iterable[Path]) -> None:
        """Recompute these files even if their stat signature looks unchanged (the file
        system's clock is coarse: two saves within a few milliseconds may share an mtime)."""
        changed = {os.path.abspath(p) for p in paths}
        if changed:
            for source in [s for s in self._parsed if str(s.abs_path) in changed]:
                del self._parsed[source]

    def history(self, read: ReadHistory) -> ReadHistory:
        """The last history while the config, HEAD and the author-mapping files are the
        same (reading it is one ``git log`` of the whole repository, seconds on a big
        one); its uncommitted files are asked of git again each time."""

        def cached(
            config: SiteConfig,
            report: Report,
            *,
            enabled: bool | None = None,
            today: dt.date | None = None,
        ) -> history.History | None:
            if (config.git if enabled is None else enabled) is False:
                return read(config, report, enabled=enabled, today=today)
            state = history.head_state(config.content_path)
            key = fingerprint((config, enabled, today, state)) if state is not None else None
            entry = self._history
            if key is not None and entry is not None and entry[0] == key:
                found = entry[1]
                if found is not None and today is not None:
                    found = history.with_uncommitted_now(found, config.content_path)
                    if found is None:  # git cannot say now: read it all
                        return read(config, report, enabled=enabled, today=today)
                report.extend(entry[2])
                return found
            mark = len(report.items)
            found = read(config, report, enabled=enabled, today=today)
            self._history = (key, found, _recorded(report, mark)) if key is not None else None
            return found

        return cached

    def discover(self, find: Discover) -> Discover:
        def cached(content_root: Path, site_root: Path, report: Report) -> tuple[SourceFile, ...]:
            self._tree = tree = scan(content_root)
            key = (content_root, site_root, tree.shape)
            if self._discovered is not None and self._discovered.key == key:
                report.extend(self._discovered.diagnostics)
                return self._discovered.sources
            mark = len(report.items)
            sources = find(content_root, site_root, report)
            self._discovered = _Discovered(key, sources, _recorded(report, mark))
            self.stats.discovered = True
            return sources

        return cached

    def read_page(self, read: ReadPage) -> ReadPage:
        previous, self._parsed = self._parsed, {}
        contexts: dict[int, tuple[PageContext, bytes | None]] = {}
        # The walk discovery just made stats every file; use it once, never a stale one.
        tree, self._tree = self._tree, None

        def context_key(context: PageContext) -> bytes | None:
            # One context per build; keep it alive so that its id is not reused.
            if id(context) not in contexts:
                contexts[id(context)] = (context, fingerprint(context))
            return contexts[id(context)][1]

        def cached(source: SourceFile, context: PageContext, report: Report) -> Page | None:
            signature = tree.stats.get(source.rel_path) if tree else None
            signature = signature or stat_signature(source.abs_path)
            key = context_key(context)
            self._context, self._context_key = context, key
            entry = previous.get(source)
            if (
                entry is not None
                and signature is not None
                and key is not None
                and (entry.signature, entry.context) == (signature, key)
            ):
                self._parsed[source] = entry
                report.extend(entry.diagnostics)
                self.stats.pages_reused += 1
                return entry.page
            mark = len(report.items)
            page = read(source, context, report)
            self.stats.pages_parsed += 1
            if signature is not None and key is not None:
                self._parsed[source] = _Parsed(signature, key, page, _recorded(report, mark))
            return page

        return cached

    def render_pages(
        self, site: Site, md: Engine, render_fresh: RenderFresh, report: Report
    ) -> dict[PageId, RenderedPage]:
        """Every page's HTML: a page's last while the page (the same object), its URL, the
        config, the caption words of its language (``md``'s) and how its link targets
        resolve are unchanged, as the build cache between
        runs decides (so a frontmatter edit elsewhere renders no Markdown again); one that
        reported anything also needs the site's shared data unchanged, which its hints may
        name. The others are rendered together by ``render_fresh`` (in worker processes on
        a first build); diagnostics come in page order, as from a serial build."""
        shared = site_fingerprint(site)
        config = fingerprint(site.config)
        if shared is None or config is None:
            log.debug("the site cannot be pickled, so no page's Markdown is reused")
        previous = self._marked if config is not None and config == self._marked_config else {}
        same_site = shared is not None and shared == self._marked_site
        self._marked, self._marked_site, self._marked_config = {}, shared, config
        self._engine = md
        reused: dict[PageId, _Marked] = {}
        for pid, page in site.pages.items():
            entry = previous.get(pid)
            # Identity, not equality: the parse memo hands back the same immutable Page.
            if (
                entry is not None
                and entry.page is page
                and entry.url == site.page_urls[pid]
                and entry.words == md.words_for(page.lang)
                and (same_site or not entry.diagnostics)
                and entry.depends == link_dependencies(site, entry.rendered)
            ):
                reused[pid] = entry
        fresh = {
            pid: (rendered, diagnostics)
            for pid, rendered, diagnostics in render_fresh(
                [pid for pid in site.pages if pid not in reused]
            )
        }
        done: dict[PageId, RenderedPage] = {}
        for pid, page in site.pages.items():
            entry = reused.get(pid)
            if entry is None:
                rendered, diagnostics = fresh[pid]
                mark = len(report.items)
                report.extend(diagnostics)
                if shared is not None and config is not None:
                    depends = link_dependencies(site, rendered)
                    recorded = _recorded(report, mark)  # as the site's checks: leveled them
                    url = site.page_urls[pid]
                    words = md.words_for(page.lang)
                    entry = _Marked(page, url, words, rendered, depends, recorded)
                self.stats.markdown_rendered += 1
            else:
                report.extend(entry.diagnostics)
                self.stats.markdown_reused += 1
                rendered = entry.rendered
            if entry is not None:
                self._marked[pid] = entry
            done[pid] = rendered
        return done

    def page_view(
        self, site: Site, rendered: dict[PageId, RenderedPage], page_view: render.PageView
    ) -> render.PageView:
        """A page's last view while its page and rendered Markdown are the same objects
        and the site holds what the view read of it (:mod:`commonsgen.incremental.reads`): a title
        edit makes again the views that show that title (its neighbours, its translations,
        the pages adapted from it), not every view. Listings, which show summaries, are not
        pages' views and are always made again."""
        reads = viewreads.SiteReads(site, rendered)
        before, self._viewed = self._viewed, {}
        previous = before if reads.rest == self._viewed_rest else {}
        self._viewed_rest = reads.rest

        def cached(site: Site, rendered: dict[Any, RenderedPage], page: Page) -> Any:
            entry = previous.get(page.id)
            done = rendered[page.id]
            if (
                entry is not None
                and entry.page is page
                and entry.rendered is done
                and reads.holds(entry.reads)
            ):
                view, noted = entry.view, entry.reads
                self.stats.views_reused += 1
            else:
                view, noted = reads.made(
                    lambda noting, noted_rendered: page_view(noting, noted_rendered, page)  # type: ignore[arg-type]
                )
            self._viewed[page.id] = _Viewed(page, done, view, noted)
            return view

        return cached

    def environment(
        self, make: MakeEnvironment, site_root: Path, theme: render.Theme
    ) -> jinja2.Environment:
        """The last environment while no template or catalogue changed: its compiled
        templates are kept."""
        # The catalogues too: the environment's translator reads each once.
        folders = (
            site_root / "templates",
            *theme.template_dirs,
            *i18n.folders(site_root, theme.folders),
        )
        key = (site_root, theme, template_signature(folders))
        if self._environment is not None and self._environment.key == key:
            return self._environment.env
        env = make(site_root, theme)
        self._environment = _Environment(key, env)
        self._outputs = {}
        self.stats.environment_made = True
        return env

    def render_all(
        self,
        site: Site,
        env: jinja2.Environment,
        jobs: list[render.Job],
        report: Report,
        render_fresh: RenderJobs,
    ) -> list[bytes | None]:
        """Every job's bytes: the last ones while the template context is the same, the
        others rendered together by ``render_fresh`` (in worker processes on a first build);
        diagnostics in job order, as from a serial build. Jobs not given are forgotten."""
        previous, self._outputs = self._outputs, {}
        return self._render_batch(previous, site, env, jobs, report, render_fresh)

    def render_jobs(
        self, site: Site, env: jinja2.Environment, jobs: list[render.Job], report: Report
    ) -> dict[str, bytes | None]:
        """Some jobs rendered (or reused) as :meth:`render_all` renders them, in this process;
        the others stay as they are."""

        def here(todo: list[render.Job]) -> list[tuple[bytes | None, list[Diagnostic]]]:
            done = []
            site_views = render.SiteViews(site)
            for job in todo:
                own = Report()
                done.append((render.render_job(site, env, job, own, site_views), own.items))
            return done

        outputs = self._render_batch(self._outputs, site, env, jobs, report, here)
        return {job.out_path: output for job, output in zip(jobs, outputs, strict=True)}

    def _render_batch(
        self,
        previous: dict[str, _Output],
        site: Site,
        env: jinja2.Environment,
        jobs: list[render.Job],
        report: Report,
        render_fresh: RenderJobs,
    ) -> list[bytes | None]:
        keys: list[bytes | None] = []
        reused: dict[int, _Output] = {}
        for i, job in enumerate(jobs):
            entry = previous.get(job.out_path)
            key = self._reusable(entry, site, env, job)
            if key is True:
                assert entry is not None
                reused[i] = entry
            keys.append(key if isinstance(key, bytes) else None)
        todo = [i for i in range(len(jobs)) if i not in reused]
        fresh = dict(zip(todo, render_fresh([jobs[i] for i in todo]), strict=True))
        outputs: list[bytes | None] = []
        for i, job in enumerate(jobs):
            if i in reused:
                entry = reused[i]
                self._outputs[job.out_path] = entry
                report.extend(entry.diagnostics)
                self.stats.jobs_reused += 1
                outputs.append(entry.output)
                continue
            output, diagnostics = fresh[i]
            mark = len(report.items)
            report.extend(diagnostics)
            self._keep_output(env, job, keys[i], output, _recorded(report, mark))
            outputs.append(output)
        return outputs

    def _reusable(
        self, entry: _Output | None, site: Site, env: jinja2.Environment, job: render.Job
    ) -> bytes | bool | None:
        """True when ``entry`` is this job's output; else the job's key (None when its
        context cannot be pickled)."""
        assert job.view is not None, "the dev server makes every view"
        if entry is not None and entry.env is env and entry.view is job.view:
            return True
        key = fingerprint((job.template, render.template_context(site, job.view)))
        if entry is not None and key is not None and entry.env is env and entry.fingerprint == key:
            return True
        if key is None:
            log.debug("the context of %s cannot be pickled; it is always rendered", job.out_path)
        return key

    def _keep_output(
        self,
        env: jinja2.Environment,
        job: render.Job,
        key: bytes | None,
        output: bytes | None,
        diagnostics: tuple[Diagnostic, ...],
    ) -> None:
        self.stats.jobs_rendered += 1
        if key is not None:
            self._outputs[job.out_path] = _Output(env, job.view, key, output, diagnostics)
        else:
            self._outputs.pop(job.out_path, None)

    # -- what bodyedit reads and changes

    def remember(
        self,
        site: Site,
        rendered: dict[PageId, RenderedPage],
        env: jinja2.Environment,
        files: dict[str, bytes],
        copies: dict[str, Path],
        report: Report,
        indexes: dict[str, search.Index],
    ) -> None:
        """Keep a good build's result; ``forget_last`` after any other."""
        if self._context is None or self._engine is None:
            self.last = None
            return
        self.last = LastBuild(
            site,
            rendered,
            env,
            files,
            copies,
            tuple(report.items),
            report.levels,
            self._context,
            indexes,
            anchors_into(rendered),
            self._engine,
        )
        self._sources = {str(source.abs_path): source for source in self._parsed}

    def forget_last(self) -> None:
        self.last = None

    def parsed(self, path: Path) -> tuple[SourceFile, Page | None, tuple[Diagnostic, ...]] | None:
        """The page file at ``path`` as the last build read it: None for any other file."""
        source = self._sources.get(os.path.abspath(path))
        entry = self._parsed.get(source) if source is not None else None
        if source is None or entry is None:
            return None
        return source, entry.page, entry.diagnostics

    def markdown_diagnostics(self, page_id: PageId) -> tuple[Diagnostic, ...] | None:
        """What rendering the page's Markdown reported; None when it was not memoised."""
        entry = self._marked.get(page_id)
        return entry.diagnostics if entry is not None else None

    def job_diagnostics(self, out_path: str) -> tuple[Diagnostic, ...] | None:
        """What rendering one output page reported; None when it was not memoised."""
        entry = self._outputs.get(out_path)
        return entry.diagnostics if entry is not None else None

    def update_page(
        self,
        site: Site,
        source: SourceFile,
        parsed: Page,
        parse_diagnostics: tuple[Diagnostic, ...],
        published: Page,
        rendered: RenderedPage,
        words: CaptionWords,
        markdown_diagnostics: tuple[Diagnostic, ...],
        view: Any,
    ) -> None:
        """An edited page, read, rendered and viewed afresh: what the next build reuses."""
        signature = stat_signature(source.abs_path)
        key = self._context_key
        if signature is None or key is None:
            self._parsed.pop(source, None)
        else:
            self._parsed[source] = _Parsed(signature, key, parsed, parse_diagnostics)
        url = site.page_urls[published.id]
        depends = link_dependencies(site, rendered)
        self._marked[published.id] = _Marked(
            published, url, words, rendered, depends, markdown_diagnostics
        )
        old = self._viewed.get(published.id)
        if old is not None:
            # The view bodyedit made read what the old one did, but the page and its HTML.
            own = {("pages", published.id): published, ("rendered", published.id): rendered}
            reads = tuple((n, k, own.get((n, k), v)) for n, k, v in old.reads)
            self._viewed[published.id] = _Viewed(published, rendered, view, reads)
