"""An attacker's pull request against a real site, as CI would meet it: each hostile file the
security issue lists is added to the example site and run through ``check`` and ``build``;
what is refused is refused by both, with its error and nothing written; what is published
is then loaded, every page of it, in headless Chromium, where no script of the pull
request may run (an ``alert`` override and a marker in every document, before any of the
page's own scripts) and none may be left in the page to run later (the DOM is searched
for event handlers, script links, frames and scripts that are not the theme's).

``COMMONSGEN_SCREENSHOTS=DIR`` writes screenshots of the hostile pages (390 and 1280 px,
light and dark) into DIR, for a person to look at.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, build
from tests.browser import color_scheme, goto, static_host
from tests.cdp import Browser
from tests.conftest import EXAMPLE_SITE, run_cli, write_files
from tests.invariants import snapshot
from tests.test_hostile import BOMB, DIAGRAM, RAW_HTML, SANDBOX_ESCAPES

MARKER = "commonsgen-pr-pwned"
"""A payload that ran on the build machine would create this file in the site folder."""


def page(frontmatter: str, body: str = "Text.\n") -> str:
    return f"---\n{frontmatter}\n---\n{body}"


def _symlink_out(root: Path) -> None:
    (root / "content/passwd.md").symlink_to("/etc/passwd")


def hit(n: int) -> str:
    """A payload's action: an alert naming it."""
    return f"alert({n})"


SVG_DATA = base64.b64encode(
    f'<svg xmlns="http://www.w3.org/2000/svg" onload="{hit(25)}"/>'.encode()
).decode()


