"""The build cache between runs: cached builds write the bytes of clean builds, write only
what changed, and never let a broken cache break a build."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from benchmarks.synthetic import generate
from commonsgen import build as build_module
from commonsgen import cli
from commonsgen.incremental import disk as diskcache
from tests.conftest import page, run_cli, write_files
from tests.edits import EDITS, edit_at_random

EXAMPLE = Path(__file__).resolve().parent.parent / "example-site"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("public", ".commonsgen-cache"))
    return root


def build(root: Path, *extra: str) -> str:
    result = run_cli("build", str(root), *extra, cwd=root.parent)
    assert result.code == 0, result.stderr
    return result.stderr


def clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    build(root, "--no-cache", "--out", str(out))
    return tree(out)


def age(path: Path) -> None:
    """Date a file back, as if written a while ago (the cache does not trust fresh files)."""
    for file in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(file, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))


def test_cached_builds_write_the_bytes_of_clean_builds_through_a_series_of_edits(site, tmp_path):
    build(site)
    steps = [
        lambda: (site / "content/monitoring/safety.md").write_text(
            (site / "content/monitoring/safety.md").read_text() + "\nOne more safety rule.\n"
        ),
        # a new page, which the home page lists and other pages may link to
        lambda: (site / "content/monitoring/night-visits.md").write_text(
            page("title: Night visits\nlicense: CC-BY-4.0\ncontributors: [mariana]", "Dark.\n")
        ),
        # a template the site overrides: every page changes
        lambda: (
            (site / "templates").mkdir(exist_ok=True)
            or (site / "templates/footer-note.txt").write_text("unused\n")
        ),
        # a title, which the page's neighbours, its section and the search index show
        lambda: (site / "content/monitoring/safety.md").write_text(
            (site / "content/monitoring/safety.md")
            .read_text()
            .replace("title: ", "title: Renamed ", 1)
        ),
        lambda: (site / "content/monitoring/night-visits.md").unlink(),
        lambda: (site / "commonsgen.yml").write_text(
            (site / "commonsgen.yml").read_text().replace("River Watch", "Riverwatch", 1)
        ),
    ]
    for step in steps:
        step()
        stderr = build(site)
        assert "reused from the cache" in stderr or "Built" in stderr
        assert tree(site / "public") == clean_build(site, tmp_path)


def counted(root: Path, caplog: pytest.LogCaptureFixture) -> dict[str, int]:
    """Build, and return the build cache's counts, from its debug log."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="commonsgen.build"):
        build(root)
    return next(r.counts for r in caplog.records if hasattr(r, "counts"))


def test_an_edit_of_a_page_text_makes_that_page_view_alone_again(site, tmp_path, caplog):
    """A page's view shows other pages by their frontmatter, never their text: after an
    edit of one page's text, the others' output keys are known without making their view.
    A frontmatter edit (a title the neighbours show) makes them all again."""
    notes = site / "content/monitoring/field-notes.md"
    frontmatter = "title: Field notes\nlicense: CC-BY-4.0\ncontributors: [mariana]"
    notes.write_text(page(frontmatter, "First words of the notes.\n"))
    build(site)
    shutil.rmtree(site / "public")
    warm = counted(site, caplog)
    assert warm["views_skipped"] > 10 and warm["pages_rendered"] == 0, warm
    # its first words, which its section's listing quotes as its summary
    notes.write_text(page(frontmatter, "Other first words.\n"))
    edited = counted(site, caplog)
    assert edited["views_skipped"] == warm["views_skipped"] - 1, edited
    assert b"Other first words." in (site / "public/monitoring/index.html").read_bytes()
    assert tree(site / "public") == clean_build(site, tmp_path)
    safety = site / "content/monitoring/safety.md"
    safety.write_text(safety.read_text().replace("title: ", "title: Renamed ", 1))
    renamed = counted(site, caplog)
    assert renamed["views_skipped"] == 0, renamed
    assert b"Renamed" in (site / "public/monitoring/index.html").read_bytes()
    assert tree(site / "public") == clean_build(site, tmp_path)
    # a template: the views are as before, but every page's output changes
    theme_base = EXAMPLE.parent / "themes/default/templates/base.html"
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/base.html").write_text(theme_base.read_text() + "<!-- ours -->\n")
    overridden = counted(site, caplog)
    assert overridden["views_skipped"] == 0, overridden
    assert b"<!-- ours -->" in (site / "public/monitoring/safety/index.html").read_bytes()
    assert tree(site / "public") == clean_build(site, tmp_path)


