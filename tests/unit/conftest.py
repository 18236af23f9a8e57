"""Fixtures the unit tests share."""

from __future__ import annotations

import pytest

from commonsgen.build import BuildOptions, load
from commonsgen.diagnostics import Report
from commonsgen.site import Site
from tests.conftest import MINIMAL_CONFIG, write_files


@pytest.fixture(scope="module")
def blank_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A site of one page whose body each test swaps for its own."""
    root = write_files(
        tmp_path_factory.mktemp("site"),
        {
            "commonsgen.yml": MINIMAL_CONFIG,
            "content/a.md": "---\ntitle: A\n---\nBody.\n",
            "content/b.md": "---\ntitle: B\n---\nOther.\n",
        },
    )
    report = Report()
    _, site = load(root, BuildOptions(), report)
    assert site is not None and not report.errors, report.items
    return site
