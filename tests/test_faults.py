"""Faults of the file system as they really happen, not monkeypatched: a build run in a
process that the permissions, or a read-only mount, refuse. Each is one
``file: error[file-system]`` with the system's reason, exit 1, no traceback, and the last
good site as it was.

The tests run as root in CI containers, and root ignores permissions: there the build's
process gives up the capabilities that let it (``setpriv``), so that a file of mode 000 is
unreadable to it as to anyone. A read-only file system is a read-only bind mount in a
mount namespace of the build's own (``unshare``). Where neither can be had the tests are
skipped, and under ``CI`` they fail instead, as the browser tests do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CliResult, page, run_cli
from tests.invariants import snapshot

_NO_OVERRIDE = "-dac_override,-dac_read_search"


def _unavailable(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{why}; CI must run the file-system fault tests")
    pytest.skip(why)


def _obeying_permissions() -> list[str]:
    """The command prefix under which a process obeys file permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        _unavailable("running as root without setpriv: permissions cannot be made to hold")
    return [setpriv, f"--inh-caps={_NO_OVERRIDE}", f"--bounding-set={_NO_OVERRIDE}"]


def _read_only_mount(folder: Path) -> list[str]:
    """The command prefix that runs a command with ``folder`` mounted read-only (in a
    mount namespace of its own: nothing else sees it)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        _unavailable("no unshare: a read-only mount cannot be made")
    namespace = [unshare, "-m"] if os.geteuid() == 0 else [unshare, "-r", "-m"]
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    probe = subprocess.run(
        [*namespace, "sh", "-c", script, "sh", str(folder), "true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        _unavailable(f"a read-only mount cannot be made here: {probe.stderr.strip()}")
    return [*namespace, "sh", "-c", script, "sh", str(folder)]


def commonsgen(prefix: list[str], *args: str, cwd: Path) -> CliResult:
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "commonsgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def one_error(result: CliResult, expected: str) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result
    assert result.code == 1, result
    shown = result.stderr + result.stdout
    assert expected in shown, shown
    assert shown.count("error[") == 1, shown


def no_staging_left(folder: Path) -> None:
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith(".public."))
    assert left == [], left


LINKS = "[Guide](guide/a.md) [B](notes/b.md) [B by its address](notes/b/)\n"
"""Links into what is made unreadable: not reported as well (one fault, one error)."""


@pytest.fixture
def site(make_site) -> Path:
    """A site that built once: public/ is its last good site."""
    root = make_site(
        {
            "content/index.md": page("title: Home", LINKS),
            "content/guide/a.md": page("title: A\ncontributors: [ada]"),
            "content/notes/b.md": page("title: B"),
            "contributors.yml": "ada:\n  name: Ada Mensah\n",
        }
    )
    assert run_cli("build", str(root)).code == 0
    (root / "content/index.md").write_text(page("title: Home again", LINKS))
    return root


UNREADABLE = {
    # what is made unreadable, the command, the error
    "page": ("content/guide/a.md", "build", "site/content/guide/a.md: error[file-system]: "),
    "page under check": ("content/guide/a.md", "check", "site/content/guide/a.md: error[file-"),
    "content folder": ("content/notes", "build", "site/content/notes/: error[file-system]: "),
    "config": ("commonsgen.yml", "build", "site/commonsgen.yml: error[file-system]: "),
    "config under check": ("commonsgen.yml", "check", "site/commonsgen.yml: error[file-system]"),
    # one error: the ids its pages give are not reported unknown as well
    "registry": ("contributors.yml", "build", "site/contributors.yml: error[file-system]: "),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_a_file_or_folder_the_build_may_not_read_is_one_error_with_the_reason(site, name):
    rel, command, expected = UNREADABLE[name]
    prefix = _obeying_permissions()
    before = snapshot(site / "public")
    (site / rel).chmod(0)
    try:
        result = commonsgen(prefix, command, "site", cwd=site.parent)
    finally:
        (site / rel).chmod(0o755 if (site / rel).is_dir() else 0o644)
    if name.startswith("config") and command == "check":
        assert result.code == 2 and "Traceback" not in result.stderr, result  # nothing checked
        assert expected + ": cannot read this file: Permission denied" in result.stdout
        return
    one_error(result, expected)
    assert "Permission denied" in result.stderr + result.stdout
    if command == "build":
        assert snapshot(site / "public") == before
        no_staging_left(site)


@pytest.mark.parametrize("cache", [True, False])
def test_a_read_only_output_folder_is_one_error_and_the_site_stays(site, cache):
    """The output folder and the folder it is in may not be written (a deployment
    checkout, a shared folder): the build says so, and writes nothing."""
    prefix = _obeying_permissions()
    args = () if cache else ("--no-cache",)
    assert run_cli("build", str(site), *args).code == 0  # the cache as this mode leaves it
    (site / "content/index.md").write_text(page("title: Home, third", "Changed.\n"))
    before = snapshot(site / "public")
    folders = [site, *(p for p in (site / "public").rglob("*") if p.is_dir()), site / "public"]
    for folder in folders:
        folder.chmod(0o555)
    try:
        result = commonsgen(prefix, "build", "site", *args, cwd=site.parent)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    one_error(result, "error[file-system]: cannot write ")
    assert "Permission denied" in result.stderr
    assert snapshot(site / "public") == before
    no_staging_left(site)


@pytest.mark.parametrize("cache", [True, False])
def test_an_output_folder_on_a_read_only_file_system_is_one_error(site, tmp_path, cache):
    """A genuinely read-only file system (EROFS, which no privilege overrides) under the
    output folder given with --out."""
    mounted = tmp_path / "deploy"
    out = mounted / "public"
    args = ("--out", str(out)) + (() if cache else ("--no-cache",))
    assert run_cli("build", str(site), *args).code == 0
    (site / "content/index.md").write_text(page("title: Home, third", "Changed.\n"))
    before = snapshot(out)
    prefix = _read_only_mount(mounted)
    result = commonsgen(prefix, "build", "site", *args, cwd=site.parent)
    one_error(result, f"{out}/: error[file-system]: cannot write the site: Read-only file system")
    assert snapshot(out) == before
    no_staging_left(mounted)


def test_an_output_folder_whose_parent_cannot_hold_the_lock_is_one_error(site, tmp_path):
    """The build lock is a file beside the output folder: a folder that may be read but not
    written cannot hold it (nor the staging folder), and the build says so."""
    prefix = _obeying_permissions()
    parent = tmp_path / "deploy"
    out = parent / "public"
    assert run_cli("build", str(site), "--out", str(out)).code == 0
    (site / "content/index.md").write_text(page("title: Home, third", "Changed.\n"))
    before = snapshot(out)
    parent.chmod(0o555)
    try:
        result = commonsgen(prefix, "build", "site", "--out", str(out), cwd=site.parent)
    finally:
        parent.chmod(0o755)
    one_error(result, f"{out}/: error[file-system]: cannot write the site: Permission denied")
    assert snapshot(out) == before


def test_a_parent_that_cannot_be_listed_does_not_stop_a_build(site, tmp_path):
    """Entered and written but not read (mode 333): the lock file and the staging folder
    need no listing, so the build goes on."""
    prefix = _obeying_permissions()
    parent = tmp_path / "deploy"
    out = parent / "public"
    assert run_cli("build", str(site), "--out", str(out)).code == 0
    (site / "content/index.md").write_text(page("title: Home, third", "Changed.\n"))
    parent.chmod(0o333)
    try:
        result = commonsgen(prefix, "build", "site", "--out", str(out), cwd=site.parent)
    finally:
        parent.chmod(0o755)
    assert result.code == 0, result
    assert "Home, third" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", [0, 0o555])
def test_a_build_cache_the_build_may_not_use_is_left_aside(site, tmp_path, mode):
    """The cache is a help, not an input: unreadable or read-only, the build goes on
    without it and writes what a build without it writes."""
    prefix = _obeying_permissions()
    cache = site / ".commonsgen-cache"
    assert cache.is_dir()
    folders = [cache, *(p for p in cache.rglob("*") if p.is_dir())]
    for folder in reversed(folders):
        folder.chmod(mode)
    try:
        result = commonsgen(prefix, "build", "site", cwd=site.parent)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert result.code == 0 and "Traceback" not in result.stderr, result
    clean = tmp_path / "clean"
    assert run_cli("build", str(site), "--no-cache", "--out", str(clean)).code == 0
    assert snapshot(site / "public") == snapshot(clean)
