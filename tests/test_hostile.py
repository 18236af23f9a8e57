"""Broken and hostile input from a pull request: a clear error, never a traceback, nothing
written outside the output folder, and the last good site left as it was."""

from __future__ import annotations

import json
import os
import shutil
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, build
from commonsgen.content import frontmatter
from commonsgen.markdown.html import sanitize
from tests.conftest import EXAMPLE_SITE, MINIMAL_CONFIG, page, run_cli
from tests.invariants import build_keeps_promises, snapshot

GOOD = {"content/index.md": page("title: Home", "Hello.\n")}


@pytest.fixture
def built_site(make_site):
    """A site that built once (so public/ holds a last good site), to break afterwards."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = make_site(dict(GOOD))
        assert run_cli("build", str(root)).code == 0
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


def codes(root: Path) -> list[tuple[str, int | None, str]]:
    result = build(root, BuildOptions(write=False))
    return [(d.path, d.line, d.code) for d in result.report.sorted()]


BOMB = "title: Bomb\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)

FAILING = {
    "yaml-tag": (
        page("title: A\nx: !!python/object/apply:os.system ['touch /tmp/commonsgen-pwned']"),
        ("content/a.md", 3, "yaml-syntax"),
    ),
    "python-name": (
        page("title: !!python/name:os.system"),
        ("content/a.md", 2, "yaml-syntax"),
    ),
    "alias-bomb": (page(BOMB), ("content/a.md", 2, "yaml-too-large")),
    "recursive-alias": (page("title: A\nx: &a [*a]"), ("content/a.md", 2, "yaml-too-large")),
    "invalid-utf8": (b"---\ntitle: A\n---\nbad \xff byte\n", ("content/a.md", 4, "encoding")),
    "unclosed": ("---\ntitle: A\nSome text.\n", ("content/a.md", 1, "frontmatter-unclosed")),
    "empty": ("", ("content/a.md", 1, "missing-title")),
    "slug-dotdot": (page("title: A\nslug: ../../etc/x"), ("content/a.md", 3, "bad-slug")),
    "slug-absolute": (page("title: A\nslug: /etc/x"), ("content/a.md", 3, "bad-slug")),
    "slug-drive": (page("title: A\nslug: 'C:\\x'"), ("content/a.md", 3, "bad-slug")),
    "slug-nul": (page('title: A\nslug: "x\\0y"'), ("content/a.md", 3, "bad-slug")),
    "source-absolute": (
        page("title: A\nderived_from:\n  - page: /etc/passwd"),
        ("content/a.md", 4, "bad-page-path"),
    ),
    "doi-script": (page("title: A\ndoi: 'javascript:alert(1)'"), ("content/a.md", 3, "bad-doi")),
    "doi-not-a-doi": (
        page("title: A\ndoi: 'https://evil.example/10.1/x'"),
        ("content/a.md", 3, "bad-doi"),
    ),
    "link-outside": (
        page("title: A", "[x](../../../etc/passwd)\n"),
        ("content/a.md", 4, "link-outside"),
    ),
}


@pytest.mark.parametrize("name", sorted(FAILING))
def test_hostile_page_is_refused_at_its_line_and_the_last_site_stays(built_site, name):
    text, expected = FAILING[name]
    root = built_site({"content/a.md": text})
    result = build_keeps_promises(root)
    assert result.code == 1
    assert expected in codes(root)
    assert not Path("/tmp/commonsgen-pwned").exists()


def test_a_50_mb_page_is_refused_unread(built_site):
    root = built_site({})
    with (root / "content/huge.md").open("wb") as f:
        f.write(b"---\ntitle: Huge\n---\n")
        f.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    result = build_keeps_promises(root)
    assert time.perf_counter() - started < 5
    assert result.code == 1
    assert "content/huge.md: error[page-too-large]: the page is 50.0 MB" in result.stderr


def test_a_100000_line_frontmatter_is_refused(built_site):
    lines = "".join(f"key{i}: value\n" for i in range(100_000))
    root = built_site({"content/a.md": "---\ntitle: A\n" + lines + "---\nText.\n"})
    started = time.perf_counter()
    result = build_keeps_promises(root)
    assert time.perf_counter() - started < 5
    assert result.code == 1
    assert "content/a.md:1:1: error[frontmatter-too-large]" in result.stderr
    assert len(lines) > frontmatter.MAX_FRONTMATTER_BYTES


def test_bom_and_crlf_are_read_with_the_right_lines(make_site):
    root = make_site(
        {
            "content/bom.md": "\ufeff" + page("title: Bom\ncontributors: [nobody]"),
            "content/crlf.md": page("title: Crlf\ncontributors: [nobody]").replace("\n", "\r\n"),
            "content/cr.md": page("title: Cr\ncontributors: [nobody]").replace("\n", "\r"),
        }
    )
    assert codes(root) == [
        ("content/bom.md", 3, "unknown-contributor"),
        ("content/cr.md", 3, "unknown-contributor"),
        ("content/crlf.md", 3, "unknown-contributor"),
    ]


def test_symlinks_out_of_the_site_are_refused(built_site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(page("title: Secret", "password\n"))
    root = built_site({})
    os.symlink(secret, root / "content/s.md")
    os.symlink(tmp_path, root / "content/everything")
    result = build_keeps_promises(root)
    assert result.code == 1
    assert "site/content/s.md: error[symlink-outside]" in result.stderr
    assert "site/content/everything: error[symlink-outside]" in result.stderr


def test_two_pages_on_one_url_name_both_files(built_site):
    root = built_site(
        {
            "content/a.md": page("title: A\nslug: b"),
            "content/b.md": page("title: B"),
            "content/C.md": page("title: C upper"),
            "content/c.md": page("title: c lower"),
        }
    )
    result = build_keeps_promises(root)
    assert result.code == 1
    assert "'b/index.html' would be written by 2 files: content/a.md, content/b.md" in result.stderr
    assert (
        "differing only in case or Unicode normalisation: C/index.html, c/index.html"
        in result.stderr
    )


RAW_HTML = """\
<script>alert("s")</script>
<style>body { display: none }</style>

