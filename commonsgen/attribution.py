"""The derivation graph: who made what from what, and whether the licences allow it.

``derived_from`` and ``translation_of`` make a directed graph over the pages of the site and
the outside works they name. This stage resolves every licence (pages, outside works,
media), every page edge, finds cycles (reporting the whole cycle), checks each edge against
the adaptation rules in :mod:`commonsgen.licenses`, and computes for every page the chain of
works it is built on, in the order its credit block lists them (CC's TASL practice: title,
author, source, licence, and what was changed, for the page and every work up its chain).

Each page is checked against every work up its chain, not only its direct sources: the
rules are not transitive (BY-SA 3.0 -> BY-SA 4.0 is allowed, and BY-SA 4.0 -> GPLv3, but
BY-SA 3.0 material may not end up under GPLv3).
"""

from __future__ import annotations

import graphlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from commonsgen import licenses, shown, urls
from commonsgen.config import SiteConfig
from commonsgen.diagnostics import Pos, Report, did_you_mean
from commonsgen.licenses import License, Verdict, expression
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

    code_licenses: dict[PageId, License] = field(default_factory=dict)
    """Pages whose code blocks are under another licence than their prose."""

    def license_of(self, page_id: PageId) -> License | None:
        return self.licenses.get(page_id)

    def code_license_of(self, page_id: PageId) -> License | None:
        """The code's own licence, or None when the code is under the page's licence."""
        return self.code_licenses.get(page_id)


class _Resolver:
    """Turns licence names as written into registry entries, reporting each problem once."""

    def __init__(self, report: Report, refs: dict[str, License]) -> None:
        self.report = report
        self.refs = refs

    def resolve(self, written: str, path: str, pos: Pos | None) -> License | None:
        line, column = (pos.line, pos.column) if pos else (None, None)
        if expression.is_expression(written):
            parsed = expression.parse(written, self.refs)
            if parsed.license is None:
                self.report.error(
                    path, line, column, "unknown-license", parsed.problem or "", parsed.hint
                )
                return None
            for as_written, understood in parsed.inexact:
                self.report.warning(
                    path,
                    line,
                    column,
                    "license-spelling",
                    f"'{as_written}' in '{written}' is read as {understood}",
                    f"write the SPDX form: {understood}",
                )
            return parsed.license
        found = licenses.lookup(written)
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


def _references(config: SiteConfig) -> dict[str, License]:
    """The site's ``licenses:`` entries (already checked by the config stage)."""
    return {
        lid: licenses.reference(
            lid, entry["name"], entry["url"], adaptations=bool(entry.get("adaptations", False))
        )
        for lid, entry in sorted(config.licenses.items())
    }


def resolve(
    pages: Iterable[Page],
    config: SiteConfig,
    report: Report,
    *,
    unread: frozenset[PageId] = frozenset(),
) -> Attribution:
    """Resolve licences and edges of every page (drafts included: they are checked too)."""
    by_id: dict[PageId, Page] = {page.id: page for page in pages}
    resolver = _Resolver(report, _references(config))

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
    code_licenses = _code_licenses(by_id, config, resolver)

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
        shown.resolve_shown(page, resolver.resolve, work_licenses, media_licenses, report)
        shown.check_public_domain_parts(page, page_licenses.get(page.id), work_licenses, report)

    _check_targets(by_id, report, unread)
    _check_cycles(by_id, report)
    _check_licences(by_id, page_licenses, work_licenses, default, report)
    _check_code_licences(by_id, page_licenses, code_licenses, work_licenses, report)

    downstream: dict[PageId, list[PageId]] = defaultdict(list)
    for page in by_id.values():
        for edge in edges_of(page):
            if edge.page is not None and edge.page in by_id:
                downstream[edge.page].append(page.id)
    return Attribution(
        licenses=page_licenses,
        code_licenses=code_licenses,
        default_license=default,
        work_licenses=work_licenses,
        media_licenses=media_licenses,
        upstream={pid: _chain(pid, by_id, page_licenses, work_licenses) for pid in by_id},
        downstream={pid: tuple(sorted(set(ids))) for pid, ids in sorted(downstream.items())},
    )


def _check_targets(
    by_id: dict[PageId, Page], report: Report, unread: frozenset[PageId] = frozenset()
) -> None:
    """Every page an edge names must exist; a published page may not build on a draft."""
    for page in by_id.values():
        for edge in edges_of(page):
            if edge.page is None:
                continue
            target = by_id.get(edge.page)
            where = (page.source.site_path, edge.pos.line, edge.pos.column)
            if target is None and urls.covered(edge.page, unread):
                continue  # the file is there; its own error says why it was not read
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


_RANK = {Verdict.ALLOWED: 0, Verdict.DISCOURAGED: 1, Verdict.REFUSED: 2}


@dataclass(frozen=True, slots=True)
class _Above:
    """A licensed work somewhere up a page's chain, and how the page reaches it."""

    license: License
    label: str
    """How a message names it: a file, or "the outside work 'T'"."""
    edge: Edge
    """The page's own edge that the way up starts with (where an error is reported)."""
    between: tuple[PageId, ...]
    """The pages of the site between the page and this work, nearest first."""
    worst_between: int
    """The worst ruling (as a _RANK) of this work's licence against a page in between."""


