"""The theme's interface strings in the page's language, extensible by the site."""

from __future__ import annotations

import html as htmllib
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

from commonsgen import i18n
from commonsgen.build import BuildOptions, build
from commonsgen.render import builtin_themes_dir
from tests.conftest import EXAMPLE_SITE, page

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


def test_plural_forms_follow_each_languages_rule(tmp_path: Path):
    assert [i18n.is_one("en", n) for n in (0, 1, 2)] == [False, True, False]
    assert [i18n.is_one("de", n) for n in (0, 1, 2)] == [False, True, False]
    assert [i18n.is_one("fr", n) for n in (0, 1, 2)] == [True, True, False]
    assert [i18n.is_one("pt-BR", n) for n in (0, 1, 2)] == [True, True, False]
    assert [i18n.is_one("pt-PT", n) for n in (0, 1, 2)] == [False, True, False]
    (tmp_path / "en.yml").write_text(
        'page_count_one: "{count} page"\npage_count: "{count} pages"\nonly: "{count} x"\n'
    )
    (tmp_path / "fr.yml").write_text(
        'page_count_one: "{count} page"\npage_count: "{count} pages"\n'
    )
    catalogue = i18n.Catalogue([tmp_path])
    assert catalogue.plural("en", "page_count", 1) == "{count} page"
    assert catalogue.plural("en", "page_count", 0) == "{count} pages"
    assert catalogue.plural("fr", "page_count", 0) == "{count} page"
    assert catalogue.plural("en", "only", 1) == "{count} x"  # no singular form: the other


def test_fill_replaces_each_placeholder_once_and_keeps_html_safe():
    assert i18n.fill("{a} and {b}", {"a": "{b}", "b": "x"}) == "{b} and x"
    assert i18n.fill("{a} {missing}", {"a": 1}) == "1 {missing}"
    link = Markup('<a href="/p/">P &amp; Q</a>')
    filled = i18n.fill("<b>{page}</b> by {name}", {"page": link, "name": "<Ana>"})
    assert isinstance(filled, Markup)
    assert filled == '&lt;b&gt;<a href="/p/">P &amp; Q</a>&lt;/b&gt; by &lt;Ana&gt;'


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_every_translation_has_the_english_placeholders_and_plural_forms():
    folder = builtin_themes_dir() / "default" / "i18n"
    english = i18n._read(folder / "en.yml")
    for key in english:
        if key.endswith(i18n.ONE):
            assert key.removesuffix(i18n.ONE) in english, f"{key} has no other form"
    for lang in ("de", "es", "fr", "pt"):
        strings = i18n._read(folder / f"{lang}.yml")
        for key, text in english.items():
            if key.endswith(i18n.ONE) and "{count}" not in strings[key]:
                continue  # "1 change": the singular may spell its number out
            assert _placeholders(strings[key]) == _placeholders(text), (lang, key)


def _interface_fragments(lang: str) -> set[str]:
    """The English catalogue's strings, as the pieces between placeholders, where ``lang``
    says something else; long enough not to be a name or a word of any language."""
    folder = builtin_themes_dir() / "default" / "i18n"
    english, other = i18n._read(folder / "en.yml"), i18n._read(folder / f"{lang}.yml")
    found = set()
    for key, text in english.items():
        if other[key] == text:
            continue  # the same in both ("Original", "Software")
        for part in re.split(r"\{\w+\}", text):
            part = part.strip(" ,.:;()")
            if re.search("[a-z]", part) and len(part) >= (7 if " " in part else 5):
                found.add(part)
    return found


_CONTENT = re.compile(
    r'(?s)<div class="content">.*?(?=<nav class="pager"|<section class="credits"|</main>)'
    r'|<ol>\s*<li class="toc-level.*?</ol>|<script.*?</script>|<pre.*?</pre>'
)
"""What editors wrote (the text and its headings in "On this page"; their ``changes:``
notes in the credits are made German instead), scripts and citations' fields."""
_WORDS_IN_ATTRIBUTES = re.compile(
    r"\s(?:aria-label|title|placeholder|alt|content|data-copied|data-failed|data-copy-code"
    r'|data-copy-code-label)="([^"]*)"'
)


