"""Rebuild after edits that changed page bodies only, in time that grows with the edit.

Most saves in an editor change one page's text and not its frontmatter. Then nothing the
site shares between pages changes (URLs, sections, credits, licences, tags, dates), and
the outputs that read a page's text are few and known:

- the page itself (its section's listing, when it is the section's index page);
- when its summary changed: the listings that show it (its section's, its tags', its
  language's home with the recent pages) and the feeds that list it;
- its language's search index: the page's own file (summary and text) and the shards of
  the words it gained or lost;
- the ``#anchor`` links of every page to it (diagnostics only).

:func:`rebuild` redoes those from the last good build (:class:`buildstate.LastBuild`) and
says None whenever anything else may have changed (a file that is no known page, a
frontmatter edit, a changed parse diagnostic, a page that becomes uncommitted in git, a
failing build): the caller then builds as usual, through the memos. Its output and
diagnostics are a full build's, which the tests check edit by edit.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commonsgen import history, render, urls
from commonsgen.build import BuildResult, read_page, translation_status
from commonsgen.diagnostics import Diagnostic, Report
from commonsgen.incremental.memo import BuildCache, LastBuild
from commonsgen.markdown.html import RenderedPage, check_anchors, render_page
from commonsgen.model import Page, PageId, SourceFile
from commonsgen.outputs import feeds, search, views
from commonsgen.outputs.credits import Words
from commonsgen.site import Site

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Edit:
    source: SourceFile
    parsed: Page
    """As read now; it differs from the last read in its body alone."""
    parse_diagnostics: tuple[Diagnostic, ...]
    published: Page
    """The site's page with the new body."""


def rebuild(cache: BuildCache, changed: Iterable[Path]) -> BuildResult | None:
    """The build after these files changed, when they are pages whose bodies alone changed;
    None when a full build is needed."""
    last = cache.last
    paths = sorted(set(changed))
    if last is None or not paths:
        return _refuse("the last build failed" if paths else "nothing changed")
    edits = [_reread(cache, last, path) for path in paths]
    if any(edit is None for edit in edits):
        return None
    if not _same_git_state(last.site, edits):
        return _refuse("a page became or stopped being uncommitted in git")
    done = [edit for edit in edits if edit is not None]
    pages = dict(last.site.pages)
    for edit in done:
        pages[edit.published.id] = edit.published
    site = dataclasses.replace(last.site, pages=pages)
    if not _same_translation_status(site, {edit.published.id for edit in done}):
        return _refuse("a translation's status changed")

    gone: list[Diagnostic] = []
    added: list[Diagnostic] = []
    md = last.md  # a body edit changes no language and no catalogue
    rendered = dict(last.rendered)
    marked: dict[PageId, tuple[Diagnostic, ...]] = {}
    for edit in done:
        pid = edit.published.id
        before = cache.markdown_diagnostics(pid)
        if before is None:
            return _refuse(f"{pid}'s Markdown was not memoised")
        own = Report(levels=last.levels)
        rendered[pid] = render_page(md, site, edit.published, own)
        marked[pid] = tuple(own.items)
        gone += before
        added += own.items
    changed_ids = [edit.published.id for edit in done]
    before, now = _anchor_checks(site, rendered, last, changed_ids)
    gone += before
    added += now

    jobs = _jobs(site, rendered, last.rendered, changed_ids, render.feed_words(last.env))
    for job in jobs:
        before = cache.job_diagnostics(job.out_path)
        if before is None:
            return _refuse(f"{job.out_path} was not memoised")
        gone += before
    own = Report(levels=last.levels)
    outputs = cache.render_jobs(site, last.env, jobs, own)
    added += own.items
    if any(output is None for output in outputs.values()):
        return _refuse("a template failed")

    files = dict(last.files)
    files.update(outputs)  # type: ignore[arg-type]  # no None, just checked
    written, gone_files = _indexes(site, rendered, last, changed_ids)
    files.update(written)
    for out_path in gone_files:
        files.pop(out_path, None)
    files.update(_feeds(site, rendered, last, changed_ids))

    items = _without(last.items, gone) + added
    report = Report(items=items, levels=last.levels)
    result = BuildResult(report, site.config, site, files, dict(last.copies))
    if result.failed:  # a full build reports it exactly (it stops where it failed)
        return _refuse("the edit makes the build fail")

    views_by_id = {job.page: job.view for job in jobs if job.page is not None}
    for edit in done:
        pid = edit.published.id
        cache.update_page(
            site,
            edit.source,
            edit.parsed,
            edit.parse_diagnostics,
            edit.published,
            rendered[pid],
            md.words_for(edit.published.lang),
            marked[pid],
            views_by_id.get(pid),
        )
        cache.stats.pages_parsed += 1
        cache.stats.markdown_rendered += 1
    cache.stats.bodies_only = True
    cache.last = dataclasses.replace(
        last, site=site, rendered=rendered, files=files, items=tuple(items)
    )
    return result


