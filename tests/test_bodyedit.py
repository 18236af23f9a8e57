"""The dev server's quick rebuild after body edits gives a full build's files and diagnostics.

Each test serves a site (a build with a BuildCache, as ``serve`` keeps one), edits files,
rebuilds through :func:`bodyedit.rebuild`, and compares the result with a build of the
edited site from nothing. An edit it cannot take (frontmatter, new files, failures) must be
refused (None), never answered wrongly.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, BuildResult, build
from commonsgen.incremental import textedit as bodyedit
from commonsgen.incremental.memo import BuildCache
from tests.conftest import EXAMPLE_SITE, MINIMAL_CONFIG, page, write_files

SERVE = BuildOptions(write=False, uncommitted_now=True)


def served(root: Path) -> BuildCache:
    cache = BuildCache()
    result = build(root, SERVE, cache=cache)
    assert not result.failed, result.report.sorted()
    cache.take_stats()
    return cache


def assert_as_full_build(quick: BuildResult | None, root: Path) -> None:
    assert quick is not None, "the quick rebuild refused a body edit"
    full = build(root, SERVE)
    assert not full.failed
    assert sorted(quick.files) == sorted(full.files)
    differ = [path for path in full.files if quick.files[path] != full.files[path]]
    assert differ == []
    assert quick.copies == full.copies
    assert quick.report.sorted() == full.report.sorted()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLE_SITE, root)
    # Pages whose summary is their first paragraph, so that a body edit changes listings.
    for name in ("monitoring/safety.md", "de/sensors/thermistor.md"):
        path = root / "content" / name
        lines = path.read_text().splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("summary:")))
    # Without their pinned hashes, the translations' status stays "unknown" whatever an
    # original's text says: these edits stay body edits (tests/test_translations_status.py
    # has the edits that make a translation outdated).
    for path in (root / "content/de").rglob("*.md"):
        text = path.read_text()
        path.write_text(re.sub(r'\{page: ([^,]+), hash: "[^"]*"\}', r"\1", text))
    return root


def test_an_edit_at_the_end_of_a_page_renders_that_page_alone(site: Path) -> None:
    cache = served(site)
    target = site / "content" / "sensors" / "calibration.md"
    target.write_text(target.read_text() + "\nOne more paragraph about **buffers**.\n")
    quick = bodyedit.rebuild(cache, [target])
    stats = cache.take_stats()
    assert (stats.pages_parsed, stats.markdown_rendered, stats.jobs_rendered) == (1, 1, 1)
    assert_as_full_build(quick, site)
    assert b"buffers" in quick.files["sensors/calibration/index.html"]  # type: ignore[union-attr]


def test_a_new_summary_reaches_listings_feeds_and_the_search_index(site: Path) -> None:
    cache = served(site)
    target = site / "content" / "monitoring" / "safety.md"
    body = target.read_text().split("---\n", 2)[2]
    first = next(line for line in body.splitlines() if line.strip())
    edit(target, first, "Wear a life jacket near deep water, always. " + first)
    quick = bodyedit.rebuild(cache, [target])
    assert_as_full_build(quick, site)
    assert cache.take_stats().jobs_rendered > 1  # the page, its section, the home, its tags


def test_edits_in_a_row_index_pages_and_other_languages(site: Path) -> None:
    cache = served(site)
    edits = [
        ("sensors/index.md", "a notebook.", "a notebook and a pencil."),
        ("de/sensors/thermistor.md", "\n\n", "\n\nEin neuer Absatz über Flüsse.\n\n"),
        ("sensors/index.md", "and a pencil.", "and two pencils."),
        ("index.md", "\n\n", "\n\nWelcome, new volunteers.\n\n"),
    ]
    for name, old, new in edits:
        target = site / "content" / name
        body_start = target.read_text().index("---\n", 4)
        text = target.read_text()
        at = text.index(old, body_start)
        target.write_text(text[:at] + new + text[at + len(old) :])
        assert_as_full_build(bodyedit.rebuild(cache, [target]), site)


def test_a_warning_appears_and_goes_with_the_text_that_causes_it(site: Path) -> None:
    cache = served(site)
    target = site / "content" / "sensors" / "thermistor.md"
    original = target.read_text()
    target.write_text(original + "\n![](../images/site-sketch.svg)\n")
    quick = bodyedit.rebuild(cache, [target])
    assert_as_full_build(quick, site)
    assert [d.code for d in quick.report.items] == ["missing-alt"]  # type: ignore[union-attr]
    target.write_text(original)
    quick = bodyedit.rebuild(cache, [target])
    assert_as_full_build(quick, site)
    assert quick.report.items == []  # type: ignore[union-attr]


def test_edits_it_cannot_take_are_left_to_a_full_build(site: Path) -> None:
    cache = served(site)
    content = site / "content"
    # A frontmatter change (the title): listings, links and credits show it.
    edit(content / "sensors" / "calibration.md", "title: ", "title: New ")
    assert bodyedit.rebuild(cache, [content / "sensors" / "calibration.md"]) is None
    cache = served(site)
    # A file no build has read.
    new = content / "sensors" / "new.md"
    write_files(content, {"sensors/new.md": page("title: New\nlicense: CC-BY-4.0")})
    assert bodyedit.rebuild(cache, [new]) is None
    cache = served(site)
    # A body that breaks another page's #anchor link (an error): the full build reports it.
    edit(content / "sensors" / "calibration.md", "## Two-point calibration", "## Two points")
    assert bodyedit.rebuild(cache, [content / "sensors" / "calibration.md"]) is None
    assert build(site, SERVE).failed
    # ... and nothing is kept from a failed build.
    assert build(site, SERVE, cache=cache).failed
    assert cache.last is None
    assert bodyedit.rebuild(cache, [content / "sensors" / "calibration.md"]) is None


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_page_that_becomes_uncommitted_is_dated_today_by_a_full_build(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "site",
        {
            "commonsgen.yml": MINIMAL_CONFIG + "git: true\n",
            "content/index.md": page("title: Home", "Welcome.\n"),
            "content/guide.md": page("title: Guide\ndate: 2025-01-02", "First text.\n"),
        },
    )
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Start")
    cache = served(root)
    target = root / "content" / "guide.md"
    target.write_text(target.read_text() + "\nMore.\n")
    assert bodyedit.rebuild(cache, [target]) is None  # its date becomes today
    cache = served(root)
    target.write_text(target.read_text() + "\nAnd more.\n")
    assert_as_full_build(bodyedit.rebuild(cache, [target]), root)


def test_anchor_links_of_other_pages_follow_the_headings_of_the_edited_one(
    tmp_path: Path,
) -> None:
    root = write_files(
        tmp_path / "site",
        {
            "commonsgen.yml": MINIMAL_CONFIG.replace(
                "checks: {", "checks: {broken-anchor: warning, "
            ),
            "content/index.md": page("title: Home", "See [the method](guide.md#method).\n"),
            "content/guide.md": page("title: Guide", "## Method\n\nText.\n"),
        },
    )
    cache = served(root)
    target = root / "content" / "guide.md"
    edit(target, "## Method", "## Approach")
    quick = bodyedit.rebuild(cache, [target])
    assert_as_full_build(quick, root)
    assert [(d.path, d.code) for d in quick.report.items] == [  # type: ignore[union-attr]
        ("content/index.md", "broken-anchor")
    ]
    edit(target, "## Approach", "## Method")
    quick = bodyedit.rebuild(cache, [target])
    assert_as_full_build(quick, root)
    assert quick.report.items == []  # type: ignore[union-attr]


EDITED = [
    "sensors/calibration.md",
    "sensors/index.md",
    "monitoring/safety.md",
    "de/sensors/thermistor.md",
    "index.md",
]
LINKED = ["sensors/calibration.md#two-point-calibration", "monitoring/index.md", "index.md#top"]
WORDS = ["river", "Flüsse", "probe", "calibrate", "Daten", "volunteer"]


def apply(path: Path, content: Path, kind: str, words: list[str]) -> None:
    """One edit of a page's body: a paragraph first (its summary changes) or last, a heading,
    a link to another page (or to a heading of it), or the first paragraph gone."""
    head, sep, body = path.read_text().partition("\n---\n")
    text = " ".join(words).capitalize() + "."
    here = posixpath.dirname(path.relative_to(content).as_posix())
    if kind == "first":
        body = f"\n{text}\n\n{body.lstrip()}"
    elif kind == "last":
        body = f"{body.rstrip()}\n\n{text}\n"
    elif kind == "heading":
        body = f"{body.rstrip()}\n\n## {text}\n\nUnder it.\n"
    elif kind == "link":
        target = LINKED[len(words) % len(LINKED)]
        name, _, fragment = target.partition("#")
        href = posixpath.relpath(name, here or ".") + (f"#{fragment}" if fragment else "")
        body = f"{body.rstrip()}\n\nSee [{text}]({href}).\n"
    else:  # the first paragraph (not a heading) removed
        blocks = body.strip().split("\n\n")
        first = next((i for i, b in enumerate(blocks) if b[:1].isalpha()), None)
        if first is not None and len(blocks) > 1:
            del blocks[first]
        body = "\n" + "\n\n".join(blocks) + "\n"
    path.write_text(head + sep + body)


KINDS = ["first", "last", "heading", "link", "drop"]


def test_a_series_of_every_kind_of_text_edit_rebuilds_as_a_full_build(site: Path) -> None:
    """Each page edited twice, each kind of edit twice, one after the other."""
    cache = served(site)
    content = site / "content"
    for n in range(10):
        path = content / EDITED[n % len(EDITED)]
        words = [WORDS[(n + k) % len(WORDS)] for k in range(1 + n % 4)]
        apply(path, content, KINDS[(n + n // len(EDITED)) % len(KINDS)], words)
        assert_as_full_build(bodyedit.rebuild(cache, [path]), site)
