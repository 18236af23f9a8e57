import pytest

from commonsgen.output import (
    MARKER,
    BuildRunning,
    OutputRefused,
    Staged,
    check_location,
    lock_path,
    safe_join,
    write_new,
    write_site,
)


def test_refuses_the_site_folder_its_parents_and_the_content(tmp_path):
    site = tmp_path / "site"
    content = site / "content"
    content.mkdir(parents=True)
    protected = {"content": content}
    for bad in (site, tmp_path, content, content / "public"):
        with pytest.raises(OutputRefused):
            check_location(bad, site_root=site, protected=protected)
    check_location(site / "public", site_root=site, protected=protected)


def test_never_empties_a_folder_it_did_not_make(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(OutputRefused, match="was not made by commonsgen"):
        check_location(out, site_root=site, protected={})
    (out / "thesis.tex").unlink()
    check_location(out, site_root=site, protected={})  # empty is fine
    (out / MARKER).write_text("")
    (out / "old.html").write_text("")
    check_location(out, site_root=site, protected={})  # ours


def test_write_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "public"
    source = tmp_path / "img.png"
    source.write_bytes(b"png")
    write_site(out, {"index.html": b"one", "a/index.html": b"a"}, {"img/x.png": source})
    assert (out / "a" / "index.html").read_bytes() == b"a"
    assert (out / "img" / "x.png").read_bytes() == b"png"
    assert (out / MARKER).is_file()
    write_site(out, {"index.html": b"two"}, {})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_a_failed_write_leaves_the_old_site(tmp_path):
    out = tmp_path / "public"
    write_site(out, {"index.html": b"good"}, {})
    with pytest.raises(ValueError):
        write_site(out, {"index.html": b"new", "../escape.html": b"x"}, {})
    assert (out / "index.html").read_bytes() == b"good"
    assert not (tmp_path / "escape.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


@pytest.mark.parametrize(
    "bad",
    ["../x", "/etc/passwd", "a/../../x", "C:/x", "c:x", "a\\..\\x", "a\x00b", "", "a//b", "./a"],
)
def test_safe_join_refuses_escapes(tmp_path, bad):
    with pytest.raises(ValueError):
        safe_join(tmp_path, bad)


def test_safe_join_accepts_normal_paths(tmp_path):
    assert (
        safe_join(tmp_path, "guide/rivers/index.html")
        == tmp_path / "guide" / "rivers" / "index.html"
    )


def leftovers(tmp_path):
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))


def test_staged_files_are_on_disk_before_the_swap_and_in_place_after(tmp_path):
    out = tmp_path / "public"
    write_site(out, {"old.html": b"old"}, {})
    source = tmp_path / "logo.svg"
    source.write_bytes(b"<svg/>")
    staged = Staged(out, update=False)
    staged["index.html"] = b"home"
    staged["guide/index.html"] = b"guide"
    assert (staged.staging / "guide" / "index.html").read_bytes() == b"guide"
    assert (out / "old.html").read_bytes() == b"old"  # nothing in place yet
    assert staged["guide/index.html"] == b"guide"
    assert staged.finish({"logo.svg": source}) == 3
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        MARKER,
        "guide/index.html",
        "index.html",
        "logo.svg",
    ]
    assert dict(staged) == {"index.html": b"home", "guide/index.html": b"guide"}
    assert leftovers(tmp_path) == []


def test_files_written_by_other_processes_are_adopted(tmp_path):
    out = tmp_path / "public"
    staged = Staged(out, update=False)
    folder = staged.folder_for_workers
    assert folder is not None
    write_new(safe_join(folder, "a/b/index.html"), b"deep")  # its folders made on the way
    write_new(safe_join(folder, "a/index.html"), b"a")
    staged.adopt("a/b/index.html", 4)
    staged.adopt("a/index.html", 1)
    assert staged["a/b/index.html"] == b"deep" and len(staged) == 2
    assert staged.finish({}) == 2
    assert (out / "a/b/index.html").read_bytes() == b"deep"
    write_site(out, {"x.html": b"x"}, {})
    assert Staged(out, update=True).folder_for_workers is None  # compared with what is there


def test_a_discarded_staging_leaves_the_output_as_it_was(tmp_path):
    out = tmp_path / "public"
    write_site(out, {"index.html": b"old"}, {})
    for update in (False, True):
        staged = Staged(out, update=update)
        staged["index.html"] = b"new"
        staged.discard()
        assert (out / "index.html").read_bytes() == b"old"
        assert leftovers(tmp_path) == []


def test_an_update_writes_only_what_changed_and_removes_what_went(tmp_path):
    out = tmp_path / "public"
    write_site(
        out,
        {"same.html": b"same", "changed.html": b"before", "gone.html": b"x", "kept.html": b"k"},
        {},
    )
    same = (out / "same.html").stat().st_mtime_ns
    staged = Staged(out, update=True)
    staged["same.html"] = b"same"
    staged["changed.html"] = b"after"
    staged["gone.html/index.html"] = b"a file became a folder"
    assert sorted(
        p.relative_to(staged.staging).as_posix() for p in staged.staging.rglob("*") if p.is_file()
    ) == [
        "changed.html",
        "gone.html/index.html",
    ]
    assert staged.finish({}, kept={"kept.html"}) == 3  # changed, gone.html replaced, new
    assert (out / "same.html").stat().st_mtime_ns == same
    assert (out / "changed.html").read_bytes() == b"after"
    assert (out / "gone.html" / "index.html").read_bytes() == b"a file became a folder"
    assert (out / "kept.html").read_bytes() == b"k"
    assert staged["same.html"] == b"same" and staged["changed.html"] == b"after"
    assert leftovers(tmp_path) == []


def test_an_update_needs_a_folder_commonsgen_made(tmp_path):
    (tmp_path / "public").mkdir()
    with pytest.raises(ValueError, match=r"no \.commonsgen file"):
        Staged(tmp_path / "public", update=True)


def test_two_builds_of_one_folder_exclude_each_other_and_sibling_folders_do_not(tmp_path):
    first = Staged(tmp_path / "a", update=False)
    try:
        with pytest.raises(BuildRunning, match="another commonsgen build is writing into"):
            Staged(tmp_path / "a", update=False)
        sibling = Staged(tmp_path / "b", update=False)  # CI building two sites side by side
        sibling.discard()
    finally:
        first.discard()
    again = Staged(tmp_path / "a", update=False)  # released with the build
    again.discard()
    assert not lock_path(tmp_path / "a").exists()  # nothing left beside the site


def test_a_lock_file_left_by_a_killed_build_does_not_stop_the_next(tmp_path):
    lock_path(tmp_path / "a").write_bytes(b"")  # SIGKILL: the file stays, its lock does not
    staged = Staged(tmp_path / "a", update=False)
    staged["index.html"] = b"home"
    staged.finish({})
    assert (tmp_path / "a" / "index.html").read_bytes() == b"home"
    assert not lock_path(tmp_path / "a").exists()