def _anchor_checks(
    site: Site, rendered: dict[PageId, RenderedPage], last: LastBuild, changed: list[PageId]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """What checking ``#fragment`` links reported before and reports now, for the links
    that can have changed: the changed pages' own and those of the pages linking to them.
    The reverse index of such links is brought up to date."""
    sources = set(changed)
    for pid in changed:
        sources |= last.anchors_into.get(pid, set())
    paths = {site.pages[pid].source.site_path for pid in sources}
    before = [d for d in last.items if d.code == "broken-anchor" and d.path in paths]
    for pid in changed:
        for link in last.rendered[pid].anchor_links:
            last.anchors_into.get(link.target, set()).discard(pid)
        for link in rendered[pid].anchor_links:
            last.anchors_into.setdefault(link.target, set()).add(pid)
    report = Report(levels=last.levels)
    check_anchors(rendered, site, report, sources=sorted(sources))
    return before, report.items


def _reread(cache: BuildCache, last: LastBuild, path: Path) -> _Edit | None:
    """The page at ``path`` read again, when only its body changed."""
    found = cache.parsed(path)
    if found is None:
        return _refuse(f"{path} is no page the last build read")
    source, before, before_diagnostics = found
    if before is None or not source.is_page:
        return _refuse(f"{path} gave no page")
    published = last.site.pages.get(before.id)
    if published is None or published.body != before.body:
        return _refuse(f"{path} is not published as read")  # a draft, say
    own = Report(levels=last.levels)
    try:
        parsed = read_page(source, last.context, own)
    except OSError:  # deleted or unreadable since: the full build says so
        return _refuse(f"{path} cannot be read")
    diagnostics = tuple(own.items)
    if parsed is None or diagnostics != before_diagnostics:
        return _refuse(f"{path}: what reading it reports changed")
    if dataclasses.replace(before, body=parsed.body) != parsed:
        return _refuse(f"{path}: its frontmatter changed")
    # The site's page is the parsed one unless a later stage changed it (a profile's
    # translation key): keep the identity the memos compare by.
    now = parsed if published is before else dataclasses.replace(published, body=parsed.body)
    return _Edit(source, parsed, diagnostics, now)


def _same_translation_status(site: Site, edited: set[PageId]) -> bool:
    """An original's text decides its translations' status (their notices, the status
    pages, ``credits.json``): asked again for the translations of the pages edited."""
    mine = {
        pid: status for pid, status in site.translation_status.items() if status.original in edited
    }
    if not mine:
        return True
    wanted = {pid for pid in mine} | {status.original for status in mine.values()}
    pages = {pid: site.pages[pid] for pid in sorted(wanted) if pid in site.pages}
    now = translation_status(pages, site.history, site.config, Report())
    return now == mine


def _same_git_state(site: Site, edits: list[_Edit | None]) -> bool:
    """In ``serve``, an uncommitted page is dated today: a page that became (or stopped
    being) uncommitted with this edit changes dates beyond its own page."""
    known = site.history
    if known is None or known.today is None:
        return True
    ids = [edit.published.id for edit in edits if edit is not None]
    now = history.uncommitted(known, ids)
    if now is None:
        return False
    return all((pid in now) == (pid in known.uncommitted) for pid in ids)


def _jobs(
    site: Site,
    rendered: dict[PageId, RenderedPage],
    before: dict[PageId, RenderedPage],
    changed: list[PageId],
    words: Callable[[str], Words],
) -> list[render.Job]:
    """The output pages that show the changed pages' text: each page, and the listings
    that show its summary when that changed. As :func:`render.plan` makes them."""
    found: dict[str, dict[str, Any]] = {}
    index_pages = {s.index_page: s for s in site.sections.values() if s.index_page}
    listings: dict[str, None] = {}
    for pid in changed:
        page = site.pages[pid]
        if pid in index_pages:
            listings[index_pages[pid].id] = None
        else:
            found[urls.out_path(site.page_urls[pid])] = views.page_view(site, rendered, page)
        if rendered[pid].summary != before[pid].summary:
            listings[site.section_of(pid).id] = None
            listings[site.home_for(page.lang).id] = None
            for key, tag in site.tags.items():
                if pid in tag.pages:
                    view = views.tag_view(site, rendered, key, words(site.config.language))
                    found[urls.out_path(tag.url)] = view
    for section_id in listings:
        found.update(render.listing(site, rendered, site.sections[section_id]))
    return render.jobs_of(site, found.items())


def _indexes(
    site: Site, rendered: dict[PageId, RenderedPage], last: LastBuild, changed: list[PageId]
) -> tuple[dict[str, bytes], list[str]]:
    """The search index files that the changed pages' new words, summaries and texts
    change, and those that are gone (a shard merged into its neighbour)."""
    written: dict[str, bytes] = {}
    gone: set[str] = set()
    for pid in changed:
        index_path = search.search_url(site, site.pages[pid].lang) + search.INDEX_NAME
        index = last.indexes.get(index_path)
        if index is None:
            continue  # the language has no search page (a page of the site is there)
        entry = search.entry(site, rendered, pid)
        if index.holds(entry):
            continue  # nothing the index shows of the page changed
        done = index.update(entry)
        if done is None:  # not expected for a body edit; the index made afresh is right
            old = index.files()
            index = search.Index.make(site, rendered, index.lang)
            last.indexes[index_path] = index
            new = index.files()
            done = new, sorted(old.keys() - new.keys())
        files, removed = done
        written.update(files)
        gone.update(removed)
        gone.difference_update(files)
    for out_path in gone:
        written.pop(out_path, None)
    return written, sorted(gone)


def _feeds(
    site: Site, rendered: dict[PageId, RenderedPage], last: LastBuild, changed: list[PageId]
) -> dict[str, bytes]:
    """The feeds that list a changed page whose summary changed."""
    if not site.config.has_absolute_base:
        return {}
    words = render.feed_words(last.env)
    out: dict[str, bytes] = {}
    for section_id in site.feeds:
        prefix = f"{section_id}/" if section_id else ""
        candidates = [
            pid
            for pid in changed
            if pid.startswith(prefix) and rendered[pid].summary != last.rendered[pid].summary
        ]
        if not candidates:
            continue
        listed = site.feed_pages(section_id)[: feeds.FEED_LIMIT]
        if any(pid in listed for pid in candidates):
            feed_url = site.feed_url(section_id)
            assert feed_url is not None
            out[urls.out_path(feed_url)] = feeds.atom_feed(site, rendered, section_id, words)
    return out


def _refuse(reason: str) -> None:
    log.debug("a full rebuild: %s", reason)


def _without(items: tuple[Diagnostic, ...], gone: list[Diagnostic]) -> list[Diagnostic]:
    """``items`` less one occurrence of each of ``gone``."""
    left = Counter(gone)
    kept = []
    for item in items:
        if left[item] > 0:
            left[item] -= 1
        else:
            kept.append(item)
    return kept
