from commonsgen.build import BuildOptions, build
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
