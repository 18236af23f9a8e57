"""What the Markdown stage gives for every page of example-site and the shared corpora:
links, headings, ids, hrefs, plain text and diagnostics, as plain data.

The snapshots in ``tests/cases/markdown/`` were taken with the previous engine (mistune);
``tests/test_markdown_snapshots.py`` compares today's engine against them. Regenerate them
only on purpose, after reviewing every difference:

    python -m tests.markdown_snapshot
"""

from __future__ import annotations

import gzip
import html as html_lib
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from commonsgen.build import BuildOptions, load, render_markdown
from commonsgen.diagnostics import Report
from commonsgen.markdown.words import text_of
from tests.test_corpora import CONFIGS

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
SNAPSHOTS = REPO / "tests" / "cases" / "markdown"

CORPUS_CONFIGS = CONFIGS
"""The few lines of ``commonsgen.yml`` each corpus gets, as in the corpus tests."""
SITES = ("example-site", *CORPUS_CONFIGS)

_HREF_RE = re.compile(r"""\s(?:href|src)="([^"]*)\"""")


def source_of(name: str) -> Path | None:
    """The folder of a site to snapshot; None when it is not on this machine."""
    path = REPO / name if name == "example-site" else CORPORA / name
    return path if path.is_dir() else None


def snapshot(name: str) -> dict[str, Any]:
    """Page id -> what its Markdown gave, for the site ``name`` (built in a temporary copy)."""
    source = source_of(name)
    assert source is not None, name
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        shutil.copytree(source, root)
        if name in CORPUS_CONFIGS:
            (root / "commonsgen.yml").write_text(CORPUS_CONFIGS[name], encoding="utf-8")
        report = Report()
        _, site = load(root, BuildOptions(git=False), report)
        assert site is not None, report.items
        rendered = render_markdown(site, report)
    by_page: dict[str, list[list[Any]]] = {}
    for d in report.sorted():
        by_page.setdefault(d.path, []).append([d.code, d.line, d.column])
    pages: dict[str, Any] = {}
    for pid, page in sorted(rendered.items()):
        html = str(page.html)
        pages[pid] = {
            "links": list(page.links),
            "toc": [[t.level, t.id, t.title] for t in page.toc],
            "heading_ids": list(page.heading_ids),
            "anchors": list(page.anchors),
            "hrefs": [html_lib.unescape(h) for h in _HREF_RE.findall(html)],
            "summary": page.summary,
            "text": text_of(html),
            "diagnostics": by_page.get(site.pages[pid].source.site_path, []),
        }
    return pages


def path_of(name: str) -> Path:
    return SNAPSHOTS / f"{name}.json.gz"


def read(name: str) -> dict[str, Any]:
    with gzip.open(path_of(name), "rt", encoding="utf-8") as f:
        return json.load(f)


def write(name: str, pages: dict[str, Any]) -> None:
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(pages, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    # mtime=0: the same snapshot gives the same bytes
    with open(path_of(name), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(text.encode("utf-8"))


def main() -> int:
    for name in SITES:
        if source_of(name) is None:
            print(f"{name}: not here, skipped", file=sys.stderr)
            continue
        pages = snapshot(name)
        write(name, pages)
        print(f"{name}: {len(pages)} pages -> {path_of(name).relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
