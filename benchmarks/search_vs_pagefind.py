"""Our sharded search index next to Pagefind's, measured on the same built sites.

For each site folder given (a commonsgen site, such as the benchmark corpus made by
``gen_corpus.py N --out DIR --flavor plain --seed 11``), this

1. builds it with our CLI (``--runs`` times: the median wall and CPU time, the search files'
   count and bytes);
2. indexes the built output with Pagefind's Python API (``--pagefind-python``: an
   interpreter with ``pip install 'pagefind[extended]'``; Pagefind is no dependency of
   ours), ``--runs`` times, with ``root_selector: main`` so both index the same text;
3. in headless Chromium, over HTTP with the cache off, asks each engine a common word, a
   rare word and a prefix (typed letter by letter into our overlay; ``pagefind.search``
   with its first eight results' data for Pagefind) and adds up the files it loaded:
   their gzip size for our scripts (what a host that compresses sends), their size on disk
   for Pagefind's, which are compressed already; the engine's own code apart;
4. tries both from ``file://``;
5. asks both a small site in de/es/fr/pt words in other forms (plural, accents left out).

Load averages are printed with the timings: on a shared machine, compare ratios.

    python benchmarks/search_vs_pagefind.py CORPUS-1000/plain CORPUS-10000/plain \\
        --pagefind-python /path/to/venv/bin/python --runs 3
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).absolute().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser import goto, static_host  # noqa: E402
from tests.cdp import Browser, chromium, find_chromium  # noqa: E402

SHOWN = 8
"""Results whose data a first query loads (our overlay shows eight)."""

PAGEFIND_INDEX = """
import asyncio, sys
from pagefind.index import PagefindIndex
async def main():
    # written once, as the context closes, into the site's own pagefind/
    config = {"root_selector": "main", "output_path": sys.argv[1] + "/pagefind"}
    async with PagefindIndex(config=config) as index:
        await index.add_directory(sys.argv[1])
asyncio.run(main())
"""

OURS_QUERY = """(async () => {
  const e = commonsgenSearch.open(document.getElementById('search-panel').dataset.index);
  const a = await e.search(%s);
  await Promise.all(a.pages.slice(0, %d).map(n => e.page(n)));
  return a.pages.length;
})()"""

PAGEFIND_QUERY = """(async () => {
  const pf = await import(new URL(%s, location.href).href);
  await pf.init();
  const r = await pf.search(%s);
  await Promise.all(r.results.slice(0, %d).map(x => x.data()));
  return r.results.length;
})()"""

LANGUAGE_CASES = [
    # lang, text of a page, query, what the query tries
    ("de", "Die Flüsse im Norden frieren im Winter zu.", "Fluss", "singular finds plural"),
    ("de", "Die Flüsse im Norden frieren im Winter zu.", "flusse", "no umlaut"),
    ("de", "Die Flüsse im Norden frieren im Winter zu.", "Flüssen", "other case ending"),
    ("es", "Las canciones del río se cantan en verano.", "canción", "singular finds plural"),
    ("es", "Las canciones del río se cantan en verano.", "rio", "no accent"),
    ("es", "Las canciones del río se cantan en verano.", "cantar", "infinitive finds a form"),
    ("fr", "Les rivières gelées brillent au soleil.", "rivière", "singular finds plural"),
    ("fr", "Les rivières gelées brillent au soleil.", "gelee", "no accents"),
    ("fr", "Les rivières gelées brillent au soleil.", "briller", "infinitive finds a form"),
    ("pt", "As informações das estações chegam cedo.", "informação", "singular finds plural"),
    ("pt", "As informações das estações chegam cedo.", "estacoes", "no accents"),
    ("pt", "As informações das estações chegam cedo.", "chegar", "infinitive finds a form"),
]


@dataclass
class Timing:
    wall: float
    cpu: float
    load: float


def timed(run: Callable[[], None]) -> Timing:
    """Wall time and the CPU time of the child processes it waited for."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, load)


def median(timings: list[Timing]) -> Timing:
    return Timing(
        statistics.median(t.wall for t in timings),
        statistics.median(t.cpu for t in timings),
        statistics.median(t.load for t in timings),
    )


def build_ours(site: Path, out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "commonsgen", "build", str(site), "--out", str(out), "--no-cache"],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def index_pagefind(python: str, out: Path) -> None:
    subprocess.run([python, "-c", PAGEFIND_INDEX, str(out)], check=True, capture_output=True)


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6, mtime=0))


def folder_size(folder: Path, *, compress: bool) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    size = sum(gzipped(p) if compress else p.stat().st_size for p in files)
    return len(files), size


