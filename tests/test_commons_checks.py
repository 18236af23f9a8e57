"""Links, anchors and the warnings a commons publication needs, each configurable."""

from __future__ import annotations

from commonsgen.build import BuildOptions, build
from commonsgen.diagnostics import format_text
from tests.conftest import page

CONFIG = "title: T\ndefault_license: CC-BY-4.0\n"
REGISTRY = "ada:\n  name: Ada Mensah\nlin:\n  name: Lin Zhou\n"


def check(make_site, files, config=CONFIG):
    root = make_site({"commonsgen.yml": config, "contributors.yml": REGISTRY, **files})
    result = build(root, BuildOptions(write=False))
    return result, [
        (d.path, d.line, d.column, str(d.severity), d.code) for d in result.report.sorted()
    ]


def test_anchors_are_checked_against_every_heading_of_the_target_page(make_site):
    result, found = check(
        make_site,
        {
            "content/a.md": page(
                "title: A\ncontributors: [ada, lin]",
                "# Top\n\n[ok](b.md#deep-detail) [bad](b.md#calibraton) [in](#top)\n"
                "[self](#nowhere) [footnote](#fn-1)[^1]\n\n[^1]: A note.\n",
            ),
            "content/b.md": page(
                "title: B\ncontributors: [ada]",
                "## Calibration\n\n#### Deep detail\n",
            ),
        },
    )
    assert found == [
        ("content/a.md", 7, 30, "error", "broken-anchor"),
        ("content/a.md", 8, 8, "error", "broken-anchor"),
    ]
    first, second = result.report.sorted()
    assert (
        first.message
        == "the link 'b.md#calibraton' names '#calibraton', which is no heading of b.md"
    )
    assert first.hint == "did you mean 'b.md#calibration'?"
    assert "which is no heading of this page" in second.message


def test_commons_warnings_name_the_place_and_the_fix(make_site):
    result, found = check(
        make_site,
        {
            "content/a.md": page(
                "title: A\n"
                "derived_from:\n  - title: Guide\n    author: Jo\n    license: CC-BY-4.0\n"
                "media:\n  - file: p.png\n    author: Kim\n",
                "![](p.png)\n",
            ),
            "content/p.png": b"png",
            "content/b.md": page("title: B\ncontributors: [ada]"),
        },
    )
    assert found == [
        ("content/a.md", 2, 1, "warning", "no-contributors"),
        ("content/a.md", 4, 5, "warning", "source-without-url"),
        ("content/a.md", 8, 5, "error", "media-without-license"),
        ("content/a.md", 11, 5, "warning", "missing-alt"),
        ("contributors.yml", 3, 1, "warning", "uncredited-contributor"),
    ]
    text = format_text(result.report.sorted())
    assert "'lin' (Lin Zhou) is credited on no page" in text
    assert "![what it shows](...)" in text


def test_each_check_can_be_an_error_a_warning_or_ignored(make_site):
    config = (
        CONFIG + "checks:\n  no-contributors: error\n  missing-alt: ignore\n  broken-anchor: warn\n"
    )
    result, found = check(
        make_site,
        {
            "content/a.md": page("title: A", "![](p.png) [x](#nope)\n"),
            "content/p.png": b"png",
            "content/b.md": page("title: B\ncontributors: [ada, lin]"),
        },
        config,
    )
    assert found == [
        ("content/a.md", 2, 1, "error", "no-contributors"),
        ("content/a.md", 4, 16, "warning", "broken-anchor"),
    ]
    assert result.failed


def test_unknown_check_or_level_is_a_config_error_with_a_suggestion(make_site):
    result, _ = check(
        make_site,
        {"content/a.md": page("title: A")},
        CONFIG + "checks:\n  missing-alt-text: ignore\n",
    )
    (d,) = result.report.sorted()
    assert (d.path, d.line, d.code) == ("commonsgen.yml", 3, "config-type")
    assert "unknown check 'missing-alt-text'; did you mean" in d.message
    assert "'missing-alt'" in d.message
    result, _ = check(
        make_site,
        {"content/a.md": page("title: A")},
        CONFIG + "checks: {missing-alt: loud}\n",
    )
    assert "expected error, warning or ignore, got 'loud'" in result.report.sorted()[0].message


def test_licence_errors_cannot_be_silenced(make_site):
    result, _ = check(
        make_site,
        {"content/a.md": page("title: A")},
        CONFIG + "checks: {nd-adapted: ignore}\n",
    )
    assert result.report.errors[0].code == "config-type"
