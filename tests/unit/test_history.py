"""Credits, dates and history pages from real git repositories made in temp folders."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from commonsgen import history
from commonsgen.build import BuildOptions, build
from commonsgen.config import load_config
from commonsgen.diagnostics import Report
from commonsgen.history import Exclusions, Signature, compile_patterns, forge_of, parse_log
from commonsgen.incremental.memo import BuildCache
from tests.conftest import write_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

CONFIG = """\
title: History Handbook
base_url: https://example.org/handbook/
default_license: CC-BY-4.0
repo_url: https://github.com/river/handbook
history:
  exclude_messages: ['\\btypo\\b']
"""

CONTRIBUTORS = """\
ada:
  name: Ada Mensah
  emails: [ada@example.org]
carol:
  name: Carol Diaz
  emails: [carol@example.org]
"""

PAGE = """\
---
title: Rivers
contributors: [ada]
---
{body}
"""


def git(
    repo: Path,
    *args: str,
    who: tuple[str, str] = ("Ada", "ada@old.example"),
    when: str = "2026-01-01",
) -> str:
    """Run git as ``who`` at noon UTC of ``when``, ignoring the user's own git config."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": who[0],
        "GIT_AUTHOR_EMAIL": who[1],
        "GIT_COMMITTER_NAME": who[0],
        "GIT_COMMITTER_EMAIL": who[1],
        "GIT_AUTHOR_DATE": f"{when}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{when}T12:00:00+00:00",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def commit(repo: Path, files: dict[str, str], message: str, **kw: object) -> str:
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, **kw)  # type: ignore[arg-type]
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Six commits by several people: a mailmap, a co-author, a bot, a rename, a typo fix
    and a formatting commit listed in .git-blame-ignore-revs."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(
        root,
        {
            "commonsgen.yml": CONFIG,
            "contributors.yml": CONTRIBUTORS,
            ".mailmap": "Ada Mensah <ada@example.org> <ada@old.example>\n"
            "Carol Diaz <carol@example.org> <carol@old.example>\n",
            "content/index.md": "---\ntitle: Home\ncontributors: [ada]\n---\nHello.\n",
            "content/rivers.md": PAGE.format(body="One."),
        },
        "Add rivers",
    )
    commit(
        root,
        {"content/rivers.md": PAGE.format(body="One. Two.")},
        "Add a paragraph\n\nCo-authored-by: carol <carol@old.example>\n",
        who=("Bob Stone", "bob@example.net"),
        when="2026-02-01",
    )
    commit(
        root,
        {"content/rivers.md": PAGE.format(body="One. Two. Bot.")},
        "Bump things",
        who=("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
        when="2026-03-01",
    )
    git(root, "mv", "content/rivers.md", "content/streams.md")
    commit(
        root, {}, "Rename rivers to streams", who=("Dan Wu", "dan@example.net"), when="2026-04-01"
    )
    commit(
        root,
        {"content/streams.md": PAGE.format(body="One. Two. Bot. Fixed.")},
        "Fix a typo",
        who=("Eve Park", "eve@example.net"),
        when="2026-05-01",
    )
    sha = commit(
        root,
        {"content/streams.md": PAGE.format(body="One.  Two.  Bot.  Fixed.")},
        "Reformat",
        who=("Fay Lund", "fay@example.net"),
        when="2026-06-01",
    )
    commit(root, {".git-blame-ignore-revs": f"# formatting\n{sha}\n"}, "Ignore reformat")
    return root


def test_history_credits_everyone_follows_renames_and_sets_dates(
    repo: Path, tmp_path: Path
) -> None:
    result = build(repo, BuildOptions(out=tmp_path / "out"))
    assert not result.failed, result.report.sorted()
    site = result.site
    assert site is not None and site.history is not None
    commits = site.history.commits_of("streams.md")
    assert [c.subject for c in commits] == [
        "Reformat",
        "Fix a typo",
        "Rename rivers to streams",
        "Bump things",
        "Add a paragraph",
        "Add rivers",
    ]
    # Ada is credited by the frontmatter; the mailmap maps the co-author to Carol's
    # registry email; the bot, the typo fix and the ignored formatting commit credit no one.
    edits = [(e.key, e.commits) for e in site.edits["streams.md"]]
    assert edits == [("bob-stone", 1), ("carol", 1), ("dan-wu", 1)]
    assert site.date_of("streams.md") == dt.date(2026, 1, 1)
    assert site.updated_of("streams.md") == dt.date(2026, 4, 1)
    assert site.people["carol"].name == "Carol Diaz"

    out = tmp_path / "out"
    html = (out / "streams/index.html").read_text(encoding="utf-8")
    assert "Edits by" in html and "Bob Stone" in html and "Carol Diaz" in html
    assert "Eve Park" not in html and "dependabot" not in html
    assert 'href="history/"' in html
    assert "https://github.com/river/handbook/edit/main/content/streams.md" in html
    assert "https://github.com/river/handbook/blob/main/content/streams.md" in html
    ld = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert [p["name"] for p in ld["contributor"]] == ["Bob Stone", "Carol Diaz", "Dan Wu"]
    assert ld["dateModified"] == "2026-04-01"

    page_history = (out / "streams/history/index.html").read_text(encoding="utf-8")
    for text in ("Add rivers", "Rename rivers to streams", "dependabot[bot]", "(not credited)"):
        assert text in page_history
    assert "Bob Stone</a> and" in page_history and "Carol Diaz" in page_history
    assert re.search(r"https://github.com/river/handbook/commit/[0-9a-f]{40}", page_history)

    credits_json = json.loads((out / "credits.json").read_text(encoding="utf-8"))
    work = next(w for w in credits_json["works"] if w["id"] == "streams.md")
    assert [e["key"] for e in work["edits_by"]] == ["bob-stone", "carol", "dan-wu"]
    assert work["history_url"] == "streams/history/"
    assert work["updated"] == "2026-04-01"
    bob = next(p for p in credits_json["contributors"] if p["key"] == "bob-stone")
    assert bob["works"] == [] and bob["edited"] == ["streams.md"]
    assert "Edits" in (out / "contributors/bob-stone/index.html").read_text(encoding="utf-8")


def test_same_commits_give_the_same_bytes(repo: Path, tmp_path: Path) -> None:
    build(repo, BuildOptions(out=tmp_path / "one"))
    build(repo, BuildOptions(out=tmp_path / "two"))
    one = {
        p.relative_to(tmp_path / "one"): p.read_bytes()
        for p in (tmp_path / "one").rglob("*")
        if p.is_file()
    }
    two = {
        p.relative_to(tmp_path / "two"): p.read_bytes()
        for p in (tmp_path / "two").rglob("*")
        if p.is_file()
    }
    assert one == two


def test_uncommitted_edits_are_now_only_when_asked(repo: Path, tmp_path: Path) -> None:
    (repo / "content/streams.md").write_text(PAGE.format(body="Changed."), encoding="utf-8")
    built = build(repo, BuildOptions(write=False))
    assert built.site is not None and built.site.updated_of("streams.md") == dt.date(2026, 4, 1)
    served = build(repo, BuildOptions(write=False, uncommitted_now=True))
    assert served.site is not None
    assert served.site.updated_of("streams.md") == dt.date.today()
    assert served.site.updated_of("index.md") == dt.date(2026, 1, 1)


def test_shallow_clone_is_reported_with_the_fix_and_still_builds(
    repo: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    result = build(clone, BuildOptions(out=tmp_path / "out"))
    shallow = [d for d in result.report.items if d.code == "shallow-history"]
    assert len(shallow) == 1 and "fetch-depth: 0" in (shallow[0].hint or "")
    assert result.written
    assert result.site is not None and result.site.history is not None
    assert len(result.site.history.commits_of("streams.md")) == 1
    # A site that builds from shallow clones on purpose can turn the warning off.
    (clone / "commonsgen.yml").write_text(
        CONFIG + "checks: {shallow-history: ignore, uncredited-contributor: ignore}\n",
        encoding="utf-8",
    )
    quiet = build(clone, BuildOptions(out=tmp_path / "quiet", strict=True))
    assert quiet.written and not quiet.report.items


def test_git_off_or_no_work_tree_builds_as_before(repo: Path, tmp_path: Path) -> None:
    off = build(repo, BuildOptions(out=tmp_path / "off", git=False))
    assert off.site is not None and off.site.history is None and not off.site.edits
    assert not (tmp_path / "off/streams/history").exists()

    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    auto = build(plain, BuildOptions(out=tmp_path / "auto"))
    assert auto.site is not None and auto.site.history is None
    assert not [d for d in auto.report.items if d.code.startswith(("git", "shallow"))]

    (plain / "commonsgen.yml").write_text(CONFIG + "git: true\n", encoding="utf-8")
    forced = build(plain, BuildOptions(out=tmp_path / "forced"))
    errors = [d for d in forced.report.items if d.code == "git-missing"]
    assert errors and errors[0].path == "commonsgen.yml" and errors[0].line == 7


def test_history_config_is_validated(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "commonsgen.yml": "title: T\ngit: sometimes\nhistory:\n  exclude_author: [x]\n"
            "repo_type: bitbucket\n"
        },
    )
    report = Report()
    assert load_config(tmp_path, report) is None
    messages = [(d.line, d.message) for d in report.items]
    assert messages[0] == (2, "git: expected auto, true or false, got 'sometimes'")
    assert messages[1][0] == 3 and "'exclude_authors'" in messages[1][1]
    assert messages[2][0] == 5 and "github, gitlab or forgejo" in messages[2][1]

    write_files(tmp_path, {"commonsgen.yml": "title: T\nhistory: {exclude_messages: ['(']}\n"})
    report = Report()
    assert load_config(tmp_path, report) is None
    assert "is not a regular expression" in report.items[0].message


def test_parse_log_follows_rename_chains_and_ends_at_a_re_add() -> None:
    def record(sha: str, *status: str) -> str:
        header = "\x1f".join([sha, "2026-01-01T00:00:00+00:00", "A", "a@x", "msg\n"])
        return "\x1e" + header + "\x1f\0\n" + "\0".join(status) + "\0"

    raw = (
        record("5", "M", "c.md")
        + record("4", "R100", "b.md", "c.md")
        + record("3", "R090", "a.md", "b.md")
        + record("2", "A", "a.md")
        + record("1", "D", "a.md")  # an older file of the same name, deleted: not this one
        + record("0", "A", "a.md")
    )
    _commits, files = parse_log(raw, lambda people: {}, Exclusions())
    assert files["c.md"] == ("5", "4", "3", "2")
    assert "a.md" not in files and "b.md" not in files


def test_bots_and_patterns_are_never_credited() -> None:
    assert Signature("renovate[bot]", "bot@example.org").is_bot
    assert Signature(
        "github-actions", "41898282+github-actions[bot]@users.noreply.github.com"
    ).is_bot
    assert not Signature("Ada", "12345+ada@users.noreply.github.com").is_bot
    rules = Exclusions(authors=compile_patterns(["@bots\\.example"], "exclude_authors"))
    people = (Signature("Ci", "ci@bots.example"), Signature("Ada", "ada@x"))
    assert rules.credits("s", "msg", people) == (Signature("Ada", "ada@x"),)


def test_forges_link_patterns() -> None:
    assert forge_of("https://gitlab.com/g/p", None) == "gitlab"
    assert forge_of("https://codeberg.org/o/r", None) == "forgejo"
    assert forge_of("https://git.example.org/o/r", None) is None
    links = history.RepoLinks("https://codeberg.org/o/r", "main", "forgejo")
    assert links.edit("content/a.md") == "https://codeberg.org/o/r/_edit/main/content/a.md"
    assert links.view("content/a.md") == "https://codeberg.org/o/r/src/branch/main/content/a.md"
    gitlab = history.RepoLinks("https://gitlab.com/g/p", "dev", "gitlab")
    assert gitlab.commit("abc") == "https://gitlab.com/g/p/-/commit/abc"


def test_site_in_a_subfolder_with_a_page_moved_in_from_outside(tmp_path: Path) -> None:
    """The site is a folder of a bigger repository; a draft written elsewhere and moved
    into the content folder keeps its history; links use the path from the repository top."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    config = CONFIG.replace("github.com/river/handbook", "gitlab.com/river/handbook")
    commit(
        root,
        {
            "docs/commonsgen.yml": config,
            "docs/contributors.yml": CONTRIBUTORS,
            "drafts/rivers.md": PAGE.format(body="Draft."),
            "src/code.py": "print()\n",
        },
        "Start",
        who=("Gil Sun", "gil@example.net"),
    )
    (root / "docs/content").mkdir()
    git(root, "mv", "drafts/rivers.md", "docs/content/rivers.md")
    commit(
        root,
        {"src/code.py": "print(1)\n"},
        "Publish the draft",
        who=("Gil Sun", "gil@example.net"),
        when="2026-02-01",
    )
    result = build(root / "docs", BuildOptions(out=tmp_path / "out"))
    assert not result.failed, result.report.sorted()
    site = result.site
    assert site is not None and site.history is not None
    assert site.history.prefix == "docs/content/"
    assert [c.subject for c in site.history.commits_of("rivers.md")] == [
        "Publish the draft",
        "Start",
    ]
    assert list(site.history.commits) == [
        site.history.files["rivers.md"][0],
        site.history.files["rivers.md"][1],
    ]
    assert [(e.key, e.commits) for e in site.edits["rivers.md"]] == [("gil-sun", 2)]
    html = (tmp_path / "out/rivers/index.html").read_text(encoding="utf-8")
    assert "https://gitlab.com/river/handbook/-/edit/main/docs/content/rivers.md" in html
    page_history = (tmp_path / "out/rivers/history/index.html").read_text(encoding="utf-8")
    assert "https://gitlab.com/river/handbook/-/commit/" in page_history


def test_serve_reads_the_commits_again_only_when_head_or_the_mailmap_moves(repo: Path) -> None:
    config = load_config(repo, Report())
    assert config is not None
    today = dt.date(2026, 11, 29)
    reads: list[int] = []

    def read(*args: object, **kw: object) -> history.History | None:
        reads.append(1)
        return history.read(*args, **kw)  # type: ignore[arg-type]

    memo = BuildCache().history(read)

    def now() -> history.History | None:
        return memo(config, Report(), enabled=None, today=today)

    first = now()
    assert first is not None and len(reads) == 1
    assert now() == first and len(reads) == 1  # nothing moved: the commits are kept
    (repo / "content/rivers.md").write_text(PAGE.format(body="Edited, not committed."))
    edited = now()
    assert len(reads) == 1
    assert edited == history.read(config, Report(), today=today)  # as read afresh
    assert edited is not None and "rivers.md" in edited.uncommitted
    commit(repo, {}, "Commit the edit", when="2026-03-01")
    assert now() == history.read(config, Report(), today=today) and len(reads) == 2
    (repo / ".mailmap").write_text("Ada M <ada@example.org> <ada@old.example>\n")
    assert now() == history.read(config, Report(), today=today) and len(reads) == 3
