import posixpath
from urllib.parse import urljoin

from hypothesis import given
from hypothesis import strategies as st

from commonsgen import urls


def test_pretty_urls():
    assert urls.page_url("guide/rivers.md") == "guide/rivers/"
    assert urls.page_url("guide/index.md") == "guide/"
    assert urls.page_url("index.md") == ""
    assert urls.page_url("guide/rivers.md", slug="flüsse") == "guide/flüsse/"
    assert urls.out_path("guide/rivers/") == "guide/rivers/index.html"
    assert urls.out_path("") == "index.html"
    assert urls.out_path("images/a.png") == "images/a.png"


def test_relative_links():
    assert (
        urls.relative("guide/rivers/", "sensors/probe/#calibration")
        == "../../sensors/probe/#calibration"
    )
    assert urls.relative("", "guide/") == "guide/"
    assert urls.relative("guide/", "") == "../"
    assert urls.relative("guide/", "guide/") == "./"
    assert urls.relative("guide/a/", "guide/a/#x") == "#x"
    assert urls.relative("guide/a/", "images/my photo.jpg") == "../../images/my%20photo.jpg"


def test_absolute_under_a_subpath():
    assert urls.absolute("https://example.org/handbook/", "guide/rivers/") == (
        "https://example.org/handbook/guide/rivers/"
    )


def test_resolve_content_path():
    assert urls.resolve_content_path("guide/rivers.md", "../sensors/probe.md") == "sensors/probe.md"
    assert urls.resolve_content_path("guide/rivers.md", "/sensors/probe.md") == "sensors/probe.md"
    assert urls.resolve_content_path("guide/rivers.md", "./a/../b.md") == "guide/b.md"
    assert urls.resolve_content_path("guide/rivers.md", "../../etc/passwd") is None
    assert urls.resolve_content_path("guide/rivers.md", "..") == ""


segment = st.text(alphabet="abcxyz-é", min_size=1, max_size=4)
site_url = st.lists(segment, max_size=4).map(lambda parts: "".join(p + "/" for p in parts))


@given(site_url, site_url)
def test_relative_href_resolves_to_the_target_under_any_base(from_url, to_url):
    base = "https://example.org/handbook/"
    href = urls.relative(from_url, to_url)
    assert not href.startswith("/")
    resolved = urljoin(urls.absolute(base, from_url), href)
    assert resolved == urls.absolute(base, to_url)
    assert posixpath.normpath(href).count("..") <= from_url.count("/")


def test_web_links_are_http_or_https_with_a_host():
    assert urls.web_link(" https://example.org/a b ".strip()) is None  # a space inside
    assert urls.web_link("  https://example.org/guide  ") == "https://example.org/guide"
    assert urls.web_link("HTTP://EXAMPLE.ORG") == "HTTP://EXAMPLE.ORG"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//example.org/x",
        "https://",
        "https:///path",
        "example.org",
        "https://exa\x00mple.org",
        "https://[::1",
        "",
    ):
        assert urls.web_link(bad) is None, bad


@given(st.text())
def test_a_web_link_is_always_http_or_https(text):
    link = urls.web_link(text)
    if link is not None:
        assert link.split(":", 1)[0].casefold() in ("http", "https")
        assert not any(c.isspace() or ord(c) < 32 for c in link)


def test_dois_in_every_spelling_give_one_name_and_link():
    for written in (
        "10.5281/zenodo.1003150",
        " doi:10.5281/zenodo.1003150",
        "https://doi.org/10.5281/zenodo.1003150",
        "http://dx.doi.org/10.5281/zenodo.1003150",
    ):
        assert urls.doi_name(written) == "10.5281/zenodo.1003150", written
    assert urls.doi_url("10.1000/a<b>") == "https://doi.org/10.1000/a%3Cb%3E"
    for bad in ("javascript:alert(1)", "10.12/x", "https://example.org/10.5281/x", "10.5281/"):
        assert urls.doi_name(bad) is None, bad


def test_a_link_read_as_a_browser_reads_it_on_the_page_at_its_address():
    resolve_url = urls.resolve_url
    base = "https://example.org/handbook/"
    assert resolve_url("guide/intro/", "../setup/", base) == "guide/setup/"
    assert resolve_url("guide/intro/", "../setup", base) == "guide/setup"
    assert resolve_url("guide/intro/", "./", base) == "guide/intro/"
    assert resolve_url("guide/", "..", base) == ""
    assert resolve_url("", "guide/", base) == "guide/"
    assert resolve_url("feed.xml", "guide/", base) == "guide/"
    # from the host's root: under the base path, or out of the site
    assert resolve_url("guide/intro/", "/handbook/guide/", base) == "guide/"
    assert resolve_url("guide/intro/", "/etc/passwd", base) is None
    assert resolve_url("guide/intro/", "/etc/passwd", "/") == "etc/passwd"
    # above the site's top
    assert resolve_url("a/", "../../x/", base) is None


def test_covered_paths_are_the_paths_and_what_their_folders_hold():
    covered = urls.covered
    unread = frozenset({"a.md", "notes/"})
    assert covered("a.md", unread) and covered("notes/b.md", unread)
    assert not covered("b.md", unread) and not covered("notes.md", unread)
    assert covered("anything.md", frozenset({""}))
