import jinja2
import pytest

from commonsgen.build import BuildOptions, build
from commonsgen.diagnostics import Report
from commonsgen.render import make_environment, resolve_theme
from tests.conftest import page


def test_a_site_template_overrides_one_theme_template(make_site):
    root = make_site(
        {
            "content/a.md": page("title: A"),
            "templates/partials/footer.html": "<footer>Our own footer</footer>\n",
        }
    )
    result = build(root, BuildOptions(write=False))
    html = result.files["a/index.html"].decode()
    assert "<footer>Our own footer</footer>" in html
    assert "<h1>A</h1>" in html  # the rest still comes from the default theme


def test_a_page_can_choose_its_template(make_site):
    root = make_site(
        {
            "content/a.md": page("title: A\ntemplate: wide.html"),
            "templates/wide.html": '{% extends "page.html" %}{% block title %}WIDE {{ page.title }}{% endblock %}',
        }
    )
    result = build(root, BuildOptions(write=False))
    assert "<title>WIDE A</title>" in result.files["a/index.html"].decode()


def test_another_theme_by_path(make_site):
    root = make_site(
        {
            "commonsgen.yml": "title: T\ntheme: mytheme\n",
            "content/a.md": page("title: A"),
            "themes/mytheme/templates/page.html": "<p>mine: {{ page.title }}</p>\n",
            "themes/mytheme/static/extra.css": "body{}",
        }
    )
    result = build(root, BuildOptions(write=False))
    assert result.files["a/index.html"] == b"<p>mine: A</p>\n"
    assert "theme/extra.css" in result.copies and "theme/style.css" in result.copies


def test_unknown_theme(make_site):
    root = make_site(
        {"commonsgen.yml": "title: T\ntheme: nope\n", "content/a.md": page("title: A")}
    )
    result = build(root, BuildOptions(write=False))
    [d] = result.report.errors
    assert (d.path, d.line, d.code) == ("commonsgen.yml", 2, "unknown-theme")
    assert "default" in d.hint


def test_template_errors_name_the_template_and_line(make_site):
    root = make_site(
        {
            "content/a.md": page("title: A"),
            "templates/page.html": "<p>\n{{ page.title }}\n{% if %}\n",
        }
    )
    result = build(root, BuildOptions(write=False))
    [d] = result.report.errors
    assert (d.path, d.line, d.code) == ("templates/page.html", 3, "template-syntax")

    (root / "templates/page.html").write_text("<p>\n{{ page.no_such_thing }}\n")
    result = build(root, BuildOptions(write=False))
    [d] = result.report.errors
    assert (d.path, d.line, d.code) == ("templates/page.html", 2, "template-error")
    assert "no_such_thing" in d.message


def test_views_are_read_key_first_yet_dict_methods_stay_methods(tmp_path):
    env = make_environment(tmp_path, resolve_theme(tmp_path, "default", Report()))
    template = env.from_string("{{ v.title }}|{{ v.items()|list|length }}|{{ v.keys }}")
    # "keys" names a method of every dict: Jinja gives the method, and so do we.
    assert template.render(v={"title": "T", "items": "x"}).startswith(
        "T|2|&lt;built-in method keys"
    )
    with pytest.raises(jinja2.UndefinedError, match="no_such"):
        env.from_string("{{ v.no_such }}").render(v={"title": "T"})
    # Objects other than dicts keep Jinja's attribute-first lookup.
    assert env.from_string("{{ v.real }}").render(v=3) == "3"


def test_the_site_view_and_upstream_views_are_made_once(make_site, monkeypatch):
    from commonsgen.outputs import credits, views

    root = make_site(
        {
            "commonsgen.yml": "title: T\nbase_url: https://example.org/\ndefault_license: CC-BY-4.0\n"
            "checks: {no-contributors: ignore, uncredited-contributor: ignore}\n"
            "languages: {en: English, de: Deutsch}\n",
            "content/en/a.md": page("title: A\nlang: en"),
            "content/en/b.md": page(
                "title: B\nlang: en\nderived_from:\n  - page: a.md\n    changes: shortened"
            ),
            "content/de/c.md": page("title: C\nlang: de"),
        }
    )
    made: list[str] = []
    upstream: list[str] = []
    site_view, upstream_view = views.site_view, credits.upstream_view
    monkeypatch.setattr(
        views, "site_view", lambda site, lang: made.append(lang) or site_view(site, lang)
    )
    monkeypatch.setattr(
        credits,
        "upstream_view",
        lambda site, step: upstream.append(step.used_by) or upstream_view(site, step),
    )
    result = build(root, BuildOptions(write=False, jobs=1))
    assert not result.report.errors, result.report.errors
    assert result.pages_built > 5
    assert sorted(made) == ["de", "en"]
    assert upstream == ["en/b.md"]  # one view of the one step, for the page and its credit line
    assert "Adapted from" in result.files["en/b/index.html"].decode()
