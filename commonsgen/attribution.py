"""The derivation graph: who made what from what, and whether the licences allow it.

``derived_from`` and ``translation_of`` make a directed graph over the pages of the site and
the outside works they name. This stage resolves every licence (pages, outside works,
media), every page edge, finds cycles (reporting the whole cycle), checks each edge against
the adaptation rules in :mod:`commonsgen.licenses`, and computes for every page the chain of
works it is built on, in the order its credit block lists them (CC's TASL practice: title,
author, source, licence, and what was changed, for the page and every work up its chain).

A local check per edge is enough for whole chains: the rules are transitive (share-alike
never goes back to an older or weaker licence, NC is never dropped, ND is never adapted).
"""

from __future__ import annotations

import graphlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from commonsgen import licenses, urls
from commonsgen.config import SiteConfig
from commonsgen.diagnostics import Pos, Report, did_you_mean
from commonsgen.licenses import License, Verdict
from commonsgen.model import Edge, EdgeKind, Media, Page, PageId, WorkRef

MAX_CYCLES_REPORTED = 20


def edges_of(page: Page) -> tuple[Edge, ...]:
    return (*((page.translation_of,) if page.translation_of else ()), *page.derived_from)


@dataclass(frozen=True, slots=True)
class Upstream:
    """One work up a page's chain, as its credit block lists it."""

    depth: int
    """1 for a direct source of the page, 2 for a source of that source ..."""
    kind: EdgeKind
    """How the work below used this one: adapted (derived_from) or translated."""
    page: PageId | None
    work: WorkRef | None
    license: License | None
    changes: str | None
    used_by: PageId


@dataclass(frozen=True, slots=True)
class Attribution:
    licenses: dict[PageId, License]
    """The resolved licence of every page whose licence is known."""
    default_license: License | None
    work_licenses: dict[WorkRef, License]
    media_licenses: dict[Media, License]
    upstream: dict[PageId, tuple[Upstream, ...]]
    downstream: dict[PageId, tuple[PageId, ...]]
    """Pages built directly on each page (their credit blocks quote it)."""

    def license_of(self, page_id: PageId) -> License | None:
        return self.licenses.get(page_id)


