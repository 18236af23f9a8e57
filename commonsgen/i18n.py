"""A theme's interface strings ("Credits and licence", "On this page" ...) in many languages.

Each theme may have ``i18n/<lang>.yml``, a flat mapping of keys to strings; a site adds or
overrides keys in its own ``i18n/`` folder. A key is looked up in the page's language,
then in its base language (``pt`` for ``pt-BR``), then in English, so a partial catalogue
is fine. Files are read on first use, once per build.

Plural forms follow a simple {one, other} scheme: ``key_one`` is the string for a count the
language calls singular, ``key`` for every other count ("1 page", "2 pages"). Which counts
are singular is CLDR's rule for whole numbers (:func:`is_one`). Placeholders are written
``{name}`` and filled by :func:`fill`, once, so a value that contains braces stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml
from markupsafe import Markup, escape

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: ten times as fast."""

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

    def plural(self, lang: str, key: str, count: int) -> str:
        """The string for ``count`` of something: ``key_one`` where the language calls the
        count singular and the catalogue has that form, else ``key``."""
        if is_one(lang, count):
            try:
                return self.lookup(lang, key + ONE)
            except KeyError:
                pass
        return self.lookup(lang, key)


ONE = "_one"
"""The suffix of a key's singular form."""

_ZERO_IS_ONE = frozenset({"fr", "pt"})
"""Languages whose singular takes 0 too ("0 page" in French): CLDR's ``i = 0..1``."""


def is_one(lang: str, count: int) -> bool:
    """Whether ``count`` takes the singular in ``lang``, by CLDR's plural rules for whole
    numbers; a language not known here is counted as English is (1 alone)."""
    base = lang.split("-", 1)[0].lower()
    if base in _ZERO_IS_ONE and lang.lower() != "pt-pt":  # European Portuguese: 1 alone
        return count in (0, 1)
    return count == 1


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(text: str, values: Mapping[str, object]) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced, in one pass; a placeholder
    without a value stays as written. When a value is HTML (Markup), the result is HTML
    too, the catalogue's text and every plain value escaped."""
    if not any(hasattr(v, "__html__") for v in values.values()):
        return _PLACEHOLDER.sub(lambda m: str(values.get(m[1], m[0])), text)
    parts: list[Markup] = []
    at = 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(escape(text[at : match.start()]))
        parts.append(escape(values[match[1]] if match[1] in values else match[0]))
        at = match.end()
    parts.append(escape(text[at:]))
    return Markup("").join(parts)


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
        data = yaml.load(text, Loader=_LOADER)  # a safe loader, always
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
