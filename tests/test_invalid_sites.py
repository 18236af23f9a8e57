"""One broken site per folder under tests/invalid/, with the exact diagnostics it must give."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, build
from commonsgen.diagnostics import format_text

CASES = Path(__file__).parent / "invalid"


def diagnostics_of(site: Path) -> str:
    result = build(site, BuildOptions(write=False))
    return format_text(result.report.sorted())


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_invalid_site(name: str, update_goldens: bool) -> None:
    case = CASES / name
    actual = diagnostics_of(case)
    expected_file = case / "expected.txt"
    if update_goldens:
        expected_file.write_text(actual, encoding="utf-8")
        return
    assert actual == expected_file.read_text(encoding="utf-8"), (
        f"diagnostics of tests/invalid/{name} changed; if intended, review and regenerate with: "
        "pytest tests/test_invalid_sites.py --update-goldens"
    )
