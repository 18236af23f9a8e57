"""The search index and page the build writes (the script that reads them runs in
tests/test_browser_search.py)."""

from __future__ import annotations

import json
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from commonsgen.build import BuildOptions, build
from commonsgen.markdown.words import fold, text_of, words
from commonsgen.outputs import search
from commonsgen.outputs.search import Entry, Index
from tests.conftest import page

CONFIG = (
    "title: Test Handbook\nbase_url: https://example.org/handbook/\n"
    "default_license: CC-BY-4.0\nlanguage: en\nlanguages: {en: English, de: Deutsch}\n"
    "checks: {no-contributors: ignore, uncredited-contributor: ignore}\n"
)


def manifest_of(files: dict[str, bytes], folder: str) -> dict:
    text = files[folder + "search-index.js"].decode("utf-8")
    prefix = "self.commonsgenSearchIndex = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix) : -2])


def loaded(data: bytes, name: str) -> object:
    text = data.decode("utf-8")
    prefix = f'commonsgenSearchLoaded("{name}",'
    assert text.startswith(prefix) and text.endswith(");\n"), text[:80]
    return json.loads(text[len(prefix) : -3])


def index_of(files: dict[str, bytes], folder: str) -> dict:
    """The manifest, the pages and every word's postings (page number, in the title)."""
    manifest = manifest_of(files, folder)
    pages = [loaded(files[f"{folder}index/p-{n}.js"], f"p-{n}") for n in range(manifest["pages"])]
    postings: dict[str, list[tuple[int, bool]]] = {}
    for _first, name in manifest["shards"]:
        shard = loaded(files[f"{folder}index/{name}.js"], name)
        assert isinstance(shard, dict)
        for word, deltas in shard.items():
            total, found = 0, []
            for delta in deltas:
                total += delta
                found.append((total >> 1, bool(total & 1)))
            postings[word] = found
    written = {p for p in files if p.startswith(folder + "index/")}
    named = {f"{folder}index/{name}.js" for _, name in manifest["shards"]}
    named |= {f"{folder}index/p-{n}.js" for n in range(manifest["pages"])}
    assert written == named, "every index file is named by the manifest"
    return {**manifest, "pages": pages, "words": postings}


def pages_of(postings: list[tuple[int, bool]]) -> list[int]:
    return [number for number, _ in postings]


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
    en = index_of(result.files, "search/")
    de = index_of(result.files, "de/search/")
    assert en["lang"] == "en" and de["lang"] == "de"
    assert [row[:4] for row in en["pages"]] == [
        ["Home", "", "../", "Welcome to the rivers."],
        ["Sensors", "Home", "../sensors/", "Some text."],
        ["The Thermistor Probe", "Sensors", "../sensors/probe/", "A probe for water."],
    ]
    assert en["pages"][2][4] == "Measure temperature in a river. code_word", (
        "the text, for excerpts"
    )
    probe = 2
    for word in ("thermistor", "probe", "temperature", "river", "sensors", "code_word"[:4]):
        assert probe in pages_of(en["words"][word]), word
    assert en["words"]["thermistor"] == [(probe, True)], "a title word is marked so"
    assert en["words"]["temperature"] == [(probe, False)]
    assert pages_of(en["words"]["sensors"]) == [1, 2], "a section's name finds its pages"
    firsts = [first for first, _ in en["shards"]]
    assert firsts == sorted(firsts) and firsts[0] == "", "the first shard holds the first words"
    assert de["pages"][0][:4] == ["Start", "", "../", "Flüsse messen."]
    assert de["words"]["flusse"] == [(0, False)]
    # The search page of each language, and a header form that leads there.
    assert b"search-engine.js" in result.files["search/index.html"]
    assert 'data-index="../search/"' in result.files["sensors/index.html"].decode()
    assert '<html lang="de">' in result.files["de/search/index.html"].decode()
    probe_html = result.files["sensors/probe/index.html"].decode()
    assert 'action="../../search/index.html"' in probe_html
    assert 'action="search/index.html"' in result.files["de/index.html"].decode()
    # Without scripts, the search page lists every page of its language.
    listed = result.files["de/search/index.html"].decode()
    assert '<a href="../">Start</a>' in listed and "Sensors" not in listed
    again = build(root, BuildOptions(write=False))
    search_files = {p: d for p, d in result.files.items() if "search/" in p}
    assert {p: again.files[p] for p in search_files} == search_files


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
    assert not [path for path in result.files if path.startswith("search/")][1:]
    assert 'id="search-panel"' not in result.files["index.html"].decode(), "no index: no overlay"


