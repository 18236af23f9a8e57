"""Per-page Markdown rendering time with the adopted-repository extensions off and on.

Renders the body of every page of the three shared corpora (``../shared/corpora``: rdmkit,
opensource-guide, swc-shell-novice) with ``render_page``, once with the default
``MarkdownOptions()`` (commonsgen's own Markdown) and once with every extension on
(``liquid: map`` with two tag templates, attribute lists, Pandoc attributes, fenced divs,
Markdown inside HTML). Frontmatter is replaced by a title, so only Markdown is timed.
Each figure is the median over ``--runs`` passes of CPU time (``time.process_time``, less
disturbed by other processes than wall time) divided by the number of pages.

    python benchmarks/markdown_ext.py             # 5 runs
    python benchmarks/markdown_ext.py --runs 9
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).absolute().parent.parent
sys.path.insert(0, str(REPO))

from commonsgen.build import BuildOptions, load  # noqa: E402
from commonsgen.diagnostics import Report  # noqa: E402
from commonsgen.markdown.dialect import MarkdownOptions  # noqa: E402
from commonsgen.markdown.html import create_markdown, render_page  # noqa: E402
from commonsgen.site import Site  # noqa: E402

CORPORA = (REPO / "../shared/corpora").resolve()
CONFIG = "title: Bench\nbase_url: /\ndefault_license: CC-BY-4.0\n"
ALL_ON = MarkdownOptions(
    liquid="map",
    liquid_tags=(("cite", "[{0}]"), ("tool", "[{0}](https://example.org/tool/{0})")),
    attribute_lists=True,
    pandoc_attributes=True,
    fenced_divs=True,
    html_markdown=True,
)


def corpus_site(name: str, root: Path) -> Site:
    for path in sorted((CORPORA / name).rglob("*.md")):
        if path.name == "SOURCE.md":
            continue
        text = path.read_text(encoding="utf-8")
        if text.startswith("---") and "\n---" in text[3:]:
            text = text[text.index("\n---", 3) + 4 :]
        target = root / "content" / path.relative_to(CORPORA / name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("---\ntitle: Page\n---\n" + text, encoding="utf-8")
    (root / "commonsgen.yml").write_text(CONFIG, encoding="utf-8")
    _, site = load(root, BuildOptions(), Report())
    assert site is not None
    return site


def time_pages(site: Site, options: MarkdownOptions, runs: int) -> float:
    site = dataclasses.replace(site, config=dataclasses.replace(site.config, markdown=options))
    md = create_markdown(options)
    times = []
    for _ in range(runs):
        start = time.process_time()
        for page in site.pages.values():
            render_page(md, site, page, Report())
        times.append(time.process_time() - start)
    return statistics.median(times) / len(site.pages) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"the shared corpora are not here: {CORPORA}")
    print(f"{'corpus':18} {'pages':>5} {'off ms/page':>12} {'on ms/page':>11}")
    for name in ("rdmkit", "opensource-guide", "swc-shell-novice"):
        with tempfile.TemporaryDirectory() as tmp:
            site = corpus_site(name, Path(tmp))
            off = time_pages(site, MarkdownOptions(), args.runs)
            on = time_pages(site, ALL_ON, args.runs)
            print(f"{name:18} {len(site.pages):5} {off:12.2f} {on:11.2f}")


if __name__ == "__main__":
    main()
