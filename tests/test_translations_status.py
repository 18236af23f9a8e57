"""Translation status (current / outdated / unknown) from real git repositories in temp folders."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, BuildResult, build
from commonsgen.history import RepoLinks, forge_of
from commonsgen.incremental import textedit as bodyedit
from commonsgen.incremental.memo import BuildCache
from commonsgen.model import PageId
from commonsgen.translations import TranslationStatus, body_hash
from tests.browser import Published, axe_script, color_scheme, goto
from tests.cdp import Browser
from tests.conftest import EXAMPLE_SITE, run_cli, write_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

CONFIG = """\
title: Handbook
base_url: https://example.org/
language: en
languages:
  en: English
  de: Deutsch
default_license: CC-BY-4.0
repo_url: https://github.com/river/handbook
checks: {no-contributors: ignore, uncredited-contributor: ignore}
history:
  exclude_messages: ['\\btypo\\b']
"""

ORIGINAL = """\
---
title: Rivers
{extra}---
Rivers carry water to the sea.
{more}
"""

TRANSLATION = """\
---
title: Flüsse
translation_of: {of}
---
Flüsse tragen Wasser ins Meer.
{more}
"""


def git(repo: Path, *args: str, when: str = "2026-01-01") -> str:
    """Run git at noon UTC of ``when``, ignoring the user's own git config."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.org",
        "GIT_AUTHOR_DATE": f"{when}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{when}T12:00:00+00:00",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def commit(repo: Path, files: dict[str, str], message: str, when: str) -> str:
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD").strip()


def original(extra: str = "", more: str = "") -> str:
    return ORIGINAL.format(extra=extra, more=more)


def translation(of: str = "../rivers.md", more: str = "") -> str:
    return TRANSLATION.format(of=of, more=more)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An English page and its German translation, committed after it."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(
        root,
        {"commonsgen.yml": CONFIG, "content/rivers.md": original()},
        "Add rivers",
        "2026-01-01",
    )
    commit(root, {"content/de/rivers.md": translation()}, "Translate rivers", "2026-01-05")
    return root


def status(repo: Path) -> tuple[BuildResult, TranslationStatus]:
    result = build(repo, BuildOptions(write=False))
    assert result.site is not None, result.report.items
    return result, result.site.translation_status[PageId("de/rivers.md")]


def outdated_warnings(result: BuildResult) -> list[str]:
    return [d.message for d in result.report.items if d.code == "translation-outdated"]


def test_a_translation_made_after_its_original_is_current(repo: Path) -> None:
    result, found = status(repo)
    assert found.status == "current" and found.basis == "history"
    assert found.behind == 0
    assert not outdated_warnings(result)


def test_a_change_to_the_original_makes_it_outdated_and_check_says_so(repo: Path) -> None:
    head = commit(
        repo,
        {"content/rivers.md": original(more="They also carry sediment.")},
        "Explain sediment",
        "2026-02-01",
    )
    result, found = status(repo)
    assert found.status == "outdated"
    assert (found.behind, found.head) == (1, head)
    assert str(found.latest) == "2026-02-01"
    assert outdated_warnings(result) == [
        "this translation is 1 change behind its original 'content/rivers.md', "
        "the latest on 2026-02-01"
    ]
    text = run_cli("check", str(repo))
    assert text.code == 0
    assert "content/de/rivers.md:3:1: warning[translation-outdated]" in text.stdout
    as_json = json.loads(run_cli("check", "--format", "json", str(repo)).stdout)
    found_json = [d for d in as_json if d["code"] == "translation-outdated"]
    assert found_json[0]["path"].endswith("content/de/rivers.md")
    assert "1 change behind" in found_json[0]["message"]
    github = run_cli("check", "--format", "github", str(repo)).stdout
    assert "::warning file=" in github and "translation-outdated" in github
    assert run_cli("check", "--strict", str(repo)).code == 1
    (repo / "commonsgen.yml").write_text(
        CONFIG.replace(
            "uncredited-contributor: ignore",
            "uncredited-contributor: ignore, translation-outdated: error",
        ),
        encoding="utf-8",
    )
    assert run_cli("check", str(repo)).code == 1


