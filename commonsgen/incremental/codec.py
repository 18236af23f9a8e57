"""The build cache's storage format: JSON that holds data only, checked as it is read.

A cache file is untrusted input: a pull request may commit one, and a CI cache may be
restored from another branch's build. So nothing read back can run code (no pickle,
marshal or shelve, whose loading calls whatever the bytes name), and a value is rebuilt
only from plain JSON and a closed list of commonsgen's own frozen dataclasses, each field
checked against its annotation. An entry that is not what it claims to be is rejected as
a whole (:class:`Rejected`), and the cache treats it as a miss.

Each non-JSON value is a one-key object whose key says what it is: ``{"t": [...]}`` a
tuple, ``{"c": ["Page", v1, v2, ...]}`` a dataclass with its fields' values in order, and
so on (:data:`_DECODERS`). JSON's own lists, strings, numbers, booleans and null stand for
themselves. Decoding runs in ``json.loads``' object hook, bottom-up, so a value is checked
once its parts are.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from commonsgen.diagnostics import Diagnostic
from commonsgen.markdown.html import RenderedPage
from commonsgen.model import Page

VERSION = 1
"""Raise when the encoding changes; the cache's format number includes it."""


class Rejected(ValueError):
    """What was read is not a value this codec writes."""


Check = Callable[[Any], bool]


