"""The dev server for real: it builds, listens on a free port, watches files and rebuilds.

No mocks: each test starts a :class:`DevServer` (or ``commonsgen serve`` itself), edits the
site on disk, and talks HTTP to 127.0.0.1. One test drives headless Chromium.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from commonsgen.build import BuildOptions, build
from commonsgen.output import MARKER, MARKER_TEXT
from commonsgen.server import DevServer, PortInUse, ServeOptions, Status, is_loopback
from tests.cdp import chromium, find_chromium
from tests.conftest import REPO, page, run_cli
from tests.test_golden import tree

WAIT = 5.0
"""The longest any single wait may take; a rebuild of these small sites takes milliseconds."""

Serve = Callable[..., DevServer]


@pytest.fixture
def serve(make_site) -> Iterator[Serve]:
    """``serve({path: text})`` -> a started server on a free port, stopped after the test."""
    started: list[DevServer] = []

    def start(files: dict[str, str | bytes], **options: object) -> DevServer:
        root = make_site(files)
        settings = {"port": 0, "debounce": 0.02, "poll_timeout": 2.0, **options}
        server = DevServer(root, ServeOptions(**settings))  # type: ignore[arg-type]
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def get(server: DevServer, target: str, *, method: str = "GET") -> Response:
    """One request, sent exactly as written (no normalising of ``..``, no redirects)."""
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=WAIT)
    try:
        connection.request(method, target)
        response = connection.getresponse()
        return Response(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def rebuilt(server: DevServer, since: int) -> Status:
    """Wait for the first build after epoch ``since``, and for any that follows at once
    (one save can be several file events)."""
    status = server.wait_for_change(since, WAIT)
    assert status.epoch != since, f"no rebuild within {WAIT} s"
    while True:
        later = server.wait_for_change(status.epoch, 0.06)
        if later.epoch == status.epoch:
            return later
        status = later


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def full_build_tree(root: Path) -> dict[str, bytes]:
    result = build(root, BuildOptions(write=False))
    assert not result.failed, result.report.sorted()
    files = dict(result.files)
    files.update((out, source.read_bytes()) for out, source in result.copies.items())
    files[MARKER] = MARKER_TEXT
    return files


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file()
    }


SITE = {
    "content/index.md": page("title: Home", "Welcome.\n"),
    "content/guide/index.md": page("title: Guide", "The guide.\n"),
    "content/guide/a.md": page("title: Page A", "First paragraph.\n\nSecond paragraph.\n"),
    "content/guide/b.md": page("title: Page B", "See [A](a.md).\n"),
    "content/other/c.md": page("title: Page C", "Elsewhere.\n"),
    "content/images/dot.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
}


def test_the_site_is_built_into_a_temporary_folder_and_served(serve) -> None:
    server = serve(SITE)
    assert server.url.startswith("http://127.0.0.1:")
    home = get(server, "/")
    assert home.status == 200
    assert home.headers["Content-Type"] == "text/html; charset=utf-8"
    assert home.headers["Cache-Control"] == "no-store"
    assert "<h1>Home</h1>" in home.text or "Home" in home.text
    assert 'id="commonsgen-live"' in home.text
    assert get(server, "/theme/style.css").headers["Content-Type"] == "text/css; charset=utf-8"
    assert get(server, "/images/dot.svg").status == 200
    redirect = get(server, "/guide/a?x=1")
    assert (redirect.status, redirect.headers["Location"]) == (302, "/guide/a/?x=1")
    assert get(server, "/guide/a/", method="HEAD").body == b""
    assert server.root not in server.folder.parents
    assert not (server.root / "public").exists(), "serve must not touch the output folder"


def test_an_edit_is_served_and_only_what_it_changed_is_written(serve, caplog) -> None:
    caplog.set_level(logging.INFO, logger="commonsgen")
    server = serve(SITE)
    before = mtimes(server.folder)
    epoch = server.status.epoch
    edit(server.root / "content/guide/a.md", "Second paragraph.", "Second, edited paragraph.")
    # What the browser does: long-poll until the epoch moves.
    polled = json.loads(get(server, f"/.commonsgen-serve/poll?since={epoch}").body)
    assert polled["epoch"] > epoch and polled["good_epoch"] == polled["epoch"]
    rebuilt(server, epoch)
    assert "Second, edited paragraph." in get(server, "/guide/a/").text
    after = mtimes(server.folder)
    changed = [p for p in after if after[p] != before.get(p)]
    # the page, its text for search excerpts, and the index shard of the new word "edited"
    assert [p for p in sorted(changed) if "/w-" not in p] == [
        "guide/a/index.html",
        "search/index/p-2.js",
    ]
    assert len(changed) == 3, changed
    # A text edit: the quick rebuild renders that page alone (tests/test_bodyedit.py).
    assert "text edit: parsed 1, Markdown 1, rendered 1 pages; 3 files written" in caplog.text


def test_new_deleted_and_renamed_pages_and_other_edits_match_a_full_build(serve) -> None:
    server = serve(SITE | {"contributors.yml": "ada:\n  name: Ada Mensah\n"})
    root, content = server.root, server.root / "content"
    edits: list[tuple[str, Callable[[], object]]] = [
        ("new page", lambda: (content / "guide/d.md").write_text(page("title: D", "[A](a.md)\n"))),
        ("renamed page", lambda: (content / "guide/b.md").rename(content / "guide/bee.md")),
        ("deleted page", lambda: (content / "other/c.md").unlink()),
        ("new folder and page", lambda: write(content / "new/e.md", page("title: E"))),
        ("registry", lambda: edit(root / "contributors.yml", "Ada Mensah", "Ada M. Mensah")),
        ("image", lambda: (content / "images/dot.svg").write_text("<svg/>\n")),
        (
            "template",
            lambda: (
                (root / "templates").mkdir()
                or (root / "templates/page.html").write_text("{{ page.title }}\n")
            ),
        ),
        ("config", lambda: edit(root / "commonsgen.yml", "Test Handbook", "Test Book")),
    ]
    for what, apply in edits:
        epoch = server.status.epoch
        apply()
        status = rebuilt(server, epoch)
        assert not status.problems, (what, status.problems)
        assert tree(server.folder) == full_build_tree(root), f"after the {what} edit"


BREAKAGES = {
    "bad YAML": ("content/guide/a.md", "---\ntitle: [Page A\n---\nBroken.\n", "yaml-syntax"),
    "a wrong value": ("content/guide/a.md", "---\ntitle: A\ndate: someday\n---\n", "bad-date"),
    "an adaptation the licence forbids": (
        "content/guide/a.md",
        "---\ntitle: A\nlicense: CC-BY-4.0\nderived_from:\n  - title: A guide\n"
        "    author: Jane Doe\n    license: CC-BY-ND-4.0\n---\n",
        "nd-source",
    ),
    "a template error": (
        "templates/page.html",
        "<p>{{ page.no_such_field }}</p>\n",
        "template-error",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_broken_edit_keeps_the_last_good_pages_and_lists_the_problems(
    serve, caplog, breakage: str
) -> None:
    server = serve(SITE)
    rel, text, code = BREAKAGES[breakage]
    path = server.root / rel
    good = get(server, "/guide/a/").text
    epoch = server.status.epoch
    write(path, text)
    status = rebuilt(server, epoch)
    assert status.good_epoch < status.epoch
    problems = json.loads(get(server, "/.commonsgen-serve/status").body)["problems"]
    mine = [p for p in problems if p["code"] == code]
    assert mine, problems
    assert all(p["location"].startswith(rel + ":") and p["message"] for p in mine)
    assert get(server, "/guide/a/").text == good
    assert f"error[{code}]" in caplog.text and "still serving the last good pages" in caplog.text
    epoch = status.epoch
    if rel.startswith("templates/"):
        path.unlink()
        edit(server.root / "content/guide/a.md", "Second paragraph.", "Fixed.")
    else:
        path.write_text(page("title: Page A", "Fixed.\n"))
    status = rebuilt(server, epoch)
    assert status.good_epoch == status.epoch and not status.problems
    assert "Fixed." in get(server, "/guide/a/").text


def test_a_burst_of_saves_is_one_rebuild(serve) -> None:
    server = serve(SITE)
    epoch = server.status.epoch
    for n in range(20):
        (server.root / f"content/other/burst-{n}.md").write_text(page(f"title: Burst {n}"))
    status = rebuilt(server, epoch)
    assert status.epoch - epoch <= 2
    assert get(server, "/other/burst-19/").status == 200


def test_editor_temp_files_hidden_folders_and_the_output_folder_are_ignored(serve) -> None:
    server = serve(SITE)
    epoch = server.status.epoch
    for name in (
        "content/guide/.#a.md",
        "content/guide/a.md~",
        "content/guide/.a.md.swp",
        "content/guide/4913",
        ".git/index",
        "public/index.html",
    ):
        path = server.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("noise")
    assert server.wait_for_change(epoch, 0.25).epoch == epoch


def test_requests_never_read_outside_the_served_folder(serve, tmp_path: Path) -> None:
    server = serve(SITE)
    folder = server.folder
    # A secret next to the served folder: exactly where "../" would lead.
    secret = folder.parent / f"{folder.name}-secret.txt"
    secret.write_text("TOP SECRET")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/secret.txt").write_text("TOP SECRET")
    (folder / "link.txt").symlink_to(secret)
    (folder / "linked").symlink_to(tmp_path / "outside")
    name = secret.name
    try:
        for target in (
            f"/../{name}",
            f"/%2e%2e/{name}",
            f"/%2E%2E%2F{name}",
            f"/..%2f{name}",
            f"/guide/../../{name}",
            f"/..\\{name}",
            f"/..%5c{name}",
            f"http://127.0.0.1/../{name}",
            str(secret),
            f"/{secret}",
            "//etc/passwd",
            "/etc/passwd",
            "/link.txt",
            "/linked/secret.txt",
            "/index.html%00.txt",
            "/%ff%fe",
        ):
            response = get(server, target)
            assert response.status == 404, target
            assert b"TOP SECRET" not in response.body, target
    finally:
        secret.unlink()


def test_unknown_paths_get_the_sites_404_page_with_status_404(serve) -> None:
    server = serve(SITE)
    missing = get(server, "/no/such/page/")
    assert missing.status == 404 and "Page not found" in missing.text  # the theme's 404.html
    assert 'id="commonsgen-live"' in missing.text  # it reloads once the page exists
    own = serve(SITE | {"static/404.html": "<html><body>Lost in the river</body></html>\n"})
    missing = get(own, "/nowhere")
    assert missing.status == 404 and "Lost in the river" in missing.text


def test_a_taken_port_is_named_or_the_next_one_is_used(serve, make_site, caplog) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        root = make_site(SITE)
        fixed = DevServer(root, ServeOptions(port=port, fixed_port=True))
        with pytest.raises(PortInUse, match=f"port {port} on 127.0.0.1 is already in use.*--port"):
            fixed.start()
        with pytest.raises(RuntimeError):
            fixed.folder  # noqa: B018 - removed again
        caplog.set_level(logging.WARNING, logger="commonsgen")
        moved = serve(SITE, port=port)
        assert urlsplit(moved.url).port != port
        assert (
            f"Port {port} is in use; serving on port {urlsplit(moved.url).port} instead."
            in caplog.text
        )


def test_only_loopback_addresses_count_as_this_machine() -> None:
    assert all(map(is_loopback, ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2")))
    assert not any(map(is_loopback, ("0.0.0.0", "::", "192.168.1.20", "example.org")))


def test_the_command_warns_before_listening_beyond_this_machine(make_site) -> None:
    root = make_site(SITE)
    # 192.0.2.1 is reserved for documentation: binding fails at once, nothing is exposed.
    result = run_cli("serve", str(root), "--host", "192.0.2.1", "--port", "8000")
    assert result.code == 2
    assert "warning: listening on 192.0.2.1: anyone who can reach this machine" in result.stderr
    assert "cannot listen on 192.0.2.1:8000" in result.stderr
    assert run_cli("serve", str(root / "nowhere")).code == 2


@pytest.mark.slow
def test_ctrl_c_stops_the_command_cleanly_and_removes_its_folder(make_site, tmp_path: Path) -> None:
    root = make_site(SITE)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "commonsgen", "serve", str(root), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # As from a terminal: a test run started in the background (`cmd &` in a script)
        # has SIGINT ignored, and a child would inherit that and never see the Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        deadline = time.monotonic() + WAIT
        while not any("Serving" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.02)
        serving = next((line for line in lines if "Serving" in line), "")
        url = re.search(r"http://127\.0\.0\.1:\d+/", serving)
        assert url, "".join(lines)
        assert next(p.name for p in scratch.iterdir()).startswith("commonsgen-serve-")
        with socket.create_connection((urlsplit(url[0]).hostname, urlsplit(url[0]).port), WAIT):
            pass
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) == 0
        reader.join(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = "".join(lines)
    assert "Stopped." in output and "Traceback" not in output, output
    assert not list(scratch.iterdir()), "the served folder is left behind"


@pytest.mark.slow
def test_the_browser_reloads_by_itself_keeps_its_place_and_shows_build_errors(serve) -> None:
    executable = find_chromium()
    if executable is None:
        pytest.fail(
            "this test needs Debian's Chromium at /usr/bin/chromium; install it with "
            "'apt-get install -y chromium' (.ci/run does so)"
        )
    body = "\n\n".join(f"Paragraph {n}: " + "river words " * 30 for n in range(80))
    server = serve(SITE | {"content/long.md": page("title: Long", body)})
    path = server.root / "content/long.md"
    with chromium(executable) as browser:
        browser.open(server.url + "long/")
        browser.wait_for("document.readyState === 'complete' && document.title.startsWith('Long')")
        browser.evaluate("window.scrollTo(0, 1500); window.before = true")
        browser.wait_for("window.scrollY === 1500")

        edit(path, "Paragraph 3:", "Paragraph three, edited:")
        browser.wait_for(
            "!window.before && document.body.innerText.includes('Paragraph three, edited')"
        )
        browser.wait_for("Math.abs(window.scrollY - 1500) < 2")

        browser.evaluate("window.kept = true")
        path.write_text("---\ntitle: Long\ndate: someday\n---\n" + body)
        overlay = browser.wait_for("document.getElementById('commonsgen-overlay')?.innerText")
        assert "content/long.md:3:1: error[bad-date]" in overlay
        assert browser.evaluate("window.kept === true"), "a failed build must not reload the page"

        path.write_text(page("title: Long and fixed", body))
        browser.wait_for(
            "!window.kept && document.title.startsWith('Long and fixed')"
            " && !document.getElementById('commonsgen-overlay')"
        )


def test_the_404_pages_links_work_in_the_preview_under_a_sub_path(serve) -> None:
    """base_url https://example.org/handbook/: the 404 page links to /handbook/..., as it must
    when published; the preview serves the site at /handbook/ as well as at /."""
    server = serve(SITE)
    missing = get(server, "/no/such/page/")
    assert missing.status == 404
    links = re.findall(r'(?:href|src)="(/[^"]*)"', missing.text)
    assert "/handbook/" in links and "/handbook/theme/style.css" in links
    for link in links:
        assert get(server, link).status == 200, link
    home, under = get(server, "/"), get(server, "/handbook/")
    assert under.status == 200 and under.body == home.body
    assert get(server, "/handbook/guide/a/").body == get(server, "/guide/a/").body
    redirect = get(server, "/handbook/guide")
    assert (redirect.status, redirect.headers["Location"]) == (302, "/handbook/guide/")
    assert get(server, "/handbook").headers["Location"] == "/handbook/"
    assert get(server, "/handbook/no/such/page/").status == 404
    assert get(server, "/handbook/../../etc/passwd").status == 404


def get_as(server: DevServer, host: str | None, target: str = "/") -> Response:
    """A request that names ``host`` in its Host header (as a browser does for the name
    in its address bar), sent to the server's own address."""
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=WAIT)
    try:
        connection.putrequest("GET", target, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return Response(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def test_requests_for_another_host_name_are_refused(serve) -> None:
    """DNS rebinding: a page on evil.example points its name at 127.0.0.1 and reads the
    preview, drafts included, through the visitor's browser. Its requests name evil.example,
    so they get 421; the server's own names and any IP address are answered."""
    server = serve(SITE, allowed_hosts=("preview.test",))
    port = urlsplit(server.url).port
    for host in (
        f"evil.example:{port}",
        "evil.example",
        f"127.0.0.1.evil.example:{port}",
        f"localhost.evil.example:{port}",
        "",
    ):
        refused = get_as(server, host)
        assert refused.status == 421, host
        assert "--allow-host" in refused.text and "Welcome" not in refused.text
        assert get_as(server, host, "/.commonsgen-serve/status").status == 421
    for host in (
        f"127.0.0.1:{port}",
        f"LOCALHOST:{port}",
        "localhost.",
        f"[::1]:{port}",
        f"192.168.1.20:{port}",
        f"preview.test:{port}",
        None,
    ):
        answered = get_as(server, host)
        assert answered.status == 200, host
        assert "Welcome" in answered.text


def test_a_wildcard_bind_answers_the_machines_own_name(make_site) -> None:
    from commonsgen.server import host_allowed, host_names

    names = host_names("0.0.0.0", ())
    assert host_allowed(socket.gethostname(), names)
    assert host_allowed(f"{socket.gethostname()}:8000", names)
    assert not host_allowed("evil.example", names)
    assert not host_allowed(socket.gethostname(), host_names("127.0.0.1", ()))


def test_200_parallel_requests_are_all_answered(serve) -> None:
    server = serve(SITE)
    address = urlsplit(server.url)
    barrier = threading.Barrier(200)
    statuses: list[int] = []
    lock = threading.Lock()

    def fetch() -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            barrier.wait(timeout=30)
            connection.request("GET", "/guide/a/")
            status = connection.getresponse().status
        except OSError as exc:
            status = -1
            print(exc)
        finally:
            connection.close()
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=fetch) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 200


@pytest.mark.parametrize("port", ["99999", "-5", "eighty", "65536"])
def test_a_port_out_of_range_is_a_usage_error(make_site, port) -> None:
    root = make_site(SITE)
    result = run_cli("serve", str(root), "--port", port)
    assert result.code == 2
    assert f"expected a port number from 0 to 65535, got '{port}'" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_and_build_report_the_same_page_count(serve, caplog) -> None:
    caplog.set_level(logging.INFO, logger="commonsgen")
    server = serve(SITE)
    built = run_cli("build", str(server.root), "--no-cache", "--out", str(server.root / "out"))
    count = built.stderr.split("Built ", 1)[1].split(" pages", 1)[0]
    assert f"Built {count} pages in " in caplog.text, (built.stderr, caplog.text)
