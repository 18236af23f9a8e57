import os

from commonsgen.content.discover import discover, is_ignored_name
from commonsgen.diagnostics import Report


def test_sorted_and_skips_hidden_and_editor_files(tmp_path):
    content = tmp_path / "content"
    for rel in (
        "b.md",
        "a/z.md",
        "a/img.png",
        ".git/x",
        "a/.hidden.md",
        "a/.z.md.swp",
        "a/x.md~",
        "4913",
        "#a.md#",
    ):
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = discover(content, tmp_path, Report())
    assert [f.rel_path for f in found] == ["a/img.png", "a/z.md", "b.md"]
    assert found[1].site_path == "content/a/z.md"
    assert found[1].is_page and not found[0].is_page


def test_editor_temp_names():
    for name in (".#a.md", "a.md~", ".a.md.swp", "4913", "#a.md#"):
        assert is_ignored_name(name), name
    assert not is_ignored_name("a.md")


def test_symlink_leaving_the_site_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    site = tmp_path / "site"
    content = site / "content"
    content.mkdir(parents=True)
    (content / "ok.md").write_text("x")
    os.symlink(outside, content / "leak.txt")
    os.symlink(tmp_path, content / "up")
    os.symlink(content / "ok.md", content / "alias.md")
    report = Report()
    found = discover(content, site, report)
    assert [f.rel_path for f in found] == ["alias.md", "ok.md"]
    assert sorted(d.path for d in report.items) == ["content/leak.txt", "content/up"]
    assert all(d.code == "symlink-outside" for d in report.items)


def test_symlink_loop_does_not_hang(tmp_path):
    content = tmp_path / "content"
    (content / "a").mkdir(parents=True)
    (content / "a" / "p.md").write_text("x")
    os.symlink(content, content / "a" / "loop")
    found = discover(content, tmp_path, Report())
    assert "a/p.md" in [f.rel_path for f in found]
