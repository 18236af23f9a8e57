from commonsgen.diagnostics import (
    Diagnostic,
    Report,
    Severity,
    did_you_mean,
    format_json,
    format_text,
    suggestion,
)


def test_format_text_puts_location_code_and_hint():
    d = Diagnostic(
        "content/a.md",
        3,
        5,
        Severity.ERROR,
        "unknown-contributor",
        "unknown contributor 'bob'",
        "add him",
    )
    assert format_text([d], path_prefix="site/") == (
        "site/content/a.md:3:5: error[unknown-contributor]: unknown contributor 'bob'\n    add him\n"
    )


def test_location_without_line_or_column():
    assert Diagnostic("a.md", None, None, Severity.WARNING, "x", "m").location() == "a.md"
    assert Diagnostic("a.md", 4, None, Severity.WARNING, "x", "m").location() == "a.md:4"


def test_report_sorts_by_place_and_drops_repeats():
    report = Report()
    report.error("b.md", 1, 1, "x", "second file")
    report.error("a.md", 9, 1, "x", "later line")
    report.error("a.md", 2, 1, "x", "first")
    report.error("a.md", 2, 1, "x", "first")
    assert [d.message for d in report.sorted()] == ["first", "later line", "second file"]


def test_strict_fails_on_warnings_only_when_asked():
    report = Report()
    report.warning("a.md", 1, 1, "x", "w")
    assert not report.failed(strict=False)
    assert report.failed(strict=True)


def test_did_you_mean_is_case_insensitive_and_keeps_spelling():
    assert did_you_mean("TITEL", ["title", "theme"]) == ["title"]
    assert did_you_mean("Ada", ["ada"]) == ["ada"]
    assert did_you_mean("zzz", ["title"]) == []
    assert suggestion("contributers", ["contributors", "date"]) == "did you mean 'contributors'?"


def test_json_is_a_stable_list():
    d = Diagnostic("a.md", 1, 2, Severity.ERROR, "c", "m", None)
    assert format_json([d]).startswith('[\n  {\n    "code": "c",')
