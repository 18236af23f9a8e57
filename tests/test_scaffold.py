"""``commonsgen new``: a new site builds clean; a new page is prefilled; nothing is overwritten."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from commonsgen.build import BuildOptions, build
from commonsgen.scaffold import InstallSource, install_source, source_of_install
from tests.conftest import EXAMPLE_SITE, run_cli


@pytest.fixture
def git_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A real git configuration of our own: set(name, email) writes it with git itself."""
    config = tmp_path / "gitconfig"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")

    def set_user(name: str | None, email: str | None) -> None:
        for key, value in (("user.name", name), ("user.email", email)):
            args = ["git", "config", "--global"]
            args += [key, value] if value is not None else ["--unset-all", key]
            subprocess.run(args, check=value is not None, capture_output=True)

    return set_user


def new_site(tmp_path: Path, *args: str, name: str = "river-handbook") -> Path:
    result = run_cli("new", name, *args, cwd=tmp_path)
    assert result.code == 0, result.stderr
    return tmp_path / name


def read_frontmatter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_a_new_site_builds_and_checks_strict_with_no_diagnostics(tmp_path, git_user):
    git_user("Ada Mensah", "Ada@Example.org")
    site = new_site(tmp_path)
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/commonsgen.yml",
        ".gitignore",
        "commonsgen.yml",
        "content/index.md",
        "contributors.yml",
        "templates/README.md",
    ]
    result = build(site, BuildOptions(strict=True))
    assert result.report.sorted() == [], result.report.sorted()
    assert result.written
    home = (site / "public/index.html").read_text(encoding="utf-8")
    assert "River handbook" in home and "Ada Mensah" in home and "CC BY-SA 4.0" in home
    check = run_cli("check", "--strict", cwd=site)
    assert (check.code, check.stdout) == (0, ""), check.stdout + check.stderr
    built = run_cli("build", cwd=site)
    assert built.code == 0 and "warning" not in built.stderr, built.stderr

    registry = yaml.safe_load((site / "contributors.yml").read_text(encoding="utf-8"))
    assert registry == {"ada-mensah": {"name": "Ada Mensah", "emails": ["Ada@Example.org"]}}
    page = read_frontmatter(site / "content/index.md")
    assert page["contributors"] == ["ada-mensah"]
    assert page["date"] == dt.date.today()


def test_the_new_site_ignores_its_output_and_cache_and_ships_the_example_workflow(
    tmp_path, git_user
):
    git_user("Ada Mensah", None)
    site = new_site(tmp_path)
    config = yaml.safe_load((site / "commonsgen.yml").read_text(encoding="utf-8"))
    ignored = (site / ".gitignore").read_text(encoding="utf-8").split()
    assert f"/{config.get('output_dir', 'public')}/" in ignored
    assert "/.commonsgen-cache/" in ignored
    workflow = site / ".github/workflows/commonsgen.yml"
    # the example's workflow, but for what it installs (test_the_ci_workflow_installs_...)
    example = (EXAMPLE_SITE / ".github/workflows/commonsgen.yml").read_text(encoding="utf-8")
    ours = workflow.read_text(encoding="utf-8")
    installs = re.compile(r'pip install "[^"]+"')
    assert installs.sub("pip install X", ours) == installs.sub("pip install X", example)
    # The templates folder is an override folder: its README is never published.
    run_cli("build", cwd=site)
    assert not list((site / "public").rglob("README*"))


