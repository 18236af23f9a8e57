from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from commonsgen.content.frontmatter import decode, parse_text, split
from commonsgen.diagnostics import Report
from commonsgen.model import SourceFile

SRC = SourceFile("a.md", Path("/nowhere/a.md"), "content/a.md")


def test_split_reports_where_the_body_starts():
    parts = split("---\ntitle: A\n---\n# Body\n")
    assert parts.frontmatter == "title: A\n"
    assert parts.body == "# Body\n"
    assert parts.body_line == 4


def test_no_frontmatter():
    parts = split("# Just text\n")
    assert parts.frontmatter is None and parts.body_line == 1


def test_unclosed_frontmatter_is_an_error():
    report = Report()
    assert parse_text(SRC, "---\ntitle: A\n# Body\n", report) is None
    assert report.items[0].code == "frontmatter-unclosed"


def test_bom_and_crlf_keep_lines():
    report = Report()
    text = decode("\ufeff---\r\ntitle: A\r\nx: [\r\n---\r\n".encode(), "a.md", report)
    raw = parse_text(SRC, text, report)
    assert raw is None
    assert report.items[0].code == "yaml-syntax"
    assert report.items[0].line == 4  # the '---' that the unclosed list runs into


def test_invalid_utf8_names_line_and_column():
    report = Report()
    assert decode(b"---\ntitle: caf\xe9\n", "a.md", report) is None
    [d] = report.items
    assert (d.line, d.column, d.code) == (2, 11, "encoding")


def test_key_positions_are_lines_of_the_file():
    report = Report()
    raw = parse_text(SRC, "---\ntitle: A\ntags: [x]\n---\nbody\n", report)
    assert raw.doc.pos(("tags",)).line == 3
    assert raw.body_line == 5


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_any_text_gives_a_page_or_diagnostics_within_the_file(text):
    report = Report()
    raw = parse_text(SRC, "---\n" + text + "\n---\nbody\n", report)
    lines = text.count("\n") + 4
    for d in report.items:
        assert d.line is None or 1 <= d.line <= lines
    assert raw is not None or report.errors
