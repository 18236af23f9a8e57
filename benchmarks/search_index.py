"""Size and time of the search index on the synthetic corpus (issue 6's, ``rich``).

Loads and renders the Markdown of a generated site once, then times
:func:`commonsgen.outputs.search.index_js` for every language (the median of ``--runs``) and
prints the index's bytes per page, raw and gzip-compressed (what a static host sends).

    python benchmarks/search_index.py --pages 1000
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).absolute().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.synthetic import generate  # noqa: E402
from commonsgen.build import BuildOptions, load, render_markdown  # noqa: E402
from commonsgen.diagnostics import Report  # noqa: E402
from commonsgen.outputs import search  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = generate(Path(scratch) / "site", pages=args.pages, rich=True)
        report = Report()
        _, site = load(root, BuildOptions(write=False, git=False), report)
        assert site is not None, report.errors
        rendered = render_markdown(site, report)
        times, files = [], {}
        for _ in range(args.runs):
            start = time.perf_counter()
            files = {lang: search.index_js(site, rendered, lang) for lang in search.languages(site)}
            times.append(time.perf_counter() - start)
        total = sum(len(data) for data in files.values())
        packed = sum(len(gzip.compress(data, 9, mtime=0)) for data in files.values())
        pages = len(site.pages)
        print(f"{pages} pages, {len(files)} language(s)")
        print(f"index: {total:,} bytes ({total // pages:,} per page), gzip {packed:,} bytes")
        print(f"time: {statistics.median(times):.2f} s (median of {args.runs})")


if __name__ == "__main__":
    main()
