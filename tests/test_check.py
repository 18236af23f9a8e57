"""`commonsgen check`: every check a build runs, nothing written, three report formats."""

from __future__ import annotations

import json

import pytest

from commonsgen.diagnostics import Diagnostic, Severity, format_github
from tests.conftest import MINIMAL_CONFIG, page, run_cli


def _broken_site(make_site):
    return make_site(
        {
            "content/index.md": page("title: Home\ncontributors: [nobody]"),
            "content/b.md": page("title: B\ntitel: typo"),
        }
    )


def test_check_reports_like_build_and_writes_nothing(make_site):
    root = _broken_site(make_site)
    result = run_cli("check", str(root), cwd=root.parent)
    assert result.code == 1
    assert "site/content/index.md:3:16: error[unknown-contributor]" in result.stdout
    assert result.stderr.strip() == "Check failed: 1 error(s)."
    assert not (root / "public").exists()
    build = run_cli("build", str(root), cwd=root.parent)
    assert build.code == 1
    assert set(result.stdout.splitlines()) <= set(build.stderr.splitlines())


def test_check_json_is_the_documented_schema(make_site):
    root = _broken_site(make_site)
    result = run_cli("check", str(root), "--format", "json", cwd=root.parent)
    assert result.code == 1
    rows = json.loads(result.stdout)
    assert rows
    for row in rows:
        assert set(row) == {"path", "line", "column", "severity", "code", "message", "hint"}
        assert row["path"].startswith("site/content/")
        assert row["severity"] in ("error", "warning")
    assert any(r["code"] == "unknown-contributor" and r["line"] == 3 for r in rows)


def test_check_github_annotates_files_relative_to_the_repository(make_site):
    root = _broken_site(make_site)
    result = run_cli("check", str(root), "--format", "github", cwd=root.parent)
    assert result.code == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(
            "::error file=site/content/index.md,line=3,col=16,title=commonsgen unknown-contributor::"
        )
        for line in lines
    ), lines
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_github_format_escapes_what_workflow_commands_reserve():
    d = Diagnostic("a:b,c%.md", 2, None, Severity.WARNING, "x", "50% done\r\nnext", "fix: it")
    assert format_github([d]) == (
        "::warning file=a%3Ab%2Cc%25.md,line=2,title=commonsgen x::50%25 done%0D%0Anext%0Afix: it\n"
    )


def test_check_strict_fails_on_warnings_and_build_strict_too(make_site):
    root = make_site({"content/index.md": page("title: Home\ntitel: typo")})
    assert run_cli("check", str(root)).code == 0
    strict = run_cli("check", str(root), "--strict")
    assert strict.code == 1
    assert strict.stderr.strip() == "Check failed: 1 warning(s) in strict mode."
    assert run_cli("build", str(root), "--strict").code == 1
    assert not (root / "public").exists()


def test_check_clean_site_exits_0_and_json_is_an_empty_list(make_site):
    root = make_site({"content/index.md": page("title: Home")})
    result = run_cli("check", str(root), "--format", "json")
    assert (result.code, result.stdout) == (0, "[]\n"), result.stderr


def test_check_usage_errors_exit_2(make_site, tmp_path):
    assert run_cli("check", str(tmp_path / "nowhere")).code == 2
    root = make_site({"commonsgen.yml": "title: [unclosed\n", "content/index.md": page("title: H")})
    result = run_cli("check", str(root), cwd=root.parent)
    assert result.code == 2
    assert "site/commonsgen.yml:" in result.stdout
    assert run_cli("check", str(root), "--format", "xml").code == 2


def test_check_refuses_an_output_folder_a_build_would_refuse(make_site):
    root = make_site(
        {
            "commonsgen.yml": MINIMAL_CONFIG + "output_dir: content/out\n",
            "content/index.md": page("title: Home"),
        }
    )
    result = run_cli("check", str(root))
    assert result.code == 2
    assert result.stderr.startswith("commonsgen: error: ")
    assert not (root / "content/out").exists()


