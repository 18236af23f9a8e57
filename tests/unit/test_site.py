from commonsgen.build import BuildOptions, load
from commonsgen.diagnostics import Report
from tests.conftest import page


def load_site(root, **options):
    report = Report()
    _, site = load(root, BuildOptions(**options), report)
    return site, report


CONFIG = "title: River Watch\nlanguage: en\nlanguages:\n  en: English\n  de: Deutsch\ndefault_license: CC0-1.0\nchecks: {no-contributors: ignore, uncredited-contributor: ignore}\n"


def test_sections_urls_and_languages(make_site):
    root = make_site(
        {
            "commonsgen.yml": CONFIG,
            "content/index.md": page("title: Home"),
            "content/guide/index.md": page("title: The guide\nweight: 2"),
            "content/guide/b.md": page("title: Beta"),
            "content/guide/a.md": page("title: Alpha\nweight: 5"),
            "content/sensors/probe.md": page("title: Probe"),
            "content/de/index.md": page("title: Start"),
            "content/de/guide/b.md": page("title: Beta DE"),
        }
    )
    site, report = load_site(root)
    assert not report.items
    assert site.page_urls["guide/a.md"] == "guide/a/"
    assert site.page_urls["index.md"] == ""
    assert site.language_roots == {"en": "", "de": "de"}
    assert site.sections[""].subsections == ("sensors", "guide")  # weight 0 before weight 2
    assert site.sections["guide"].pages == ("guide/b.md", "guide/a.md")  # weight, then title
    assert site.sections["sensors"].title == "Sensors"  # no index.md: from the folder name
    assert site.sections["de"].subsections == ("de/guide",)
    assert site.pages["de/guide/b.md"].lang == "de"
    assert [s.title for s in site.ancestors("de/guide")] == ["Start", "Guide"]
    assert [s.id for s in site.nav_sections("de")] == ["de/guide"]


def test_drafts_are_left_out_unless_asked(make_site):
    root = make_site(
        {"content/a.md": page("title: A\ndraft: true"), "content/b.md": page("title: B")}
    )
    site, _ = load_site(root)
    assert list(site.pages) == ["b.md"] and site.drafts == {"a.md"}
    site, _ = load_site(root, drafts=True)
    assert list(site.pages) == ["a.md", "b.md"]


def test_two_pages_claiming_one_url_are_both_named(make_site):
    root = make_site(
        {
            "content/guide.md": page("title: A"),
            "content/guide/index.md": page("title: B"),
            "content/x.md": page("title: X\nslug: y"),
            "content/y.md": page("title: Y"),
        }
    )
    _, report = load_site(root)
    collisions = [d for d in report.items if d.code == "url-collision"]
    assert sorted(d.path for d in collisions) == [
        "content/guide.md",
        "content/guide/index.md",
        "content/x.md",
        "content/y.md",
    ]
    assert "content/guide.md, content/guide/index.md" in collisions[0].message


def test_case_only_collisions(make_site):
    root = make_site({"content/A.md": page("title: A"), "content/a.md": page("title: a")})
    _, report = load_site(root)
    assert {d.path for d in report.items if d.code == "url-collision"} == {
        "content/A.md",
        "content/a.md",
    }


def test_missing_source_page_is_named_with_a_suggestion(make_site):
    root = make_site(
        {
            "content/guide/a.md": page("title: A\nderived_from:\n  - page: ../sensor/probe.md"),
            "content/sensors/probe.md": page("title: Probe"),
        }
    )
    _, report = load_site(root)
    [d] = report.items
    assert (d.code, d.path, d.line, d.column) == ("missing-source", "content/guide/a.md", 4, 5)
    assert d.hint == "did you mean '../sensors/probe.md'?"
