"""Markdown conventions of adopted repositories: Liquid, kramdown attribute lists, Pandoc
fenced divs and attributes, definition lists, Markdown inside HTML (commonsgen.markdown.dialect)."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonsgen import yamlsource
from commonsgen.diagnostics import Pos, Report
from commonsgen.markdown.dialect import MarkdownOptions, markdown_options_from
from commonsgen.markdown.html import RenderedPage, create_markdown, render_page, sanitize
from commonsgen.markdown.preprocess import apply_liquid, fenced_divs
from commonsgen.model import PageId
from commonsgen.site import Site

CORPORA = (Path(__file__).parents[2] / "../shared/corpora").resolve()

EVERYTHING = MarkdownOptions(
    liquid="map",
    liquid_tags=(("cite", "[{0}]"), ("tool", "[{0}](https://tools.example.org/{0})")),
    attribute_lists=True,
    pandoc_attributes=True,
    fenced_divs=True,
    html_markdown=True,
)


def render(
    site: Site, body: str, options: MarkdownOptions = EVERYTHING
) -> tuple[RenderedPage, Report]:
    site = dataclasses.replace(site, config=dataclasses.replace(site.config, markdown=options))
    page = dataclasses.replace(site.pages[PageId("a.md")], body=body)
    report = Report()
    return render_page(create_markdown(options), site, page, report), report


def html_of(site: Site, body: str, options: MarkdownOptions = EVERYTHING) -> str:
    return render(site, body, options)[0].html


# --- options ---------------------------------------------------------------------------


def test_options_default_to_plain_commonmark_and_are_hashable():
    options = markdown_options_from(None, "profile.yml", Report())
    assert options == MarkdownOptions() and not options.active
    assert len({EVERYTHING, MarkdownOptions(), EVERYTHING}) == 2


def test_options_are_read_from_a_mapping():
    report = Report()
    options = markdown_options_from(
        {
            "liquid": "map",
            "liquid_tags": {"tool": "[{0}](https://x/{0})", "include": None},
            "fenced_divs": True,
            "attribute_lists": True,
        },
        "profile.yml",
        report,
    )
    assert not report.items
    assert options.liquid == "map" and options.fenced_divs and options.attribute_lists
    assert options.tag_template("tool") == "[{0}](https://x/{0})"
    assert options.tag_template("include") == ""
    assert not options.html_markdown


def test_option_mistakes_are_diagnostics_with_did_you_mean():
    report = Report()
    positions = {("markdown", "fenced_div"): Pos(4, 3), ("markdown", "liquid"): Pos(3, 3)}
    options = markdown_options_from(
        {"fenced_div": True, "liquid": "remove", "html_markdown": "yes"},
        "profiles/x.yml",
        report,
        pos=lambda path: positions.get(path, Pos(2, 1)),
    )
    assert options == MarkdownOptions()
    found = {(d.code, d.line, d.severity.value): d for d in report.items}
    unknown = found[("unknown-config-key", 4, "warning")]
    assert "markdown.fenced_div" in unknown.message and "fenced_divs" in (unknown.hint or "")
    bad_mode = found[("config-type", 3, "error")]
    assert "'remove'" in bad_mode.message and "text, strip, map" in bad_mode.message
    assert any("html_markdown" in d.message and "true or false" in d.message for d in report.items)
    assert all(d.path == "profiles/x.yml" for d in report.items)


def test_a_markdown_block_that_is_no_mapping_is_an_error():
    report = Report()
    assert markdown_options_from(["liquid"], "p.yml", report) == MarkdownOptions()
    assert report.errors[0].code == "config-type"


TOOLS = [
    {"id": "zenodo", "name": "Zenodo", "url": "https://zenodo.org", "registry": {"x": 1}},
    {"id": "zotero", "name": "Zotero", "url": "https://www.zotero.org/"},
    {"name": "no id"},
]


def tool_options(data: object, report: Report) -> MarkdownOptions:
    spec = {"template": "[{name}]({url})", "data": "_data/tools.yml", "missing": "*{0}*"}
    return markdown_options_from(
        {"liquid": "map", "liquid_tags": {"tool": spec}},
        "profile.yml",
        report,
        read_data=lambda file: data if file == "_data/tools.yml" else None,
    )


@pytest.mark.parametrize(
    "data", [TOOLS, {"zenodo": {"name": "Zenodo", "url": "https://zenodo.org"}}]
)
def test_liquid_tags_look_their_argument_up_in_a_data_file(blank_site, data):
    report = Report()
    options = tool_options(data, report)
    assert not report.items, report.items
    html = html_of(blank_site, 'Use {% tool "zenodo" %} or {% tool "nope" %}.\n', options)
    assert html == '<p>Use <a href="https://zenodo.org">Zenodo</a> or <em>nope</em>.</p>\n'


def test_data_file_mistakes_are_reported():
    report = Report()
    assert tool_options("just text", report).liquid_tags == ()
    assert "not a list or mapping of records" in report.errors[0].message
    report = Report()
    assert tool_options([{"name": "x"}], report).liquid_tags == ()
    assert "no record in _data/tools.yml has the field 'id'" in report.errors[0].message
    report = Report()
    markdown_options_from(
        {"liquid": "map", "liquid_tags": {"tool": {"template": "x", "dat": "y"}}}, "p.yml", report
    )
    assert report.items[0].code == "unknown-config-key" and "data" in (report.items[0].hint or "")


def test_options_with_data_pickle_and_hash_by_value():
    a, b = tool_options(TOOLS, Report()), tool_options(list(reversed(TOOLS)), Report())
    assert a == b and hash(a) == hash(b)
    copy = pickle.loads(pickle.dumps(a))
    assert copy == a and copy.tag_data("tool").lookup("zotero")["name"] == "Zotero"


# --- Liquid ----------------------------------------------------------------------------


def test_liquid_as_text_is_todays_behaviour(blank_site):
    html = html_of(blank_site, 'Use {% tool "zenodo" %} here.\n', MarkdownOptions())
    assert html == "<p>Use {% tool &quot;zenodo&quot; %} here.</p>\n"


def test_liquid_strip_removes_tags_and_keeps_raw_content(blank_site):
    options = MarkdownOptions(liquid="strip")
    html = html_of(
        blank_site,
        'A {% tool "zenodo" %} b {{ site.title }}.\n\n{% raw %}{{ kept }}{% endraw %}\n',
        options,
    )
    assert "<p>A  b .</p>" in html
    assert "{{ kept }}" in html and "raw" not in html


def test_liquid_map_uses_templates_variables_and_literals(blank_site):
    html = html_of(
        blank_site,
        "See {% tool \"zenodo\" %}, {%tool 'x-y' %} and {% cite smith2020 %}.\n"
        "Title: {{ site.title }}; logo {{ '/img/a.svg' | relative_url }}; {{ nope }}.\n"
        '{% include callout.html type="note" %}\n',
    )
    assert '<a href="https://tools.example.org/zenodo">zenodo</a>' in html
    assert '<a href="https://tools.example.org/x-y">x-y</a>' in html
    assert "[smith2020]" in html
    assert "Title: Test Handbook; logo /img/a.svg; ." in html
    assert "include" not in html and "{" not in html


def test_liquid_named_arguments_fill_named_placeholders():
    options = dataclasses.replace(EVERYTHING, liquid_tags=(("include", "<{file}|{alt}>"),))
    out = apply_liquid(
        "{% include image.html file=\"a.png\" alt='An A' %}", options, lambda name: None
    )
    assert out == "<a.png|An A>"


def test_a_tag_and_its_first_argument_may_have_their_own_template(blank_site):
    options = dataclasses.replace(
        EVERYTHING,
        liquid_tags=(
            ("include", ""),
            ("include callout.html", "\n\n::: {type}\n{content}\n:::\n\n"),
            ("include image.html", "![{alt}](https://e.org/images/{file} '{max-width}')"),
        ),
    )
    html = html_of(
        blank_site,
        '{% include image.html file="a.png" alt="An A" max-width="3em" %}\n\n'
        '{% include callout.html type="note" content="See [b](b.md)." %}\n\n'
        '{% include tiles.html type="x" %}\n',
        options,
    )
    assert '<img src="https://e.org/images/a.png" alt="An A" title="3em"' in html
    assert '<aside class="admonition note">' in html and '<a href="../b/">b</a>' in html
    assert "tiles" not in html
    in_list = html_of(
        blank_site,
        '1. Step one\n\n   {% include callout.html type="tip" content="Careful." %}\n\n'
        "2. Step two\n",
        options,
    )
    assert in_list.count("<ol") == 1 and in_list.index("Careful") < in_list.index("</li>")


def test_liquid_is_left_alone_in_code(blank_site):
    html = html_of(
        blank_site,
        '`{% tool "a" %}` and\n\n```\n{% tool "b" %}\n{{ site.title }}\n```\n\n~~~\n{% cite c %}\n~~~\n',
    )
    assert "<code>{% tool &quot;a&quot; %}</code>" in html
    assert "{% tool &quot;b&quot; %}\n{{ site.title }}" in html
    assert "{% cite c %}" in html


def test_raw_markers_go_even_around_and_inside_code(blank_site):
    body = (
        '{% raw %}\n```\n{% tool "x" %}\n```\n{% endraw %}\n\n'
        '  ```\n  {% raw %}\n  {% tool "y" %}\n  {% endraw %}\n  ```\n'
    )
    html = html_of(blank_site, body)
    assert "raw" not in html
    assert "{% tool &quot;x&quot; %}" in html and "{% tool &quot;y&quot; %}" in html


def test_liquid_blocks(blank_site):
    html = html_of(
        blank_site,
        "{% comment %}secret{% endcomment %}"
        "{% capture x %}captured{% endcapture %}"
        "{% for i in site.pages %}{{ i }}{% endfor %}"
        "{% if site.x %}shown{% else %}other{% endif %}"
        "{% unless a %}u{% if b %}nested{% endif %}{% endunless %}\n\n"
        "{% highlight python %}\nprint('x')\n{% endhighlight %}\n",
    )
    assert "secret" not in html and "captured" not in html and "other" not in html
    assert "<p>shownunested</p>" in html
    # {% highlight python %} is a fenced block in that language, coloured as one
    assert '<pre class="highlight" tabindex="0"><code class="language-python">' in html
    assert "<span class=\"s1\">'x'</span>" in html


def test_unclosed_or_broken_liquid_never_crashes(blank_site):
    for body in ["{% if x %}never closed", "{% raw %} open", "{{ unclosed", "{% %}", "{%- -%}"]:
        html = html_of(blank_site, body + "\n")
        assert "<p>" in html


# --- attributes ------------------------------------------------------------------------


def test_kramdown_span_attribute_lists_after_images_and_links(blank_site):
    html = html_of(
        blank_site,
        '![logo](https://e.org/l.svg){: height="200px" width="50%" onclick="x()"}\n\n'
        '[Feed](https://e.org/feed){: class="btn btn-light rounded-pill" title="RSS"}\n\n'
        "Words {: .lost} continue.\n",
    )
    assert '<img height="200" src="https://e.org/l.svg" alt="logo"' in html
    assert "width" not in html and "onclick" not in html
    assert '<a class="btn btn-light rounded-pill" href="https://e.org/feed" title="RSS">' in html
    assert "<p>Words  continue.</p>" in html


def test_kramdown_block_attribute_lists(blank_site):
    html = html_of(
        blank_site,
        "A paragraph\n{: .note #first}\n\n## Heading\n{: .wide}\n\n- a\n- b\n\n{: .plain}\n\n"
        "{:ref: .defined}\n",
    )
    assert '<p id="first" class="note">A paragraph</p>' in html
    assert '<h2 class="wide" id="heading">' in html
    assert '<ul class="plain">' in html
    assert "{:" not in html


def test_unsafe_classes_and_ids_are_dropped(blank_site):
    html = html_of(blank_site, 'Text\n{: .ok .x&y #"bad" class="<script>" style="c:red"}\n')
    assert html == '<p class="ok">Text</p>\n'


def test_pandoc_attributes_on_headings_images_and_spans(blank_site):
    page, report = render(
        blank_site,
        "### Windows {#windows}\n\n"
        "![](https://e.org/f.svg){alt='A tree of \"/Users\" and pnas\\_final' width=300}\n\n"
        "[absolute path]{#absolute-path .term}\n:   A [path](#path) to a place.\n\n"
        "[path]{#path}\n:   Where.\n\n"
        "Loop over {1..10} as {a,b}.\n\n"
        "See [absolute](#absolute-path).\n",
    )
    html = page.html
    assert '<h3 id="windows">Windows <a class="anchor" href="#windows"' in html
    assert 'alt="A tree of &quot;/Users&quot; and pnas_final"' in html
    assert '<img width="300" src="https://e.org/f.svg"' in html
    assert '<dt><span id="absolute-path" class="term">absolute path</span></dt>' in html
    assert "<p>Loop over {1..10} as {a,b}.</p>" in html
    assert {"windows", "absolute-path", "path"} <= set(page.anchors)
    assert not report.items, report.items  # the {alt=...} counts as alternative text


def test_attribute_syntax_is_text_when_switched_off(blank_site):
    html = html_of(blank_site, "[x]{#y} ![a](https://e.org/b.png){: .c}\n", MarkdownOptions())
    assert "[x]{#y}" in html and "{: .c}" in html


# --- fenced divs -----------------------------------------------------------------------


def test_fenced_divs_nest_and_become_admonitions(blank_site):
    html = html_of(
        blank_site,
        "::::::::::::::::::::::::::::::::::::::  challenge\n\n## Listing\n\nDo it.\n\n"
        ":::::::::::::::  solution\n\nAnswer **bold**.\n\n:::::::::::::::::::::::::\n\n"
        "::::::::::::::::::::::::::::::::::::::::::::::::::\n\n"
        '::: {.callout #c1 title="Mind the gap"}\nTake care.\n:::\n\n'
        "Outside.\n",
    )
    assert '<aside class="admonition challenge">\n<p class="admonition-title">Challenge</p>' in html
    assert (
        '<details class="admonition solution">\n<summary class="admonition-title">Solution' in html
    )
    assert html.index("</details>") < html.index("</aside>") < html.index("Mind the gap")
    assert '<aside class="admonition callout" id="c1">' in html
    assert "<p>Take care.</p>" in html
    assert "<p>Outside.</p>" in html and ":::" not in html
    clean = sanitize(html)  # what a page with raw HTML is published as
    assert '<aside class="admonition challenge">' in clean
    assert '<summary class="admonition-title">Solution</summary>' in clean
    assert '<aside class="admonition callout" id="c1">' in clean


def test_fenced_divs_skip_code_and_close_at_the_end():
    text = "```\n::: not-a-div\n```\n::: note\nopen\n"
    out = fenced_divs(text)
    assert out.startswith("```\n::: not-a-div\n```\n<aside")
    assert out.rstrip().endswith("</aside>")
    assert fenced_divs("plain text") == "plain text"
    assert fenced_divs(":::\nstray\n") == ":::\nstray\n"


def test_myst_directives_still_work_with_fenced_divs(blank_site):
    html = html_of(blank_site, ":::{note} Title\nbody\n:::\n")
    assert '<section class="admonition note">' in html and "<p>body</p>" in html


# --- definition lists, Markdown inside HTML --------------------------------------------


def test_definition_lists(blank_site):
    html = html_of(blank_site, "Term\n: The *meaning*.\n\nOther\n:   Second.\n", MarkdownOptions())
    assert "<dl>\n<dt>Term</dt>\n<dd>The <em>meaning</em>.</dd>" in html


def test_markdown_inside_html_marked_markdown_1(blank_site):
    html = html_of(
        blank_site,
        '<aside markdown="1" class="pquote">\n'
        '  <img src="https://e.org/a.png" class="pquote-avatar" alt="avatar">\n'
        "  Quoted *words*.\n"
        '  <p markdown="1" class="pquote-credit">\n'
        '— @kent, ["How"](b.md)\n'
        "  </p>\n</aside>\n\n"
        "<div markdown='0'>*as is*</div>\n\n"
        '<div markdown="block">\n\n- one\n\n</div>\n',
    )
    assert '<aside class="pquote">' in html and "markdown=" not in html
    assert '<p class="pquote-credit">— @kent, <a href="../b/">"How"</a></p>' in html
    assert "<div>*as is*</div>" in html
    assert "<li>one</li>" in html


def test_markdown_inside_html_ignores_layout_indentation(blank_site):
    html = html_of(
        blank_site,
        '<aside markdown="1" class="q">\n\t<img src="https://e.org/a.png" alt="">\n\tSaid.\n'
        '\t<p markdown="1" class="c">\n— @x, [y](b.md)\n\t</p>\n</aside>\n',
    )
    assert "<pre>" not in html and '<p class="c">— @x, <a href="../b/">y</a></p>' in html


def test_deeply_nested_input_is_rendered_without_exhausting_the_stack(blank_site):
    nested = '<div markdown="1">' * 500 + "*x*" + "</div>" * 500 + "\n"
    html = html_of(blank_site, nested)
    assert "<em>x</em>" not in html and "*x*" in html and "markdown=" not in html
    shallow = html_of(blank_site, '<div markdown="1">' * 3 + "*x*" + "</div>" * 3 + "\n")
    assert "<em>x</em>" in shallow
    liquid = html_of(blank_site, "{% if a %}x" * 3000 + "{% else %}y{% endif %}" * 3000 + "\n")
    assert liquid == "<p>" + "x" * 3000 + "</p>\n"


def test_html_markdown_switched_off_keeps_html_as_is(blank_site):
    html = html_of(blank_site, '<p markdown="1">[x](b.md)</p>\n', MarkdownOptions())
    assert "[x](b.md)" in html


# --- robustness ------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["{%", "%}", "{{", "}}", ":::", "::::: challenge", "{:", "}", "{", "[", "]", "(", ")",
     "!", "`", "```", "\n", "\n\n", " ", "raw", "endraw", "if", "x", "#", ".", "=", '"',
     "'", "<div markdown=\"1\">", "</div>", ": ", "-", "*"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(_PIECES | st.text(max_size=5), max_size=40).map("".join))
def test_any_text_renders_without_an_exception(blank_site, text):
    for options in (EVERYTHING, MarkdownOptions(liquid="strip", attribute_lists=True)):
        page, report = render(blank_site, text, options)
        again, report_again = render(blank_site, text, options)
        assert page == again and report.items == report_again.items  # deterministic


# --- the real corpora ------------------------------------------------------------------

corpora = pytest.mark.skipif(
    not CORPORA.is_dir(), reason=f"the shared corpora are not here ({CORPORA})"
)


def corpus_body(relative: str) -> str:
    text = (CORPORA / relative).read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text[text.index("\n---", 3) + 4 :]
    return text


@corpora
def test_swc_lesson_pages(blank_site):
    html = html_of(blank_site, corpus_body("swc-shell-novice/episodes/03-create.md"))
    assert html.count('<aside class="admonition challenge">') >= 5
    assert html.count('<details class="admonition solution">') >= 5
    assert html.count("<aside") == html.count("</aside>")
    assert ":::" not in html
    page, _ = render(blank_site, corpus_body("swc-shell-novice/learners/reference.md"))
    assert '<dt><span id="absolute-path">absolute path</span></dt>' in page.html
    assert "{#" not in page.html and "path" in page.anchors
    setup = html_of(blank_site, corpus_body("swc-shell-novice/learners/setup.md"))
    assert '<h3 id="windows">' in setup


@corpora
def test_rdmkit_tools_come_from_its_registry(blank_site):
    path = CORPORA / "rdmkit/_data/tool_and_resource_list.yml"
    report = Report()
    doc = yamlsource.load(path.read_text(encoding="utf-8"), path="tools.yml", report=report)
    assert doc is not None
    options = markdown_options_from(
        {"liquid": "map", "liquid_tags": {"tool": {"template": "[{name}]({url})", "data": "t"}}},
        "profile.yml",
        report,
        read_data=lambda _file: doc.value,
    )
    html = html_of(blank_site, corpus_body("rdmkit/pages/contribute/style_guide.md"), options)
    assert '<a href="https://www.zotero.org/">Zotero</a>' in html
    assert not report.items


@corpora
def test_rdmkit_pages(blank_site):
    html = html_of(blank_site, corpus_body("rdmkit/pages/contribute/style_guide.md"))
    assert '<a href="https://tools.example.org/zotero">zotero</a>' in html
    assert "{% raw" not in html and "{% endraw" not in html
    assert "<code>{% cite reference_key %}</code>" in html
    news = html_of(blank_site, corpus_body("rdmkit/pages/about/news.md"))
    assert '<a class="btn btn-light rounded-pill"' in news and "{:" not in news


@corpora
def test_opensource_guide_pull_quotes(blank_site):
    html = html_of(blank_site, corpus_body("opensource-guide/_articles/starting-a-project.md"))
    assert html.count('<aside class="pquote">') >= 3
    assert '<p class="pquote-credit">— @kentcdodds, <a href="https://kentcdodds.com' in html
    assert "markdown=" not in html
