"""Edits of a generated site's pages (``benchmarks.synthetic``), of every kind a page's
view, a listing or a credit shows: for tests that compare rebuilds with builds from nothing."""

from __future__ import annotations

import random
import re
from pathlib import Path

EDITS = ("body", "first", "title", "tags", "weight", "contributors", "upstream")


def edited(text: str, kind: str, n: int) -> str:
    """A generated page's text with one edit of ``kind``; ``n`` makes it new each time."""
    head, body = text.split("\n---\n", 1)
    if kind == "body":
        return text + f"\nOne more line {n}.\n"
    if kind == "first":  # the summary a listing quotes
        lines = body.split("\n")
        first = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
        lines[first] = f"Changed {n}. " + lines[first]
        return head + "\n---\n" + "\n".join(lines)
    if kind == "title":  # neighbours, translations, listings and derived pages show it
        return re.sub(r"^title: (.*)$", rf"title: \1 v{n}", text, count=1, flags=re.M)
    if kind == "tags":
        return re.sub(r"^tags: \[", f"tags: [extra{n % 2}, ", text, count=1, flags=re.M)
    if kind == "weight":  # the reading order of its section
        return text.replace("\n---\n", f"\nweight: {n % 3 - 1}\n---\n", 1)
    if kind == "contributors":
        return re.sub(r"^  - p\d{3}$", f"  - p{n:03d}", text, count=1, flags=re.M)
    # "upstream": the page is no longer adapted from another
    return re.sub(r"^derived_from:\n(?:  .*\n)+", "", text, count=1, flags=re.M)


def edit_at_random(rng: random.Random, pages: list[Path], kind: str, n: int) -> Path:
    """Edit one of ``pages`` (one adapted from another, for "upstream"); returns it."""
    path = rng.choice([p for p in pages if kind != "upstream" or "derived_from" in p.read_text()])
    before = path.read_text()
    path.write_text(edited(before, kind, n))
    assert path.read_text() != before, (kind, path)
    return path