REFUSED: dict[str, tuple[dict[str, str | bytes] | Callable[[Path], None], str]] = {
    # what the pull request adds -> the error check and build both give
    "template payload": (
        {
            "templates/page.html": "{% extends 'base.html' %}{% block main %}"
            + SANDBOX_ESCAPES["globals"].replace("MARKER", MARKER)
            + "{% endblock %}\n"
        },
        "template-unsafe",
    ),
    "html file": ({"content/help.html": "<script>alert(1)</script>\n"}, "active-content"),
    "script file": ({"content/sensors/app.js": "alert(1)\n"}, "active-content"),
    "svg with script": (
        {"content/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'},
        "active-content",
    ),
    "theme asset replaced": ({"static/theme/copy.js": "alert(1)\n"}, "url-collision"),
    "javascript: contributor": (
        {"contributors.yml": "eve:\n  name: Eve\n  url: ' JavaScript:alert(1)'\n"},
        "bad-url",
    ),
    "javascript: media source": (
        {
            "content/m.md": page(
                "title: M\nlicense: CC-BY-4.0\nmedia:\n  - file: m.png\n    title: M\n"
                "    author: Eve\n    source: 'javascript:alert(1)'\n    license: CC0-1.0"
            ),
            "content/m.png": b"png",
        },
        "bad-url",
    ),
    "path escape in config": (
        {
            "commonsgen.yml": (EXAMPLE_SITE / "commonsgen.yml")
            .read_text(encoding="utf-8")
            .replace("contributors: contributors.yml", "contributors: ../../../etc/passwd")
        },
        "path-outside",
    ),
    "path escape in a link": (
        {"content/x.md": page("title: X", "[x](../../../../etc/passwd)\n")},
        "link-outside",
    ),
    "link to no page": ({"content/x.md": page("title: X", "[x](/etc/passwd)\n")}, "broken-link"),
    # a Markdown link's own check: refused at its line (raw HTML is cleaned quietly)
    "javascript: link": (
        {"content/x.md": page("title: X", "[md](javascript:alert(1))\n")},
        "bad-url",
    ),
    "javascript: image": (
        {"content/x.md": page("title: X", "![i](JAVASCRIPT:alert(1))\n")},
        "bad-url",
    ),
    "javascript: autolink": (
        {"content/x.md": page("title: X", "<javascript:alert(1)>\n")},
        "bad-url",
    ),
    "svg data image": (
        {"content/x.md": page("title: X", f"![svg](data:image/svg+xml;base64,{SVG_DATA})\n")},
        "bad-url",
    ),
    "javascript: reference": (
        {"content/x.md": page("title: X", "[ref][r]\n\n[r]: javascript:alert(1)\n")},
        "bad-url",
    ),
    "symlink out": (_symlink_out, "symlink-outside"),
    "control character": ({"content/x.md": page('title: "Bell\\x07"')}, "control-character"),
    "yaml python tag": (
        {"content/x.md": page(f"title: X\nx: !!python/object/apply:os.system ['touch {MARKER}']")},
        "yaml-syntax",
    ),
    "yaml bomb": ({"content/x.md": page(BOMB)}, "yaml-too-large"),
    "nfc and nfd": (
        {"content/caf\u00e9.md": page("title: A"), "content/cafe\u0301.md": page("title: B")},
        "url-collision",
    ),
}


def _pull_request(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLE_SITE, root, ignore=shutil.ignore_patterns("public", ".commonsgen-*"))
    return root


def _add(root: Path, files: dict[str, str | bytes] | Callable[[Path], None]) -> None:
    if callable(files):
        files(root)
    else:
        write_files(root, files)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_hostile_file_of_a_pull_request_is_refused_by_check_and_by_build(tmp_path, name):
    files, code = REFUSED[name]
    root = _pull_request(tmp_path)
    assert run_cli("build", str(root)).code == 0  # the site before the pull request
    before = snapshot(root / "public")
    _add(root, files)
    checked = run_cli("check", str(root), cwd=tmp_path)
    built = run_cli("build", str(root), cwd=tmp_path)
    for result in (checked, built):
        unusable = result is checked and files is REFUSED["path escape in config"][0]
        assert result.code == (2 if unusable else 1), result  # check: the config unusable
        assert "Traceback" not in result.stdout + result.stderr
        assert f"error[{code}]" in result.stdout + result.stderr, result
    assert snapshot(root / "public") == before
    assert not (root / MARKER).exists() and not (tmp_path / MARKER).exists()


SCRIPTED = "\n\n".join(
    [
        RAW_HTML,
        f"<svg><script>{hit(1)}</script></svg>",
        f'<a href="&#106;avascript:{hit(3)}">entity</a>',
        f'<iframe srcdoc="<script>{hit(4)}</script>"></iframe>',
        f'<object data="javascript:{hit(5)}"></object> <embed src="javascript:{hit(6)}">',
        f'<form action="javascript:{hit(7)}"><button formaction="javascript:{hit(8)}">go'
        "</button></form>",
        f'<meta http-equiv="refresh" content="0;url=javascript:{hit(9)}">',
        f'<base href="javascript:{hit(10)}//">',
        f'<div style="background:url(javascript:{hit(11)})">styled</div>',
        f'<noscript><p title="</noscript><img src=x onerror={hit(12)}>"></p></noscript>',
        f"<template><script>{hit(13)}</script></template>",
        f'<video><source onerror="{hit(14)}"></video>',
        f'<details open ontoggle="{hit(15)}"><summary>t</summary>x</details>',
        '<a href="https://example.org/" target="_blank" rel="opener">opener</a>',
        f'[quote](https://example.org/ "\\" onmouseover={hit(20)} x=\\"")',
        f"```html\n<script>{hit(22)}</script>\n```",
        f"## <img src=x onerror={hit(23)}> heading",
        f"`<script>{hit(24)}</script>` in code",
        "The end of the text.",
        # last: an unclosed <style> takes the rest of the text with it
        f"<math><mtext><table><mglyph><style><img src=x onerror={hit(2)}>",
    ]
)

INJECTION = f"<img src=x onerror={hit(30)}><script>{hit(31)}</script>"

ACCEPTED: dict[str, str | bytes] = {
    # published, made harmless: raw HTML, Markdown, frontmatter and registry values
    "content/hostile/index.md": page(
        f"title: '</title>{INJECTION}'\nsummary: '\"><svg onload={hit(32)}>'\n"
        f"tags: ['<script>{hit(33)}</script>', 'c++', 'c', 'C#']\nlicense: CC-BY-4.0\n"
        f"contributors:\n  - eve\n  - name: '<b onmouseover={hit(34)}>Mallory</b>'\n"
        f"media:\n  - file: diagram.svg\n    title: '{INJECTION}'\n    author: '{INJECTION}'\n"
        "    source: https://example.org/diagram\n    license: CC-BY-4.0",
        "![The diagram](diagram.svg)\n\n" + SCRIPTED,
    ),
    "content/hostile/diagram.svg": DIAGRAM,
    "content/hostile/headings.md": page(
        "title: Headings\nlicense: CC-BY-4.0\ncontributors: [eve]",
        "".join(f"## Same {INJECTION}\n\nText.\n\n" for _ in range(3000)),
    ),
    "contributors.yml": (EXAMPLE_SITE / "contributors.yml").read_text(encoding="utf-8")
    + f"eve:\n  name: '{INJECTION}'\n  url: https://example.org/eve\n",
}

SCRIPT_GUARD = f"""
(() => {{
  const ran = [];
  Object.defineProperty(window, "__ran", {{ value: ran }});
  for (const name of ["alert", "confirm", "prompt", "print"]) {{
    window[name] = (...args) => {{ ran.push(name + ":" + args.join(",")); }};
  }}
  document.addEventListener("securitypolicyviolation", e => ran.push("csp:" + e.violatedDirective));
  window.{MARKER.replace("-", "_")} = "untouched";
}})();
"""

LATENT = """
(() => {
  const found = [];
  const own = /(^|\\/)(theme\\/[a-z-]+\\.js|search-index\\.js)$/;
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (attr.name.startsWith("on")) found.push(el.tagName + " " + attr.name);
      if (/^(javascript|vbscript|data:text)/.test(value) && attr.name !== "content")
        found.push(el.tagName + " " + attr.name + "=" + attr.value.slice(0, 40));
    }
  }
  for (const s of document.querySelectorAll("script")) {
    if (s.type === "application/ld+json") continue;
    if (!own.test(new URL(s.src || "x:", location.href).pathname)) found.push("script " + (s.src || s.text.slice(0, 40)));
  }
  // the theme's search box is a form; a page's text holds none
  for (const el of document.querySelectorAll(
    "iframe, object, embed, base, meta[http-equiv], .content form"))
    found.push(el.tagName);
  return found;
})()
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The example site with everything of the pull request that is published: built with
    no error, served by a plain static host."""
    scratch = tmp_path_factory.mktemp("hostile")
    root = _pull_request(scratch)
    _add(root, ACCEPTED)
    checked = run_cli("check", str(root), cwd=scratch)
    assert checked.code == 0, checked.stdout
    result = build(root, BuildOptions(out=scratch / "www"))
    assert not result.report.errors, result.report.errors
    assert not (root / MARKER).exists()
    with static_host(scratch / "www") as url:
        yield scratch / "www", url


@pytest.fixture(scope="module")
def guarded(browser: Browser) -> Iterator[Browser]:
    """The browser with the guard in every document (frames too), before the page's own."""
    added = browser.call("Page.addScriptToEvaluateOnNewDocument", {"source": SCRIPT_GUARD})
    yield browser
    browser.call("Page.removeScriptToEvaluateOnNewDocument", added)


def _pages(folder: Path) -> list[str]:
    """Every page but the redirects (an old address of a person's page), which hold a
    refresh to a relative address and nothing else, and are checked as text."""
    found = []
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder).as_posix()
        html = path.read_text(encoding="utf-8")
        if '<meta http-equiv="refresh" content="0; url=../' in html:
            assert "<script" not in html and "javascript:" not in html.lower(), rel
            continue
        found.append(rel.removesuffix("index.html"))
    return found


