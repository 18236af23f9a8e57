"""`commonsgen check`: every check a build runs, nothing written, three report formats."""

from __future__ import annotations

import json

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
