"""Render pages in worker processes (``build -j N``): their Markdown, then their templates.

Markdown is most of a build's cost and templates most of the rest, and each page renders on
its own once the site is assembled (a page's template needs only the site and its own view),
so pages are split into chunks and rendered by a pool of processes. The pool starts when it
is first needed (a build that finds everything in its cache never starts it) and serves both
stages, so the Site is sent once per worker, through the pool's initializer, not with each
chunk; each worker makes its own Markdown engine and Jinja environment (STYLE.md habit 2).
Workers return their diagnostics as values, per page; the caller adds them to its Report in
page order, so the Report ends up exactly as a single-process render leaves it.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import multiprocessing.process
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from commonsgen import output, render
from commonsgen.diagnostics import Diagnostic, Report
from commonsgen.markdown.html import Engine, RenderedPage, render_page

if TYPE_CHECKING:
    import jinja2

    from commonsgen.model import PageId
    from commonsgen.site import Site

MIN_PAGES = 200
"""Below this, starting the pool costs more than it saves: render in this process."""
CHUNKS_PER_WORKER = 4
"""Several chunks a worker, so one slow chunk does not leave the other workers idle."""

Rendered = tuple["PageId", RenderedPage, list[Diagnostic]]
Output = tuple["bytes | render.WrittenFile | None", list[Diagnostic]]
_T = TypeVar("_T")

# One worker process's state, set by the pool's initializer: module globals are the only
# place a process pool's initializer can leave them.
_site: Site | None = None
_md: Engine | None = None
_env: tuple[tuple[Path, render.Theme], jinja2.Environment] | None = None
_site_views: render.SiteViews | None = None


MAX_JOBS = 64
"""No more processes than this, however many cores: each holds a copy of the site."""


def default_jobs() -> int:
    return os.cpu_count() or 1


def max_jobs() -> int:
    """The most processes a build starts: four a core (past that they only wait for one
    another and use memory), and never more than :data:`MAX_JOBS`."""
    return min(MAX_JOBS, 4 * default_jobs())


def use_workers(jobs: int, pages: int) -> bool:
    return jobs > 1 and pages >= MIN_PAGES


PARENT_CHECK_SECONDS = 0.5
"""How often a worker looks whether the build that started it is still there."""


def _exit_with(parent: int) -> None:
    """End this worker once its parent is gone. A build killed by SIGKILL (or SIGTERM,
    which runs no clean-up) cannot shut its pool down, and the workers, waiting for work
    that never comes, would stay forever; orphaned, a process gets another parent."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _init_worker(site: Site, md: Engine, parent: int) -> None:
    global _site, _md, _env, _site_views
    # The build stops its workers itself (terminate, on Ctrl-C or SIGTERM): a forked
    # worker must neither keep the build's own SIGTERM handler nor take Ctrl-C, meant for
    # the build, as its own (each would print a traceback).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    _site, _md, _env = site, md, None
    _site_views = render.SiteViews(site)


def _render_chunk(page_ids: tuple[PageId, ...]) -> list[Rendered]:
    assert _site is not None and _md is not None, "the pool's initializer did not run"
    done = []
    for pid in page_ids:
        # A Report without levels: the caller's Report applies the site's ``checks:``
        # levels when it receives the diagnostics, as for a render in its own process.
        report = Report()
        page = _interned(render_page(_md, _site, _site.pages[pid], report))
        done.append((pid, page, report.items))
    return done


def _interned(page: RenderedPage) -> RenderedPage:
    """``page`` with its search words interned: pages share most of their words, and each
    page's own copies are most of what a rendered site holds (at 10,000 pages, 205 of its
    323 MB). Interned in the worker, a word is pickled once a chunk; interned again where
    the chunks arrive, it is held once for the whole site."""
    return dataclasses.replace(page, words=tuple(map(sys.intern, page.words)))


JobTask = tuple[Path, render.Theme, tuple[render.Job, ...], "Path | None", bool]
"""The site's root and theme, the jobs, where to write their files (None: send the bytes
back) and whether to send the bytes back as well."""


