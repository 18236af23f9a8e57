"""Profiles: reading them (with positions and suggestions) and adopting a made-up community
whose repository follows its own conventions, by writing a profile alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonsgen.adopt.pages import file_title, first_heading, split_names
from commonsgen.adopt.profile import SHIPPED, matches, shipped_names
from commonsgen.build import BuildOptions, build
from commonsgen.config import load_config
from commonsgen.diagnostics import Report
from tests.conftest import write_files


def config(tmp_path: Path, text: str, files: dict[str, str] | None = None):
    write_files(tmp_path, {"commonsgen.yml": text, **(files or {})})
    report = Report()
    return load_config(tmp_path, report), report


def test_the_three_corpus_profiles_ship_and_load(tmp_path):
    assert {"rdmkit", "opensource-guide", "carpentries"} <= set(shipped_names())
    for name in shipped_names():
        loaded, report = config(tmp_path, f"title: T\nprofile: {name}\n")
        assert loaded is not None and loaded.profile is not None, report.items
        assert not report.errors, report.items
        assert loaded.profile.name == name
    assert (SHIPPED / "rdmkit.yml").is_file()


def test_a_named_profile_supplies_config_defaults_the_site_can_override(tmp_path):
    loaded, _ = config(tmp_path, "title: T\nprofile: rdmkit\n")
    assert loaded.content_dir == "pages"
    assert loaded.default_license == "CC-BY-4.0"
    assert loaded.checks["uncredited-contributor"] == "ignore"
    assert loaded.markdown.liquid == "map"
    loaded, _ = config(
        tmp_path,
        "title: T\nprofile: rdmkit\ncontent_dir: docs\ndefault_license: CC-BY-SA-4.0\n"
        "checks: {uncredited-contributor: warning}\n",
    )
    assert loaded.content_dir == "docs"
    assert loaded.default_license == "CC-BY-SA-4.0"
    assert loaded.checks["uncredited-contributor"] == "warning"
    assert loaded.checks["broken-anchor"] == "warning"  # the profile's, kept


def test_an_unknown_profile_name_is_an_error_with_a_suggestion(tmp_path):
    loaded, report = config(tmp_path, "title: T\nprofile: rdmkt\n")
    assert loaded is None
    (error,) = report.errors
    assert (error.path, error.line, error.code) == ("commonsgen.yml", 2, "bad-profile")
    assert "rdmkit" in (error.hint or "")


def test_inline_profile_errors_point_at_their_line(tmp_path):
    loaded, report = config(
        tmp_path,
        "title: T\nprofile:\n  roles:\n    reviewers: reviwer\n  langauges: folders\n"
        "  checks: {unknown-license: ignore}\n",
    )
    assert loaded is None
    found = {(d.code, d.line) for d in report.items}
    assert ("bad-profile", 4) in found  # unknown role, did you mean reviewer
    assert ("unknown-profile-key", 5) in found
    assert ("bad-profile", 6) in found  # a licence check cannot be changed
    role = next(d for d in report.items if d.line == 4)
    assert "reviewer" in (role.hint or "")
    key = next(d for d in report.items if d.line == 5)
    assert "languages" in (key.hint or "")


def test_a_profile_file_of_the_site_extends_a_shipped_one(tmp_path):
    loaded, report = config(
        tmp_path,
        "title: T\nprofile: conventions/ours.yml\n",
        {
            "conventions/ours.yml": "extends: carpentries\nlicense: CC-BY-SA-4.0\n"
            "markdown: {liquid: strip}\n"
        },
    )
    assert not report.errors, report.items
    assert loaded.profile.license == "CC-BY-SA-4.0"
    assert loaded.profile.include[:2] == ("index.md", "episodes")  # from carpentries
    # markdown options merge one by one: the base's fenced divs stay on
    assert loaded.markdown.fenced_divs and loaded.markdown.liquid == "strip"


def test_a_bad_value_in_a_profile_file_names_that_file(tmp_path):
    loaded, report = config(
        tmp_path,
        "title: T\nprofile: p.yml\n",
        {"p.yml": "roles: [editors]\nsection_pages: yes please\n"},
    )
    assert loaded is None
    assert {(d.path, d.line) for d in report.errors} == {("p.yml", 1), ("p.yml", 2)}


def test_profiles_that_extend_each_other_in_a_loop_are_refused(tmp_path):
    loaded, report = config(
        tmp_path,
        "title: T\nprofile: a.yml\n",
        {"a.yml": "extends: b.yml\n", "b.yml": "extends: a.yml\n"},
    )
    assert loaded is None
    assert any("loop" in d.message for d in report.errors)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Ada Mensah, Sam Okafor and Lin Zhou", ["Ada Mensah", "Sam Okafor", "Lin Zhou"]),
        ("Ada Mensah & Sam Okafor; Lin", ["Ada Mensah", "Sam Okafor", "Lin"]),
        ("Sandra Anderson", ["Sandra Anderson"]),
        ("Martin Luther King, Jr., Ada Mensah", ["Martin Luther King, Jr.", "Ada Mensah"]),
        ("John Smith, III and Zo&#235; Salda&#241;a", ["John Smith, III", "Zoë Saldaña"]),
        ("<!--- list the contributors --->", []),
    ],
)
def test_names_written_in_one_string(text, names):
    assert split_names(text) == names


def test_title_fallbacks():
    assert first_heading("Intro text\n\n## Data storage ##\n\n# Later") == "Data storage"
    assert first_heading("no heading") is None
    assert file_title("your_tasks/data-storage.md", "Kit") == "Data storage"
    assert file_title("episodes/index.md", "Kit") == "Episodes"
    assert file_title("index.md", "Kit") == "Kit"


def test_path_patterns():
    assert matches("de/README.md", "README.md")
    assert matches("drafts/a/b.md", "drafts/")
    assert matches("a/b.Rmd", "*.Rmd")
    assert not matches("episodes/intro.md", "*.Rmd")


COMMUNITY = {
    # The Lagoon Atlas: a made-up community whose pages name people in full under their
    # own field names, keep a list-shaped registry and link translations by a key.
    "commonsgen.yml": "title: Lagoon Atlas\nbase_url: https://atlas.example.org/\n"
    "profile: lagoon-profile.yml\n",
    "lagoon-profile.yml": """\
