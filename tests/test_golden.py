"""Whole sample sites built and compared, file by file, with reviewed expected output."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, build

SITES = Path(__file__).parent / "sites"
REGENERATE = "pytest tests/test_golden.py --update-goldens"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("name", sorted(p.name for p in SITES.iterdir() if (p / "input").is_dir()))
def test_golden_site(name: str, tmp_path: Path, update_goldens: bool) -> None:
    case = SITES / name
    out = tmp_path / "out"
    # git: off, because this folder is in commonsgen's own repository: its history (which
    # changes with every commit, including the one that adds these expected files) must
    # not leak into the output. tests/unit/test_history.py builds sites in git repositories.
    result = build(case / "input", BuildOptions(out=out, git=False))
    assert not result.report.items, result.report.sorted()
    assert result.written
    actual = tree(out)
    expected_dir = case / "expected"
    if update_goldens:
        shutil.rmtree(expected_dir, ignore_errors=True)
        shutil.copytree(out, expected_dir)
        return
    expected = tree(expected_dir)
    problems: list[str] = []
    for rel in sorted(set(actual) | set(expected)):
        if rel not in expected:
            problems.append(f"unexpected file {rel}")
        elif rel not in actual:
            problems.append(f"missing file {rel}")
        elif actual[rel] != expected[rel]:
            diff = difflib.unified_diff(
                expected[rel].decode("utf-8", "replace").splitlines(),
                actual[rel].decode("utf-8", "replace").splitlines(),
                f"expected/{rel}",
                f"actual/{rel}",
                lineterm="",
            )
            problems.append("\n".join(diff))
    assert not problems, (
        f"the output of tests/sites/{name} changed:\n\n"
        + "\n\n".join(problems)
        + f"\n\nIf the change is intended, review it and regenerate with: {REGENERATE}"
    )