class Recording(http.server.SimpleHTTPRequestHandler):
    """A static host that notes every path it is asked for (a Web Worker's requests too,
    which the page's resource timing does not see)."""

    asked: list[str]

    def log_message(self, format: str, *args: object) -> None:
        self.asked.append(urllib.parse.unquote(self.path.split("?")[0]))


@contextlib.contextmanager
def recording_host(folder: Path) -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    handler = type("Handler", (Recording,), {"asked": asked})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def loaded(asked: list[str], out: Path, part: str) -> tuple[int, int, int]:
    """(files, index bytes, code bytes) asked for under ``part`` (a folder name)."""
    data = code = 0
    names = sorted({name for name in asked if name.startswith("/" + part)})
    for name in names:
        path = out / name.lstrip("/")
        compressed = part == "pagefind/" and (
            path.suffix.startswith(".pf") or path.name.startswith("wasm.")
        )
        size = path.stat().st_size if compressed else gzipped(path)
        if path.parent.name in ("theme", "pagefind") or path.name.startswith("wasm."):
            code += size
        else:
            data += size
    return len(names), data, code


def type_into(browser: Browser, text: str) -> None:
    browser.evaluate("document.getElementById('site-search-input').focus()")
    for char in text:
        browser.call("Input.dispatchKeyEvent", {"type": "keyDown", "text": char, "key": char})
        browser.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": char})
        time.sleep(0.15)  # a quick typist: each letter is its own query


def a_page(out: Path) -> Path:
    """A page of the site two folders down, the search pages aside."""
    pages = sorted(out.glob("*/*/index.html"))
    return next(p for p in pages if p.relative_to(out).parts[0] not in ("search", "pagefind"))


def first_queries(browser: Browser, out: Path, queries: dict[str, str]) -> Iterator[list[str]]:
    """Rows: query, our hits and files/bytes, Pagefind's."""
    page = a_page(out)
    with recording_host(out) as (host, asked):
        url = host + str(page.relative_to(out).parent) + "/"
        for label, word in queries.items():
            goto(browser, url)
            asked.clear()
            type_into(browser, word)
            browser.wait_for(
                "document.querySelectorAll('#search-panel-list [role=option]').length > 0"
                " || !document.getElementById('search-panel-none').hidden",
                timeout=60,
            )
            typed = loaded(asked, out, "search/")
            goto(browser, url)
            asked.clear()
            found = browser.evaluate(OURS_QUERY % (json.dumps(word), SHOWN))
            engine = ["/theme/search-engine.js", "/theme/search-overlay.js"]
            ours = loaded([a for a in asked if a.startswith("/search/")] + engine, out, "")
            goto(browser, url)
            asked.clear()
            theirs_found = browser.evaluate(
                PAGEFIND_QUERY % (json.dumps("/pagefind/pagefind.js"), json.dumps(word), SHOWN)
            )
            theirs = loaded(asked, out, "pagefind/")
            yield [
                f"{label} '{word}'",
                f"{found}",
                f"{ours[0]} files, {ours[1] / 1000:.1f} kB (+{ours[2] / 1000:.1f} kB code)",
                f"{typed[0]} files, {typed[1] / 1000:.1f} kB",
                f"{theirs_found}",
                f"{theirs[0]} files, {theirs[1] / 1000:.1f} kB (+{theirs[2] / 1000:.1f} kB code)",
            ]


def from_file(browser: Browser, out: Path, word: str) -> tuple[str, str]:
    page = a_page(out)
    goto(browser, page.as_uri())
    try:
        ours = f"{browser.evaluate(OURS_QUERY % (json.dumps(word), SHOWN))} results"
    except Exception as exc:  # what the browser said is the finding
        ours = f"fails: {str(exc)[:60]}"
    pagefind = (out / "pagefind" / "pagefind.js").as_uri()
    try:
        found = browser.evaluate(PAGEFIND_QUERY % (json.dumps(pagefind), json.dumps(word), SHOWN))
        theirs = f"{found} results"
    except Exception as exc:
        theirs = f"fails: {str(exc).splitlines()[0][:70]}"
    return ours, theirs


def language_site(root: Path) -> Path:
    langs = sorted({lang for lang, *_ in LANGUAGE_CASES})
    names = {"de": "Deutsch", "es": "Español", "fr": "Français", "pt": "Português"}
    (root / "content").mkdir(parents=True)
    (root / "commonsgen.yml").write_text(
        "title: Languages\ndefault_license: CC-BY-4.0\nlanguage: en\n"
        "languages: {en: English, "
        + ", ".join(f"{lang}: {names[lang]}" for lang in langs)
        + "}\nchecks: {no-contributors: ignore}\n",
        encoding="utf-8",
    )
    (root / "content" / "index.md").write_text("---\ntitle: Home\n---\nHello.\n")
    for lang in langs:
        folder = root / "content" / lang
        folder.mkdir()
        (folder / "index.md").write_text(f"---\ntitle: Start {lang}\n---\nNichts.\n")
        text = next(t for code, t, *_ in LANGUAGE_CASES if code == lang)
        (folder / "page.md").write_text(f"---\ntitle: Seite {lang}\n---\n{text}\n")
    return root