def _render_job_chunk(task: JobTask) -> list[Output]:
    global _env
    assert _site is not None, "the pool's initializer did not run"
    root, theme, jobs, folder, keep_bytes = task
    if _env is None or _env[0] != (root, theme):
        _env = ((root, theme), render.make_environment(root, theme))
    env = _env[1]
    done: list[Output] = []
    for job in jobs:
        report = Report()
        html = render.render_job(_site, env, job, report, _site_views)
        if folder is not None and html is not None:
            # Written here, by the process that rendered it: the bytes do not travel
            # back to be written by one process for all.
            output.write_new(output.safe_join(folder, job.out_path), html)
            done.append((render.WrittenFile(len(html), html if keep_bytes else None), report.items))
        else:
            done.append((html, report.items))
    return done


def _chunks(items: Sequence[_T], jobs: int) -> list[tuple[_T, ...]]:
    size = max(1, -(-len(items) // (jobs * CHUNKS_PER_WORKER)))
    return [tuple(items[i : i + size]) for i in range(0, len(items), size)]


class Workers:
    """A pool of ``jobs`` processes for one build's site, started on first use."""

    def __init__(self, site: Site, jobs: int, md: Engine | None = None) -> None:
        self.site = site
        self.md = md if md is not None else render.markdown_engine(site)
        """The Markdown engine every worker renders with: the build's own."""
        self.jobs = max(1, min(jobs, max_jobs()))
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(stopping=kind is not None)

    def close(self, *, stopping: bool = False) -> None:
        """Stop the workers: once the chunks they are rendering are done, or, when the
        build is ``stopping`` (Ctrl-C, SIGTERM, an error), at once. Either way they are
        gone when this returns, so none still writes into a folder being removed."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not stopping:
            pool.shutdown(cancel_futures=True)
            return
        # concurrent.futures has no way to stop running work before Python 3.14
        # (terminate_workers), and replaces a worker that dies; so: no more work, then
        # every worker process of this build killed and waited for (the interpreter's
        # exit would wait for any left, for ever).
        # The pool's own table of its processes (where every version keeps them), which
        # a replacement joins too; shutdown forgets it, so it is taken first.
        processes: dict[int, multiprocessing.process.BaseProcess] = (
            getattr(pool, "_processes", None) or {}
        )
        pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            left = [p for p in list(processes.values()) if p.is_alive()]
            if not left:
                break
            for process in left:
                process.kill()
                process.join(0.5)

    def worth_it(self, count: int) -> bool:
        return use_workers(self.jobs, count)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                initializer=_init_worker,
                initargs=(self.site, self.md, os.getpid()),
            )
        return self._pool

    def render_pages(self, page_ids: Sequence[PageId]) -> list[Rendered]:
        """These pages' rendered Markdown and diagnostics, in the order given."""
        done: list[Rendered] = []
        # map() yields in submission order, so pages and diagnostics keep the serial order.
        for chunk in self._started().map(_render_chunk, _chunks(page_ids, self.jobs)):
            done.extend((pid, _interned(page), items) for pid, page, items in chunk)
        return done

    def render_jobs(
        self,
        root: Path,
        theme: render.Theme,
        jobs: Sequence[render.Job],
        progress: Callable[[int, int], None] | None = None,
        *,
        folder: Path | None = None,
        keep_bytes: bool = False,
    ) -> list[Output]:
        """These output pages' bytes (None where a template failed) and diagnostics;
        ``progress(done, total)`` is told as chunks come back. With a ``folder``, each
        worker writes the files it renders there and sends back a
        :class:`~commonsgen.render.WrittenFile` (with the bytes only if ``keep_bytes``)."""
        tasks: list[JobTask] = [
            (root, theme, chunk, folder, keep_bytes) for chunk in _chunks(jobs, self.jobs)
        ]
        done: list[Output] = []
        for chunk in self._started().map(_render_job_chunk, tasks):
            done.extend(chunk)
            if progress is not None:
                progress(len(done), len(jobs))
        return done
