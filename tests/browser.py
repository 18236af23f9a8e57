"""What the browser tests share: a built site on a local static host, Chromium, axe-core.

tests/conftest.py imports the fixtures ``published`` and ``browser``, so that every test
module shares one build and one browser.

A missing Chromium, npm or axe-core skips those tests on a developer's machine, saying what
to install; in CI (``CI`` set, as every CI service does) it fails them instead, so a green
CI run always means the browser tests ran.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, build
from tests.cdp import Browser, chromium, find_chromium

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_SITE = REPO / "example-site"

AXE_VERSION = "4"
AXE_FOLDER = REPO / ".cache" / "axe"
NPM_INSTALL = ("install", "--no-save", "--no-audit", "--no-fund")
AXE_SCRIPT = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"


def unavailable(reason: str) -> None:
    """Skip, or in CI fail: CI must run every browser test."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)")
    pytest.skip(reason)


def chromium_path() -> str:
    executable = find_chromium()
    if executable is None:
        unavailable(
            "needs Chromium at /usr/bin/chromium: 'apt-get install -y chromium' (.ci/run does so)"
        )
    assert executable is not None
    return executable


def axe_script() -> str:
    """axe-core's source, installed from the npm registry into .cache/axe when missing."""
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            unavailable("needs npm to install axe-core from the npm registry (apt-get install npm)")
        assert npm is not None
        done = subprocess.run(
            [npm, *NPM_INSTALL, "--prefix", str(AXE_FOLDER), f"axe-core@{AXE_VERSION}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0 or not AXE_SCRIPT.exists():
            unavailable(f"'npm install axe-core@{AXE_VERSION}' failed:\n{done.stderr[-2000:]}")
    return AXE_SCRIPT.read_text(encoding="utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_host(folder: Path) -> Iterator[str]:
    """Serve ``folder`` as a plain static host would; yields its base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def goto(browser: Browser, url: str, *, timeout: float = 10) -> None:
    """Load ``url`` in the browser's page and wait until it and its scripts have run."""
    browser.call("Page.navigate", {"url": url})
    deadline = time.monotonic() + timeout
    browser.wait_for(
        f"location.href === new URL({url!r}).href && document.readyState === 'complete'",
        timeout=max(0.1, deadline - time.monotonic()),
    )


def color_scheme(browser: Browser, scheme: str) -> None:
    browser.call(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
    )


def commit_all(repo: Path) -> None:
    """One commit of everything, by a fixed person at a fixed time, whatever the user's git
    configuration says."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Priya Raman",
        "GIT_AUTHOR_EMAIL": "priya@example.org",
        "GIT_COMMITTER_NAME": "Priya Raman",
        "GIT_COMMITTER_EMAIL": "priya@example.org",
        "GIT_AUTHOR_DATE": "2026-03-01T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-03-01T12:00:00+00:00",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Start"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@dataclass(frozen=True)
class Published:
    folder: Path
    """The built site."""
    url: str
    """Where a local static host serves it."""


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    """The example site, built once for all browser tests, with every kind of page: it is
    copied into a git repository with one commit, so it has history pages too, and served
    under its base URL's path (/handbook/), where its 404 page's links lead."""
    scratch = tmp_path_factory.mktemp("published")
    repo = scratch / "site"
    shutil.copytree(EXAMPLE_SITE, repo, ignore=shutil.ignore_patterns("public"))
    commit_all(repo)
    out = scratch / "www" / "handbook"
    result = build(repo, BuildOptions(out=out, git=True))
    assert not result.report.errors, result.report.errors
    with static_host(scratch / "www") as url:
        yield Published(out, url + "handbook/")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for all browser tests (starting one takes seconds)."""
    with chromium(chromium_path()) as opened:
        opened.open("about:blank")
        yield opened