def _above(
    page: Page,
    by_id: dict[PageId, Page],
    page_licenses: dict[PageId, License],
    work_licenses: dict[WorkRef, License],
) -> list[_Above]:
    """Every licensed work up the page's chain, each once, by the first way found (depth
    first, in the order the sources are written)."""
    found: list[_Above] = []
    seen: set[PageId | WorkRef] = {page.id}

    def visit(page_id: PageId, first: Edge | None, between: tuple[PageId, ...]) -> None:
        for edge in edges_of(by_id[page_id]):
            key: PageId | WorkRef | None = edge.page if edge.page is not None else edge.work
            if key is None or key in seen or (edge.page is not None and edge.page not in by_id):
                continue
            seen.add(key)
            lic = _source_license(edge, by_id, page_licenses, work_licenses)
            start = first or edge
            if lic is not None:
                worst = max(
                    (
                        _RANK[licenses.adaptation_ruling(lic, page_licenses[pid]).verdict]
                        for pid in between
                        if pid in page_licenses
                    ),
                    default=0,
                )
                found.append(_Above(lic, _describe_source(edge, by_id), start, between, worst))
            if edge.page is not None:
                visit(edge.page, start, (*between, edge.page))

    visit(page.id, None, ())
    return found


def pdm_allowed(page: Page) -> bool:
    """May the page carry the Public Domain Mark?

    CC's PDM FAQ: the mark "should only be used to label a work that is already free of
    known copyright restrictions around the world". A page of the site adds at least its own
    arrangement, so only a page that adapts nothing and reproduces public-domain works
    unchanged (``includes:``) may carry it; whether those works are in the public domain is
    checked where ``includes`` is resolved (:func:`shown.check_public_domain_parts`).
    """
    return not edges_of(page) and bool(page.includes)


def _check_licences(
    by_id: dict[PageId, Page],
    page_licenses: dict[PageId, License],
    work_licenses: dict[WorkRef, License],
    default: License | None,
    report: Report,
) -> None:
    inherit_pdm: list[PageId] = []
    for page in by_id.values():
        _check_unlicensed_sources(page, by_id, report)
        adapted = page_licenses.get(page.id)
        if adapted is None:
            continue
        marked = any(leaf.family == "PDM" for leaf in licenses.leaves(adapted))
        if marked and not pdm_allowed(page):
            if "license" in page.positions:
                _report_pdm(page, report)
            else:
                inherit_pdm.append(page.id)
            continue
        _check_page_chain(page, adapted, _above(page, by_id, page_licenses, work_licenses), report)
    if inherit_pdm and default is not None:
        _report_pdm_default(default, inherit_pdm, report)


def _code_licenses(
    by_id: dict[PageId, Page], config: SiteConfig, resolver: _Resolver
) -> dict[PageId, License]:
    """``license: {content: ..., code: ...}`` and the site default's ``code``, resolved."""
    default: License | None = None
    if config.default_code_license:
        pos = config.positions.get("default_license")
        default = resolver.resolve(config.default_code_license, "commonsgen.yml", pos)
    found: dict[PageId, License] = {}
    for page in by_id.values():
        if page.code_license is None:
            continue
        if "license" in page.positions:
            code = resolver.resolve(page.code_license, page.source.site_path, page.pos("license"))
        else:
            code = default
        if code is not None:
            found[page.id] = code
    return found


def _check_code_licences(
    by_id: dict[PageId, Page],
    page_licenses: dict[PageId, License],
    code_licenses: dict[PageId, License],
    work_licenses: dict[WorkRef, License],
    report: Report,
) -> None:
    """The code of a page against the code of every work up its chain: a page's code is
    under its code licence when it has one, else under its licence (outside works: their
    licence). A chain with no code licence anywhere was checked with the prose."""
    if not code_licenses:
        return
    code = {**page_licenses, **code_licenses}
    for page in by_id.values():
        adapted = code.get(page.id)
        if adapted is None:
            continue
        above = _above(page, by_id, code, work_licenses)
        prose = _above(page, by_id, page_licenses, work_licenses)
        if adapted is page_licenses.get(page.id) and above == prose:
            continue
        _check_page_chain(page, adapted, above, report, subject="code")


def _check_unlicensed_sources(page: Page, by_id: dict[PageId, Page], report: Report) -> None:
    """A page of the site with no licence at all may not be adapted or translated, like an
    outside work with none: without a licence, copyright law reserves every adaptation."""
    for edge in edges_of(page):
        target = by_id.get(edge.page) if edge.page is not None else None
        if target is None or target.license is not None:
            continue
        what = "translation" if edge.kind == "translation_of" else "adaptation"
        report.error(
            page.source.site_path,
            edge.pos.line,
            edge.pos.column,
            "unlicensed-source",
            f"{target.source.site_path} has no licence, so this {what} of it may not be published",
            f"give {target.source.site_path} a licence ('license: CC-BY-SA-4.0' or another "
            "SPDX id) or set default_license in commonsgen.yml",
        )


