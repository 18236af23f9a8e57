"""The only module that writes: a whole site into a fresh folder, swapped in at the end.

Promises kept here:
- the output folder is never the site folder, a folder above it, or inside the content;
- a folder commonsgen did not make (it has no marker file) is never emptied;
- output is written to a temporary sibling folder and swapped in only once complete, so a
  failed build leaves the last good site in place;
- no path may leave the output folder.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path, PurePosixPath

MARKER = ".commonsgen"
MARKER_TEXT = b"This folder is written by commonsgen and replaced on every build.\n"


class OutputRefused(Exception):
    """The output folder is unsafe to write; the message says why and what to do."""


def check_location(output: Path, *, site_root: Path, protected: Mapping[str, Path]) -> None:
    """Refuse an output folder whose replacement would destroy the user's files.

    ``protected`` names folders (content, templates ...) the output may not be or contain.
    """
    if output.is_symlink():
        # Replacing the folder swaps the link away, and updating it in place writes
        # wherever it points: neither is what the link's owner meant.
        raise OutputRefused(
            f"the output folder {output} is a symbolic link (to {output.readlink()}); each "
            "build replaces the output folder, so it must be a real folder: remove the link, "
            "or give the folder it points to with --out"
        )
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
    staged = Staged(output, update=False)
    try:
        for out_path, data in files.items():
            staged[out_path] = data
        staged.finish(copies)
    finally:
        staged.discard()  # nothing left to discard once finished


class Staged(MutableMapping[str, bytes]):
    """Output files written to disk as the build makes them, not held in memory until it
    ends (at 10,000 pages they are ~300 MB), yet put in place only by :meth:`finish`.

    A first build writes everything into a hidden sibling folder and swaps it in; with
    ``update`` (a folder commonsgen made), a file whose bytes equal the output folder's is
    not written at all, and :meth:`finish` moves the others in one by one, each atomically.
    :meth:`discard` (a failed build) leaves the output as it was.
    Reading a file back reads it from disk.
    """

    def __init__(self, output: Path, *, update: bool) -> None:
        self.output = output.resolve()
        if update and not (self.output / MARKER).is_file():
            raise ValueError(f"{self.output} has no {MARKER} file; stage a whole site")
        self.update = update
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _lock_output(self.output)
        try:
            _remove_stale(self.output)
            self.staging = _new_folder(self.output, "new")
        except BaseException:
            _unlock(self._lock)
            raise
        self._sizes: dict[str, int] = {}
        self._staged: set[str] = set()
        """With ``update``: the files whose bytes differ from the output folder's."""
        self._finished = False

    def __setitem__(self, out_path: str, data: bytes) -> None:
        if self.update and _holds(self.output, out_path, data):
            self._unstage(out_path)
        else:
            write_new(safe_join(self.staging, out_path), data)
            self._staged.add(out_path)
        self._sizes[out_path] = len(data)

    @property
    def folder_for_workers(self) -> Path | None:
        """Where the processes that render files may write them themselves (with
        :func:`write_new`, then :meth:`adopt`): the staging folder of a whole new site;
        None while updating an output folder, where each file is first compared with the
        one in place."""
        return None if self.update else self.staging

    def adopt(self, out_path: str, size: int) -> None:
        """``out_path`` was written into :attr:`folder_for_workers` by another process."""
        assert not self.update, "a file to compare with the output folder is set, not adopted"
        self._staged.add(out_path)
        self._sizes[out_path] = size

    def __getitem__(self, out_path: str) -> bytes:
        if out_path not in self._sizes:
            raise KeyError(out_path)
        staged = out_path in self._staged and not self._finished
        return safe_join(self.staging if staged else self.output, out_path).read_bytes()

    def __delitem__(self, out_path: str) -> None:
        del self._sizes[out_path]
        self._unstage(out_path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._sizes)

    def __len__(self) -> int:
        return len(self._sizes)

    def _unstage(self, out_path: str) -> None:
        if out_path in self._staged:
            self._staged.discard(out_path)
            safe_join(self.staging, out_path).unlink(missing_ok=True)

    def finish(self, copies: Mapping[str, Path], kept: Iterable[str] = ()) -> int:
        """Put the files in place with ``copies`` (and, with ``update``, the ``kept`` files
        already there); returns how many files were written or removed."""
        try:
            if not self.update:
                for out_path, source in copies.items():
                    target = safe_join(self.staging, out_path)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(source, target)
                    shutil.copystat(source, target)
                (self.staging / MARKER).write_bytes(MARKER_TEXT)
                _swap(self.staging, self.output)
                self._finished = True
                return len(self._sizes) + len(copies)
            wanted = {*self._sizes, *copies, *kept, MARKER}
            touched = _remove_others(self.output, wanted)
            for out_path in sorted(self._staged):
                write(self.output, out_path, safe_join(self.staging, out_path), move=True)
                touched += 1
            self._finished = True
            return touched + _copy_changed(self.output, copies)
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the staging folder (all of it once finished) and let other builds in."""
        shutil.rmtree(self.staging, ignore_errors=True)
        _unlock(self._lock)
        self._lock = None

    def shown(self, path: Path) -> str | None:
        """``path`` in the staging or output folder as the output file it stands for (how
        a user knows it); None for a path elsewhere."""
        for folder in (self.staging, self.output):
            try:
                rel = path.relative_to(folder)
            except ValueError:
                continue
            return str(self.output / rel)
        return None


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def write_new(path: Path, data: bytes) -> None:
    """Write a file of a staging folder, which nothing else reads until it is swapped in:
    no temporary name and rename; its folder is made only when the file cannot be opened
    for the lack of it (each folder once, with no look before)."""
    try:
        fd = os.open(path, _NEW_FILE, 0o666)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _holds(folder: Path, out_path: str, data: bytes) -> bool:
    target = safe_join(folder, out_path)
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:  # missing, or a folder
        return False


def _remove_others(output: Path, wanted: set[str]) -> int:
    """Remove the files of ``output`` that are not ``wanted``; returns how many."""
    touched = 0
    for path in sorted(_files_under(output), reverse=True):
        if path not in wanted:
            remove(output, path)
            touched += 1
    return touched


def _copy_changed(output: Path, copies: Mapping[str, Path]) -> int:
    """Copy the sources whose size or modification time differ from their copy's."""
    touched = 0
    for out_path, source in copies.items():
        target = safe_join(output, out_path)
        try:
            have, want = target.stat(), source.stat()
        except OSError:
            have = want = None
        if (
            have is not None
            and want is not None
            and target.is_file()
            and (
                have.st_size,
                have.st_mtime_ns,
            )
            == (want.st_size, want.st_mtime_ns)
        ):
            continue
        write(output, out_path, source)
        touched += 1
    return touched


