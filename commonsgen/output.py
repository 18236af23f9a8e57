"""The only module that writes: a whole site into a fresh folder, swapped in at the end.

Promises kept here:
- the output folder is never the site folder, a folder above it, or inside the content;
- a folder commonsgen did not make (it has no marker file) is never emptied;
- output is written to a temporary sibling folder and swapped in only once complete, so a
  failed build leaves the last good site in place;
- no path may leave the output folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

MARKER = ".commonsgen"
MARKER_TEXT = b"This folder is written by commonsgen and replaced on every build.\n"


class OutputRefused(Exception):
    """The output folder is unsafe to write; the message says why and what to do."""


def check_location(output: Path, *, site_root: Path, protected: Mapping[str, Path]) -> None:
    """Refuse an output folder whose replacement would destroy the user's files.

    ``protected`` names folders (content, templates ...) the output may not be or contain.
    """
    output = output.resolve()
    site_root = site_root.resolve()
    if output == site_root or output in site_root.parents:
        raise OutputRefused(
            f"the output folder {output} is the site folder or contains it; "
            "each build replaces the output folder, so choose a folder of its own, e.g. public/"
        )
    for what, folder in protected.items():
        folder = folder.resolve()
        if output == folder or folder in output.parents or output in folder.parents:
            raise OutputRefused(
                f"the output folder {output} overlaps the {what} folder {folder}; "
                "choose an output folder outside it, e.g. public/"
            )
    if output.exists():
        if not output.is_dir():
            raise OutputRefused(f"{output} exists and is not a folder; choose another --out")
        if not (output / MARKER).is_file() and any(output.iterdir()):
            raise OutputRefused(
                f"{output} exists, is not empty and was not made by commonsgen (it has no "
                f"{MARKER} file), so it is left untouched; move it away, or choose another "
                "output folder with --out"
            )


def safe_join(root: Path, out_path: str) -> Path:
    """``root / out_path``, refusing anything that could land outside ``root``."""
    pure = PurePosixPath(out_path)
    if (
        not out_path
        or "\x00" in out_path
        or "\\" in out_path
        or pure.is_absolute()
        or any(part in ("", ".", "..") for part in out_path.split("/"))
        or (len(pure.parts[0]) >= 2 and pure.parts[0][1] == ":")
    ):
        raise ValueError(f"unsafe output path {out_path!r}")
    return root.joinpath(*pure.parts)


def write_site(
    output: Path,
    files: Mapping[str, bytes],
    copies: Mapping[str, Path],
) -> None:
    """Write ``files`` (out path -> bytes) and ``copies`` (out path -> source file) as the
    new content of ``output``, replacing what was there only when everything is written."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for out_path, data in files.items():
            target = safe_join(staging, out_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for out_path, source in copies.items():
            target = safe_join(staging, out_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        (staging / MARKER).write_bytes(MARKER_TEXT)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        os.replace(staging, output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    retired.rmdir()
    os.replace(output, retired)
    try:
        os.replace(staging, output)
    except BaseException:
        os.replace(retired, output)
        raise
    shutil.rmtree(retired, ignore_errors=True)