def test_frontmatter_alone_and_excluded_commits_do_not_count_unless_asked(repo: Path) -> None:
    commit(repo, {"content/rivers.md": original(extra="tags: [water]\n")}, "Tag it", "2026-02-01")
    commit(
        repo,
        {"content/rivers.md": original(extra="tags: [water]\n", more="Fix a typo.")},
        "Fix typo",
        "2026-02-02",
    )
    _, found = status(repo)
    assert found.status == "current", found
    for key, behind in (("count_frontmatter", 1), ("count_excluded", 1)):
        (repo / "commonsgen.yml").write_text(
            CONFIG + f"translations:\n  {key}: true\n", encoding="utf-8"
        )
        _, found = status(repo)
        assert (found.status, found.behind) == ("outdated", behind), key


def test_updating_the_translation_makes_it_current_again(repo: Path) -> None:
    commit(repo, {"content/rivers.md": original(more="Sediment.")}, "Sediment", "2026-02-01")
    commit(repo, {"content/de/rivers.md": translation(more="Sediment.")}, "Update", "2026-02-03")
    _, found = status(repo)
    assert found.status == "current"


def test_a_pinned_revision_wins_over_the_translations_later_commits(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD~1").strip()
    head = commit(repo, {"content/rivers.md": original(more="Sediment.")}, "Sediment", "2026-02-01")
    pinned = f"{{page: ../rivers.md, revision: {first[:10]}}}"
    commit(
        repo,
        {"content/de/rivers.md": translation(of=pinned, more="Kleinigkeit.")},
        "Reword",
        "2026-02-03",
    )
    _, found = status(repo)
    assert (found.status, found.basis, found.followed) == ("outdated", "revision", first)
    assert found.behind == 1
    commit(
        repo,
        {"content/de/rivers.md": translation(of=f"{{page: ../rivers.md, revision: {head}}}")},
        "Pin",
        "2026-02-04",
    )
    _, found = status(repo)
    assert (found.status, found.basis) == ("current", "revision")


def test_a_pinned_revision_not_in_the_history_is_unknown_with_a_warning(repo: Path) -> None:
    commit(
        repo,
        {"content/de/rivers.md": translation(of="{page: ../rivers.md, revision: 1234567abc}")},
        "Pin",
        "2026-02-04",
    )
    result, found = status(repo)
    assert found.status == "unknown"
    warned = [d for d in result.report.items if d.code == "translation-unknown"]
    assert warned and "1234567abc" in warned[0].message


def test_renaming_the_original_keeps_its_history(repo: Path) -> None:
    git(repo, "mv", "content/rivers.md", "content/streams.md")
    commit(repo, {"content/de/rivers.md": translation(of="../streams.md")}, "Rename", "2026-02-01")
    result = build(repo, BuildOptions(write=False))
    assert result.site is not None
    found = result.site.translation_status[PageId("de/rivers.md")]
    assert (found.status, found.original) == ("current", "streams.md")
    commit(repo, {"content/streams.md": original(more="Streams.")}, "Streams", "2026-02-02")
    result = build(repo, BuildOptions(write=False))
    assert result.site is not None
    assert result.site.translation_status[PageId("de/rivers.md")].behind == 1


def test_a_shallow_clone_decides_by_a_pinned_hash_only(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"content/rivers.md": original(more="Sediment.")}, "Sediment", "2026-02-01")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    result, found = status(clone)
    assert found.status == "unknown"
    assert not outdated_warnings(result)
    old_hash = body_hash(original())
    write_files(
        clone,
        {"content/de/rivers.md": translation(of=f"{{page: ../rivers.md, hash: '{old_hash}'}}")},
    )
    result, found = status(clone)
    assert (found.status, found.basis) == ("outdated", "hash")
    assert outdated_warnings(result)


