"""The table of Creative Commons jurisdiction ports (``ports.txt`` beside this module).

Data only: which versions were ported to which jurisdictions, under which name, and which
of the resulting licences SPDX lists. The licence registry builds the licences from it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class Port:
    version: str
    code: str
    """The last segment of CC's URL: "de", "igo", "scotland"."""
    name: str
    """The jurisdiction as the licence's title names it: "Germany"."""


@dataclass(frozen=True, slots=True)
class PortTable:
    ports: tuple[Port, ...]
    spdx_ids: frozenset[str]


def parse(text: str) -> PortTable:
    """``VERSION CODE NAME...`` lines and ``spdx ID...`` lines; ``#`` starts a comment."""
    ports: list[Port] = []
    spdx: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "spdx":
            spdx.update(words[1:])
        elif len(words) >= 3:
            ports.append(Port(words[0], words[1], " ".join(words[2:])))
        else:
            raise ValueError(f"ports.txt:{number}: expected VERSION CODE NAME, got {raw!r}")
    return PortTable(tuple(ports), frozenset(spdx))


@functools.cache
def table() -> PortTable:
    return parse(resources.files(__package__).joinpath("ports.txt").read_text("utf-8"))
