"""Property tests: no input crashes the frontmatter parser, the link rewriter or the licence
rules, and every diagnostic points at a line that exists in its file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonsgen import attribution, licenses
from commonsgen.build import BuildOptions, load
from commonsgen.config import load_config
from commonsgen.content import fields, frontmatter
from commonsgen.diagnostics import Diagnostic, Report
from commonsgen.markdown.html import check_anchors, create_markdown, render_page
from commonsgen.model import Contributor, PageId, SourceFile
from tests.conftest import MINIMAL_CONFIG, page, write_files

# Derandomised: the same examples on every run, so CI never fails by chance; the example
# database is off so that runs do not depend on a previous run's files.
PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

CONTEXT = fields.PageContext(
    registry={"ada": Contributor("ada", "Ada Mensah")},
    default_language="en",
    languages=("en", "de"),
    default_license="CC-BY-SA-4.0",
    contributors_file="contributors.yml",
)

# Fragments that exercise the parser's corners, mixed with arbitrary text.
YAML_PIECES = [
    "---",
    "...",
    "title: A",
    "title:",
    "title: [x",
    "contributors: [ada, nobody]",
    "contributors:\n  - id: ada\n    roles: [translator, pilot]",
    "- name: X",
    "license: CC BY 4.0",
    "license: cc-by-sa-9.0",
    "date: 2026-13-45",
    "slug: ../x",
    "derived_from:\n  - page: ../b.md",
    "derived_from:\n  - title: T\n    license: CC-BY-ND-4.0",
    "media:\n  - file: x.png",
    "translation_of: /etc",
    "a: &a [x, *a]",
    "b: !!python/object:os.system",
    "\t",
    "\r\n",
    "\r",
    "\ufeff",
    "\x00",
    "é",
    "  ",
    ":",
    "{",
    "[",
    '"',
    "'",
    "#",
    "? k\n: v",
    "<<: *m",
    "&m {a: 1}",
]
page_texts = st.lists(
    st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=20)), max_size=14
).map("\n".join)


def lines_in(text: str) -> int:
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    return normal.count("\n") + 1


def assert_within(diagnostics: list[Diagnostic], files: dict[str, str]) -> None:
    for d in diagnostics:
        assert d.path in files, d
        if d.line is not None:
            assert 1 <= d.line <= lines_in(files[d.path]), (d, files[d.path])
        if d.column is not None:
            assert d.column >= 1, d
        assert d.message and "Traceback" not in d.message


def parse(text: str, rel: str = "guide/a.md", report: Report | None = None):
    report = report if report is not None else Report()
    source = SourceFile(rel, Path("/nowhere") / rel, "content/" + rel)
    decoded = frontmatter.decode(text.encode("utf-8", "surrogatepass"), source.site_path, report)
    raw = frontmatter.parse_text(source, decoded, report) if decoded is not None else None
    parsed = fields.parse_page(raw, CONTEXT, report) if raw is not None else None
    return parsed, report


@PROPERTY
@given(page_texts.map(lambda t: "---\n" + t) | page_texts)
def test_frontmatter_parser_never_crashes_and_points_inside_the_file(text):
    text = text.encode("utf-8", "replace").decode("utf-8")
    _, report = parse(text)
    assert_within(report.items, {"content/guide/a.md": text})


@PROPERTY
@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_at_a_line_of_the_file(data):
    report = Report()
    text = frontmatter.decode(data, "content/a.md", report)
    if text is None:
        [d] = report.items
        assert d.code == "encoding"
        assert 1 <= d.line <= data.count(b"\n") + 1
    else:
        assert "\r" not in text and not text.startswith("\ufeff")


HREF_PIECES = [
    "../",
    "./",
    "/",
    "b.md",
    "a.md",
    "guide/",
    "sub/c.md",
    "x.png",
    "missing.md",
    "#",
    "#top",
    "#intro",
    "#Intro",
    "#%20",
    "%",
    "%zz",
    "?q=1",
    "http://e.org/",
    "javascript:alert(1)",
    "data:image/png;base64,AA",
    "mailto:x@y",
    "//evil",
    "\\",
    "C:",
    "..",
    " ",
    "é",
    "(",
    ")",
]
hrefs = st.lists(st.one_of(st.sampled_from(HREF_PIECES), st.text(max_size=5)), max_size=5).map(
    "".join
)
bodies = st.lists(
    st.one_of(
        hrefs.map(lambda h: f"[t]({h})"),
        hrefs.map(lambda h: f"![alt]({h})"),
        hrefs.map(lambda h: f"![]({h})"),
        st.sampled_from(["## Intro", "\n", "<a href='#x'>x</a>", "[^1]", "[^1]: n", "> q", "- i"]),
        st.text(max_size=10),
    ),
    max_size=8,
).map(" ".join)


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    root = write_files(
        tmp_path_factory.mktemp("props"),
        {
            "commonsgen.yml": MINIMAL_CONFIG,
            "content/guide/a.md": page("title: A", "## Intro\n"),
            "content/guide/b.md": page("title: B", "## Intro\n### Deep\n"),
            "content/guide/sub/c.md": page("title: C"),
            "content/guide/x.png": b"png",
            "content/draft.md": page("title: D\ndraft: true"),
        },
    )
    report = Report()
    _, site = load(root, BuildOptions(), report)
    assert site is not None and not report.errors, report.items
    return site


@PROPERTY
@given(body=bodies)
def test_link_rewriter_never_crashes_and_points_inside_the_body(small_site, body):
    md = create_markdown()
    original = small_site.pages[PageId("guide/a.md")]
    edited = dataclasses.replace(original, body=body)
    site = dataclasses.replace(small_site, pages={**small_site.pages, edited.id: edited})
    report = Report()
    rendered = {pid: render_page(md, site, p, report) for pid, p in site.pages.items()}
    check_anchors(rendered, site, report)
    file_text = "\n" * (edited.body_line - 1) + body
    assert_within(
        [d for d in report.items if d.path == "content/guide/a.md"],
        {"content/guide/a.md": file_text},
    )
    html = rendered[edited.id].html.lower()
    assert 'href="javascript:' not in html and 'src="javascript:' not in html


licence_texts = st.one_of(
    st.sampled_from([lic.id for lic in licenses.LICENSES]),
    st.sampled_from(["CC BY 4.0", "cc-by-sa", "https://creativecommons.org/licenses/by-nd/4.0/"]),
    st.text(max_size=30),
)


@PROPERTY
@given(st.text(max_size=60))
def test_licence_lookup_never_crashes(text):
    found = licenses.lookup(text)
    assert found.license is None or found.license.id in licenses.REGISTRY


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("cfg"), {"commonsgen.yml": MINIMAL_CONFIG})
    loaded = load_config(root, Report())
    assert loaded is not None
    return loaded


@PROPERTY
@given(
    chain=st.lists(
        st.tuples(licence_texts, st.sampled_from(["derived_from", "translation_of"])),
        min_size=1,
        max_size=4,
    ),
    outside=licence_texts,
)
def test_licence_rules_never_crash_and_name_lines_of_the_pages(config, chain, outside):
    """A chain of pages, each adapting the one before (the first adapts an outside work),
    under any licences: the rules rule on every edge without crashing."""
    report = Report()
    files: dict[str, str] = {}
    pages = []
    for index, (licence, kind) in enumerate(chain):
        rel = f"p{index}.md"
        lines = [f"title: P{index}", f"license: {licence!r}" if licence.strip() else "license: x"]
        if index == 0:
            lines += ["derived_from:", "  - title: W", f"    license: {outside!r}"]
        elif kind == "translation_of":
            lines.append(f"translation_of: p{index - 1}.md")
        else:
            lines += ["derived_from:", f"  - page: p{index - 1}.md"]
        text = "---\n" + "\n".join(lines) + "\n---\nBody.\n"
        files["content/" + rel] = text
        parsed, _ = parse(text, rel, report)
        if parsed is not None:
            pages.append(parsed)
    attribution.resolve(pages, config, report)
    assert_within([d for d in report.items if d.path != "commonsgen.yml"], files)