def test_without_git_a_pinned_hash_decides_and_a_revision_alone_is_unknown(
    repo: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    now = body_hash((plain / "content/rivers.md").read_text(encoding="utf-8"))
    cases = {
        f"{{page: ../rivers.md, hash: '{now[:19]}'}}": "current",
        f"{{page: ../rivers.md, hash: '{body_hash('other')}'}}": "outdated",
        "{page: ../rivers.md, revision: 1234567}": "unknown",
        "../rivers.md": "unknown",
    }
    for of, expected in cases.items():
        write_files(plain, {"content/de/rivers.md": translation(of=of)})
        _, found = status(plain)
        assert found.status == expected, of


def test_the_content_hash_ignores_frontmatter_and_line_ends() -> None:
    assert body_hash("---\ntitle: A\n---\nText.\n") == body_hash(
        "---\ntitle: B\n---\r\nText.  \r\n\n"
    )
    assert body_hash("---\ntitle: A\n---\nText.\n") != body_hash("---\ntitle: A\n---\nText!\n")


def test_bad_pins_are_errors_at_their_line(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {
            "commonsgen.yml": CONFIG + "git: false\n",
            "content/rivers.md": original(),
            "content/de/rivers.md": translation(
                of="\n  page: ../rivers.md\n  revision: main\n  hash: md5:abc\n  pinned: yes"
            ),
        },
    )
    result = build(site, BuildOptions(write=False))
    found = sorted(
        (d.line, d.code, d.message) for d in result.report.items if d.path.endswith("de/rivers.md")
    )
    assert found == [
        (5, "bad-pin", "revision 'main' is not a git commit id"),
        (6, "bad-pin", "hash 'md5:abc' is not a content hash"),
        (7, "unknown-field", "unknown translation_of field 'pinned'"),
    ]


def outdated_repo(repo: Path) -> str:
    """The fixture with the original changed twice since its translation; the head sha."""
    commit(repo, {"content/rivers.md": original(more="Sediment.")}, "Sediment", "2026-02-01")
    return commit(
        repo, {"content/rivers.md": original(more="Sediment and fish.")}, "Fish", "2026-02-10"
    )


def test_the_notice_in_the_readers_language_links_the_original_and_the_diff(
    repo: Path, tmp_path: Path
) -> None:
    head = outdated_repo(repo)
    first = git(repo, "rev-parse", "HEAD~2").strip()
    out = tmp_path / "out"
    result = build(repo, BuildOptions(out=out))
    assert result.written, result.report.items
    html = (out / "de/rivers/index.html").read_text(encoding="utf-8")
    notice = html[html.index("<aside") : html.index("</aside>")]
    assert 'data-translation-status="outdated"' in notice
    assert "Das Original dieser Übersetzung wurde seit der Übersetzung geändert." in notice
    assert "2 Änderungen, die letzte am 2026-02-10." in notice
    assert 'href="../../rivers/"' in notice and "Zum Original" in notice
    assert f"https://github.com/river/handbook/compare/{first}...{head}" in notice
    assert "data-translation-status" not in (out / "rivers/index.html").read_text(encoding="utf-8")
    ld = html[html.index('"translationOfWork"') :]
    assert f'"version":"{first}"' in ld[: ld.index("}")]
    assert '"dateModified":"2026-01-05"' in ld[: ld.index("}")]
    data = json.loads((out / "credits.json").read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["translations"] == [
        {
            "page": "de/rivers.md",
            "lang": "de",
            "url": "de/rivers/",
            "original": "rivers.md",
            "status": "outdated",
            "decided_by": "history",
            "follows_revision": first,
            "follows_date": "2026-01-05",
            "commits_behind": 2,
            "outdated_since": "2026-02-01",
            "last_change": "2026-02-10",
        }
    ]


def test_the_status_page_lists_originals_furthest_behind_first(repo: Path, tmp_path: Path) -> None:
    commit(
        repo,
        {
            "content/lakes.md": ORIGINAL.replace("Rivers", "Lakes").format(extra="", more=""),
            "content/de/lakes.md": TRANSLATION.replace("Flüsse", "Seen").format(
                of="../lakes.md", more=""
            ),
            "content/sea.md": ORIGINAL.replace("Rivers", "Sea").format(extra="", more=""),
        },
        "Lakes",
        "2026-01-06",
    )
    outdated_repo(repo)
    out = tmp_path / "out"
    result = build(repo, BuildOptions(out=out))
    assert result.written, result.report.items
    page = (out / "translations/index.html").read_text(encoding="utf-8")
    assert page.index(">Rivers</a>") < page.index(">Lakes</a>")
    assert 'data-behind="2"' in page and 'data-behind="0"' in page
    assert "2 changes behind, since 2026-02-01" in page
    assert ">Sea<" not in page  # a page nobody translates is no row
    german = (out / "de/translations/index.html").read_text(encoding="utf-8")
    assert "<h1>Stand der Übersetzungen</h1>" in german
    assert "1 aktuell, 1 veraltet, 0 unbekannt, 0 noch nicht übersetzt" in german
    footer = (out / "rivers/index.html").read_text(encoding="utf-8")
    assert 'href="../translations/">Translation status</a>' in footer


def test_the_notice_can_be_switched_off_or_wait_some_days(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outdated_repo(repo)

    def notice(config: str, epoch: str | None = None) -> bool:
        (repo / "commonsgen.yml").write_text(CONFIG + config, encoding="utf-8")
        if epoch is None:
            monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        result = build(repo, BuildOptions(write=False))
        assert not result.failed, result.report.items
        html = result.files["de/rivers/index.html"].decode("utf-8")
        return 'data-translation-status="outdated"' in html

    assert notice("")
    assert not notice("translations: {notice: false}\n")
    # Outdated since 2026-02-01; the newest commit is of 2026-02-10: 9 days.
    assert notice("translations: {notice_after_days: 9}\n")
    assert not notice("translations: {notice_after_days: 10}\n")
    march = str(int(dt.datetime(2026, 3, 1, tzinfo=dt.UTC).timestamp()))
    assert notice("translations: {notice_after_days: 10}\n", epoch=march)
    result = build(repo, BuildOptions(write=False))
    assert "translation-outdated" in {d.code for d in result.report.items}


def serve_rebuild(cache: BuildCache, root: Path, changed: Path) -> BuildResult:
    """What ``serve`` does after an edit: the quick rebuild, else a build through the memos."""
    quick = bodyedit.rebuild(cache, [changed])
    return quick if quick is not None else build(root, SERVE, cache=cache)


SERVE = BuildOptions(write=False, uncommitted_now=True)


def test_serve_marks_a_translation_outdated_on_the_rebuild_after_an_edit(repo: Path) -> None:
    cache = BuildCache()
    first = build(repo, SERVE, cache=cache)
    assert 'data-translation-status="outdated"' not in first.files["de/rivers/index.html"].decode()
    path = repo / "content/rivers.md"
    path.write_text(original(more="Sediment, not yet committed."), encoding="utf-8")
    after = serve_rebuild(cache, repo, path)
    assert 'data-translation-status="outdated"' in after.files["de/rivers/index.html"].decode()
    assert after.site is not None
    found = after.site.translation_status[PageId("de/rivers.md")]
    assert (found.status, found.behind) == ("outdated", 1)
    # A second edit of the uncommitted original takes the quick way, and the notice stays.
    path.write_text(original(more="Sediment, still not committed."), encoding="utf-8")
    again = bodyedit.rebuild(cache, [path])
    assert again is not None
    assert 'data-translation-status="outdated"' in again.files["de/rivers/index.html"].decode()
    # Undoing the edit makes the translation current again.
    path.write_text(original(), encoding="utf-8")
    back = serve_rebuild(cache, repo, path)
    assert "data-translation-status" not in back.files["de/rivers/index.html"].decode()


def test_serve_follows_a_hash_pinned_original_without_git(tmp_path: Path) -> None:
    text = original()
    root = write_files(
        tmp_path / "site",
        {
            "commonsgen.yml": CONFIG + "git: false\n",
            "content/rivers.md": text,
            "content/de/rivers.md": translation(
                of=f"{{page: ../rivers.md, hash: '{body_hash(text)}'}}"
            ),
        },
    )
    cache = BuildCache()
    first = build(root, SERVE, cache=cache)
    assert "data-translation-status" not in first.files["de/rivers/index.html"].decode()
    path = root / "content/rivers.md"
    path.write_text(original(more="More."), encoding="utf-8")
    after = serve_rebuild(cache, root, path)
    assert 'data-translation-status="outdated"' in after.files["de/rivers/index.html"].decode()
    assert outdated_warnings(after)


def test_pin_writes_the_originals_last_commit_touching_translation_of_alone(repo: Path) -> None:
    head = outdated_repo(repo)
    path = repo / "content/de/rivers.md"
    before = path.read_text(encoding="utf-8")
    dry = run_cli("translations", "pin", "--site", str(repo), str(path), "--dry-run")
    assert dry.code == 0, dry.stderr
    assert f'+translation_of: {{page: ../rivers.md, revision: "{head}"}}' in dry.stdout
    assert "-translation_of: ../rivers.md" in dry.stdout
    assert path.read_text(encoding="utf-8") == before
    done = run_cli("translations", "pin", "content/de/rivers.md", cwd=repo)
    assert done.code == 0, done.stderr
    assert f"content/de/rivers.md: pinned revision {head[:12]} of content/rivers.md" in done.stderr
    after = path.read_text(encoding="utf-8")
    assert after == before.replace(
        "translation_of: ../rivers.md",
        f'translation_of: {{page: ../rivers.md, revision: "{head}"}}',
    )
    _, found = status(repo)
    assert (found.status, found.basis) == ("current", "revision")
    again = run_cli("translations", "pin", "content/de/rivers.md", cwd=repo)
    assert "already pins" in again.stderr and path.read_text(encoding="utf-8") == after


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "translation_of:   '../rivers.md'   # the English page\n",
            "translation_of:   {page: '../rivers.md', hash: \"H\"}   # the English page\n",
        ),
        (
            "translation_of: {page: ../rivers.md, changes: kürzer, revision: 1234567}\n",
            'translation_of: {page: ../rivers.md, changes: kürzer, hash: "H"}\n',
        ),
        (
            "translation_of:\n  page: ../rivers.md  # original\n  hash: sha256:0123456789ab\n"
            "  changes: shorter\nweight: 2\n",
            "translation_of:\n  page: ../rivers.md  # original\n  changes: shorter\n"
            '  hash: "H"\nweight: 2\n',
        ),
    ],
)
def test_pin_rewrites_every_form_of_translation_of_and_nothing_else(
    tmp_path: Path, written: str, expected: str
) -> None:
    text = original()
    page = "---\ntitle: Flüsse\n{}---\nFlüsse tragen Wasser.\r\n"
    root = write_files(
        tmp_path / "site",
        {"commonsgen.yml": CONFIG + "git: false\n", "content/rivers.md": text},
    )
    path = root / "content/de/rivers.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(page.format(written).replace("\n", "\r\n").encode("utf-8"))
    done = run_cli("translations", "pin", "--site", str(root), str(path))
    assert done.code == 0, done.stderr
    wanted = page.format(expected.replace("H", body_hash(text))).replace("\n", "\r\n")
    assert path.read_bytes().decode("utf-8") == wanted
    _, found = status(root)
    assert (found.status, found.basis) == ("current", "hash")


