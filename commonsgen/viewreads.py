"""What a page's view read of the site, and whether a later site holds the same.

The dev server makes a page's view again only when something the view read changed. No list
of what :func:`commonsgen.views.page_view` reads is kept by hand beside it (it would go stale
as views grow): the view is made from a copy of the site whose mappings note every key read
(the site's own, the attribution's, the git history's, and the pages' rendered Markdown),
with the value read. A later site is compared with those values key by key. What is not a
mapping (the config, the attribution's default licence, the history's root and uncommitted
files) is compared whole, once a build (:attr:`SiteReads.rest`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any, TypeVar

from commonsgen.markdown import RenderedPage
from commonsgen.model import Page, PageId
from commonsgen.site import Site

_T = TypeVar("_T")

WHOLE = object()
"""The key of a read of a whole mapping (iterated, or its size asked)."""
_MISSING = object()

Reads = tuple[tuple[str, Any, Any], ...]
"""(mapping's name, key or :data:`WHOLE`, the value read), each once."""

_NESTED = ("attribution", "history")
"""The site's fields whose own mappings are noted too."""


class _Noting(Mapping[Any, Any]):
    """A mapping that notes each key read of it into ``log``."""

    __slots__ = ("_data", "_log", "_name")

    def __init__(self, name: str, data: dict[Any, Any], log: list[tuple[str, Any]]) -> None:
        self._name, self._data, self._log = name, data, log

    def __getitem__(self, key: Any) -> Any:
        self._log.append((self._name, key))
        return self._data[key]

    def get(self, key: Any, default: Any = None) -> Any:
        self._log.append((self._name, key))
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._log.append((self._name, key))
        return key in self._data

    def __iter__(self) -> Iterator[Any]:
        self._log.append((self._name, WHOLE))
        return iter(self._data)

    def __len__(self) -> int:
        self._log.append((self._name, WHOLE))
        return len(self._data)

    def keys(self) -> KeysView[Any]:
        self._log.append((self._name, WHOLE))
        return self._data.keys()

    def values(self) -> ValuesView[Any]:
        self._log.append((self._name, WHOLE))
        return self._data.values()

    def items(self) -> ItemsView[Any, Any]:
        self._log.append((self._name, WHOLE))
        return self._data.items()


def _parts(site: Site) -> dict[str, object]:
    """The site, and the objects of its fields whose mappings are noted, by prefix."""
    found: dict[str, object] = {"": site}
    for name in _NESTED:
        value = getattr(site, name)
        if value is not None:
            found[name + "."] = value
    return found


class SiteReads:
    """One build's site, for views to be made from with what they read noted."""

    def __init__(self, site: Site, rendered: dict[PageId, RenderedPage]) -> None:
        self._mappings: dict[str, dict[Any, Any]] = {"rendered": rendered}
        rest: list[Any] = []
        self._log: list[tuple[str, Any]] = []
        self._rendered = _Noting("rendered", rendered, self._log)
        replaced: dict[str, dict[str, Any]] = {}
        for prefix, part in _parts(site).items():
            assert dataclasses.is_dataclass(part)
            changes: dict[str, Any] = {}
            for f in dataclasses.fields(part):
                value = getattr(part, f.name)
                if isinstance(value, dict):
                    self._mappings[prefix + f.name] = value
                    changes[f.name] = _Noting(prefix + f.name, value, self._log)
                elif not (prefix == "" and f.name in _NESTED):
                    rest.append((prefix + f.name, value))
            replaced[prefix] = changes
        self.rest = tuple(rest)
        """What is not a mapping, by name: a view's reads hold while it is equal."""
        nested = {
            name: dataclasses.replace(getattr(site, name), **replaced[name + "."])  # type: ignore[type-var]
            for name in _NESTED
            if name + "." in replaced
        }
        self._noting = dataclasses.replace(site, **replaced[""], **nested)

    def made(self, make: Callable[[Site, Mapping[PageId, RenderedPage]], _T]) -> tuple[_T, Reads]:
        """``make(site, rendered)``, and what it read of them."""
        self._log.clear()
        result = make(self._noting, self._rendered)
        reads = tuple((name, key, self._value(name, key)) for name, key in dict.fromkeys(self._log))
        return result, reads

    def _value(self, name: str, key: Any) -> Any:
        data = self._mappings[name]
        return data if key is WHOLE else data.get(key, _MISSING)

    def holds(self, reads: Reads) -> bool:
        """Whether this site has what ``reads`` (of an earlier site) found: the same
        values, equal if not the same objects, under every key read."""
        for name, key, value in reads:
            if name not in self._mappings:
                return False
            now = self._value(name, key)
            if now is value or now == value:
                continue
            # A view shows other pages by their titles, URLs and credits, never their text.
            if not (name == "pages" and _same_but_text(value, now)):
                return False
        return True


def _same_but_text(before: Any, now: Any) -> bool:
    return (
        isinstance(before, Page)
        and isinstance(now, Page)
        and dataclasses.replace(before, body=now.body) == now
    )
