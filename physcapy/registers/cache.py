# SPDX-License-Identifier: GPL-2.0-only
"""A cache of the parsed register descriptions, so a start does not parse them all.

Reading and checking the ~40 files of ``layers/`` costs ~65 ms, more than half of a
``physcapy read`` and a fifth of the shell's start.  The parsed descriptions are
kept in the user's cache folder (``$XDG_CACHE_HOME/physcapy``, else
``~/.cache/physcapy``) and reused while nothing they came from changed: the files'
names, sizes, inodes and modification and change times (a restored mtime still
changes the ctime), physcapy's version, the parser's file and Python's version.
``PHYSCAPY_NO_CACHE=1`` turns it off.  A cache that cannot be read or written, or
that someone else could have written, is ignored; a folder someone else owns (root
running with a user's HOME) is not written to::

    >>> import tempfile
    >>> from physcapy.registers.regdesc import load_file
    >>> from physcapy.resources import layers_dir
    >>> with tempfile.TemporaryDirectory() as cache:
    ...     first = load_folder(layers_dir(), load_file, Path(cache))  # parsed, then kept
    ...     again = load_folder(layers_dir(), load_file, Path(cache))  # read back
    >>> [d.name for d in again] == [d.name for d in first]
    True
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["cache_dir", "load_folder"]

T = TypeVar("T")

#: Bumped when the cache file's layout changes.
_FORMAT = 1


def cache_dir() -> Path | None:
    """Where physcapy keeps its caches; None when caching is off: asked for, no home
    folder to put it in, or no POSIX owners to check the files against."""
    if os.environ.get("PHYSCAPY_NO_CACHE", "") not in ("", "0") or not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "physcapy" if os.path.isabs(base) else None


def _stamp(path: Path) -> tuple[str, int, int, int, int]:
    st = path.stat()
    return path.name, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns


def _ours(path: Path) -> bool:
    """Whether the nearest existing folder at or above ``path`` is this user's."""
    for folder in (path, *path.parents):
        try:
            return folder.stat().st_uid == os.getuid()
        except FileNotFoundError:
            continue
        except OSError:
            return False
    return False


def _key(folder: Path, paths: list[Path]) -> tuple[Any, ...]:
    from physcapy import _version
    from physcapy.registers import regdesc

    return (
        _FORMAT,
        _version.__version__,
        sys.version,
        _stamp(Path(regdesc.__file__)),  # the parser, and every class pickled
        str(folder),
        tuple(_stamp(p) for p in paths),
    )


def _cache_file(directory: Path, folder: Path) -> Path:
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    return directory / f"layers-{digest}.pickle"


def _private(st: os.stat_result) -> bool:
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _read(file: Path, key: tuple[Any, ...]) -> Any:
    try:
        # Only a regular file this user owns, in a folder of theirs, that nobody else
        # may write: unpickling runs code.  Non-blocking, so a FIFO put there cannot
        # hang the start.
        if not _private(os.stat(file.parent)):
            return None
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or not _private(st):
                return None
            stored_key, value = pickle.load(f)
    except Exception:  # missing, truncated, from another physcapy: parse instead
        return None
    return value if stored_key == key else None


def _write(file: Path, key: tuple[Any, ...], value: Any) -> None:
    if not _ours(file.parent):
        return  # e.g. root with a user's HOME: leave the user's folders alone
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=file.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((key, value), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, file)  # whole or not at all, also with two writers at once
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, pickle.PicklingError):
        pass  # a read-only home: parse each time


def load_folder(folder: Path, load: Callable[[Path], T], directory: Path | None = None) -> list[T]:
    """``load`` of each ``*.toml`` in ``folder`` (sorted by name), from the cache in
    ``directory`` (default :func:`cache_dir`) when it is current.  Errors of ``load``
    are raised as they are and nothing is cached then."""
    paths = sorted(folder.glob("*.toml"))
    directory = directory if directory is not None else cache_dir()
    if directory is None:
        return [load(p) for p in paths]
    key = _key(folder, paths)
    file = _cache_file(directory, folder)
    cached = _read(file, key)
    if cached is not None:
        return list(cached)
    value = [load(p) for p in paths]
    _write(file, key, value)
    return value
