"""The theme's interface strings in the page's language, extensible by the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonsgen import i18n
from commonsgen.build import BuildOptions, build
from commonsgen.render import builtin_themes_dir
from tests.conftest import page

CONFIG = """\
title: Handbook
language: en
languages:
  en: English
  pt: Português
  fr: Français
default_license: CC-BY-4.0
git: false
checks:
  no-contributors: ignore
"""


def test_every_language_of_the_default_theme_has_every_english_key():
    folder = builtin_themes_dir() / "default" / "i18n"
    english = set(i18n._read(folder / "en.yml"))
    for lang in ("de", "es", "fr", "pt"):
        assert set(i18n._read(folder / f"{lang}.yml")) == english, lang


def test_lookup_falls_back_to_the_base_language_then_english(tmp_path: Path):
    (tmp_path / "pt.yml").write_text("on_this_page: Nesta página\n", encoding="utf-8")
    (tmp_path / "en.yml").write_text("on_this_page: On this page\nby: By\n", encoding="utf-8")
    catalogue = i18n.Catalogue([tmp_path])
    assert catalogue.lookup("pt-BR", "on_this_page") == "Nesta página"
    assert catalogue.lookup("pt", "by") == "By"
    with pytest.raises(KeyError, match="no interface string 'nope'"):
        catalogue.lookup("pt", "nope")


def test_pages_use_their_language_and_the_site_overrides_keys(make_site):
    root = make_site(
        {
            "commonsgen.yml": CONFIG,
            "i18n/fr.yml": "on_this_page: Dans cette page\n",
            "content/index.md": page("title: Home"),
            "content/pt/index.md": page("title: Início"),
            "content/fr/index.md": page("title: Accueil"),
            "content/pt/a.md": page("title: A", "## Um\n\nx\n\n## Dois\n\ny\n"),
            "content/fr/a.md": page("title: A", "## Un\n\nx\n\n## Deux\n\ny\n"),
            "content/a.md": page("title: A", "## One\n\nx\n\n## Two\n\ny\n"),
        }
    )
    result = build(root, BuildOptions(write=False, strict=True))
    assert not result.report.items, [str(d) for d in result.report.items]
    assert '<h2 id="toc-heading">Nesta página</h2>' in result.files["pt/a/index.html"].decode()
    assert '<h2 id="toc-heading">Dans cette page</h2>' in result.files["fr/a/index.html"].decode()
    english = result.files["a/index.html"].decode()
    assert '<h2 id="toc-heading">On this page</h2>' in english
    assert "Créditos e licença" in result.files["pt/a/index.html"].decode()


def test_an_unknown_key_is_a_template_error_at_its_line(make_site):
    root = make_site(
        {
            "commonsgen.yml": CONFIG,
            "content/index.md": page("title: Home"),
            "templates/page.html": "<p>\n{{ t('no_such_key') }}</p>\n",
            "content/a.md": page("title: A"),
        }
    )
    result = build(root, BuildOptions(write=False))
    [d] = result.report.errors
    assert (d.path, d.line, d.code) == ("templates/page.html", 2, "template-error")
    assert "no_such_key" in d.message
