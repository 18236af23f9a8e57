"""Cheap evidence that something is unchanged: a file's stat signature, a value's pickle.

Both caches use them: the dev server's memos (``buildstate``) and the build cache kept
between runs (``diskcache``).
"""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path
from typing import Any

StatSignature = tuple[int, int, int, int]
"""mtime_ns, size, inode, ctime_ns: a file whose signature is unchanged was not written."""


def fingerprint(value: Any) -> bytes | None:
    """Bytes equal only for values a template prints the same way; None if unpicklable.

    Pickles, not ``==``, because ``1 == True`` and ``Markup("x") == "x"`` while templates
    print them differently.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
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
