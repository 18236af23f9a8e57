"""Time whole-process ``commonsgen build`` runs on issue 6's synthetic corpus.

For each size it generates the site once (``synthetic.generate(rich=True)``, seed 1, so
the same site every time), then runs ``python -m commonsgen build`` as a child process:
clean builds (output folder removed first), a rebuild with nothing changed, and a rebuild
after editing one page's body. Each figure is the median of ``--runs`` runs; peak memory
is the largest resident set of the build processes (``os.wait4``'s rusage). Hugo is timed
on the same Markdown files only when ``hugo`` is on PATH; it is skipped otherwise.

    python benchmarks/build_speed.py                 # 1,000 pages
    python benchmarks/build_speed.py --10k           # and 10,000
    python benchmarks/build_speed.py --10k --100k    # and 100,000 (slow)
    python benchmarks/build_speed.py -j 1            # pass -j to build

A ``build`` has no cache between processes yet, so the two rebuild figures measure a full
build into an existing output folder; they are here so that a cache shows up in them.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).absolute().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.synthetic import generate  # noqa: E402

EDITED = "\n\nOne more sentence, added by the benchmark.\n"


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident bytes of one child process; fails loudly if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    # wait4 rather than getrusage(RUSAGE_CHILDREN): the latter is the maximum over every
    # child so far, which would hide a smaller later build behind a larger earlier one.
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode()[-2000:]}")
    return elapsed, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def measure_commonsgen(site: Path, runs: int, jobs: int | None) -> dict[str, float]:
    build = [sys.executable, "-m", "commonsgen", "build", str(site), "-q"]
    build += ["-j", str(jobs)] if jobs else []
    clean, peaks = [], []
    for _ in range(runs):
        shutil.rmtree(site / "public", ignore_errors=True)
        seconds, peak = run(build, REPO)
        clean.append(seconds)
        peaks.append(peak)
    unchanged = [run(build, REPO)[0] for _ in range(runs)]
    page = sorted((site / "content").rglob("page-*.md"))[0]
    original = page.read_text(encoding="utf-8")
    edits = []
    for n in range(runs):
        page.write_text(original + EDITED * (n + 1), encoding="utf-8")
        edits.append(run(build, REPO)[0])
    page.write_text(original, encoding="utf-8")
    return {
        "clean": statistics.median(clean),
        "peak": max(peaks),
        "unchanged": statistics.median(unchanged),
        "edit": statistics.median(edits),
    }


def measure_hugo(site: Path, runs: int, hugo: str) -> dict[str, float]:
    """Hugo on the same Markdown (no theme: it renders content and lists, warns about layouts)."""
    hugo_site = site.parent / "hugo-site"
    shutil.rmtree(hugo_site, ignore_errors=True)
    shutil.copytree(site / "content", hugo_site / "content")
    (hugo_site / "hugo.toml").write_text(
        'baseURL = "https://example.org/synthetic/"\ntitle = "Synthetic Handbook"\n',
        encoding="utf-8",
    )
    clean, peaks = [], []
    for _ in range(runs):
        shutil.rmtree(hugo_site / "public", ignore_errors=True)
        seconds, peak = run([hugo, "--quiet"], hugo_site)
        clean.append(seconds)
        peaks.append(peak)
    return {"clean": statistics.median(clean), "peak": max(peaks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--10k", dest="ten_k", action="store_true", help="also 10,000 pages")
    parser.add_argument("--100k", dest="hundred_k", action="store_true", help="also 100,000")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("-j", "--jobs", type=int, help="passed to build -j (default: its own)")
    args = parser.parse_args()
    sizes = [1000] + [10_000] * args.ten_k + [100_000] * args.hundred_k
    hugo = shutil.which("hugo")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; medians of {args.runs}; hugo: {hugo or 'not installed'}"
    )
    header = "| tool | pages | clean build | pages/s | peak memory | no change | one edit |"
    print(header)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for pages in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            site = generate(Path(tmp) / "site", pages=pages, seed=1, rich=True)
            tool = f"commonsgen -j {args.jobs}" if args.jobs else "commonsgen"
            rows = [(tool, measure_commonsgen(site, args.runs, args.jobs))]
            if hugo:
                rows.append(("hugo", measure_hugo(site, args.runs, hugo)))
            for tool, m in rows:
                rebuilds = f"{m['unchanged']:.2f} s | {m['edit']:.2f} s" if "edit" in m else "- | -"
                print(
                    f"| {tool} | {pages:,} | {m['clean']:.2f} s | {pages / m['clean']:,.0f} | "
                    f"{m['peak'] / 2**20:,.0f} MiB | {rebuilds} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
