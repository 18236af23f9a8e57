"""A site's own catalogue changes what pages say, and both caches see it: a cached build
and a rebuild in ``serve`` write the bytes of a clean build, and render again the Markdown
of the pages whose caption words changed, those of that language alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_diskcache import EXAMPLE, age, build, clean_build, counted, tree
from tests.unit.test_buildstate import Rebuilder, assert_same_as_full_build

GERMAN_CAPTIONS = 'caption_by: "{title} – gezeichnet von {author}"\n'
GERMAN_LICENCE = 'caption_license: "{caption} ({license})"\n'
GERMAN_HEADING = "on_this_page: Inhalt der Seite\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("public", ".commonsgen-cache"))
    return root


def german_pages(root: Path) -> int:
    return len(list((root / "content/de").rglob("*.md")))


def edits(root: Path) -> list[tuple[str, str, bool]]:
    """(what, the site's i18n/de.yml after it, whether captions change)."""
    return [
        ("a new German caption", GERMAN_CAPTIONS, True),
        ("its licence part too", GERMAN_CAPTIONS + GERMAN_LICENCE, True),
        ("a word no caption uses", GERMAN_CAPTIONS + GERMAN_LICENCE + GERMAN_HEADING, False),
        ("the catalogue removed", "", True),
    ]


def write_catalogue(root: Path, text: str) -> None:
    path = root / "i18n/de.yml"
    if text:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    else:
        shutil.rmtree(root / "i18n")


def test_a_cached_build_follows_the_sites_catalogue(site, tmp_path, caplog):
    build(site)
    age(site)
    for what, text, captions in edits(site):
        write_catalogue(site, text)
        counts = counted(site, caplog)
        assert tree(site / "public") == clean_build(site, tmp_path), what
        # Back to the theme's words, the German pages' HTML of the first build is stored.
        again = captions and what != "the catalogue removed"
        assert counts["markdown_rendered"] == (german_pages(site) if again else 0), what
        age(site)
    figure = (site / "public/de/sensors/thermistor/index.html").read_text()
    assert "Thermistor probe on a cable von Priya Raghunathan" in figure


def test_serve_follows_the_sites_catalogue(site, tmp_path):
    rebuilder = Rebuilder(site, tmp_path / "served")
    rebuilder.rebuild()
    rebuilder.cache.take_stats()
    for what, text, captions in edits(site):
        write_catalogue(site, text)
        assert_same_as_full_build(rebuilder, what)
        stats = rebuilder.cache.take_stats()
        # assert_same_as_full_build rebuilds once: its counts are that rebuild's
        assert stats.markdown_rendered == (german_pages(site) if captions else 0), what
        if what == "a new German caption":
            figure = (tmp_path / "served/de/sensors/thermistor/index.html").read_text()
            assert "Thermistor probe on a cable – gezeichnet von Priya Raghunathan" in figure
            english = (tmp_path / "served/sensors/thermistor/index.html").read_text()
            assert "Thermistor probe on a cable by Priya Raghunathan" in english
