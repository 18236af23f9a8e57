"""The benchmark corpus (``benchmarks/synthetic.py --rich``) is a valid site with what issue 6
asks for, so that the build-speed figures measure a build that succeeds."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synthetic import generate
from commonsgen.build import BuildOptions, build


def test_the_rich_corpus_builds_without_errors_and_has_every_feature(tmp_path: Path) -> None:
    site = generate(tmp_path / "site", pages=60, seed=3, per_section=10, rich=True)
    result = build(site, BuildOptions(write=False))
    assert not result.report.failed(strict=False), result.report
    texts = [p.read_text(encoding="utf-8") for p in (site / "content").rglob("page-*.md")]
    assert any("derived_from:" in t for t in texts)
    assert any("translation_of:" in t for t in texts)
    assert any("| --- |" in t for t in texts) and any("```python" in t for t in texts)
    assert any("[^n1]:" in t for t in texts)
    assert (site / "content/part-0/topic-05/page-0050.md").is_file()


def test_the_rich_corpus_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    a = generate(tmp_path / "a", pages=30, seed=5, rich=True)
    b = generate(tmp_path / "b", pages=30, seed=5, rich=True)
    assert files(a) == files(b)
