"""ruff is part of the suite, so CI keeps the code as clean as review expects."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent)) or "ruff"
    return subprocess.run([exe, *args], cwd=REPO, capture_output=True, text=True)


def test_ruff_check() -> None:
    done = ruff("check", "--output-format", "concise", "commonsgen", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format() -> None:
    done = ruff("format", "--check", "commonsgen", "tests")
    assert done.returncode == 0, done.stdout + done.stderr
