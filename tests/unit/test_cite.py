"""Cite this page: BibTeX, RIS and CSL-JSON."""

from __future__ import annotations

import html
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from commonsgen.build import BuildOptions, build
from commonsgen.outputs.cite import indented_json
from tests.conftest import page


def test_a_page_is_citable_in_three_formats(make_site):
    root = make_site(
        {
            "commonsgen.yml": "title: River & Co\nbase_url: https://example.org/\n"
            "default_license: CC-BY-4.0\ngit: false\n",
            "contributors.yml": "ada:\n  name: Ada Mensah\nlin:\n  name: Lin Zhou\n",
            "content/index.md": page("title: Home\ncontributors: [ada]"),
            "content/guide/probe.md": page(
                "title: The {probe} 100%\ndate: 2026-03-01\ndoi: 10.1234/abc\n"
                "contributors: [ada, {id: lin, roles: [translator, editor]}]"
            ),
        }
    )
    result = build(root, BuildOptions(write=False, strict=True))
    assert not result.report.items, [str(d) for d in result.report.items]
    text = result.files["guide/probe/index.html"].decode()
    blocks = [
        html.unescape(b) for b in re.findall(r"<pre[^>]*><code[^>]*>(.*?)</code></pre>", text, re.S)
    ]
    bib, ris, csl = blocks
    assert bib.startswith("@misc{guide-probe,\n")
    assert r"title = {{The \{probe\} 100\%}}" in bib
    assert "author = {{Ada Mensah}}" in bib and "translator = {{Lin Zhou}}" in bib
    assert "howpublished = {River \\& Co}" in bib and "doi = {10.1234/abc}" in bib
    assert ris.splitlines()[:5] == [
        "TY  - ELEC",
        "TI  - The {probe} 100%",
        "AU  - Ada Mensah",
        "ED  - Lin Zhou",
        "A4  - Lin Zhou",
    ]
    assert ris.endswith("ER  - ") and "DO  - 10.1234/abc" in ris and "DA  - 2026/03/01" in ris
    [item] = json.loads(csl)
    assert item["author"] == [{"literal": "Ada Mensah"}]
    assert item["translator"] == [{"literal": "Lin Zhou"}]
    assert item["issued"] == {"date-parts": [[2026, 3, 1]]}
    assert item["URL"] == "https://example.org/guide/probe/" and item["DOI"] == "10.1234/abc"
    assert item["license"] == "https://creativecommons.org/licenses/by/4.0/"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(derandomize=True, max_examples=200)
@given(json_values)
def test_indented_json_is_json_dumps_with_indent(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
