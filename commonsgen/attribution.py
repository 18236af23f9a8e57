"""The derivation graph: ``derived_from`` and ``translation_of`` edges between works.

This stage resolves every edge that names a page of this site. Licence compatibility and
credit chains build on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from commonsgen import urls
from commonsgen.diagnostics import Report, did_you_mean
from commonsgen.model import Edge, Page, PageId


def edges_of(page: Page) -> tuple[Edge, ...]:
    return (*page.derived_from, *((page.translation_of,) if page.translation_of else ()))


def check_edges(pages: Iterable[Page], report: Report) -> None:
    """Every page an edge names must exist; a published page may not build on a draft."""
    by_id: dict[PageId, Page] = {page.id: page for page in pages}
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
