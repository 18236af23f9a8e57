"""What must hold after any build of any input, however broken or hostile (issue 5)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from commonsgen.incremental.disk import CACHE_DIR
from tests.conftest import CliResult, run_cli


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (symlinks as their target text) -> a digest of its bytes."""
    found: dict[str, str] = {}
    if not folder.exists():
        return found
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + str(path.readlink())
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def ours_excluded(files: dict[str, str]) -> dict[str, str]:
    """The files commonsgen does not own: not under the output folder or the cache."""
    return {k: v for k, v in files.items() if "/public/" not in k and f"/{CACHE_DIR}/" not in k}


def build_keeps_promises(root: Path, *args: str) -> CliResult:
    """Build ``root`` and check the promises: no traceback (run_cli would raise), an exit
    code that means something, nothing written outside the output folder (and the build
    cache's own folder), and on failure the previous output byte for byte as it was."""
    out = root / "public"
    outside_before = ours_excluded(snapshot(root.parent))
    output_before = snapshot(out)
    result = run_cli("build", str(root), *args, cwd=root.parent)
    assert result.code in (0, 1, 2), result
    assert "Traceback" not in result.stderr
    outside_after = ours_excluded(snapshot(root.parent))
    assert outside_after == outside_before, "the build wrote outside its output folder"
    if result.code != 0:
        assert snapshot(out) == output_before, "a failed build changed the previous output"
        assert "error" in result.stderr
    for diagnostic_line in result.stderr.splitlines():
        # every diagnostic names a file of the site (never a Python internal)
        if "error[" in diagnostic_line or "warning[" in diagnostic_line:
            assert diagnostic_line.startswith(root.name + "/"), diagnostic_line
    return result