content: articles
roles:
  writers: author
  writer: author
  reviewed_by: reviewer
  translated_by: translator
split_names: [writers]
fields:
  abstract: summary
translation_of:
  field: original
  by: stem
languages: folders
untranslated: untranslated
registry:
  file: people/members.yml
  shape: list
  key: full_name
  fields:
    orcid: orcid_id
    url: "https://social.example.org/@{handle}"
credit:
  file: AUTHORS
  role: author
license: CC-BY-4.0
ignore: [layout]
""",
    "AUTHORS": "# the atlas team\nMira Castell <mira@example.org>\n\nTeo Banda\n",
    "people/members.yml": """\
- full_name: Ines Duarte
  orcid_id: 0000-0002-1825-0097
  handle: ines
- full_name: Kofi Mensah
- handle: nobody
""",
    "articles/seagrass.md": """\
---
title: Seagrass meadows
writers: Ines Duarte, Kofi Mensah and Ana Lopes
writer: Kofi Mensah
reviewed_by:
abstract: Why meadows matter.
layout: article
---
Text.
""",
    "articles/tides.md": "---\ntitle: Tides\nlayout: article\n---\nNo names here.\n",
    "articles/pt/tides.md": "---\ntitle: Tides\nlang: pt\nuntranslated: true\n---\nEnglish.\n",
    "articles/pt/pradarias.md": """\