def test_cached_builds_match_clean_builds_through_random_edits(tmp_path):
    """Edits of every kind a page's view, a listing or a credit may show, chosen at random
    (seeded, so a failure repeats) on a generated site with adaptation chains, translations
    and tags: after each, a cached build, with the output kept or removed as in CI, writes
    the bytes of a clean build."""
    root = generate(tmp_path / "site", pages=24, seed=3, rich=True, per_section=6)
    pages = sorted((root / "content").rglob("page-*.md"))
    rng = random.Random(7)
    build(root)
    for n, kind in enumerate(EDITS):
        path = edit_at_random(rng, pages, kind, n)
        if n % 3 == 2:
            shutil.rmtree(root / "public")
        build(root)
        assert tree(root / "public") == clean_build(root, tmp_path), (n, kind, path)


def test_a_page_known_by_its_inputs_is_rendered_when_its_bytes_are_gone(site, tmp_path, caplog):
    build(site)
    database = next((site / diskcache.CACHE_DIR).rglob(diskcache.DATABASE))
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM pages")
    connection.close()
    shutil.rmtree(site / "public")
    again = counted(site, caplog)
    assert again["views_skipped"] > 10 and again["pages_rendered"] > 10, again
    assert tree(site / "public") == clean_build(site, tmp_path)


def test_entries_no_build_reads_age_out_with_their_marks(site):
    """An entry unused for ``KEEP_BUILDS`` builds (give or take ``REFRESH``) is dropped with
    its mark of use; the entries every build reads stay, however long ago they were made."""
    build(site)
    database = next((site / diskcache.CACHE_DIR).rglob(diskcache.DATABASE))

    def keys(table: str) -> set[bytes]:
        with contextlib.closing(sqlite3.connect(database)) as connection:
            return {key for (key,) in connection.execute(f"SELECT key FROM {table}")}

    first = {table: keys(table) for table in ("markdown", "parsed", "pages")}
    safety = site / "content/monitoring/safety.md"
    for n in range(diskcache.KEEP_BUILDS + diskcache.REFRESH + 1):
        safety.write_text(safety.read_text() + f"\nRule {n}.\n")
        build(site)
    for table, before in first.items():
        now = keys(table)
        assert now == keys(f"{table}_marks"), table  # a mark for each entry, no other
        gone = before - now
        assert len(gone) == 1, (table, len(gone))  # the safety page's first entry
        assert len(before & now) >= 20, table  # the other pages' entries, read each time


def test_a_rebuild_writes_only_the_files_whose_bytes_changed(site):
    build(site)
    before = inodes(site / "public")
    safety = site / "content/monitoring/safety.md"
    safety.write_text(safety.read_text().replace("\n\n", "\n\nA new first sentence. ", 1))
    stderr = build(site)
    after = inodes(site / "public")
    changed = {path for path in before if before[path] != after.get(path)}
    assert "monitoring/safety/index.html" in changed
    # its section listing quotes its summary; its neighbours and unrelated pages stay put
    assert "sensors/index.html" not in changed
    assert "theme/style.css" not in changed
    assert len(changed) < len(before) / 4, sorted(changed)
    assert "reused from the cache" in stderr


def test_nothing_changed_replays_the_diagnostics_and_repairs_a_damaged_output(site):
    age(site)
    (site / "content/monitoring/unsigned.md").write_text(page("title: Unsigned"))
    age(site / "content/monitoring/unsigned.md")
    first = build(site)
    assert "no-contributors" in first
    second = build(site)
    assert "(nothing changed)" in second
    assert "no-contributors" in second  # the warning is not lost
    (site / "public/monitoring/safety/index.html").unlink()
    third = build(site)
    assert "(nothing changed)" not in third
    assert (site / "public/monitoring/safety/index.html").is_file()


def test_the_build_after_an_edit_is_followed_by_the_no_change_path(site):
    age(site)
    build(site)
    edited = site / "content/monitoring/safety.md"
    text = edited.read_text()
    edited.write_text(text.replace("Safety", "Sefety", 1))  # the same size; just now
    assert "(nothing changed)" not in build(site)
    assert "(nothing changed)" in build(site)  # the edit is seconds old, yet known
    # A second save within the same clock tick can keep the file's stat signature: its
    # content still tells.
    before = edited.stat()
    edited.write_text(text.replace("Safety", "Sifety", 1))
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "(nothing changed)" not in build(site)
    assert "Sifety" in (site / "public/monitoring/safety/index.html").read_text()
    assert "(nothing changed)" in build(site)


def test_a_page_whose_link_target_disappears_is_rendered_again(site):
    (site / "content/monitoring/a.md").write_text(
        page("title: A\nlicense: CC-BY-4.0\ncontributors: [mariana]", "See [B](b.md).\n")
    )
    (site / "content/monitoring/b.md").write_text(
        page("title: B\nlicense: CC-BY-4.0\ncontributors: [mariana]")
    )
    build(site)
    (site / "content/monitoring/b.md").rename(site / "content/monitoring/c.md")
    result = run_cli("build", str(site), cwd=site.parent)
    assert result.code == 1
    assert "monitoring/a.md:" in result.stderr and "broken-link" in result.stderr