class _Resolver:
    """Turns licence names as written into registry entries, reporting each problem once."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def resolve(self, written: str, path: str, pos: Pos | None) -> License | None:
        found = licenses.lookup(written)
        line, column = (pos.line, pos.column) if pos else (None, None)
        if found.license is None:
            self.report.error(
                path, line, column, "unknown-license", f"unknown licence '{written}'", found.hint
            )
            return None
        if not found.exact:
            self.report.warning(
                path,
                line,
                column,
                "license-spelling",
                f"'{written}' is read as {found.license.id}",
                f"write the SPDX id: {found.license.id}",
            )
        return found.license


def resolve(pages: Iterable[Page], config: SiteConfig, report: Report) -> Attribution:
    """Resolve licences and edges of every page (drafts included: they are checked too)."""
    by_id: dict[PageId, Page] = {page.id: page for page in pages}
    resolver = _Resolver(report)

    default: License | None = None
    if config.default_license:
        pos = config.positions.get("default_license")
        default = resolver.resolve(config.default_license, "commonsgen.yml", pos)

    page_licenses: dict[PageId, License] = {}
    for page in by_id.values():
        if "license" in page.positions and page.license:
            found = resolver.resolve(page.license, page.source.site_path, page.pos("license"))
        else:
            found = default
            if page.license is None:
                pos = page.pos("title")
                report.warning(
                    page.source.site_path,
                    pos.line,
                    pos.column,
                    "missing-license",
                    "the page has no licence, so nobody may reuse it",
                    "add 'license: CC-BY-SA-4.0' (or another SPDX id) to the page, "
                    "or set default_license in commonsgen.yml",
                )
        if found is not None:
            page_licenses[page.id] = found

    work_licenses: dict[WorkRef, License] = {}
    media_licenses: dict[Media, License] = {}
    for page in by_id.values():
        path = page.source.site_path
        for edge in edges_of(page):
            if edge.work is None:
                continue
            if edge.work.license is None:
                report.error(
                    path,
                    edge.pos.line,
                    edge.pos.column,
                    "unlicensed-source",
                    f"the outside work '{edge.work.title}' has no licence",
                    "say which licence the source is under (license: CC-BY-4.0 ...); "
                    "an unlicensed work cannot be adapted",
                )
            elif edge.work not in work_licenses:
                found = resolver.resolve(edge.work.license, path, edge.pos)
                if found is not None:
                    work_licenses[edge.work] = found
        for item in page.media:
            if item.license is not None:
                found = resolver.resolve(item.license, path, item.pos)
                if found is not None:
                    media_licenses[item] = found

    _check_targets(by_id, report)
    _check_cycles(by_id, report)
    _check_licences(by_id, page_licenses, work_licenses, report)

    downstream: dict[PageId, list[PageId]] = defaultdict(list)
    for page in by_id.values():
        for edge in edges_of(page):
            if edge.page is not None and edge.page in by_id:
                downstream[edge.page].append(page.id)
    return Attribution(
        licenses=page_licenses,
        default_license=default,
        work_licenses=work_licenses,
        media_licenses=media_licenses,
        upstream={pid: _chain(pid, by_id, page_licenses, work_licenses) for pid in by_id},
        downstream={pid: tuple(sorted(set(ids))) for pid, ids in sorted(downstream.items())},
    )


def _check_targets(by_id: dict[PageId, Page], report: Report) -> None:
    """Every page an edge names must exist; a published page may not build on a draft."""
    for page in by_id.values():
        for edge in edges_of(page):
            if edge.page is None:
                continue
            target = by_id.get(edge.page)
            where = (page.source.site_path, edge.pos.line, edge.pos.column)
            if target is None:
                close = did_you_mean(edge.page, by_id)
                report.error(
                    *where,
                    "missing-source",
                    f"{edge.kind} names '{edge.written}', but there is no page {edge.page}",
                    "did you mean "
                    + " or ".join(f"'{urls.relative_path(page.id, c)}'" for c in close)
                    + "?"
                    if close
                    else "check the path; it is relative to this page's folder",
                )
            elif target.draft and not page.draft:
                report.error(
                    *where,
                    "source-is-draft",
                    f"{edge.kind} names '{edge.written}', which is a draft",
                    "publish the source page first (remove 'draft: true') "
                    "or make this page a draft too",
                )


def _check_cycles(by_id: dict[PageId, Page], report: Report) -> None:
    """Report every cycle once, with each of its steps at its file and line."""
    graph: dict[PageId, dict[PageId, Edge]] = {
        pid: {e.page: e for e in edges_of(page) if e.page is not None and e.page in by_id}
        for pid, page in by_id.items()
    }
    for _ in range(MAX_CYCLES_REPORTED):
        sorter = graphlib.TopologicalSorter({pid: set(targets) for pid, targets in graph.items()})
        try:
            sorter.prepare()
            return
        except graphlib.CycleError as exc:
            cycle: list[PageId] = list(exc.args[1])
        # graphlib lists the cycle against the edge direction; start at the smallest id.
        cycle = cycle[:-1]
        cycle.reverse()
        start = cycle.index(min(cycle))
        cycle = cycle[start:] + cycle[:start]
        steps = []
        for here, there in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            edge = graph[here][there]
            steps.append(f"{by_id[here].source.site_path}:{edge.pos.line} {edge.kind} {there}")
        first = graph[cycle[0]][cycle[1] if len(cycle) > 1 else cycle[0]]
        report.error(
            by_id[cycle[0]].source.site_path,
            first.pos.line,
            first.pos.column,
            "derivation-cycle",
            "these pages are each other's sources: " + " -> ".join([*cycle, cycle[0]]),
            "a work cannot be built on itself; remove one of these entries:\n" + "\n".join(steps),
        )
        del graph[cycle[0]][cycle[1] if len(cycle) > 1 else cycle[0]]


def _source_license(
    edge: Edge,
    by_id: dict[PageId, Page],
    page_licenses: dict[PageId, License],
    work_licenses: dict[WorkRef, License],
) -> License | None:
    if edge.page is not None:
        return page_licenses.get(edge.page) if edge.page in by_id else None
    assert edge.work is not None
    return work_licenses.get(edge.work)


def _describe_source(edge: Edge, by_id: dict[PageId, Page]) -> str:
    if edge.page is not None:
        return by_id[edge.page].source.site_path
    assert edge.work is not None
    return f"the outside work '{edge.work.title}'"


def _check_licences(
    by_id: dict[PageId, Page],
    page_licenses: dict[PageId, License],
    work_licenses: dict[WorkRef, License],
    report: Report,
) -> None:
    for page in by_id.values():
        adapted = page_licenses.get(page.id)
        if adapted is None:
            continue
        sources: list[tuple[Edge, License]] = []
        for edge in edges_of(page):
            source = _source_license(edge, by_id, page_licenses, work_licenses)
            if source is not None:
                sources.append((edge, source))
        if not sources:
            continue
        # What fits all sources: wanted for a page of several, or to suggest a fix; most
        # pages adapt one source under a licence it allows, and need no search.
        fitting = (
            licenses.licenses_satisfying(lic for _, lic in sources) if len(sources) > 1 else None
        )
        path = page.source.site_path
        for edge, source in sources:
            ruling = licenses.adaptation_ruling(source, adapted)
            if ruling.verdict is Verdict.ALLOWED:
                continue
            what = "translation" if edge.kind == "translation_of" else "adaptation"
            message = (
                f"{_describe_source(edge, by_id)} is under {source.short_name}; "
                f"this {what} of it is under {adapted.short_name}: {ruling.rule}"
            )
            if ruling.verdict is Verdict.DISCOURAGED:
                report.warning(
                    path, edge.pos.line, edge.pos.column, ruling.code, message, f"see {ruling.url}"
                )
                continue
            if fitting is None:
                fitting = licenses.licenses_satisfying(lic for _, lic in sources)
            if fitting:
                clean = [
                    lic
                    for lic in fitting
                    if all(
                        licenses.adaptation_ruling(src, lic).verdict is Verdict.ALLOWED
                        for _, src in sources
                    )
                ]
                names = ", ".join(lic.id for lic in (clean or fitting)[:4])
                fix = f"release this page under a licence its sources allow ({names})"
            elif source.terms.no_derivatives:
                fix = "remove this source: its licence does not allow adaptations"
            else:
                fix = "no single licence satisfies all sources of this page; drop one of them"
            report.error(
                path,
                edge.pos.line,
                edge.pos.column,
                ruling.code,
                message,
                f"{fix}; see {ruling.url}",
            )
        if len(sources) > 1 and not fitting:
            pos = page.pos("license") if "license" in page.positions else page.pos("title")
            listed = "; ".join(
                f"{_describe_source(edge, by_id)} ({lic.short_name})" for edge, lic in sources
            )
            report.error(
                path,
                pos.line,
                pos.column,
                "no-license-fits",
                f"no licence satisfies all sources of this page: {listed}",
                "adapt these sources in separate pages, or drop one of them",
            )


def _chain(
    start: PageId,
    by_id: dict[PageId, Page],
    page_licenses: dict[PageId, License],
    work_licenses: dict[WorkRef, License],
) -> tuple[Upstream, ...]:
    """Depth-first, in the order the sources are written; each work listed once."""
    chain: list[Upstream] = []
    seen: set[PageId | WorkRef] = {start}

    def visit(page_id: PageId, depth: int) -> None:
        for edge in edges_of(by_id[page_id]):
            key: PageId | WorkRef | None = edge.page if edge.page is not None else edge.work
            if key is None or key in seen:
                continue
            if edge.page is not None and edge.page not in by_id:
                continue
            seen.add(key)
            chain.append(
                Upstream(
                    depth=depth,
                    kind=edge.kind,
                    page=edge.page,
                    work=edge.work,
                    license=_source_license(edge, by_id, page_licenses, work_licenses),
                    changes=edge.changes,
                    used_by=page_id,
                )
            )
            if edge.page is not None:
                visit(edge.page, depth + 1)

    visit(start, 1)
    return tuple(chain)