---
title: Pradarias marinhas
original: seagrass
translated_by: [Ines Duarte]
writers: ~
---
Texto.
""",
}


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("atlas"), COMMUNITY)
    return build(root, BuildOptions(write=False, jobs=1))


def test_a_new_community_is_adopted_by_a_profile_alone(atlas):
    assert not atlas.report.errors, atlas.report.items
    site = atlas.site
    seagrass = site.pages["seagrass.md"]
    assert [(c.name, c.roles, c.contributor_id) for c in seagrass.contributors] == [
        ("Ines Duarte", ("author",), "ines-duarte"),
        ("Kofi Mensah", ("author",), "kofi-mensah"),  # both spellings: credited once
        ("Ana Lopes", ("author",), None),
    ]
    assert seagrass.summary == "Why meadows matter."
    assert site.registry["ines-duarte"].orcid == "0000-0002-1825-0097"
    assert site.registry["ines-duarte"].url == "https://social.example.org/@ines"
    assert site.registry["kofi-mensah"].url is None  # no handle: no made-up address


def test_unknown_people_are_a_warning_and_credited_by_name(atlas):
    (warning,) = [d for d in atlas.report.items if d.code == "unknown-contributor"]
    assert warning.severity == "warning"
    assert (warning.path, warning.line) == ("articles/seagrass.md", 3)
    assert "Ana Lopes" in warning.message
    assert any(d.code == "contributor-without-name" for d in atlas.report.warnings)


def test_site_credit_and_translation_key(atlas):
    site = atlas.site
    tides = site.pages["tides.md"]
    assert [c.name for c in tides.contributors] == ["Mira Castell", "Teo Banda"]
    pt = site.pages["pt/pradarias.md"]
    assert pt.lang == "pt"
    assert pt.translation_of is not None and pt.translation_of.page == "seagrass.md"
    assert [(c.name, c.roles) for c in pt.contributors] == [("Ines Duarte", ("translator",))]
    assert site.translations["seagrass.md"] == ("pt/pradarias.md",)
    assert site.attribution.license_of("pt/pradarias.md").id == "CC-BY-4.0"
    # a copy of the English text waiting for its translator is English, and no translation
    assert site.pages["pt/tides.md"].lang == "en"
    assert "tides.md" not in site.translations and "pt/tides.md" not in site.translations
    # fields the profile reads or ignores are no "unknown field"
    assert not [d for d in atlas.report.items if d.code == "unknown-field"]


def test_without_a_profile_an_unknown_person_is_still_an_error(tmp_path):
    root = write_files(
        tmp_path,
        {
            "commonsgen.yml": "title: T\ndefault_license: CC-BY-4.0\n",
            "content/a.md": "---\ntitle: A\ncontributors: [Ana Lopes]\n---\n",
        },
    )
    result = build(root, BuildOptions(write=False, jobs=1))
    assert [d.code for d in result.report.errors] == ["unknown-contributor"]


def test_messy_values_never_crash(tmp_path):
    root = write_files(
        tmp_path,
        {
            "commonsgen.yml": "title: T\nprofile:\n  roles: {authors: author, editors: editor}\n"
            "  license: CC-BY-4.0\n",
            "content/a.md": "---\ntitle: A\nauthors: [[nested], {name: Sam}, 7, true, null]\n"
            "editors: {id: x}\nsummary: null\ncontributors: Ada\n---\n",
        },
    )
    result = build(root, BuildOptions(write=False, jobs=1))
    assert not result.report.errors, result.report.items
    names = [(c.name, c.roles) for c in result.site.pages["a.md"].contributors]
    assert ("Sam", ("author",)) in names and ("7", ("author",)) in names
    assert ("Ada", ("author",)) in names and ("x", ("editor",)) in names


def test_top_level_content_with_section_pages(tmp_path):
    """A Jekyll-like repository: pages at the top next to files that are no content, a
    section's page beside its folder, and the output folder inside the content folder."""
    root = write_files(
        tmp_path,
        {
            "commonsgen.yml": "title: Kit\nprofile:\n  content: .\n"
            "  include: [index.md, guide, guide.md]\n  section_pages: true\n  links: stem\n"
            "  credit: {names: [Kit team]}\n  license: CC-BY-4.0\n",
            "index.md": "---\ntitle: Home\n---\n",
            "guide.md": "---\ntitle: The guide\n---\n",
            "guide/a.md": "---\ntitle: A\n---\nSee [B](b), [the guide](guide.html), [home](/).\n",
            "guide/b.md": "---\ntitle: B\n---\n",
            "notes.md": "---\ntitle: Not published\n---\n",
        },
    )
    for _ in range(2):  # the second build must not read the first one's output as content
        result = build(root, BuildOptions(git=False, jobs=1))
        assert not result.report.errors, result.report.items
        assert result.written
        assert set(result.site.pages) == {"index.md", "guide/index.md", "guide/a.md", "guide/b.md"}
    assert result.site.sections["guide"].title == "The guide"
    assert result.site.pages["guide/index.md"].source.site_path == "guide.md"
    assert [c.name for c in result.site.pages["guide/a.md"].contributors] == ["Kit team"]
    assert (root / "public" / "guide" / "index.html").is_file()
    # links: stem — pages named by file name alone, as Jekyll's permalink: /:basename allows
    page = (root / "public" / "guide" / "a" / "index.html").read_text()
    assert '<a href="../b/">B</a>' in page and '<a href="../">the guide</a>' in page
    assert (root / "notes.md").is_file()  # nothing the user made is touched


# The shipped profiles on miniatures of their repositories (the real ones are in
# tests/test_corpora.py, which skips where ../shared/corpora is absent, as in CI).

