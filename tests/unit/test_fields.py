import datetime as dt
from pathlib import Path

from commonsgen.content.fields import PageContext, parse_page
from commonsgen.content.frontmatter import parse_text
from commonsgen.diagnostics import Report
from commonsgen.model import Contributor, SourceFile

REGISTRY = {"ada": Contributor("ada", "Ada Mensah"), "lin": Contributor("lin", "Lin Zhou")}
CTX = PageContext(
    registry=REGISTRY,
    default_language="en",
    languages=("en", "de"),
    default_license="CC-BY-SA-4.0",
    contributors_file="contributors.yml",
)


def parse(frontmatter: str, rel="guide/rivers.md", body="Text\n"):
    # Pages here credit no one unless a test is about credits (test_commons_checks.py is).
    report = Report(levels={"no-contributors": "ignore"})
    raw = parse_text(
        SourceFile(rel, Path("/x") / rel, "content/" + rel),
        "---\n" + frontmatter + "---\n" + body,
        report,
    )
    assert raw is not None, report.items
    return parse_page(raw, CTX, report), report


def codes(report):
    return [(d.code, d.line, d.column) for d in report.sorted()]


def test_full_example_page():
    page, report = parse(
        """title: Measuring river temperature
contributors:
  - ada
  - id: lin
    roles: [translator]
  - name: Sam Okafor
    roles: [reviewer]
license: CC-BY-4.0
date: 2026-03-01
updated: "2026-05-02"
tags: [water, sensors]
derived_from:
  - page: ../sensors/thermistors.md
    changes: shortened
  - title: Field guide
    author: Jane Doe
    url: https://example.org/guide
    license: CC-BY-4.0
translation_of: ../de/fluss.md
media:
  - file: images/probe.jpg
    title: Probe
    author: Kim Lee
    license: CC-BY-4.0
weight: 3
"""
    )
    assert not report.items
    assert page.title == "Measuring river temperature"
    assert [(c.name, c.roles, c.contributor_id) for c in page.contributors] == [
        ("Ada Mensah", ("author",), "ada"),
        ("Lin Zhou", ("translator",), "lin"),
        ("Sam Okafor", ("reviewer",), None),
    ]
    assert page.license == "CC-BY-4.0"
    assert page.date == dt.date(2026, 3, 1) and page.updated == dt.date(2026, 5, 2)
    assert page.tags == ("water", "sensors")
    first, second = page.derived_from
    assert first.page == "sensors/thermistors.md" and first.changes == "shortened"
    assert second.work.title == "Field guide" and second.work.authors == ("Jane Doe",)
    assert second.pos.line == 16
    assert page.translation_of.page == "de/fluss.md"
    assert page.media[0].file == "images/probe.jpg"
    assert page.weight == 3 and page.lang == "en"


def test_default_licence_and_language_from_folder():
    page, _ = parse("title: Fluss\n", rel="de/fluss.md")
    assert page.license == "CC-BY-SA-4.0"
    assert page.lang == "de"


def test_each_wrong_field_is_reported_at_its_key():
    page, report = parse(
        """title: T
contributors:
  - ada
  - bob
date: last tuesday
tags: 5
draft: yes please
weight: heavy
"""
    )
    assert page is not None
    assert codes(report) == [
        ("unknown-contributor", 5, 5),
        ("bad-date", 6, 1),
        ("wrong-type", 7, 1),
        ("wrong-type", 8, 1),
        ("wrong-type", 9, 1),
    ]


def test_unknown_contributor_suggests_the_nearest_id():
    _, report = parse("title: T\ncontributors: [adda]\n")
    [d] = report.items
    assert d.hint == "did you mean 'ada'?"


def test_full_name_where_an_id_belongs_hints_at_inline_people():
    _, report = parse("title: T\ncontributors: [Sam Okafor]\n")
    assert "- name: Sam Okafor" in report.items[0].hint


def test_missing_title_and_not_a_mapping():
    page, report = parse("summary: x\n")
    assert page is None and report.items[0].code == "missing-title"
    page, report = parse("- a\n")
    assert page is None and report.items[0].code == "frontmatter-not-mapping"


def test_unknown_field_close_to_a_known_one_warns_others_are_kept_for_themes():
    page, report = parse("title: T\ncontributers: [ada]\nhero_image: a.jpg\n")
    assert codes(report) == [("unknown-field", 3, 1)]
    assert page.extra == {"contributers": ["ada"], "hero_image": "a.jpg"}


def test_slugs_that_leave_their_folder_are_refused():
    for bad in ("../../etc/x", "/abs", "a/b", "..", "C:x"):
        page, report = parse(f'title: T\nslug: "{bad}"\n')
        assert page.slug is None, bad
        assert report.items[0].code == "bad-slug", bad
    # a NUL escape is a control-character error where YAML is read, and left out
    page, report = parse('title: T\nslug: "x\\0y"\n')
    assert [d.code for d in report.items] == ["control-character"]
    assert page.slug == "xy"


def test_a_page_that_is_its_own_source():
    _, report = parse("title: T\nderived_from:\n  - page: rivers.md\n")
    assert report.items[0].code == "self-source"


def test_outside_source_needs_a_title():
    _, report = parse("title: T\nderived_from:\n  - url: https://example.org\n")
    assert codes(report) == [("source-without-title", 4, 5)]


def test_unknown_role_warns():
    page, report = parse("title: T\ncontributors:\n  - id: ada\n    roles: [transltor]\n")
    assert page.contributors[0].roles == ("transltor",)
    assert report.items[0].hint.startswith("did you mean one of 'translator'")


def test_language_must_be_configured():
    _, report = parse("title: T\nlang: fr\n")
    assert report.items[0].code == "unknown-language"