def _git(root, *args):
    import subprocess

    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def _repo_with_a_pull_request(make_site, changes: dict[str, str]):
    """A site committed on main, then a branch that changes ``changes`` (one file committed,
    the rest left in the work tree, as a CI checkout with local edits would be)."""
    root = make_site(
        {
            "content/index.md": page("title: Home"),
            "templates/page.html": "{% extends 'base.html' %}\n",
            "themes/mine/templates/page.html": "x",
            "static/robots.txt": "User-agent: *\n",
        }
    )
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    _git(root, "checkout", "-qb", "pr")
    for number, (rel, text) in enumerate(changes.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if number == 0:
            _git(root, "add", "-A")
            _git(root, "commit", "-qm", "change")
    return root


def test_changed_design_files_are_named_for_a_trusted_review(make_site):
    root = _repo_with_a_pull_request(
        make_site,
        {
            "templates/page.html": "{% extends 'base.html' %}\n<script>x</script>\n",
            "i18n/en.yml": "credits: Credits\n",
            "static/app.js": "alert(1)",
            "themes/mine/templates/page.html": "y",
            "commonsgen.yml": MINIMAL_CONFIG + "unsafe_html: true\n",
            "content/index.md": page("title: Home again"),
            "content/new.md": page("title: New"),
        },
    )
    result = run_cli("check", str(root), "--changed-from", "main", cwd=root.parent)
    assert result.code == 0, result
    named = sorted(
        line.split(":", 1)[0]
        for line in result.stdout.splitlines()
        if "design-file-changed" in line
    )
    assert named == [
        "site/commonsgen.yml",
        "site/i18n/en.yml",
        "site/static/app.js",
        "site/templates/page.html",
        "site/themes/mine/templates/page.html",
    ]
    assert "warning[design-file-changed]: a design file changed: a template" in result.stdout
    assert "have a maintainer review it" in result.stdout
    strict = run_cli("check", str(root), "--changed-from", "main", "--strict", cwd=root.parent)
    assert strict.code == 1
    assert strict.stderr.strip() == "Check failed: 5 warning(s) in strict mode."
    # the pull request cannot lower it
    (root / "commonsgen.yml").write_text(
        MINIMAL_CONFIG.replace("checks: {", "checks: {design-file-changed: ignore, ")
    )
    lowered = run_cli("check", str(root), "--changed-from", "main", cwd=root.parent)
    assert "'design-file-changed' cannot be changed" in lowered.stdout


def test_a_content_only_change_needs_no_design_review(make_site):
    root = _repo_with_a_pull_request(make_site, {"content/index.md": page("title: Home again")})
    result = run_cli("check", str(root), "--changed-from", "main", "--strict", cwd=root.parent)
    assert (result.code, result.stdout) == (0, ""), result


def test_a_theme_chosen_by_path_is_design_too(make_site):
    root = _repo_with_a_pull_request(
        make_site,
        {
            "look/templates/page.html": "{% extends 'base.html' %}\n",
            "commonsgen.yml": MINIMAL_CONFIG + "theme: look\n",
        },
    )
    (root / "commonsgen.yml").write_text(MINIMAL_CONFIG + "theme: look\n")
    _git(root, "commit", "-qam", "theme")
    result = run_cli("check", str(root), "--changed-from", "main", cwd=root.parent)
    assert (
        "site/look/templates/page.html: warning[design-file-changed]: a design file changed: a file of the site's theme"
        in result.stdout
    )


@pytest.mark.parametrize(
    ("ref", "git", "message"),
    [
        ("nosuchbranch", True, "'nosuchbranch' names no commit of this repository"),
        ("--output=/tmp/x", True, "'--output=/tmp/x' is not a git revision"),
        ("main", False, "the site folder is in no git repository"),
    ],
)
def test_changes_git_cannot_tell_are_one_usage_error(make_site, ref, git, message):
    root = (
        _repo_with_a_pull_request(make_site, {"content/a.md": page("title: A")})
        if git
        else make_site({"content/index.md": page("title: Home")})
    )
    result = run_cli("check", str(root), f"--changed-from={ref}", cwd=root.parent)
    assert result.code == 2, result
    assert result.stdout == ""
    assert result.stderr.startswith(f"commonsgen: error: {message}"), result.stderr
    assert "Traceback" not in result.stderr
