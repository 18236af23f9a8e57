"""A rebuild with the cache gives exactly what a build from nothing gives, and reuses the rest."""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from markupsafe import Markup

from benchmarks.synthetic import generate
from commonsgen import parallel, render
from commonsgen.build import BuildOptions, BuildResult, build
from commonsgen.diagnostics import Report
from commonsgen.incremental.memo import BuildCache, fingerprint, scan
from commonsgen.markdown.html import create_markdown, render_page
from commonsgen.output import MARKER, MARKER_TEXT
from commonsgen.server import Published, publish
from tests.conftest import EXAMPLE_SITE, MINIMAL_CONFIG, page, write_files
from tests.edits import EDITS, edit_at_random
from tests.test_bodyedit import SERVE, git
from tests.test_golden import tree

OPTIONS = BuildOptions(write=False)


class Rebuilder:
    """Keeps one cache and one published folder, as the dev server does."""

    def __init__(self, root: Path, out: Path) -> None:
        self.root, self.out = root, out
        self.cache = BuildCache()
        self.published = Published()
        out.mkdir()

    def rebuild(self, changed: tuple[Path, ...] = ()) -> BuildResult:
        self.cache.forget(changed)
        result = build(self.root, OPTIONS, cache=self.cache)
        if not result.failed:
            self.published, _ = publish(
                self.out, result.files, result.copies, self.published, changed=changed
            )
        return result


def full_build(root: Path) -> tuple[BuildResult, dict[str, bytes]]:
    """A build from nothing, and the files output.write_site would write for it."""
    result = build(root, OPTIONS)
    expected = dict(result.files)
    expected.update((out, source.read_bytes()) for out, source in result.copies.items())
    expected[MARKER] = MARKER_TEXT
    return result, expected


def assert_same_as_full_build(rebuilder: Rebuilder, step: str) -> None:
    incremental = rebuilder.rebuild()
    fresh, expected = full_build(rebuilder.root)
    assert incremental.report.sorted() == fresh.report.sorted(), step
    assert incremental.failed == fresh.failed, step
    if fresh.failed:
        return
    actual = tree(rebuilder.out)
    different = sorted(
        k for k in actual.keys() | expected.keys() if actual.get(k) != expected.get(k)
    )
    assert not different, f"after {step}: these files differ from a full build: {different}"


def write(*pairs: Path | str) -> None:
    """write(path, text, path, text ...), making folders as needed."""
    for path, text in zip(pairs[::2], pairs[1::2], strict=True):
        assert isinstance(path, Path) and isinstance(text, str)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rename_first_author(root: Path, credited_on: Path) -> None:
    """Give the first person credited on ``credited_on`` another name in contributors.yml."""
    lines = credited_on.read_text().splitlines()
    person = lines[lines.index("contributors:") + 1].removeprefix("  - ")
    registry = root / "contributors.yml"
    text = registry.read_text()
    entry = text.index(f"{person}:\n  name: ") + len(f"{person}:\n  name: ")
    registry.write_text(text[:entry] + "Someone Else, formerly " + text[entry:])


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    return generate(tmp_path / "site", pages=6, seed=7, per_section=3)