MINIATURES = {
    "rdmkit": {
        "_data/CONTRIBUTORS.yaml": "Flora D'Anna:\n    git: floradanna\n"
        "    orcid: 0000-0003-4665-6673\nXènia Pérez Sitjà:\n    git: xenia\n",
        "pages/your_tasks.md": "---\ntitle: Your tasks\n---\n",
        "pages/your_tasks/storage.md": "---\ntitle: Data storage\n"
        "contributors: [Flora D'Anna, Xènia Pérez Sitjà]\neditors: Flora D'Anna\n"
        'coordinators:\npage_id: storage\n---\nSee {% tool "zenodo" %} and [x](sharing).\n',
        "pages/your_tasks/sharing.md": "---\ntitle: Sharing\ncontributors: [New Person]\n---\n",
        "_data/tool_and_resource_list.yml": "- id: zenodo\n  name: Zenodo\n"
        "  url: https://zenodo.org\n",
    },
    "opensource-guide": {
        "_articles/legal.md": "---\nlang: en\ntitle: Legal\norder: 2\nclass: legal\n---\nText.\n",
        "_articles/de/legal.md": "---\nlang: de\ntitle: Recht\nrelated: [x]\n---\nText.\n",
        "_articles/fr/legal.md": "---\nlang: fr\ntitle: Legal\nuntranslated: true\n---\nText.\n",
        "_articles/fr/README.md": "Notes for translators, no frontmatter.\n",
    },
    "carpentries": {
        "AUTHORS": "Ada Mensah\nSam Okafor\n",
        "index.md": "---\nsite: sandpaper::sandpaper_site\n---\nWelcome.\n",
        "episodes/02-later.md": "---\ntitle: Zebra\n---\n",
        "episodes/01-first.md": "---\ntitle: Apples\nteaching: 5\n---\n"
        "::: challenge\n\n## Try it\n\nDo this.\n\n:::\n",
        "README.md": "# Not a page\n",
    },
}


@pytest.mark.parametrize("name", sorted(MINIATURES))
def test_shipped_profiles_on_miniatures(tmp_path, name):
    files = {"commonsgen.yml": f"title: Mini\nprofile: {name}\n", **MINIATURES[name]}
    result = build(write_files(tmp_path, files), BuildOptions(git=False, jobs=1))
    assert not result.report.errors, result.report.items
    site = result.site
    assert site.pages_by_license.keys() == {"CC-BY-4.0"}
    if name == "rdmkit":
        storage = {c.name: c.roles for c in site.pages["your_tasks/storage.md"].contributors}
        assert storage == {"Flora D'Anna": ("author", "editor"), "Xènia Pérez Sitjà": ("author",)}
        assert site.registry["flora-danna"].url == "https://github.com/floradanna"
        assert "xènia-pérez-sitjà" in site.registry  # letters of any script kept
        assert site.sections["your_tasks"].index_page == "your_tasks/index.md"
        assert [d.code for d in result.report.warnings] == ["unknown-contributor"]
        storage_html = result.files["your_tasks/storage/index.html"].decode()
        assert '<a href="https://zenodo.org">Zenodo</a>' in storage_html  # from the tool list
    elif name == "opensource-guide":
        assert set(site.pages) == {"legal.md", "de/legal.md", "fr/legal.md"}
        assert site.translations["legal.md"] == ("de/legal.md",)
        assert site.pages["fr/legal.md"].lang == "en"
        assert [c.name for c in site.pages["de/legal.md"].contributors] == [
            "Open Source Guides authors"
        ]
        assert site.pages["legal.md"].weight == 2
        assert not result.report.warnings
    else:
        assert site.sections["episodes"].pages == ("episodes/01-first.md", "episodes/02-later.md")
        assert site.pages["index.md"].title == "Mini"
        names = [c.name for c in site.pages["episodes/02-later.md"].contributors]
        assert names == ["Ada Mensah", "Sam Okafor", "The Carpentries"]
        assert "README.md" not in site.pages
        assert not result.report.warnings


def test_a_profile_file_outside_the_site_is_refused(tmp_path):
    site = tmp_path / "site"
    (tmp_path / "elsewhere.yml").write_text("license: CC0-1.0\n")
    for written in ("../elsewhere.yml", str(tmp_path / "elsewhere.yml")):
        loaded, report = config(site, f"title: T\nprofile: {written}\n")
        assert loaded is None
        assert "outside the site folder" in report.errors[0].message


@pytest.mark.parametrize(
    ("data", "severity"), [("../outside.yml", "error"), ("missing.yml", "warning")]
)
def test_a_tag_data_file_problem_is_reported_where_the_profile_names_it(tmp_path, data, severity):
    text = (
        "title: T\nprofile:\n  markdown:\n    liquid: map\n    liquid_tags:\n      tool:\n"
        f"        template: '[{{name}}]({{url}})'\n        data: {data}\n"
    )
    _, report = config(tmp_path, text)
    found = [d for d in report.items if d.code == "profile-data"]
    assert [(d.path, d.line, d.column, d.severity) for d in found] == [
        ("commonsgen.yml", 8, 9, severity)
    ]
