"""A theme's interface strings ("Credits and licence", "On this page" ...) in many languages.

Each theme may have ``i18n/<lang>.yml``, a flat mapping of keys to strings; a site adds or
overrides keys in its own ``i18n/`` folder. A key is looked up in the page's language,
then in its base language (``pt`` for ``pt-BR``), then in English, so a partial catalogue
is fine. Files are read on first use, once per build.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

FALLBACK = "en"
"""Every theme's catalogue is complete in this language."""


class Catalogue:
    """The interface strings of the folders given, later folders overriding earlier ones
    (the default theme, then the chosen theme, then the site)."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = tuple(folders)
        self._loaded: dict[str, dict[str, str]] = {}
        self._resolved: dict[str, dict[str, str]] = {}
        """Language -> every string a page in it gets, its fallbacks merged in: made once
        per language, since templates look strings up for every page."""

    def strings(self, lang: str) -> dict[str, str]:
        if lang not in self._loaded:
            merged: dict[str, str] = {}
            for folder in self.folders:
                merged.update(_read(folder / f"{lang}.yml"))
            self._loaded[lang] = merged
        return self._loaded[lang]

    def lookup(self, lang: str, key: str) -> str:
        table = self._resolved.get(lang)
        if table is None:
            table = {}
            for candidate in reversed(dict.fromkeys((lang, lang.split("-", 1)[0], FALLBACK))):
                table.update(self.strings(candidate))
            self._resolved[lang] = table
        found = table.get(key)
        if found is not None:
            return found
        # A LookupError: the renderer reports it at the template line that asked for it.
        searched = ", ".join(str(f / f"{FALLBACK}.yml") for f in self.folders)
        raise KeyError(f"no interface string '{key}' (looked in {searched})")


def folders(site_root: Path, theme_folders: Sequence[Path]) -> list[Path]:
    """Catalogue folders, lowest priority first: themes fall back to later ones, so they
    are read in reverse, and the site's own folder comes last."""
    return [folder / "i18n" for folder in reversed(theme_folders)] + [site_root / "i18n"]


def _read(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # A ValueError: the renderer reports it as a template error with this message.
        raise ValueError(f"{path}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"{path}: must map keys to strings ('on_this_page: On this page')")
    return data
