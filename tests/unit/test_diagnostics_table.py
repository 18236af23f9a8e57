"""One table of the kinds of problem: every kind the code reports is in it, every kind but
the protected ones can be lowered by a site or a profile, and the protected ones say why."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, build
from commonsgen.diagnostics import KINDS, UNLOWERABLE
from tests.conftest import page

CONFIG = "title: T\nbase_url: https://example.org/\ndefault_license: CC-BY-4.0\nchecks:\n"
CHECKS = "  no-contributors: ignore\n  uncredited-contributor: ignore\n"
PACKAGE = Path(__file__).resolve().parents[2] / "commonsgen"
_CODE = re.compile(r"^[a-z]+(?:-[a-z0-9]+)+$")
_REPORTERS = {"error", "warning", "problem", "Diagnostic"}


def _reported_codes() -> set[str]:
    """The first kebab-case text given to a call that reports (report.error, f.warning,
    self.problem ...), in every module."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in _REPORTERS:
                continue
            for arg in node.args:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and _CODE.match(arg.value)
                ):
                    found.add(arg.value)
                    break
    return found


def test_every_reported_kind_is_in_the_table():
    missing = _reported_codes() - KINDS
    assert not missing, f"add these to diagnostics.KINDS (or UNLOWERABLE): {sorted(missing)}"


def test_every_protected_kind_says_why():
    assert all(reason.strip() for reason in UNLOWERABLE.values())
    assert {"nd-source", "unknown-contributor", "bad-url", "active-content"} <= set(UNLOWERABLE)


def test_a_download_link_kept_elsewhere_is_a_lowerable_missing_file(make_site):
    files = {
        "content/index.md": page("title: Home"),
        "content/lesson.md": page("title: Lesson", "Get [the data](/assets/data.md).\n"),
    }
    result = build(make_site(files), BuildOptions(write=False, jobs=1, git=False))
    (error,) = result.report.errors
    assert (error.code, error.line) == ("missing-file", 4)
    lowered = {**files, "commonsgen.yml": CONFIG + CHECKS + "  missing-file: warning\n"}
    result = build(make_site(lowered), BuildOptions(write=False, jobs=1, git=False))
    assert not result.report.errors
    assert "lesson/index.html" in result.files  # the lesson is published, not excluded
    assert [d.code for d in result.report.warnings] == ["missing-file"]


def test_a_missing_page_among_pages_is_still_a_broken_link(make_site):
    root = make_site(
        {"content/a.md": page("title: A", "[B](b.md)\n"), "content/c.md": page("title: C")}
    )
    result = build(root, BuildOptions(write=False, jobs=1, git=False))
    assert [d.code for d in result.report.errors] == ["broken-link"]


@pytest.mark.parametrize("code", ["broken-link", "yaml-syntax", "missing-title", "link-outside"])
def test_a_site_may_lower_any_unprotected_kind(make_site, code):
    root = make_site(
        {
            "commonsgen.yml": CONFIG + CHECKS + f"  {code}: warning\n",
            "content/a.md": page("title: A"),
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1, git=False))
    assert not result.report.errors, result.report.items


@pytest.mark.parametrize("code", ["nd-source", "unknown-contributor", "bad-url"])
def test_a_protected_kind_cannot_be_lowered_and_the_message_says_why(make_site, code):
    root = make_site(
        {
            "commonsgen.yml": CONFIG + CHECKS + f"  {code}: ignore\n",
            "content/a.md": page("title: A"),
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1, git=False))
    (error,) = result.report.errors
    assert error.path == "commonsgen.yml" and error.line == 4  # checks:
    assert f"'{code}' cannot be changed: {UNLOWERABLE[code]}" in error.message


def test_the_docs_list_every_kind_that_cannot_be_changed():
    docs = Path(__file__).resolve().parents[2] / "docs/content/reference/diagnostics.md"
    table = (
        docs.read_text(encoding="utf-8")
        .split("| cannot be changed | why |", 1)[1]
        .split("\n\n", 1)[0]
    )
    listed = set(re.findall(r"`([a-z0-9-]+)`", table))
    assert listed == set(UNLOWERABLE), set(UNLOWERABLE) ^ listed