def test_a_link_written_as_an_address_is_checked_again_as_pages_come_and_go(site, tmp_path):
    """The link's page is reused from the cache only while the addresses it looked up are
    published as they were: adding or removing the page it names is seen."""
    a = site / "content/monitoring/a.md"
    b = site / "content/monitoring/b.md"
    a.write_text(
        page(
            "title: A\nlicense: CC-BY-4.0\ncontributors: [mariana]",
            "See [B](../b/#top) and [the tags](/tags/).\n",
        )
    )
    failed = run_cli("build", str(site), cwd=site.parent)
    assert failed.code == 1
    assert "site/content/monitoring/a.md:6:9: error[broken-link]: the link '../b/#top'" in (
        failed.stderr
    )
    assert failed.stderr.count("error[") == 1  # the tags' page is published: /tags/ is fine
    b.write_text(page("title: B\nlicense: CC-BY-4.0\ncontributors: [mariana]\ntags: [x]"))
    build(site)
    assert tree(site / "public") == clean_build(site, tmp_path)
    assert 'href="../b/#top"' in (site / "public/monitoring/a/index.html").read_text()
    b.unlink()
    failed = run_cli("build", str(site), cwd=site.parent)
    assert failed.code == 1
    assert "a.md:6:9: error[broken-link]: the link '../b/#top'" in failed.stderr


@pytest.mark.parametrize("damage", ["garbage", "old-code", "bad-entry"])
def test_a_damaged_or_old_cache_is_ignored_with_a_debug_message(site, tmp_path, caplog, damage):
    build(site)
    database = site / diskcache.CACHE_DIR / f"v{diskcache.FORMAT}" / diskcache.DATABASE
    if damage == "garbage":
        for suffix in ("-wal", "-shm"):
            Path(str(database) + suffix).unlink(missing_ok=True)
        database.write_bytes(b"this is not a database" * 100)
    else:
        with sqlite3.connect(database) as connection:
            if damage == "old-code":
                connection.execute("UPDATE meta SET value = x'00' WHERE name = 'code'")
            else:
                connection.execute("UPDATE markdown SET value = x'80'")
                connection.execute("DELETE FROM meta WHERE name = 'inputs'")
        connection.close()
    with caplog.at_level(logging.DEBUG, logger="commonsgen.incremental.disk"):
        stderr = build(site)
    assert "Traceback" not in stderr
    if damage != "bad-entry":
        assert any("build cache" in record.getMessage() for record in caplog.records)
    assert tree(site / "public") == clean_build(site, tmp_path)