def english_in(html: str, fragments: set[str]) -> list[str]:
    html = _CONTENT.sub(" ", html)
    shown = re.sub(r"<[^>]*>", " ", html) + " " + " ".join(_WORDS_IN_ATTRIBUTES.findall(html))
    shown = htmllib.unescape(shown)
    return sorted(f for f in fragments if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", shown))


def _german_pages(files: dict[str, bytes]) -> dict[str, str]:
    return {
        out: data.decode()
        for out, data in files.items()
        if out.endswith(".html") and '<html lang="de">' in data.decode()[:100]
    }


def _without_english_notes(root: Path) -> None:
    """Editors' ``changes:`` notes and media credits are content: made German here."""
    for path in (root / "content").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^(\s*changes:).*$", r"\1 gekürzt", text)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("site_language", ["en", "de"])
def test_german_pages_carry_no_english_interface_words(tmp_path: Path, site_language: str):
    """Example-site's German pages; and, with German as the site's language (its English
    text then labelled German), the pages commonsgen makes for the whole site
    (contributors, licences, tags, 404 ...)."""
    root = tmp_path / "site"
    shutil.copytree(EXAMPLE_SITE, root, ignore=shutil.ignore_patterns("public", ".commonsgen-*"))
    config = root / "commonsgen.yml"
    config.write_text(config.read_text().replace("language: en", f"language: {site_language}"))
    _without_english_notes(root)
    result = build(root, BuildOptions(write=False))
    assert not result.report.errors, [str(d) for d in result.report.errors]
    pages = _german_pages(result.files)
    if site_language == "en":
        kinds = {"de/index.html", "de/search/index.html", "de/translations/index.html"}
    else:
        made = ("contributors", "licenses", "tags", "search", "translations")
        kinds = {"404.html", *(f"{kind}/index.html" for kind in made)}
    assert kinds <= pages.keys()
    if site_language == "de":  # its pages' text, their summaries in listings, is English
        pages = {out: html for out, html in pages.items() if out in kinds}
    fragments = _interface_fragments("de")
    found = {out: english_in(html, fragments) for out, html in pages.items()}
    assert not {out: words for out, words in found.items() if words}
    if site_language == "en":  # the check sees what it looks for: English pages have them
        english = english_in(result.files["index.html"].decode(), fragments)
        assert {"Credits and licence", "Skip to content"} <= set(english)


def test_a_languages_site_title_is_the_sites_name_on_its_pages(make_site):
    root = make_site(
        {
            "commonsgen.yml": "title: River Handbook\nbase_url: https://example.org/\n"
            "language: en\nlanguages:\n  en: English\n"
            "  de: {title: Deutsch, site_title: Flusshandbuch}\n"
            "default_license: CC-BY-4.0\ngit: false\nchecks:\n  no-contributors: ignore\n",
            "content/index.md": page("title: Home"),
            "content/a.md": page("title: A\ndate: 2026-01-02"),
            "content/de/index.md": page("title: Start"),
            "content/de/a.md": page("title: A auf Deutsch\ndate: 2026-01-02"),
        }
    )
    result = build(root, BuildOptions(write=False, strict=True))
    assert not result.report.items, [str(d) for d in result.report.items]
    german = result.files["de/a/index.html"].decode()
    assert '<a class="site-title" href="../">Flusshandbuch</a>' in german
    assert "<title>A auf Deutsch · Flusshandbuch</title>" in german
    assert '"isPartOf":{"@type":"WebSite","name":"Flusshandbuch"' in german
    assert "River Handbook" not in german
    assert "Flusshandbuch" in result.files["de/index.html"].decode()
    assert "<title>Start · Flusshandbuch</title>" in result.files["de/feed.xml"].decode()
    assert "River Handbook" not in result.files["de/search/index.html"].decode()
    english = result.files["a/index.html"].decode()
    assert "<title>A · River Handbook</title>" in english and "Flusshandbuch" not in english
