"""The search index and page the build writes (the script that reads them runs in
tests/test_browser_search.py)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from commonsgen.build import BuildOptions, build
from commonsgen.markdown.words import fold, text_of, words
from commonsgen.outputs.search import Entry, Index
from tests.conftest import page

CONFIG = (
    "title: Test Handbook\nbase_url: https://example.org/handbook/\n"
    "default_license: CC-BY-4.0\nlanguage: en\nlanguages: {en: English, de: Deutsch}\n"
    "checks: {no-contributors: ignore, uncredited-contributor: ignore}\n"
)


def index_of(files: dict[str, bytes], path: str) -> dict:
    text = files[path].decode("utf-8")
    prefix = "self.commonsgenSearchIndex = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2])


def test_words_are_folded_like_the_script_folds_a_query() -> None:
    assert fold("Flüsse FLÜSSE Ärger ﬁne") == "flusse flusse arger fine"
    assert words("Ein 10-kΩ-Thermistor, a b; under_score x, ein EIN") == [
        "ein",
        "10",
        "kω",
        "thermistor",
        "under",
        "score",
    ]


def test_marks_inside_a_word_are_dropped_with_it_kept_whole() -> None:
    # search.js folds a query by dropping every mark (\p{M}) before it finds words.
    assert words("हिन्दी भाषा; café’s e\u0301te\u0301") == ["हनद", "भष", "cafe", "ete"]


def test_text_of_html_keeps_words_apart_and_leaves_scripts_out() -> None:
    html = "<p>River<br>bank</p><td>one</td><td>two</td><script>var x = 1;</script>&amp; end"
    assert text_of(html) == "River bank one two & end"


def test_each_language_gets_an_index_of_its_pages_with_sections_and_excerpts(make_site) -> None:
    root = make_site(
        {
            "commonsgen.yml": CONFIG,
            "content/index.md": page("title: Home", "Welcome to the rivers.\n"),
            "content/sensors/index.md": page("title: Sensors"),
            "content/sensors/probe.md": page(
                "title: The Thermistor Probe\nsummary: A probe for water.",
                "Measure **temperature** in a river.\n\n```\ncode_word\n```\n",
            ),
            "content/de/index.md": page("title: Start", "Flüsse messen.\n"),
        }
    )
    result = build(root, BuildOptions(write=False))
    assert not result.report.errors
    en = index_of(result.files, "search/search-index.js")
    de = index_of(result.files, "de/search/search-index.js")
    assert en["lang"] == "en" and de["lang"] == "de"
    assert en["pages"] == [
        ["Home", "", "../", "Welcome to the rivers."],
        ["Sensors", "Home", "../sensors/", "Some text."],
        ["The Thermistor Probe", "Sensors", "../sensors/probe/", "A probe for water."],
    ]
    probe = 2
    for word in ("thermistor", "probe", "temperature", "river", "sensors", "code_word"[:4]):
        assert probe in en["words"][word], word
    assert en["words"]["sensors"] == [1, 2], "a section's name finds its pages"
    assert list(en["words"]) == sorted(en["words"])
    assert de["pages"] == [["Start", "", "../", "Flüsse messen."]]
    assert de["words"]["flusse"] == [0]
    # The search page of each language, and a header form that leads there.
    assert b"search-index.js" in result.files["search/index.html"]
    assert '<html lang="de">' in result.files["de/search/index.html"].decode()
    probe_html = result.files["sensors/probe/index.html"].decode()
    assert 'action="../../search/index.html"' in probe_html
    assert 'action="search/index.html"' in result.files["de/index.html"].decode()
    # Without scripts, the search page lists every page of its language.
    listed = result.files["de/search/index.html"].decode()
    assert '<a href="../">Start</a>' in listed and "Sensors" not in listed
    again = build(root, BuildOptions(write=False))
    assert again.files["search/search-index.js"] == result.files["search/search-index.js"]


def test_a_page_of_the_site_at_search_wins(make_site) -> None:
    root = make_site(
        {
            "content/index.md": page("title: Home"),
            "content/search.md": page("title: Our own search", "Ask the librarian.\n"),
        }
    )
    result = build(root, BuildOptions(write=False))
    assert not result.report.errors
    assert "Ask the librarian." in result.files["search/index.html"].decode()
    assert "search/search-index.js" not in result.files


entry_words = st.lists(
    st.sampled_from(["river", "flüsse", "a\u2028b", "z", "ключ", "0"]), unique=True
)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    pages=st.lists(entry_words, min_size=1, max_size=6),
    updates=st.lists(
        st.tuples(st.integers(0, 5), entry_words, st.sampled_from(["", "New \u2029 text", "é"])),
        max_size=8,
    ),
)
def test_an_index_updated_in_place_is_the_index_made_afresh(
    pages: list[list[str]], updates: list[tuple[int, list[str], str]]
) -> None:
    listed = [
        Entry(f"Page {n}", "Section", f"/p{n}/", "Excerpt", tuple(found))
        for n, found in enumerate(pages)
    ]
    index = Index.of("en", "/search/", list(listed), in_pieces=True)
    for number, found, excerpt in updates:
        if number >= len(listed):
            continue
        listed[number] = Entry(
            listed[number].title, "Section", listed[number].url, excerpt, tuple(found)
        )
        assert index.update(listed[number])
        assert index.script() == Index.of("en", "/search/", list(listed), in_pieces=False).script()
    assert index.script() == Index.of("en", "/search/", listed, in_pieces=True).script()


def test_an_update_that_would_move_a_page_is_refused() -> None:
    listed = [Entry("A", "", "/a/", "", ("x",)), Entry("B", "", "/b/", "", ("y",))]
    assert not Index.of("en", "/search/", listed, in_pieces=False).update(listed[0])
    index = Index.of("en", "/search/", listed, in_pieces=True)
    assert not index.update(Entry("Z", "", "/a/", "", ("x",)))  # a new title sorts elsewhere
    assert not index.update(Entry("C", "", "/c/", "", ()))  # no such page
