"""Works a page shows besides its own text: its media and the works it includes unchanged.

Each keeps its own licence and credit (a page is then a collection at page level: "each
part keeps its own licence"). None of them is an adaptation of the page's sources, so the
adapter's-licence rules of :mod:`commonsgen.attribution` never apply to them; what does
apply is checked here:

- an image shown with ``changes`` is an adaptation of that image, which an ND licence does
  not allow to be shared (CC BY-ND 4.0 legal code §2(a)(1)(B): "produce and reproduce, but
  not Share, Adapted Material"; the 3.0 and earlier ND licences allow no adaptation at all,
  CC FAQ "Can I take a CC-licensed work and make an adaptation of it?"). Technical changes
  to show it in another format (converting, resizing) make no Adapted Material (4.0
  §2(a)(4)), so they are not ``changes`` in this sense;
- an included work needs a licence, or a copyright notice for material shown by permission
  (all rights reserved): otherwise nothing on the page says why it may be shown.
"""

from __future__ import annotations

from collections.abc import Callable

from commonsgen import licenses
from commonsgen.diagnostics import Pos, Report
from commonsgen.licenses import License
from commonsgen.model import Media, Page, WorkRef

Resolve = Callable[[str, str, Pos], License | None]
"""A licence as written, the site-relative file and the position -> the registry's entry,
or None (the resolver has reported why)."""

ND_LEGAL_CODE = "https://creativecommons.org/licenses/by-nd/4.0/legalcode.en#s2a1"


def resolve_shown(
    page: Page,
    resolve: Resolve,
    work_licenses: dict[WorkRef, License],
    media_licenses: dict[Media, License],
    report: Report,
) -> None:
    """Resolve and check the licences of a page's media and included works, adding them to
    ``work_licenses`` and ``media_licenses``."""
    path = page.source.site_path
    for item in page.media:
        if item.license is None:
            continue  # reported where the field is read (media-without-license)
        found = resolve(item.license, path, item.pos)
        if found is None:
            continue
        media_licenses[item] = found
        if item.changes is not None and found.terms.no_derivatives:
            report.error(
                path,
                item.pos.line,
                item.pos.column,
                "changed-nd-media",
                f"'{item.file}' is under {found.short_name}, which does not allow sharing a "
                f"changed version, but the entry says it was changed ({item.changes})",
                "show the image as its author made it and remove 'changes', or use an image "
                "whose licence allows adaptations (converting or resizing it for the web is "
                "no adaptation, CC 4.0 §2(a)(4), and needs no 'changes'); see "
                f"{found.legal_url or ND_LEGAL_CODE}",
            )
    for inclusion in page.includes:
        work, pos = inclusion.work, inclusion.pos
        if work.license is None:
            if work.copyright is None:
                report.error(
                    path,
                    pos.line,
                    pos.column,
                    "unlicensed-include",
                    f"the included work '{work.title}' names neither a licence nor a copyright "
                    "notice: nothing tells a reader why it may be shown here",
                    "add 'license: CC-BY-ND-4.0' (or its SPDX id), or, for material shown with "
                    "the owner's permission, 'copyright: © 2024 Name, used with permission'",
                )
            continue
        if work not in work_licenses:
            found = resolve(work.license, path, pos)
            if found is not None:
                work_licenses[work] = found


def check_public_domain_parts(
    page: Page,
    page_license: License | None,
    work_licenses: dict[WorkRef, License],
    report: Report,
) -> None:
    """A page under the Public Domain Mark may include only public-domain works: the mark
    labels "a work that is already free of known copyright restrictions" (CC's PDM page),
    and a collection of a licensed work is not free of them. Media keep their own marking
    as exceptions; an included work is what the page reproduces."""
    if page_license is None or page_license.family != "PDM":
        return
    path = page.source.site_path
    for inclusion in page.includes:
        found = work_licenses.get(inclusion.work)
        if found is not None and found.terms.public_domain:
            continue
        under = f"is under {found.short_name}" if found else "has no public-domain licence"
        report.error(
            path,
            inclusion.pos.line,
            inclusion.pos.column,
            "pdm-includes-copyrighted",
            f"the page is marked with the Public Domain Mark, but the included work "
            f"'{inclusion.work.title}' {under}: the page is then not free of copyright",
            f"mark the page only if every work it includes is in the public domain (CC0-1.0 "
            f"or CC-PDM-1.0), or give the page a licence; see {licenses.PDM_FAQ_URL}",
        )
