"""Measure save-to-served latency of ``commonsgen serve``.

Starts the real command on a copy of a site (never the site itself), then edits one page
several times. Each time it measures from the moment the file is saved until the server
answers the page with the new text, the way a browser gets it: its long-poll returns,
then it fetches the page. Prints the median, the spread, and the server's own rebuild
times.

    python benchmarks/serve_latency.py --pages 2000          # a generated site
    python benchmarks/serve_latency.py --site example-site   # a site of yours (copied)
    python benchmarks/serve_latency.py --pages 2000 --title  # edit the title, not the body

A body edit takes the quick rebuild (``commonsgen.incremental.textedit``); a title edit changes what
other pages show (listings, links' titles, the search index) and takes the full one.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).absolute().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.synthetic import generate  # noqa: E402
from commonsgen.urls import page_url  # noqa: E402

START_TIMEOUT = 300.0
EDIT_TIMEOUT = 30.0


class Served:
    """``commonsgen serve`` in a child process, with its log lines collected."""

    def __init__(self, site: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "commonsgen", "serve", str(site), "--port", "0"],
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            found = re.search(r"at (http://\S+/) ", "".join(self.lines))
            if found:
                self.url = urlsplit(found[1])
                return
            time.sleep(0.05)
        raise SystemExit("the server did not start:\n" + "".join(self.lines))

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def get(self, path: str) -> bytes:
        connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=60)
        try:
            connection.request("GET", path)
            return connection.getresponse().read()
        finally:
            connection.close()

    def status(self, since: int) -> dict[str, int]:
        return json.loads(self.get(f"/.commonsgen-serve/poll?since={since}"))

    def stop(self) -> None:
        self.process.send_signal(2)  # SIGINT, as Ctrl-C
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def pick_page(content: Path) -> Path:
    """A page in the middle of the site, not an index, without a slug of its own."""
    pages = sorted(
        p
        for p in content.rglob("*.md")
        if p.name != "index.md" and "\nslug:" not in p.read_text(encoding="utf-8")
    )
    if not pages:
        raise SystemExit(f"no page to edit under {content}")
    return pages[len(pages) // 2]


def measure_edit(served: Served, path: Path, url: str, marker: str, *, title: bool) -> float:
    """Seconds from saving ``path`` with ``marker`` in it (in its body, or its title) to the
    page being served with it."""
    before = served.status(-1)["epoch"]
    text = path.read_text(encoding="utf-8")
    if title:
        text = re.sub(r" \(probe \S+\)\n", "\n", text, count=1)
        text = re.sub(r"^title: (.*)$", rf"title: \1 (probe {marker})", text, count=1, flags=re.M)
    else:
        text = re.sub(r"\nLatency probe \S+\n", "\n", text).rstrip("\n")
        text = f"{text}\n\nLatency probe {marker}\n"
    started = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    deadline = started + EDIT_TIMEOUT
    epoch = before
    while time.perf_counter() < deadline:
        epoch = served.status(epoch)["epoch"]
        if marker.encode() in served.get("/" + url):
            return time.perf_counter() - started
    raise SystemExit(f"the edit of {path} was not served within {EDIT_TIMEOUT} s")


def rebuild_times(lines: list[str]) -> list[float]:
    return [float(m[1]) for m in re.finditer(r"Rebuilt \d+ pages in (\d+) ms", "".join(lines))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--site", type=Path, help="a site folder; a copy of it is edited")
    source.add_argument("--pages", type=int, help="generate a synthetic site of this many pages")
    parser.add_argument("--seed", type=int, default=1, help="for the generated site")
    parser.add_argument("--edits", type=int, default=9, help="measured edits (default: 9)")
    parser.add_argument(
        "--title", action="store_true", help="edit the page's title (frontmatter), not its body"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="commonsgen-bench-") as scratch:
        site = Path(scratch) / "site"
        if args.site:
            shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("public", ".git"))
            what = f"{args.site} (a copy)"
        else:
            generate(site, pages=args.pages, seed=args.seed)
            what = f"a generated site of {args.pages} pages (seed {args.seed})"
        path = pick_page(site / "content")
        rel = path.relative_to(site / "content").as_posix()
        url = page_url(rel)
        started = time.perf_counter()
        served = Served(site)
        print(f"site: {what}; first build and start: {time.perf_counter() - started:.1f} s")
        try:
            measure_edit(served, path, url, "warm-up", title=args.title)
            time.sleep(0.3)
            samples = []
            for n in range(args.edits):
                samples.append(measure_edit(served, path, url, f"edit-{n}", title=args.title))
                time.sleep(0.3)  # let the editor-like burst settle before the next save
        finally:
            served.stop()
    ms = sorted(s * 1000 for s in samples)
    server_ms = rebuild_times(served.lines)[1:]  # without the warm-up
    what = "title" if args.title else "body"
    print(f"edited: {rel}, its {what} ({args.edits} edits after one warm-up edit)")
    print(
        f"save-to-served: median {statistics.median(ms):.0f} ms (min {ms[0]:.0f}, max {ms[-1]:.0f})"
    )
    if server_ms:
        print(f"server's rebuild (build + write): median {statistics.median(server_ms):.0f} ms")
    last = [line.strip() for line in served.lines if line.startswith("Rebuilt")][-1:]
    if last:
        print(f"last rebuild: {last[0]}")
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