def test_the_cache_folder_tells_git_and_backups_to_leave_it_alone(site):
    build(site)
    folder = site / diskcache.CACHE_DIR
    assert (folder / ".gitignore").read_text() == "*\n"
    assert (folder / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f597d28d17")
    shutil.rmtree(folder)  # safe to delete
    assert "reused" not in build(site)


def test_progress_is_drawn_on_a_terminal_only_and_cleared():
    stream = io.StringIO()
    progress = cli.Progress(stream)
    progress.started -= 10  # a long build
    progress("Rendering pages", 300, 1000)
    assert stream.getvalue() == "\r\x1b[KRendering pages 300/1,000…"
    progress.clear()
    assert stream.getvalue().endswith("\r\x1b[K")
    silent = cli.Progress(None)
    silent.started -= 10
    silent("Rendering pages", 1, 2)  # no stream: nothing to draw on, no error


def test_pages_rendered_in_chunks_count_progress_over_all_of_them(monkeypatch):
    monkeypatch.setattr(build_module, "RENDER_CHUNK", 2)
    told: list[tuple[str, int, int]] = []

    def render_chunk(progress, jobs):
        progress("Rendering pages", len(jobs), len(jobs))
        return [f"<{job}>".encode() for job in jobs]

    outputs = build_module._in_chunks(render_chunk, lambda *a: told.append(a), list("abcde"))
    assert list(outputs) == [b"<a>", b"<b>", b"<c>", b"<d>", b"<e>"]
    assert told == [("Rendering pages", n, 5) for n in (2, 4, 5)]


def test_progress_is_silent_in_ci_and_when_quiet(monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "true")
    assert cli.Progress.for_stderr(quiet=False).stream is None
    monkeypatch.delenv("CI")
    assert cli.Progress.for_stderr(quiet=True).stream is None


def test_a_warm_build_without_the_output_folder_takes_pages_from_the_cache(site, tmp_path):
    build(site)
    shutil.rmtree(site / "public")  # as in CI, where only the cache is kept
    stderr = build(site)
    assert stderr.startswith("Built 0 pages, "), stderr
    assert tree(site / "public") == clean_build(site, tmp_path)


def test_a_link_by_file_name_follows_the_page_it_names(tmp_path):
    """Under a profile's ``links: stem``, ``[x](storage)`` names a page by its file name
    wherever it is: when that page moves, the cached HTML of the linking page is stale."""
    root = tmp_path / "site"
    write_files(
        root,
        {
            "commonsgen.yml": "title: Kit\nprofile:\n  links: stem\n"
            "  credit: {names: [Kit team]}\n  license: CC-BY-4.0\n",
            "content/index.md": "---\ntitle: Home\n---\nSee [where data goes](storage).\n",
            "content/a/storage.md": "---\ntitle: Storage\n---\nText.\n",
        },
    )
    build(root)
    (root / "content/b").mkdir()
    (root / "content/a/storage.md").rename(root / "content/b/storage.md")
    age(root / "content")
    build(root)
    assert tree(root / "public") == clean_build(root, tmp_path)
    assert b'href="b/storage/"' in (root / "public/index.html").read_bytes()


def test_the_code_digest_covers_the_whole_package():
    # Any of commonsgen's modules may change what a build writes, not only the cache's own.
    assert (diskcache.PACKAGE / "cli.py").is_file()
    assert (diskcache.PACKAGE / "markdown" / "html.py").is_file()


def _pickle_payload(marker: Path) -> bytes:
    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    import pickle

    return pickle.dumps(Payload())


def test_a_crafted_cache_entry_runs_nothing_and_is_ignored(site, tmp_path):
    """Every stored value replaced by a pickle that would run a command when loaded, or
    by well-formed data of the wrong shape: the build reads none of it as code, and writes
    the bytes of a clean build."""
    build(site)
    marker = tmp_path / "pwned"
    payload = _pickle_payload(marker)
    database = site / diskcache.CACHE_DIR / f"v{diskcache.FORMAT}" / diskcache.DATABASE
    wrong = b'{"c":["Page",1,2,3]}'
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE markdown SET value = ?", (payload,))
        connection.execute("UPDATE parsed SET value = ?", (wrong,))
        connection.execute("UPDATE meta SET value = ? WHERE name = 'report'", (payload,))
    connection.close()
    (site / "content/index.md").touch()  # not "nothing changed": every entry is read
    age(site / "content/index.md")
    stderr = build(site)
    assert "Traceback" not in stderr
    assert not marker.exists()
    assert tree(site / "public") == clean_build(site, tmp_path)


def test_a_cache_folder_that_git_tracks_is_not_used(site, tmp_path):
    """A pull request that commits .commonsgen-cache/ cannot feed the build its entries."""
    build(site)
    git = ["git", "-C", str(site), "-c", "user.name=t", "-c", "user.email=t@e.org"]
    import subprocess

    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "cache and all"], check=True)
    result = run_cli("build", str(site), cwd=site.parent)
    assert result.code == 0, result.stderr
    assert (
        "site/.commonsgen-cache: warning[untrusted-cache]: the build cache is not used: "
        "git tracks files in it" in result.stderr
    )
    assert "reused" not in result.stderr
    assert "git rm -r --cached .commonsgen-cache" in result.stderr


def test_a_cache_folder_that_is_a_link_is_not_used(site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / diskcache.CACHE_DIR).symlink_to(elsewhere)
    result = run_cli("build", str(site), cwd=site.parent)
    assert result.code == 0, result.stderr
    assert "warning[untrusted-cache]: the build cache is not used: it is a link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_fresh_file_is_known_by_its_content(tmp_path, monkeypatch):
    """Two saves within the clock tick can leave the whole stat signature as it was (the
    ctime too, on a coarse clock): the digest then goes by the file's bytes."""
    root = tmp_path / "site"
    root.mkdir()
    file = root / "a.md"
    now = diskcache.time.time_ns()
    signature = (now, 5, 1, now)  # modified just now
    monkeypatch.setattr(diskcache, "_walk", lambda top, skip: iter([(str(file), signature)]))

    def inputs(hashed_before=()):
        return diskcache.inputs_digest(b"code", root, tmp_path / "out", (), [], hashed_before)

    file.write_text("first")
    first = inputs()
    assert first.hashed == (str(file),) and first.digest == first.record
    file.write_text("other")  # the same signature, other bytes
    assert inputs().digest != first.digest
    file.write_text("first")
    later = (now - 10 * diskcache.FRESH_NS, 5, 1, now - 10 * diskcache.FRESH_NS)
    monkeypatch.setattr(diskcache, "_walk", lambda top, skip: iter([(str(file), later)]))
    # No longer fresh: compared by content with the build that knew it so, then recorded
    # by its signature alone.
    again = inputs(first.hashed)
    assert again.digest == first.digest
    assert again.hashed == () and again.record != again.digest
    file.write_text("other")
    assert inputs(first.hashed).digest != first.digest