<p onclick="alert('c')" onmouseover="alert('m')">Hi <a href="javascript:alert('j')">j</a>
<a href=" JaVaScRiPt:alert('k')">k</a> <img src="x.png" onerror="alert('e')" alt="x">
<img src="data:text/html;base64,PHNjcmlwdD4=" alt="d"> <a href="data:text/html,x">dl</a>
<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline"> <iframe src="https://evil.example"></iframe>
<kbd>Ctrl</kbd> <details><summary>More</summary>Hidden</details></p>
"""
"""Raw HTML is cleaned quietly (the sanitiser's rules are the documented behaviour); a
Markdown link to such an address is an error at its line (tests/test_link_schemes.py)."""


def test_raw_html_is_sanitised_by_default(make_site):
    root = make_site({"content/a.md": page("title: A", RAW_HTML), "content/x.png": b"png"})
    result = run_cli("build", str(root))
    assert result.code == 0, result.stderr
    html = (root / "public/a/index.html").read_text()
    body = html.split('<div class="content">', 1)[1].split("</div>", 1)[0]
    for bad in (
        "<script",
        "<style",
        "alert(",
        "onclick",
        "onerror",
        "onmouseover",
        "javascript:",
        "data:text",
        "<iframe",
    ):
        assert bad not in body.lower(), bad
    for kept in (
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">',
        "<kbd>Ctrl</kbd>",
        "<details><summary>More</summary>Hidden</details>",
        '<img src="x.png" alt="x">',
    ):
        assert kept in body, kept


def test_unsafe_html_publishes_raw_html_for_trusted_sites(make_site):
    root = make_site(
        {
            "commonsgen.yml": MINIMAL_CONFIG + "unsafe_html: true\n",
            "content/a.md": page("title: A", '<div onclick="go()">x</div>\n'),
        }
    )
    assert run_cli("build", str(root)).code == 0
    assert '<div onclick="go()">x</div>' in (root / "public/a/index.html").read_text()


@pytest.mark.parametrize(
    ("template", "line", "message"),
    [
        ("{% block main %}\n{{ page.title }\n{% endblock %}\n", 2, "template syntax error"),
        ("{% block main %}\n\n{{ page.no_such_thing }}\n{% endblock %}\n", 3, "no_such_thing"),
        ("{% block main %}\n{{ 1 / 0 }}\n{% endblock %}\n", 2, "ZeroDivisionError"),
    ],
)
def test_a_broken_theme_template_is_reported_with_name_and_line(
    built_site, template, line, message
):
    root = built_site(
        {
            "content/guide.md": page("title: Guide"),
            "templates/page.html": "{% extends 'base.html' %}\n" + template,
        }
    )
    result = build_keeps_promises(root)
    assert result.code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"site/templates/page.html:{line + 1}: error[template-"), first
    assert message in first


def test_failed_build_leaves_every_byte_of_the_last_good_site(built_site):
    root = built_site({})
    before = snapshot(root / "public")
    (root / "content/index.md").write_text(page("title: Home\nlicense: CC-BY-NOPE"))
    assert build_keeps_promises(root).code == 1
    assert snapshot(root / "public") == before


def test_sanitiser_keeps_what_markdown_itself_makes():
    kept = sanitize(
        '<li><input class="task-list-item-checkbox" type="checkbox" disabled checked/>x</li>'
        '<table><tr><td style="text-align:left;position:fixed">a</td></tr></table>'
        '<input type="password">'
        '<h2 id="intro">Intro <a class="anchor" href="#intro" aria-label="Link">#</a></h2>'
    )
    assert 'type="checkbox"' in kept and 'style="text-align:left"' in kept
    assert "password" not in kept and "position" not in kept
    assert '<h2 id="intro">' in kept and 'aria-label="Link"' in kept


SANDBOX_ESCAPES = {
    "globals": "{{ self.__init__.__globals__.__builtins__.__import__('os')"
    ".popen('touch MARKER').read() }}",
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "format": "{{ '{0.__class__.__init__.__globals__}'.format(page) }}",
    "cycler": "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "mutate": "{% set x = page.title %}{{ site.pages.append(1) if site.pages is defined }}"
    "{{ page.update({'title': 'x'}) }}",
}


@pytest.mark.parametrize("name", sorted(SANDBOX_ESCAPES))
def test_a_template_cannot_escape_the_sandbox(built_site, name):
    """A pull request's template runs in Jinja's sandbox: the payload is refused at its
    line, under build and check alike, and runs nothing."""
    payload = SANDBOX_ESCAPES[name]
    marker = "/tmp/commonsgen-sandbox-pwned"
    root = built_site(
        {
            "content/guide.md": page("title: Guide"),
            "templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n"
            + payload.replace("MARKER", marker)
            + "\n{% endblock %}\n",
        }
    )
    result = build_keeps_promises(root)
    assert result.code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("site/templates/page.html:3: error[template-"), first
    assert "unsafe" in first or "sandbox" in first, first
    checked = run_cli("check", str(root), cwd=root.parent)
    assert checked.code == 1
    assert "site/templates/page.html:3: error[template-" in checked.stdout
    assert not Path(marker).exists()


BAD_URLS = (
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "data:text/html,<script>x</script>",
    "vbscript:msgbox",
    "java\tscript:x",
    "file:///etc/passwd",
    "https://",
)

URL_FIELDS = {
    "inline-person": (
        lambda url: {
            "content/a.md": page(f"title: A\ncontributors:\n  - name: Eve\n    url: {url!r}")
        },
        ("content/a.md", 5),
    ),
    "outside-work": (
        lambda url: {
            "content/a.md": page(
                f"title: A\nderived_from:\n  - title: W\n    author: X\n    license: CC-BY-4.0\n    url: {url!r}"
            )
        },
        ("content/a.md", 7),
    ),
    "media-source": (
        lambda url: {
            "content/a.md": page(
                f"title: A\nmedia:\n  - file: x.png\n    license: CC0-1.0\n    source: {url!r}"
            ),
            "content/x.png": b"png",
        },
        ("content/a.md", 6),
    ),
    "registry": (
        lambda url: {
            "contributors.yml": f"eve:\n  name: Eve\n  url: {url!r}\n",
            "content/a.md": page("title: A\ncontributors: [eve]"),
        },
        ("contributors.yml", 3),
    ),
}


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("field", sorted(URL_FIELDS))
def test_a_url_field_that_is_no_web_address_is_refused_at_its_line(built_site, field, url):
    files, (path, line) = URL_FIELDS[field]
    root = built_site(files(url))
    result = build_keeps_promises(root)
    assert result.code == 1, result.stderr
    assert (path, line, "bad-url") in codes(root), result.stderr
    assert "javascript" not in (root / "public/index.html").read_text().lower()


def test_bad_url_cannot_be_lowered_by_a_site(built_site):
    root = built_site(
        {
            "commonsgen.yml": MINIMAL_CONFIG.replace("checks: {", "checks: {bad-url: ignore, "),
            "content/a.md": page("title: A\ncontributors:\n  - name: Eve\n    url: javascript:x"),
        }
    )
    result = build_keeps_promises(root)
    assert result.code == 1
    assert "bad-url" in result.stderr


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "  javascript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:x",
        "data:text/html,x",
        "vbscript:x",
    ],
)
def test_a_template_that_prints_a_script_link_is_refused(built_site, link):
    """The backstop: a frontmatter value of the theme's own (no check knows it is a URL)
    printed into href."""
    root = built_site(
        {
            "content/guide.md": page(f"title: Guide\nhomepage: {json.dumps(link)}"),
            "templates/page.html": "{% extends 'base.html' %}\n{% block main %}\n"
            '<a href="{{ page.extra.homepage }}">home</a> <img src="{{ page.extra.homepage }}">\n'
            "{% endblock %}\n",
        }
    )
    result = build_keeps_promises(root)
    assert result.code == 1
    assert "site/templates/page.html: error[bad-url]: rendering content/guide.md" in result.stderr


def test_web_mail_relative_and_image_links_pass_the_backstop():
    from commonsgen.render import refused_link

    assert (
        refused_link(
            '<a href="https://e.org/x?a=b:c">x</a><a href="mailto:a@e.org">m</a>'
            '<a href="../x/">r</a><a href="#a:b">f</a><a href="x/y:z">p</a>'
            '<img src="data:image/png;base64,iVBOR" alt=""><p>javascript: is text here</p>'
        )
        is None
    )
    assert refused_link("<a href = JAVASCRIPT:x>") == 'href="javascript:x"'
    # an entity autoescaped is text; one written raw is what it decodes to
    assert refused_link('<a href="&amp;#106;avascript:x">') is None
    assert refused_link('<a href="&#106;ava&#x09;script&colon;x">') == 'href="javascript:x"'
    assert refused_link("<img alt='' src='data:text/html,x'>") == 'src="data:text/html,x"'


DIAGRAM = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
<foreignObject width="100" height="20"><div xmlns="http://www.w3.org/1999/xhtml">Label: one</div></foreignObject>
<a xlink:href="https://example.org/"><text>link</text></a>
</svg>
"""
ACTIVE_FILES = {
    "help.html": "<script>alert(1)</script>",
    "page.HTM": "<p>x</p>",
    "x.xhtml": "<html/>",
    "feed.xml": '<html xmlns="http://www.w3.org/1999/xhtml"><script>x</script></html>',
    "app.js": "alert(1)",
    "mod.mjs": "export {}",
    "f.svgz": b"\x1f\x8b",
    "script.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "nsscript.svg": '<svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></svg>',
    "onload.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "onload-caps.svg": '<svg xmlns="http://www.w3.org/2000/svg" ONLOAD = alert(1)/>',
    "jslink.svg": '<svg><a href=" java&#x09;script:alert(1)"><text>x</text></a></svg>',
    "xlink.svg": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "datalink.svg": '<svg><a href="data:text/html,&lt;script&gt;x"><text>x</text></a></svg>',
    "data-svg-image.svg": '<svg><a href="data:image/svg+xml;base64,PHN2Zz4="><text>x</text></a></svg>',
    "animate.svg": '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
    "animate-on.svg": '<svg><set attributeName="onmouseover" to="alert(1)"/></svg>',
    "entity.svg": '<!DOCTYPE svg [<!ENTITY x "javascript">]><svg><a href="&x;:alert(1)"/></svg>',
    "xslt.svg": '<?xml-stylesheet type="text/xsl" href="x.xsl"?><svg/>',
    "foreign-iframe.svg": '<svg><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/></foreignObject></svg>',
}


@pytest.mark.parametrize("name", sorted(ACTIVE_FILES))
def test_a_content_file_a_browser_runs_is_refused(built_site, name):
    root = built_site({f"content/files/{name}": ACTIVE_FILES[name]})
    for command in ("build", "check"):
        result = (
            build_keeps_promises(root)
            if command == "build"
            else run_cli("check", str(root), cwd=root.parent)
        )
        assert result.code == 1, result
        shown = result.stderr if command == "build" else result.stdout
        assert (
            f"site/content/files/{name}: error[active-content]: this file would be published as it is"
            in shown
        )
        assert "unsafe_files: true" in shown
    assert not (root / "public/files").exists()


def test_a_diagram_without_script_is_published_as_it_is(built_site):
    root = built_site({"content/files/diagram.svg": DIAGRAM, "content/files/style.css": "p{}"})
    assert build_keeps_promises(root).code == 0
    assert (root / "public/files/diagram.svg").read_text() == DIAGRAM


def test_a_trusted_site_publishes_active_files_when_it_says_so(built_site):
    root = built_site(
        {
            "commonsgen.yml": MINIMAL_CONFIG + "unsafe_files: true\n",
            **{f"content/files/{name}": text for name, text in ACTIVE_FILES.items()},
        }
    )
    assert build_keeps_promises(root).code == 0
    assert (root / "public/files/help.html").read_text() == ACTIVE_FILES["help.html"]


@pytest.mark.parametrize("folder", ["content", "static"])
@pytest.mark.parametrize(
    "name", ["theme/copy.js", "theme/search.js", "theme/style.css", "Theme/Style.css"]
)
def test_a_file_of_the_site_cannot_replace_a_theme_file(built_site, folder, name):
    root = built_site({f"{folder}/{name}": "p { display: none }" if name.endswith("css") else "x"})
    if name.endswith(".js"):
        (root / "commonsgen.yml").write_text(MINIMAL_CONFIG + "unsafe_files: true\n")
    result = build_keeps_promises(root)
    assert result.code == 1
    assert (
        f"site/{folder}/{name}: error[url-collision]: '{name}' would replace the theme's"
        in result.stderr
    )
    assert "p { display" not in (root / "public/theme/style.css").read_text()


def test_names_equal_in_nfc_and_nfd_are_one_url(built_site):
    import unicodedata

    nfc, nfd = (unicodedata.normalize(form, "café") for form in ("NFC", "NFD"))
    assert nfc != nfd
    root = built_site(
        {
            f"content/{nfc}.md": page("title: Café one"),
            f"content/{nfd}.md": page("title: Café two"),
        }
    )
    result = build_keeps_promises(root)
    assert result.code == 1
    assert (
        "differing only in case or Unicode normalisation: cafe\\u0301/index.html, caf\\xe9/index.html"
        in result.stderr
    )
    (root / f"content/{nfd}.md").unlink()
    (root / f"content/img/{nfc}.png").parent.mkdir()
    (root / f"content/img/{nfc}.png").write_bytes(b"png")
    (root / f"static/img/{nfd}.png").parent.mkdir(parents=True)
    (root / f"static/img/{nfd}.png").write_bytes(b"png")
    result = build_keeps_promises(root)
    assert result.code == 1
    assert (
        f"site/content/img/{nfc}.png: error[url-collision]: 'img/{nfc}.png' would replace static/img/{nfd}.png"
        in result.stderr
    )


def _outside(tmp_path: Path) -> Path:
    """A folder next to the site holding what a pull request would like the build to read."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "templates").mkdir(parents=True, exist_ok=True)
    (elsewhere / "templates/base.html").write_text("stolen")
    (elsewhere / "a.md").write_text(page("title: Secret", "password\n"))
    (elsewhere / "people.yml").write_text("eve:\n  name: Eve\n")
    return elsewhere


CONFIG_PATHS = {
    "content-dotdot": ("content_dir: ../elsewhere", None, "leads out of the site folder"),
    "content-link": ("content_dir: pages", "pages", "is a symbolic link to"),
    "content-absolute": ("content_dir: ELSEWHERE", None, "absolute path"),
    "contributors-dotdot": ("contributors: ../elsewhere/people.yml", None, "leads out"),
    "contributors-link": ("contributors: people.yml", "people.yml", "is a symbolic link to"),
    "output-dotdot": ("output_dir: ../elsewhere/out", None, "leads out of the site folder"),
    "output-link-parent": ("output_dir: gone/public", "gone", "is a symbolic link to"),
    "theme-dotdot": ("theme: ../elsewhere", None, "leads out of the site folder"),
    "theme-absolute": ("theme: ELSEWHERE", None, "absolute path"),
    "theme-link": ("theme: mine", "themes/mine", "is a symbolic link to"),
}


@pytest.mark.parametrize("name", sorted(CONFIG_PATHS))
def test_a_configured_path_that_leaves_the_site_is_refused_at_its_line(built_site, tmp_path, name):
    """A pull request may change commonsgen.yml: no path in it may make the build read or
    replace files outside the site folder, by '..', an absolute path or a symbolic link."""
    line, link, message = CONFIG_PATHS[name]
    elsewhere = _outside(tmp_path)
    root = built_site({})
    if link is not None:
        target = elsewhere / "people.yml" if link.endswith(".yml") else elsewhere
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / link)
    (root / "commonsgen.yml").write_text(
        MINIMAL_CONFIG + line.replace("ELSEWHERE", str(elsewhere)) + "\n"
    )
    key = line.split(":")[0]
    result = build_keeps_promises(root)
    assert result.code == 1, result
    assert f"site/commonsgen.yml:5:1: error[path-outside]: {key}: " in result.stderr
    assert message in result.stderr
    assert result.stderr.count("error[") == 1, result.stderr
    assert not (elsewhere / "out").exists()
    checked = run_cli("check", str(root), cwd=root.parent)
    assert checked.code in (1, 2)
    assert "error[path-outside]" in checked.stdout


def test_paths_inside_the_site_are_still_fine(built_site):
    root = built_site(
        {"pages/index.md": page("title: Home"), "people/c.yml": "ada:\n  name: Ada\n"}
    )
    (root / "commonsgen.yml").write_text(
        MINIMAL_CONFIG + "content_dir: ./pages/../pages\ncontributors: people/c.yml\n"
        "output_dir: build/site\ntheme: default\n"
    )
    result = run_cli("build", str(root), cwd=root.parent)
    assert result.code == 0, result.stderr
    assert (root / "build/site/index.html").is_file()


@pytest.mark.parametrize("how", ["config", "command line"])
def test_an_output_folder_that_is_a_symbolic_link_is_refused(built_site, tmp_path, how):
    root = built_site({})
    # in the site for the config (a link out is refused already), anywhere for --out
    target = (root if how == "config" else tmp_path) / "real-public"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    os.symlink(target, root / "linked")
    if how == "config":
        (root / "commonsgen.yml").write_text(MINIMAL_CONFIG + "output_dir: linked\n")
        result = run_cli("build", str(root), cwd=root.parent)
    else:
        result = run_cli("build", str(root), "--out", str(root / "linked"), cwd=root.parent)
    assert result.code == 2, result
    assert "is a symbolic link" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    assert (root / "linked").is_symlink()


def test_a_command_line_output_folder_may_be_anywhere(built_site, tmp_path):
    root = built_site({})
    result = run_cli("build", str(root), "--out", str(tmp_path / "anywhere"), cwd=root.parent)
    assert result.code == 0, result.stderr
    assert (tmp_path / "anywhere/index.html").is_file()


@pytest.mark.parametrize("key", ["registry", "credit"])
def test_a_profile_file_that_is_a_link_out_of_the_site_is_refused(built_site, tmp_path, key):
    elsewhere = _outside(tmp_path)
    root = built_site({})
    os.symlink(elsewhere / "people.yml", root / "people.yml")
    profile = (
        "profile:\n  registry:\n    file: people.yml\n    shape: mapping\n"
        if key == "registry"
        else "profile:\n  credit:\n    file: people.yml\n"
    )
    (root / "commonsgen.yml").write_text(MINIMAL_CONFIG + profile)
    result = build_keeps_promises(root)
    assert result.code == 1, result
    assert "site/commonsgen.yml:7:5: error[bad-profile]: profile " in result.stderr
    assert "'people.yml' is a symbolic link to" in result.stderr


def _headings_site(make_site, count: int) -> Path:
    body = "".join(f"## Same\n\n[back](#same-{i}) [up](#same)\n\n" for i in range(1, count))
    return make_site({"content/index.md": page("title: H", "## Same\n\n" + body)})


def test_thousands_of_identical_headings_and_links_take_linear_time(make_site, tmp_path):
    """Heading ids are counted per slug, a link's line is found by bisection and anchors are
    looked up in a set: four times the headings take about four times as long, not 16."""

    def seconds(count: int) -> float:
        root = _headings_site(make_site, count)
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            result = build(root, BuildOptions(write=False, jobs=1))
            best = min(best, time.perf_counter() - started)
            assert result.report.sorted() == []
        return best

    small, large = seconds(4000), seconds(16000)
    assert large < 9 * small, (small, large)
    root = _headings_site(make_site, 3)
    assert run_cli("build", str(root)).code == 0
    html = (root / "public/index.html").read_text()
    assert [html.count(f'id="{i}"') for i in ("same", "same-1", "same-2", "same-3")] == [1, 1, 1, 0]


@pytest.mark.parametrize("key", ["exclude_authors", "exclude_messages"])
def test_a_history_pattern_that_backtracks_forever_is_stopped(make_site, monkeypatch, key):
    """A pull request's pattern such as (a+)+$ would take years on a long name; it
    runs with a time limit and is reported at its line instead."""
    import subprocess

    from commonsgen import history

    monkeypatch.setattr(history, "PATTERN_SECONDS", 0.5)
    root = make_site(
        {
            "commonsgen.yml": MINIMAL_CONFIG + f"history:\n  {key}: ['(a+)+$', 'x']\n",
            "content/index.md": page("title: Home"),
        }
    )
    victim = "a" * 3000 + "!"  # re takes years at 40; regex is cleverer, but not at 3000
    env = {**os.environ, "GIT_AUTHOR_NAME": victim, "GIT_AUTHOR_EMAIL": "a@example.org"}
    env.update(GIT_COMMITTER_NAME="c", GIT_COMMITTER_EMAIL="c@example.org")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", victim]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    result = build_keeps_promises(root)
    assert time.perf_counter() - started < 5
    assert result.code == 1, result
    assert (
        f"site/commonsgen.yml:5:1: error[pattern-too-slow]: history.{key}: the pattern '(a+)+$' took more than 0.5 s"
        in result.stderr
    )


def test_tags_whose_slugs_collide_get_pages_of_their_own(built_site):
    root = built_site(
        {
            "content/a.md": page("title: A\ntags: ['c++', 'C#', 'a b']"),
            "content/b.md": page("title: B\ntags: [c, 'a-b', '+++', 'Water']"),
            "content/d.md": page("title: D\ntags: ['water', '🌊']"),
        }
    )
    result = build_keeps_promises(root)
    assert result.code == 0, result.stderr
    pages = sorted(p.parent.name for p in (root / "public/tags").glob("*/index.html"))
    assert pages == [
        "a-b",
        "a-b-2",
        "c",
        "c-2",
        "c-3",
        "plus-sign-plus-sign-plus-sign",
        "water",
        "water-wave",
    ]
    warned = [line for line in result.stderr.splitlines() if "tag-slug-collision" in line]
    assert warned == [
        "site/content/a.md:3:1: warning[tag-slug-collision]: the tag 'C#' would have the address of another tag (tags/c/), so its page is tags/c-2/",
        "site/content/a.md:3:1: warning[tag-slug-collision]: the tag 'a b' would have the address of another tag (tags/a-b/), so its page is tags/a-b-2/",
        "site/content/a.md:3:1: warning[tag-slug-collision]: the tag 'c++' would have the address of another tag (tags/c/), so its page is tags/c-3/",
    ], result.stderr
    c_sharp = (root / "public/tags/c-2/index.html").read_text()
    assert "C#" in c_sharp and ">A<" in c_sharp
    a_page = (root / "public/a/index.html").read_text()
    assert 'href="../tags/c-2/"' in a_page and 'href="../tags/c-3/"' in a_page
    # the same on a second build, whatever order the pages come in
    before = snapshot(root / "public")
    (root / "content/a.md").rename(root / "content/z.md")
    (root / "content/z.md").rename(root / "content/a.md")
    assert build_keeps_promises(root, "--no-cache").code == 0
    assert snapshot(root / "public") == before


def test_a_control_character_is_one_error_at_its_line_and_no_xml_output_breaks(make_site):
    body = "First line.\nA bell \x07 here, and a vertical tab \x0b there.\n"
    root = make_site(
        {
            "content/index.md": page("title: Home"),
            # a YAML escape puts one into a value without any in the file's text
            "content/a.md": page('title: "Bell \\x07 title"\ndate: 2026-01-01', body),
        }
    )
    failed = run_cli("build", str(root))
    assert failed.code == 1
    [line] = [ln for ln in failed.stderr.splitlines() if "error[" in ln]
    assert "/content/a.md:6:8: error[control-character]: " in line
    assert "U+0007" in line and "(2 in the file)" in line
    assert not (root / "public").exists()
    config = root / "commonsgen.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "checks: {", "checks: {control-character: warning, "
        ),
        encoding="utf-8",
    )
    built = run_cli("build", str(root))
    assert built.code == 0, built.stderr
    for xml_file in ("feed.xml", "sitemap.xml"):
        ElementTree.parse(root / "public" / xml_file)  # well-formed, or this raises
    html = (root / "public/a/index.html").read_text(encoding="utf-8")
    assert "\x0b" not in html and "A bell  here" in html


def _no_staging_left(root: Path) -> None:
    left = sorted(p.name for p in root.iterdir() if p.name.startswith(".public."))
    assert left == [], left


def _refuse_writes(errno_code: int):
    import errno as _errno  # noqa: F401  (the codes are the caller's)

    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(errno_code, os.strerror(errno_code), str(path))
        return real_open(path, flags, *args, **kwargs)

    return fake_open


@pytest.mark.parametrize("cache", [True, False])
@pytest.mark.parametrize("fault", ["full-disk", "read-only", "vanished-file", "unreadable-page"])
def test_a_fault_of_the_file_system_is_one_error_with_the_reason(
    built_site, monkeypatch, fault, cache
):
    """The system's reason, the file it concerns, exit 1, no traceback, no staging folder
    left, the last good site as it was."""
    import errno
    import shutil

    root = built_site({"content/new.md": page("title: New"), "content/img.png": b"png"})
    args = () if cache else ("--no-cache",)
    if fault == "full-disk":

        def full(fd, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "write", full)
        expected = (
            "site/public/: error[file-system]: cannot write the site: No space left on device"
        )
    elif fault == "read-only":
        monkeypatch.setattr(os, "open", _refuse_writes(errno.EROFS))
        expected = "error[file-system]: cannot write this file of the site: Read-only file system"
    elif fault == "vanished-file":
        real_copy = shutil.copyfile

        def vanish(src, dst, **kwargs):
            if str(src).endswith("img.png"):
                Path(src).unlink()
            return real_copy(src, dst, **kwargs)

        monkeypatch.setattr(shutil, "copyfile", vanish)
        (root / "public/img.png").unlink(missing_ok=True)  # so that an update copies it
        expected = "site/content/img.png: error[file-system]: cannot read this file: No such file or directory"
    else:
        real_read = Path.read_bytes

        def unreadable(self):
            if self.name == "new.md":
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
            return real_read(self)

        monkeypatch.setattr(Path, "read_bytes", unreadable)
        expected = (
            "site/content/new.md: error[unreadable]: cannot read file: [Errno 13] Permission denied"
        )
    before = snapshot(root / "public")
    if fault in ("vanished-file", "unreadable-page"):
        # the invariants' own snapshot would read (or miss) the file the fault is about
        result = run_cli("build", str(root), *args, cwd=root.parent)
        assert "Traceback" not in result.stderr
    else:
        result = build_keeps_promises(root, *args)
    assert result.code == 1, result
    assert expected in result.stderr, result.stderr
    assert result.stderr.count("error[") == 1, result.stderr
    _no_staging_left(root)
    if fault != "vanished-file":
        assert snapshot(root / "public") == before


def test_a_first_build_gives_its_output_folder_the_umask_permissions(make_site):
    root = make_site(dict(GOOD))
    old = os.umask(0o022)
    try:
        assert run_cli("build", str(root)).code == 0
    finally:
        os.umask(old)
    assert (root / "public").stat().st_mode & 0o777 == 0o755


def test_a_second_build_of_the_same_folder_at_once_is_refused(built_site):
    import fcntl

    from commonsgen.output import lock_path

    root = built_site({"content/index.md": page("title: Home again")})
    fd = os.open(lock_path(root / "public"), os.O_RDWR | os.O_CREAT)  # what a build holds
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        result = run_cli("build", str(root), cwd=root.parent)
    finally:
        os.close(fd)
    assert result.code == 2, result
    assert "another commonsgen build is writing into" in result.stderr
    assert run_cli("build", str(root)).code == 0


SLOW_PAGE = (
    "{% extends 'base.html' %}{% block main %}"
    "{% for i in range(100000) %}{% for j in range(6) %}{% endfor %}{% endfor %}"
    "{{ page.title }}{% endblock %}\n"
)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGKILL"])
def test_a_killed_build_leaves_no_workers_and_no_folders_for_good(make_site, signum):
    import signal
    import subprocess
    import sys

    pages = {f"content/p{i}.md": page(f"title: P{i}") for i in range(240)}
    root = make_site({**GOOD, **pages})
    assert run_cli("build", str(root), "-j", "1", "--no-cache").code == 0
    before = snapshot(root / "public")
    # about 0.1 s a page: the workers are busy for seconds when the signal comes
    (root / "templates").mkdir()
    (root / "templates/page.html").write_text(SLOW_PAGE)
    (root / "content/p1.md").write_text(page("title: Changed"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "commonsgen", "build", str(root), "-j", "2", "--no-cache", "-q"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            len(_children(proc.pid)) >= 2 and any(root.glob(".public.new-*/p*"))
        ):
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert len(workers) >= 2, "the build did not start its workers"
        proc.send_signal(getattr(signal, signum))
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "worker processes outlived the build"
    assert snapshot(root / "public") == before
    if signum == "SIGTERM":
        assert proc.returncode == 130
        assert "stopped; the output folder is as it was" in stderr
        assert "Traceback" not in stderr
        _no_staging_left(root)
    else:
        assert any(root.glob(".public.new-*")), "SIGKILL runs no clean-up"
        (root / "templates/page.html").unlink()
        assert run_cli("build", str(root), "--no-cache").code == 0
        _no_staging_left(root)
        assert "Changed" in (root / "public/p1/index.html").read_text()


def test_one_yaml_mistake_in_example_site_is_one_error(tmp_path):
    """The page whose frontmatter cannot be read still exists: the pages that link to it,
    adapt it or translate it are not reported as well (there were 16 errors, 15 false)."""
    site = tmp_path / "example-site"
    shutil.copytree(
        EXAMPLE_SITE, site, ignore=shutil.ignore_patterns("public", ".commonsgen-cache")
    )
    page_file = site / "content/sensors/thermistor.md"
    text = page_file.read_text(encoding="utf-8")
    page_file.write_text(text.replace("\ntitle: ", "\ntitle: [", 1), encoding="utf-8")
    result = run_cli("check", str(site))
    assert result.code == 1
    errors = [line for line in result.stdout.splitlines() if ": error[" in line]
    assert len(errors) == 1, errors
    assert "content/sensors/thermistor.md:3:8: error[yaml-syntax]" in errors[0]
    # a link to a page that does not exist at all is still broken
    index = site / "content/index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "\nSee [gone](sensors/no-such-page.md).\n",
        encoding="utf-8",
    )
    again = run_cli("check", str(site))
    assert sum("error[broken-link]" in line for line in again.stdout.splitlines()) == 1
