"""Cheap evidence that something is unchanged: a file's stat signature, a value's pickle.

Both caches use them: the dev server's memos (``memo``) and the build cache kept between
runs (``disk``). A fingerprint is a pickle made to be compared, never loaded: what the
build cache stores and reads back is data in :mod:`codec`'s format.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import operator
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

StatSignature = tuple[int, int, int, int]
"""mtime_ns, size, inode, ctime_ns: a file whose signature is unchanged was not written."""


class _Pickler(pickle.Pickler):
    """A pickler that stores a frozen slotted dataclass as a call of its class with its
    fields' values. The standard way goes through ``dataclasses._dataclass_getstate`` and
    ``_dataclass_setstate``, which call ``dataclasses.fields()`` for every object: a page
    and its rendering hold dozens of them (a ``Pos`` for each frontmatter key), and that
    was most of the time a cached build spent loading pages back. ``pickle.loads`` reads
    both kinds."""

    def reducer_override(self, obj: Any) -> Any:
        values = _field_values(type(obj))
        if values is None:
            return NotImplemented
        return type(obj), values(obj)


@functools.cache
def _field_values(cls: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """For a dataclass that its own ``__init__`` rebuilds from its fields' values in order
    (no ``__post_init__``, no keyword-only or non-init field, no pickling of its own): a
    function giving those values. None for any other type, which pickles as it always does."""
    if not (dataclasses.is_dataclass(cls) and "__slots__" in cls.__dict__):
        return None
    own = {name for name in ("__reduce__", "__reduce_ex__", "__getstate__") if name in vars(cls)}
    if own - {"__getstate__"} or (own and vars(cls)["__getstate__"].__module__ != "dataclasses"):
        return None
    if hasattr(cls, "__post_init__"):
        return None
    fields = dataclasses.fields(cls)
    if not fields or any(not f.init or f.kw_only for f in fields):
        return None
    names = tuple(f.name for f in fields)
    if len(names) == 1:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return operator.attrgetter(*names)


def fingerprint(value: Any) -> bytes | None:
    """Bytes equal only for values a template prints the same way; None if unpicklable.

    Pickles, not ``==``, because ``1 == True`` and ``Markup("x") == "x"`` while templates
    print them differently.
    """
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # No memo: with one, the bytes would depend on which equal strings happen to be one
    # object (a page's licence is the config's string until the config is read again).
    pickler.fast = True
    try:
        pickler.dump(value)
    except Exception:  # anything unpicklable (or cyclic) is simply never reused
        return None
    return buffer.getvalue()


def stat_signature(path: str | Path) -> StatSignature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
