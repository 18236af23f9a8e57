"""One policy for the schemes a published link may have: the Markdown writer, the raw-HTML
sanitiser and the templates' backstop agree, and a refused link in a page's text is an
error at its own line, not a theme template's."""

from __future__ import annotations

import pytest

from commonsgen.build import BuildOptions, build
from commonsgen.markdown.html import sanitize
from commonsgen.render import refused_link
from tests.conftest import page


def diagnostics(make_site, body: str) -> list[tuple[str, int | None, int | None, str]]:
    root = make_site({"content/a.md": page("title: A", body)})
    result = build(root, BuildOptions(write=False, git=False))
    return [(d.path, d.line, d.column, d.code) for d in result.report.items]


@pytest.mark.parametrize(
    ("body", "column"),
    [
        ("See [the script](javascript:alert(1)).\n", 18),
        ("See [x](  JavaScript:alert(1)).\n", 11),
        ("See [x](vbscript:x).\n", 9),
        ("See [x](data:text/html,hi).\n", 9),
        ("See [x](file:///etc/passwd).\n", 9),
        ("See ![a map](javascript:x).\n", 14),
    ],
)
def test_a_link_that_is_not_published_is_an_error_at_its_line(make_site, body, column):
    assert diagnostics(make_site, body) == [("content/a.md", 4, column, "bad-url")]


@pytest.mark.parametrize(
    ("body", "column", "hint"),
    [
        # seen in two real repositories: a typo that used to become a dead link unreported
        ("See [Dublin Core](hhttps://www.dublincore.org/).\n", 19, "did you mean 'https:'?"),
        ("See [x](ftp://ftp.example.org/f).\n", 9, "mailto: or tel: (our policy)"),
        ("See [x](irc://irc.example.org/chat).\n", 9, "mailto: or tel: (our policy)"),
    ],
)
def test_a_link_whose_scheme_no_browser_opens_as_a_page_is_a_warning(make_site, body, column, hint):
    root = make_site({"content/a.md": page("title: A", body)})
    result = build(root, BuildOptions(git=False))
    (warning,) = [d for d in result.report.items if d.code == "link-scheme"]
    assert (warning.path, warning.line, warning.column) == ("content/a.md", 4, column)
    assert warning.hint is not None and warning.hint.endswith(hint)
    assert not result.report.errors
    html = (root / "public/a/index.html").read_text(encoding="utf-8")
    assert 'href="#harmful-link"' in html  # never published as written


@pytest.mark.parametrize(
    "body",
    [
        "Call [the warden](tel:+441234567890) first.\n",
        "Mail [us](mailto:team@example.org) or <team@example.org>.\n",
        "Read [the guide](https://example.org/guide) and [a heading](#top).\n",
        "![a dot](data:image/png;base64,iVBORw0KGgo=)\n",
        'Raw <a href="tel:+44123">a call</a> too.\n',
    ],
)
def test_web_mail_phone_and_image_data_links_are_published(make_site, body):
    root = make_site({"content/a.md": page("title: A", body)})
    result = build(root, BuildOptions(git=False))
    assert not result.report.errors, result.report.items
    html = (root / "public/a/index.html").read_text(encoding="utf-8")
    assert "harmful-link" not in html


def test_the_writer_the_sanitiser_and_the_backstop_agree():
    published = '<a href="tel:+44">call</a> <a href="mailto:a@example.org">mail</a>'
    assert sanitize(published) == published
    assert refused_link(published) is None
    # what the writer refuses, the sanitiser drops and the backstop refuses too
    for url in ("javascript:x", "ftp://example.org/", "file:///etc/passwd", "irc://x"):
        assert "href" not in sanitize(f'<a href="{url}">x</a>')
        assert refused_link(f'<a href="{url}">x</a>') is not None