def _report_pdm(page: Page, report: Report) -> None:
    pos = page.pos("license")
    what = (
        "an adaptation of other works"
        if edges_of(page)
        else "the site's own work, not a work already free of copyright"
    )
    report.error(
        page.source.site_path,
        pos.line,
        pos.column,
        "public-domain-adaptation",
        f"the page is marked with the Public Domain Mark, but it is {what}: the mark only "
        "labels works already free of known copyright",
        "to give up your rights in it, use 'license: CC0-1.0'; the mark fits only a page that "
        f"reproduces public-domain works unchanged (includes:); see {licenses.PDM_FAQ_URL}",
    )


def _report_pdm_default(default: License, pages: list[PageId], report: Report) -> None:
    # One mistake, one error: the default, not each page that takes it.
    listed = ", ".join(pages[:5]) + (f" and {len(pages) - 5} more" if len(pages) > 5 else "")
    report.error(
        "commonsgen.yml",
        None,
        None,
        "public-domain-adaptation",
        f"default_license is {default.id}, the Public Domain Mark, which only labels works "
        f"already free of known copyright; the pages that take it are the site's own work "
        f"({listed})",
        "set 'default_license: CC0-1.0' to give up your rights in the site's pages; "
        f"see {licenses.PDM_FAQ_URL}",
    )


def _fix(above: list[_Above], direct: list[_Above]) -> str:
    """What to do about a refused adaptation: the licences its whole chain allows."""
    everything = [a.license for a in above]
    fitting = licenses.licenses_satisfying(everything)
    if fitting:
        clean = [
            lic
            for lic in fitting
            if all(
                licenses.adaptation_ruling(src, lic).verdict is Verdict.ALLOWED
                for src in everything
            )
        ]
        names = ", ".join(lic.id for lic in (clean or fitting)[:4])
        return f"release this page under a licence its sources allow ({names})"
    if any(a.license.terms.no_derivatives for a in direct):
        return "remove this source: its licence does not allow adaptations"
    return "no single licence satisfies all sources of this page; drop one of them"


def _check_page_chain(
    page: Page, adapted: License, above: list[_Above], report: Report, subject: str = ""
) -> None:
    """The page against every licensed work up its chain (CC's FAQ on adaptations: "the
    original CC license always applies to the material you are adapting even once adapted").

    A direct source is reported at its edge. A work further up is reported only where its
    licence is first broken: not when a page between already breaks it (the error is there),
    nor when a direct source of this page is at least as wrong (fixing that fixes this).
    """
    if not above:
        return
    path = page.source.site_path
    direct = [a for a in above if not a.between]
    worst_direct = 0
    for source in direct:
        ruling = licenses.adaptation_ruling(source.license, adapted)
        worst_direct = max(worst_direct, _RANK[ruling.verdict])
        if ruling.verdict is not Verdict.ALLOWED:
            what = "translation" if source.edge.kind == "translation_of" else "adaptation"
            message = (
                f"{source.label} is under {source.license.short_name}; "
                f"this {what} of it is under {adapted.short_name}: {ruling.rule}"
            )
            _report_ruling(
                page, source.edge, ruling, _about(subject, message), above, direct, report
            )
    for far in above:
        if not far.between:
            continue
        ruling = licenses.adaptation_ruling(far.license, adapted)
        rank = _RANK[ruling.verdict]
        if rank <= max(worst_direct, far.worst_between):
            continue
        message = (
            f"{path} is under {adapted.short_name}, but it is built on {far.label} "
            f"({far.license.short_name}) through "
            + " -> ".join(far.between)
            + f": {ruling.rule}; the licence of a work applies to every adaptation down "
            "the chain, not only the next one"
        )
        _report_ruling(page, far.edge, ruling, _about(subject, message), above, direct, report)
    if len(direct) > 1 and not licenses.licenses_satisfying(a.license for a in direct):
        pos = page.pos("license") if "license" in page.positions else page.pos("title")
        listed = "; ".join(f"{a.label} ({a.license.short_name})" for a in direct)
        report.error(
            path,
            pos.line,
            pos.column,
            "no-license-fits",
            _about(subject, f"no licence satisfies all sources of this page: {listed}"),
            "adapt these sources in separate pages, or drop one of them",
        )


def _about(subject: str, message: str) -> str:
    return f"{subject}: {message}" if subject else message


def _report_ruling(
    page: Page,
    edge: Edge,
    ruling: licenses.Ruling,
    message: str,
    above: list[_Above],
    direct: list[_Above],
    report: Report,
) -> None:
    where = (page.source.site_path, edge.pos.line, edge.pos.column)
    if ruling.verdict is Verdict.DISCOURAGED:
        report.warning(*where, ruling.code, message, f"see {ruling.url}")
    else:
        report.error(*where, ruling.code, message, f"{_fix(above, direct)}; see {ruling.url}")


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
