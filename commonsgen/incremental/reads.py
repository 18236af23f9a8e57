"""What a page's view read of the site, and whether a later site holds the same.

The dev server makes a page's view again only when something the view read changed. No list
of what :func:`commonsgen.outputs.views.page_view` reads is kept by hand beside it (it
would go stale as views grow): the view is made from a copy of the site whose mappings
note every key read (the site's own, the attribution's, the git history's, and the
pages' rendered Markdown), with the value read. A later site is compared with those
values key by key. What is not a mapping (the config, the attribution's default licence,
the history's root and uncommitted files) is compared whole, once a build (:attr:`SiteReads.rest`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any, TypeVar

from commonsgen.markdown.html import RenderedPage
from commonsgen.model import Page, PageId
from commonsgen.site import Site

_T = TypeVar("_T")
_D = TypeVar("_D")

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


class SiteReads:
    """One build's site, for views to be made from with what they read noted."""

    def __init__(self, site: Site, rendered: dict[PageId, RenderedPage]) -> None:
        self._mappings: dict[str, dict[Any, Any]] = {"rendered": rendered}
        self._log: list[tuple[str, Any]] = []
        self._rendered = _Noting("rendered", rendered, self._log)
        rest: list[tuple[str, Any]] = []
        nested = {
            name: self._noting_copy(getattr(site, name), name + ".", rest)
            for name in _NESTED
            if getattr(site, name) is not None
        }
        own = self._noting_copy(site, "", rest, skip=_NESTED)
        self._noting = dataclasses.replace(own, **nested)
        self.rest = tuple(rest)
        """What is not a mapping, by name: a view's reads hold while it is equal."""

    def _noting_copy(
        self, part: _D, prefix: str, rest: list[tuple[str, Any]], skip: tuple[str, ...] = ()
    ) -> _D:
        """``part`` with each of its mappings noting reads; its other fields go to ``rest``."""
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(part):  # type: ignore[arg-type]
            if f.name in skip:
                continue
            value = getattr(part, f.name)
            if isinstance(value, dict):
                self._mappings[prefix + f.name] = value
                changes[f.name] = _Noting(prefix + f.name, value, self._log)
            else:
                rest.append((prefix + f.name, value))
        return dataclasses.replace(part, **changes)  # type: ignore[type-var]

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
