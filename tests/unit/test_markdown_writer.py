"""The Markdown writer over pulldown-cmark's events, and the offset maps that give its
diagnostics their real lines and columns."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from commonsgen.diagnostics import Report
from commonsgen.markdown.dialect import MarkdownOptions
from commonsgen.markdown.html import RenderedPage
from commonsgen.markdown.offsets import Rewriter, compose
from commonsgen.markdown.writer import Ids, code_ranges
from commonsgen.site import Site
from tests.unit.test_markdown_ext import render as render_options

PLAIN = MarkdownOptions()
LIQUID_AND_DIVS = MarkdownOptions(
    liquid="map", liquid_tags=(("tool", "[{0}](https://tools.example.org/{0})"),), fenced_divs=True
)


def render(site: Site, body: str, options: MarkdownOptions = PLAIN) -> tuple[RenderedPage, Report]:
    return render_options(site, body, options)


def places(report: Report) -> list[tuple[str, int | None, int | None]]:
    return [(d.code, d.line, d.column) for d in report.items]


def test_the_same_broken_link_twice_on_a_line_is_reported_at_each(blank_site):
    _, report = render(blank_site, "See [x](gone.md) and [y](gone.md).\n")
    # the body starts on line 4 (after the three frontmatter lines)
    assert places(report) == [("broken-link", 4, 9), ("broken-link", 4, 26)]


def test_columns_count_characters_not_bytes(blank_site):
    _, report = render(blank_site, "Über «Flüsse» — [x](gone.md)\n")
    assert places(report) == [("broken-link", 4, 21)]


def test_positions_survive_the_passes_that_rewrite_the_text(blank_site):
    body = (
        '{% tool "zenodo" %} then [x](gone.md)\n'  # Liquid grows the line
        "\n"
        "::: note\n"  # a fenced div becomes several lines of HTML
        "Inside, [y](missing.md).\n"
        ":::\n"
        "\n"
        ":::{warning} Careful\n"
        "Also ![](nothing.png)\n"
        ":::\n"
    )
    page, report = render(blank_site, body, LIQUID_AND_DIVS)
    assert '<a href="https://tools.example.org/zenodo">zenodo</a>' in page.html
    assert places(report) == [
        ("broken-link", 4, 30),
        ("broken-link", 7, 13),
        ("missing-image", 11, 10),
        ("missing-alt", 11, 10),
    ]


def test_a_reference_link_is_reported_at_its_definition(blank_site):
    _, report = render(blank_site, "Read [the guide][g].\n\n[g]: gone.md\n")
    assert places(report) == [("broken-link", 6, 6)]


def test_html_written_by_a_pass_is_not_raw_html(blank_site):
    page, _ = render(blank_site, ":::{note} A <b>title</b>\nBody *here*.\n:::\n")
    # escaped, and no sanitiser pass needed: the page has no editor's HTML
    assert '<p class="admonition-title">A &lt;b&gt;title&lt;/b&gt;</p>' in page.html
    assert "<p>Body <em>here</em>.</p>" in page.html


def test_a_colon_without_a_space_starts_no_definition(blank_site):
    page, _ = render(blank_site, "Emoji\n:+1: is made with `:+1:`\n\nTerm\n: meaning\n")
    assert "<p>Emoji\n:+1: is made with <code>:+1:</code></p>" in page.html
    assert "<dt>Term</dt>\n<dd>meaning</dd>" in page.html


def test_bare_urls_become_links_outside_links_and_code(blank_site):
    page, _ = render(
        blank_site,
        "See https://example.org/a?b=1. And [https://x.org](https://y.org), `https://z.org`\n",
    )
    assert '<a href="https://example.org/a?b=1">https://example.org/a?b=1</a>.' in page.html
    assert '<a href="https://y.org">https://x.org</a>' in page.html
    assert "<code>https://z.org</code>" in page.html


def test_footnotes_are_numbered_by_first_reference_and_written_at_the_end(blank_site):
    page, _ = render(
        blank_site, "[^b]: Bee.\n\nOne[^a], two[^b], again[^a], none[^c].\n\n[^a]: Ay.\n"
    )
    html = page.html
    assert 'id="fnref-1"><a href="#fn-1">1</a>' in html and 'href="#fn-2">2</a>' in html
    assert "none[^c]." in html
    section = html[html.index('<section class="footnotes">') :]
    assert section.index("Ay.") < section.index("Bee.")
    assert {"fn-1", "fn-2", "fnref-1", "fnref-2"} <= set(page.anchors)


def test_many_equal_headings_get_numbered_ids():
    ids = Ids()
    got = [ids.take("step") for _ in range(5)]
    assert got == ["step", "step-1", "step-2", "step-3", "step-4"]
    ids = Ids()
    assert [ids.take(b) for b in ("x-1", "x", "x", "x")] == ["x-1", "x", "x-2", "x-3"]


def test_headings_inside_lists_and_quotes_get_ids_but_no_place_in_the_contents(blank_site):
    page, _ = render(blank_site, "## Top\n\n> ## Quoted\n\n- ## Listed\n")
    assert page.heading_ids == ("top", "quoted", "listed")
    assert [t.id for t in page.toc] == ["top"]


def test_code_ranges_are_where_code_is():
    text = "Text `a` and\n\n```\n{% x %}\n```\n\n    indented\n\nÜ `b`\n"
    found = [text[s:e] for s, e in code_ranges(text)]
    assert found == ["`a`", "```\n{% x %}\n```", "indented\n", "`b`"]


def test_offset_maps_compose():
    source = "abc{{x}}def"
    first = Rewriter(source)
    first.copy(0, 3)
    first.write("XYZXYZ", 3)
    first.copy(8, 11)
    middle, map1 = first.result()
    assert middle == "abcXYZXYZdef"
    second = Rewriter(middle)
    second.write("<div>\n", 0)
    second.copy(0, len(middle))
    final, map2 = second.result()
    assert source[compose([map1, map2], final.index("def"))] == "d"
    assert source[compose([map1, map2], final.index("Z"))] == "{"  # written: its origin
    assert compose([map1, map2], 0) == 0


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(
            ["[x](gone.md)", "{% tool a %}", "::: note", ":::", "Ü", "\n", "\n\n", " ", "`c`", "x"]
        ),
        max_size=30,
    ).map("".join)
)
def test_every_broken_link_is_reported_where_it_is_written(blank_site, body):
    _, report = render(blank_site, body, LIQUID_AND_DIVS)
    lines = body.split("\n")
    for d in report.items:
        assert d.code == "broken-link"
        line = lines[d.line - 4]
        assert line[d.column - 1 :].startswith("gone.md"), (body, d)
