"""Time ``commonsgen build`` on the three real corpora adopted with their profiles.

Each corpus in ``../shared/corpora/`` (read-only) is copied to a temporary folder with the
``commonsgen.yml`` that tests/test_corpora.py gives it, then built by this checkout's
commonsgen (``python -m commonsgen``, with the repository on ``PYTHONPATH``) as a child
process: clean builds, without output and without the build cache
(``--no-cache``). Each figure is the median of ``--runs`` runs; pages/s counts the
Markdown pages the profile publishes. The machine's load average is printed beside the
table, since a shared machine's figures vary with it.

    python benchmarks/corpora.py              # 3 runs each
    python benchmarks/corpora.py --runs 5 -j 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).absolute().parent.parent
sys.path.insert(0, str(REPO))

from commonsgen.build import BuildOptions, load  # noqa: E402
from commonsgen.diagnostics import Report  # noqa: E402
from tests.test_corpora import CONFIGS, CORPORA  # noqa: E402


def commonsgen() -> list[str]:
    """This checkout's commonsgen, run as the build_speed benchmark runs it."""
    return [sys.executable, "-m", "commonsgen"]


def time_build(command: list[str]) -> float:
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("-j", "--jobs", type=int, default=None, help="pass -j to build")
    args = parser.parse_args()
    if not CORPORA.is_dir():
        raise SystemExit(f"no corpora at {CORPORA}")
    rows = []
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        for name, config in CONFIGS.items():
            site = Path(tmp) / name
            shutil.copytree(CORPORA / name, site)
            (site / "commonsgen.yml").write_text(config, encoding="utf-8")
            _, read = load(site, BuildOptions(git=False), Report())
            assert read is not None
            pages = len(read.pages)
            command = [*commonsgen(), "build", str(site), "-q", "--no-cache"]
            command += ["--out", str(Path(tmp) / f"{name}-out")]
            command += ["-j", str(args.jobs)] if args.jobs else []
            times = [time_build(command) for _ in range(args.runs)]
            loads.append(os.getloadavg()[0])
            median = statistics.median(times)
            rows.append((name, pages, median, pages / median))
    print(f"| corpus | Markdown pages | build (median of {args.runs}) | pages/s |")
    print("| --- | ---: | ---: | ---: |")
    for name, pages, seconds, rate in rows:
        print(f"| {name} | {pages} | {seconds:.2f} s | {rate:.0f} |")
    print(
        f"\n{os.cpu_count()} CPUs, load average (1 min) {min(loads):.1f} to {max(loads):.1f} "
        f"during the runs; -j {args.jobs or 'default'}"
    )


if __name__ == "__main__":
    main()
