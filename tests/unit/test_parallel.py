"""``build -j N`` renders Markdown in worker processes; its output and diagnostics must be
exactly those of a single-process build."""

from __future__ import annotations

import os
import pickle
import signal
from pathlib import Path

from benchmarks.synthetic import generate
from commonsgen import parallel, render
from commonsgen.build import BuildOptions, build


def test_two_workers_build_the_same_bytes_and_diagnostics_as_one(tmp_path: Path) -> None:
    site = generate(tmp_path / "site", pages=parallel.MIN_PAGES + 50, seed=2)
    one = build(site, BuildOptions(write=False, jobs=1))
    two = build(site, BuildOptions(write=False, jobs=2))
    assert one.site is not None and parallel.use_workers(2, len(one.site.pages))
    assert one.files and one.files == two.files
    assert one.report.items == two.report.items
    # Broken links give the workers errors to send back (and stop the build).
    for page in ("topic-00/page-0010.md", "topic-01/page-0150.md"):
        broken = site / "content" / page
        broken.write_text(broken.read_text() + "\nSee [gone](missing.md).\n", encoding="utf-8")
    one = build(site, BuildOptions(write=False, jobs=1))
    two = build(site, BuildOptions(write=False, jobs=2))
    assert len(one.report.errors) == 2
    assert one.report.items == two.report.items


def test_what_workers_receive_and_return_pickles(tmp_path: Path) -> None:
    # Linux forks the workers, which needs no pickling; spawn (macOS, Windows) pickles the
    # Site, and every platform pickles the chunks' results.
    site = generate(tmp_path / "site", pages=12, seed=4, per_section=4)
    result = build(site, BuildOptions(write=False, jobs=1))
    assert result.site is not None
    assert pickle.loads(pickle.dumps(result.site)) == result.site
    handlers = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM)}
    parallel._init_worker(
        result.site, render.markdown_engine(result.site), os.getppid()
    )  # watches a parent that stays
    for signum, handler in handlers.items():  # what a worker sets, undone for pytest
        signal.signal(signum, handler)
    chunk = parallel._render_chunk(tuple(result.site.pages)[:5])
    assert pickle.loads(pickle.dumps(chunk)) == chunk
    theme = render.resolve_theme(result.site.config.root, "default", result.report)
    assert theme is not None
    env = render.make_environment(result.site.config.root, theme)
    rendered = dict(chunk_pages(result.site))
    jobs = tuple(render.plan(result.site, rendered, render.feed_words(env)))[:3]
    outputs = parallel._render_job_chunk((result.site.config.root, theme, jobs, None, False))
    assert pickle.loads(pickle.dumps((theme, jobs))) == (theme, jobs)
    assert [html for html, _ in outputs] == [result.files[job.out_path] for job in jobs]
    # Given a folder, a worker writes what it renders and sends back only the size.
    folder = tmp_path / "staging"
    folder.mkdir()
    written = parallel._render_job_chunk((result.site.config.root, theme, jobs, folder, False))
    assert pickle.loads(pickle.dumps(written)) == written
    for job, (sent, _) in zip(jobs, written, strict=True):
        assert sent == render.WrittenFile(len(result.files[job.out_path]))
        assert (folder / job.out_path).read_bytes() == result.files[job.out_path]


def test_files_written_by_the_workers_are_the_files_one_process_writes(tmp_path: Path) -> None:
    site = generate(tmp_path / "site", pages=parallel.MIN_PAGES + 20, seed=5)
    trees = {}
    for jobs, cache in ((1, False), (2, False), (2, True)):
        out = tmp_path / f"out-{jobs}-{cache}"
        result = build(site, BuildOptions(out=out, jobs=jobs, cache=cache))
        assert result.written and not result.report.errors, result.report.errors
        trees[jobs, cache] = {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }
        assert result.files["index.html"] == trees[jobs, cache]["index.html"]
    assert len(trees[1, False]) > parallel.MIN_PAGES
    assert trees[1, False] == trees[2, False] == trees[2, True]


def chunk_pages(site):  # every page's Markdown, rendered as a worker renders it
    return [(pid, page) for pid, page, _ in parallel._render_chunk(tuple(site.pages))]


def test_a_template_error_in_a_worker_is_reported_as_in_one_process(tmp_path: Path) -> None:
    site = generate(tmp_path / "site", pages=parallel.MIN_PAGES + 50, seed=3)
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ page.no_such_field }}{% endblock %}\n',
        encoding="utf-8",
    )
    one = build(site, BuildOptions(write=False, jobs=1))
    two = build(site, BuildOptions(write=False, jobs=2))
    assert one.report.errors and one.report.items == two.report.items
    assert "no_such_field" in one.report.errors[0].message