def test_options_set_title_language_and_licence(tmp_path, git_user):
    git_user(None, None)
    site = new_site(
        tmp_path,
        "--title",
        "Flusswacht: Handbuch #1",
        "--language",
        "de",
        "--license",
        "CC-BY-4.0",
        "--author",
        "Jonas Weber",
    )
    config = yaml.safe_load((site / "commonsgen.yml").read_text(encoding="utf-8"))
    assert config["title"] == "Flusswacht: Handbuch #1"
    assert (config["language"], config["default_license"]) == ("de", "CC-BY-4.0")
    registry = yaml.safe_load((site / "contributors.yml").read_text(encoding="utf-8"))
    assert registry == {"jonas-weber": {"name": "Jonas Weber"}}
    result = build(site, BuildOptions(strict=True))
    assert result.report.sorted() == []
    home = (site / "public/index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in home and "Flusswacht: Handbuch #1" in home


def test_a_licence_spelled_another_way_is_written_as_its_spdx_id(tmp_path, git_user):
    git_user("Ada", None)
    result = run_cli("new", "site", "--license", "CC BY-NC 4.0", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "CC-BY-NC-4.0" in result.stderr
    config = yaml.safe_load((tmp_path / "site/commonsgen.yml").read_text(encoding="utf-8"))
    assert config["default_license"] == "CC-BY-NC-4.0"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--license", "CC-BY-SA-4"], "did you mean CC-BY-SA-4.0?"),
        (["--license", "Handshake-Deal"], "use an SPDX id such as"),
        (["--language", "English"], "'English' is not a language code"),
        (["--title", "  "], "the title is empty"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(tmp_path, git_user, args, expected):
    git_user("Ada", None)
    result = run_cli("new", "site", *args, cwd=tmp_path)
    assert result.code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_folder_in_use_is_refused_and_left_as_it_was(tmp_path, git_user):
    git_user("Ada", None)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.md").write_text("my notes\n", encoding="utf-8")
    result = run_cli("new", "mine", cwd=tmp_path)
    assert result.code == 2
    assert "not empty (notes.md)" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.md"]
    assert (folder / "notes.md").read_text(encoding="utf-8") == "my notes\n"

    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    assert run_cli("new", "file", cwd=tmp_path).code == 2
    assert a_file.read_text(encoding="utf-8") == "x"


def test_an_empty_folder_or_a_fresh_git_repository_is_used(tmp_path, git_user):
    git_user("Ada", None)
    (tmp_path / "empty").mkdir()
    new_site(tmp_path, name="empty")
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    site = new_site(tmp_path, name="repo")
    assert (site / "commonsgen.yml").is_file()
    # Uncommitted files in a git work tree still build clean.
    assert build(site, BuildOptions(strict=True)).report.sorted() == []


def test_new_page_is_prefilled_from_the_site_and_git(tmp_path, git_user):
    git_user("Ada Mensah", "ada@example.org")
    site = new_site(tmp_path)
    git_user("Someone Else", "ADA@example.org")  # the e-mail decides, in any case
    result = run_cli("new", "page", "guides/field-visit", cwd=site)
    assert result.code == 0, result.stderr
    assert result.stderr.startswith("Created content/guides/field-visit.md")
    page = read_frontmatter(site / "content/guides/field-visit.md")
    assert page == {
        "title": "Field visit",
        "contributors": ["ada-mensah"],
        "license": "CC-BY-SA-4.0",
        "date": dt.date.today(),
    }
    assert build(site, BuildOptions(strict=True)).report.sorted() == []


def test_new_page_without_a_matching_email_leaves_contributors_to_the_writer(tmp_path, git_user):
    git_user("Ada Mensah", "ada@example.org")
    site = new_site(tmp_path)
    git_user("Visitor", "visitor@example.net")
    result = run_cli("new", "page", "about.md", "--title", "About: us", cwd=site)
    assert result.code == 0, result.stderr
    assert "visitor@example.net is in no entry of contributors.yml" in result.stderr
    page = read_frontmatter(site / "content/about.md")
    assert page["title"] == "About: us"
    assert page["contributors"] == []


def test_page_paths_are_relative_to_the_content_folder_or_to_a_folder_inside_it(tmp_path, git_user):
    git_user("Ada", "ada@example.org")
    site = new_site(tmp_path)
    content = site / "content"
    assert run_cli("new", "page", "content/a.md", cwd=site).code == 0
    assert (content / "a.md").is_file()
    assert run_cli("new", "page", "b.md", cwd=site).code == 0
    assert (content / "b.md").is_file()
    (content / "guides").mkdir()
    assert run_cli("new", "page", "kit.md", cwd=content / "guides").code == 0
    assert (content / "guides/kit.md").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("new", "page", "sensors/index.md", "--site", str(site), cwd=elsewhere)
    assert result.code == 0, result.stderr
    assert read_frontmatter(content / "sensors/index.md")["title"] == "Sensors"
    assert sorted(p.name for p in elsewhere.iterdir()) == []

    leaving = run_cli("new", "page", "../../outside.md", cwd=site)
    assert leaving.code == 2 and "would leave the content folder" in leaving.stderr


def test_new_page_never_overwrites_a_page(tmp_path, git_user):
    git_user("Ada", "ada@example.org")
    site = new_site(tmp_path)
    home = site / "content/index.md"
    before = home.read_bytes()
    result = run_cli("new", "page", "index.md", cwd=site)
    assert result.code == 2
    assert "already exists" in result.stderr
    assert home.read_bytes() == before


def test_new_page_outside_a_site_says_how_to_name_one(tmp_path, git_user):
    git_user("Ada", None)
    result = run_cli("new", "page", "a.md", cwd=tmp_path)
    assert result.code == 2
    assert "no commonsgen.yml" in result.stderr and "--site" in result.stderr
    assert not (tmp_path / "a.md").exists()
    missing = run_cli("new", "page", cwd=tmp_path)
    assert missing.code == 2 and "give the new page's path" in missing.stderr


def test_the_installed_command_creates_a_site(tmp_path, git_user):
    """A process of its own, as a user runs it."""
    git_user("Ada", "ada@example.org")
    done = subprocess.run(
        [sys.executable, "-m", "commonsgen", "new", "handbook", "--title", "Handbook"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "commonsgen serve" in done.stderr
    check = subprocess.run(
        [sys.executable, "-m", "commonsgen", "check", "--strict"],
        cwd=tmp_path / "handbook",
        capture_output=True,
        text=True,
        check=False,
    )
    assert (check.returncode, check.stdout) == (0, ""), check.stdout + check.stderr


def test_a_page_of_a_site_without_a_default_licence_says_to_give_one(tmp_path, git_user):
    git_user("Ada", "ada@example.org")
    site = new_site(tmp_path)
    config = site / "commonsgen.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("default_license:", "# default_license:"),
        encoding="utf-8",
    )
    result = run_cli("new", "page", "a.md", cwd=site)
    assert result.code == 0, result.stderr
    assert "the site has no default_license" in result.stderr
    text = (site / "content/a.md").read_text(encoding="utf-8")
    assert "\n# license: CC-BY-4.0" in text and "\nlicense:" not in text


def test_a_broken_config_is_shown_instead_of_guessing_the_pages_defaults(tmp_path, git_user):
    git_user("Ada", "ada@example.org")
    site = new_site(tmp_path)
    (site / "commonsgen.yml").write_text("title: [unclosed\n", encoding="utf-8")
    result = run_cli("new", "page", "a.md", cwd=site)
    assert result.code == 2
    assert "commonsgen.yml cannot be used" in result.stderr and "commonsgen.yml:" in result.stderr
    assert not (site / "content/a.md").exists()


def test_the_ci_workflow_installs_the_commonsgen_that_wrote_it():
    assert source_of_install("0.3.1", None).requirement == "commonsgen==0.3.1"
    git = source_of_install(
        "0.3.1",
        '{"url": "https://codeberg.org/x/commonsgen.git", '
        '"vcs_info": {"vcs": "git", "commit_id": "0a1b2c", "requested_revision": "v0.3.1"}}',
    )
    assert git == InstallSource("commonsgen @ git+https://codeberg.org/x/commonsgen.git@0a1b2c")
    archive = source_of_install("0.3.1", '{"url": "https://example.org/cg-0.3.1.tar.gz"}')
    assert archive.requirement == "commonsgen @ https://example.org/cg-0.3.1.tar.gz"
    for local in (
        '{"url": "file:///home/ada/commonsgen", "dir_info": {"editable": true}}',
        "not json",
        '{"url": "https://example.org/$(id)"}',
    ):
        source = source_of_install("0.3.1", local)
        assert source.requirement == "commonsgen==0.3.1"
        assert source.note is not None and "--install-from" in source.note


def test_install_from_is_written_into_the_workflow_and_checked(tmp_path, git_user):
    git_user("Ada", "ada@example.org")
    url = "git+https://codeberg.org/x/commonsgen.git@v0.3.1"
    result = run_cli("new", str(tmp_path / "site"), "--install-from", url)
    assert result.code == 0, result.stderr
    workflow = (tmp_path / "site/.github/workflows/commonsgen.yml").read_text(encoding="utf-8")
    assert workflow.count(f'pip install "{url}"') == 2
    assert "installed from a local folder" not in result.stderr
    for bad in ('x" && curl evil', "x\nrun: id", "$(id)"):
        refused = run_cli("new", str(tmp_path / "other"), "--install-from", bad)
        assert refused.code == 2 and "is not a pip requirement" in refused.stderr
        assert not (tmp_path / "other").exists()
    page_flag = run_cli(
        "new", "page", "a.md", "--site", str(tmp_path / "site"), "--install-from", url
    )
    assert page_flag.code == 2 and "--install-from is for a new site" in page_flag.stderr


def test_a_site_made_by_a_local_install_says_what_its_workflow_installs(tmp_path, git_user):
    git_user("Ada", "ada@example.org")
    result = run_cli("new", str(tmp_path / "site"))
    assert result.code == 0, result.stderr
    workflow = (tmp_path / "site/.github/workflows/commonsgen.yml").read_text(encoding="utf-8")
    installs = re.findall(r'pip install "([^"]+)"', workflow)
    expected = install_source()  # this checkout is installed with -e: a local folder
    assert installs == [expected.requirement] * 2
    assert ("installed from a local folder" in result.stderr) == (expected.note is not None)
