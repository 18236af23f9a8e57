"""Walk the content folder -> a sorted tuple of source files.

Hidden files and editor leftovers are skipped. A symlink whose target lies outside the site
folder is refused: a pull request must not be able to publish files from elsewhere on the
machine that builds it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from commonsgen.adopt.profile import Profile
from commonsgen.diagnostics import FILE_SYSTEM_HINT, Report
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

    def unreadable(exc: OSError) -> None:
        folder = Path(exc.filename) if isinstance(exc.filename, str) else content_root
        report.error(
            Path(os.path.relpath(folder, site_root)).as_posix() + "/",
            None,
            None,
            "file-system",
            f"cannot read this folder: {exc.strerror or exc}; its files are left out",
            FILE_SYSTEM_HINT,
        )

    for dirpath, dirnames, filenames in os.walk(content_root, onerror=unreadable, followlinks=True):
        current = Path(dirpath)
        real = current.resolve()
        if real in walked:  # a link back to a folder already walked would loop for ever
            dirnames[:] = []
            continue
        walked.add(real)
        # The folder's entries know which are links and plain files without a system call
        # each (a large site has thousands of files; each used to cost two).
        entries = _entries(dirpath)
        kept_dirs = []
        for name in sorted(dirnames):
            if is_ignored_name(name):
                continue
            if _maybe_link(entries.get(name)) and _leaves_site(current / name, site_root, report):
                continue
            kept_dirs.append(name)
        dirnames[:] = kept_dirs
        rel_dir = current.relative_to(content_root).as_posix()
        site_dir = Path(os.path.relpath(current, site_root)).as_posix()
        for name in sorted(filenames):
            if is_ignored_name(name):
                continue
            abs_path = current / name
            entry = entries.get(name)
            if _maybe_link(entry):
                if _leaves_site(abs_path, site_root, report):
                    continue
                if not abs_path.is_file():
                    continue  # a dangling link or a socket: nothing to publish
            elif not _is_file(entry, abs_path):
                continue
            rel_path = name if rel_dir == "." else f"{rel_dir}/{name}"
            site_path = name if site_dir == "." else f"{site_dir}/{name}"
            found.append(SourceFile(rel_path, abs_path, site_path))
    found.sort(key=lambda f: f.rel_path)
    return tuple(found)


def _entries(folder: str) -> dict[str, os.DirEntry[str]]:
    try:
        with os.scandir(folder) as found:
            return {entry.name: entry for entry in found}
    except OSError:
        return {}  # each file is then looked at on its own, as before


def _maybe_link(entry: os.DirEntry[str] | None) -> bool:
    """Whether the file may be a symbolic link: those are checked on their own."""
    if entry is None:
        return True
    try:
        return entry.is_symlink()
    except OSError:
        return True


def _is_file(entry: os.DirEntry[str] | None, path: Path) -> bool:
    """``path.is_file()`` for a file that is no link, from its folder's entry when it can."""
    try:
        return entry.is_file() if entry is not None else path.is_file()
    except OSError:
        return path.is_file()


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


def adopt(
    sources: tuple[SourceFile, ...], profile: Profile | None, output: Path
) -> tuple[SourceFile, ...]:
    """The files an adopted repository publishes (its profile's include and exclude; never
    the output folder, which may lie in a content folder that is the site root), and, with
    ``section_pages``, ``guide.md`` beside a folder ``guide/`` read as ``guide/index.md``:
    Jekyll and Hugo sites give a section its page that way."""
    if profile is None:
        return sources
    output = output.resolve()
    kept = [
        s
        for s in sources
        if profile.published(s.rel_path) and output not in s.abs_path.resolve().parents
    ]
    if not profile.section_pages:
        return tuple(kept)
    paths = {s.rel_path for s in kept}
    folders = {p.rsplit("/", i)[0] for p in paths for i in range(1, p.count("/") + 1)}
    found: list[SourceFile] = []
    for source in kept:
        stem = source.rel_path[: -len(".md")] if source.is_page else None
        if stem is not None and stem in folders and f"{stem}/index.md" not in paths:
            source = SourceFile(f"{stem}/index.md", source.abs_path, source.site_path)
        found.append(source)
    found.sort(key=lambda f: f.rel_path)
    return tuple(found)
