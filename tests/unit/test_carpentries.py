"""A Workbench lesson as its maintainers keep it: config.yaml gives the title, the order of
the episodes and learners' pages and the licence; CITATION.cff (or CITATION) how it is
cited; AUTHORS who is credited."""

from __future__ import annotations

import yaml

from commonsgen.build import BuildOptions, build
from tests.conftest import write_files
from tests.unit.test_citation_cff import assert_valid_cff

LESSON = {
    "commonsgen.yml": "base_url: https://lesson.example.org/\nprofile: carpentries\n"
    "citation: {cff: true}\n",
    "config.yaml": """\
carpentry: 'swc'
title: 'The Unix Shell'
license: 'CC-BY-SA 4.0'
episodes:
- 02-filedir.md
- 01-intro.md
learners:
- setup.md
""",
    "CITATION.cff": """\
cff-version: 1.2.0
title: The Unix Shell
authors:
- given-names: Gabriel A.
  family-names: Devenyi
- given-names: Ludwig
  name-particle: van
  family-names: Beethoven
  name-suffix: Jr.
- name: The Carpentries
preferred-citation:
  type: generic
  title: The Unix Shell
  editors:
  - given-names: Christina
    family-names: Koch
  authors:
  - name: The Carpentries
doi: 10.5281/zenodo.3266823
""",
    "AUTHORS": "the-lesson was written by:\nAda Mensah <ada@example.org>\nSam Okafor\n",
    "index.md": "---\nsite: sandpaper::sandpaper_site\n---\nWelcome.\n",
    "episodes/01-intro.md": "---\ntitle: Introducing the shell\n---\nText.\n",
    "episodes/02-filedir.md": "---\ntitle: Navigating files\n---\nText.\n",
    "episodes/03-unlisted.md": "---\ntitle: Not in config.yaml\n---\nText.\n",
    "learners/setup.md": "---\ntitle: Setup\n---\n![A shell](fig/shell.png)\n\n"
    "Get [the data](data/surveys.csv).\n",
    "episodes/fig/shell.png": "png",
    "episodes/data/surveys.csv": "a,b\n",
}


def _lesson(tmp_path, files=LESSON):
    return build(write_files(tmp_path, files), BuildOptions(write=False, jobs=1, git=False))


def test_config_yaml_gives_title_order_and_licence(tmp_path):
    result = _lesson(tmp_path)
    assert not result.report.errors, result.report.items
    site = result.site
    assert site.config.title == "The Unix Shell"  # commonsgen.yml has no title:
    assert site.sections["episodes"].pages == ("episodes/02-filedir.md", "episodes/01-intro.md")
    assert "episodes/03-unlisted.md" not in site.pages  # the lesson's tool does not build it
    assert site.pages_by_license.keys() == {"CC-BY-SA-4.0"}


def test_citation_cff_gives_the_citation_and_authors_the_credits(tmp_path):
    result = _lesson(tmp_path)
    intro = result.site.pages["episodes/01-intro.md"]
    assert [c.name for c in intro.contributors] == ["Ada Mensah", "Sam Okafor", "The Carpentries"]
    html = result.files["episodes/01-intro/index.html"].decode()
    bibtex = html.split('id="cite-bibtex"')[1].split("</code>")[0]
    assert (
        "author = {{Gabriel A. Devenyi} and {Ludwig van Beethoven, Jr.} and {The Carpentries}}"
        in bibtex
    )
    assert "editor = {{Christina Koch}}" in bibtex
    assert "doi = {10.5281/zenodo.3266823}" in bibtex
    cff = yaml.safe_load(result.files["CITATION.cff"])
    assert_valid_cff(cff)  # against CFF 1.2.0's schema, editors included
    assert [a["name"] for a in cff["authors"]] == [
        "Gabriel A. Devenyi",
        "Ludwig van Beethoven, Jr.",
        "The Carpentries",
    ]
    assert cff["doi"] == "10.5281/zenodo.3266823"
    assert cff["preferred-citation"]["editors"] == [{"name": "Christina Koch"}]


def test_a_plain_citation_file_gives_the_doi(tmp_path):
    files = {k: v for k, v in LESSON.items() if k != "CITATION.cff"}
    files["CITATION"] = (
        'Please cite as: Gabriel A. Devenyi (ed): "Software Carpentry: The Unix Shell." '
        "Version 2019.06.1, June 2019, https://doi.org/10.5281/zenodo.3266823\n"
    )
    result = _lesson(tmp_path, files)
    assert not result.report.errors, result.report.items
    assert result.site.config.citation.doi == "10.5281/zenodo.3266823"


def test_without_config_yaml_the_lesson_still_needs_a_title(tmp_path):
    files = {k: v for k, v in LESSON.items() if k != "config.yaml"}
    result = _lesson(tmp_path, files)
    (error,) = result.report.errors
    assert (error.path, error.code) == ("commonsgen.yml", "config-missing-key")
    assert "title" in error.message


def test_pages_of_the_merged_folders_find_each_others_files(tmp_path):
    result = _lesson(tmp_path)
    html = result.files["learners/setup/index.html"].decode()
    assert '<img src="../../episodes/fig/shell.png" alt="A shell"' in html
    assert 'href="../../episodes/data/surveys.csv"' in html
