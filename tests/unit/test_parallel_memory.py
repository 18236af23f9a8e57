"""What the main process holds after the workers rendered the Markdown: each search word
once for the whole site, not once per page (most of a rendered site's memory otherwise)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synthetic import generate
from commonsgen import parallel
from commonsgen.build import BuildOptions, load, render_markdown
from commonsgen.diagnostics import Report


def test_words_rendered_by_workers_are_one_object_per_word_for_the_site(tmp_path: Path) -> None:
    root = generate(tmp_path / "site", pages=parallel.MIN_PAGES + 50, seed=3)
    report = Report()
    _, site = load(root, BuildOptions(), report)
    assert site is not None
    with parallel.Workers(site, 2) as workers:
        rendered = render_markdown(site, report, workers=workers)
    assert not report.errors
    first: dict[str, int] = {}
    repeated = 0
    for page in rendered.values():
        for word in page.words:
            held = first.setdefault(word, id(word))
            repeated += held != id(word)
    # The pages share words (the same generator's vocabulary) ...
    assert sum(len(page.words) for page in rendered.values()) > 3 * len(first)
    # ... and every page's copy of a word is the one object.
    assert repeated == 0
