"""Shared helpers: throwaway sites from a dict of files, and running the CLI in-process."""

from __future__ import annotations

import contextlib
import io
import os
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from commonsgen.cli import main
from tests.browser import browser, published

__all__ = ["browser", "published"]  # fixtures shared by the browser tests (tests/browser.py)

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_SITE = REPO / "example-site"

MINIMAL_CONFIG = (
    "title: Test Handbook\nbase_url: https://example.org/handbook/\ndefault_license: CC-BY-4.0\n"
    # Most tests are not about credits; tests/test_commons_checks.py turns these back on.
    "checks: {no-contributors: ignore, uncredited-contributor: ignore}\n"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite the expected output of the golden-site tests from the current build",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """``make_site({"content/a.md": "..."})`` -> a site folder; a config is added if absent."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        if "commonsgen.yml" not in files:
            files = {"commonsgen.yml": MINIMAL_CONFIG, **files}
        return write_files(root, files)

    return make


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(*args: str, cwd: Path | None = None) -> CliResult:
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        chdir(cwd) if cwd else contextlib.nullcontext(),
    ):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return CliResult(code, out.getvalue(), err.getvalue())


def page(frontmatter: str, body: str = "Some text.\n") -> str:
    """A page file from a frontmatter block (without the fences) and a body."""
    return "---\n" + textwrap.dedent(frontmatter).strip("\n") + "\n---\n" + textwrap.dedent(body)
