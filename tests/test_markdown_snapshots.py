"""Today's Markdown engine against what the previous one (mistune) gave for every page of
example-site and the shared corpora (``tests/markdown_snapshot.py`` took the snapshots).

Links, hrefs, headings, ids, the table of contents, summaries, plain text and diagnostics
must be the same, except for the reviewed differences below, each a place where the two
engines legitimately differ (CommonMark's rules) or where the previous one was wrong.
"""

from __future__ import annotations

import html
from typing import Any

import pytest

from tests import markdown_snapshot as snapshots

_CAPTION = (
    "a figure caption names the medium's title, author and licence without words of any "
    "language ('Map, Kim Lee, CC BY 4.0', not 'Map by Kim Lee, licensed under ...'): the "
    "Markdown stage knows no theme words, and a German page showed English ones"
)

_SCHEME_TYPO = (
    "a link to 'hhttps://...' is a link-scheme warning at the link: the previous engine "
    "published it as a dead '#harmful-link' without a word"
)

EXPLAINED: dict[tuple[str, str], str] = {
    ("rdmkit", "contribute/editorial_board_guide.md"): (
        "'*https://example.org/x*' is emphasis around a bare URL; mistune's URL rule took "
        "the closing '*' into the link"
    ),
    ("rdmkit", "about/news.md"): (
        "a missing file linked through '{{ ... | relative_url }}' is reported at the Liquid "
        "tag (column 59), not inside it"
    ),
    ("rdmkit", "contribute/markdown_cheat_sheet.md"): (
        "the missing image is reported where it is shown (line 149), not at the same text "
        "earlier inside a code block (line 142): mistune's positions came from a text search"
    ),
    ("opensource-guide", "bn/maintaining-balance-for-open-source-maintainers.md"): (
        "'[@gabek](...)' inside a raw HTML <a> is a link, as CommonMark reads it"
    ),
    ("opensource-guide", "hi/code-of-conduct.md"): (
        "'**...**' closes before a Devanagari letter: CommonMark's flanking rules"
    ),
    ("rdmkit", "your_domain/virology.md"): _SCHEME_TYPO,
    ("rdmkit", "your_tasks/data_discoverability.md"): _SCHEME_TYPO,
    ("rdmkit", "your_tasks/data_provenance.md"): _SCHEME_TYPO,
    ("rdmkit", "your_tasks/machine_actionability.md"): _SCHEME_TYPO,
    ("rdmkit", "your_tasks/metadata_management.md"): _SCHEME_TYPO,
    ("opensource-guide", "fr/maintaining-balance-for-open-source-maintainers.md"): _SCHEME_TYPO,
    ("opensource-guide", "ja/maintaining-balance-for-open-source-maintainers.md"): _SCHEME_TYPO,
    ("opensource-guide", "pt/maintaining-balance-for-open-source-maintainers.md"): _SCHEME_TYPO,
    ("example-site", "de/monitoring/choosing-a-site.md"): _CAPTION,
    ("example-site", "de/sensors/thermistor.md"): _CAPTION,
    ("example-site", "monitoring/choosing-a-site.md"): _CAPTION,
    ("example-site", "monitoring/turbidity-tube.md"): _CAPTION,
    ("example-site", "sensors/calibration.md"): _CAPTION,
    ("example-site", "sensors/data-logger.md"): _CAPTION,
    ("example-site", "sensors/thermistor.md"): _CAPTION,
}
"""(site, page) -> why every difference on that page is right."""