def steps(root: Path) -> Iterator[tuple[str, Callable[[], object]]]:
    """Edits of every kind, applied one after the other to the same site. Edits that do not
    interfere share a step: each step is compared with a build from nothing."""
    content = root / "content"
    a = content / "topic-00/page-0001.md"
    b = content / "topic-01/page-0004.md"
    new = page("title: Brand new\ncontributors: [p01]", "Links to [a](../topic-00/page-0001.md).\n")
    adapted = page("title: Adapted\nlicense: CC-BY-4.0\nderived_from:\n  - page: new.md")
    footer = root / "templates/partials/footer.html"

    def body_and_title() -> None:
        edit(a, "\n## ", "\nA new sentence.\n\n## ")
        edit(a, "title: ", "title: Renamed ")

    def licence_restored_and_new_pages() -> None:
        edit(b, "license: CC0-1.0\n# was: CC-BY", "license: CC-BY")
        write(content / "topic-01/new.md", new, content / "topic-01/adapted.md", adapted)

    def deleted_page_and_new_section() -> None:
        (content / "topic-01/adapted.md").unlink()
        write(content / "topic-09/index.md", page("title: Ninth", "Hello.\n"))

    def page_fixed_and_template_override() -> None:
        edit(a, "title: [unclosed\nbroken:", "title:")
        write(footer, "<footer>mine</footer>\n")

    def override_removed_image_and_static_file() -> None:
        shutil.rmtree(root / "templates")
        (content / "images/figure-1.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
        write(root / "static/robots.txt", "x\n")

    yield "a body edit alone", lambda: edit(b, "\n## ", "\nAnother sentence.\n\n## ")
    yield "a body and a title edit", body_and_title
    yield "a body edit after the title edit", lambda: edit(a, "A new sentence.", "New words.")
    yield (
        "a summary, a weight and a licence",
        lambda: (
            edit(b, "title:", "summary: Short.\nweight: 1\ntitle:")
            or edit(b, "license: CC-BY", "license: CC0-1.0\n# was: CC-BY")
        ),
    )
    yield "the licence restored, a new page and one adapting it", licence_restored_and_new_pages
    yield (
        "a renamed page",
        lambda: (content / "topic-01/new.md").rename(content / "topic-01/renamed.md"),
    )
    yield (
        "the links follow the rename",
        lambda: edit(content / "topic-01/adapted.md", "new.md", "renamed.md"),
    )
    yield "a deleted page and a new section", deleted_page_and_new_section
    yield "a contributor renamed", lambda: rename_first_author(root, a)
    yield "a broken page", lambda: edit(a, "title:", "title: [unclosed\nbroken:")
    yield "the page fixed and a template override", page_fixed_and_template_override
    yield "the override edited", lambda: edit(footer, "mine", "ours")
    yield "the override removed, an image and a static file", override_removed_image_and_static_file
    yield "the config", lambda: edit(root / "commonsgen.yml", "title: Synthetic", "title: Edited")


def test_every_kind_of_edit_rebuilds_to_the_bytes_of_a_full_build(
    synthetic: Path, tmp_path: Path
) -> None:
    rebuilder = Rebuilder(synthetic, tmp_path / "served")
    assert_same_as_full_build(rebuilder, "the first build")
    for step, apply in steps(synthetic):
        apply()
        assert_same_as_full_build(rebuilder, step)


def test_a_rebuild_without_changes_reuses_everything(synthetic: Path) -> None:
    cache = BuildCache()
    first = build(synthetic, OPTIONS, cache=cache)
    made = cache.take_stats()
    assert made.pages_parsed >= 6 and made.jobs_rendered >= 6
    again = build(synthetic, OPTIONS, cache=cache)
    reused = cache.take_stats()
    assert (reused.pages_parsed, reused.markdown_rendered, reused.jobs_rendered) == (0, 0, 0)
    assert not reused.discovered and not reused.environment_made
    assert again.files == first.files


def test_a_body_edit_renders_only_the_pages_that_show_it(synthetic: Path) -> None:
    cache = BuildCache()
    build(synthetic, OPTIONS, cache=cache)
    cache.take_stats()
    edit(synthetic / "content/topic-00/page-0001.md", "\n## ", "\nMore words.\n\n## ")
    build(synthetic, OPTIONS, cache=cache)
    stats = cache.take_stats()
    assert (stats.pages_parsed, stats.markdown_rendered) == (1, 1)
    assert 1 <= stats.jobs_rendered <= 4, stats
    # Other pages' views are the last build's objects, taken without being computed.
    assert stats.views_reused >= 5, stats


def test_a_title_edit_makes_again_only_the_views_that_show_it(synthetic: Path) -> None:
    """A page's view reads its neighbours' titles: a title edit makes again the page's
    own view and the views around it, not all of them."""
    cache = BuildCache()
    first = build(synthetic, OPTIONS, cache=cache)
    views_made = len(first.site.pages) - cache.take_stats().views_reused
    edit(synthetic / "content/topic-00/page-0001.md", "title: ", "title: Renamed ")
    build(synthetic, OPTIONS, cache=cache)
    stats = cache.take_stats()
    assert 0 < len(first.site.pages) - stats.views_reused < views_made, stats


def test_rebuilds_match_full_builds_through_random_edits(tmp_path: Path) -> None:
    """Edits of every kind a view, a listing or a credit shows, chosen at random (seeded,
    so a failure repeats) on a generated site with adaptation chains, translations and
    tags: after each, the dev server's rebuild gives what a build from nothing gives."""
    root = generate(tmp_path / "site", pages=24, seed=3, rich=True, per_section=6)
    pages = sorted((root / "content").rglob("page-*.md"))
    rebuilder = Rebuilder(root, tmp_path / "served")
    assert_same_as_full_build(rebuilder, "the first build")
    rng = random.Random(11)
    for n, kind in enumerate(EDITS):
        path = edit_at_random(rng, pages, kind, n)
        assert_same_as_full_build(rebuilder, f"edit {n}: {kind} of {path.name}")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_title_edits_of_uncommitted_pages_match_full_builds(tmp_path: Path) -> None:
    """With git, a page edited and not committed is dated today: the first edit changes
    the history's uncommitted files (every view is made again), the next ones do not."""
    root = write_files(
        tmp_path / "site",
        {
            "commonsgen.yml": MINIMAL_CONFIG + "git: true\n",
            "content/index.md": page("title: Home", "Welcome.\n"),
            **{
                f"content/guide/{name}.md": page(f"title: {name.title()}\ndate: 2025-01-02")
                for name in ("alpha", "beta", "gamma")
            },
        },
    )
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Start")
    cache = BuildCache()
    build(root, SERVE, cache=cache)
    target = root / "content/guide/beta.md"
    for title in ("Beta two", "Alpha first", "Beta three"):  # the last two reorder them
        text = target.read_text()
        target.write_text(text.replace(text.split("\n")[1], f"title: {title}", 1))
        cache.forget([target])
        served, fresh = build(root, SERVE, cache=cache), build(root, SERVE)
        assert served.files == fresh.files, title
        assert served.report.sorted() == fresh.report.sorted(), title


def test_a_save_within_the_same_clock_tick_is_seen_when_the_server_names_the_file(
    synthetic: Path,
) -> None:
    """Same size, same mtime: only the watcher's word tells the cache the file changed."""
    path = synthetic / "content/topic-00/page-0001.md"
    cache = BuildCache()
    build(synthetic, OPTIONS, cache=cache)
    before = os.stat(path)
    edit(path, "## ", "#> ")  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    cache.forget([path])
    result = build(synthetic, OPTIONS, cache=cache)
    assert b"#&gt; " in result.files["topic-00/page-0001/index.html"]


def test_diagnostics_are_replayed_when_a_page_is_reused(make_site) -> None:
    root = make_site({"content/a.md": page("title: A\ncontributers: [x]", "[gone](missing.md)\n")})
    cache = BuildCache()
    first = build(root, OPTIONS, cache=cache).report.sorted()
    again = build(root, OPTIONS, cache=cache).report.sorted()
    assert first and again == first
    assert {d.code for d in first} >= {"unknown-field", "broken-link"}


def test_markdown_reads_no_other_page(synthetic: Path) -> None:
    """The Markdown memo is keyed by the page and the site without its pages; if rendering
    a page started to read another page, the memo would have to key on that page too."""

    class Tripwire(Mapping):
        def __getitem__(self, key):
            raise AssertionError(f"Markdown read site.pages[{key!r}]")

        def __iter__(self):
            raise AssertionError("Markdown iterated over site.pages")

        def __len__(self):
            raise AssertionError("Markdown counted site.pages")

    site = build(synthetic, OPTIONS).site
    assert site is not None
    blind = dataclasses.replace(site, pages=Tripwire())
    md = create_markdown()
    for page_ in site.pages.values():
        render_page(md, blind, page_, Report())


def test_fingerprints_tell_apart_what_templates_print_differently() -> None:
    assert fingerprint({"a": 1}) != fingerprint({"a": True})
    assert fingerprint({"a": 1}) != fingerprint({"a": 1.0})
    assert fingerprint(["x"]) != fingerprint([Markup("x")])
    assert fingerprint({"a": 1, "b": 2}) != fingerprint({"b": 2, "a": 1})
    shared = "licence"
    assert fingerprint([shared, shared]) == fingerprint([shared, "".join(["lic", "ence"])])
    assert fingerprint({"f": lambda: 1}) is None


def test_an_unpicklable_view_is_rendered_every_time(make_site, monkeypatch) -> None:
    root = make_site({"content/a.md": page("title: A")})
    original = render.template_context
    monkeypatch.setattr(
        render,
        "template_context",
        lambda site, view, *more: original(site, view, *more) | {"f": lambda: 1},
    )
    cache = BuildCache()
    build(root, OPTIONS, cache=cache)
    cache.take_stats()
    build(root, OPTIONS, cache=cache)
    assert cache.take_stats().jobs_reused == 0


def test_scan_skips_what_discovery_skips(tmp_path: Path) -> None:
    for name in ("a.md", ".#a.md", "a.md~", ".a.md.swp", "4913", ".git/HEAD", "sub/b.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = scan(tmp_path)
    assert [rel for rel, _ in found.shape] == ["a.md", "sub", "sub/b.md"]
    assert set(found.stats) == {"a.md", "sub/b.md"}


class Blind:
    """Stands in for a value Markdown must not read; every use of it fails."""

    def __init__(self, name: str, allowed: object = None, keep: tuple[str, ...] = ()) -> None:
        self._name, self._allowed, self._keep = name, allowed, keep

    def __getattr__(self, attr: str) -> object:
        if attr in self._keep:
            return getattr(self._allowed, attr)
        raise AssertionError(f"Markdown read site.{self._name}.{attr}")

    def _fail(self, *args: object) -> None:
        raise AssertionError(f"Markdown used site.{self._name}")

    __getitem__ = __iter__ = __len__ = __contains__ = __bool__ = _fail


EVERY_LINK = {
    "content/index.md": page(
        "title: Home\nmedia:\n  - file: images/x.svg\n    author: Ana\n    license: CC0-1.0",
        "[Guide](guide/) [A](guide/a.md#top) [D](guide/d.md) [gone](gone.md) [file](f.csv)\n\n"
        "![A figure](images/x.svg)\n\n[Back](#home) and [nowhere](guide/a.md#nowhere)\n\n"
        "[By address](guide/a/#top) [no page](guide/z/) [style](theme/style.css)\n",
    ),
    "content/guide/a.md": page("title: A", "## Top\n"),
    "content/guide/d.md": page("title: D\ndraft: true"),
    "content/images/x.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "content/f.csv": "a,b\n",
}


@pytest.mark.parametrize("name", ["synthetic", "example-site", "every-link"])
def test_markdown_reads_only_what_its_memo_checks(synthetic: Path, make_site, name: str) -> None:
    """The Markdown memos (this one and the build cache's) reuse a page's HTML while the
    page, its URL, the config and its links' targets (markdown.link_dependencies) are the
    same: Markdown may read the site's URL map, assets, drafts, stems, sections' URLs and
    the media licences, and nothing else of the site (its hints excepted, which are only
    replayed while the whole site is the same)."""
    roots = {"synthetic": synthetic, "example-site": EXAMPLE_SITE}
    root = roots[name] if name in roots else make_site(EVERY_LINK)
    site = build(root, OPTIONS).site
    assert site is not None
    watched = {
        "config",
        "pages",  # render_page is given the page; test_markdown_reads_no_other_page
        "page_urls",
        "assets",
        "drafts",
        "unread",  # pages whose file could not be read: links to them are not reported
        "stems",
        "sections",
        "attribution",
        "addresses",  # links written as addresses: what the site publishes
        "page_at",
    }
    blinded = {f.name: Blind(f.name) for f in dataclasses.fields(site) if f.name not in watched}
    urls_only = {
        sid: Blind(f"sections[{sid!r}]", section, keep=("url",))
        for sid, section in site.sections.items()
    }
    blind = dataclasses.replace(
        site,
        **blinded,
        sections=urls_only,
        attribution=Blind("attribution", site.attribution, keep=("media_licenses",)),
    )
    md = create_markdown()
    for page_ in site.pages.values():
        render_page(md, blind, page_, Report())


def test_links_written_as_addresses_are_checked_again_as_pages_come_and_go(make_site) -> None:
    """A page's Markdown memo holds while the addresses its links looked up are published
    as they were (the page they name added, removed, moved by a slug)."""
    root = make_site(
        {
            "content/index.md": page("title: Home", "[B](b/#top) [tags](tags/)\n"),
            "content/guide/a.md": page("title: A", "[B](../../b/) [up](../)\n"),
        }
    )
    rebuilder = Rebuilder(root, root.parent / "served")
    assert rebuilder.rebuild().failed
    b = root / "content/b.md"
    write(b, page("title: B\ntags: [x]", "## Top\n"))
    assert_same_as_full_build(rebuilder, "the page the links name added")
    assert not rebuilder.rebuild().failed
    edit(b, "## Top", "## Other")
    assert_same_as_full_build(rebuilder, "the heading the fragment names renamed")
    edit(b, "## Other", "## Top")
    write(b, page("title: B\nslug: moved", "## Top\n"))
    assert_same_as_full_build(rebuilder, "the page moved to another address")
    b.unlink()
    assert_same_as_full_build(rebuilder, "the page removed")
    assert rebuilder.rebuild().failed


def test_a_frontmatter_edit_renders_only_that_pages_markdown(synthetic: Path) -> None:
    rebuilder = Rebuilder(synthetic, synthetic.parent / "served")
    rebuilder.rebuild()
    rebuilder.cache.take_stats()
    content = synthetic / "content"
    edit(content / "topic-00/page-0001.md", "title: ", "title: Renamed ")
    assert_same_as_full_build(rebuilder, "a title edit")
    assert rebuilder.cache.take_stats().markdown_rendered == 1
    # A page that others link to moves: their links' targets resolve elsewhere now.
    pages = sorted(content.rglob("page-*.md"))
    target = next(t for t in pages if any(t.name in p.read_text() for p in pages if p != t))
    linking = [p for p in pages if p != target and target.name in p.read_text()]
    target.rename(target.with_name("moved.md"))
    assert_same_as_full_build(rebuilder, "a page moved")
    assert rebuilder.cache.take_stats().markdown_rendered >= len(linking)


def test_a_first_build_in_workers_fills_the_memos_for_later_rebuilds(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve`` renders its first build in worker processes (no thread runs yet); what
    they return must be what the memos keep, so rebuilds in one process reuse it."""
    monkeypatch.setattr(parallel, "MIN_PAGES", 2)  # workers even for these few pages
    cache = BuildCache()
    first = build(synthetic, dataclasses.replace(OPTIONS, jobs=2), cache=cache)
    made = cache.take_stats()
    alone = build(synthetic, dataclasses.replace(OPTIONS, jobs=1))
    assert first.files == alone.files
    assert first.report.sorted() == alone.report.sorted()
    assert made.markdown_rendered == len(first.site.pages)  # type: ignore[union-attr]
    build(synthetic, dataclasses.replace(OPTIONS, jobs=1), cache=cache)
    again = cache.take_stats()
    assert (again.markdown_rendered, again.jobs_rendered) == (0, 0)