def test_no_page_of_the_hostile_site_runs_or_holds_a_script(guarded, hostile_site):
    folder, url = hostile_site
    pages = _pages(folder)
    assert "hostile/" in pages and "hostile/headings/" in pages and len(pages) > 80
    ran: dict[str, list[str]] = {}
    latent: dict[str, list[str]] = {}
    dialogs_before = len([e for e in guarded.events if e.get("method", "").endswith("Dialog")])
    for rel in pages:
        goto(guarded, url + rel, timeout=20)
        guarded.evaluate("new Promise(r => setTimeout(r, 50))")  # a timer-started payload
        state = guarded.evaluate(
            f"({{ran: window.__ran, marker: window.{MARKER.replace('-', '_')}}})"
        )
        if state["ran"] or state["marker"] != "untouched":
            ran[rel] = state["ran"] or [f"marker: {state['marker']}"]
        left = guarded.evaluate(LATENT)
        if left:
            latent[rel] = left
    dialogs = [e for e in guarded.events if e.get("method", "").endswith("Dialog")]
    assert ran == {}, json.dumps(ran, indent=1)
    assert latent == {}, json.dumps(latent, indent=1)
    assert len(dialogs) == dialogs_before
    # the payloads are on the page as text, not gone unseen
    goto(guarded, url + "hostile/")
    text = guarded.evaluate("document.body.innerText")
    assert "</title>" in text and "Mallory" in text and "The end of the text." in text
    assert "<script>alert(22)</script>" in text  # the code block, as code
    assert guarded.evaluate("document.title").startswith("</title><img src=x")
    _screenshots(guarded, url)


def _screenshots(browser: Browser, url: str) -> None:
    folder = os.environ.get("COMMONSGEN_SCREENSHOTS")
    if not folder:
        return
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    try:
        for width in (390, 1280):
            browser.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500},
            )
            for scheme in ("light", "dark"):
                color_scheme(browser, scheme)
                for rel in ("hostile/", "hostile/headings/", "contributors/eve/"):
                    goto(browser, url + rel)
                    height = min(4000, browser.evaluate("document.body.scrollHeight"))
                    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
                    shot = browser.call(
                        "Page.captureScreenshot",
                        {"format": "png", "clip": clip, "captureBeyondViewport": True},
                    )
                    name = rel.strip("/").replace("/", "-") + f"-{width}-{scheme}.png"
                    (out / name).write_bytes(base64.b64decode(shot["data"]))
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")
        color_scheme(browser, "light")
