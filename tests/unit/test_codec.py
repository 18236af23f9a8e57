"""The build cache's data-only format: what it writes it reads back as it was, and it
reads nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from commonsgen.diagnostics import Diagnostic, Pos, Severity
from commonsgen.incremental.codec import Rejected, cache_codec
from commonsgen.markdown.html import RenderedPage
from commonsgen.model import Credit, Edge, Media, Page, PageId, SourceFile, WorkRef

CODEC = cache_codec()

yaml_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.dates()
    # as PyYAML gives them: naive, or with a fixed offset in minutes
    | st.datetimes(
        timezones=st.none()
        | st.builds(
            dt.timezone, st.integers(-23 * 60, 23 * 60).map(lambda m: dt.timedelta(minutes=m))
        )
    ).map(lambda d: d.replace(fold=0))
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.lists(inner) | st.dictionaries(st.text() | st.integers(), inner),
    max_leaves=20,
)


def a_page(extra: dict) -> Page:
    source = SourceFile("a/b.md", Path("/site/content/a/b.md"), "content/a/b.md")
    return Page(
        id=PageId("a/b.md"),
        source=source,
        title="Title",
        body="Body",
        body_line=4,
        lang="en",
        contributors=(Credit("Ada", ("author",), "ada", None, Pos(2, 3)),),
        license="CC-BY-4.0",
        date=dt.date(2026, 1, 2),
        tags=("x", "y"),
        derived_from=(
            Edge(
                "derived_from",
                None,
                WorkRef("W", ("A",), "https://e.org", None),
                "W",
                None,
                Pos(5, 5),
            ),
        ),
        media=(Media("i.png", None, None, None, "CC0-1.0", Pos(9, 3)),),
        extra=extra,
        positions={"title": Pos(2, 1)},
    )


@given(yaml_values)
def test_a_page_with_any_frontmatter_values_reads_back_equal_and_of_the_same_types(extra):
    page = a_page({"x": extra})
    data = CODEC.encode(page)
    assert data is not None
    back = CODEC.decode(data)
    assert back == page
    assert repr(back) == repr(page)  # same types too: 1 stays 1, not True or 1.0
    assert CODEC.encode(back) == data


def test_renderings_keep_their_markup_and_diagnostics_their_severity():
    rendered = RenderedPage(PageId("a.md"), Markup("<p>x</p>"), (), "x", ("/a/",))
    back = CODEC.decode(CODEC.encode(rendered))
    assert type(back.html) is Markup and back == rendered
    diagnostic = Diagnostic("content/a.md", 1, None, Severity.WARNING, "x", "y", None)
    assert CODEC.decode(CODEC.encode(([diagnostic], 3))) == ([diagnostic], 3)


@pytest.mark.parametrize(
    "data",
    [
        b"\x80\x04\x95\x1a\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93.",
        b'{"c":["Popen",["id"]]}',
        b'{"c":["Pos",1]}',
        b'{"c":["Pos","1","2"]}',
        b'{"c":["Pos",true,2]}',
        b'{"e":["Severity","fatal"]}',
        b'{"x":1}',
        b'{"t":[1],"d":[]}',
        b'{"d":[1]}',
        b'{"D":"not a date"}',
        b'{"c":["Page"]}',
        b"[" * 100_000,
    ],
)
def test_anything_it_did_not_write_is_rejected(data):
    with pytest.raises(Rejected):
        CODEC.decode(data)


def test_what_it_cannot_store_is_not_stored():
    assert CODEC.encode(object()) is None
    assert CODEC.encode({"f": lambda: 1}) is None
