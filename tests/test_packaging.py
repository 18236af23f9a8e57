"""The theme ships inside the wheel: a non-editable install builds a site."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_a_wheel_install_carries_the_theme_and_builds(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = wheels.glob("commonsgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "commonsgen/themes/default/templates/base.html" in names
    assert "commonsgen/themes/default/static/style.css" in names
    # shipped profiles are found by name at run time (profile: rdmkit)
    assert {
        "commonsgen/adopt/profiles/rdmkit.yml",
        "commonsgen/adopt/profiles/carpentries.yml",
    } <= set(names)

    target = tmp_path / "installed"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "commonsgen.yml").write_text("title: Wheel test\n")
    (site / "content" / "index.md").write_text("---\ntitle: Hello\n---\nHi.\n")
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import commonsgen, commonsgen.render as r, sys; print(commonsgen.__file__); "
            "print(r.builtin_themes_dir()); from commonsgen.cli import main; sys.exit(main(['build', '.']))",
        ],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    module_file, themes_dir = done.stdout.splitlines()[:2]
    assert module_file.startswith(str(target)) and themes_dir.startswith(str(target))
    assert "Hello" in (site / "public" / "index.html").read_text()