WORDS = [f"w{n:03}" for n in range(300)]
entry_words = st.lists(
    st.sampled_from(["river", "flüsse", "a\u2028b", "z", "ключ", "0", "𝔸x", "\uffefy", *WORDS]),
    unique=True,
)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    pages=st.lists(entry_words, min_size=1, max_size=6),
    updates=st.lists(
        st.tuples(st.integers(0, 5), entry_words, st.sampled_from(["", "New \u2029 text", "é"])),
        max_size=8,
    ),
)
def test_an_index_updated_in_place_writes_what_a_clean_build_writes(
    pages: list[list[str]], updates: list[tuple[int, list[str], str]]
) -> None:
    listed = [
        Entry(f"Page {n} river", "Section", f"p{n}/", "Excerpt", tuple(found), "Text")
        for n, found in enumerate(pages)
    ]
    with mock.patch.object(search, "SHARD_BYTES", 40):  # a few words to a shard
        _update_in_place(listed, updates)


def _update_in_place(listed: list[Entry], updates: list[tuple[int, list[str], str]]) -> None:
    index = Index.of("en", "search/", list(listed))
    files = index.files()
    for number, found, text in updates:
        if number >= len(listed):
            continue
        before = listed[number]
        listed[number] = Entry(before.title, "Section", before.url, "Excerpt", tuple(found), text)
        done = index.update(listed[number])
        assert done is not None
        written, gone = done
        clean = Index.of("en", "search/", list(listed)).files()
        for path in gone:
            del files[path]
        changed = {path for path, data in written.items() if files.get(path) != data}
        files.update(written)
        assert files == clean
        assert changed <= set(written) and len(written) - len(changed) <= 2, "few are redone"


def test_shards_are_cut_word_by_word_so_an_edit_changes_few_files() -> None:
    common = Entry("Common", "", "c/", "", tuple(WORDS), "")
    listed = [common] + [
        Entry(f"Page {n:03}", "", f"p{n}/", "", (WORDS[n], "river"), "") for n in range(200)
    ]
    with mock.patch.object(search, "SHARD_BYTES", 100):
        index = Index.of("en", "search/", listed)
        assert 3 < len(index.starts) < 100, "a few words to a shard here"
        before = index.files()
        done = index.update(Entry("Page 007", "", "p7/", "", (WORDS[7], "river", "w150x"), ""))
        assert done is not None
        written, gone = done
        assert len(written) == 1 and not gone, sorted(written)  # the new word's shard
        assert all(before.get(path) != data for path, data in written.items())
        # a new text is the page's file alone (its number: by title, after "Common")
        done = index.update(Entry("Page 007", "", "p7/", "", (WORDS[7], "river", "w150x"), "A"))
        assert done == ({"search/index/p-8.js": index.page(8)}, [])


def test_an_update_that_would_move_a_page_is_refused() -> None:
    listed = [Entry("A", "", "a/", "", ("x",)), Entry("B", "", "b/", "", ("y",))]
    index = Index.of("en", "search/", listed)
    assert index.update(Entry("Z", "", "a/", "", ("x",))) is None  # a new title sorts elsewhere
    assert index.update(Entry("C", "", "c/", "", ())) is None  # no such page


def test_the_vocabulary_is_ordered_as_javascript_compares_strings() -> None:
    listed = [Entry("A", "", "a/", "", ("\uffefy", "𝔸x", "zz"))]
    index = Index.of("en", "search/", listed)
    shard = next(data for path, data in index.files().items() if "/w-" in path)
    text = shard.decode()
    # UTF-16: "𝔸" is a surrogate pair (0xD835...), before U+FFEF; code points say otherwise
    assert text.index("zz") < text.index("𝔸x") < text.index("\uffefy")


def test_excerpt_text_has_no_heading_links() -> None:
    html = (
        '<h2 id="a">How it works <a class="anchor" href="#a" aria-label="Link">#</a></h2>'
        "<p>Use <em>kalibrieren</em>, then <code>C#</code>.</p>"
    )
    assert search.excerpt_text(html) == "How it works Use kalibrieren , then C# ."