def test_pin_says_what_is_wrong_with_a_page_that_is_no_translation(repo: Path) -> None:
    done = run_cli("translations", "pin", "content/rivers.md", "nowhere.md", cwd=repo)
    assert done.code == 1
    assert "content/rivers.md: the page has no translation_of" in done.stderr
    assert "nowhere.md: no page of the site" in done.stderr
    assert "Traceback" not in done.stderr


def test_example_site_shows_one_outdated_german_page_through_its_pinned_hash(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    result = build(EXAMPLE_SITE, BuildOptions(out=out, git=False))
    assert result.written and result.site is not None
    statuses = {pid: s.status for pid, s in result.site.translation_status.items()}
    assert [pid for pid, s in statuses.items() if s == "outdated"] == ["de/monitoring/safety.md"]
    assert set(statuses.values()) == {"outdated", "current"}
    notices = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*.html")
        if 'data-translation-status="outdated"' in p.read_text(encoding="utf-8")
        and "translation-notice" in p.read_text(encoding="utf-8")
    )
    assert notices == ["de/monitoring/sicherheit/index.html"]
    german = (out / "de/translations/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-behind="(\d+)"', german)
    assert rows[0] == "1" and set(rows[1:]) == {"0"}
    assert "5 aktuell, 1 veraltet, 0 unbekannt" in german


def test_the_notice_passes_axe_in_light_and_dark(browser: Browser, published: Published) -> None:
    """Only the notice: the rest of that page is the accessibility tests' (every kind of
    page there, whose German page with a task list is not this feature's)."""
    goto(browser, published.url + "de/monitoring/sicherheit/")
    browser.evaluate(axe_script())
    for scheme in ("light", "dark"):
        color_scheme(browser, scheme)
        found = browser.evaluate(
            "axe.run({include: ['.translation-notice']}, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => v.id))"
        )
        assert found == [], scheme
    assert browser.evaluate(
        "document.querySelector('[data-translation-status=\"outdated\"] a').textContent"
    ).startswith("Zum Original")


def test_the_build_cache_never_keeps_a_stale_notice(repo: Path, tmp_path: Path) -> None:
    def notice(root: Path) -> bool:
        done = run_cli("build", str(root))
        assert done.code == 0, done.stderr
        html = (root / "public/de/rivers/index.html").read_text(encoding="utf-8")
        return 'data-translation-status="outdated"' in html

    assert not notice(repo)
    commit(repo, {"content/rivers.md": original(more="More.")}, "More", "2026-02-01")
    assert notice(repo)
    commit(repo, {"content/de/rivers.md": translation(more="Mehr.")}, "Mehr", "2026-02-02")
    assert not notice(repo)
    plain = tmp_path / "plain"
    shutil.copytree(
        repo, plain, ignore=shutil.ignore_patterns(".git", "public", ".commonsgen-cache")
    )
    pinned = f"{{page: ../rivers.md, hash: '{body_hash(original(more='More.'))}'}}"
    write_files(plain, {"content/de/rivers.md": translation(of=pinned)})
    assert not notice(plain)
    write_files(plain, {"content/rivers.md": original(more="Even more.")})
    assert notice(plain)


@pytest.mark.parametrize(
    ("repo_url", "expected"),
    [
        ("https://github.com/river/handbook", "https://github.com/river/handbook/compare/A...B"),
        ("https://gitlab.com/river/handbook", "https://gitlab.com/river/handbook/-/compare/A...B"),
        (
            "https://codeberg.org/river/handbook",
            "https://codeberg.org/river/handbook/compare/A...B",
        ),
    ],
)
def test_the_diff_link_is_each_forges_compare_view(repo_url: str, expected: str) -> None:
    links = RepoLinks(repo_url, "main", forge_of(repo_url, None) or "")
    assert links.compare("A", "B") == expected
    assert links.compare("A", None) == expected.replace("...B", "...main")


def test_the_translations_settings_are_checked_with_their_line(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "site",
        {
            "commonsgen.yml": CONFIG + "translations:\n  notice: maybe\n",
            "content/rivers.md": original(),
        },
    )
    done = run_cli("check", str(root))
    assert done.code == 2
    assert "translations: notice: expected true or false, got 'maybe'" in done.stdout
    write_files(root, {"commonsgen.yml": CONFIG + "translations: {notice_after_day: 3}\n"})
    done = run_cli("check", str(root))
    assert "unknown key 'notice_after_day'; did you mean 'notice_after_days'?" in done.stdout
    write_files(root, {"commonsgen.yml": CONFIG + "translations: {notice_after_days: -1}\n"})
    done = run_cli("check", str(root))
    assert "expected a number of days (0 or more), got the number -1" in done.stdout


def test_pin_takes_the_hash_when_no_commit_has_the_originals_text(repo: Path) -> None:
    path = repo / "content/rivers.md"
    path.write_text(original(more="Not committed yet."), encoding="utf-8")
    done = run_cli("translations", "pin", "content/de/rivers.md", cwd=repo)
    assert done.code == 0, done.stderr
    text = (repo / "content/de/rivers.md").read_text(encoding="utf-8")
    assert f'hash: "{body_hash(path.read_text(encoding="utf-8"))}"' in text
    _, found = status(repo)
    assert (found.status, found.basis) == ("current", "hash")


def test_a_pinned_revision_may_be_any_commit_such_as_the_head_of_the_day(repo: Path) -> None:
    commit(repo, {"README.md": "The handbook.\n"}, "Readme", "2026-01-10")
    head = git(repo, "rev-parse", "HEAD").strip()  # changes no page
    commit(repo, {"content/rivers.md": original(more="Sediment.")}, "Sediment", "2026-02-01")
    commit(
        repo,
        {"content/de/rivers.md": translation(of=f"{{page: ../rivers.md, revision: {head}}}")},
        "Pin",
        "2026-02-03",
    )
    _, found = status(repo)
    assert (found.status, found.basis, found.behind) == ("outdated", "revision", 1)
    assert str(found.followed_date) == "2026-01-05"  # the newest page commit it descends from


def test_a_change_to_the_translations_frontmatter_alone_does_not_bring_it_up_to_date(
    repo: Path,
) -> None:
    commit(repo, {"content/rivers.md": original(more="Sediment.")}, "Sediment", "2026-02-01")
    tagged = translation().replace("title: Flüsse\n", "title: Flüsse\ntags: [wasser]\n")
    commit(repo, {"content/de/rivers.md": tagged}, "Tag the German pages", "2026-02-02")
    _, found = status(repo)
    assert (found.status, found.behind) == ("outdated", 1)
    commit(repo, {"content/de/rivers.md": tagged + "Sediment.\n"}, "Sediment", "2026-02-03")
    _, found = status(repo)
    assert found.status == "current"


def test_the_status_page_sorts_by_title_and_back_in_a_browser(
    browser: Browser, published: Published
) -> None:
    goto(browser, published.url + "de/translations/")
    titles = "Array.from(document.querySelectorAll('tbody tr')).map(r => r.dataset.title)"
    built = browser.evaluate(titles)
    assert built[0] == "Safety in the field"  # the one outdated original comes first
    assert browser.evaluate("document.querySelector('.translation-sort').hidden") is False
    browser.evaluate("document.querySelector('button[data-sort=title]').click()")
    assert browser.evaluate(titles) == sorted(built, key=str.casefold)
    assert (
        browser.evaluate(
            "document.querySelector('button[data-sort=title]').getAttribute('aria-pressed')"
        )
        == "true"
    )
    browser.evaluate("document.querySelector('button[data-sort=behind]').click()")
    assert browser.evaluate(titles) == built
