"""Design files, and which of them a change (a pull request) touched.

Pages, contributors and media are content: every check of a build applies to them, and none
of them can put script on the site. Templates, theme files, files copied as they are from
``static/``, interface strings and the config are design: a site may put ``<script>`` in
them on purpose, and ``commonsgen.yml`` can turn sanitising off (``unsafe_html``) or choose
another theme. No check can tell a design change that is wanted from one that is hostile,
so ``check --changed-from REF`` names each changed design file for a trusted review, as a
code change would get (as Hugo and MkDocs treat their layouts and theme folders).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from commonsgen import render
from commonsgen.config import CONFIG_FILE, SiteConfig
from commonsgen.diagnostics import Report

CODE = "design-file-changed"

SITE_DESIGN = {
    CONFIG_FILE: "the site's configuration (its theme, unsafe_html, unsafe_files, checks)",
    "templates": "a template: it writes the HTML of pages as it likes, script included",
    "themes": "a theme: its templates and files are published as they are",
    "static": "a file copied to the site as it is, script included",
    "i18n": "interface strings: printed into every page by the templates",
}
"""Site-relative files and folders that are design, and why each needs a trusted review."""

GIT_TIMEOUT = 120
"""Seconds a git command may take (a big repository's diff takes a few)."""


class ChangesUnknown(Exception):
    """git cannot say what changed; the message says why and what to do."""


def changed_files(root: Path, ref: str) -> tuple[str, ...]:
    """The files under ``root`` (posix, relative to it) that differ between the commit where
    HEAD's history met ``ref``'s (as ``git diff REF...HEAD``, what a pull request shows)
    and the work tree: committed, staged, not yet staged or new. Deleted and renamed files
    count by both their names: a deleted template brings the theme's own into use."""
    if ref.startswith("-") or not ref.strip():
        raise ChangesUnknown(f"'{ref}' is not a git revision; give a branch, tag or commit")
    git = shutil.which("git")
    if git is None:
        raise ChangesUnknown("--changed-from needs git, which is not installed here")
    _git(git, root, "rev-parse", "--show-toplevel", what="the site folder is in no git repository")
    _git(
        git,
        root,
        "rev-parse",
        "--verify",
        "--quiet",
        f"{ref}^{{commit}}",
        what=f"'{ref}' names no commit of this repository (in CI, fetch it: "
        "actions/checkout with fetch-depth: 0, then --changed-from origin/main)",
    )
    base = _git(
        git,
        root,
        "merge-base",
        ref,
        "HEAD",
        what=f"'{ref}' and HEAD share no history (a shallow clone? fetch with fetch-depth: 0)",
    ).strip()
    found: set[str] = set()
    for args in (
        ("diff", "--name-only", "--no-renames", "--relative", "-z", base, "--"),
        ("ls-files", "--others", "--exclude-standard", "-z", "--"),
    ):
        found.update(name for name in _git(git, root, *args, what="git failed").split("\0") if name)
    return tuple(sorted(found))


def _git(git: str, cwd: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run(
            [git, *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            encoding="utf-8",
            errors="surrogateescape",
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChangesUnknown(f"{what}: git {args[0]}: {exc}") from exc
    if done.returncode != 0:
        said = done.stderr.strip().splitlines()
        raise ChangesUnknown(what + (f" (git: {said[0]})" if said else ""))
    return done.stdout


def theme_folder(config: SiteConfig) -> str | None:
    """The chosen theme's folder relative to the site, when the site has it (a built-in
    theme ships with commonsgen and is not the site's to change)."""
    theme = render.resolve_theme(config.root, config.theme, Report())
    if theme is None:
        return None
    folder = theme.folders[0]
    root = config.root.resolve()
    if root not in folder.parents:
        return None
    return folder.relative_to(root).as_posix()


def design_reason(rel_path: str, theme: str | None, profile_file: str | None) -> str | None:
    """Why the site file ``rel_path`` is a design file, or None when it is not one."""
    if rel_path in (theme, profile_file) or (theme and rel_path.startswith(theme + "/")):
        return "a file of the site's theme" if rel_path != profile_file else "the site's profile"
    top = rel_path.split("/", 1)[0]
    if top == rel_path and top != CONFIG_FILE:
        return None  # a file named like a design folder, at the top of the site
    return SITE_DESIGN.get(top)


def report_changes(config: SiteConfig, changed: Iterable[str], report: Report) -> int:
    """A warning for each changed design file; returns how many."""
    theme = theme_folder(config)
    profile = config.profile.name if config.profile else None
    profile_file = profile if profile and profile.endswith((".yml", ".yaml")) else None
    count = 0
    for rel_path in changed:
        reason = design_reason(rel_path, theme, profile_file)
        if reason is None:
            continue
        count += 1
        report.warning(
            rel_path,
            None,
            None,
            CODE,
            f"a design file changed: {reason}",
            "checks cannot tell a wanted design change from a hostile one; have a "
            "maintainer review it as code before merging",
        )
    return count
