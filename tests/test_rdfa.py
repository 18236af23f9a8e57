"""The credits' RDFa read by an RDFa 1.1 processor (pyRdfa3): every CURIE prefix declared
where it is used, the page's licence and sources stated of the page, and each medium's and
included work's licence stated of that work, never of the page."""

from __future__ import annotations

import io

import rdflib
from pyRdfa import pyRdfa
from pyRdfa.options import Options

from commonsgen.build import BuildOptions, build
from tests.unit.test_jsonld import CHAIN, built

PAGE = "https://example.org/hb/kit/"
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
CC = rdflib.Namespace("http://creativecommons.org/ns#")
LICENSE = rdflib.URIRef("http://www.w3.org/1999/xhtml/vocab#license")
RDFA = rdflib.Namespace("http://www.w3.org/ns/rdfa#")


def rdfa(html: str, base: str = PAGE, *, processor: bool = False) -> rdflib.Graph:
    """The page's triples, or with ``processor`` the processor's warnings about it."""
    options = Options(output_default_graph=not processor, output_processor_graph=processor)
    reader = pyRdfa(options=options, base=base, media_type="text/html")
    return reader.graph_from_source(io.BytesIO(html.encode("utf-8")), rdfOutput=True)


def warnings_of(html: str) -> list[str]:
    """The processor's warnings, less those about HTML's own rel values (tag, prev ...),
    which are no RDFa terms."""
    graph = rdfa(html, processor=True)
    found = []
    for warning in graph.subjects(rdflib.RDF.type, RDFA.Warning):
        if (warning, rdflib.RDF.type, RDFA.UnresolvedTerm) in graph:
            continue
        found.extend(str(d) for d in graph.objects(warning, DCT.description))
    return sorted(found)


def test_every_curie_prefix_is_declared_where_it_is_used(make_site):
    pages = built(make_site)
    for path in ("kit/index.html", "de/kit/index.html", "guide/index.html"):
        assert warnings_of(pages[path]) == [], path
    # The check can fail: without the declaration, dct: is an unknown scheme.
    undeclared = pages["kit/index.html"].replace(" dct: http://purl.org/dc/terms/", "")
    assert any("undefined CURIE prefix" in w for w in warnings_of(undeclared))


def test_the_page_licence_sources_and_parts_are_stated_of_the_page(make_site):
    graph = rdfa(built(make_site)["kit/index.html"])
    page = rdflib.URIRef(PAGE)
    assert set(graph.objects(page, LICENSE)) == {
        rdflib.URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
    }
    assert (page, DCT.source, rdflib.URIRef("https://example.org/hb/guide/")) in graph
    # Further up the chain, the source is stated of the work that used it.
    guide = rdflib.URIRef("https://example.org/hb/guide/")
    assert (guide, DCT.source, rdflib.URIRef("https://example.net/notes")) in graph
    assert (page, CC.attributionName, rdflib.Literal("Kim Lee", lang="en")) in graph
    haiku = rdflib.URIRef("https://example.jp/haiku")
    assert (page, DCT.hasPart, haiku) in graph


def test_each_shown_work_has_its_own_licence(make_site):
    graph = rdfa(built(make_site)["kit/index.html"])
    image = rdflib.URIRef("https://example.org/hb/img/kit.svg")
    assert set(graph.objects(image, LICENSE)) == {
        rdflib.URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
    }
    assert (image, CC.attributionName, rdflib.Literal("Sam Roe", lang="en")) in graph
    assert (image, CC.attributionURL, rdflib.URIRef("https://sam.example.net/")) in graph
    assert (image, DCT.source, rdflib.URIRef("https://example.net/kit-drawing")) in graph
    haiku = rdflib.URIRef("https://example.jp/haiku")
    assert set(graph.objects(haiku, LICENSE)) == {
        rdflib.URIRef("https://creativecommons.org/licenses/by-nd/4.0/")
    }
    assert (haiku, DCT.title, rdflib.Literal("A haiku", lang="en")) in graph


def test_an_included_work_without_an_address_does_not_lend_the_page_its_licence(make_site):
    files = CHAIN | {
        "content/kit.md": CHAIN["content/kit.md"].replace("    url: https://example.jp/haiku\n", "")
    }
    graph = rdfa(built_ok(make_site, files)["kit/index.html"])
    assert set(graph.objects(rdflib.URIRef(PAGE), LICENSE)) == {
        rdflib.URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
    }
    (part,) = graph.objects(rdflib.URIRef(PAGE), DCT.hasPart)
    assert isinstance(part, rdflib.BNode)
    assert set(graph.objects(part, LICENSE)) == {
        rdflib.URIRef("https://creativecommons.org/licenses/by-nd/4.0/")
    }


def built_ok(make_site, files):
    """Like ``built``, but an outside work without url is only a warning."""
    result = build(make_site(files), BuildOptions(write=False))
    assert not result.report.errors, result.report.sorted()
    return {k: v.decode() for k, v in result.files.items() if k.endswith(".html")}