def _files_under(folder: Path) -> list[str]:
    found = []
    for dirpath, _dirnames, filenames in os.walk(folder):
        rel = Path(dirpath).relative_to(folder).as_posix()
        found.extend(name if rel == "." else f"{rel}/{name}" for name in filenames)
    return found


def write(folder: Path, out_path: str, data: bytes | Path, *, move: bool = False) -> None:
    """Replace one file atomically; a copy keeps its source's modification time, which is
    how the next build tells it is still the same. ``move``: the file ``data`` is moved
    (renamed) into place, which needs it on the same file system."""
    target = safe_join(folder, out_path)
    if target.is_dir():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if move:
        assert isinstance(data, Path)
        os.replace(data, target)
        return
    partial = target.with_name(f".{target.name}.partial")
    if isinstance(data, bytes):
        partial.write_bytes(data)
    else:
        shutil.copyfile(data, partial)
        shutil.copystat(data, partial)
    os.replace(partial, target)


def remove(folder: Path, out_path: str) -> None:
    """Remove one file, and the folders it leaves empty."""
    target = safe_join(folder, out_path)
    target.unlink(missing_ok=True)
    parent = target.parent
    while parent != folder and folder in parent.parents:
        try:
            parent.rmdir()  # only succeeds when empty
        except OSError:
            break
        parent = parent.parent


def _new_folder(output: Path, kind: str) -> Path:
    """A new hidden folder beside ``output`` (``.public.new-1a2b3c4d``), with the ordinary
    permissions of the user's umask: a first build swaps it in as the output folder, and
    mkdtemp's 0700 would keep a web server's user out."""
    while True:
        folder = output.parent / f".{output.name}.{kind}-{secrets.token_hex(4)}"
        try:
            folder.mkdir(0o777)
        except FileExistsError:
            continue
        return folder


def _remove_stale(output: Path) -> None:
    """Remove the staging and retired folders of builds that were killed (SIGKILL, a power
    cut) before they could: called under the lock, so no running build owns them."""
    for kind in ("new", "old"):
        for folder in output.parent.glob(f".{glob.escape(output.name)}.{kind}-*"):
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)


class BuildRunning(OutputRefused):
    """Another build is writing the same output folder."""


def lock_path(output: Path) -> Path:
    """The file a build holds while it writes ``output``: beside it, since the folder itself
    is replaced by a swap; one per output folder, so builds of sibling folders (``/tmp/a``
    and ``/tmp/b``) do not wait for each other."""
    return output.parent / f".{output.name}.lock"


_Lock = tuple[int, Path]


def _lock_output(output: Path) -> _Lock | None:
    """Hold an exclusive lock on the output folder while a build writes it; None where
    locks do not exist."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; two builds at once are the user's to avoid
        return None
    path = lock_path(output)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BuildRunning(
                f"another commonsgen build is writing into {output}; wait for it to finish"
            ) from None
        # The build before may have removed the file between our open and our lock: then
        # we hold a file nobody else can find, and try again with the one that is there.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return fd, path
        os.close(fd)


def _unlock(lock: _Lock | None) -> None:
    if lock is not None:
        fd, path = lock
        # Removed while held, so no later build finds it still locked; closing the last
        # descriptor releases the flock.
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        os.close(fd)


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        os.replace(staging, output)
        return
    retired = _new_folder(output, "old")
    retired.rmdir()
    os.replace(output, retired)
    try:
        os.replace(staging, output)
    except BaseException:
        os.replace(retired, output)
        raise
    shutil.rmtree(retired, ignore_errors=True)
