import pytest

from commonsgen.output import MARKER, OutputRefused, check_location, safe_join, write_site


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
