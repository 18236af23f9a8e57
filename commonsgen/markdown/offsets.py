"""Where a place in rewritten Markdown came from in the page as the editor wrote it.

The passes that edit a page's text before it is parsed (Liquid, fenced divs, directives)
write through a :class:`Rewriter`, which keeps an :class:`OffsetMap` beside the new text.
The parser's ranges (UTF-8 byte offsets into the rewritten text) go through
:func:`char_offset` and the maps back to a character offset in the body, and from there to a
line and column of the file: diagnostics name the place the editor wrote, not a guess.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Runs of rewritten text, each copied from the source or written by a pass.

    ``starts[i]`` is where run ``i`` begins in the rewritten text, ``origins[i]`` where it
    began in the source, ``copied[i]`` whether it is the source's own text (an offset inside
    it moves with it) or text a pass wrote (every offset inside it is the origin: the
    place of what it replaced).
    """

    starts: tuple[int, ...]
    origins: tuple[int, ...]
    copied: tuple[bool, ...]

    def source_offset(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0:
            return offset
        origin = self.origins[index]
        return origin + (offset - self.starts[index]) if self.copied[index] else origin

    def written(self, offset: int) -> bool:
        """Whether ``offset`` lies in text a pass wrote (not the editor)."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return index >= 0 and not self.copied[index]


IDENTITY = OffsetMap((), (), ())


class Rewriter:
    """Builds a new text from pieces of ``source`` and new text, keeping the map."""

    __slots__ = ("_copied", "_length", "_origins", "_parts", "_starts", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._origins: list[int] = []
        self._copied: list[bool] = []
        self._length = 0

    def copy(self, start: int, end: int) -> None:
        """The source's own ``source[start:end]``."""
        if end > start:
            self._run(self.source[start:end], start, copied=True)

    def write(self, text: str, at: int) -> None:
        """New text, standing for the source at offset ``at``."""
        if text:
            self._run(text, at, copied=False)

    def _run(self, text: str, origin: int, *, copied: bool) -> None:
        if (
            self._copied
            and copied
            and self._copied[-1]
            and self._origins[-1] + (self._length - self._starts[-1]) == origin
        ):
            pass  # continues the last copied run
        else:
            self._starts.append(self._length)
            self._origins.append(origin)
            self._copied.append(copied)
        self._parts.append(text)
        self._length += len(text)

    def result(self) -> tuple[str, OffsetMap]:
        return "".join(self._parts), OffsetMap(
            tuple(self._starts), tuple(self._origins), tuple(self._copied)
        )


def compose(maps: list[OffsetMap], offset: int) -> int:
    """``offset`` in the text after every pass -> the offset in the text before the first
    (``maps`` in the order the passes ran)."""
    for offset_map in reversed(maps):
        if offset_map.starts:
            offset = offset_map.source_offset(offset)
    return offset


def char_offset(text: str, data: bytes, byte_offset: int) -> int:
    """A UTF-8 byte offset into ``data`` (``text`` encoded) as a character offset."""
    if len(data) == len(text):  # ASCII: one byte per character
        return byte_offset
    return len(data[:byte_offset].decode("utf-8", errors="ignore"))
