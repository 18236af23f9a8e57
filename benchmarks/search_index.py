"""Size and time of the search index on the synthetic corpus (issue 6's, ``rich``).

Loads and renders the Markdown of a generated site once, then times making every
language's index files (:meth:`commonsgen.outputs.search.Index.files`, the median of
``--runs``) and prints their bytes, raw and gzip-compressed (what a static host sends): in
all, and for the manifest, the largest word shard and a median page file, which bound what
a first query loads (benchmarks/search_vs_pagefind.py measures that in a browser).

    python benchmarks/search_index.py --pages 1000
    python benchmarks/search_index.py --site CORPUS/plain   # e.g. gen_corpus.py's output
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
    parser.add_argument("--site", type=Path, help="a site of yours instead of a generated one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.site or generate(Path(scratch) / "site", pages=args.pages, rich=True)
        report = Report()
        _, site = load(root, BuildOptions(write=False, git=False), report)
        assert site is not None, report.errors
        rendered = render_markdown(site, report)
        times: list[float] = []
        files: dict[str, bytes] = {}
        for _ in range(args.runs):
            start = time.perf_counter()
            files = {}
            for lang in search.languages(site):
                files.update(search.Index.make(site, rendered, lang).files())
            times.append(time.perf_counter() - start)
        sizes = {path: len(gzip.compress(data, 6, mtime=0)) for path, data in files.items()}
        total = sum(len(data) for data in files.values())
        pages = len(site.pages)
        shards = sorted(size for path, size in sizes.items() if "/w-" in path)
        page_files = sorted(size for path, size in sizes.items() if "/p-" in path)
        manifest = max(size for path, size in sizes.items() if path.endswith(search.INDEX_NAME))
        print(f"{pages} pages, {len(search.languages(site))} language(s), {len(files):,} files")
        print(f"index: {total:,} bytes ({total // pages:,} per page), gzip {sum(sizes.values()):,}")
        middle_shard, middle_page = shards[len(shards) // 2], page_files[len(page_files) // 2]
        print(
            f"gzip: manifest {manifest:,}, {len(shards)} shards (largest {shards[-1]:,}, "
            f"median {middle_shard:,}), page files (median {middle_page:,})"
        )
        print(f"time: {statistics.median(times):.2f} s (median of {args.runs})")


if __name__ == "__main__":
    main()
