"""The caches' fingerprints: frozen slotted dataclasses are pickled as a call of their class
(they come back equal, though nothing loads them outside this test); values a template
prints differently never share a fingerprint."""

from __future__ import annotations

import dataclasses
import pickle
import pickletools
from pathlib import Path

from markupsafe import Markup

from commonsgen.diagnostics import Pos
from commonsgen.incremental.stamps import _field_values, fingerprint
from commonsgen.markdown.html import RenderedPage, TocEntry
from commonsgen.model import Credit, Page, PageId, SourceFile


def a_page() -> Page:
    return Page(
        id=PageId("guide/a.md"),
        source=SourceFile("guide/a.md", Path("/site/content/guide/a.md"), "content/guide/a.md"),
        title="A",
        body="Text.\n",
        body_line=4,
        lang="en",
        contributors=(Credit("Ada", ("author",), "ada", pos=Pos(2, 3)),),
        extra={"doi": "10.1/x"},
        positions={"title": Pos(1, 1), "contributors": Pos(2, 1)},
    )


def test_pages_and_renderings_come_back_equal_without_the_slow_dataclass_state():
    page = a_page()
    rendered = RenderedPage(
        PageId("guide/a.md"), Markup("<p>Text.</p>"), (TocEntry(2, "x", "X"),), "Text.", ()
    )
    for value in (page, rendered, (page, [rendered])):
        data = fingerprint(value)
        assert data is not None
        assert pickle.loads(data) == value
        # stored as a call of the class, not as an empty object then given its state
        assert "BUILD" not in {op.name for op, _arg, _pos in pickletools.genops(data)}
        assert "BUILD" in {op.name for op, _a, _p in pickletools.genops(pickle.dumps(value))}
    assert type(pickle.loads(fingerprint(rendered) or b"").html) is Markup


def test_only_dataclasses_their_init_rebuilds_take_the_short_way():
    assert _field_values(Page) is not None and _field_values(Pos) is not None

    @dataclasses.dataclass(frozen=True, slots=True)
    class Later:
        a: int
        b: int = dataclasses.field(init=False, default=0)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            pass

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    for cls in (Later, Checked, NoSlots, dict, Markup):
        assert _field_values(cls) is None


def test_fingerprints_tell_apart_what_prints_differently_and_match_what_does_not():
    assert fingerprint(a_page()) == fingerprint(a_page())
    assert fingerprint(1) != fingerprint(True)
    assert fingerprint(Markup("x")) != fingerprint("x")
    changed = dataclasses.replace(a_page(), positions={"title": Pos(1, 2)})
    assert fingerprint(changed) != fingerprint(a_page())
    assert fingerprint(lambda: None) is None  # unpicklable: never reused
