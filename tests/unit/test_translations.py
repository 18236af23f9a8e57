"""Translations linked both ways: views, the language switcher and hreflang links."""

from __future__ import annotations

from commonsgen.build import BuildOptions, build
from tests.conftest import page

CONFIG = """\
title: Handbook
base_url: https://example.org/
language: en
languages:
  en: English
  de: Deutsch
  fr: Français
default_license: CC-BY-4.0
git: false
checks:
  no-contributors: ignore
"""


def _files(make_site, **pages: str) -> dict[str, str]:
    root = make_site({"commonsgen.yml": CONFIG, **pages})
    result = build(root, BuildOptions(write=False, strict=True))
    assert not result.report.items, [str(d) for d in result.report.items]
    return {k: v.decode() for k, v in result.files.items() if k.endswith(".html")}


def test_translation_of_links_both_ways_and_through_the_original(make_site):
    files = _files(
        make_site,
        **{
            "content/index.md": page("title: Home"),
            "content/de/index.md": page("title: Start"),
            "content/fr/index.md": page("title: Accueil"),
            "content/probe.md": page("title: Probe"),
            # Not at the same path: linked by translation_of alone.
            "content/de/sonde.md": page("title: Sonde\ntranslation_of: ../probe.md"),
            "content/fr/sonde.md": page("title: Sonde FR\ntranslation_of: ../probe.md"),
        },
    )
    original = files["probe/index.html"]
    assert '<link rel="alternate" hreflang="en" href="https://example.org/probe/">' in original
    assert '<link rel="alternate" hreflang="de" href="https://example.org/de/sonde/">' in original
    assert '<link rel="alternate" hreflang="fr" href="https://example.org/fr/sonde/">' in original
    # The switcher leads to the page's own translation, not the other language's home.
    assert '<a href="../de/sonde/" lang="de" hreflang="de" title="Sonde">Deutsch</a>' in original
    german = files["de/sonde/index.html"]
    assert '<a href="../../probe/" lang="en" hreflang="en" title="Probe">English</a>' in german
    # de and fr know each other through the English page they both translate.
    assert '<a href="../../fr/sonde/" lang="fr" hreflang="fr" title="Sonde FR">' in german


def test_same_path_in_a_language_folder_is_a_translation(make_site):
    files = _files(
        make_site,
        **{
            "content/index.md": page("title: Home"),
            "content/de/index.md": page("title: Start"),
            "content/guide/rivers.md": page("title: Rivers"),
            "content/de/guide/rivers.md": page("title: Flüsse"),
            "content/guide/lakes.md": page("title: Lakes"),
        },
    )
    rivers = files["guide/rivers/index.html"]
    assert 'hreflang="de" href="https://example.org/de/guide/rivers/"' in rivers
    # No translation: the switcher falls back to that language's home.
    lakes = files["guide/lakes/index.html"]
    assert 'rel="alternate" hreflang' not in lakes
    assert '<a href="../../de/" lang="de" hreflang="de">Deutsch</a>' in lakes
