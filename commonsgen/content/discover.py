"""Walk the content folder -> a sorted tuple of source files.

Hidden files and editor leftovers are skipped. A symlink whose target lies outside the site
folder is refused: a pull request must not be able to publish files from elsewhere on the
machine that builds it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from commonsgen.diagnostics import Report
from commonsgen.model import SourceFile

_EDITOR_TEMP = re.compile(r"(^\.#|^#.*#$|~$|\.sw[a-p]$|\.swx$|\.tmp$|^4913$)")


def is_ignored_name(name: str) -> bool:
    """Hidden files and the temporary files editors write while saving."""
    return name.startswith(".") or bool(_EDITOR_TEMP.search(name))


def discover(content_root: Path, site_root: Path, report: Report) -> tuple[SourceFile, ...]:
    """Every file under ``content_root``, pages and assets, sorted by relative path."""
    site_root = site_root.resolve()
    content_root = content_root.resolve()
    found: list[SourceFile] = []
    walked: set[Path] = set()
    # followlinks: symlinked folders inside the site are fine; each is checked below.
    for dirpath, dirnames, filenames in os.walk(content_root, followlinks=True):
        current = Path(dirpath)
        real = current.resolve()
        if real in walked:  # a link back to a folder already walked would loop for ever
            dirnames[:] = []
            continue
        walked.add(real)
        kept_dirs = []
        for name in sorted(dirnames):
            if is_ignored_name(name):
                continue
            if _leaves_site(current / name, site_root, report):
                continue
            kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            if is_ignored_name(name):
                continue
            abs_path = current / name
            if _leaves_site(abs_path, site_root, report):
                continue
            if not abs_path.is_file():
                continue  # a dangling link or a socket: nothing to publish
            rel_path = abs_path.relative_to(content_root).as_posix()
            site_path = Path(os.path.relpath(abs_path, site_root)).as_posix()
            found.append(SourceFile(rel_path, abs_path, site_path))
    found.sort(key=lambda f: f.rel_path)
    return tuple(found)


def _leaves_site(path: Path, site_root: Path, report: Report) -> bool:
    if not path.is_symlink():
        return False
    target = path.resolve()
    if target == site_root or site_root in target.parents:
        return False
    _refuse(path, site_root, report, f"points outside the site folder (to {target})")
    return True


def _refuse(path: Path, site_root: Path, report: Report, why: str) -> None:
    rel = Path(os.path.relpath(path, site_root)).as_posix()
    report.error(
        rel,
        None,
        None,
        "symlink-outside",
        f"symbolic link {why}; it is not published",
        "copy the file into the site folder instead of linking to it",
    )
