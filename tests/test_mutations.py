"""A seeded mutation test: damage the example site at random (truncation, byte flips,
deleted keys, swapped licences) and check, for every mutant, the promises of issue 5: no
traceback, every diagnostic at a line of an existing file, and a failed build leaves the
last good site byte for byte."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from commonsgen import licenses
from commonsgen.build import BuildOptions, build, load
from commonsgen.diagnostics import Report
from commonsgen.markdown.html import create_markdown, render_page
from commonsgen.model import PageId
from tests.conftest import EXAMPLE_SITE
from tests.invariants import build_keeps_promises

SEED = 20260501
MUTANTS = 60
FULL_BUILD_EVERY = 15
"""Most mutants stop after the Markdown stage (fast); every 15th is built and written."""

_KEY_LINE = re.compile(rb"^\s*-?\s*[A-Za-z_]+:", re.MULTILINE)
_LICENCE = re.compile(rb"\b(CC-[A-Z-]+-\d\.\d|CC0-1\.0|GPL-3\.0-\w+|LAL-1\.3)\b")


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if damaged:
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged)


def delete_key(data: bytes, rng: random.Random) -> bytes:
    keys = list(_KEY_LINE.finditer(data))
    if not keys:
        return truncate(data, rng)
    line = rng.choice(keys)
    end = data.find(b"\n", line.start())
    return data[: line.start()] + (data[end + 1 :] if end >= 0 else b"")


def swap_licence(data: bytes, rng: random.Random) -> bytes:
    found = list(_LICENCE.finditer(data))
    if not found:
        return flip_bytes(data, rng)
    spot = rng.choice(found)
    other = rng.choice([lic.id for lic in licenses.LICENSES]).encode()
    return data[: spot.start()] + other + data[spot.end() :]


MUTATIONS = (truncate, flip_bytes, delete_key, swap_licence)


def mutants() -> list[tuple[int, str, str]]:
    """(index, file, mutation) for every mutant: the same list on every run."""
    rng = random.Random(SEED)
    files = sorted(
        p.relative_to(EXAMPLE_SITE).as_posix()
        for p in EXAMPLE_SITE.rglob("*")
        if p.is_file()
        and p.suffix in (".md", ".yml")
        and not any(
            part.startswith(".") or part == "public" for part in p.relative_to(EXAMPLE_SITE).parts
        )
    )
    return [(i, rng.choice(files), rng.choice(MUTATIONS).__name__) for i in range(MUTANTS)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """One copy of the example site, built once; each mutant changes one file and puts it
    back."""
    root = tmp_path_factory.mktemp("mutants") / "example-site"
    shutil.copytree(EXAMPLE_SITE, root, ignore=shutil.ignore_patterns("public", ".git*"))
    assert build(root).written
    return root


def lines_of(root: Path, site_path: str) -> int | None:
    path = root / site_path
    if not path.is_file():
        return None
    data = path.read_bytes()
    return data.count(b"\n") + 1 + data.count(b"\r") - data.count(b"\r\n")


@pytest.mark.parametrize(("index", "rel", "mutation"), mutants())
def test_mutant_keeps_the_promises(site: Path, index: int, rel: str, mutation: str) -> None:
    target = site / rel
    original = target.read_bytes()
    damaged = globals()[mutation](original, random.Random(SEED + index))
    target.write_bytes(damaged)
    try:
        report = Report()
        if index % FULL_BUILD_EVERY == 0:
            result = build_keeps_promises(site)
            assert result.code in (0, 1)
            report = build(site, BuildOptions(write=False)).report
        else:
            _config, loaded = load(site, BuildOptions(write=False), report)
            page_id = PageId(rel.removeprefix("content/"))
            if loaded is not None and page_id in loaded.pages:
                # the damaged page's Markdown only: the others are as in the good build
                render_page(create_markdown(), loaded, loaded.pages[page_id], report)
        for d in report.items:
            if d.path == "<command line>":
                continue
            count = lines_of(site, d.path)
            assert count is not None, f"{mutation} of {rel}: {d} names no file"
            if d.line is not None:
                assert 1 <= d.line <= count, f"{mutation} of {rel}: {d} is past the end"
    finally:
        target.write_bytes(original)


def test_the_mutants_are_varied() -> None:
    chosen = mutants()
    assert {m for _, _, m in chosen} == {f.__name__ for f in MUTATIONS}
    assert len({rel for _, rel, _ in chosen}) >= 10
