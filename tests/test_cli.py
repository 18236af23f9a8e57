"""The command as a user runs it: messages, exit codes, what is (not) written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO, page, run_cli


def test_build_writes_pretty_urls_and_copies_files(make_site):
    root = make_site(
        {
            "content/index.md": page("title: Home"),
            "content/guide/rivers.md": page("title: Rivers", "![Map](../images/map.png)\n"),
            "content/images/map.png": b"\x89PNG fake",
            "static/robots.txt": "User-agent: *\n",
        }
    )
    result = run_cli("build", str(root), cwd=root.parent)
    assert result.code == 0, result.stderr
    out = root / "public"
    for rel in (
        "index.html",
        "guide/index.html",
        "guide/rivers/index.html",
        "images/map.png",
        "theme/style.css",
        "robots.txt",
        ".commonsgen",
    ):
        assert (out / rel).is_file(), rel
    # 3 pages and listings, the contributors and licences indexes, a licence page, 404.html
    # and the search page
    assert result.stderr.startswith("Built 7 pages into site/public/ in "), result.stderr


def test_errors_are_listed_together_with_file_line_column_and_exit_1(make_site):
    root = make_site(
        {
            "content/a.md": page("title: A\ncontributors: [nobody]\ndate: soon"),
            "content/b.md": "---\ntitle: [unclosed\n---\n",
            "content/c.md": page("summary: no title"),
        }
    )
    result = run_cli("build", str(root), cwd=root.parent)
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == "site/content/a.md:3:16: error[unknown-contributor]: unknown contributor 'nobody'"
    )
    assert "site/content/a.md:4:1: error[bad-date]" in lines[2]
    assert any(
        line.startswith("site/content/b.md:3:1: error[yaml-syntax]") and "starts on line 2" in line
        for line in lines
    )
    assert any(line.startswith("site/content/c.md:2:1: error[missing-title]") for line in lines)
    assert lines[-1] == "Build failed: 4 error(s); nothing was written."
    assert "Traceback" not in result.stderr
    assert not (root / "public").exists()


def test_a_failed_build_leaves_the_last_good_site(make_site):
    root = make_site({"content/a.md": page("title: A")})
    assert run_cli("build", str(root)).code == 0
    before = (root / "public/a/index.html").read_bytes()
    (root / "content/a.md").write_text("---\ntitle: A\ndate: never\n---\n")
    assert run_cli("build", str(root)).code == 1
    assert (root / "public/a/index.html").read_bytes() == before


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_a_build_that_fails_while_writing_pages_leaves_the_last_good_site(make_site, cache):
    # Pages are written to a staging folder as they are rendered; a template error in a
    # later page must leave neither those pages nor the staging folder behind.
    root = make_site({"content/a.md": page("title: A"), "content/b.md": page("title: B")})
    assert run_cli("build", str(root), *cache).code == 0
    before = {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    (root / "content/a.md").write_text(page("title: A changed"))
    (root / "content/z.md").write_text(page("title: Z\ntemplate: broken.html"))
    (root / "templates").mkdir()
    (root / "templates/broken.html").write_text("{{ page.no_such_value }}")
    result = run_cli("build", str(root), *cache)
    assert result.code == 1 and "template-error" in result.stderr
    after = {p: p.read_bytes() for p in (root / "public").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".public")) == []


def test_usage_errors_exit_2(make_site, tmp_path):
    assert run_cli("build", str(tmp_path / "nowhere")).code == 2
    assert run_cli("build", "--no-such-flag").code == 2
    root = make_site({"content/a.md": page("title: A")})
    result = run_cli("build", str(root), "--out", str(root))
    assert result.code == 2 and "contains it" in result.stderr
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep me")
    result = run_cli("build", str(root), "--out", str(theirs))
    assert result.code == 2 and "not made by commonsgen" in result.stderr
    assert (theirs / "notes.txt").read_text() == "keep me"


def test_output_inside_content_is_refused(make_site):
    root = make_site(
        {
            "commonsgen.yml": "title: T\noutput_dir: content/public\n",
            "content/a.md": page("title: A"),
        }
    )
    result = run_cli("build", str(root))
    assert result.code == 2 and "overlaps the content folder" in result.stderr


def test_strict_fails_on_warnings(make_site):
    root = make_site(
        {
            "commonsgen.yml": "title: T\ntitel: x\ndefault_license: CC0-1.0\n"
            "checks: {no-contributors: ignore}\n",
            "content/a.md": page("title: A"),
        }
    )
    assert run_cli("build", str(root)).code == 0
    result = run_cli("build", str(root), "--strict")
    assert result.code == 1 and "1 warning(s) in strict mode" in result.stderr


def test_drafts_flag_and_base_url(make_site):
    root = make_site(
        {"content/a.md": page("title: A\ndraft: true"), "content/b.md": page("title: B")}
    )
    assert run_cli("build", str(root), "--base-url", "https://example.net/sub").code == 0
    assert not (root / "public/a").exists()
    html = (root / "public/b/index.html").read_text()
    assert '<link rel="canonical" href="https://example.net/sub/b/">' in html
    assert run_cli("build", str(root), "--drafts").code == 0
    assert (root / "public/a/index.html").is_file()


def test_quiet_prints_nothing_on_success(make_site):
    root = make_site({"content/a.md": page("title: A")})
    result = run_cli("build", str(root), "-q")
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


def test_python_dash_m_and_help():
    done = subprocess.run(
        [sys.executable, "-m", "commonsgen", "build", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--base-url URL" in done.stdout


def test_build_groups_repeated_warnings_and_check_lists_every_one(make_site):
    files: dict[str, str | bytes] = {"content/map.png": b"\x89PNG fake"}
    for n in range(8):
        files[f"content/p{n}.md"] = page(f"title: P{n}", "![](map.png)\n")
    root = make_site(files)
    built = run_cli("build", str(root))
    assert built.code == 0, built.stderr
    assert built.stderr.count("warning[missing-alt]") == 6  # five shown, one line counting
    assert "... and 3 more warning[missing-alt]" in built.stderr
    verbose = run_cli("build", str(root), "-v")
    assert verbose.stderr.count("warning[missing-alt]") == 8
    checked = run_cli("check", str(root))
    assert checked.stdout.count("warning[missing-alt]") == 8


def test_verbose_build_prints_words_not_python_reprs(make_site):
    root = make_site({"content/a.md": page("title: A")})
    # in a process of its own: logging is set up once per process
    done = subprocess.run(
        [sys.executable, "-m", "commonsgen", "build", str(root), "-v"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "build cache: Markdown of 1 pages rendered" in done.stderr
    assert "Counts(" not in done.stderr and "=" not in done.stderr


def test_theme_lists_prints_and_copies_the_theme_files_a_site_overrides(make_site):
    root = make_site({"content/a.md": page("title: A")})
    listed = run_cli("theme", str(root))
    assert listed.code == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert {"templates/page.html", "templates/partials/footer.html", "static/style.css"} <= set(
        lines
    )
    shown = run_cli("theme", str(root), "--print", "partials/footer.html")
    theme = REPO / "themes/default/templates/partials/footer.html"
    assert shown.stdout == theme.read_text(encoding="utf-8")
    copied = run_cli("theme", str(root), "--copy", "page.html")
    assert copied.code == 0, copied.stderr
    ours = root / "templates/page.html"
    ours.write_text("{% extends 'base.html' %}{% block main %}OURS{% endblock %}\n", "utf-8")
    assert "templates/page.html  (the site's own)" in run_cli("theme", str(root)).stdout
    again = run_cli("theme", str(root), "--copy", "templates/page.html")
    assert again.code == 1 and "not overwritten" in again.stderr
    assert "OURS" in ours.read_text(encoding="utf-8")
    static = run_cli("theme", str(root), "--copy", "style.css")
    assert static.code == 1 and "make a theme of your own" in static.stderr
    unknown = run_cli("theme", str(root), "--copy", "nope.html")
    assert unknown.code == 1 and "has no file 'nope.html'" in unknown.stderr
    built = run_cli("build", str(root))
    assert built.code == 0, built.stderr
    assert "OURS" in (root / "public/a/index.html").read_text(encoding="utf-8")


def test_jobs_are_capped_at_what_the_machine_can_use(make_site, monkeypatch):
    from commonsgen import parallel

    started: list[int] = []
    real = parallel.ProcessPoolExecutor

    def counting(*args, max_workers, **kwargs):
        started.append(max_workers)
        return real(*args, max_workers=max_workers, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", counting)
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    root = make_site({f"content/p{i}.md": page(f"title: P{i}") for i in range(3)})
    result = run_cli("build", str(root), "-j", "100000", "--no-cache")
    assert result.code == 0, result.stderr
    assert (
        "-j 100000 is more than this machine can use; rendering with 4 processes" in result.stderr
    )
    assert started and max(started) == 4
