"""What a translated lesson journal needs on its pages: a visible DOI linked through the
resolver, the publication's name in each language in citations, and a visible list of the
original and the other versions."""

from __future__ import annotations

import json
import re

from commonsgen.build import BuildOptions, build
from tests.conftest import page

CONFIG = """\
title: The Programming Historian
base_url: https://ph.example.org/
language: en
languages:
  en: English
  es: {title: Español, site_title: The Programming Historian en español}
  fr: Français
default_license: CC-BY-4.0
git: false
checks: {no-contributors: ignore}
"""


def _journal(make_site):
    root = make_site(
        {
            "commonsgen.yml": CONFIG,
            "content/sed.md": page("title: Sed\ndoi: https://doi.org/10.46430/phen0001"),
            "content/es/sed.md": page(
                "title: Sed en español\ntranslation_of: ../sed.md\ndoi: 10.46430/phes0001"
            ),
            "content/fr/sed.md": page("title: Sed en français\ntranslation_of: ../sed.md"),
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1))
    assert not result.report.errors, result.report.items
    return {k: v.decode() for k, v in result.files.items() if k.endswith(".html")}


def test_a_doi_is_shown_and_linked_through_the_resolver(make_site):
    files = _journal(make_site)
    assert (
        '<span class="doi">DOI <a href="https://doi.org/10.46430/phen0001">10.46430/phen0001</a>'
        in files["sed/index.html"]
    )
    assert 'href="https://doi.org/10.46430/phes0001"' in files["es/sed/index.html"]
    assert 'class="doi"' not in files["fr/sed/index.html"]


def test_citations_name_the_publication_in_the_pages_language(make_site):
    files = _journal(make_site)

    def container(html: str) -> str:
        csl = re.search(r'id="cite-csl-json"[^>]*>(.*?)</code>', html, re.S).group(1)
        item = json.loads(csl.replace("&#34;", '"').replace("&quot;", '"'))
        item = item[0] if isinstance(item, list) else item
        return item["container-title"]

    assert container(files["es/sed/index.html"]) == "The Programming Historian en español"
    assert container(files["fr/sed/index.html"]) == "The Programming Historian"  # none given
    assert "howpublished = {The Programming Historian en español}" in files["es/sed/index.html"]


def test_a_translation_shows_its_original_and_the_other_versions(make_site):
    files = _journal(make_site)

    def versions(html: str) -> str:
        found = re.search(r'<p class="versions">(.*?)</p>', html, re.S)
        return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""

    assert versions(files["es/sed/index.html"]) == (
        "Original: Sed (English) También disponible en: Français"
    )
    assert versions(files["sed/index.html"]) == "Also available in: Español , Français"
    assert '<a href="../../sed/" hreflang="en" lang="en">Sed</a>' in files["es/sed/index.html"]


def test_a_language_setting_of_the_wrong_kind_is_an_error(make_site):
    root = make_site(
        {
            "commonsgen.yml": CONFIG.replace("site_title: The", "site_titel: The"),
            "content/a.md": page("title: A"),
        }
    )
    result = build(root, BuildOptions(write=False, jobs=1))
    (error,) = result.report.errors
    assert "unknown key 'site_titel'" in error.message