def _entity_ids(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Heading ids mistune made from headings with HTML entities ('Qu&eacute;' gave
    'queacute') -> the ids made from their text ('qué'); each checked to be that."""
    renamed: dict[str, str] = {}
    if len(old["toc"]) != len(new["toc"]):
        return renamed
    for (level, old_id, old_title), (new_level, new_id, new_title) in zip(
        old["toc"], new["toc"], strict=True
    ):
        if old_id != new_id and "&" in old_title:
            assert (new_level, new_title) == (level, html.unescape(old_title))
            renamed[old_id] = new_id
    return renamed


def _expected(
    old: dict[str, Any], new: dict[str, Any], *, anchors_gained: bool = False
) -> dict[str, Any]:
    """The old snapshot with the reviewed rules applied: what the new engine must give."""
    renamed = _entity_ids(old, new)
    expected = dict(old)

    def rename(value: str) -> str:
        return renamed.get(value, value)

    expected["toc"] = [
        [level, rename(i), html.unescape(title) if i in renamed else title]
        for level, i, title in old["toc"]
    ]
    expected["heading_ids"] = [rename(i) for i in old["heading_ids"]]
    expected["anchors"] = [rename(i) for i in old["anchors"]]
    expected["hrefs"] = ["#" + rename(h[1:]) if h.startswith("#") else h for h in old["hrefs"]]
    # The previous engine found a link's line by searching the text for its percent-
    # encoded URL, which fails for any non-ASCII fragment: those broken-anchor errors had
    # no line, and the same link twice made one error. Now each has its own line; and
    # links to ids with entities now resolve.
    others = [d for d in old["diagnostics"] if d[0] != "broken-anchor"]
    anchors_now = [d for d in new["diagnostics"] if d[0] == "broken-anchor"]
    anchors_before = [d for d in old["diagnostics"] if d[0] == "broken-anchor"]
    lineless = bool(anchors_before) and all(d[1] is None for d in anchors_before)
    if lineless and all(d[1] for d in anchors_now):
        expected["diagnostics"] = sorted(
            others + anchors_now, key=lambda d: (d[1] or 0, d[2] or 0, d[0])
        )
    # <a name="x"> in raw HTML is an anchor now (browsers scroll to it): a page may have
    # more anchors than before, in order, and broken-anchor errors those resolve go (on
    # any page of a site where a page gained anchors: the links may come from elsewhere).
    added = [a for a in new["anchors"] if a not in expected["anchors"]]
    if added and [a for a in new["anchors"] if a not in added] == expected["anchors"]:
        expected["anchors"] = new["anchors"]
    if anchors_gained:
        gone = [d for d in expected["diagnostics"] if d not in new["diagnostics"]]
        if all(d[0] == "broken-anchor" for d in gone):
            expected["diagnostics"] = [d for d in expected["diagnostics"] if d not in gone]
    return expected


def _sorted_diagnostics(page: dict[str, Any]) -> dict[str, Any]:
    return {
        **page,
        "diagnostics": sorted(page["diagnostics"], key=lambda d: (d[1] or 0, d[2] or 0, d[0])),
    }


@pytest.fixture(scope="module", params=snapshots.SITES)
def site(request: pytest.FixtureRequest) -> str:
    if snapshots.source_of(request.param) is None:
        pytest.skip(f"{request.param} is not on this machine (the shared corpora)")
    return request.param


def test_the_engine_gives_what_the_snapshot_says(site):
    before = snapshots.read(site)
    now = snapshots.snapshot(site)
    assert sorted(now) == sorted(before), "the same pages"
    unexplained = []
    gained = any(set(before[p]["anchors"]) < set(now[p]["anchors"]) for p in before if p in now)
    for page_id in sorted(before):
        if (site, page_id) in EXPLAINED:
            continue
        expected = _sorted_diagnostics(
            _expected(before[page_id], now[page_id], anchors_gained=gained)
        )
        got = _sorted_diagnostics(now[page_id])
        for key in sorted(expected):
            if expected[key] != got[key]:
                unexplained.append(f"{page_id} {key}:\n  was {expected[key]}\n  now {got[key]}")
    assert not unexplained, "\n".join(unexplained[:20])


def test_each_explained_page_does_differ():
    """An entry that explains no difference is stale: take it out."""
    for (site, page_id), _reason in EXPLAINED.items():
        if snapshots.source_of(site) is None:
            continue
        before = snapshots.read(site)[page_id]
        assert before != _page_now(site, page_id), (site, page_id)


_NOW: dict[str, dict[str, Any]] = {}


def _page_now(site: str, page_id: str) -> dict[str, Any]:
    if site not in _NOW:
        _NOW[site] = snapshots.snapshot(site)
    return _NOW[site][page_id]