def languages(browser: Browser, python: str, scratch: Path) -> Iterator[list[str]]:
    site = language_site(scratch / "languages")
    out = scratch / "languages-out"
    build_ours(site, out)
    index_pagefind(python, out)
    with static_host(out) as host:
        for lang, _text, query, what in LANGUAGE_CASES:
            goto(browser, f"{host}{lang}/page/")
            ours = browser.evaluate(OURS_QUERY % (json.dumps(query), SHOWN))
            theirs = browser.evaluate(
                PAGEFIND_QUERY % (json.dumps("/pagefind/pagefind.js"), json.dumps(query), SHOWN)
            )
            yield [lang, f"'{query}'", what, "found" if ours else "-", "found" if theirs else "-"]


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    rule = "-+-".join("-" * w for w in widths)
    head = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    return "\n".join([head, rule, *lines])


def words_to_ask(out: Path) -> dict[str, str]:
    """A common word, a rare word and the first three letters of a common word, from our
    index (the most and least used words of four letters or more)."""
    counts: dict[str, int] = {}
    for shard in (out / "search" / "index").glob("w-*.js"):
        text = shard.read_text(encoding="utf-8")
        data = json.loads(text[text.index(",") + 1 : text.rindex(");")])
        for word, deltas in data.items():
            if len(word) >= 4 and word.isalpha() and word.isascii():
                counts[word] = len(deltas)
    by_use = sorted(counts, key=lambda w: (-counts[w], w))
    common, rare = by_use[0], by_use[-1]
    return {"common": common, "rare": rare, "prefix": by_use[1][:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--pagefind-python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    executable = find_chromium()
    if executable is None:
        sys.exit("needs Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="search-vs-pagefind-") as scratch_name:
        scratch = Path(scratch_name)
        with chromium(executable) as browser:
            browser.open("about:blank")
            browser.call("Network.enable")
            browser.call("Network.setCacheDisabled", {"cacheDisabled": True})
            for site in args.sites:
                out = scratch / f"out-{site.parent.name}"
                ours_t, theirs_t = [], []
                for _ in range(args.runs):
                    ours_t.append(timed(lambda: build_ours(site, out)))  # noqa: B023
                    theirs_t.append(timed(lambda: index_pagefind(args.pagefind_python, out)))  # noqa: B023
                pages = len(list(out.rglob("index.html")))
                ours, theirs = median(ours_t), median(theirs_t)
                n_ours, b_ours = folder_size(out / "search", compress=True)
                n_theirs, b_theirs = folder_size(out / "pagefind", compress=False)
                print(f"\n## {site} ({pages:,} pages written)\n")
                print(
                    table(
                        ["", "ours", "Pagefind"],
                        [
                            [
                                f"time (median of {args.runs})",
                                f"{ours.wall:.1f} s wall, {ours.cpu:.1f} s CPU: whole build",
                                f"{theirs.wall:.1f} s wall, {theirs.cpu:.1f} s CPU: index only",
                            ],
                            [
                                "load average (1 min) at start",
                                f"{ours.load:.2f}",
                                f"{theirs.load:.2f}",
                            ],
                            [
                                "index files, total bytes",
                                f"{n_ours:,} files, {b_ours / 1e6:.1f} MB gzipped",
                                f"{n_theirs:,} files, {b_theirs / 1e6:.1f} MB on disk",
                            ],
                        ],
                    )
                )
                print()
                rows = list(first_queries(browser, out, words_to_ask(out)))
                print(
                    table(
                        [
                            "first query",
                            "ours: hits",
                            "ours: loaded",
                            "ours: typed",
                            "Pagefind: hits",
                            "Pagefind: loaded",
                        ],
                        rows,
                    )
                )
                ours_file, theirs_file = from_file(browser, out, words_to_ask(out)["common"])
                print(f"\nfrom file://: ours {ours_file}; Pagefind {theirs_file}")
            print("\n## de/es/fr/pt: does the query find the page?\n")
            rows = list(languages(browser, args.pagefind_python, scratch))
            print(table(["lang", "query", "tries", "ours", "Pagefind"], rows))


if __name__ == "__main__":
    main()
