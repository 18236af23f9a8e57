"""A profile's ``fields:`` mapping wins over the page's own field of that name, and
Jekyll's ``published: false`` holds a page back like ``draft: true``, on every site."""

from __future__ import annotations

import json
import re

from commonsgen.build import BuildOptions, build
from tests.conftest import MINIMAL_CONFIG, page

PROFILE = """\
content: lessons
languages: folders
roles: {authors: author, translator: translator}
fields: {translation_date: date}
translation_of: {field: original, by: stem}
license: CC-BY-4.0
"""


def test_a_translation_is_dated_and_cited_by_its_translation_date(make_site):
    root = make_site(
        {
            "commonsgen.yml": "title: Journal\nbase_url: https://j.example.org/\n"
            "profile: journal.yml\n",
            "journal.yml": PROFILE,
            "lessons/sed.md": page("title: Sed\nauthors: [Ada Mensah]\ndate: 2017-03-01"),
            "lessons/es/sed.md": page(
                """\
                title: Sed en español
                lang: es
                original: sed
                authors: [Ada Mensah]
                translator: [Lin Zhou]
                date: 2017-03-01
                translation_date: 2021-09-15
                """
            ),
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1, git=False))
    assert not result.report.errors, result.report.items
    assert not [d for d in result.report.items if d.code == "unknown-field"]
    translated = result.site.pages["es/sed.md"]
    assert str(translated.date) == "2021-09-15"  # the profile's mapping wins
    html = result.files["es/sed/index.html"].decode()
    byline = " ".join(re.sub(r"<[^>]+>", " ", html.split('class="byline"')[1]).split())
    assert "Publicado el 2021-09-15" in byline
    assert "Original publicado el 2017-03-01" in byline  # the original's date, named as such
    assert "year = {2021}" in html and "PY  - 2021" in html
    csl = json.loads(
        re.search(r'id="cite-csl-json"[^>]*>(.*?)</code>', html, re.S)
        .group(1)
        .replace("&#34;", '"')
        .replace("&quot;", '"')
    )
    item = csl[0] if isinstance(csl, list) else csl
    assert item["issued"]["date-parts"] == [[2021, 9, 15]]
    original = result.files["sed/index.html"].decode()
    assert "original-date" not in original


def test_published_false_is_a_draft_on_any_site(make_site):
    root = make_site(
        {
            "content/index.md": page("title: Home"),
            "content/held.md": page("title: Held back\npublished: false"),
            "content/shown.md": page("title: Shown\npublished: true"),
            "content/dated.md": page("title: Dated\npublished: 2020-01-01"),  # not Jekyll's switch
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1, git=False))
    assert not result.report.errors, result.report.items
    assert "held/index.html" not in result.files
    assert "shown/index.html" in result.files and "dated/index.html" in result.files
    drafts = build(root, BuildOptions(write=False, jobs=1, git=False, drafts=True))
    assert "held/index.html" in drafts.files


def test_a_profile_reading_published_as_draft_is_refused_with_a_hint(make_site):
    root = make_site(
        {
            "commonsgen.yml": MINIMAL_CONFIG + "profile:\n  fields:\n    published: draft\n",
            "content/a.md": page("title: A"),
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1, git=False))
    (error,) = result.report.errors
    assert (error.path, error.line, error.code) == ("commonsgen.yml", 7, "bad-profile")
    assert "inverse" in error.message and error.hint == "remove this line"
