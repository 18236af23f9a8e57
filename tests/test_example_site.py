"""The example site: it builds without a single diagnostic, always to the same bytes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

from commonsgen.build import BuildOptions, build
from tests.conftest import EXAMPLE_SITE


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# These builds leave git off: the example site is part of commonsgen's repository, whose
# history differs between clones (a shallow CI clone has one commit and a warning).


def test_example_site_builds_with_zero_diagnostics_even_strict(tmp_path: Path) -> None:
    result = build(EXAMPLE_SITE, BuildOptions(out=tmp_path / "out", strict=True, git=False))
    assert result.report.items == []
    assert result.written
    pages = [p for p in result.files if p.endswith(".html")]
    assert len(pages) >= 30


def test_identical_input_gives_byte_identical_output(tmp_path: Path) -> None:
    build(EXAMPLE_SITE, BuildOptions(out=tmp_path / "one", git=False))
    build(EXAMPLE_SITE, BuildOptions(out=tmp_path / "two", git=False))
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []


def test_every_page_has_valid_jsonld_and_every_local_link_resolves(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(EXAMPLE_SITE, BuildOptions(out=out, git=False))
    broken = []
    for html_file in sorted(out.rglob("*.html")):
        html = html_file.read_text(encoding="utf-8")
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            data = json.loads(block)
            assert data["@context"] == "https://schema.org" and data["license"].startswith(
                "https://"
            )
        for quoted in re.findall(r'(?:href|src)="([^"#?]*)[^"]*"', html):
            href = unquote(quoted)  # a tag or heading in any script is percent-encoded
            if not href or href.startswith(("http://", "https://", "mailto:")):
                continue
            if href.startswith("/"):
                # Root-relative (the 404 page, served at any URL): the site is at the path
                # of its base_url, https://riverwatch.example.org/handbook/.
                if not href.startswith("/handbook/"):
                    broken.append(f"{html_file.relative_to(out)} -> {href}")
                    continue
                target = (out / href.removeprefix("/handbook/")).resolve()
            else:
                target = (html_file.parent / href).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{html_file.relative_to(out)} -> {href}")
    assert broken == []
    credits = json.loads((out / "credits.json").read_text(encoding="utf-8"))
    assert len(credits["works"]) >= 20
