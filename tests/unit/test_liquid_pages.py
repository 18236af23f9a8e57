"""The Liquid pass on real lessons: code found as CommonMark finds it, tag templates that
use the page's variables, and figures whose caption is Markdown and whose image is
checked, with diagnostics at the tag's line."""

from __future__ import annotations

import pytest

from commonsgen.build import BuildOptions, build
from commonsgen.markdown.dialect import MarkdownOptions
from commonsgen.markdown.preprocess import apply_liquid, code_ranges
from commonsgen.markdown.writer import code_ranges as engine_code_ranges

MAP = MarkdownOptions(liquid="map", liquid_tags=(("x", "X"),))

CASES = [
    # an inline span of three backticks: the tag after it runs
    ("Run ```sed -e :a in.txt``` runs it. {% x %}\n", "X"),
    # fences at up to three spaces, in lists and quotes: what is inside is code
    ("   ```\n{% x %}\n   ```\n", "{% x %}"),
    ("- item\n\n  ~~~\n  {% x %}\n  ~~~\n", "{% x %}"),
    ("> ```\n> {% x %}\n> ```\n", "{% x %}"),
    ("1. step\n\n   ```bash\n   {% x %}\n   ```\n", "{% x %}"),
]


@pytest.mark.parametrize(("text", "kept"), CASES)
@pytest.mark.parametrize("finder", [code_ranges, engine_code_ranges], ids=["own", "engine"])
def test_code_is_found_as_commonmark_finds_it(text, kept, finder):
    out = apply_liquid(text, MAP, lambda name: None, finder)
    assert kept in out
    if kept == "X":
        assert "{% x %}" not in out


PROFILE = """\
title: J
base_url: https://j.example.org/
profile:
  content: lessons
  languages: folders
  translation_of: {field: original, by: stem}
  license: CC-BY-4.0
  credit: {names: [Team]}
  markdown:
    liquid: map
    html_markdown: true
    liquid_tags:
      include figure.html: "<figure markdown=\\"1\\">\\n\\n![{alt}](/images/{page.original_slug}/{filename})\\n\\n<figcaption markdown=\\"1\\">{caption}</figcaption>\\n</figure>"
      lang: "{page.lang}/{page.slug}"
"""


def _site(make_site, figure: str = "ok.png"):
    return make_site(
        {
            "commonsgen.yml": PROFILE,
            "lessons/images/sed/ok.png": b"png",
            "lessons/sed.md": "---\ntitle: Sed\n---\nAn original.\n",
            "lessons/es/sed-es.md": (
                "---\ntitle: Sed ES\noriginal: sed\n---\n"
                "Con ```sed -e :a``` así: {% lang %}\n\n"
                f'{{% include figure.html filename="{figure}" alt="Un diagrama" '
                'caption="Un *diagrama* de [sed](https://example.org)" %}\n'
            ),
        }
    )


def test_a_tag_template_uses_the_pages_variables_and_makes_a_figure(make_site):
    result = build(_site(make_site), BuildOptions(write=False, jobs=1, git=False))
    assert not result.report.errors, result.report.items
    html = result.files["es/sed-es/index.html"].decode()
    assert "así: es/sed-es" in html  # {page.lang}/{page.slug}, after an inline code span
    assert '<img src="../../images/sed/ok.png" alt="Un diagrama">' in html  # original's slug
    assert (
        '<figcaption>Un <em>diagrama</em> de <a href="https://example.org">sed</a></figcaption>'
        in html
    )


def test_a_figures_image_is_checked_at_the_tags_line(make_site):
    result = build(_site(make_site, "gone.png"), BuildOptions(write=False, jobs=1, git=False))
    (error,) = result.report.errors
    assert (error.path, error.line, error.code) == ("lessons/es/sed-es.md", 7, "missing-image")
    assert "images/sed/gone.png" in error.message
