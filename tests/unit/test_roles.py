"""The roles table: CRediT's roles and the roles of translations, words for each in every
theme language, translations' editors shown apart, and what the registry says about a
person on their contributor page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from commonsgen.build import BuildOptions, build
from commonsgen.roles import ROLES, TABLE, credit_url, normalise
from tests.conftest import page

THEME_I18N = Path(__file__).resolve().parents[2] / "themes" / "default" / "i18n"

CONFIG = """\
title: Journal
base_url: https://journal.example.org/
language: en
languages: {en: English, es: Español}
default_license: CC-BY-4.0
git: false
"""

REGISTRY = """\
eve:
  name: Eve Adler
  affiliation: [University of Lagos, {name: ELIXIR}]
  team_role: {en: Managing editor, es: Editora gerente}
  bio:
    es: Eve edita las lecciones en español.
tom:
  name: Tom Reyes
"""


@pytest.mark.parametrize("lang", ["en", "de", "es", "fr", "pt"])
def test_every_role_has_a_word_in_every_theme_language(lang):
    words = yaml.safe_load((THEME_I18N / f"{lang}.yml").read_text(encoding="utf-8"))
    missing = [role for role in ROLES if not words.get(f"role_{role}")]
    assert missing == []


def test_the_table_holds_credit_and_the_roles_of_translations():
    credit = [role.id for role in TABLE if role.credit]
    assert len(credit) == 14 and "writing-review-editing" in credit
    assert {"translation-editor", "translation-reviewer", "tester"} <= set(ROLES)
    assert credit_url("data-curation") == "https://credit.niso.org/contributor-roles/data-curation/"
    assert credit_url("editor") is None
    assert normalise("Translation Editor") == "translation-editor"
    assert normalise("writing_original_draft") == "writing-original-draft"


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    root = tmp_path_factory.mktemp("journal")
    files = {
        "commonsgen.yml": CONFIG,
        "contributors.yml": REGISTRY,
        "content/index.md": page("title: Home\ncontributors: [eve]"),
        "content/es/index.md": page("title: Inicio\ncontributors: [eve]"),
        "content/lesson.md": page(
            "title: Lesson\ncontributors:\n  - name: Ada Mensah\n  - id: eve\n    roles: [editor]"
        ),
        "content/es/leccion.md": page(
            """\
            title: Lección
            translation_of: ../lesson.md
            contributors:
              - name: Lin Zhou
                roles: [translator]
              - id: tom
                roles: [Translation Editor]
              - name: Sam Okafor
                roles: [translation-reviewer, tester]
              - id: eve
                roles: [editor]
            """
        ),
        "content/data.md": page(
            "title: Data\ncontributors:\n  - name: Kim Lee\n    roles: [data-curation]"
        ),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return build(root, BuildOptions(write=False, jobs=1))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_translation_names_the_originals_editors_apart_from_its_own(journal):
    assert not [d for d in journal.report.items if d.code == "unknown-role"]
    html = journal.files["es/leccion/index.html"].decode()
    byline = _text(re.search(r'<p class="byline">.*?</p>', html, re.S).group(0))
    assert "Original editado por Eve Adler" in byline
    assert "Traducción editada por Tom Reyes" in byline
    assert "Traducción revisada por Sam Okafor" in byline
    assert "Editado por" not in byline  # Eve edited the original: named once, as such
    credits = _text(html[html.index('class="credits"') :])
    assert "Sam Okafor (revisión de la traducción, pruebas)" in credits


def test_a_credit_role_alone_makes_its_person_the_works_maker(journal):
    html = journal.files["data/index.html"].decode()
    notice = _text(re.search(r'<p class="license-notice".*?</p>', html, re.S).group(0))
    assert notice.startswith("Data by Kim Lee")


def test_a_contributor_page_shows_affiliation_team_role_and_bio(journal):
    html = _text(journal.files["contributors/eve/index.html"].decode())
    assert "Role in the team Managing editor" in html
    assert "Affiliation University of Lagos ELIXIR" in html
    assert "Eve edita las lecciones en español." in html  # the only bio there is


def test_a_bio_of_the_wrong_shape_is_an_error_at_its_line(make_site):
    root = make_site(
        {
            "contributors.yml": "tom:\n  name: Tom Reyes\n  bio: [7]\n",
            "content/a.md": page("title: A\ncontributors: [tom]"),
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1))
    (odd,) = result.report.errors
    assert (odd.path, odd.line, odd.code) == ("contributors.yml", 3, "wrong-type")
    assert "bio must be a text" in odd.message


def test_an_affiliation_is_in_the_pages_json_ld(journal):
    html = journal.files["lesson/index.html"].decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    people = [
        p
        for p in [*data.get("author", []), *data.get("contributor", [])]
        if p["name"] == "Eve Adler"
    ]
    assert people and people[0]["affiliation"] == [
        {"@type": "Organization", "name": "University of Lagos"},
        {"@type": "Organization", "name": "ELIXIR"},
    ]


def test_an_adopted_registry_gives_affiliation_and_bio_through_its_fields(tmp_path):
    files = {
        "commonsgen.yml": "title: J\nbase_url: https://j.example.org/\nprofile: p.yml\n",
        "p.yml": "content: lessons\nlicense: CC-BY-4.0\nroles: {authors: author}\n"
        "registry:\n  file: _data/people.yml\n  shape: list\n  key: name\n"
        "  fields: {affiliation: institution, team_role: team}\n",
        "_data/people.yml": "- name: Ana Lopes\n  institution: Universidade do Porto\n"
        "  team: {en: Editor}\n  bio: {en: Ana edits lessons.}\n- name: Bo Li\n  bio: [x]\n",
        "lessons/a.md": "---\ntitle: A\nauthors: [Ana Lopes, Bo Li]\n---\n",
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    result = build(tmp_path, BuildOptions(write=False, jobs=1, git=False))
    assert not result.report.errors, result.report.items
    ana = result.site.registry["ana-lopes"]
    assert (ana.affiliation, ana.team_role, ana.bio) == (
        ("Universidade do Porto",),
        {"en": "Editor"},
        {"en": "Ana edits lessons."},
    )
    (odd,) = [d for d in result.report.warnings if d.code == "wrong-type"]
    assert (odd.path, odd.line) == ("_data/people.yml", 6)  # Bo Li keeps his name and page
    page = result.files["contributors/ana-lopes/index.html"].decode()
    assert "Universidade do Porto" in page and "Ana edits lessons." in page
