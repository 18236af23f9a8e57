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
