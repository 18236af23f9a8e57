"""A theme's files for a site that overrides some of them: which exist, which the site
already overrides, and a copy of one into the site's own folders.

A pip install hides the default theme inside the package, so ``commonsgen theme`` is how a
site finds ``page.html`` to change. A template is overridden by a file of the same path in
the site's ``templates/``, an interface string by the site's ``i18n/`` catalogue of the same
language; static files (style sheet, scripts) are a theme's own: a site that changes them
makes a theme (``theme:`` a folder of its own) that falls back to the default one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from commonsgen.render import Theme

OVERRIDABLE = ("templates", "i18n")
"""The theme folders whose files a site overrides one at a time, in folders of these names."""


class ThemeFileError(Exception):
    """A path that is not a file of the theme, or a copy that would overwrite a file."""


@dataclass(frozen=True, slots=True)
class ThemeFile:
    path: str
    """Relative to the theme folder, with ``/``: ``templates/partials/footer.html``."""
    source: Path
    """The file that a build uses when the site does not override it."""
    overridden: bool
    """The site has its own file of this path."""


def theme_files(site_root: Path, theme: Theme) -> list[ThemeFile]:
    """Every file of the theme (and of the themes it falls back to), the chosen one first
    when two have the same path, sorted by path."""
    found: dict[str, Path] = {}
    for folder in reversed(theme.folders):
        for top in (*OVERRIDABLE, "static"):
            for dirpath, dirnames, filenames in os.walk(folder / top):
                dirnames.sort()
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    found[path.relative_to(folder).as_posix()] = path
    return [
        ThemeFile(rel, source, (site_root / rel).is_file() and rel.startswith(OVERRIDABLE))
        for rel, source in sorted(found.items())
    ]


def find(site_root: Path, theme: Theme, written: str) -> ThemeFile:
    """The theme file a user named (``templates/page.html``, or ``page.html`` when only one
    file has that name)."""
    rel = PurePosixPath(written.replace("\\", "/")).as_posix().lstrip("/")
    files = theme_files(site_root, theme)
    exact = [f for f in files if f.path == rel]
    if exact:
        return exact[0]
    named = [f for f in files if f.path.endswith("/" + rel)]
    if len(named) == 1:
        return named[0]
    if named:
        raise ThemeFileError(
            f"'{written}' names {len(named)} theme files: "
            + ", ".join(f.path for f in named)
            + "; give the whole path"
        )
    raise ThemeFileError(
        f"the theme '{theme.name}' has no file '{written}'; 'commonsgen theme' lists its files"
    )


def copy_into_site(site_root: Path, theme_file: ThemeFile) -> Path:
    """Copy a template or catalogue to the same path in the site, where it overrides the
    theme's. Never overwrites: the site's file may hold changes."""
    if not theme_file.path.startswith(tuple(top + "/" for top in OVERRIDABLE)):
        raise ThemeFileError(
            f"{theme_file.path} is a static file of the theme, which a site does not "
            "override one by one: make a theme of your own (a folder with templates/ and "
            "static/, named by 'theme:' in commonsgen.yml) and put your copy in its static/"
        )
    target = site_root / theme_file.path
    if target.exists():
        raise ThemeFileError(
            f"{theme_file.path} exists in the site already; it was not overwritten"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as handle:
        handle.write(theme_file.source.read_bytes())
    return target
