"""Render the Markdown of many pages in worker processes (``build -j N``).

Markdown is most of a build's cost (about 1.6 ms a page), and each page renders on its own
once the site's URL map is known, so pages are split into chunks and rendered by a pool of
processes. The Site is sent once per worker through the pool's initializer, not with each
chunk; each worker builds its own mistune instance (STYLE.md habit 2). Workers return their
diagnostics as values; the caller adds them to its Report in page order, so the Report ends
up exactly as a single-process render leaves it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from commonsgen.diagnostics import Diagnostic, Report
from commonsgen.markdown import RenderedPage, create_markdown, render_page

if TYPE_CHECKING:
    import mistune

    from commonsgen.model import PageId
    from commonsgen.site import Site

MIN_PAGES = 200
"""Below this, starting the pool costs more than it saves: render in this process."""
CHUNKS_PER_WORKER = 4
"""Several chunks a worker, so one slow chunk does not leave the other workers idle."""

_site: Site | None = None
_md: mistune.Markdown | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def use_workers(jobs: int, pages: int) -> bool:
    return jobs > 1 and pages >= MIN_PAGES


def _init_worker(site: Site) -> None:
    # The worker's copy of the site and its own renderer, kept for every chunk it renders.
    global _site, _md
    _site, _md = site, create_markdown(site.config.markdown)


def _render_chunk(
    page_ids: tuple[PageId, ...],
) -> list[tuple[PageId, RenderedPage, list[Diagnostic]]]:
    assert _site is not None and _md is not None, "the pool's initializer did not run"
    done = []
    for pid in page_ids:
        # A Report without levels: the caller's Report applies the site's ``checks:``
        # levels when it receives the diagnostics, as for a render in its own process.
        report = Report()
        done.append((pid, render_page(_md, _site, _site.pages[pid], report), report.items))
    return done


def render_pages(
    site: Site, page_ids: Sequence[PageId], *, jobs: int
) -> list[tuple[PageId, RenderedPage, list[Diagnostic]]]:
    """These pages' rendered Markdown and diagnostics, in the order given, rendered by
    ``jobs`` workers."""
    size = max(1, -(-len(page_ids) // (jobs * CHUNKS_PER_WORKER)))
    chunks = [tuple(page_ids[i : i + size]) for i in range(0, len(page_ids), size)]
    done: list[tuple[PageId, RenderedPage, list[Diagnostic]]] = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(site,)) as pool:
        # map() yields in submission order, so pages and diagnostics keep the serial order.
        for chunk in pool.map(_render_chunk, chunks):
            done.extend(chunk)
    return done
