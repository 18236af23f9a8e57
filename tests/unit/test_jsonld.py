"""schema.org JSON-LD along a whole chain: each work up it nested in the one made from it,
with its own makers, licence and translator; each medium an ImageObject with its own
licence and credit. Parsed as JSON-LD (rdflib), not only as JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonsgen.build import BuildOptions, build
from tests.conftest import page

CONFIG = (
    "title: Handbook\nbase_url: https://example.org/hb/\ndefault_license: CC-BY-SA-4.0\n"
    "languages: {en: English, de: Deutsch}\n"
)
REGISTRY = (
    "ada:\n  name: Ada Mensah\n  url: https://ada.example.org/\n"
    "kim:\n  name: Kim Lee\nlin:\n  name: Lin Zhou\n"
)
CHAIN = {
    "commonsgen.yml": CONFIG,
    "contributors.yml": REGISTRY,
    "content/index.md": page("title: Home\ncontributors: [ada]"),
    "content/de/index.md": page("title: Start\ncontributors: [ada]"),
    "content/guide.md": page(
        "title: Guide\ncontributors: [ada]\n"
        "derived_from:\n  - title: Field notes\n    author: Jane Doe\n"
        "    author_url: https://jane.example.net/\n    url: https://example.net/notes\n"
        "    license: CC-BY-4.0\n    copyright: © 2019 Jane Doe\n    changes: rewritten\n"
    ),
    "content/kit.md": page(
        "title: Kit\ncontributors: [kim]\n"
        "derived_from:\n  - page: guide.md\n    changes: shortened\n"
        "media:\n  - file: img/kit.svg\n    title: The kit\n    author: Sam Roe\n"
        "    author_url: https://sam.example.net/\n    copyright: © 2024 Sam Roe\n"
        "    source: https://example.net/kit-drawing\n    license: CC0-1.0\n"
        "includes:\n  - title: A haiku\n    author: Mio Sato\n    url: https://example.jp/haiku\n"
        "    license: CC-BY-ND-4.0\n",
        "![The kit laid out](img/kit.svg)\n",
    ),
    "content/de/kit.md": page(
        "title: Bausatz\ncontributors: [{id: lin, roles: [translator]}]\n"
        "translation_of: ../kit.md\n"
    ),
    "content/img/kit.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
}

SCHEMA = rdflib.Namespace("https://schema.org/")

# rdflib's own JSON-LD parser still makes the graph type it deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")


def built(make_site, files: dict[str, str] = CHAIN) -> dict[str, str]:
    result = build(make_site(files), BuildOptions(write=False))
    assert not result.report.items, result.report.sorted()
    return {k: v.decode() for k, v in result.files.items() if k.endswith(".html")}


def ld_text(html: str) -> str:
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return html[start : html.index("</script>", start)]


def ld_graph(html: str) -> rdflib.Graph:
    """The page's JSON-LD as RDF. schema.org's remote context is swapped for the same
    vocabulary given inline, so the parse needs no network."""
    data = json.loads(ld_text(html))
    assert data.pop("@context") == "https://schema.org"
    data["@context"] = {"@vocab": "https://schema.org/"}
    return rdflib.Graph().parse(data=json.dumps(data), format="json-ld")


def one(graph: rdflib.Graph, subject, predicate):
    (value,) = graph.objects(subject, predicate)
    return value


def test_a_translation_carries_the_whole_chain_each_work_with_its_own_credit(make_site):
    graph = ld_graph(built(make_site)["de/kit/index.html"])
    (article,) = graph.subjects(SCHEMA.name, rdflib.Literal("Bausatz"))
    # Lin only translated it: the original's author is still its author.
    assert str(one(graph, one(graph, article, SCHEMA.author), SCHEMA.name)) == "Kim Lee"
    assert str(one(graph, one(graph, article, SCHEMA.translator), SCHEMA.name)) == "Lin Zhou"

    kit = one(graph, article, SCHEMA.translationOfWork)
    assert str(one(graph, kit, SCHEMA.url)) == "https://example.org/hb/kit/"
    assert str(one(graph, kit, SCHEMA.license)) == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert str(one(graph, one(graph, kit, SCHEMA.author), SCHEMA.name)) == "Kim Lee"

    guide = one(graph, kit, SCHEMA.isBasedOn)
    assert str(one(graph, guide, SCHEMA.name)) == "Guide"
    ada = one(graph, guide, SCHEMA.author)
    assert (str(one(graph, ada, SCHEMA.name)), str(one(graph, ada, SCHEMA.url))) == (
        "Ada Mensah",
        "https://ada.example.org/",
    )

    notes = one(graph, guide, SCHEMA.isBasedOn)
    assert str(one(graph, notes, SCHEMA.name)) == "Field notes"
    assert str(one(graph, notes, SCHEMA.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert str(one(graph, notes, SCHEMA.copyrightNotice)) == "© 2019 Jane Doe"
    jane = one(graph, notes, SCHEMA.author)
    assert str(one(graph, jane, SCHEMA.url)) == "https://jane.example.net/"
    assert list(graph.objects(notes, SCHEMA.isBasedOn)) == []  # the top of the chain


def test_each_medium_is_an_image_object_with_its_own_licence_and_credit(make_site):
    html = built(make_site)["kit/index.html"]
    graph = ld_graph(html)
    (image,) = graph.subjects(rdflib.RDF.type, SCHEMA.ImageObject)
    assert str(one(graph, image, SCHEMA.contentUrl)) == "https://example.org/hb/img/kit.svg"
    assert str(one(graph, image, SCHEMA.license)) == (
        "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    assert str(one(graph, image, SCHEMA.creditText)) == "Sam Roe"
    assert str(one(graph, image, SCHEMA.copyrightNotice)) == "© 2024 Sam Roe"
    assert str(one(graph, one(graph, image, SCHEMA.creator), SCHEMA.url)) == (
        "https://sam.example.net/"
    )
    (article,) = graph.subjects(SCHEMA.image, image)
    # The page's own licence is the page's; the image's and the haiku's are their own.
    assert str(one(graph, article, SCHEMA.license)) == (
        "https://creativecommons.org/licenses/by-sa/4.0/"
    )
    haiku = one(graph, article, SCHEMA.hasPart)
    assert str(one(graph, haiku, SCHEMA.license)) == (
        "https://creativecommons.org/licenses/by-nd/4.0/"
    )


def test_upstream_makers_link_to_their_pages(make_site):
    html = built(make_site)["kit/index.html"]
    sources = html.split('<ol class="upstream chain"', 1)[1].split("</ol>", 1)[0]
    # A page of the site: its people's contributor pages; an outside work: author_url.
    assert 'by <a href="../contributors/ada/">Ada Mensah</a>' in sources
    assert 'by <a href="https://jane.example.net/">Jane Doe</a>, © 2019 Jane Doe' in sources


def test_the_jsonld_cannot_end_its_script_element(make_site):
    files = CHAIN | {
        "content/guide.md": CHAIN["content/guide.md"].replace(
            "title: Field notes", "title: '</script><script>alert(1)</script>'"
        )
    }
    html = built(make_site, files)["kit/index.html"]
    text = ld_text(html)
    assert "</script" not in text and "<" not in text
    assert "</script><script>alert(1)</script>" in json.dumps(json.loads(text), ensure_ascii=False)


def test_a_work_two_sources_share_is_described_once(make_site):
    # p0 <- p1 <- p2 ..., each page built on the two before it: 2^n paths up the chain.
    files = {"commonsgen.yml": CONFIG, "contributors.yml": REGISTRY}
    files["content/index.md"] = page("title: Home\ncontributors: [ada]")
    files["content/de/index.md"] = page("title: Start\ncontributors: [ada, kim, lin]")
    for n in range(30):
        sources = [f"p{k}.md" for k in (n - 1, n - 2) if k >= 0]
        edges = "".join(f"  - page: {s}\n" for s in sources)
        files[f"content/p{n}.md"] = page(
            f"title: Page {n}\ncontributors: [ada]\n" + (f"derived_from:\n{edges}" if edges else "")
        )
    html = built(make_site, files)["p29/index.html"]
    text = ld_text(html)
    assert len(text) < 20_000
    assert all(text.count(f'"name":"Page {n}"') == 1 for n in range(29))
    graph = ld_graph(html)
    # Named again by @id, the same node: p27 is a source of p29 and of p28.
    p27 = rdflib.URIRef("https://example.org/hb/p27/")
    assert len(list(graph.subjects(SCHEMA.isBasedOn, p27))) == 2


def _described(node: Any, found: list[str]) -> None:
    """Names of the works described in full (with a licence) anywhere in ``node``."""
    if isinstance(node, dict):
        if "license" in node and node.get("@type") == "CreativeWork":
            found.append(node["name"])
        for value in node.values():
            _described(value, found)
    elif isinstance(node, list):
        for value in node:
            _described(value, found)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sets(st.integers(0, 6), max_size=3), min_size=2, max_size=7))
def test_every_work_up_the_chain_is_described_exactly_once(make_site, sources):
    """Whatever the shape of the chain: each page above the last one appears once in full."""
    files = {"commonsgen.yml": CONFIG, "contributors.yml": REGISTRY}
    files["content/index.md"] = page("title: Home\ncontributors: [ada]")
    files["content/de/index.md"] = page("title: Start\ncontributors: [ada, kim, lin]")
    for n, chosen in enumerate(sources):
        edges = "".join(f"  - page: p{k}.md\n" for k in sorted(chosen) if k < n)
        files[f"content/p{n}.md"] = page(
            f"title: Page {n}\ncontributors: [ada]\n" + (f"derived_from:\n{edges}" if edges else "")
        )
    last = len(sources) - 1
    above: set[int] = set()  # every page the last one builds on, directly or not
    todo = [last]
    while todo:
        here = todo.pop()
        for k in sources[here]:
            if k < here and k not in above:
                above.add(k)
                todo.append(k)
    data = json.loads(ld_text(built(make_site, files)[f"p{last}/index.html"]))
    found: list[str] = []
    _described(data.get("isBasedOn", []), found)
    assert sorted(found) == sorted(f"Page {k}" for k in above)