class Codec:
    """Encodes and decodes values made of JSON's types, tuples, sets, dates, paths,
    Markup, and the dataclasses (and enums) reachable from ``roots``' annotations."""

    def __init__(self, roots: Iterable[type]) -> None:
        self._classes: dict[str, type] = {}
        self._checks: dict[type, tuple[tuple[str, Check], ...]] = {}
        self._enums: dict[str, type[enum.Enum]] = {}
        for root in roots:
            self._register(root)

    # -- what may be stored ------------------------------------------------------------

    def _register(self, cls: type) -> None:
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            self._named(self._enums, cls)
            return
        if cls in self._checks or not dataclasses.is_dataclass(cls):
            return
        fields = dataclasses.fields(cls)
        if any(not f.init or f.kw_only for f in fields) or hasattr(cls, "__post_init__"):
            raise TypeError(f"{cls.__qualname__} cannot be rebuilt from its fields in order")
        self._named(self._classes, cls)
        self._checks[cls] = ()  # registered before its fields, for types that nest
        hints = typing.get_type_hints(cls)
        self._checks[cls] = tuple((f.name, self._check_for(hints[f.name])) for f in fields)

    @staticmethod
    def _named(table: dict[str, Any], cls: type) -> None:
        name = cls.__qualname__
        if table.get(name, cls) is not cls:
            raise TypeError(f"two stored types are named {name}")
        table[name] = cls

    def _check_for(self, hint: Any) -> Check:
        """A test that a decoded value fits ``hint``; registers the classes it names."""
        if hint is Any:
            return _anything
        supertype = getattr(hint, "__supertype__", None)  # a NewType
        if supertype is not None:
            return self._check_for(supertype)
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            options = tuple(self._check_for(a) for a in args)
            return lambda v: any(check(v) for check in options)
        if origin is typing.Literal:
            allowed = frozenset(args)
            return lambda v: type(v) in (str, int, bool) and v in allowed
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                item = self._check_for(args[0])
                return lambda v: type(v) is tuple and all(item(x) for x in v)
            if not args:
                return lambda v: type(v) is tuple
            each = tuple(self._check_for(a) for a in args)
            return lambda v: (
                type(v) is tuple
                and len(v) == len(each)
                and all(c(x) for c, x in zip(each, v, strict=True))
            )
        if origin in (dict, typing.Mapping) or hint is dict:
            key, value = (self._check_for(a) for a in args) if args else (_anything, _anything)
            return lambda v: type(v) is dict and all(key(k) and value(x) for k, x in v.items())
        if origin in (frozenset, set):
            item = self._check_for(args[0]) if args else _anything
            return lambda v: type(v) is origin and all(item(x) for x in v)
        if hint is type(None) or hint is None:
            return lambda v: v is None
        if hint is bool:
            return lambda v: type(v) is bool
        if hint is int:
            return lambda v: type(v) is int
        if hint is float:
            return lambda v: type(v) in (float, int)
        if hint is str:
            return lambda v: type(v) in (str, Markup)
        if hint in (Path, PurePosixPath):
            return lambda v: isinstance(v, Path)
        if isinstance(hint, type):
            self._register(hint)
            return lambda v: isinstance(v, hint)
        raise TypeError(f"no check for the annotation {hint!r}")

    # -- writing -----------------------------------------------------------------------

    def encode(self, value: Any) -> bytes | None:
        """The stored form of ``value``; None when it holds something this codec does not
        store (the caller then keeps nothing)."""
        try:
            return json.dumps(self._plain(value), ensure_ascii=False, separators=(",", ":")).encode(
                "utf-8"
            )
        except (TypeError, ValueError, RecursionError):
            return None

    def _plain(self, value: Any) -> Any:
        kind = type(value)
        if kind in (str, int, float, bool) or value is None:
            return value
        if kind is list:
            return [self._plain(x) for x in value]
        if kind is tuple:
            return {"t": [self._plain(x) for x in value]}
        if kind is dict:
            return {"d": [self._plain(x) for item in value.items() for x in item]}
        if kind is Markup:
            return {"m": str(value)}
        if kind in (frozenset, set):
            # Sorted by their stored form: the same set is always stored as the same bytes.
            items = sorted((self._plain(x) for x in value), key=_sort_key)
            return {"f" if kind is frozenset else "s": items}
        if kind is dt.datetime:
            return {"T": value.isoformat()}
        if kind is dt.date:
            return {"D": value.isoformat()}
        if kind is bytes:
            return {"b": base64.b64encode(value).decode("ascii")}
        if isinstance(value, Path):
            return {"p": str(value)}
        if kind in self._checks:
            names = self._checks[kind]
            return {"c": [kind.__qualname__, *(self._plain(getattr(value, n)) for n, _ in names)]}
        if kind.__qualname__ in self._enums and self._enums[kind.__qualname__] is kind:
            return {"e": [kind.__qualname__, value.value]}
        raise TypeError(f"the build cache does not store {kind.__qualname__}")

    # -- reading -----------------------------------------------------------------------

    def decode(self, data: bytes) -> Any:
        """The value ``data`` stores; raises :class:`Rejected` for anything else."""
        try:
            return json.loads(data, object_hook=self._object)
        except Rejected:
            raise
        except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
            raise Rejected(str(exc)) from None

    def _object(self, obj: dict[str, Any]) -> Any:
        if len(obj) != 1:
            raise Rejected("an object that is no stored value")
        ((tag, body),) = obj.items()
        decoder = _DECODERS.get(tag)
        if decoder is not None:
            return decoder(body)
        if tag == "c" and type(body) is list and body and type(body[0]) is str:
            cls = self._classes.get(body[0])
            checks = self._checks.get(cls) if cls is not None else None
            values = body[1:]
            if checks is None or len(values) != len(checks):
                raise Rejected(f"not a stored kind of value: {body[0]!r}")
            for (name, check), value in zip(checks, values, strict=True):
                if not check(value):
                    raise Rejected(f"{body[0]}.{name} has a value of the wrong type")
            return cls(*values)  # type: ignore[misc]
        if tag == "e" and type(body) is list and len(body) == 2:
            kind = self._enums.get(body[0]) if type(body[0]) is str else None
            if kind is None:
                raise Rejected("not a stored kind of value")
            return kind(body[1])
        raise Rejected(f"an unknown kind of stored value: {tag!r}")


def _anything(value: Any) -> bool:
    return True


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _text(body: Any) -> str:
    if type(body) is not str:
        raise Rejected("text expected")
    return body


def _items(body: Any) -> list[Any]:
    if type(body) is not list:
        raise Rejected("a list expected")
    return body


def _mapping(body: Any) -> dict[Any, Any]:
    items = _items(body)
    if len(items) % 2:
        raise Rejected("a mapping with a key and no value")
    return dict(zip(items[::2], items[1::2], strict=True))


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "t": lambda body: tuple(_items(body)),
    "d": _mapping,
    "f": lambda body: frozenset(_items(body)),
    "s": lambda body: set(_items(body)),
    "m": lambda body: Markup(_text(body)),
    "T": lambda body: dt.datetime.fromisoformat(_text(body)),
    "D": lambda body: dt.date.fromisoformat(_text(body)),
    "b": lambda body: base64.b64decode(_text(body), validate=True),
    "p": lambda body: Path(_text(body)),
}


def cache_codec() -> Codec:
    """The codec for what the build cache stores: pages as read, pages' Markdown
    renderings, and a build's diagnostics."""
    return Codec((Page, RenderedPage, Diagnostic))
