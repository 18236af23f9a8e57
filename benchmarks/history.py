"""Time the git-history pass on a generated repository: N pages, M commits.

The repository is written with ``git fast-import`` (seconds, not minutes): the first commit
adds every page, each later one changes one to three pages as one of 40 people, every 50th
renames a page and every 10th has a ``Co-authored-by:`` trailer. With ``--translations T``
the first T pages have a German translation (``translation_of``), and every 20th commit
brings one translation up to date, so the status of each depends on the original's changes
since. The same seed gives the same repository. Prints the median of several runs of
:func:`commonsgen.history.read` (one ``git log`` plus parsing), of the translation status
(:func:`commonsgen.translations.compute`: one ``git cat-file --batch``) and of the whole
``load`` stage with history on and off.

    python benchmarks/history.py --pages 2000 --commits 20000 --translations 500
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from commonsgen import history, translations
from commonsgen.build import BuildOptions, load
from commonsgen.config import SiteConfig, load_config
from commonsgen.diagnostics import Report

PEOPLE = 40
START = 1_700_000_000


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def _page(title: str, revision: int) -> str:
    return f"---\ntitle: {title}\ncontributors: [p0]\n---\nRevision {revision} of {title}.\n"


def _translation(i: int, original: str, revision: int) -> str:
    of = "../../" + original.removeprefix("content/")
    return f"---\ntitle: Seite {i}\ntranslation_of: {of}\n---\nFassung {revision}.\n"


def fast_import_stream(pages: int, commits: int, seed: int, translated: int = 0) -> bytes:
    rng = random.Random(seed)
    names = [f"content/s{i // 100:02d}/page-{i:05d}.md" for i in range(pages)]
    german = {i: f"content/de/s{i // 100:02d}/seite-{i:05d}.md" for i in range(translated)}
    titles = {name: f"Page {i}" for i, name in enumerate(names)}
    out: list[bytes] = []
    for number in range(1, commits + 1):
        person = rng.randrange(PEOPLE)
        when = START + number * 600
        ident = f"Person {person} <p{person}@example.org> {when} +0000"
        message = f"Change {number}"
        if number % 10 == 0:
            other = (person + 1 + rng.randrange(PEOPLE - 1)) % PEOPLE
            message += f"\n\nCo-authored-by: Person {other} <p{other}@example.org>"
        out.append(b"commit refs/heads/main\n")
        out.append(f"mark :{number}\nauthor {ident}\ncommitter {ident}\n".encode())
        out.append(_data(message + "\n"))
        if number > 1:
            out.append(f"from :{number - 1}\n".encode())
        if number == 1:
            config = "title: Bench\n"
            if translated:
                config += "languages: {en: English, de: Deutsch}\n"
            out.append(b"M 100644 inline commonsgen.yml\n" + _data(config))
            for i, name in german.items():
                text = _translation(i, names[i], 0)
                out.append(f"M 100644 inline {name}\n".encode() + _data(text))
            people = "".join(f"p{i}:\n  name: Person {i}\n" for i in range(PEOPLE))
            out.append(b"M 100644 inline contributors.yml\n" + _data(people))
            for name in names:
                out.append(f"M 100644 inline {name}\n".encode() + _data(_page(titles[name], 0)))
        elif number % 50 == 0:
            index = rng.randrange(pages)
            old = names[index]
            new = old.replace(".md", f"-r{number}.md")
            names[index] = new
            titles[new] = titles.pop(old)
            out.append(f'R "{old}" "{new}"\n'.encode())
            if index in german:  # the translation follows the rename
                text = _translation(index, new, number)
                out.append(f"M 100644 inline {german[index]}\n".encode() + _data(text))
        elif number % 20 == 0 and german:
            index = rng.randrange(translated)
            text = _translation(index, names[index], number)
            out.append(f"M 100644 inline {german[index]}\n".encode() + _data(text))
        else:
            for index in rng.sample(range(pages), rng.randint(1, 3)):
                name = names[index]
                out.append(
                    f"M 100644 inline {name}\n".encode() + _data(_page(titles[name], number))
                )
        out.append(b"\n")
    return b"".join(out)


def make_repo(root: Path, pages: int, commits: int, seed: int, translated: int = 0) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    stream = fast_import_stream(pages, commits, seed, translated)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--translations", type=int, default=0, help="pages with a German translation"
    )
    args = parser.parse_args()
    args.translations = min(args.translations, args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        started = time.perf_counter()
        make_repo(root, args.pages, args.commits, args.seed, args.translations)
        print(
            f"generated {args.pages} pages, {args.commits} commits in "
            f"{time.perf_counter() - started:.1f} s"
        )
        config = load_config(root, Report())
        assert config is not None
        passes = []
        found = None
        for _ in range(args.runs):
            started = time.perf_counter()
            found = history.read(config, Report())
            passes.append(time.perf_counter() - started)
        assert found is not None
        print(
            f"history pass: median {statistics.median(passes):.2f} s, fastest {min(passes):.2f} s "
            f"over {args.runs} runs ({len(found.commits)} commits, {len(found.files)} files)"
        )
        if args.translations:
            _time_translations(root, config, found, args.runs)
        for git in (False, True):
            times = []
            for _ in range(max(1, args.runs // 2)):
                started = time.perf_counter()
                load(root, BuildOptions(git=git, write=False), Report())
                times.append(time.perf_counter() - started)
            label = "on" if git else "off"
            print(
                f"load stage, history {label}: median {statistics.median(times):.2f} s, "
                f"fastest {min(times):.2f} s"
            )


def _time_translations(root: Path, config: SiteConfig, found: history.History, runs: int) -> None:
    """The status of every translation from the history already read."""
    _, site = load(root, BuildOptions(git=False, write=False), Report())
    assert site is not None
    pages = site.pages
    times = []
    statuses = {}
    for _ in range(runs):
        started = time.perf_counter()
        statuses = translations.compute(pages, found, config.translations, Report())
        times.append(time.perf_counter() - started)
    outdated = sum(1 for s in statuses.values() if s.status == "outdated")
    print(
        f"translation status: median {statistics.median(times):.2f} s, fastest "
        f"{min(times):.2f} s ({len(statuses)} translations, {outdated} outdated)"
    )


if __name__ == "__main__":
    main()
