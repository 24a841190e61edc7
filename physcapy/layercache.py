# SPDX-License-Identifier: GPL-2.0-only
"""A cache of the parsed register descriptions, so a start does not parse them all.

Reading and checking the ~40 files of ``layers/`` costs ~65 ms, more than half of a
``physcapy read`` and a fifth of the shell's start.  The parsed descriptions are
kept in the user's cache folder (``$XDG_CACHE_HOME/physcapy``, else
``~/.cache/physcapy``) and reused while nothing they came from changed: the files'
names, sizes and modification times, physcapy's version, the parser's source and
Python's version.  ``PHYSCAPY_NO_CACHE=1`` turns it off.  A cache that cannot be
read or written, or that someone else could have written, is ignored::

    >>> import tempfile
    >>> from physcapy.regdesc import load_file
    >>> from physcapy.resources import layers_dir
    >>> cache = Path(tempfile.mkdtemp())
    >>> first = load_folder(layers_dir(), load_file, cache)   # parsed, then kept
    >>> again = load_folder(layers_dir(), load_file, cache)   # read back
    >>> [d.name for d in again] == [d.name for d in first]
    True
"""

from __future__ import annotations

import hashlib
import os
import pickle
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
    """Where physcapy keeps its caches; None when caching is turned off."""
    if os.environ.get("PHYSCAPY_NO_CACHE", "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "physcapy"


def _stamp(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return path.name, st.st_mtime_ns, st.st_size


def _key(folder: Path, paths: list[Path]) -> tuple[Any, ...]:
    from physcapy import _version, regdesc

    return (
        _FORMAT,
        _version.__version__,
        sys.version,
        _stamp(Path(regdesc.__file__)),  # the parser (and the classes pickled)
        str(folder),
        tuple(_stamp(p) for p in paths),
    )


def _cache_file(directory: Path, folder: Path) -> Path:
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    return directory / f"layers-{digest}.pickle"


def _read(file: Path, key: tuple[Any, ...]) -> Any:
    try:
        with open(file, "rb") as f:
            st = os.fstat(f.fileno())
            # Only a file this user owns and nobody else may write: unpickling runs code.
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
            stored_key, value = pickle.load(f)
    except Exception:  # missing, truncated, from another physcapy: parse instead
        return None
    return value if stored_key == key else None


def _write(file: Path, key: tuple[Any, ...], value: Any) -> None:
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
